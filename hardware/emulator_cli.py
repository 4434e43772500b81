"""`pos-scanner-emulator`: a scanner on a pty or TCP port, from the command line.

Every line on stdout is one event, `kind: details`, flushed at once, so a test
or a tool can follow it: the first lines say where the device is (`device:`,
`link:`, `url:`) and how it frames (`profile:`), then one line per read or
fault (`scan:`, `noise:`, `split:`, `no-terminator:`, `burst:`, `unplug:`,
`replug:`, `dropped:`), reader changes (`reader: connected`), `done:` when
everything is sent, and `closed:` at the end. Errors go to stderr as `error: ...`.
"""
from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
import time
from pathlib import Path

from pos.errors import PosError
from pos.scanner.profiles import ProfileError, load_profile, shipped_profiles

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
from .emulator import Emulator
from .faults import FAULT_NAMES
from .framing import profile_summary

DRAIN_SECONDS = 2.0     # how long to let a reader catch up before an unplug or the end

INTERACTIVE_HELP = """\
CODE            scan CODE (escapes: \\t \\r \\n \\xNN \\\\; e.g. 0109501101530003\\x1d10ABC)
:noise [N]      N random bytes (default 16) and the terminator
:split CODE [P] CODE in P writes (default 3) 50 ms apart
:nocr CODE      CODE without its terminator (a timeout fragment)
:raw TEXT       TEXT's bytes exactly, no framing (escapes as above)
:burst N [CODE] N reads at 50/s: CODE, or random catalog items with --db, or the last code
:basket N       N random catalog items (needs --db)
:unplug         pull the cable
:replug         plug it back in (same link path or port)
:baud N         pace at N baud (0: no pacing)
:status         where the device is and whether a reader has it open
:help           this list
:quit           close the device and exit"""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pos-scanner-emulator",
        description="A barcode scanner on a pty (or a TCP port) that sends reads framed like a "
                    "real device, and the faults of a real line.",
        epilog="Faults happen once each, after the first read, in the order given; split and "
               "no-terminator use the next code (no-terminator is followed by a proper re-scan, "
               "as a cashier would), burst the next --burst-count codes (wrapping around the list).")
    p.add_argument("codes", nargs="*", metavar="CODE", help="codes to scan, in order")
    add_profile_options(p, "device", "generic-cr")
    add_port_options(p, "--socket")
    p.add_argument("--file", metavar="FILE", help="codes to scan, one per line ('#' starts a comment line)")
    typed = p.add_mutually_exclusive_group()
    typed.add_argument("--stdin", action="store_true", help="scan each line of stdin as it arrives")
    typed.add_argument("--interactive", action="store_true",
                       help="a prompt: a code per line, or a command (:help lists them)")
    p.add_argument("--basket", type=int, metavar="N", help="scan N random items of the store's catalog")
    p.add_argument("--db", metavar="STORE.db", help="the store for --basket, :basket and :burst")
    p.add_argument("--seed", type=int, help="random seed for --basket and noise")
    p.add_argument("--interval", type=float, default=0.3, metavar="SECONDS",
                   help="pause between reads (default 0.3)")
    p.add_argument("--wait-reader", action="store_true",
                   help="wait until a reader has the port open before sending (and after a replug)")
    p.add_argument("--hold", type=float, metavar="SECONDS",
                   help="keep the device after the last read (default: 1; interactive: until Ctrl-C; "
                        "'inf' for ever)")
    p.add_argument("--fault", action="append", choices=FAULT_NAMES, default=[],
                   help="inject a fault (repeatable)")
    p.add_argument("--baud", type=int, metavar="N",
                   help="pace at N baud instead of the profile's (0: no pacing)")
    p.add_argument("--burst-count", type=int, default=5, metavar="N",
                   help="reads in a burst fault (default 5)")
    p.add_argument("--unplug-seconds", type=float, default=1.0, metavar="SECONDS",
                   help="how long an unplug-replug fault leaves the cable out (default 1)")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_profiles:
        return list_profiles()
    if args.basket is not None and not args.db:
        parser.error("--basket needs --db STORE.db")
    if args.basket is not None and args.basket < 0:
        parser.error("--basket needs a count of 0 or more")
    if args.burst_count < 1:
        parser.error("--burst-count needs 1 or more")
    if args.baud is not None and args.baud < 0:
        parser.error("--baud needs 0 (no pacing) or a positive rate")
    socket_address = tcp_address(parser, "--socket", args.socket, "127.0.0.1:7000")
    print_event = EventPrinter()
    try:
        profile = load_profile(args.profile)
        codes = gather_codes(args)
    except (ProfileError, PosError, OSError, ValueError) as exc:   # PosError: StoreError
        return fail(exc)
    if not codes and not (args.stdin or args.interactive):
        parser.error("nothing to scan: give CODEs, --file, --basket N --db STORE, --stdin or --interactive")
    if any(f in ("split", "no-terminator", "burst") for f in args.fault) and not codes:
        parser.error("the split, no-terminator and burst faults need codes (CODEs, --file or --basket)")

    stop_on_sigterm()
    emulator = Emulator(profile, link=args.link, socket_address=socket_address, baud=args.baud,
                        on_event=print_event, seed=args.seed)
    session = Session(emulator, args, print_event)
    try:
        emulator.start()
        if args.wait_reader:
            session.wait_for_reader()
        session.run(plan(codes, args.fault, args.burst_count))
        if args.stdin:
            session.run_stream(sys.stdin)
        quit_now = session.interact(sys.stdin) if args.interactive else False
        print_event(f"done: {session.summary()}")
        if not quit_now:
            session.hold(args.hold if args.hold is not None else
                         (float("inf") if args.interactive else 1.0))
        session.drain()
    except (KeyboardInterrupt, Terminated):
        pass
    except OSError as exc:
        return fail(exc)
    finally:
        emulator.close()
    return 0


