"""The scorer of native/scorer.c in plain Python, for the tests.

Same inputs (an `EngineData`, a request), same operations in the same order, so
the results agree with the C core's to the last bit in practice (the tests
allow 1e-9 relative). docs/scoring.md describes the formula.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from pos.store.engine_data import FLAG_ACTIVE, FLAG_AGE_RESTRICTED, FLAG_DURABLE, FLAG_IN_STOCK, EngineData

CROSS, UPSELL, BUNDLE, CAMPAIGN = 1, 2, 3, 3
MINED, RULE, LADDER, UPGRADE, BUNDLE_SRC, SIMILAR = 0, 1, 2, 3, 4, 5


@dataclass(frozen=True)
class Result:
    item: int
    kind: int
    score: float
    price_or_step: int
    anchor: int
    anchor_count: int
    pair_count: int
    source: int
    index: int
    personal: int


def upgrade_lists(d: EngineData) -> list[list[tuple[int, int]]]:
    """Per item: [(to, source)], explicit edges in input order, then the family's next tier."""
    n = d.n_items
    ups: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for a, u in zip(d.upgrade_from, d.upgrade_to):
        ups[a].append((u, UPGRADE))
    tiers: dict[int, dict[int, list[int]]] = {}
    for i in range(n):
        if d.family[i] >= 0:
            tiers.setdefault(d.family[i], {}).setdefault(d.tier[i], []).append(i)
    for i in range(n):
        f = d.family[i]
        if f < 0:
            continue
        above = [t for t in tiers[f] if t > d.tier[i]]
        if above:
            ups[i].extend((u, LADDER) for u in sorted(tiers[f][min(above)]))
    return ups


class LearnedRef:
    """pos_learned (native/scorer.c) in plain Python: today's baskets and declines.

    entries[(a, c)] = [j, mined_count, mined_weight, dc, dw, decl, decl_time],
    j = the index in a's mined list or None; per anchor the listed entries by j
    and the new pairs once they reach the bar (min_pair_count baskets, and a full
    list's weakest weight), in that order, as the C overlay walks them."""

    def __init__(self, d: EngineData, size_cap: int = 30, half_life_days: float = 3.0,
                 min_pair_count: int = 2, list_size: int = 100, max_pairs: int = 0):
        self.d = d
        self.max_pairs = max_pairs
        self.dropped = 0
        self.size_cap = size_cap
        self.min_pair_count = min_pair_count
        self.list_size = list_size
        self.ready: set[tuple[int, int]] = set()
        self.half_life_s = half_life_days * 86400.0
        self.dc: dict[int, int] = {}
        self.dw: dict[int, float] = {}
        self.weight = 0.0
        self.entries: dict[tuple[int, int], list] = {}
        self.fresh: dict[int, list[int]] = {}
        self.lists = [d.neighbours(i) for i in range(d.n_items)]

    def _entry(self, a: int, c: int) -> list | None:
        x = self.entries.get((a, c))
        if x is None and self.max_pairs and len(self.entries) >= self.max_pairs:
            self.dropped += 1      # full: a new pair is not held
            return None
        if x is None:
            x = [None, 0, 0.0, 0, 0.0, 0.0, 0]
            for j, (item, count, weight, _) in enumerate(self.lists[a]):
                if item == c:
                    x[0], x[1], x[2] = j, count, weight
                    break
            self.entries[(a, c)] = x
        return x

    def bar(self, a: int) -> float:
        """The weight a new pair of a must reach: a full list's weakest weight, else 0."""
        lst = self.lists[a]
        if self.list_size > 0 and len(lst) >= self.list_size:
            return min(w for _, _, w, _ in lst)
        return 0.0

    def known(self, a: int) -> dict[int, list]:
        """a's entries that are in its mined list: j -> entry."""
        return {x[0]: x for (a2, _), x in self.entries.items() if a2 == a and x[0] is not None}

    def add_basket(self, items) -> None:
        b = sorted(set(items))
        m = len(b)
        if not m:
            return
        w = (self.size_cap - 1) / (m - 1) if m > self.size_cap else 1.0
        for i in b:
            self.dc[i] = self.dc.get(i, 0) + 1
            self.dw[i] = self.dw.get(i, 0.0) + w
        for i in b:
            for k in b:
                if k != i:
                    x = self._entry(i, k)
                    if x is None:
                        continue
                    x[3] += 1
                    x[4] += w
                    if (x[0] is None and (i, k) not in self.ready
                            and x[3] >= self.min_pair_count and x[4] >= self.bar(i)):
                        self.ready.add((i, k))
                        self.fresh.setdefault(i, []).append(k)
        self.weight += w

    def add_decline(self, a: int, c: int, time: int) -> None:
        x = self._entry(a, c)
        if x is None:
            return
        if x[5] == 0:
            x[5], x[6] = 1.0, time
        elif time >= x[6]:
            x[5] = x[5] * 2.0 ** (-float(time - x[6]) / self.half_life_s) + 1.0
            x[6] = time
        else:
            x[5] += 2.0 ** (-float(x[6] - time) / self.half_life_s)

    def factor(self, x: list, now: int) -> float:
        if not x[5] > 0:
            return 1.0
        d = x[5]
        if now > x[6]:
            d *= 2.0 ** (-float(now - x[6]) / self.half_life_s)
        return 1.0 / (1.0 + d)

    def damping(self, a: int, c: int, now: int) -> float:
        x = self.entries.get((a, c)) if a >= 0 else None
        return 1.0 if x is None else self.factor(x, now)


