"""The store's tables, created with sqlite-utils; SCHEMA_VERSION names this layout.

Money columns are integers in minor units; times are UTC epoch seconds;
translations are JSON objects {lang: text}. `categories` holds the names head
office gives category paths (categories.csv; a store written before it has no
such table, and readers take that as no names). Mined data: `item_stats` (per-item
basket counts), `neighbours` (one blob per item: its ranked neighbour list,
16 bytes an entry, the little-endian layout of the C core's pos_neighbour) and
`customer_history` (one blob per loyalty customer: pos_customer_item entries)
and `recent_baskets` (the latest baskets, oldest first, for the similar-baskets
term: chunks of up to RECENT_CHUNK baskets, `offsets` int64 from 0 and `items`
int32, little-endian; a store written before it has no such table: no recent
baskets). The nightly backtest's choice is the meta key `backtest` (JSON).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:       # a reader (the till) must not pay for sqlite_utils' imports (pandas)
    import sqlite_utils

SCHEMA_VERSION = 1

TABLES: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    # name: (columns, options for sqlite-utils create)
    "meta": ({"key": str, "value": str}, {"pk": "key"}),
    "products": ({
        "item": int, "sku": str, "name": str, "price": int, "cost": int, "stock": float,
        "active": int, "age_restricted": int, "durable": int, "unit": str,
        "category": str, "brand": str, "family": str, "tier": int, "pitch": str,
        "name_i18n": str, "pitch_i18n": str,
    }, {"pk": "item", "not_null": {"sku", "name", "price", "active", "age_restricted",
                                   "durable", "unit"}}),
    "barcodes": ({"gtin": str, "item": int}, {"pk": "gtin", "not_null": {"item"}}),
    "product_search": ({"item": int, "sku": str, "names": str}, {"pk": "item"}),
    "customers": ({"customer": str, "card": str, "segment": str}, {"pk": "customer"}),
    "customer_history": ({"customer": str, "visits": int, "n": int, "entries": bytes},
                         {"pk": "customer"}),
    "upgrades": ({"from_item": int, "to_item": int, "pitch": str, "pitch_i18n": str},
                 {"pk": ("from_item", "to_item")}),
    "bundles": ({"bundle": str, "name": str, "name_i18n": str, "price": int, "saving": int,
                 "valid_from": int, "valid_to": int}, {"pk": "bundle"}),
    "bundle_items": ({"bundle": str, "item": int, "quantity": int}, {"pk": ("bundle", "item")}),
    "rules": ({"rule": str, "trigger_item": int, "trigger_category": str, "item": int,
               "kind": str, "priority": int, "boost": float, "valid_from": int,
               "valid_to": int, "pitch": str, "pitch_i18n": str}, {"pk": "rule"}),
    "categories": ({"path": str, "name": str, "name_i18n": str}, {"pk": "path"}),
    "item_stats": ({"item": int, "baskets": int, "weight": float}, {"pk": "item"}),
    "neighbours": ({"item": int, "n": int, "entries": bytes}, {"pk": "item"}),
    "recent_baskets": ({"chunk": int, "baskets": int, "offsets": bytes, "items": bytes},
                       {"pk": "chunk"}),
}
RECENT_CHUNK = 65536

INDEXES = [
    ("products", ["sku"], True),
    ("products", ["family", "tier"], False),
    ("products", ["category"], False),
    ("barcodes", ["item"], False),
    ("customers", ["card"], True),
    ("bundle_items", ["item"], False),
    ("rules", ["trigger_item"], False),
]

# Tables whose row counts the load checks against what it read from the dump.
COUNTED = ("products", "barcodes", "customers", "upgrades", "bundles", "rules", "categories",
           "item_stats", "neighbours", "customer_history")


def create_tables(db: "sqlite_utils.Database") -> None:
    for name, (columns, options) in TABLES.items():
        db.table(name).create(columns, **options)


def create_indexes(db: "sqlite_utils.Database") -> None:
    """The secondary indexes: built once the rows are in (one sort each, not an
    index update per row)."""
    for table, columns, unique in INDEXES:
        db.table(table).create_index(columns, unique=unique)
