"""Realistic baskets for the emulator: random items of a store's catalog, as the
digits a scanner sends for their barcodes (EAN-13, UPC-A, EAN-8 or GTIN-14)."""
from __future__ import annotations

from pathlib import Path

from .framing import transmitted_form


class NoBarcodes(ValueError):
    """The store has no active product with a barcode."""


def basket_codes(db: str | Path, n: int, seed: int | None = None) -> list[str]:
    """n barcodes of random active products (repeats allowed) of the store at `db`."""
    from pos.store.barcodes import sample_barcodes
    from pos.store.reader import open_store

    conn = open_store(Path(db))
    try:
        stored = sample_barcodes(conn, n, seed)
    finally:
        conn.close()
    if n and not stored:
        raise NoBarcodes(f"{db}: no active product with a barcode to scan")
    return [transmitted_form(gtin) for gtin in stored]
