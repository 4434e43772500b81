"""A plain-Python reference of the miner (native/miner.c): readable and slow.

It counts and ranks exactly as the C core does -- same formulas, same order of
every floating-point operation, float32 rounding via struct where the core
stores a float -- so the tests can demand bit-identical results. The formulas
and their reasons are in docs/mining.md. Bad input raises ValueError, counts
that would overflow raise OverflowError (the core returns POS_EINVAL and
POS_EOVERFLOW for them).
"""
from __future__ import annotations

import math
import struct
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the reference itself needs no compiled module
    from pos.mining import MineParams

FLT_MAX = struct.unpack("<f", b"\xff\xff\x7f\x7f")[0]
WEIGHT_LIMIT = 1e38          # item and pair weights stay below (stored as float32)
UINT32_MAX = 2**32 - 1
INT64_MIN, INT64_MAX = -2**63, 2**63 - 1

Entry = tuple[int, int, float, float]  # (item, count, weight, score)


def f32(x: float) -> float:
    """x rounded to float32 as C's (float) does, saturating at +-FLT_MAX."""
    x = min(max(x, -FLT_MAX), FLT_MAX)
    return struct.unpack("<f", struct.pack("<f", x))[0]


def ranks_before(x: Entry, y: Entry) -> bool:
    """The list order: score descending, then item ascending."""
    return x[3] > y[3] or (x[3] == y[3] and x[0] < y[0])


DBL_MAX = sys.float_info.max


def list_rank(p) -> str:
    """p's list ranking, as MineParams resolves it (None: "damped" when
    rank_damping is given, else "added-value")."""
    rank = getattr(p, "list_rank", None)
    if rank is None:
        return "added-value" if p.rank_damping is None else "damped"
    return rank


def _base_rate(p, w: float, total: float) -> float:
    """An item's base term, as miner.c's base_rate: w_b / W (added value,
    subtracted), p_b^-beta (damped, multiplied; 1 when p_b is 0), or p_b
    (balanced, divided by; 0 when W + K is 0)."""
    rank = list_rank(p)
    if rank == "added-value":
        return w / total if total > 0 else 0.0
    den = total + p.shrinkage
    pb = (w + p.shrinkage) / den if den > 0 else 0.0
    if rank == "balanced":
        return pb
    return math.pow(pb, -p.rank_damping) if pb > 0 else 1.0


def shrunk_lift(conf: float, pb: float) -> float:
    """conf / p_b (conf when p_b is 0), capped at DBL_MAX, as miner.c's shrunk_lift."""
    lift = conf / pb if pb > 0 else conf
    return lift if lift <= DBL_MAX else DBL_MAX


@dataclass(frozen=True)
class ReferenceStats:
    baskets: int
    weight: float
    pairs: int
    neighbours: int


