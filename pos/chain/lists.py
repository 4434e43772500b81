"""MinedLists: the counts and ranked neighbour lists of one scope, keyed by sku,
as every mining engine returns them; `mine_native` fills one with the C miner."""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Iterable

from ..mining import MineParams, Miner


@dataclass
class MinedLists:
    """Mined counts and neighbour lists of one scope (a store, a region, the chain), keyed by sku."""
    scope: str                 # "store" | "region" | "chain"
    name: str                  # the store id, region id, or "chain"
    params: MineParams         # the mining parameters, ref_time included
    baskets: int               # N: baskets counted
    weight: float              # W: their total weight
    items: dict[str, tuple[int, float]]                      # sku -> (baskets with it, their weight)
    neighbours: dict[str, list[tuple[str, int, float, float]]]  # sku -> ranked list (partner sku, pair count, pair weight, score), best first  # noqa: E501


def mine_native(baskets: Iterable[tuple[str, str, int]], params: MineParams, scope: str,
                name: str) -> MinedLists:
    """The C miner over (basket_id, sku, UTC seconds) rows: a basket is its distinct
    skus at its earliest line's time, the dense item indexes are the skus sorted
    ascending (so ties rank by sku), baskets in order of first appearance. Items
    without a kept partner have no `neighbours` entry."""
    lines: dict[str, tuple[set[str], int]] = {}
    for basket_id, sku, t in baskets:
        skus, first = lines.get(basket_id, (set(), t))
        skus.add(sku)
        lines[basket_id] = (skus, min(first, t))
    names = sorted({sku for skus, _ in lines.values() for sku in skus})
    index = {sku: i for i, sku in enumerate(names)}
    offsets, items, times = [0], [], []
    for skus, t in lines.values():
        items.extend(sorted(index[sku] for sku in skus))
        offsets.append(len(items))
        times.append(t)
    with Miner(len(names), params) as miner:
        stats = miner.add_baskets(array("q", offsets), array("i", items), array("q", times))
        counts, weights = miner.item_counts()
        lists = miner.neighbour_lists()
        neighbours = {names[a]: [(names[b], c, w, s) for b, c, w, s in lists.of(a)]
                      for a in range(len(names)) if lists.count(a)}
    return MinedLists(scope, name, params, stats.baskets, stats.weight,
                      {sku: (counts[i], weights[i]) for i, sku in enumerate(names)}, neighbours)