class Session:
    """Runs reads, faults and commands against one emulator, spaced by --interval."""

    def __init__(self, emulator: Emulator, args: argparse.Namespace, print_event):
        self.em = emulator
        self.args = args
        self.print_event = print_event
        self.next_at = 0.0
        self.last_code: str | None = None
        self._rng = random.Random(args.seed)

    def wait_for_reader(self) -> None:
        self.print_event(f"waiting: for a reader on {self.em.url}")
        while not self.em.wait_connected(1.0):
            pass

    def drain(self) -> None:
        """Let the reader read what was sent before the device goes away (bounded)."""
        if self.em.plugged and not self.em.wait_drained(DRAIN_SECONDS):
            self.print_event(f"unread: the reader left bytes unread for {DRAIN_SECONDS:g} s")

    def pause(self) -> None:
        _sleep_until(self.next_at)

    def done_one(self) -> None:
        self.next_at = time.monotonic() + self.args.interval

    def run(self, actions: list[tuple]) -> None:
        for action in actions:
            self.do(*action)

    def do(self, kind: str, *values) -> None:
        em = self.em
        if kind == "unplug-replug":
            self.pause()
            self.drain()
            em.unplug()
            time.sleep(self.args.unplug_seconds)
            em.replug()
            if self.args.wait_reader:
                self.wait_for_reader()
            self.done_one()
            return
        self.pause()
        if kind in ("scan", "split", "no-terminator"):
            self.last_code = values[0]
        if kind == "scan":
            em.scan(values[0])
        elif kind == "noise":
            em.noise(values[0] if values else 16, seed=self._rng.randrange(2 ** 32))
        elif kind == "split":
            em.split_write(values[0], parts=values[1] if len(values) > 1 else 3)
        elif kind == "no-terminator":
            em.missing_terminator(values[0])
        elif kind == "burst":
            em.burst(list(values[0]))
        elif kind == "raw":
            em.send_raw(values[0])
        else:
            raise ValueError(f"unknown action {kind!r}")
        self.done_one()

    def run_stream(self, lines) -> None:
        for line in lines:
            code = code_from_line(line)
            if code is not None:
                self.do("scan", code)

    def interact(self, stream) -> bool:
        """Commands until :quit (True) or end of input (False)."""
        return command_loop(stream, self.line, prompt="scan> ")

    def line(self, text: str) -> bool:
        """One typed line: a code to scan, or a `:command`; True for :quit."""
        if text.startswith(":"):
            return self.command(text)
        self.do("scan", unescape(text))
        return False

    def command(self, text: str) -> bool:
        """One `:command`; True for :quit."""
        name, _, rest = text.partition(" ")
        words = rest.split()
        if name == ":quit":
            return True
        if name == ":help":
            show_help(self.print_event, INTERACTIVE_HELP)
        elif name == ":noise":
            self.do("noise", _count(words[0]) if words else 16)
        elif name in (":split", ":nocr") and not words:
            raise ValueError(f"{name} needs a CODE")
        elif name == ":split":
            self.do("split", unescape(words[0]), _count(words[1], 1) if len(words) > 1 else 3)
        elif name == ":nocr":
            self.do("no-terminator", unescape(words[0]))
        elif name == ":raw":
            self.do("raw", unescape(rest).encode("utf-8"))
        elif name == ":burst":
            count = _count(words[0], 1) if words else 5
            self.do("burst", self.burst_codes(count, unescape(words[1]) if len(words) > 1 else None))
        elif name == ":basket":
            if not self.args.db:
                raise ValueError(":basket needs --db STORE.db on the command line")
            for code in self.catalog_codes(_count(words[0], 1) if words else 5):
                self.do("scan", code)
        elif name == ":unplug":
            self.drain()
            self.em.unplug()
        elif name == ":replug":
            self.em.replug()
        elif name == ":baud":
            if not words:
                raise ValueError(":baud needs N (0: no pacing)")
            self.em.set_baud(_count(words[0]))
        elif name == ":status":
            state = "plugged" if self.em.plugged else "unplugged"
            reader = "connected" if self.em.plugged and self.em.wait_connected(0) else "none"
            self.print_event(f"status: {state} url={self.em.url} device={self.em.device} "
                             f"reader={reader} baud={self.em.baud}")
        else:
            raise ValueError(f"unknown command {name!r} (:help lists them)")
        return False

    def burst_codes(self, count: int, code: str | None) -> list[str]:
        if code is not None:
            return [code] * count
        if self.args.db:
            return self.catalog_codes(count)
        if self.last_code is None:
            raise ValueError(":burst needs a CODE (nothing scanned yet, and no --db)")
        return [self.last_code] * count

    def catalog_codes(self, count: int) -> list[str]:
        from .basket import basket_codes
        try:
            return basket_codes(self.args.db, count, self._rng.randrange(2 ** 32))
        except PosError as exc:                  # StoreError (NoBarcodes is a ValueError)
            raise ValueError(str(exc)) from None

    def hold(self, seconds: float) -> None:
        self.print_event("holding: " + ("until Ctrl-C" if seconds == float("inf") else f"{seconds:g} s"))
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 3600))

    def summary(self) -> str:
        reads = sum(1 for s in self.em.sent if isinstance(s, str))
        other = len(self.em.sent) - reads
        return f"{reads} reads, {other} other transmissions, {self.em.dropped_bytes} bytes dropped"