class ReferenceMiner:
    """The same state and rounds as mining.Miner, in plain Python. `params` is a
    MineParams (or any object with its fields; None = MineParams())."""

    def __init__(self, n_items: int, params: "MineParams | None" = None):
        if params is None:
            from pos.mining import MineParams
            params = MineParams()
        self.n_items = n_items
        self.params = params
        self.count = [0] * n_items
        self.weight = [0.0] * n_items
        self.lists: list[list[Entry]] = [[] for _ in range(n_items)]
        self.baskets = 0
        self.total = 0.0
        self.pairs = 0

    # ---- incremental path -------------------------------------------------

    def restore_totals(self, baskets: int, weight: float) -> None:
        if baskets < 0 or not (weight >= 0 and math.isfinite(weight)):
            raise ValueError("bad totals")
        self.baskets, self.total = baskets, weight

    def restore_item(self, item: int, count: int, weight: float, entries: list[Entry]) -> None:
        if not 0 <= item < self.n_items:
            raise ValueError("item out of range")
        if len(entries) > self.params.top_n or not (0 <= weight < WEIGHT_LIMIT):
            raise ValueError("bad item")
        entries = [(x, c, f32(w), f32(s)) for x, c, w, s in entries]
        seen = set()
        for i, (x, c, w, s) in enumerate(entries):
            if (not 0 <= x < self.n_items or x == item or x in seen or not 1 <= c <= count
                    or not 0 <= w < WEIGHT_LIMIT or not 0 < s <= FLT_MAX
                    or (i > 0 and not ranks_before(entries[i - 1], entries[i]))):
                raise ValueError("bad entry")
            seen.add(x)
        self.count[item], self.weight[item], self.lists[item] = count, weight, entries

    # ---- a round ------------------------------------------------------------

    def basket_weight(self, t: int | None, n: int) -> float:
        """w = r(t) * s(n)."""
        p = self.params
        r = 1.0
        if t is not None and p.half_life_days > 0:
            age = p.ref_time - t
            if not INT64_MIN <= age <= INT64_MAX:
                raise OverflowError("ref_time - t overflows int64")
            try:
                r = math.exp2(-float(age) / (p.half_life_days * 86400.0))
            except OverflowError:
                r = math.inf
        s = (p.size_cap - 1) / (n - 1) if n > p.size_cap else 1.0
        w = r * s
        if not math.isfinite(w):
            raise OverflowError("basket weight not finite")
        return w

    def add_baskets(self, offsets, items, times=None) -> None:
        """Stage + count every item + commit, in one go."""
        p = self.params
        n_baskets = len(offsets) - 1
        if offsets[0] < 0 or any(offsets[b + 1] < offsets[b] for b in range(n_baskets)):
            raise ValueError("bad offsets")
        baskets = [list(items[offsets[b]:offsets[b + 1]]) for b in range(n_baskets)]
        for basket in baskets:
            if any(not 0 <= x < self.n_items for x in basket) or \
                    any(x >= y for x, y in zip(basket, basket[1:])):
                raise ValueError("bad basket")
        if self.baskets + n_baskets > INT64_MAX:
            raise OverflowError("basket total")

        # Stage: basket weights; item counts and weights (stored value, then the
        # baskets in order); totals; base terms (_base_rate).
        weights = [self.basket_weight(None if times is None else times[b], len(basket))
                   for b, basket in enumerate(baskets)]
        total = self.total
        for w in weights:
            total += w
        count, weight = list(self.count), list(self.weight)
        for basket, w in zip(baskets, weights):
            for x in basket:
                count[x] += 1
                weight[x] += w
        if not math.isfinite(total) or any(c > UINT32_MAX for c in count) \
                or any(not w < WEIGHT_LIMIT for w in weight):
            raise OverflowError("counts")
        self.count, self.weight, self.total = count, weight, total
        self.baskets += n_baskets
        rank = list_rank(p)
        base = [_base_rate(p, w, total) for w in weight]
        holding: list[list[int]] = [[] for _ in range(self.n_items)]
        for b, basket in enumerate(baskets):
            if len(basket) >= 2:
                for x in basket:
                    holding[x].append(b)

        # Count: per item, the new pair counts (over its baskets in order, from
        # 0.0), plus the stored list's, scored with the final counts.
        self.pairs = 0
        for a in range(self.n_items):
            new_count: dict[int, int] = {}
            new_weight: dict[int, float] = {}
            for b in holding[a]:
                for x in baskets[b]:
                    if x != a:
                        new_count[x] = new_count.get(x, 0) + 1
                        new_weight[x] = new_weight.get(x, 0.0) + weights[b]
            self.pairs += sum(1 for x in new_count if x > a)
            for x, c, w, _ in self.lists[a]:
                new_count[x] = new_count.get(x, 0) + c
                new_weight[x] = new_weight.get(x, 0.0) + w
            den = weight[a] + p.shrinkage
            kept = []
            # (item, count, weight, conf) of the partners passing min_count
            cands = [(x, c, f32(new_weight[x])) for x, c in new_count.items()
                     if c >= p.min_count]
            cands = [(x, c, w, w / den if den > 0 else 0.0) for x, c, w in cands]
            if rank == "balanced":
                # each partner's confidence and lift relative to a's best on each
                lifts = [shrunk_lift(conf, base[x]) for x, _, _, conf in cands]
                max_conf = max((conf for *_, conf in cands), default=0.0)
                max_lift = max(lifts, default=0.0)
                for (x, c, w, conf), lift in zip(cands, lifts):
                    by_conf = conf / max_conf if max_conf > 0 else 0.0
                    by_lift = lift / max_lift if max_lift > 0 else 0.0
                    score = f32(max(by_conf, by_lift))
                    if score > 0:
                        kept.append((x, c, w, score))
            else:
                for x, c, w, conf in cands:
                    score = f32(conf - base[x] if rank == "added-value" else conf * base[x])
                    if score > 0:
                        kept.append((x, c, w, score))
            kept.sort(key=lambda e: (-e[3], e[0]))
            self.lists[a] = kept[:p.top_n]

    # ---- results ---------------------------------------------------------------

    def stats(self) -> ReferenceStats:
        return ReferenceStats(self.baskets, self.total, self.pairs,
                              sum(len(entries) for entries in self.lists))

    def item_counts(self) -> tuple[list[int], list[float]]:
        return list(self.count), list(self.weight)

    def neighbour_lists(self) -> list[list[Entry]]:
        return [list(entries) for entries in self.lists]
