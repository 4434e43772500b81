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
    first (a phone, breakfast, nappies, pasta; a basket's loyalty customer's card
    before its items, so that its receipt gets a next-visit coupon), then random
    items of the store."""
    from pos_hardware.basket import basket_codes
    from pos_hardware.framing import transmitted_form

    from ..store.barcodes import barcode_of, card_of
    from ..store.reader import open_store

    conn = open_store(db)
    try:
        codes: list[str] = []
        for _, skus, customer in DEMO_BASKETS:
            card = card_of(conn, customer) if customer else None
            codes += [card] if card else []
            codes += [transmitted_form(gtin) for sku in skus if (gtin := barcode_of(conn, sku))]
    finally:
        conn.close()
    return codes + basket_codes(db, random_items, seed=1)
