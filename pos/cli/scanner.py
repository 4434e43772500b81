"""`pos scanner check`: for store IT, a scanner checked without a sale.

Opens the scanner with the till's own reader and prints one line per event:
for a read its raw bytes (escaped), the symbology, the decoded value and, with
--db, the catalog's match; refused frames, dropped fragments and connection
events too. `--json` prints the same as one JSON object per line.
"""
from __future__ import annotations

import json
import queue
import time
from pathlib import Path

from ..errors import EXIT_OK


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


def run_check(args) -> int:
    from ..scanner.check import Describer, format_line
    from ..scanner.events import Connected, Disconnected
    from ..scanner.profiles import load_profile
    from ..scanner.reader import SerialReader

    profile = load_profile(args.profile)
    describe = Describer(args.db, args.country, tuple(args.card_prefix))
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
