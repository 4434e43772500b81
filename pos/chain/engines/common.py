"""What the engines share: the scopes, which input format a path is, and the
assembly of their sorted result rows into one MinedLists per scope."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ...mining import MineParams
from ..lists import MinedLists

PER = ("store", "region", "chain")
"""`per` values: one MinedLists per store, per region, or one for the whole chain."""

COLUMNS = ("basket_id", "sku", "timestamp", "store_id")
"""The input columns every engine reads (plus `region` for per="region"); others are ignored.
A basket is (store_id, basket_id): its distinct skus at its earliest line's time."""


def check_per(per: str) -> str:
    """per, or ValueError when it is not one of PER."""
    if per not in PER:
        raise ValueError(f"per must be one of {', '.join(PER)}, not {per!r}")
    return per


def input_format(path: Path) -> str:
    """"parquet" for a directory or a *.parquet file, else "csv" (a CSV file with a header)."""
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        return "parquet"
    if not path.is_file():
        raise FileNotFoundError(f"no input at {path}")
    return "csv"


def assemble(per: str, params: MineParams,
             totals: Iterable[tuple[str, int, float]],
             items: Iterable[tuple[str, str, int, float]],
             lists: Iterable[tuple[str, str, str, int, float, float]]) -> Iterator[MinedLists]:
    """One MinedLists per scope from three result streams, each sorted by scope name:
    totals (name, N, W); items (name, sku, count, weight); list entries (name, sku,
    partner, count, weight, score) in rank order within each sku."""
    item_rows, list_rows = iter(items), iter(lists)
    item_next = next(item_rows, None)
    list_next = next(list_rows, None)
    for name, baskets, weight in totals:
        mined = MinedLists(per, name, params, int(baskets), float(weight), {}, {})
        while item_next is not None and item_next[0] == name:
            mined.items[item_next[1]] = (int(item_next[2]), float(item_next[3]))
            item_next = next(item_rows, None)
        while list_next is not None and list_next[0] == name:
            _, sku, partner, count, pair_weight, score = list_next
            mined.neighbours.setdefault(sku, []).append(
                (partner, int(count), float(pair_weight), float(score)))
            list_next = next(list_rows, None)
        yield mined
    if item_next is not None or list_next is not None:
        raise RuntimeError("an engine returned items or lists of a scope it has no totals for")
