"""The backtest's queries: each test basket's distinct items hidden in turn.

The every-item protocol of ``pos eval`` (docs/evaluation.md, "Queries"): for
each test basket with at least 2 distinct items, each of its items is hidden
in turn (at most ``MAX_HIDDEN``: a seeded sample, kept in line order, when it
has more); a query is the other items (known, in line order), the hidden item,
the basket's customer index (-1: none) and its time. Items are dense item
indexes, as in the basket parser's arrays.
"""
from __future__ import annotations

import random
from typing import Any, NamedTuple, Protocol, Sequence

__all__ = ["MAX_HIDDEN", "BasketArrays", "Query", "make_queries"]

MAX_HIDDEN = 10     # at most this many items hidden per basket (pos eval's MAX_HIDDEN)


class BasketArrays(Protocol):
    """The baskets a backtest reads: the basket parser's ``Baskets`` (cffi arrays), or
    any object with these (arrays or lists). Basket b's distinct items are
    items[offsets[b]:offsets[b + 1]]."""

    @property
    def n_baskets(self) -> int: ...
    @property
    def offsets(self) -> Any: ...     # int64 per basket, and one more
    @property
    def items(self) -> Any: ...       # int32 dense item indexes
    @property
    def times(self) -> Any: ...       # int64 per basket, UTC seconds
    @property
    def customers(self) -> Any: ...   # int32 per basket, -1 = none; None without customer data


class Query(NamedTuple):
    basket: int                 # the test basket's id (index into the arrays)
    known: tuple[int, ...]      # the basket's other distinct items, in line order
    hidden: int                 # the item to find
    customer: int               # dense customer index, -1 when none
    time: int                   # the basket's time (UTC seconds)


def make_queries(test: Sequence[int], offsets: Sequence[int], items: Sequence[int],
                 times: Sequence[int], customers: Sequence[int] | None = None,
                 seed: int = 1, max_hidden: int = MAX_HIDDEN) -> list[Query]:
    """The queries of the ``test`` baskets, basket by basket in the given order.

    A basket's queries are consecutive. ``random.Random(seed)`` draws the hidden
    items of the baskets with more than ``max_hidden`` distinct items; baskets
    with fewer than 2 distinct items give no query. ``customers=None``: no
    customer data (every query's customer is -1).
    """
    rng = random.Random(seed)
    out: list[Query] = []
    for b in test:
        distinct = list(dict.fromkeys(items[offsets[b]:offsets[b + 1]]))
        n = len(distinct)
        if n < 2:
            continue
        hide = sorted(rng.sample(range(n), max_hidden)) if n > max_hidden else range(n)
        customer = -1 if customers is None else int(customers[b])
        when = int(times[b])
        for h in hide:
            out.append(Query(b, tuple(distinct[:h] + distinct[h + 1:]), distinct[h],
                             customer, when))
    return out
