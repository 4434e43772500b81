"""Recommenders the engine is compared with, all trained on the train baskets only.

Every recommender answers ``recommend(basket_items, k, customer, now)`` with up
to ``k`` skus, best first, never an item of the query basket. Scores are
computed from raw counts of the train baskets (a sku counted once per basket):

``popularity``       the items in the most train baskets.
``cooc-sum``         score(c) = sum over basket items a of co(a, c).
``max-confidence``   score(c) = max over a of co(a, c) / count(a).
``personal``         the customer's own most bought items (baskets holding
                     them; ties: the more recently bought first), then
                     max-confidence.
``mlxtend-rules``    mlxtend ``fpgrowth`` (max_len 2) + ``association_rules``:
                     consequents of rules whose antecedent is in the basket,
                     by max confidence, then max lift.

Ties, and the places a score cannot fill (an item with no co-occurrence), go to
popularity, then to catalog order, so every recommender returns ``k`` items
when the catalog has them. numpy does the counting (a bench dependency).
"""
from __future__ import annotations

from collections import OrderedDict, defaultdict
from typing import Iterable, Protocol

__all__ = [
    "CooccurrenceSum", "MaxConfidence", "MlxtendRules", "MlxtendUnavailable", "Personal",
    "Popularity", "Recommender", "TrainData", "default_min_count", "default_min_support",
]


class Recommender(Protocol):
    name: str

    def recommend(self, basket_items: list[str], k: int, customer: str | None,
                  now: int) -> list[str]:
        ...


class MlxtendUnavailable(RuntimeError):
    """mlxtend (an optional bench dependency) is not installed."""


def _np():
    import numpy as np
    return np


def basket_lines(offsets, items, baskets):
    """The items of ``baskets`` (ids into ``offsets``), concatenated, and each
    basket's number of lines (numpy arrays)."""
    np = _np()
    starts, ends = offsets[baskets], offsets[baskets + 1]
    lengths = ends - starts
    total = int(lengths.sum())
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return items[np.arange(total, dtype=np.int64) + shift], lengths


class TrainData:
    """The train baskets as CSR over dense item numbers (catalog order), with
    per-item counts, an item -> baskets index and cached co-occurrence rows.

    ``baskets`` are (items, customer, time) triples or Basket objects; skus not
    in ``catalog`` are ignored.
    """

    def __init__(self, baskets: Iterable, catalog: Iterable[str], row_cache: int = 2048):
        np = _np()
        self.skus: list[str] = list(dict.fromkeys(catalog))
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.skus)}
        n_items = len(self.skus)
        offsets = [0]
        flat: list[int] = []
        self.customer_of: list[str | None] = []
        self.time_of: list[int] = []
        for b in baskets:
            items, customer, when = ((b.items, b.customer, b.time) if hasattr(b, "items")
                                     else b)
            ids = sorted({self.index[s] for s in items if s in self.index})
            flat.extend(ids)
            offsets.append(len(flat))
            self.customer_of.append(customer or None)
            self.time_of.append(int(when))
        self.offsets = np.asarray(offsets, dtype=np.int64)
        self.items = np.asarray(flat, dtype=np.int32)
        self.n_baskets = len(offsets) - 1
        self.n_items = n_items
        self.count = np.bincount(self.items, minlength=n_items).astype(np.int64)
        # item -> its baskets (CSR by item)
        basket_of_entry = np.repeat(np.arange(self.n_baskets, dtype=np.int64),
                                    np.diff(self.offsets))
        order = np.argsort(self.items, kind="stable")
        self.by_item = basket_of_entry[order]
        self.item_offsets = np.concatenate([[0], np.cumsum(self.count)]).astype(np.int64)
        # popularity order: count desc, then catalog order
        self.popular = np.lexsort((np.arange(n_items), -self.count))
        self._rows: OrderedDict[int, object] = OrderedDict()
        self._row_cache = row_cache

    def co_row(self, a: int):
        """co(a, c) for every item c (int32 array; co(a, a) = count(a)); the last
        ``row_cache`` rows used are kept."""
        row = self._rows.get(a)
        if row is not None:
            self._rows.move_to_end(a)
            return row
        np = _np()
        bs = self.by_item[self.item_offsets[a]:self.item_offsets[a + 1]]
        gathered, _ = basket_lines(self.offsets, self.items, bs)
        if len(gathered):
            row = np.bincount(gathered, minlength=self.n_items).astype(np.int32)
        else:
            row = np.zeros(self.n_items, dtype=np.int32)
        self._rows[a] = row
        if len(self._rows) > self._row_cache:
            self._rows.popitem(last=False)
        return row

    def known(self, basket_items: list[str]) -> list[int]:
        return [self.index[s] for s in dict.fromkeys(basket_items) if s in self.index]

    def ranked(self, score, exclude: set[int], k: int) -> list[str]:
        """Top k items by score desc (only score > 0), ties by popularity then
        catalog order; then filled with the most popular items."""
        np = _np()
        chosen: list[int] = []
        cand = np.flatnonzero(score > 0)
        if len(cand):
            if len(cand) > 4 * (k + len(exclude)) + 64:
                # keep the candidates at or above the (k + |exclude|)-th best score
                m = k + len(exclude)
                kth = np.partition(score[cand], len(cand) - m)[len(cand) - m]
                cand = cand[score[cand] >= kth]
            order = np.lexsort((cand, -self.count[cand], -score[cand]))
            for i in cand[order]:
                i = int(i)
                if i not in exclude:
                    chosen.append(i)
                    if len(chosen) == k:
                        break
        return self.fill(chosen, exclude, k)

    def fill(self, chosen: list[int], exclude: set[int], k: int) -> list[str]:
        if len(chosen) < k:
            taken = set(chosen) | exclude
            for i in self.popular:
                i = int(i)
                if i not in taken:
                    chosen.append(i)
                    if len(chosen) == k:
                        break
        return [self.skus[i] for i in chosen]


