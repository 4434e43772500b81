"""A receipt printer on a serial port, in software: for testing receipts and for demos
without a printer.

`PrinterEmulator` serves a pty (a real tty, optionally behind a stable symlink, as
the scanner emulator does: pty_device.py), reads the ESC/POS bytes a till writes to
it and puts them on `paper` (escpos_paper.Paper: text lines, barcodes decoded back,
cuts). Unplugging closes the port as pulling the cable would.

    with PrinterEmulator("epson-tm-t88v-80mm", link="/tmp/printer") as printer:
        ...the till writes a receipt to /tmp/printer...
        printer.wait_cuts(1, timeout=5)
        printer.paper.texts, printer.paper.barcodes

Not yet (issue 20): a TCP port (socket://host:9100), going offline or out of paper
with the status a real printer answers (DLE EOT), a command line.
"""
from __future__ import annotations

import os
import threading
import time

from pos.receipt.profile import PrinterProfile, load_printer_profile

from .escpos_paper import EscposParseError, Paper
from .pty_device import PtyDevice, Unplugged

POLL_SECONDS = 0.005


class PrinterEmulator:
    def __init__(self, profile: PrinterProfile | str = "epson-tm-t88v-80mm",
                 link: str | os.PathLike[str] | None = None) -> None:
        self.profile = profile if isinstance(profile, PrinterProfile) else load_printer_profile(profile)
        self.paper = Paper(self.profile.escpos_profile)
        self.error: EscposParseError | None = None   # the stream it could not read, if any
        self._device = PtyDevice(link)
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str | None:
        """What a till opens: the link when there is one, else the pty's device."""
        return self._device.url

    @property
    def plugged(self) -> bool:
        return self._device.plugged

    def start(self) -> PrinterEmulator:
        self._device.plug()
        self._thread = threading.Thread(target=self._read, name="printer-emulator", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._device.unplug()

    def __enter__(self) -> PrinterEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def unplug(self) -> None:
        self._device.unplug()

    def replug(self) -> None:
        self._device.plug()

    def wait_cuts(self, count: int, timeout: float) -> bool:
        """True once `count` cuts are on the paper (a receipt each), False after `timeout`."""
        with self._changed:
            return self._changed.wait_for(lambda: self.paper.cuts >= count or self.error is not None,
                                          timeout)

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._device.read_available()
            except Unplugged:
                data = b""
            if not data:
                time.sleep(POLL_SECONDS)
                continue
            with self._changed:
                try:
                    self.paper.feed(data)
                except EscposParseError as exc:
                    self.error = exc
                self._changed.notify_all()
