"""A receipt printer in software, on a pty or a TCP port: for testing receipts, the
till's print queue and its faults, and for demos without a printer.

`PrinterEmulator` serves a pty (a real tty, optionally behind a stable symlink, as
the scanner emulator does: pty_device.py) or a TCP port (printer_socket.py: what a
till opens as socket://HOST:PORT, one client at a time), as receiving_emulator.py
does for it and the display. It reads the ESC/POS bytes a till sends and puts them
on `paper` (escpos_paper.Paper: text lines, barcodes decoded back, cuts);
`receipts` is the text of each cut receipt, also written to `out_dir` as
receipt-0001.txt ... when given.

It behaves as a real printer does:

- A status request DLE EOT n (n = 1, 2, 3, 4) is answered as soon as it arrives,
  from the printer's state (pos.receipt.status.PrinterStatus.to_bytes), also while
  the cover is open or the paper is out; it prints nothing. With
  realtime_status=False it never answers, as some cheap printers.
- With the cover open or the paper out it is offline: what it is sent is kept in
  its buffer (`held`) and not printed; when the fault is cleared it prints the
  buffer.
- Unplugged, the port is gone: the pty's link is removed and its master closed (a
  till's writes and reads fail), the TCP port closed (connections refused).

    with PrinterEmulator("epson-tm-t88v-80mm", tcp=("127.0.0.1", 0)) as printer:
        ...the till sends a receipt to printer.url...
        printer.wait_cuts(1, timeout=5)
        printer.receipts[0], printer.paper.barcodes

Tests wait for what they need without sleeping: wait_cuts, wait_queries (status
requests answered), wait_received (bytes received), or wait(predicate).

Real-time requests are found in the stream as the printer finds them: any bytes
10 04 n, even inside another command's data (Epson's reference warns of the same);
the parser (escpos_paper) skips them where they stand between commands.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from pos.receipt.profile import PrinterProfile, load_printer_profile
from pos.receipt.status import DLE, EOT, PrinterStatus

from .escpos_paper import EscposParseError, Paper
from .pty_device import Unplugged
from .receiving_emulator import ReceivingEmulator

ANSWER_TIMEOUT = 0.5          # how long an answer may wait for a till that does not read


class PrinterEmulator(ReceivingEmulator):
    thread_name = "printer-emulator"

    def __init__(self, profile: PrinterProfile | str = "epson-tm-t88v-80mm",
                 link: str | os.PathLike[str] | None = None, tcp: tuple[str, int] | None = None,
                 out_dir: str | os.PathLike[str] | None = None,
                 on_event: Callable[[str], None] | None = None, realtime_status: bool = True) -> None:
        if link is not None and tcp is not None:
            raise ValueError("a printer emulator serves a pty (link) or a TCP port (tcp), not both")
        self.profile = profile if isinstance(profile, PrinterProfile) else load_printer_profile(profile)
        self.paper = Paper(self.profile.escpos_profile)
        self.error: EscposParseError | None = None   # the stream it could not read, if any
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self.received = 0                            # bytes received, status requests included
        self.queries: list[int] = []                 # n of each DLE EOT n answered
        self._on_event = on_event
        self.realtime_status = realtime_status       # False: a cheap printer that never answers DLE EOT
        self._state = PrinterStatus()
        self._held = bytearray()                     # received, not printed yet
        self._tail = b""                             # the end of the last chunk: a request may span two
        self._receipts: list[str] = []
        super().__init__(link, tcp, "printer")

    def start(self) -> PrinterEmulator:
        if self.out_dir is not None:
            self.out_dir.mkdir(parents=True, exist_ok=True)
        return super().start()

    def unplug(self) -> None:
        """The cable pulled: the port is gone (what it held stays in its buffer)."""
        super().unplug()
        with self._changed:
            self._tail = b""
            self._changed.notify_all()

    def emit(self, data: bytes) -> int:
        """Sends `data` to the till unasked (as a printer's Automatic Status Back
        would): the bytes sent."""
        return self._device.write(data, ANSWER_TIMEOUT)

    # its state

    @property
    def status(self) -> PrinterStatus:
        return self._state

    @property
    def held(self) -> int:
        """Bytes received and not printed yet (the cover open or the paper out)."""
        return len(self._held)

    @property
    def receipts(self) -> list[str]:
        """The text of each receipt cut so far (lines, and `[barcode CODE128: ...]`)."""
        with self._changed:
            return list(self._receipts)

    def cover_open(self) -> None:
        self._set(cover_open=True)

    def close_cover(self) -> None:
        self._set(cover_open=False)

    def paper_out(self) -> None:
        self._set(paper_out=True)

    def paper_in(self) -> None:
        """A new roll: the paper is out no more, nor near its end."""
        self._set(paper_out=False, paper_near_end=False)

    def paper_near_end(self, near: bool = True) -> None:
        self._set(paper_near_end=near)

    def _set(self, **changes: bool) -> None:
        with self._changed:
            state = self._state
            fields = {"online": True, "cover_open": state.cover_open, "paper_out": state.paper_out,
                      "paper_near_end": state.paper_near_end, "error": state.error, **changes}
            fields["online"] = not (fields["cover_open"] or fields["paper_out"] or fields["error"])
            self._state = PrinterStatus(**fields)
            self._print_held()
            self._changed.notify_all()

    # waiting for it (tests, the command line)

    def wait(self, predicate: Callable[[PrinterEmulator], bool], timeout: float) -> bool:
        """True once `predicate(self)` holds (checked at every change), False after `timeout`."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout)

    def wait_cuts(self, count: int, timeout: float) -> bool:
        """True once `count` cuts are on the paper (a receipt each), False after `timeout`."""
        return self.wait(lambda p: p.paper.cuts >= count or p.error is not None, timeout)

    def wait_queries(self, count: int, timeout: float) -> bool:
        """True once `count` status requests (DLE EOT n) have been answered."""
        return self.wait(lambda p: len(p.queries) >= count, timeout)

    def wait_received(self, count: int, timeout: float) -> bool:
        """True once `count` bytes (status requests included) have been received."""
        return self.wait(lambda p: p.received >= count, timeout)

    # the printer

    def _receive(self, data: bytes) -> None:
        with self._changed:
            requests = self._requests(data) if self.realtime_status else []
            answers = bytes(self._answer(n) for n in requests)
            self.received += len(data)
            self.queries += requests
            self._held += data
            self._print_held()
            self._changed.notify_all()
        if answers:
            try:
                self._device.write(answers, ANSWER_TIMEOUT)
            except Unplugged:
                pass
        for n, byte in zip(requests, answers):
            self._event(f"status-query: DLE EOT {n} -> {byte:#04x} ({self._state.describe()})")

    def _requests(self, data: bytes) -> list[int]:
        """The n of each DLE EOT n in `data` (after the tail of the last chunk)."""
        stream = self._tail + data
        found = []
        i = stream.find(bytes((DLE, EOT)))
        while 0 <= i < len(stream) - 2:
            if stream[i + 2] in (1, 2, 3, 4):
                found.append(stream[i + 2])
            i = stream.find(bytes((DLE, EOT)), i + 1)
        self._tail = stream[-2:]
        return found

    def _answer(self, n: int) -> int:
        printer, offline_cause, paper = self._state.to_bytes()
        return {1: printer, 2: offline_cause, 3: 0x12, 4: paper}[n]

    def _print_held(self) -> None:
        """Prints the buffer when it can (called with the lock held)."""
        if not self._state.ready or not self._held or self.error is not None:
            return
        data, self._held = bytes(self._held), bytearray()
        cuts = self.paper.cuts
        try:
            self.paper.feed(data)
        except EscposParseError as exc:
            self.error = exc
            self._event(f"error: {exc}")
        for k in range(cuts, self.paper.cuts):
            self._cut(k)

    def _cut(self, k: int) -> None:
        text = self.paper.receipt_text(k)
        self._receipts.append(text)
        lines = text.count("\n")
        if self.out_dir is None:
            self._event(f"receipt: {lines} lines")
            return
        path = self.out_dir / f"receipt-{k + 1:04d}.txt"
        path.write_text(text, encoding="utf-8")
        self._event(f"receipt: {lines} lines, {path}")

    def _event(self, line: str) -> None:
        if self._on_event is not None:
            self._on_event(line)
