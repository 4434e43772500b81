"""`pos-printer-emulator`: a receipt printer on a pty or TCP port, from the command line.

Every line on stdout is one event, `kind: details`, flushed at once, so a test, a
demo or a tool can follow it: first where the printer is (`device:` for a pty,
`url:` what a till opens, `profile:`, `out:`), then `status-query: DLE EOT n -> 0xNN
(state)` for each status request answered, `receipt: N lines, DIR/receipt-0001.txt`
for each receipt cut, what the commands did (`cover:`, `paper:`, `unplug:`,
`replug:`, `status:`), and `closed:` at the end. Errors go to stderr as `error: ...`.

stdin takes commands, one a line (:help lists them), until `:quit` or the end of
input; with --hold the printer stays up after the end of input, until Ctrl-C or
SIGTERM (for a demo run in the background).
"""
from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from typing import TextIO

from pos.receipt.profile import PrinterProfileError, load_printer_profile, shipped_printer_profiles

from .cli_common import (
    EventPrinter,
    Terminated,
    add_port_options,
    add_profile_options,
    command_loop,
    fail,
    show_help,
    stop_on_sigterm,
    tcp_address,
)
from .printer_emulator import PrinterEmulator

COMMANDS = """\
:cover-open     open the cover: what it is sent is held, not printed
:cover-close    close it: what it held is printed
:paper-out      the roll runs out: held as with the cover open
:paper-in       a new roll: what it held is printed
:paper-near-end the roll is near its end (status only; it still prints)
:unplug         pull the cable: the port is gone
:replug         plug it back in (the same link or port)
:status         where it is, its state, what it holds and has printed
:help           this list
:quit           close the printer and exit"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pos-printer-emulator",
        description="An ESC/POS receipt printer on a pty (or a TCP port, as a network printer's "
                    "port 9100): it prints what it is sent as text, answers status requests "
                    "(DLE EOT) and can open its cover, run out of paper or be unplugged.")
    add_profile_options(p, "printer", "epson-tm-t88v-80mm")
    add_port_options(p, "--tcp")
    p.add_argument("--out", metavar="DIR", help="write each receipt as DIR/receipt-0001.txt ... when cut")
    p.add_argument("--no-status", action="store_true",
                   help="never answer status requests (a printer without real-time status)")
    p.add_argument("--hold", action="store_true",
                   help="keep the printer up after the end of stdin, until Ctrl-C or SIGTERM")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_profiles:
        for name in shipped_printer_profiles():
            profile = load_printer_profile(name)
            print(f"{name}  {profile.description}", flush=True)
        return 0
    tcp = tcp_address(parser, "--tcp", args.tcp, "127.0.0.1:9100")
    print_event = EventPrinter()
    try:
        profile = load_printer_profile(args.profile)
    except PrinterProfileError as exc:
        return fail(exc)
    printer = PrinterEmulator(profile, link=args.link, tcp=tcp, out_dir=args.out, on_event=print_event,
                              realtime_status=not args.no_status)
    stop_on_sigterm()
    try:
        printer.start()
        if printer.device is not None:
            print_event(f"device: {printer.device}")
        print_event(f"url: {printer.url}")
        print_event(f"profile: {profile.name} ({profile.paper_mm} mm, {profile.code_page}, "
                    f"{profile.cut} cut)")
        if printer.out_dir is not None:
            print_event(f"out: {printer.out_dir}")
        if not interact(printer, sys.stdin, print_event) and args.hold:
            threading.Event().wait()
    except (KeyboardInterrupt, Terminated):
        pass
    except OSError as exc:
        return fail(exc)
    finally:
        printer.close()
        print_event(f"closed: {len(printer.receipts)} receipts")
    return 0


def interact(printer: PrinterEmulator, stream: TextIO, print_event: EventPrinter) -> bool:
    """Commands until :quit (True) or the end of input (False)."""
    return command_loop(stream, lambda text: command(printer, text, print_event))


# what a command does, and the event that says so (the url after it)
_ACTIONS: dict[str, tuple[Callable[[PrinterEmulator], object], str]] = {
    ":cover-open": (PrinterEmulator.cover_open, "cover: open"),
    ":cover-close": (PrinterEmulator.close_cover, "cover: closed"),
    ":paper-out": (PrinterEmulator.paper_out, "paper: out"),
    ":paper-in": (PrinterEmulator.paper_in, "paper: in"),
    ":paper-near-end": (PrinterEmulator.paper_near_end, "paper: near its end"),
    ":unplug": (PrinterEmulator.unplug, "unplug: {url}"),
    ":replug": (PrinterEmulator.replug, "replug: {url}"),
}


def command(printer: PrinterEmulator, text: str, print_event: EventPrinter) -> bool:
    """One `:command`; True for :quit."""
    name = text.split()[0]
    if name == ":quit":
        return True
    if name == ":help":
        show_help(print_event, COMMANDS)
    elif name in _ACTIONS:
        action, event = _ACTIONS[name]
        action(printer)
        print_event(event.format(url=printer.url))
    elif name == ":status":
        print_event(f"status: {'plugged' if printer.plugged else 'unplugged'} url={printer.url} "
                    f"{printer.status.describe()} held={printer.held} receipts={len(printer.receipts)} "
                    f"queries={len(printer.queries)}")
    else:
        raise ValueError(f"unknown command {name!r} (:help lists them)")
    return False


# for `python -m pos_hardware.printer_emulator_cli`
if __name__ == "__main__":
    raise SystemExit(main())
