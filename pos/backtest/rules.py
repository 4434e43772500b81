"""The simple rules the backtest compares the engine's variants with, as scorers
over the train baskets only, in plain Python (no numpy).

A scorer is ``Callable[[Query], list[int]]``: up to ``k`` items, best first,
never an item the query knows. The rules are ``pos eval``'s baselines
(pos/evaluation/baselines.py) computed from what a load mines instead of from
the baskets: ``count(a)`` = train baskets holding a (``counts``), ``co(a, c)`` =
the raw count of c in a's mined list (``neighbours(a)``), so a pair the lists
dropped (``top_n``, ``min_count``, a score <= 0) counts 0:

``popularity``      the items in the most train baskets.
``cooc-sum``        score(c) = sum over known a of co(a, c).
``max-confidence``  score(c) = max over known a of co(a, c) / count(a).
``personal``        the customer's own items in their train baskets, most
                    baskets first (ties: the more recently bought first, then
                    item index), then max-confidence.

Ties, and the places a score cannot fill (score 0), go to popularity (count
descending), then item index, as in baselines.py: with complete lists the
rules give the baselines' lists exactly.
"""
from __future__ import annotations

import heapq
from typing import Callable, Iterable, Sequence

from .queries import Query

__all__ = ["Entry", "Neighbours", "Scorer", "TrainCounts", "bought", "cooc_sum", "customer_baskets",
           "favourites", "max_confidence", "personal", "popularity", "simple_rules"]

Scorer = Callable[[Query], list[int]]
Entry = tuple[int, int, float, float]           # (item, raw count, weight, score)
Neighbours = Callable[[int], Sequence[Entry]]


class TrainCounts:
    """The train part as the rules read it: per-item basket counts and mined
    lists, with the popularity order and per-item caches."""

    def __init__(self, counts: Sequence[int], neighbours: Neighbours):
        self.counts = counts
        self.n_items = len(counts)
        self._neighbours = neighbours
        # popularity: count descending, ties by item index (a stable reversed sort)
        self.popular: list[int] = sorted(range(self.n_items), key=counts.__getitem__,
                                         reverse=True)
        self.rank: list[int] = [0] * self.n_items      # position in `popular`
        for r, c in enumerate(self.popular):
            self.rank[c] = r
        self._lists: dict[int, Sequence[Entry]] = {}
        self._conf: dict[int, list[tuple[float, int, int]]] = {}

    def entries(self, a: int) -> Sequence[Entry]:
        """a's mined list (cached): (c, co(a, c), weight, score) entries; a mined
        list never holds a itself, nor a count of 0."""
        got = self._lists.get(a)
        if got is None:
            got = self._lists[a] = self._neighbours(a)
        return got

    def by_confidence(self, a: int) -> list[tuple[float, int, int]]:
        """a's partners as (-confidence, rank, c), best first (the rules' order)."""
        got = self._conf.get(a)
        if got is None:
            n = self.counts[a]
            rank = self.rank
            got = sorted([(-(e[1] / n), rank[e[0]], e[0]) for e in self.entries(a)
                          if e[1] > 0]) if n else []
            self._conf[a] = got
        return got

    def fill(self, chosen: list[int], exclude: Iterable[int], k: int) -> list[int]:
        """``chosen`` then the most popular items not in it nor in ``exclude``, up to k."""
        if len(chosen) >= k:
            return chosen[:k]
        taken = set(exclude)
        taken.update(chosen)
        for c in self.popular:
            if c not in taken:
                chosen.append(c)
                if len(chosen) == k:
                    break
        return chosen


def popularity(data: TrainCounts, k: int = 3) -> Scorer:
    def scorer(q: Query) -> list[int]:
        return data.fill([], q.known, k)
    return scorer


def max_confidence(data: TrainCounts, k: int = 3) -> Scorer:
    """The first k distinct items of the known items' lists merged by confidence
    (an item's first place in the merge is its max over the known items)."""
    def scorer(q: Query) -> list[int]:
        seen = set(q.known)
        chosen: list[int] = []
        if k > 0:
            for _, _, c in heapq.merge(*[data.by_confidence(a) for a in seen]):
                if c not in seen:
                    seen.add(c)
                    chosen.append(c)
                    if len(chosen) == k:
                        return chosen
        return data.fill(chosen, seen, k)
    return scorer


