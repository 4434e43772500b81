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
import signal
import sys
import threading
from typing import TextIO

from pos.receipt.profile import PrinterProfileError, load_printer_profile, shipped_printer_profiles

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


class Terminated(Exception):
    """SIGTERM: stop like Ctrl-C, removing the link."""


class EventPrinter:
    """One line per event on stdout, flushed; safe from several threads."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self._lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self._lock:
            self.stream.write(line + "\n")
            self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pos-printer-emulator",
        description="An ESC/POS receipt printer on a pty (or a TCP port, as a network printer's "
                    "port 9100): it prints what it is sent as text, answers status requests "
                    "(DLE EOT) and can open its cover, run out of paper or be unplugged.")
    p.add_argument("--profile", default="epson-tm-t88v-80mm", metavar="NAME|PATH",
                   help="printer profile (default: epson-tm-t88v-80mm; see --list-profiles)")
    p.add_argument("--list-profiles", action="store_true", help="list the shipped profiles and exit")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--link", metavar="PATH", help="a symlink to the pty, kept across unplug/replug")
    where.add_argument("--tcp", metavar="HOST:PORT",
                       help="serve socket://HOST:PORT instead of a pty (port 0: any free port)")
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
    tcp = None
    if args.tcp:
        tcp = parse_host_port(args.tcp)
        if tcp is None:
            parser.error(f"--tcp {args.tcp!r}: expected HOST:PORT, e.g. 127.0.0.1:9100")
    print_event = EventPrinter()
    try:
        profile = load_printer_profile(args.profile)
    except PrinterProfileError as exc:
        return fail(exc)
    printer = PrinterEmulator(profile, link=args.link, tcp=tcp, out_dir=args.out, on_event=print_event,
                              realtime_status=not args.no_status)
    signal.signal(signal.SIGTERM, _raise_terminated)
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
    for line in stream:
        text = line.strip()
        if not text:
            continue
        try:
            if command(printer, text, print_event):
                return True
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr, flush=True)
    return False


def command(printer: PrinterEmulator, text: str, print_event: EventPrinter) -> bool:
    """One `:command`; True for :quit."""
    name = text.split()[0]
    if name == ":quit":
        return True
    if name == ":help":
        for row in COMMANDS.splitlines():
            print_event(f"help: {row}")
    elif name == ":cover-open":
        printer.cover_open()
        print_event("cover: open")
    elif name == ":cover-close":
        printer.close_cover()
        print_event("cover: closed")
    elif name == ":paper-out":
        printer.paper_out()
        print_event("paper: out")
    elif name == ":paper-in":
        printer.paper_in()
        print_event("paper: in")
    elif name == ":paper-near-end":
        printer.paper_near_end()
        print_event("paper: near its end")
    elif name == ":unplug":
        printer.unplug()
        print_event(f"unplug: {printer.url}")
    elif name == ":replug":
        printer.replug()
        print_event(f"replug: {printer.url}")
    elif name == ":status":
        print_event(f"status: {'plugged' if printer.plugged else 'unplugged'} url={printer.url} "
                    f"{printer.status.describe()} held={printer.held} receipts={len(printer.receipts)} "
                    f"queries={len(printer.queries)}")
    else:
        raise ValueError(f"unknown command {name!r} (:help lists them)")
    return False


def parse_host_port(text: str) -> tuple[str, int] | None:
    """HOST:PORT ([::1]:9100 for IPv6) as an address; None when it is not one."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return None
    return host.strip("[]"), int(port)


def fail(exc: BaseException) -> int:
    print(f"error: {exc}", file=sys.stderr, flush=True)
    return 1


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()


# for `python -m pos_hardware.printer_emulator_cli`
if __name__ == "__main__":
    raise SystemExit(main())
