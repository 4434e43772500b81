"""`pos mine --engine native`: reading head office's basket-lines CSV and mining
it per store, per region or for the whole chain with the C miner.

The input's header names `basket_id`, `sku`, `timestamp`, `store_id` and, for
`per="region"`, `region` (other columns, `quantity` among them, are ignored).
Times are dump times (pos.dump.fields.parse_time), without an offset UTC. A
basket is (store_id, basket_id): two stores' baskets never merge. A bad row
refuses the input (DumpError `file:line: column: reason`): head office's own
export has no reason to hold one. The whole input is held in memory.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import timezone
from pathlib import Path
from typing import Iterator

from ..dump.csvfile import read_rows
from ..dump.fields import FieldError, parse_time
from ..errors import DumpError
from ..mining import MineParams
from .lists import SCOPES, MinedLists, mine_native

Line = tuple[str, str, int]


def scope_key(per: str, store: str, region: str) -> str:
    return {"store": store, "region": region, "chain": "chain"}[per]


def read_lines(path: Path, per: str) -> tuple[dict[str, list[Line]], int | None]:
    """(scope name -> its lines (basket key, sku, UTC seconds), the latest time or None)."""
    if per not in SCOPES:
        raise ValueError(f"per must be one of {', '.join(SCOPES)}, not {per!r}")
    header, rows = read_rows(Path(path))
    header.require("basket_id", "sku", "timestamp", "store_id", *(("region",) if per == "region"
                                                                    else ()))
    scopes: dict[str, list[Line]] = {}
    latest: int | None = None
    for row in rows:
        if row.fields is None:
            column, reason = row.problem or (None, "cannot be read")
            raise DumpError(f"{header.file}:{row.line}: {column or 'row'}: {reason}")
        fields = row.fields
        for column in ("basket_id", "sku", "timestamp", "store_id",
                       *(("region",) if per == "region" else ())):
            if not fields[column]:
                raise DumpError(f"{header.file}:{row.line}: {column}: empty, but required")
        try:
            when = parse_time(fields["timestamp"], timezone.utc)
        except FieldError as exc:
            raise DumpError(f"{header.file}:{row.line}: timestamp: {exc}") from None
        store = fields["store_id"]
        name = scope_key(per, store, fields.get("region", ""))
        scopes.setdefault(name, []).append((f"{store}\x1f{fields['basket_id']}", fields["sku"], when))
        latest = when if latest is None or when > latest else latest
    return scopes, latest


def check_name(name: str) -> str:
    """A scope's name, fit to be a folder's name."""
    if name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise DumpError(f"'{name}' cannot name a folder of the output (a store or region id "
                        "with a slash, or . or ..)")
    return name


def mine(input_path: Path, params: MineParams, per: str,
         ref_time: int | None = None, before: int | None = None) -> Iterator[MinedLists]:
    """One MinedLists per scope (sorted by name), mined by the C miner;
    ref_time None: the input's latest time. With `before` (a holdout), only the
    baskets before that time; a scope with none is left out."""
    scopes, latest = read_lines(input_path, per)
    yield from mine_lines(scopes, latest, params, per, ref_time, before)


def mine_lines(scopes: dict[str, list[Line]], latest: int | None, params: MineParams, per: str,
               ref_time: int | None = None, before: int | None = None) -> Iterator[MinedLists]:
    """`mine` on lines read already (read_lines): the part and its holdout from one read."""
    params = replace(params, ref_time=ref_time if ref_time is not None else (latest or 0))
    for name in sorted(scopes):
        mined = mine_native(scopes[name], params, per, check_name(name), before)
        if before is None or mined.baskets:
            yield mined
