"""A receipt printer by URL: `PrinterPort` asks its status and sends it bytes, never
waiting longer than its timeout; `send_receipt` sends one receipt's bytes.

URLs are those of pyserial's serial_for_url, as the scanner's reader takes them: a
device path (/dev/ttyUSB0, /dev/usb/lp0 as a file-like port, a pty of the printer
emulator) or socket://host:9100 (a network printer's raw port). A device goes
through pyserial; socket:// is a plain TCP connection (pos.device_link, shared with
the customer display), because pyserial's own waits up to 5 s to connect whatever
its timeout.

    with PrinterPort("socket://192.168.1.50:9100", timeout=2) as printer:
        status = printer.status()          # DLE EOT 1, 2, 4: pos.receipt.status
        if status.ready:
            printer.send(receipt_bytes(receipt, profile))
        else:
            ...keep the receipt; show _(status.problem)...

Every call finishes within `timeout` seconds (open, status and send each) or raises
PrinterUnavailable, whose message has the URL and why: cannot open, no status
answer, not a status answer, not all bytes taken. After a failure the port is
closed, and the next status() or send() opens it again: a printer unplugged and
plugged back in (a new pty behind the same link, a network printer switched on
again) is found without a new PrinterPort.

A printer that is out of paper or has its cover open still takes bytes: it keeps
them in its buffer and prints them when the fault is cleared (send does not fail).
Ask status() first to know whether it will print now.

A printer that never answers DLE EOT (some cheap ones have no real-time status, and
a /dev/usb/lp0 port cannot be read) makes status() raise PrinterUnavailable "no
status answer" every time; such a printer can still be sent to, but pos cannot
tell whether it printed. Not yet (issue 20): USB by vendor and product id.
"""
from __future__ import annotations

import termios
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from ..device_link import Link, Stale, open_link, port_error
from ..errors import EXIT_STORE, PosError
from .status import OFFLINE_CAUSE, PAPER, PRINTER, PrinterStatus, StatusByteError, status_request

T = TypeVar("T")


class PrinterUnavailable(PosError):
    """The printer cannot be opened, did not answer its status, or did not take the
    bytes in time (the message has its URL and says which). Its code is that of a
    device pos cannot reach (as the hub)."""
    exit_code = EXIT_STORE


class PrinterPort:
    """One printer at `url` (see the module's docstring); safe to share between threads."""

    def __init__(self, url: str, timeout: float = 2.0, baudrate: int = 38400) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout!r}")
        self.url = url
        self.timeout = timeout
        self.baudrate = baudrate
        self._link: Link | None = None
        self._lock = threading.RLock()

    @property
    def is_open(self) -> bool:
        return self._link is not None

    def open(self) -> None:
        """Opens the port (nothing when it is open); PrinterUnavailable when it cannot."""
        with self._lock:
            self._open(time.monotonic() + self.timeout)

    def _open(self, deadline: float) -> Link:
        if self._link is not None:
            return self._link
        import serial
        try:
            self._link = open_link(self.url, self.baudrate, deadline)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterUnavailable(f"printer {self.url}: cannot open: {exc}") from None
        return self._link

    def status(self) -> PrinterStatus:
        """Asks DLE EOT 1, 2 and 4 and reads one byte each, all within the timeout.
        PrinterUnavailable when it cannot be opened, does not answer (unplugged, off,
        or a printer without real-time status) or answers with a byte that is not a
        status."""
        return self._call(self._status, "no status answer")

    def _status(self, link: Link, deadline: float) -> PrinterStatus:
        link.discard_input()                    # a stray byte is not taken for an answer
        answers = []
        for n in (PRINTER, OFFLINE_CAUSE, PAPER):
            link.write(status_request(n), deadline)
            byte = link.read_byte(deadline)
            if byte is None:
                raise PrinterUnavailable(
                    f"printer {self.url}: no status answer to DLE EOT {n} within {self.timeout:g} s "
                    "(unplugged, switched off, or a printer without real-time status)")
            answers.append(byte)
        try:
            return PrinterStatus.from_bytes(*answers)
        except StatusByteError as exc:
            raise PrinterUnavailable(f"printer {self.url}: not a status answer: {exc}") from None

    def send(self, data: bytes) -> None:
        """Writes all of `data` within the timeout, or PrinterUnavailable. The printer
        has them all (in its buffer) once a status() after it answers."""
        def write(link: Link, deadline: float) -> None:
            link.write(data, deadline)
        self._call(write, f"the bytes were not all sent within {self.timeout:g} s")

    def _call(self, action: Callable[[Link, float], T], failure: str) -> T:
        """`action` on the open link within the timeout; a link found dead before it
        starts (a printer unplugged, or a network printer restarted since the last
        call) is opened again once; any failure closes it and raises PrinterUnavailable."""
        with self._lock:
            deadline = time.monotonic() + self.timeout
            while True:
                fresh = self._link is None
                link = self._open(deadline)
                try:
                    link.check_alive()
                    break
                except Stale as exc:
                    self._drop()
                    if fresh:
                        raise PrinterUnavailable(f"printer {self.url}: {failure}: {exc}") from None
            try:
                return action(link, deadline)
            except PrinterUnavailable:
                self._drop()
                raise
            except Exception as exc:
                self._drop()
                if not port_error(exc):
                    raise
                raise PrinterUnavailable(f"printer {self.url}: {failure}: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        link, self._link = self._link, None
        if link is not None:
            try:
                link.close()
            except (OSError, termios.error):
                pass

    def __enter__(self) -> PrinterPort:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def send_receipt(url: str, data: bytes, timeout: float = 2.0, baudrate: int = 38400) -> None:
    """Writes `data` to the printer at `url`, all of it within `timeout` seconds
    (opening counted apart); PrinterUnavailable else."""
    with PrinterPort(url, timeout, baudrate) as port:
        port.send(data)
