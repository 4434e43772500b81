"""A dump's precomputed lists in the load's miner: used as the store's lists,
or blended as a prior under the store's own baskets (docs/mining.md,
"Precomputed lists from head office").

`mode` settles use / blend / ignore; `blend_params` checks that a prior was
mined as the load mines; `restore_lists` puts the lists into a Miner with the
catalog's dense item indexes, scaled by s for a blend (counts rounded half up,
weights multiplied; a pair whose count rounds to 0 is dropped).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import DumpError
from ..mining import MineParams, Miner
from ..native import ffi
from .lists import MinedLists
from .part_reader import NativePart

MODES = ("use", "blend", "ignore")
COMPARED = (("top_n", "--top-n"), ("size_cap", "--size-cap"), ("min_count", "--min-count"),
            ("half_life_days", "--half-life"), ("shrinkage", "--shrinkage"),
            ("list_rank", "--list-rank"), ("rank_damping", "--rank-damping"))


@dataclass(frozen=True)
class Blend:
    """What the load did with a part (the store's meta keeps it)."""

    source: str         # "use" | "blend"
    scope: str
    name: str
    scale: float        # s: the prior's counts and weights were multiplied by it (1 for "use")


def mode(part: MinedLists | NativePart, requested: str | None) -> str:
    """The mode asked for, or the default: use for a store's own part, blend otherwise."""
    if requested is None:
        return "use" if part.scope == "store" else "blend"
    if requested not in MODES:
        raise ValueError(f"mined must be one of {', '.join(MODES)}, not {requested!r}")
    return requested


def blend_params(prior: MineParams, own: MineParams) -> None:
    """DumpError naming the first parameter the prior was mined with that the load's differs in."""
    for name, option in COMPARED:
        theirs, ours = getattr(prior, name), getattr(own, name)
        if theirs != ours:
            raise DumpError(f"mined/manifest.json: params: {name}: the lists were mined with "
                            f"{theirs!r}, this load mines with {ours!r}; blending needs the "
                            f"same value (load with {option} {theirs}, or --mined ignore)")


def scale(own_baskets: int, prior_baskets: int, prior_weight: float) -> float:
    """s = prior_weight x own baskets / prior's baskets (0 when the prior counted none)."""
    if not math.isfinite(prior_weight) or prior_weight < 0:
        raise ValueError(f"prior weight must be a finite number >= 0, not {prior_weight!r}")
    return prior_weight * own_baskets / prior_baskets if prior_baskets else 0.0


def restore_lists(miner: Miner, part: MinedLists | NativePart, items: dict[str, int],
                  s: float = 1.0) -> None:
    """The part's totals, item counts and lists into `miner` (skus -> the catalog's
    dense `items`), each count x s rounded half up, each weight x s; a list's
    entries re-ranked as the C miner ranks (score as float32, then item index).
    One C call (pos_miner_restore_lists); a NativePart's lists straight from
    its C reader, a MinedLists' first put in C arrays."""
    n = miner.n_items
    counts = ffi.new("int64_t[]", [-1] * n if n else 1)
    weights = ffi.new("double[]", max(n, 1))
    for sku, (count, weight) in part.items.items():
        counts[items[sku]], weights[items[sku]] = count, weight
    if isinstance(part, NativePart):
        if part.reader is None:
            raise ValueError("the part's lists were freed (NativePart.close)")
        miner.restore_reader(part.reader, part.baskets, part.weight, s, counts, weights)
        return
    first = ffi.new("int64_t[]", max(n, 1))
    lengths = ffi.new("int32_t[]", max(n, 1))
    entries = ffi.new("pos_part_entry[]", max(1, sum(map(len, part.neighbours.values()))))
    at = 0
    for sku, entries_ in part.neighbours.items():
        first[items[sku]], lengths[items[sku]] = at, len(entries_)
        for partner, count, weight, score in entries_:
            e = entries[at]
            e.item, e.count, e.weight, e.score = items[partner], count, weight, score
            at += 1
    miner.restore_lists(part.baskets, part.weight, s, counts, weights, first, lengths, entries)
