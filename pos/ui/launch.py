"""Starting the till: `TillOptions` (what `pos till` and `pos demo` ask for),
`build_app` (the store, journal, controller, scanner and app wired together, as
the tests and benchmarks build it too) and `run_till` (build, run, clean up).

Errors come out as PosErrors with their exit codes (pos.errors): a store that
cannot be opened, a bad store.toml or scanner profile, a journal that cannot
be written.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

from ..display import DisplayLink
from ..journal import Journal
from ..scanner.events import ScanRead
from ..scanner.profiles import load_profile
from ..scanner.reader import SerialReader
from ..till.config import DisplayConfig, HubConfig, load_config
from ..till.session import HubLink, Till
from .app import TillApp


@dataclass(frozen=True)
class TillOptions:
    """What the till runs on: the published store, the sales journal, and one of
    a serial scanner (`scanner`: a device or pyserial URL), a keyboard wedge, or
    the emulator on a pty (`emulator`, for demos: F8 scans an item)."""
    db: Path
    journal: Path
    scanner: str | None = None
    wedge: bool = False
    emulator: bool = False
    profile: str = "generic-cr"          # the scanner's device profile (name or JSON file)
    lang: str | None = None              # default: the store's language
    config: Path | None = None           # store.toml
    cashier: str | None = None
    training: bool = False
    printer: str | None = None           # the receipt printer's URL (over store.toml's [printer])
    printer_profile: str | None = None   # its profile (over store.toml's)
    display: str | None = None           # the customer display's URL (default: store.toml's [display])


class DemoScanner:
    """The emulator on a pty, and what F8 scans: the demo baskets' items first
    (a phone, breakfast, nappies, pasta), then random items of the store."""

    def __init__(self, db: Path, profile: str):
        from pos_hardware.emulator import Emulator

        from ..demo import demo_codes

        self.codes = demo_codes(db)
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


def _start_serial(url: str, profile, post) -> SerialReader:
    return SerialReader(url, profile, post).start()


# makes the link to the store hub of store.toml's [hub] (pos.hub.link.TillHubLink.for_till,
# passed in by the commands: the UI's package never imports an HTTP client itself)
HubLinkFactory = Callable[[HubConfig, Path, str], HubLink]


def build_app(options: TillOptions, demo: DemoScanner | None = None,
              clock: Callable[[], float] | None = None,
              on_scan_shown: Callable[[ScanRead], object] | None = None,
              hub_link: HubLinkFactory | None = None) -> TillApp:
    """The app for these options. `demo`: the emulator to scan with (overrides
    `options.scanner`). `clock`: UTC seconds for deal and campaign validity
    (default: the real time). `on_scan_shown`: see TillApp. `hub_link`: makes the
    link to store.toml's hub (without it, or without [hub], no sale is sent)."""
    config = load_config(options.config, lang=options.lang, cashier=options.cashier,
                         training=True if options.training else None, printer=options.printer,
                         printer_profile=options.printer_profile)
    journal = Journal(options.journal, till=config.till_id)
    hub = hub_link(config.hub, journal.path, config.till_id) \
        if hub_link is not None and config.hub is not None else None
    printer = None
    if config.printer is not None:
        from ..receipt.spool import ReceiptSpooler
        printer = ReceiptSpooler(config.printer.url, journal.path, config.till_id,
                                 timeout=config.printer.timeout, status=config.printer.status)
    till = Till(options.db, journal, config, clock or time.time, hub=hub, printer=printer)
    url = demo.url if demo else options.scanner
    start_reader = partial(_start_serial, url, load_profile(options.profile)) if url else None
    return TillApp(till, start_reader=start_reader, wedge=options.wedge,
                   demo_scan=demo.scan_next if demo else None, on_scan_shown=on_scan_shown,
                   customer_display=display_link(config.display, options.display, till.money.currency.code))


def display_link(config: DisplayConfig | None, url: str | None, currency_code: str) -> DisplayLink | None:
    """The customer display's link: store.toml's [display], its url replaced by `url`
    (`pos till --display`); a `url` alone is a CD5220 display in PC437. None: no display."""
    if config is None and url is None:
        return None
    config = config or DisplayConfig(url or "")
    return DisplayLink(url or config.url, config.protocol, config.code_page, baudrate=config.baudrate,
                       currency_code=currency_code)


def run_till(options: TillOptions, hub_link: HubLinkFactory | None = None) -> None:
    """Runs the till until the cashier quits (the emulator, when asked for, is
    started first and closed after)."""
    demo = DemoScanner(options.db, options.profile) if options.emulator else None
    try:
        build_app(options, demo, hub_link=hub_link).run()
    finally:
        if demo is not None:
            demo.close()
