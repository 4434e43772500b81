"""Writing a freshly built store file from a validated dump and the mined counts.

The file is a scratch file (see publish.py): it is written without a journal
and published only after it has been checked, so speed matters more here than
crash safety.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from ..dump.catalog import Catalog
from ..dump.extras import Extras
from .schema import RECENT_CHUNK, SCHEMA_VERSION, create_indexes, create_tables

FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def _json(texts: dict[str, str]) -> str | None:
    return json.dumps(texts, ensure_ascii=False, sort_keys=True) if texts else None


@dataclass
class MinedData:
    """What the miner and the history produced, ready to store."""
    item_counts: Iterable[tuple[int, int, float]]            # (item, baskets, weight)
    neighbour_blobs: Iterable[tuple[int, int, bytes | memoryview]]        # (item, n, blob)
    customer_blobs: Iterable[tuple[str, int, int, bytes | memoryview]]    # (customer, visits, n, blob)
    meta: dict[str, object]
    recent: Iterable[tuple[int, int, bytes, bytes]] = ()     # (chunk, baskets, offsets, items)


def open_build(path: Path) -> sqlite_utils.Database:
    # one thread at a time, but not always the one that opened it (pos.load
    # writes the catalog on a background thread, then the lists on its own)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-200000")
    db = sqlite_utils.Database(conn)
    create_tables(db)
    return db


def _insert(db: sqlite_utils.Database, table: str, columns: tuple[str, ...],
            rows: Iterable[Sequence[Any]]) -> None:
    """Bulk insert of tuples. For the tables with one row per product or more, where
    sqlite-utils' per-row dicts cost seconds at 100,000 products."""
    marks = ", ".join("?" * len(columns))
    db.conn.executemany(f"INSERT INTO [{table}] ({', '.join(columns)}) VALUES ({marks})", rows)


def write_dump(db: sqlite_utils.Database, catalog: Catalog, extras: Extras,
               tick: Callable[[int], None] = lambda n: None) -> None:
    """Products, barcodes, the search index and the optional files (then the
    secondary indexes)."""
    products = catalog.products

    def product_rows() -> Iterator[tuple[object, ...]]:
        for p in products:
            tick(1)
            yield (p.item, p.sku, p.name, p.price, p.cost, p.stock, int(p.active),
                   int(p.age_restricted), int(p.durable), p.unit, p.category, p.brand,
                   p.family, p.tier, p.pitch, _json(p.names), _json(p.pitches))

    with db.atomic():
        _insert(db, "products", ("item", "sku", "name", "price", "cost", "stock", "active",
                                 "age_restricted", "durable", "unit", "category", "brand",
                                 "family", "tier", "pitch", "name_i18n", "pitch_i18n"),
                product_rows())
        _insert(db, "barcodes", ("gtin", "item"), ((g, p.item) for p in products for g in p.gtins))
        _insert(db, "product_search", ("item", "sku", "names"),
                ((p.item, p.sku, " | ".join(dict.fromkeys([p.name, *p.names.values()])))
                 for p in products))
        db.table("customers").insert_all(({"customer": c.customer, "card": c.card, "segment": c.segment}
                                          for c in extras.customers), batch_size=5000)
        db.table("upgrades").insert_all(({"from_item": u.from_item, "to_item": u.to_item,
                                          "pitch": u.pitch, "pitch_i18n": _json(u.pitches)}
                                         for u in extras.upgrades))
        db.table("bundles").insert_all(({"bundle": b.bundle, "name": b.name,
                                         "name_i18n": _json(b.names), "price": b.price,
                                         "saving": b.saving, "valid_from": b.valid_from,
                                         "valid_to": b.valid_to} for b in extras.bundles))
        db.table("bundle_items").insert_all(({"bundle": b.bundle, "item": item, "quantity": qty}
                                             for b in extras.bundles for item, qty in b.members))
        db.table("rules").insert_all(({"rule": r.rule, "trigger_item": r.trigger_item,
                                       "trigger_category": r.trigger_category, "item": r.item,
                                       "kind": r.kind, "priority": r.priority, "boost": r.boost,
                                       "valid_from": r.valid_from, "valid_to": r.valid_to,
                                       "pitch": r.pitch, "pitch_i18n": _json(r.pitches)}
                                      for r in extras.rules))
        db.table("categories").insert_all(({"path": c.path, "name": c.name,
                                            "name_i18n": _json(c.names)} for c in extras.categories))
        create_indexes(db)
    db.table("product_search").enable_fts(["sku", "names"], tokenize=FTS_TOKENIZER)  # and fills it


def write_mined(db: sqlite_utils.Database, mined: MinedData,
                tick: Callable[[int], None] = lambda n: None) -> None:
    """Mined counts, neighbour lists, customer histories and the store's meta."""

    def blobs() -> Iterator[tuple[int, int, bytes | memoryview]]:
        for row in mined.neighbour_blobs:
            tick(1)
            yield row

    with db.atomic():
        _insert(db, "item_stats", ("item", "baskets", "weight"), mined.item_counts)
        _insert(db, "neighbours", ("item", "n", "entries"), blobs())
        _insert(db, "customer_history", ("customer", "visits", "n", "entries"), mined.customer_blobs)
        _insert(db, "recent_baskets", ("chunk", "baskets", "offsets", "items"), mined.recent)
        meta = {"schema_version": SCHEMA_VERSION, **mined.meta}
        db.table("meta").insert_all(({"key": k, "value": v if isinstance(v, str) else json.dumps(v)}
                                     for k, v in sorted(meta.items())))


def recent_chunks(offsets: Sequence[int], items: array[int], chunk: int = RECENT_CHUNK
                  ) -> Iterator[tuple[int, int, bytes, bytes]]:
    """A CSR of baskets (offsets from 0, items an int32 array) as recent_baskets rows."""
    n = len(offsets) - 1
    for c, first in enumerate(range(0, n, chunk)):
        last = min(n, first + chunk)
        base = offsets[first]
        offs = array("q", (o - base for o in offsets[first:last + 1]))
        its = items[base:offsets[last]]
        if sys.byteorder != "little":
            offs.byteswap()
            its.byteswap()
        yield c, last - first, offs.tobytes(), its.tobytes()
