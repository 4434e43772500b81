"""`pos-display-emulator`: a customer (pole) display on a pty or TCP port, from the
command line: the customer's side of the till in a second terminal.

    pos-display-emulator --link /tmp/display            # CD5220 on a pty
    pos-display-emulator --protocol escpos --code-page CP858 --socket 127.0.0.1:7001

Every line on stdout is one event, flushed: first where the display is (`url:`)
and how it is set (`display:` protocol and code page), then each change of what
it shows, its two lines between bars:

    display: |Milk 1l     19,90 kr|
             |Total       39,80 kr|

a command it does not know as `error: offset N: ...`, and `closed:` at the end.
The till is given the url (`pos till --display URL`, or store.toml's [display]).
Ctrl-C (or SIGTERM) stops it and removes the link.
"""
from __future__ import annotations

import argparse
import signal
import sys

from pos.display.commands import ESCPOS_CODE_PAGES, PROTOCOLS

from .display_emulator import DisplayEmulator
from .emulator_cli import EventPrinter, parse_host_port


class _Stop(Exception):
    """SIGTERM: stop like Ctrl-C."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pos-display-emulator",
                                description="a 2 x 20 customer display on a pty or TCP port")
    p.add_argument("--protocol", choices=PROTOCOLS, default="cd5220", help="the command set (default cd5220)")
    p.add_argument("--code-page", default=None,
                   help="CD5220: the display's own table (default CP437); ESC/POS: the table "
                        f"before ESC t ({', '.join(ESCPOS_CODE_PAGES)}; default CP437)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--link", help="a stable path pointing at the pty (e.g. /tmp/display)")
    where.add_argument("--socket", metavar="HOST:PORT", help="listen on a TCP port instead of a pty")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tcp = None
    if args.socket:
        tcp = parse_host_port(args.socket)
        if tcp is None:
            parser.error(f"--socket {args.socket!r}: expected HOST:PORT, e.g. 127.0.0.1:7001")
    out = EventPrinter()
    errors_seen = 0

    def changed(lines: tuple[str, str]) -> None:
        out(f"display: |{lines[0]}|\n         |{lines[1]}|")

    try:
        emulator = DisplayEmulator(args.protocol, args.code_page or "CP437", link=args.link, tcp=tcp,
                                   on_change=changed)
        emulator.start()
    except (OSError, ValueError) as exc:            # a bad code page, a port in use
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2
    signal.signal(signal.SIGTERM, _stop)
    out(f"url: {emulator.url}")
    out(f"display: {args.protocol}, code page {emulator.code_page}")
    changed(emulator.lines)
    try:
        while True:
            for error in emulator.new_errors(errors_seen, timeout=1.0):
                out(f"error: {error}")
                errors_seen += 1
    except (KeyboardInterrupt, _Stop):
        pass
    finally:
        emulator.close()
        out("closed:")
    return 0


def _stop(signum, frame) -> None:
    raise _Stop()


if __name__ == "__main__":
    sys.exit(main())
