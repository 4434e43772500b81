"""The mined counts and neighbour lists of one scope, keyed by sku, and the
native engine that makes them with the C miner exactly as `pos load` mines.

`mine_native` takes basket lines (basket_id, sku, UTC seconds): a sku repeated
in a basket counts once, a basket's time is its earliest line's, baskets are
counted in order of first appearance (as the C parser numbers them). The skus
seen get dense item indexes in sorted order, so two partners of equal score
rank by sku (the C miner breaks ties by item index). With `before`, only the
baskets whose time is before it are mined (a holdout part, docs/chain.md).
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Iterable

from ..mining import MineParams, Miner

SCOPES = ("store", "region", "chain")
DAY = 86400


@dataclass(frozen=True)
class Holdout:
    """A part's holdout (docs/dump-format.md, "The holdout"): the same input mined
    again from the baskets before `cutoff` (UTC seconds) = ref_time - `days` days,
    with ref_time = cutoff, written to mined/holdout/."""
    days: float
    cutoff: int


def holdout_cutoff(ref_time: int, days: float) -> int:
    """ref_time - days days, in whole seconds."""
    return int(ref_time - round(days * DAY))


@dataclass
class MinedLists:
    """Mined counts and neighbour lists of one scope (a store, a region, the chain), keyed by sku."""
    scope: str                 # "store" | "region" | "chain"
    name: str                  # the store id, region id, or "chain"
    params: MineParams         # the mining parameters, ref_time included
    baskets: int               # N: baskets counted
    weight: float              # W: their total weight
    items: dict[str, tuple[int, float]]                      # sku -> (baskets with it, their weight)
    neighbours: dict[str, list[tuple[str, int, float, float]]]
    # sku -> ranked list (partner sku, pair count, pair weight, score), best first,
    # as the C miner ranks
    holdout: Holdout | None = None
    # a full part: its holdout, when it has one; a holdout part: the holdout it is
    # (its baskets are all before holdout.cutoff, its params.ref_time is the cutoff)
    held_out: bool = False     # True for a holdout part (mined/holdout/)


def baskets_csr(baskets: Iterable[tuple[str, str, int]], before: int | None = None
                ) -> tuple[list[str], array[int], array[int], array[int]]:
    """(skus sorted, offsets 'q', items 'i', times 'q'): the lines as CSR baskets
    over dense indexes of the sorted skus; each basket's items sorted, no repeats.
    With `before`: only the baskets whose time (their earliest line's) is before it."""
    members: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for basket, sku, time in baskets:
        if basket in members:
            members[basket].add(sku)
            if time < first[basket]:
                first[basket] = time
        else:
            members[basket] = {sku}
            first[basket] = time
    if before is not None:
        members = {b: its for b, its in members.items() if first[b] < before}
    skus = sorted({sku for basket in members.values() for sku in basket})
    index = {sku: i for i, sku in enumerate(skus)}
    offsets, items, times = array("q", [0]), array("i"), array("q")
    for basket, its in members.items():
        items.extend(sorted(index[sku] for sku in its))
        offsets.append(len(items))
        times.append(first[basket])
    return skus, offsets, items, times


def mine_native(baskets: Iterable[tuple[str, str, int]], params: MineParams,
                scope: str, name: str, before: int | None = None) -> MinedLists:
    """The baskets' lines (basket_id, sku, UTC seconds) mined by the C miner;
    with `before`, only the baskets before that time."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    skus, offsets, items, times = baskets_csr(baskets, before)
    with Miner(len(skus), params) as miner:
        if len(offsets) > 1:
            miner.add_baskets(offsets, items, times)
        stats = miner.stats()
        counts, weights = miner.item_counts()
        lists = miner.neighbour_lists()
    return MinedLists(
        scope=scope, name=name, params=params, baskets=stats.baskets, weight=stats.weight,
        items={sku: (counts[i], weights[i]) for i, sku in enumerate(skus)},
        neighbours={skus[i]: [(skus[b], c, w, s) for b, c, w, s in lists.of(i)]
                    for i in range(len(skus)) if lists.count(i)})
