"""What the report takes from the store, when given: currency, locale and time
zone (to show money and local times), item names, and the item pairs already in
one of its deals (left out of the bundle candidates)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..currency import Currency
from ..store.reader import open_store, read_meta


@dataclass
class StoreInfo:
    name: str | None = None
    currency: Currency | None = None
    locale: str = "en"
    timezone: str = "UTC"
    names: dict[str, str] = field(default_factory=dict)           # sku -> name
    deal_pairs: set[frozenset[str]] = field(default_factory=set)


def store_info(path: Path) -> StoreInfo:
    """Raises pos.errors.StoreError for a missing or unreadable store."""
    conn = open_store(path)
    try:
        meta = read_meta(conn)
        names = dict(conn.execute("SELECT sku, name FROM products"))
        members: dict[str, list[str]] = {}
        for bundle, sku in conn.execute("SELECT b.bundle, p.sku FROM bundle_items b "
                                        "JOIN products p ON p.item = b.item"):
            members.setdefault(bundle, []).append(sku)
    finally:
        conn.close()
    pairs = {frozenset((a, b)) for skus in members.values() for a in skus for b in skus if a != b}
    return StoreInfo(meta.get("store_name"), Currency.from_meta(meta),
                     str(meta.get("locale") or "en"), str(meta.get("timezone") or "UTC"),
                     names, pairs)
