"""The demo store: its dump, generated in-process by our seeded generator (the
modules of this package, its catalog in data/), and what the demo till's F8 key
scans."""
from __future__ import annotations

from pathlib import Path

from .baskets import DEMO_BASKETS


def make_demo_dump(out: Path, baskets: int) -> None:
    """Writes the demo dump (catalog, `baskets` baskets, campaigns, deals) to `out`,
    exported now."""
    from .generate import generate, parse_export_time

    generate(out, baskets=baskets, export_utc=parse_export_time("now"))


def demo_codes(db: Path, random_items: int = 200) -> list[str]:
    """What F8 scans in the demo, as the scanner sends it: the demo baskets' items
    first (a phone, breakfast, nappies, pasta), then random items of the store."""
    from pos_hardware.basket import basket_codes
    from pos_hardware.framing import transmitted_form

    from ..store.barcodes import barcode_of
    from ..store.reader import open_store

    conn = open_store(db)
    try:
        codes = [barcode_of(conn, sku) for _, skus, _ in DEMO_BASKETS for sku in skus]
    finally:
        conn.close()
    return [transmitted_form(c) for c in codes if c] + basket_codes(db, random_items, seed=1)