class Popularity:
    name = "popularity"

    def __init__(self, data: TrainData):
        self.data = data

    def recommend(self, basket_items, k, customer=None, now=0):
        return self.data.fill([], set(self.data.known(basket_items)), k)


class CooccurrenceSum:
    name = "cooc-sum"

    def __init__(self, data: TrainData):
        self.data = data

    def recommend(self, basket_items, k, customer=None, now=0):
        np = _np()
        known = self.data.known(basket_items)
        score = np.zeros(self.data.n_items, dtype=np.int64)
        for a in known:
            score += self.data.co_row(a)
        return self.data.ranked(score, set(known), k)


class MaxConfidence:
    name = "max-confidence"

    def __init__(self, data: TrainData):
        self.data = data

    def scores(self, known: list[int]):
        np = _np()
        score = np.zeros(self.data.n_items, dtype=np.float64)
        for a in known:
            c = self.data.count[a]
            if c:
                np.maximum(score, self.data.co_row(a) / float(c), out=score)
        return score

    def recommend(self, basket_items, k, customer=None, now=0):
        known = self.data.known(basket_items)
        return self.data.ranked(self.scores(known), set(known), k)


def _most_bought(kept: list[int], m: dict) -> list[int]:
    """`kept` items, most baskets first, then the latest, then by id."""
    return sorted(kept, key=lambda i: (-m[i][0], -m[i][1], i))


def favourites(data: TrainData, min_baskets: int = 1) -> dict[str, list[int]]:
    """customer -> the items in at least ``min_baskets`` of their train baskets, most
    baskets first (ties: the more recently bought, then catalog order)."""
    counts: dict[str, dict[int, list[int]]] = defaultdict(dict)
    for b in range(data.n_baskets):
        cust = data.customer_of[b]
        if not cust:
            continue
        mine = counts[cust]
        t = data.time_of[b]
        for i in data.items[data.offsets[b]:data.offsets[b + 1]].tolist():
            e = mine.get(i)
            if e is None:
                mine[i] = [1, t]
            else:
                e[0] += 1
                e[1] = max(e[1], t)
    out = {}
    for c, m in counts.items():
        kept = [i for i in m if m[i][0] >= min_baskets]
        if kept:
            out[c] = _most_bought(kept, m)
    return out


class Personal:
    """The customer's own favourites first, then max-confidence."""

    name = "personal"

    def __init__(self, data: TrainData):
        self.data = data
        self.fallback = MaxConfidence(data)
        self.favourites: dict[str, list[int]] = favourites(data)

    def recommend(self, basket_items, k, customer=None, now=0):
        known = self.data.known(basket_items)
        exclude = set(known)
        chosen: list[int] = []
        for i in self.favourites.get(customer or "", ()):
            if i not in exclude:
                chosen.append(i)
                if len(chosen) == k:
                    return [self.data.skus[j] for j in chosen]
        rest = self.data.ranked(self.fallback.scores(known), exclude | set(chosen),
                                k - len(chosen))
        return [self.data.skus[j] for j in chosen] + rest


#: mlxtend's fpgrowth is pure Python, and its time grows steeply as the support
#: goes down, the faster the bigger the baskets. The default support is that of
#: a pair seen in max(5, ceil(P / PAIRS_PER_BASKET_OF_SUPPORT)) train baskets,
#: P = the train baskets' pair occurrences (sum of n(n-1)/2): 5 baskets for
#: groceries, 10 for retail-fimi, 32 for online-retail (about 1 minute; 16
#: baskets there took over 4 minutes). See docs/evaluation.md.
PAIRS_PER_BASKET_OF_SUPPORT = 600_000