class Reference:
    def __init__(self, d: EngineData):
        self.d = d
        self.ups = upgrade_lists(d)
        self.lists = [d.neighbours(i) for i in range(d.n_items)]
        ro, ri = d.recent_offsets, d.recent_items
        self.recent = [list(ri[ro[b]:ro[b + 1]]) for b in range(d.n_recent)]
        self.inv_sqrt_size = [1.0 / math.sqrt(float(len(b))) if b else 0.0 for b in self.recent]
        self.postings: list[list[int]] = [[] for _ in range(d.n_items)]
        for b, items in enumerate(self.recent):
            for c in items:
                self.postings[c].append(b)
        n = len(self.recent)
        self.idf = [math.log(float(n) / float(len(p))) if p else 0.0 for p in self.postings]

    def similar(self, order: list[int], m: int, s: int,
                idf: bool = False) -> list[tuple[float, int]]:
        """The neighbours of the basket (distinct items): (sim, basket), ascending
        basket; with ``idf`` the overlap weighs each shared item by its idf."""
        nq = len(order)
        if not nq:
            return []
        if nq > 10:     # the postings budget: 10 M a call
            m = max(1, m * 10 // nq)
        overlap: dict[int, float] = {}
        for a in order:
            w = self.idf[a] if idf else 1.0
            for b in self.postings[a][-m:]:
                overlap[b] = overlap.get(b, 0.0) + w
        inv_q = 1.0 / math.sqrt(float(nq))
        picks = [(float(o) * self.inv_sqrt_size[b] * inv_q, b) for b, o in overlap.items()
                 if o > 0]   # idf 0: shares only items every recent basket holds
        picks.sort(key=lambda t: (-t[0], -t[1]))
        return sorted(picks[:s], key=lambda t: t[1])

    def _in_category(self, cat: int, under: int) -> bool:
        while cat >= 0:
            if cat == under:
                return True
            cat = self.d.category_parent[cat]
        return False

    def score(self, basket, declined=(), history=(), customer_baskets=0, now=0, k=3,
              config=None, learned: LearnedRef | None = None) -> list[Result]:
        """basket: [(item, qty)]; history: [(item, baskets, last_time)]; config: EngineConfig."""
        from pos.engine import EngineConfig
        cf = config or EngineConfig()
        d = self.d
        K, beta = cf.shrinkage, cf.pop_damping
        qty: dict[int, float] = {}
        for a, q in basket:
            qty[a] = qty.get(a, 0.0) + q
        order = list(qty)
        cats_present = set()
        for a in order:
            c = d.category[a]
            while c >= 0:
                cats_present.add(c)
                c = d.category_parent[c]
        excluded = set(declined)
        hist_total = 0.0
        share: dict[int, float] = {}
        for item, baskets, last in history:
            if (d.flags[item] & FLAG_DURABLE) and float(now - last) <= cf.durable_days * 86400.0:
                excluded.add(item)
            hist_total += baskets
            cat = d.category[item]
            if cat >= 0:
                share[cat] = share.get(cat, 0.0) + baskets

        def ok(c: int) -> bool:
            f = d.flags[c]
            return (c not in qty and c not in excluded and bool(f & FLAG_ACTIVE)
                    and bool(f & FLAG_IN_STOCK) and not (f & FLAG_AGE_RESTRICTED)
                    and d.price[c] > 0)

        cross: dict[int, float] = {}
        top: dict[int, tuple[float, int, int]] = {}
        WK = d.total_weight + K
        L = learned
        if L:   # the combined item weights for every rel; the overlay's pairs, damped
            WK = d.total_weight + L.weight + K
        for a in order:
            denom = d.weight[a] + K
            entries: list = []   # (c, count, weight, overlay entry or None)
            if L:
                denom += L.dw.get(a, 0.0)
                known = L.known(a)
                entries = [(c, count, weight, known.get(j))
                           for j, (c, count, weight, _) in enumerate(self.lists[a])]
                for c in L.fresh.get(a, ()):
                    entries.append((c, 0, 0.0, L.entries[(a, c)]))
            else:
                entries = [(c, count, weight, None) for c, count, weight, _ in self.lists[a]]
            inv = 1.0 / denom if denom > 0 else 0.0
            for c, count, weight, x in entries:
                wc = d.weight[c] + (L.dw.get(c, 0.0) if L else 0.0)
                pc = (wc + K) / WK if WK > 0 else 0.0
                pcpow = pc ** -beta if pc > 0 else 1.0
                if x is not None:
                    conf = (x[2] + x[4]) * inv
                    rel = conf * pcpow * L.factor(x, now)
                    count = x[1] + x[3]
                else:
                    conf = weight * inv
                    rel = conf * pcpow
                cross[c] = cross.get(c, 0.0) + rel
                if rel > top.get(c, (-1.0,))[0]:
                    top[c] = (rel, a, count)
        if cf.aggregate == "max":
            for c in cross:
                cross[c] = top[c][0]
        votes: dict[int, float] = {}
        holders: dict[int, int] = {}
        picks = []
        if cf.knn_weight > 0 and self.recent:
            picks = self.similar(order, cf.knn_recent, cf.knn_neighbours, cf.knn_idf)
            for sim, b in picks:
                vote = sim
                for _ in range(cf.knn_power - 1):
                    vote *= sim
                for c in self.recent[b]:
                    if c not in qty and c not in excluded:
                        votes[c] = votes.get(c, 0.0) + vote
                        holders[c] = holders.get(c, 0) + 1
        if votes:
            cmax = max([cross[c] for c in cross if c not in qty and c not in excluded] + [0.0])
            w1 = 1.0 - cf.knn_weight
            w2 = cf.knn_weight * ((cmax if cmax > 0 else 1.0) / max(votes.values()))
            for c in set(cross) | set(votes):
                if c not in qty and c not in excluded:
                    cross[c] = w1 * cross.get(c, 0.0) + w2 * votes.get(c, 0.0)
        eligible = [c for c in cross if ok(c)]
        sref = max((cross[c] for c in eligible), default=0.0)
        if not eligible or not sref > 0:
            sref = 1.0
        personal = set()
        pden = float(customer_baskets) + K
        for item, baskets, _ in history:
            if not ok(item) or pden <= 0:
                continue
            cross[item] = cross.get(item, 0.0) + cf.personal_weight * (baskets / pden) * sref
            personal.add(item)

        best: dict[int, list] = {}   # item -> [score, kind, source, anchor, index, value]
        kind_damped = False   # the mined cross-sells are damped in the sums

        def propose(c, score, kind, source, anchor, index, value):
            if not ok(c):
                return
            if L and kind_damped:
                score = score * L.damping(anchor, c, now)
            if c in best and not score > best[c][0]:
                return
            best[c] = [score, kind, source, anchor, index, value]

        for c in cross:
            if ok(c):
                propose(c, cross[c], CROSS, MINED if c in top or c not in votes else SIMILAR,
                        top[c][1] if c in top else -1, -1, d.price[c])
        kind_damped = True
        for r in range(len(d.rule_kind)):
            kind = d.rule_kind[r]
            if kind == CAMPAIGN or now < d.rule_from[r] or now > d.rule_to[r]:
                continue
            ti, tc, u = d.rule_trigger_item[r], d.rule_trigger_category[r], d.rule_item[r]
            score = sref * (1.0 + 0.01 * d.rule_priority[r])
            if kind == CROSS:
                anchor = -1
                if ti >= 0:
                    if ti not in qty:
                        continue
                    anchor = ti
                elif tc >= 0:
                    if tc not in cats_present:
                        continue
                    anchor = next(a for a in order if self._in_category(d.category[a], tc))
                propose(u, score, CROSS, RULE, anchor, r, d.price[u])
            else:
                if (ti >= 0 and ti not in qty) or (tc >= 0 and tc not in cats_present):
                    continue
                for a in order:
                    if (ti >= 0 and a != ti) or (tc >= 0 and not self._in_category(d.category[a], tc)):
                        continue
                    step = d.price[u] - d.price[a]
                    if step <= 0 or float(step) > cf.upsell_cap * float(d.price[a]):
                        continue
                    propose(u, score, UPSELL, RULE, a, r, step)
        for a in order:
            for u, source in self.ups[a]:
                step = d.price[u] - d.price[a]
                if step <= 0 or float(step) > cf.upsell_cap * float(d.price[a]):
                    continue
                share_u = (float(d.count[u]) + 1.0) / (float(d.count[a]) + float(d.count[u]) + 2.0)
                propose(u, sref * cf.upsell_weight * share_u, UPSELL, source, a, -1, step)
        for b in range(len(d.bundle_saving)):
            if now < d.bundle_from[b] or now > d.bundle_to[b]:
                continue
            missing, anchor, n_missing = -1, -1, 0
            for j in range(d.bundle_offsets[b], d.bundle_offsets[b + 1]):
                m = d.bundle_items[j]
                if m in qty and qty[m] >= float(d.bundle_qty[j]):
                    if anchor < 0:
                        anchor = m
                else:
                    n_missing += 1
                    missing = m
            if n_missing == 1 and anchor >= 0:
                propose(missing, sref * cf.bundle_weight, BUNDLE, BUNDLE_SRC, anchor, b,
                        d.bundle_saving[b])
        mult: dict[int, float] = {}
        for r in range(len(d.rule_kind)):
            if d.rule_kind[r] != CAMPAIGN or now < d.rule_from[r] or now > d.rule_to[r]:
                continue
            ti, tc = d.rule_trigger_item[r], d.rule_trigger_category[r]
            if (ti >= 0 and ti not in qty) or (tc >= 0 and tc not in cats_present):
                continue
            u = d.rule_item[r]
            if u in best:
                mult[u] = mult.get(u, 1.0) * d.rule_boost[r]

        final = []
        for c, (score, *_rest) in best.items():
            score = score * mult.get(c, 1.0)
            if history and hist_total > 0:
                cat = d.category[c]
                s = share[cat] / hist_total if cat >= 0 and cat in share else 0.0
                score *= 1.0 + cf.category_affinity * s
            margin = 0.0
            if d.cost[c] >= 0 and d.price[c] > 0:
                margin = float(d.price[c] - d.cost[c]) / float(d.price[c])
                margin = min(max(margin, 0.0), 1.0)
            score *= 1.0 + cf.margin_weight * margin
            final.append((score, c))
        final.sort(key=lambda t: (-t[0], t[1]))
        out: list[Result] = []

        def result(score: float, c: int) -> Result:
            _, kind, source, anchor, index, value = best[c]
            if source == SIMILAR:
                return Result(c, kind, score, value, anchor, len(picks), holders[c], source, index,
                              int(c in personal))
            if anchor < 0:
                pair = 0
            elif kind == CROSS and source == MINED:
                pair = top[c][2] if c in top else 0
            else:
                pair = next((cnt for i, cnt, _, _ in self.lists[anchor] if i == c), 0)
                if L and (anchor, c) in L.entries:
                    pair += L.entries[(anchor, c)][3]
            anchor_count = d.count[anchor] if anchor >= 0 else 0
            if L and anchor >= 0:
                anchor_count += L.dc.get(anchor, 0)
            return Result(c, kind, score, value, anchor, anchor_count, pair, source, index,
                          int(c in personal))

        def strict_caps_allow(c: int) -> bool:
            """The family and rules caps: never exceeded."""
            fam = d.family[c]
            if fam >= 0 and sum(d.family[o.item] == fam for o in out) >= cf.max_per_family:
                return False
            return not (best[c][2] == RULE and sum(o.source == RULE for o in out) >= cf.max_rules)

        # by score under all the caps; a candidate skipped only for its category
        # is kept aside, and fills the list (in score order) when it ends short
        slots = cf.personal_slots if history and k > 0 else 0
        wanted = k + slots
        aside: list[tuple[float, int]] = []
        for score, c in final:
            if len(out) >= wanted:
                break
            if not strict_caps_allow(c):
                continue
            cat = d.category[c]
            if cat >= 0 and sum(d.category[o.item] == cat for o in out) >= cf.max_per_category:
                aside.append((score, c))
                continue
            out.append(result(score, c))
        for score, c in aside:
            if len(out) >= wanted:
                break
            if strict_caps_allow(c):
                out.append(result(score, c))
        if slots:
            out = self._personal_first(out, [(s, c) for s, c in final], history, best, ok, k,
                                       slots, cf.max_per_family, cf.max_rules, result)
        return out

    def _personal_first(self, ranked, final, history, best, ok, k, slots, max_per_family,
                        max_rules, result):
        """The personal re-rank (scorer.c's personal_first)."""
        d = self.d

        def refused(lst, c: int, source: int) -> bool:
            fam = d.family[c]
            if fam >= 0 and sum(d.family[o.item] == fam for o in lst) >= max_per_family:
                return True
            return source == RULE and sum(o.source == RULE for o in lst) >= max_rules

        score_of = {c: score for score, c in final}
        repeats = sorted((h for h in history if h[1] >= 2 and h[0] in best and ok(h[0])),
                         key=lambda h: (-h[1], -h[2], h[0]))
        front: list[Result] = []
        for item, _, _ in repeats:
            if len(front) >= min(slots, k):
                break
            if all(o.item != item for o in front) and not refused(front, item, best[item][2]):
                front.append(result(score_of[item], item))
        out = list(front)
        for r in ranked:
            if len(out) >= k:
                break
            if all(o.item != r.item for o in front) and not refused(out, r.item, r.source):
                out.append(r)
        return out


def is_close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300)
