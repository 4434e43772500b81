"""What the emulators' commands share (pos-scanner-emulator: emulator_cli.py,
pos-printer-emulator: printer_emulator_cli.py, pos-display-emulator:
display_emulator_cli.py): where the device is (a pty behind --link PATH, or a TCP
port HOST:PORT), one line per event on stdout, SIGTERM stopping like Ctrl-C,
errors on stderr as `error: ...`, the profile options, and the loop over typed
commands and their :help.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from typing import TextIO


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


def add_profile_options(parser: argparse.ArgumentParser, what: str, default: str) -> None:
    """--profile NAME|PATH (a `what` profile, `default` unless given) and --list-profiles."""
    parser.add_argument("--profile", default=default, metavar="NAME|PATH",
                        help=f"{what} profile (default: {default}; see --list-profiles)")
    parser.add_argument("--list-profiles", action="store_true", help="list the shipped profiles and exit")


def add_port_options(parser: argparse.ArgumentParser, tcp_option: str) -> None:
    """--link PATH or `tcp_option` HOST:PORT (--socket, --tcp), not both."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--link", metavar="PATH", help="a symlink to the pty, kept across unplug/replug")
    where.add_argument(tcp_option, metavar="HOST:PORT",
                       help="serve socket://HOST:PORT instead of a pty (port 0: any free port)")


def tcp_address(parser: argparse.ArgumentParser, tcp_option: str, text: str | None,
                example: str) -> tuple[str, int] | None:
    """The address given to `tcp_option` (None when not given); a usage error when it
    is not HOST:PORT."""
    if not text:
        return None
    address = parse_host_port(text)
    if address is None:
        parser.error(f"{tcp_option} {text!r}: expected HOST:PORT, e.g. {example}")
    return address


def parse_host_port(text: str) -> tuple[str, int] | None:
    """HOST:PORT ([::1]:9100 for IPv6) as an address; None when it is not one."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        return None
    return host.strip("[]"), int(port)


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises Terminated in the main thread (caught like Ctrl-C)."""
    signal.signal(signal.SIGTERM, _raise_terminated)


def fail(exc: BaseException, status: int = 1) -> int:
    """`error: EXC` on stderr; the exit status."""
    print(f"error: {exc}", file=sys.stderr, flush=True)
    return status


def show_help(print_event: Callable[[str], object], commands: str) -> None:
    """The typed commands' list, a `help:` event a line (:help)."""
    for row in commands.splitlines():
        print_event(f"help: {row}")


def command_loop(stream: TextIO, run: Callable[[str], bool], prompt: str | None = None) -> bool:
    """Each non-blank line of `stream` (stripped) to `run` until it returns True (True,
    :quit) or the input ends (False). A ValueError from `run` is shown as `error: ...`
    on stderr and the loop goes on. `prompt` is written to stderr before each line
    when both are terminals."""
    show_prompt = prompt is not None and stream.isatty() and sys.stderr.isatty()
    while True:
        if show_prompt:
            sys.stderr.write(prompt or "")
            sys.stderr.flush()
        line = stream.readline()
        if not line:
            return False
        text = line.strip()
        if not text:
            continue
        try:
            if run(text):
                return True
        except ValueError as exc:
            fail(exc)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated()
