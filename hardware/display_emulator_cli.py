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
import sys

from pos.display.commands import ESCPOS_CODE_PAGES, PROTOCOLS

from .cli_common import EventPrinter, Terminated, add_port_options, fail, stop_on_sigterm, tcp_address
from .display_emulator import DisplayEmulator


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pos-display-emulator",
                                description="a 2 x 20 customer display on a pty or TCP port")
    p.add_argument("--protocol", choices=PROTOCOLS, default="cd5220", help="the command set (default cd5220)")
    p.add_argument("--code-page", default=None,
                   help="CD5220: the display's own table (default CP437); ESC/POS: the table "
                        f"before ESC t ({', '.join(ESCPOS_CODE_PAGES)}; default CP437)")
    add_port_options(p, "--socket")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    tcp = tcp_address(parser, "--socket", args.socket, "127.0.0.1:7001")
    out = EventPrinter()
    errors_seen = 0

    def changed(lines: tuple[str, str]) -> None:
        out(f"display: |{lines[0]}|\n         |{lines[1]}|")

    try:
        emulator = DisplayEmulator(args.protocol, args.code_page or "CP437", link=args.link, tcp=tcp,
                                   on_change=changed)
        emulator.start()
    except (OSError, ValueError) as exc:            # a bad code page, a port in use
        return fail(exc, status=2)
    stop_on_sigterm()
    out(f"url: {emulator.url}")
    out(f"display: {args.protocol}, code page {emulator.code_page}")
    changed(emulator.lines)
    try:
        while True:
            for error in emulator.new_errors(errors_seen, timeout=1.0):
                out(f"error: {error}")
                errors_seen += 1
    except (KeyboardInterrupt, Terminated):
        pass
    finally:
        emulator.close()
        out("closed:")
    return 0


if __name__ == "__main__":
    sys.exit(main())
