"""`pos till`: the cashier's terminal on a store, a journal and a scanner (serial,
keyboard wedge, or the emulator for demos)."""
from __future__ import annotations

import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("till", help="the till: scan, see suggestions, accept or decline, pay")
    p.add_argument("--db", type=Path, required=True, help="the published store")
    p.add_argument("--journal", type=Path, required=True,
                   help="the sales journal (a SQLite file, created when missing)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--scanner", metavar="URL",
                   help="the serial scanner: a device, /dev/serial/by-id/..., or a pyserial URL")
    g.add_argument("--wedge", action="store_true", help="a keyboard-wedge scanner (types code + Enter)")
    g.add_argument("--emulator", action="store_true",
                   help="attach the scanner emulator on a pty (F8 scans an item), for demos")
    p.add_argument("--profile", default="generic-cr", help="the scanner's device profile "
                   "(hardware/profiles name or a JSON file; default generic-cr)")
    p.add_argument("--lang", choices=["en", "nb", "sv", "hu", "he"],
                   help="UI, names and reasons (default: the store's language)")
    p.add_argument("--config", type=Path, help="store.toml (see docs/till.md)")
    p.add_argument("--cashier", help="who is at the till (shown, and kept with each sale)")
    p.add_argument("--training", action="store_true",
                   help="training mode: sales are marked and left out of reports")
    p.set_defaults(run=run)


class DemoScanner:
    """The emulator on a pty, and what F8 scans: the demo baskets' items first
    (a phone, breakfast, nappies, pasta), then random items of the store."""

    def __init__(self, db: Path, profile: str):
        from hardware.basket import basket_codes
        from hardware.emulator import Emulator
        from hardware.framing import transmitted_form

        from .demo_baskets import DEMO_BASKETS
        from .store.barcodes import barcode_of
        from .store.reader import open_store

        conn = open_store(db)
        try:
            codes = [barcode_of(conn, sku) for _, skus, _ in DEMO_BASKETS for sku in skus]
        finally:
            conn.close()
        self.codes = [transmitted_form(c) for c in codes if c]
        self.codes += basket_codes(db, 200, seed=1)
        self.next = 0
        self.emulator = Emulator(profile).start()

    @property
    def url(self) -> str:
        return self.emulator.device

    def scan_next(self) -> None:
        code = self.codes[self.next % len(self.codes)]
        self.next += 1
        self.emulator.scan(code)

    def close(self) -> None:
        self.emulator.close()


def build_app(args, demo: DemoScanner | None = None, clock=None):
    """The app for these arguments (the tests and `pos demo` build it the same way).
    `clock`: UTC seconds for deal and campaign validity (default: the real time)."""
    import time

    from .journal import Journal
    from .scanner.profiles import load_profile
    from .scanner.reader import SerialReader
    from .till.config import load_config
    from .till.session import Till
    from .ui.app import TillApp

    config = load_config(args.config, lang=args.lang, cashier=args.cashier,
                         training=True if args.training else None)
    journal = Journal(args.journal, till=config.till_id)
    till = Till(args.db, journal, config, clock or time.time)
    url = demo.url if demo else args.scanner
    start_reader = None
    if url:
        profile = load_profile(args.profile)
        start_reader = lambda post: SerialReader(url, profile, post).start()
    return TillApp(till, start_reader=start_reader, wedge=args.wedge,
                   demo_scan=demo.scan_next if demo else None)


def run(args) -> int:
    from .errors import PosError

    demo = None
    try:
        if args.emulator:
            demo = DemoScanner(args.db, args.profile)
        app = build_app(args, demo)
        app.run()
    except PosError as exc:
        print(f"pos till: {exc}", file=sys.stderr)
        return 3
    finally:
        if demo is not None:
            demo.close()
    return 0
