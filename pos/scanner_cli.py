"""`pos scanner check`: for store IT, a scanner checked without a sale.

Opens the scanner with the till's own reader and prints one line per event:
for a read its raw bytes (escaped), the symbology, the decoded value and, with
--db, the catalog's match; refused frames, dropped fragments and connection
events too. `--json` prints the same as one JSON object per line.
"""
from __future__ import annotations

import json
import queue
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_STORE = 0, 2, 5


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("scanner", help="scanner tools for store IT (check)")
    sub = p.add_subparsers(metavar="ACTION", required=True)
    c = sub.add_parser("check", help="print every read of a scanner: raw bytes, symbology, "
                                     "decoded value, catalog match",
                       description="Open a scanner as the till would and print what it reads. "
                                   "Ends after --count reads or --timeout seconds, or on Ctrl-C.")
    c.add_argument("--scanner", required=True, metavar="URL",
                   help="device path or pyserial URL: /dev/ttyACM0, /dev/serial/by-id/..., "
                        "hwgrep://VID:PID, socket://host:port, loop://")
    c.add_argument("--profile", default="generic-cr",
                   help="device profile name (hardware/profiles) or file (default generic-cr)")
    c.add_argument("--db", type=Path, help="the store: show the catalog match of each read")
    c.add_argument("--json", action="store_true", help="one JSON object per line")
    c.add_argument("--count", type=int, metavar="N", help="stop after N reads")
    c.add_argument("--timeout", type=float, metavar="SECONDS", help="stop after this long")
    c.add_argument("--country", help="variable-measure scheme country (default: the store's, or NO)")
    c.add_argument("--card-prefix", action="append", default=[], metavar="PREFIX",
                   help="loyalty cards start with this (repeatable; without it a read that is "
                        "a customer's card in the store is shown as that card)")
    c.set_defaults(run=run_check)


class _Describer:
    """Event → a dict for one output line (decoding and catalog lookup included)."""

    def __init__(self, args):
        from .scanner.decode import DecodeConfig
        self.conn = None
        self.meta: dict = {}
        if args.db is not None:
            from .store.reader import open_store, read_meta
            self.conn = open_store(args.db)
            self.meta = read_meta(self.conn)
        config = DecodeConfig.from_store(self.meta) if self.meta else DecodeConfig()
        if self.conn is not None:
            from .currency import Currency
            self.currency = Currency.from_meta(self.meta)
        from dataclasses import replace
        if args.country:
            config = replace(config, country=args.country.upper())
        if args.card_prefix:
            config = replace(config, card_prefixes=tuple(args.card_prefix))
        self.config = config

    def __call__(self, event) -> dict:
        from .scanner.decode import CustomerCard, ProductCode, decode
        from .scanner.events import (Connected, Disconnected, FragmentDropped, ScanRead,
                                     ScanRefused, escape_bytes)
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
        line = {"event": "read", "time": stamp, "raw": escape_bytes(event.raw),
                "aim": event.symbology}
        if self.conn is not None:
            from .scanner.resolve import resolve
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


def format_line(line: dict) -> str:
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


def run_check(args) -> int:
    from .errors import StoreError
    from .scanner.events import Connected, Disconnected
    from .scanner.profiles import ProfileError, load_profile
    from .scanner.reader import SerialReader
    try:
        profile = load_profile(args.profile)
    except ProfileError as exc:
        print(f"pos scanner check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        describe = _Describer(args)
    except StoreError as exc:
        print(f"pos scanner check: {exc}", file=sys.stderr)
        return EXIT_STORE
    events: queue.Queue = queue.Queue()
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    reads = 0
    with SerialReader(args.scanner, profile, events.put):
        try:
            while args.count is None or reads < args.count:
                wait = None if deadline is None else deadline - time.monotonic()
                if wait is not None and wait <= 0:
                    break
                try:
                    event = events.get(timeout=wait)
                except queue.Empty:
                    break
                line = describe(event)
                print(json.dumps(line, ensure_ascii=False) if args.json else format_line(line),
                      flush=True)
                if not isinstance(event, (Connected, Disconnected)):
                    reads += 1
        except KeyboardInterrupt:
            pass
    return EXIT_OK
