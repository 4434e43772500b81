"""Scanned codes against the store: a catalog key (GTIN-14) to its product, a
loyalty card to its customer, and a sample of real barcodes (for the emulator's
"scan a realistic basket")."""
from __future__ import annotations

import random
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class CatalogMatch:
    item: int
    sku: str
    name: str
    price: int        # minor units per unit (each or kg)
    unit: str         # each | kg
    active: bool
    age_restricted: bool


def find_product(conn: sqlite3.Connection, key14: str) -> CatalogMatch | None:
    """The product whose barcode (stored as 14 digits) is key14, or None."""
    row = conn.execute(
        "SELECT p.item, p.sku, p.name, p.price, p.unit, p.active, p.age_restricted "
        "FROM barcodes b JOIN products p ON p.item = b.item WHERE b.gtin = ?",
        (key14,)).fetchone()
    if row is None:
        return None
    item, sku, name, price, unit, active, age = row
    return CatalogMatch(item, sku, name, price, unit, bool(active), bool(age))


def find_customer(conn: sqlite3.Connection, card: str) -> str | None:
    """The customer id of a loyalty card code, or None."""
    row = conn.execute("SELECT customer FROM customers WHERE card = ?", (card,)).fetchone()
    return row[0] if row else None


def sample_barcodes(conn: sqlite3.Connection, n: int, seed: int | None = None,
                    active_only: bool = True) -> list[str]:
    """n barcodes (GTIN-14 as stored) of random products, with repeats allowed."""
    where = "WHERE p.active = 1" if active_only else ""
    codes = [r[0] for r in conn.execute(
        f"SELECT b.gtin FROM barcodes b JOIN products p ON p.item = b.item {where} ORDER BY b.gtin")]
    if not codes:
        return []
    rng = random.Random(seed)
    return [rng.choice(codes) for _ in range(n)]


def card_of(conn: sqlite3.Connection, customer: str) -> str | None:
    """The loyalty card code of `customer` (as printed on the card), or None."""
    row = conn.execute("SELECT card FROM customers WHERE customer = ? AND card IS NOT NULL "
                       "ORDER BY card LIMIT 1", (customer,)).fetchone()
    return row[0] if row else None


def barcode_of(conn: sqlite3.Connection, sku: str) -> str | None:
    """One barcode (GTIN-14 as stored) of the product `sku`, or None."""
    row = conn.execute("SELECT b.gtin FROM barcodes b JOIN products p ON p.item = b.item "
                       "WHERE p.sku = ? ORDER BY b.gtin LIMIT 1", (sku,)).fetchone()
    return row[0] if row else None