def default_min_count(pair_occurrences: int, min_baskets: int = 5) -> int:
    """The baskets a pair must be seen in for mlxtend's default min_support."""
    return max(min_baskets, -(-int(pair_occurrences) // PAIRS_PER_BASKET_OF_SUPPORT))


def default_min_support(data: "TrainData") -> float:
    """mlxtend's default min_support on ``data`` (see ``default_min_count``)."""
    np = _np()
    sizes = np.diff(data.offsets)
    pairs = int((sizes * (sizes - 1) // 2).sum())
    return default_min_count(pairs) / max(data.n_baskets, 1)


class MlxtendRules:
    """Association rules from mlxtend (``fpgrowth`` with ``max_len=2``).

    Rules X -> Y with support(X, Y) >= ``min_support`` (default:
    ``default_min_support``) and confidence >= ``min_confidence``.
    """

    name = "mlxtend-rules"

    def __init__(self, data: TrainData, min_support: float | None = None,
                 min_confidence: float = 0.01):
        try:
            import pandas as pd
            from mlxtend.frequent_patterns import association_rules, fpgrowth
            from scipy import sparse
        except ImportError as exc:
            raise MlxtendUnavailable(f"mlxtend not installed ({exc.name})") from None
        np = _np()
        self.data = data
        self.min_support = (min_support if min_support is not None
                            else default_min_support(data))
        self.min_confidence = min_confidence
        self.rules: dict[int, list[tuple[int, float, float]]] = {}
        self._arrays: dict = {}
        self.n_rules = 0
        used = np.flatnonzero(data.count > 0)
        if data.n_baskets == 0 or len(used) == 0:
            return
        remap = np.full(data.n_items, -1, dtype=np.int64)
        remap[used] = np.arange(len(used))
        matrix = sparse.csr_matrix(
            (np.ones(len(data.items), dtype=bool), remap[data.items], data.offsets),
            shape=(data.n_baskets, len(used)))
        frame = pd.DataFrame.sparse.from_spmatrix(matrix, columns=[int(i) for i in used])
        frequent = fpgrowth(frame, min_support=self.min_support, use_colnames=True, max_len=2)
        if not (frequent["itemsets"].map(len) == 2).any():
            return
        rules = association_rules(frequent, metric="confidence",
                                  min_threshold=self.min_confidence)
        by_antecedent: dict[int, list[tuple[int, float, float]]] = defaultdict(list)
        for ante, cons, conf, lift in zip(rules["antecedents"], rules["consequents"],
                                          rules["confidence"], rules["lift"]):
            if len(ante) == 1 and len(cons) == 1:
                by_antecedent[next(iter(ante))].append((next(iter(cons)), float(conf),
                                                        float(lift)))
        self.rules = dict(by_antecedent)
        self.n_rules = sum(len(v) for v in self.rules.values())
        # the same rules as arrays per antecedent, for a vectorised recommend
        self._arrays = {a: (np.asarray([r[0] for r in v], dtype=np.int64),
                            np.asarray([r[1] for r in v], dtype=np.float64),
                            np.asarray([r[2] for r in v], dtype=np.float64))
                        for a, v in self.rules.items()}

    def recommend(self, basket_items, k, customer=None, now=0):
        """Consequents by (max confidence, max lift over the basket's antecedents,
        popularity, catalog order), basket items excluded; then popularity."""
        np = _np()
        known = self.data.known(basket_items)
        exclude = set(known)
        parts = [self._arrays[a] for a in known if a in self._arrays]
        if not parts:
            return self.data.fill([], exclude, k)
        cons = np.concatenate([p[0] for p in parts])
        conf = np.concatenate([p[1] for p in parts])
        lift = np.concatenate([p[2] for p in parts])
        keep = ~np.isin(cons, np.fromiter(exclude, dtype=np.int64, count=len(exclude)))
        cons, conf, lift = cons[keep], conf[keep], lift[keep]
        if not len(cons):
            return self.data.fill([], exclude, k)
        cand, inverse = np.unique(cons, return_inverse=True)
        best_conf = np.zeros(len(cand))
        best_lift = np.zeros(len(cand))
        np.maximum.at(best_conf, inverse, conf)
        np.maximum.at(best_lift, inverse, lift)
        order = np.lexsort((cand, -self.data.count[cand], -best_lift, -best_conf))[:k]
        return self.data.fill([int(c) for c in cand[order]], exclude, k)
