"""Bundle candidates: pairs of items bought together more often than chance
(lift) in enough paid, non-training sales (support) that a manager could make a
deal of them.

  support(a, b)  paid sales holding both a and b
  lift(a, b)     support(a, b) * N / (sales(a) * sales(b)), N = paid sales counted
  confidence     support(a, b) / sales(a), and the other way round

Pairs are counted by the C miner of the nightly load (pos.mining.Miner) over the
sales' lines, one basket per sale; the miner keeps each item's TOP_N strongest
neighbours (its own association score, docs/mining.md), so a pair is found when
it is among the strongest of at least one of its items. Pairs already in one of
the store's deals are left out when the store is given. Over a long period only
the latest SAMPLE sales are counted (reading ten lines per sale is the slow part
of the report): support is then out of those, and the report says so.
"""
from __future__ import annotations

import sqlite3
from array import array
from dataclasses import dataclass
from typing import AbstractSet

from ..mining import MineParams, Miner

TOP_N = 100

SAMPLE = 100_000       # bundle candidates come from the latest SAMPLE sales of the period

LINES_SQL = """
SELECT (SELECT group_concat(l.sku, char(9)) FROM sale_lines l WHERE l.sale_id = s.sale_id)
FROM sales s
WHERE +s.status = 'paid' AND s.training = 0 AND s.ended_at >= ? AND s.ended_at < ?
ORDER BY s.ended_at DESC LIMIT ?
"""


@dataclass(frozen=True)
class Candidate:
    a: str
    b: str
    support: int
    sales_a: int
    sales_b: int
    lift: float
    confidence_ab: float
    confidence_ba: float


def baskets(conn: sqlite3.Connection, start: float, end: float, sample: int = SAMPLE
            ) -> tuple[list[str], array[int], array[int]]:
    """(skus, offsets, items): the distinct items, sorted, of the latest `sample`
    counted sales (0: all), as CSR over dense indices into skus."""
    index: dict[str, int] = {}
    skus: list[str] = []
    offsets, items = array("q", [0]), array("i")
    for (joined,) in conn.execute(LINES_SQL, (start, end, sample or -1)):
        ids = set()
        if joined is None:          # a paid sale with no lines
            offsets.append(len(items))
            continue
        for sku in joined.split("\t"):
            i = index.get(sku)
            if i is None:
                i = index[sku] = len(skus)
                skus.append(sku)
            ids.add(i)
        items.extend(sorted(ids))
        offsets.append(len(items))
    return skus, offsets, items


def candidates(conn: sqlite3.Connection, start: float = float("-inf"), end: float = float("inf"),
               min_support: int = 20, min_lift: float = 1.5, limit: int = 20,
               in_deals: AbstractSet[frozenset[str]] = frozenset(), sample: int = SAMPLE
               ) -> list[Candidate]:
    """The pairs with support >= min_support and lift >= min_lift, not already in a
    deal, highest lift first (then support), at most `limit`; counted over the
    latest `sample` sales of the period (0: all of them)."""
    skus, offsets, items = baskets(conn, start, end, sample)
    n = len(offsets) - 1
    if n == 0 or len(skus) < 2:
        return []
    params = MineParams(top_n=TOP_N, size_cap=2**31 - 1, min_count=max(1, min_support),
                        shrinkage=0.0)
    with Miner(len(skus), params) as miner:
        miner.add_baskets(offsets, items)
        counts, _weights = miner.item_counts()
        lists = miner.neighbour_lists()
        found: dict[tuple[int, int], int] = {}
        for a in range(len(skus)):
            for b, together, _w, _s in lists.of(a):
                found[(min(a, b), max(a, b))] = together
    out = []
    for (a, b), together in found.items():
        if together < min_support:
            continue
        lift = together * n / (counts[a] * counts[b])
        if lift < min_lift or frozenset((skus[a], skus[b])) in in_deals:
            continue
        first, second = sorted((a, b), key=lambda i: skus[i])
        out.append(Candidate(skus[first], skus[second], together, counts[first], counts[second],
                             lift, together / counts[first], together / counts[second]))
    out.sort(key=lambda c: (-c.lift, -c.support, c.a, c.b))
    return out[:limit]
