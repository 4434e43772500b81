"""What `pos scanner check` prints for each scanner event: a dict (its JSON line)
with the raw bytes, symbology, decoded value and, given a store, the catalog's
match; and the same as one human line."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .decode import CustomerCard, DecodeConfig, ProductCode, decode
from .events import Connected, Disconnected, FragmentDropped, ReaderEvent, ScanRead, ScanRefused, escape_bytes


class Describer:
    """Event → a dict for one output line (decoding and catalog lookup included)."""

    def __init__(self, db: Path | None = None, country: str | None = None,
                 card_prefixes: tuple[str, ...] = ()):
        """`db`: the store to match reads against; `country`, `card_prefixes`:
        the decoder's settings over the store's (or the defaults)."""
        self.conn = None
        self.meta: dict[str, Any] = {}
        if db is not None:
            from ..store.reader import open_store, read_meta
            self.conn = open_store(db)
            self.meta = read_meta(self.conn)
        config = DecodeConfig.from_store(self.meta) if self.meta else DecodeConfig()
        if self.conn is not None:
            from ..currency import Currency
            self.currency = Currency.from_meta(self.meta)
        if country:
            config = replace(config, country=country.upper())
        if card_prefixes:
            config = replace(config, card_prefixes=tuple(card_prefixes))
        self.config = config

    def __call__(self, event: ReaderEvent) -> dict[str, object]:
        stamp = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        if isinstance(event, Connected):
            return {"event": "connected", "time": stamp, "port": event.port}
        if isinstance(event, Disconnected):
            return {"event": "disconnected", "time": stamp, "port": event.port,
                    "reason": event.reason}
        if isinstance(event, (ScanRefused, FragmentDropped)):
            kind = "refused" if isinstance(event, ScanRefused) else "fragment"
            return {"event": kind, "time": stamp, "raw": escape_bytes(event.raw),
                    "reason": event.reason}
        assert isinstance(event, ScanRead)
        decoded = decode(event.text, event.symbology, self.config)
        line: dict[str, object] = {"event": "read", "time": stamp, "raw": escape_bytes(event.raw),
                "aim": event.symbology}
        if self.conn is not None:
            from .resolve import resolve
            resolved = resolve(self.conn, decoded, event.text)
            decoded = resolved.decoded
        if isinstance(decoded, ProductCode):
            line.update(symbology=decoded.symbology, kind=decoded.kind, key=decoded.key,
                        gtin=decoded.gtin, quantity=decoded.quantity, weight_g=decoded.weight_g,
                        price_minor=decoded.price_minor,
                        expiry=decoded.expiry.isoformat() if decoded.expiry else None,
                        expired=decoded.expired)
            if self.conn is not None:
                m = resolved.product
                line["match"] = None if m is None else {
                    "sku": m.sku, "name": m.name, "price_minor": m.price,
                    "price": self._money(m.price), "unit": m.unit,
                    "active": m.active, "age_restricted": m.age_restricted}
        elif isinstance(decoded, CustomerCard):
            line.update(symbology="card", kind="customer-card", card=decoded.card)
            if self.conn is not None:
                line["customer"] = resolved.customer
        else:
            line.update(kind="refused", reason=decoded.reason, detail=decoded.detail)
        return line

    def _money(self, minor: int) -> str:
        return self.currency.format(minor, self.meta.get("locale", "en"))


def format_line(line: Mapping[str, Any]) -> str:
    """The human form of one output line."""
    event = line["event"]
    if event == "connected":
        return f"connected     {line['port']}"
    if event == "disconnected":
        return f"disconnected  {line['port']}: {line['reason']}"
    if event in ("refused", "fragment"):
        return f"{event:<13} raw={line['raw']}  {line['reason']}"
    parts = [f"read          raw={line['raw']}"]
    if line["kind"] == "refused":
        parts.append(f"refused: {line['reason']} ({line['detail']})")
    elif line["kind"] == "customer-card":
        parts.append(f"card {line['card']}")
        if "customer" in line:
            parts.append(f"customer {line['customer']}" if line["customer"] else "unknown card")
    else:
        parts.append(f"{line['symbology']} {line['kind']} key={line['key']}")
        if line.get("weight_g") is not None:
            parts.append(f"weight {line['weight_g']} g")
        if line.get("price_minor") is not None:
            parts.append(f"price {line['price_minor']} (minor units)")
        if line.get("quantity") is not None:
            parts.append(f"quantity {line['quantity']}")
        if line.get("expiry"):
            parts.append(f"expiry {line['expiry']}" + (" EXPIRED" if line["expired"] else ""))
        if "match" in line:
            m = line["match"]
            parts.append("no product with this barcode" if m is None else
                         f"-> {m['sku']} {m['name']!r} {m['price']}"
                         + ("" if m["active"] else " (inactive)"))
    return "  ".join(parts)
