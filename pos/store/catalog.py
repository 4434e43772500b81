"""Catalog queries the till makes: a product by sku, product search by name (in
any catalog language) or sku through the FTS index the load builds, and the
store's identity (which nightly store is live)."""
from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Product:
    item: int
    sku: str
    name: str                   # the base (dump) name
    names: dict[str, str]       # lang -> name
    price: int                  # minor units per unit (each, or per kg)
    unit: str                   # each | kg
    active: bool
    age_restricted: bool
    cost: int | None = None     # minor units per unit, None when unknown

    def name_in(self, lang: str | None) -> str:
        return (self.names.get(lang) if lang else None) or self.name


_COLUMNS = ("p.item, p.sku, p.name, p.name_i18n, p.price, p.unit, p.active, p.age_restricted, "
            "p.cost")


def _product(row: tuple[Any, ...]) -> Product:
    item, sku, name, names, price, unit, active, age, cost = row
    try:
        names = json.loads(names) if names else {}
    except ValueError:
        names = {}
    return Product(item, sku, name, names if isinstance(names, dict) else {}, price, unit,
                   bool(active), bool(age), cost)


def product_by_sku(conn: sqlite3.Connection, sku: str) -> Product | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM products p WHERE p.sku = ?", (sku,)).fetchone()
    return None if row is None else _product(row)


def stock_of(conn: sqlite3.Connection, skus: Iterable[str]) -> dict[str, float | None]:
    """The nightly dump's stock of each of `skus` the store has (None: not counted)."""
    wanted = sorted(set(skus))
    found: dict[str, float | None] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(conn.execute(
            f"SELECT sku, stock FROM products WHERE sku IN ({', '.join('?' * len(chunk))})", chunk))
    return found


def unknown_skus(conn: sqlite3.Connection, skus: Iterable[str]) -> list[str]:
    """The skus of `skus` that are not in the store's catalog, sorted (the hub's check
    of a received sale)."""
    wanted = sorted(set(skus))
    known: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        known.update(sku for (sku,) in conn.execute(
            f"SELECT sku FROM products WHERE sku IN ({', '.join('?' * len(chunk))})", chunk))
    return [sku for sku in wanted if sku not in known]


def product_by_item(conn: sqlite3.Connection, item: int) -> Product | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM products p WHERE p.item = ?", (item,)).fetchone()
    return None if row is None else _product(row)


_WORD = re.compile(r"\w+", re.UNICODE)


def search_products(conn: sqlite3.Connection, query: str, limit: int = 20) -> list[Product]:
    """Active products whose sku or name (any language) has words starting with
    every word of `query`, best match first; an exact sku comes first."""
    words = _WORD.findall(query)
    if not words:
        return []
    found: list[Product] = []
    exact = product_by_sku(conn, query.strip())
    if exact is not None and exact.active:
        found.append(exact)
    match = " ".join(f'"{w}"*' for w in words)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM product_search_fts f "
        "JOIN products p ON p.item = f.rowid "
        "WHERE product_search_fts MATCH ? AND p.active = 1 "
        "ORDER BY f.rank LIMIT ?", (match, limit)).fetchall()
    found += [_product(r) for r in rows if exact is None or r[0] != exact.item]
    return found[:limit]


# what store_identity returns: (meta key, value) pairs, sorted
StoreIdentity = tuple[tuple[str, str], ...]


def store_identity(conn: sqlite3.Connection) -> StoreIdentity:
    """What changes when a new store is published: the export time and the load's counts."""
    rows = dict(conn.execute(
        "SELECT key, value FROM meta WHERE key IN ('export_time', 'baskets', 'pairs', 'loaded_at')"))
    return tuple(sorted(rows.items()))
