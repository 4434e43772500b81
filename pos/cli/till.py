"""`pos till`: the cashier's terminal on a store, a journal and a scanner (serial,
keyboard wedge, or the emulator for demos); pos.ui.launch starts it."""
from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_OK


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
    p.add_argument("--display", metavar="URL",
                   help="the customer display: a device, a pty or socket://host:port "
                        "(default: store.toml's [display]; see docs/receipts.md)")
    p.add_argument("--training", action="store_true",
                   help="training mode: sales are marked and left out of reports")
    p.add_argument("--printer", metavar="URL",
                   help="the receipt printer: a device or socket://HOST:9100 (over store.toml's "
                        "[printer] url; docs/receipts.md)")
    p.add_argument("--printer-profile", metavar="NAME",
                   help="the printer's profile (hardware/printers name or a JSON file; "
                        "default epson-tm-t88v-80mm)")
    p.set_defaults(run=run)


def _hub_link(hub, journal_path: Path, till: str):
    """The store hub's link (pos.hub.link: the pusher and the follower), imported
    with httpx only by a till whose store.toml has a [hub]: the others start
    without it."""
    from ..hub.link import TillHubLink
    return TillHubLink.for_till(hub, journal_path, till)


def run(args) -> int:
    from ..ui.launch import TillOptions, run_till

    run_till(TillOptions(db=args.db, journal=args.journal, scanner=args.scanner,
                         wedge=args.wedge, emulator=args.emulator, profile=args.profile,
                         lang=args.lang, config=args.config, cashier=args.cashier,
                         training=args.training, printer=args.printer,
                         printer_profile=args.printer_profile, display=args.display),
             hub_link=_hub_link)
    return EXIT_OK
