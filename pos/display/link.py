"""The till's side of the customer display: `DisplayLink`, a thread that writes frames
to the display by URL (pos.device_link, as the receipt printer's port: a device
path such as /dev/ttyUSB0, the display emulator's pty, or socket://host:port), so
that the till never waits for the display.

    link = DisplayLink("/dev/ttyUSB0", "cd5220", "CP437").start(on_change)
    link.show(frame)        # returns at once; the latest frame wins
    link.state              # connecting | connected | disconnected
    link.stop()

`show` only leaves the frame for the thread: a frame not yet written when a newer
one comes is dropped (the customer sees the till's state, not its history). The
thread opens the port, sends the display's initialisation and the current frame,
then writes each new frame. A write or open that fails (the cable pulled, the
emulator gone) closes the port, makes the state `disconnected` and is tried
again every `retry_delay` seconds; once the display is back it gets the
initialisation and the current frame again. Between frames the thread looks at
the port every `probe_delay` seconds (a hung-up port, a peer that closed), so an
unplug shows in the status bar without waiting for the next frame. `on_change()`
is called from the thread when the state changes (pos.background.notify).
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from ..background import notify
from ..device_link import Link, open_link, port_error
from .commands import check, frame_bytes, init_bytes
from .frames import Frame

log = logging.getLogger("pos.display")

CONNECTING, CONNECTED, DISCONNECTED = "connecting", "connected", "disconnected"


class DisplayLink:
    def __init__(self, url: str, protocol: str = "cd5220", code_page: str = "CP437", *,
                 baudrate: int = 9600, currency_code: str = "", retry_delay: float = 1.0,
                 probe_delay: float = 0.5, write_timeout: float = 1.0) -> None:
        self.url = url
        self.protocol = protocol
        self.code_page = code_page
        self.codec = check(protocol, code_page)
        self.baudrate = baudrate
        self.currency_code = currency_code
        self.retry_delay, self.probe_delay, self.write_timeout = retry_delay, probe_delay, write_timeout
        self.state = CONNECTING
        self.shown: Frame | None = None         # the last frame the display took
        self.frames_written = 0
        self._frame: Frame | None = None        # the newest frame asked for
        self._lock = threading.Lock()
        self._wake = threading.Event()          # a new frame, or stop
        self._stopped = threading.Event()
        self._stopping = False
        self._port: Link | None = None
        self._thread: threading.Thread | None = None
        self._on_change: Callable[[], object] = lambda: None

    # ---- the till's side -------------------------------------------------------------

    def show(self, frame: Frame) -> None:
        """Asks for `frame` on the display; never blocks (the latest frame wins)."""
        with self._lock:
            self._frame = frame
        self._wake.set()

    def start(self, on_change: Callable[[], object] = lambda: None) -> DisplayLink:
        self._on_change = on_change
        self._thread = threading.Thread(target=self._run, name="customer-display", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping = True
        self._stopped.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._close()

    # ---- the thread ------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping:
                if self._port is None and not self._open():
                    self._stopped.wait(self.retry_delay)     # new frames do not hurry it
                    continue
                woken = self._wake.wait(self.probe_delay)
                if self._stopping:
                    break
                if woken:
                    self._wake.clear()
                    self._write_current()
                else:
                    self._probe()
        except Exception:                  # never silently: the status bar stays as it was
            log.exception("customer display: the link stopped")
        finally:
            self._close()

    def _open(self) -> bool:
        try:
            self._port = open_link(self.url, self.baudrate, self._deadline())
            self._port.write(init_bytes(self.protocol, self.code_page), self._deadline())
        except Exception as exc:
            if not port_error(exc) and not isinstance(exc, ValueError):
                raise
            self._lost(f"cannot open: {exc}")
            return False
        self.shown = None
        if not self._write_current():
            return False
        self._now(CONNECTED)
        return True

    def _deadline(self) -> float:
        return time.monotonic() + self.write_timeout

    def _write_current(self) -> bool:
        """Writes the newest frame unless the display has it; False when the port failed."""
        with self._lock:
            frame = self._frame
        if frame is None or frame == self.shown or self._port is None:
            return self._port is not None
        try:
            self._port.write(frame_bytes(self.protocol, frame.lines, self.codec, self.currency_code),
                             self._deadline())
        except Exception as exc:
            if not port_error(exc):
                raise
            self._lost(f"cannot write: {exc}")
            return False
        self.shown = frame
        self.frames_written += 1
        self._now(CONNECTED)
        return True

    def _probe(self) -> None:
        """A hung-up port or a display that closed the connection is lost; what a
        display sends back is discarded."""
        if self._port is None:
            return
        try:
            self._port.check_alive()
            self._port.discard_input()
        except Exception as exc:
            if not port_error(exc):
                raise
            self._lost(f"gone: {exc}")

    def _lost(self, why: str) -> None:
        if self.state != DISCONNECTED:
            log.warning("customer display %s: %s; tried again every %.1f s", self.url, why,
                        self.retry_delay)
        self._close()
        self._now(DISCONNECTED)

    def _close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            try:
                port.close()
            except Exception:
                pass

    def _now(self, state: str) -> None:
        if state != self.state:
            self.state = state
            notify(self._on_change)
