"""The serial scanner reader: a thread that opens a scanner through pyserial
(a device path, /dev/serial/by-id/..., or any pyserial URL such as
hwgrep://VID:PID, socket://host:port, loop://), frames its bytes with the
device profile, and hands every event to a callback.

It survives unplug and replug: a failing read or open reports `Disconnected`
(once), the partial read at that moment is dropped and reported, and the port
is reopened with backoff (at most `max_backoff` seconds apart) until the device
is back: same path, or whatever a by-id link or hwgrep:// resolves to then. A
read is reported exactly once, when its terminator arrives; nothing is
retried, so nothing is duplicated. Bytes the device sent while the port was
closed are not ours to see (opening a port flushes its input).
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import serial

from .events import Connected, Disconnected, ReaderEvent
from .framing import Framer
from .profiles import DeviceProfile

try:
    import termios
    _PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError, termios.error)
except ImportError:  # not POSIX
    _PORT_ERRORS = (serial.SerialException, OSError)
_OPEN_ERRORS: tuple[type[Exception], ...] = (*_PORT_ERRORS, ValueError)   # and a bad URL

BACKOFF = (0.05, 0.1, 0.2, 0.4)


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


class SerialReader:
    """Reads `url` with `profile` in a background thread; `on_event(event)` is
    called from that thread for every ReaderEvent, in order."""

    def __init__(self, url: str, profile: DeviceProfile, on_event: Callable[[ReaderEvent], None],
                 *, read_timeout: float = 0.05, max_backoff: float = 0.5,
                 clock: Callable[[], float] = time.monotonic):
        self.url = url
        self.profile = profile
        self.on_event = on_event
        self.read_timeout = read_timeout
        self.max_backoff = max_backoff
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = False

    def start(self) -> "SerialReader":
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def __enter__(self) -> "SerialReader":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _open(self) -> serial.Serial:
        port = serial.serial_for_url(self.url, do_not_open=True, timeout=self.read_timeout,
                                     **self.profile.serial_kwargs)
        if "://" not in self.url:
            port.exclusive = True       # a second program must not steal reads
        port.open()
        return port

    def _run(self) -> None:
        framer = Framer(self.profile)
        attempt = 0
        reported_down = False
        while not self._stop.is_set():
            try:
                port = self._open()
            except _OPEN_ERRORS as exc:
                if not reported_down:
                    self.on_event(Disconnected(self.url, f"cannot open: {_reason(exc)}", self.clock()))
                    reported_down = True
                delay = min(BACKOFF[min(attempt, len(BACKOFF) - 1)], self.max_backoff)
                attempt += 1
                self._stop.wait(delay)
                continue
            attempt = 0
            reported_down = False
            self.connected = True
            self.on_event(Connected(getattr(port, "portstr", None) or self.url, self.clock()))
            try:
                self._read_until_failure(port, framer)
            except _PORT_ERRORS as exc:
                now = self.clock()
                for event in framer.reset(now, "scanner disconnected mid-read — scan again"):
                    self.on_event(event)
                self.connected = False
                self.on_event(Disconnected(self.url, _reason(exc), now))
                reported_down = True
            finally:
                self.connected = False
                try:
                    port.close()
                except _PORT_ERRORS:
                    pass

    def _read_until_failure(self, port: serial.Serial, framer: Framer) -> None:
        while not self._stop.is_set():
            data = port.read(max(1, port.in_waiting))
            now = self.clock()
            for event in framer.feed(data, now) if data else framer.poll(now):
                self.on_event(event)
