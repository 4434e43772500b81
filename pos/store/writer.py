"""Writing a freshly built store file from a validated dump and the mined counts.

The file is a scratch file (see publish.py): it is written without a journal
and published only after it has been checked, so speed matters more here than
crash safety.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import sqlite_utils

from ..dump.catalog import Catalog
from ..dump.extras import Extras
from .schema import SCHEMA_VERSION, create_schema

FTS_TOKENIZER = "unicode61 remove_diacritics 2"


def _json(texts: dict[str, str]) -> str | None:
    return json.dumps(texts, ensure_ascii=False, sort_keys=True) if texts else None


@dataclass
class MinedData:
    """What the miner and the history produced, ready to store."""
    item_counts: Iterable[tuple[int, int, float]]            # (item, baskets, weight)
    neighbour_blobs: Iterable[tuple[int, int, bytes]]        # (item, n, blob)
    customer_items: Iterable[tuple[str, int, int, int]]      # (customer, item, baskets, last_time)
    meta: dict[str, object]


def open_build(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA cache_size=-200000")
    db = sqlite_utils.Database(conn)
    create_schema(db)
    return db


def write_dump(db: sqlite_utils.Database, catalog: Catalog, extras: Extras,
               tick: Callable[[int], None] = lambda n: None) -> None:
    """Products, barcodes, the search index and the optional files."""
    products = catalog.products

    def product_rows() -> Iterator[dict]:
        for p in products:
            tick(1)
            yield {"item": p.item, "sku": p.sku, "name": p.name, "price": p.price,
                   "cost": p.cost, "stock": p.stock, "active": int(p.active),
                   "age_restricted": int(p.age_restricted), "durable": int(p.durable),
                   "unit": p.unit, "category": p.category, "brand": p.brand,
                   "family": p.family, "tier": p.tier, "pitch": p.pitch,
                   "name_i18n": _json(p.names), "pitch_i18n": _json(p.pitches)}

    with db.atomic():
        db["products"].insert_all(product_rows(), batch_size=2000)
        db["barcodes"].insert_all(({"gtin": g, "item": p.item} for p in products for g in p.gtins),
                                  batch_size=5000)
        db["product_search"].insert_all(
            ({"item": p.item, "sku": p.sku,
              "names": " | ".join(dict.fromkeys([p.name, *p.names.values()]))}
             for p in products), batch_size=5000)
        db["customers"].insert_all(({"customer": c.customer, "card": c.card, "segment": c.segment}
                                    for c in extras.customers), batch_size=5000)
        db["upgrades"].insert_all(({"from_item": u.from_item, "to_item": u.to_item,
                                    "pitch": u.pitch, "pitch_i18n": _json(u.pitches)}
                                   for u in extras.upgrades))
        db["bundles"].insert_all(({"bundle": b.bundle, "name": b.name,
                                   "name_i18n": _json(b.names), "price": b.price,
                                   "saving": b.saving, "valid_from": b.valid_from,
                                   "valid_to": b.valid_to} for b in extras.bundles))
        db["bundle_items"].insert_all(({"bundle": b.bundle, "item": item, "quantity": qty}
                                       for b in extras.bundles for item, qty in b.members))
        db["rules"].insert_all(({"rule": r.rule, "trigger_item": r.trigger_item,
                                 "trigger_category": r.trigger_category, "item": r.item,
                                 "kind": r.kind, "priority": r.priority, "boost": r.boost,
                                 "valid_from": r.valid_from, "valid_to": r.valid_to,
                                 "pitch": r.pitch, "pitch_i18n": _json(r.pitches)}
                                for r in extras.rules))
    db["product_search"].enable_fts(["sku", "names"], tokenize=FTS_TOKENIZER)  # and fills it


def write_mined(db: sqlite_utils.Database, mined: MinedData,
                tick: Callable[[int], None] = lambda n: None) -> None:
    """Mined counts and lists. Plain executemany: these are the big tables
    (one row per item, per customer-item), where sqlite-utils' per-row dicts cost seconds."""
    conn = db.conn
    with db.atomic():
        conn.executemany("INSERT INTO item_stats(item, baskets, weight) VALUES (?, ?, ?)",
                         mined.item_counts)

        def blobs():
            for row in mined.neighbour_blobs:
                tick(1)
                yield row

        conn.executemany("INSERT INTO neighbours(item, n, entries) VALUES (?, ?, ?)", blobs())
        conn.executemany("INSERT INTO customer_items(customer, item, baskets, last_time) "
                         "VALUES (?, ?, ?, ?)", mined.customer_items)
        meta = {"schema_version": SCHEMA_VERSION, **mined.meta}
        db["meta"].insert_all(({"key": k, "value": v if isinstance(v, str) else json.dumps(v)}
                               for k, v in sorted(meta.items())))


def table_counts(conn: sqlite3.Connection, tables: Iterable[str]) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}