def plan(codes: list[str], faults: list[str], burst_count: int = 5) -> list[tuple]:
    """The actions for CODES with FAULTS: every fault once, after the first read, in
    the order given; split and no-terminator take the next code, burst the next
    burst_count codes (wrapping around the list when it runs out)."""
    if not faults or not codes:
        return [("noise",) if f == "noise" else ("unplug-replug",) for f in faults] + \
            [("scan", c) for c in codes]
    actions: list[tuple] = [("scan", codes[0])]
    remaining = list(codes[1:])
    reuse = itertools.cycle(codes)

    def next_code() -> str:
        return remaining.pop(0) if remaining else next(reuse)

    for fault in faults:
        if fault == "noise":
            actions.append(("noise",))
        elif fault == "split":
            actions.append(("split", next_code()))
        elif fault == "no-terminator":
            code = next_code()
            actions += [("no-terminator", code), ("scan", code)]
        elif fault == "burst":
            actions.append(("burst", [next_code() for _ in range(burst_count)]))
        elif fault == "unplug-replug":
            actions.append(("unplug-replug",))
    actions += [("scan", c) for c in remaining]
    return actions


def gather_codes(args: argparse.Namespace) -> list[str]:
    codes = [unescape(c) for c in args.codes]
    if args.file:
        text = Path(args.file).read_text(encoding="utf-8")
        codes += [c for c in map(code_from_line, text.splitlines()) if c is not None]
    if args.basket:
        from .basket import basket_codes
        codes += basket_codes(args.db, args.basket, args.seed)
    return codes


def code_from_line(line: str) -> str | None:
    """A code from a line of a file or stdin; None for blank and '#' comment lines."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    return unescape(text)


_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|[trn\\])")
_SIMPLE = {"t": "\t", "r": "\r", "n": "\n", "\\": "\\"}


def unescape(text: str) -> str:
    """`\\t \\r \\n \\xNN \\\\` in typed codes, so GS (\\x1d) and controls can be typed."""
    return _ESCAPE.sub(lambda m: chr(int(m[1][1:], 16)) if m[1][0] == "x" else _SIMPLE[m[1]], text)


def list_profiles() -> int:
    rows = [("NAME", "BAUD", "FRAMING", "TERMINATOR", "AIM", "DESCRIPTION")]
    for name in shipped_profiles():
        p = load_profile(name)
        summary = profile_summary(p).split()
        rows.append((p.name, str(p.baudrate), summary[2], p.terminator,
                     "on" if p.aim else "off", p.description))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[5], flush=True)
    return 0


def _count(word: str, minimum: int = 0) -> int:
    try:
        value = int(word)
    except ValueError:
        raise ValueError(f"{word!r} is not a whole number") from None
    if value < minimum:
        raise ValueError(f"{word!r}: at least {minimum} expected")
    return value


def _sleep_until(when: float) -> None:
    delay = when - time.monotonic()
    if delay > 0:
        time.sleep(delay)


# for `python -m pos_hardware.emulator_cli`
if __name__ == "__main__":
    raise SystemExit(main())