class _CoocSum:
    """cooc-sum, with the work of a basket's queries shared.

    It keeps the sums over U, the union of the known items of the current test
    basket's queries so far, ordered. A query knowing K (a subset of U) walks
    that order, subtracting from each item it meets what the items of U - K
    (one, the hidden item, from the basket's second query on) add to it; the
    walk stops when its k best are at least the next item's sum over U (sums
    over K are at most those over U). The same lists as summing over K afresh,
    without looking at the hidden item; correct for any U that holds K, so for
    queries in any order (a new basket, or a K far from U, starts U again).

    Sums are kept scaled, sum * n_items, in a list over the items; an item's
    key is its scaled sum - its rank (its place in the popularity order), so
    that plain integer order is the rules' order (score descending, then
    popularity, then item index), and key > 0 exactly when the score is.
    """

    RESET = 4   # start U again from K when they differ by more items than this

    def __init__(self, data: TrainCounts, k: int):
        self.data, self.k = data, k
        self.n = max(data.n_items, 1)
        self.basket: int | None = None
        self.union: set[int] = set()
        self.acc: list[int] = [-r for r in data.rank]   # every item's key over U
        self.touched: set[int] = set()                  # the items with a sum > 0
        self.keys: list[int] = []                       # their keys, descending
        self._scaled: dict[int, dict[int, int]] = {}

    def scaled(self, a: int) -> dict[int, int]:
        """c -> co(a, c) * n over a's partners."""
        got = self._scaled.get(a)
        if got is None:
            n = self.n
            got = self._scaled[a] = {e[0]: e[1] * n for e in self.data.entries(a)}
        return got

    def _grow(self, basket: int, known: set[int]) -> None:
        """U = U | known (a new U = known for a new basket, or when they differ much)."""
        acc, touched, rank = self.acc, self.touched, self.data.rank
        if basket != self.basket or len(self.union ^ known) > self.RESET:
            for c in touched:
                acc[c] = -rank[c]
            touched.clear()
            self.basket, self.union = basket, set()
        for a in known - self.union:
            w = self.scaled(a)
            touched.update(w)
            for c, x in w.items():
                acc[c] += x
            self.union.add(a)
        self.keys = sorted(map(acc.__getitem__, touched), reverse=True)

    def __call__(self, q: Query) -> list[int]:
        known = set(q.known)
        k, n, popular = self.k, self.n, self.data.popular
        if q.basket != self.basket or not known <= self.union:
            self._grow(q.basket, known)
        minus = [self.scaled(r) for r in self.union - known]
        best: list[int] = []            # the best k keys over K so far, descending
        if k > 0:
            for key in self.keys:
                if len(best) == k and best[-1] >= key:
                    break               # every later key over K is at most `key`
                if key <= 0:
                    break               # no co-occurrence: popularity's places
                c = popular[-key % n]
                if c in known:
                    continue
                for w in minus:
                    key -= w.get(c, 0)
                if key > 0 and (len(best) < k or key > best[-1]):
                    best.append(key)
                    best.sort(reverse=True)
                    del best[k:]
        return self.data.fill([popular[-key % n] for key in best], known, k)


def cooc_sum(data: TrainCounts, k: int = 3) -> Scorer:
    return _CoocSum(data, k)


def customer_baskets(customers: Sequence[int], n_baskets: int,
                     wanted: Iterable[int] | None) -> dict[int, list[int]]:
    """customer -> their basket ids, for the ``wanted`` customers only (None:
    every customer), in one pass over ``customers`` (-1 = no customer)."""
    if wanted is None:
        out: dict[int, list[int]] = {}
        for b, c in enumerate(customers[0:n_baskets]):
            if c >= 0:
                out.setdefault(c, []).append(b)
        return out
    wanted = {c for c in wanted if c >= 0}
    out = {c: [] for c in wanted}
    if wanted:
        for b, c in enumerate(customers[0:n_baskets]):
            if c in wanted:
                out[c].append(b)
    return out


def _by_baskets(mine: dict[int, list[int]]) -> list[int]:
    """The items of `bought`'s answer, most baskets first, then the latest, then by id."""
    return sorted(mine, key=lambda i: (-mine[i][0], -mine[i][1], i))


def bought(baskets: Iterable[int], offsets: Sequence[int], items: Sequence[int],
           times: Sequence[int], cut: tuple[int, int] | None = None
           ) -> tuple[dict[int, list[int]], int]:
    """({item: [train baskets holding it, the latest time]}, train baskets) of one
    customer's ``baskets``; a train basket b has (times[b], b) < ``cut`` (None:
    every basket)."""
    mine: dict[int, list[int]] = {}
    n = 0
    for b in baskets:
        t = times[b]
        if cut is not None and (t, b) >= cut:
            continue
        n += 1
        for i in set(items[offsets[b]:offsets[b + 1]]):
            e = mine.get(i)
            if e is None:
                mine[i] = [1, t]
            else:
                e[0] += 1
                if t > e[1]:
                    e[1] = t
    return mine, n


def favourites(baskets_of: dict[int, list[int]], offsets: Sequence[int],
               items: Sequence[int], times: Sequence[int],
               cut: tuple[int, int] | None = None) -> dict[int, list[int]]:
    """customer -> the items of their train baskets, most baskets first (ties:
    the more recently bought first, then item index).

    The train baskets are those before ``cut`` in the time order: basket b is
    one when (times[b], b) < cut, which is its position in ``time_order`` being
    below the slice's ``train_end`` for cut = (times[o], o), o = the order's
    basket at ``train_end`` (``None``: every basket)."""
    out: dict[int, list[int]] = {}
    for cust, baskets in baskets_of.items():
        mine, _ = bought(baskets, offsets, items, times, cut)
        if mine:
            out[cust] = _by_baskets(mine)
    return out


def personal(favourite: dict[int, list[int]], fallback: Scorer, k: int = 3) -> Scorer:
    """The customer's favourites not known, then ``fallback``'s list (max-confidence:
    a total order of the items, so dropping the favourites from its top k and
    keeping the rest gives its top k - j over the other items)."""
    def scorer(q: Query) -> list[int]:
        mine = favourite.get(q.customer) if q.customer >= 0 else None
        chosen: list[int] = []
        if mine:
            known = set(q.known)
            for i in mine:
                if i not in known:
                    chosen.append(i)
                    if len(chosen) == k:
                        return chosen
        if not chosen:
            return fallback(q)
        taken = set(chosen)
        return chosen + [c for c in fallback(q) if c not in taken][:k - len(chosen)]
    return scorer


def simple_rules(counts: Sequence[int], neighbours: Neighbours,
                 k: int = 3) -> dict[str, Scorer]:
    """popularity, cooc-sum and max-confidence over one train part (personal is
    added by ``run_backtest`` where the data has customers)."""
    data = TrainCounts(counts, neighbours)
    return {"popularity": popularity(data, k), "cooc-sum": cooc_sum(data, k),
            "max-confidence": max_confidence(data, k)}
