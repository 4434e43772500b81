"""What the emulators of devices a till writes to share (the printer's,
printer_emulator.py, and the display's, display_emulator.py): a port (a pty,
pty_device.py, optionally behind a stable symlink, or a TCP port with one client
at a time, printer_socket.py), plugged in and out, and the thread that reads it.

A subclass handles what arrives in `_receive(data)` (on the reading thread) and
notifies `_changed`, the Condition its tests wait on.
"""
from __future__ import annotations

import os
import threading
import time
from typing import Self

from .printer_socket import PrinterSocket
from .pty_device import PtyDevice, Unplugged

POLL_SECONDS = 0.005          # how often a pty (or an unplugged port) is read


class ReceivingEmulator:
    thread_name = "device-emulator"

    def __init__(self, link: str | os.PathLike[str] | None, tcp: tuple[str, int] | None,
                 what: str) -> None:
        self._device: PtyDevice | PrinterSocket = (
            PrinterSocket(tcp, what) if tcp is not None else PtyDevice(link))
        self._stop = threading.Event()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str | None:
        """What a till opens: the link when there is one, else the pty's device, or
        socket://HOST:PORT."""
        return self._device.url

    @property
    def device(self) -> str | None:
        """The pty's device (/dev/pts/N), None on TCP."""
        return self._device.device

    @property
    def plugged(self) -> bool:
        return self._device.plugged

    def start(self) -> Self:
        self._device.plug()
        self._thread = threading.Thread(target=self._read, name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        self._device.unplug()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def unplug(self) -> None:
        """The cable pulled: the port is gone."""
        self._device.unplug()

    def replug(self) -> None:
        self._device.plug()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                if isinstance(self._device, PrinterSocket):
                    data = self._device.read_available(POLL_SECONDS)   # waits for the client
                else:
                    data = self._device.read_available()
            except Unplugged:
                data = b""
            if not data:
                if not isinstance(self._device, PrinterSocket) or not self._device.plugged:
                    time.sleep(POLL_SECONDS)
                continue
            self._receive(data)

    def _receive(self, data: bytes) -> None:
        raise NotImplementedError
