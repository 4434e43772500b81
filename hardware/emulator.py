"""A barcode scanner on a serial port, in software: for testing the serial reader
and for demos without hardware.

`Emulator` serves a pty (a real tty, optionally behind a stable symlink) or a TCP
port (pyserial's `socket://`), and sends reads framed as a device profile says
(prefix, AIM identifier, data, suffix, terminator), paced at the profile's baud
rate. It also makes the faults a real line shows: noise, a read in pieces, a read
without its terminator, bursts, and unplugging the cable.

    with Emulator(profile=load_profile("generic-cr"), link="/tmp/scanner") as em:
        em.wait_connected(5)        # a reader opened /tmp/scanner
        em.scan("5901234123457")    # b"5901234123457\\r", in about 15 ms at 9600 8N1

Writes never block for long: see pty_device.py and socket_device.py. The
command line (`pos-scanner-emulator`) is in emulator_cli.py; docs/scanner-emulator.md
has both.
"""
from __future__ import annotations

import os
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from pos.scanner.events import escape_bytes
from pos.scanner.profiles import DeviceProfile, load_profile

from .faults import noise_bytes, split_parts
from .framing import frame_bytes, profile_summary, seconds_per_byte
from .pty_device import PtyDevice, Unplugged
from .socket_device import SocketDevice

PACING_CHUNK_SECONDS = 0.002    # paced writes go out in pieces of about this long
MONITOR_SECONDS = 0.02          # how often the reader's presence is checked


@dataclass
class Transmission:
    """One thing the emulator sent: `kind` is scan, split, no-terminator, noise or
    raw; `parts` the logical writes (one, or several for split); `delivered` the
    bytes the device took (the rest were dropped: unplugged, no client, or
    nobody reading a full buffer)."""
    kind: str
    code: str | None
    data: bytes
    parts: list[bytes] = field(default_factory=list)
    delivered: int = 0
    at: float = 0.0

    @property
    def dropped(self) -> int:
        return len(self.data) - self.delivered


class Emulator:
    """A scanner on a pty (`link` optional) or, with `socket_address`, on a TCP port.

    `baud`: pacing in bits per second (None: the profile's; 0: no pacing).
    `write_timeout`: the longest a write waits for buffer room before dropping.
    `on_event`: called with one plain line per event (the command prints them).
    `seed`: for noise when noise() gets no seed.
    """

    def __init__(self, profile: DeviceProfile | str = "generic-cr", *,
                 link: str | os.PathLike | None = None,
                 socket_address: tuple[str, int] | None = None,
                 baud: int | None = None, write_timeout: float = 2.0,
                 on_event: Callable[[str], None] | None = None,
                 seed: int | None = None):
        if link is not None and socket_address is not None:
            raise ValueError("give link (pty mode) or socket_address (socket mode), not both")
        self.profile = profile if isinstance(profile, DeviceProfile) else load_profile(profile)
        self._device: PtyDevice | SocketDevice = (
            SocketDevice(socket_address) if socket_address is not None else PtyDevice(link))
        self.baud = self.profile.baudrate if baud is None else int(baud)
        self.write_timeout = write_timeout
        self.on_event = on_event
        self.sent: list[str | bytes] = []
        self.history: list[Transmission] = []
        self._rng = random.Random(seed)
        self._send_lock = threading.RLock()
        self._stop = threading.Event()
        self._monitor: threading.Thread | None = None
        self._attached = False
        self._started = False

    # -- where a reader finds us ---------------------------------------------

    @property
    def socket_mode(self) -> bool:
        return isinstance(self._device, SocketDevice)

    @property
    def device(self) -> str | None:
        """pty mode: the slave device (/dev/pts/N); socket mode: None."""
        return self._device.device

    @property
    def link(self) -> str | None:
        return self._device.link

    @property
    def url(self) -> str | None:
        """What a reader opens: the link, else the device; socket://HOST:PORT in socket mode."""
        return self._device.url

    @property
    def plugged(self) -> bool:
        return self._device.plugged

    @property
    def dropped_bytes(self) -> int:
        return sum(t.dropped for t in self.history)

    # -- life cycle ------------------------------------------------------------

    def start(self) -> "Emulator":
        if self._started:
            return self
        self._device.plug()
        self._started = True
        self._stop.clear()
        self._announce_plug("device")
        self._monitor = threading.Thread(target=self._watch_reader, name="scanner-emulator-monitor",
                                         daemon=True)
        self._monitor.start()
        return self

    def close(self) -> None:
        if not self._started:
            return
        self._stop.set()
        if self._monitor is not None:
            self._monitor.join()
            self._monitor = None
        with self._send_lock:
            self._device.unplug()
        self._started = False
        self._emit("closed", self.url or "")

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def unplug(self) -> None:
        """Pull the cable: the reader's open port fails (EOF), the link goes away."""
        self._require_started()
        with self._send_lock:
            was = self.device or self.url
            self._device.unplug()
        self._emit("unplug", was or "")

    def replug(self) -> None:
        """Plug back in: a new pty behind the same link, or the same TCP port."""
        self._require_started()
        with self._send_lock:
            self._device.unplug()
            self._device.plug()
        self._announce_plug("replug")

    def set_baud(self, baud: int) -> None:
        """Pace at `baud` bits per second from now on; 0 turns pacing off."""
        if baud < 0:
            raise ValueError("baud must be 0 (no pacing) or positive")
        self.baud = int(baud)
        self._emit("baud", str(self.baud) if self.baud else "0 (no pacing)")

    def wait_connected(self, timeout: float) -> bool:
        """True as soon as a reader has the port open (pty: the slave is open;
        socket: a client is connected); False after `timeout` seconds."""
        return self._wait_for(True, timeout)

    def wait_disconnected(self, timeout: float) -> bool:
        """True as soon as no reader has the port open; False after `timeout` seconds."""
        return self._wait_for(False, timeout)

    def wait_drained(self, timeout: float) -> bool:
        """True once the reader has read everything sent so far (pty: nothing left
        in the slave's input queue; socket: every byte acknowledged), or at once
        when no reader has the port open; False after `timeout` seconds. Call it
        before unplug() or close() when the reads before them must arrive: both
        drop what the reader has not read yet, as pulling a cable does."""
        self._require_started()
        deadline = time.monotonic() + timeout
        while self._device.unread_bytes():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, MONITOR_SECONDS / 2))
        return True

    # -- reads and faults -------------------------------------------------------

    def scan(self, code: str, symbology: str | None = None) -> bytes:
        """One read of `code`, framed by the profile; the bytes sent."""
        data = frame_bytes(self.profile, code, symbology)
        self._send("scan", code, [data])
        return data

    def send_raw(self, data: bytes) -> None:
        """Exactly these bytes, no framing."""
        self._send("raw", None, [bytes(data)])

    def noise(self, n: int = 16, seed: int | None = None, terminate: bool = True) -> bytes:
        """n random bytes (with NUL, 0xFF and other non-printables, never the
        terminator's bytes), then the terminator if `terminate`: one garbage frame."""
        rng = random.Random(seed) if seed is not None else self._rng
        data = noise_bytes(n, rng, exclude=self.profile.end_bytes)
        label = f"{n} random"
        if terminate and self.profile.terminator_bytes:
            data += self.profile.terminator_bytes
            label += " + terminator"
        self._send("noise", None, [data], label=label)
        return data

    def split_write(self, code: str, parts: int = 3, gap: float = 0.05,
                    symbology: str | None = None) -> list[bytes]:
        """One read of `code` in `parts` writes with `gap` seconds between them."""
        pieces = split_parts(frame_bytes(self.profile, code, symbology), parts)
        shown = escape_bytes(code.encode("utf-8"))
        self._send("split", code, pieces, gap=gap, label=f"{shown} in {len(pieces)} writes")
        return pieces

    def missing_terminator(self, code: str, symbology: str | None = None) -> bytes:
        """A read of `code` that never gets its terminator (a timeout fragment)."""
        data = frame_bytes(self.profile, code, symbology, terminate=False)
        self._send("no-terminator", code, [data])
        return data

    def burst(self, codes: list[str], rate: float = 50.0, symbology: str | None = None) -> None:
        """One read per code, starting `1/rate` seconds apart (back to back when
        pacing makes a read longer than that)."""
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._emit("burst", f"{len(codes)} reads at {rate:g}/s")
        start = time.monotonic()
        with self._send_lock:
            for i, code in enumerate(codes):
                _sleep_until(start + i / rate)
                self.scan(code, symbology)

    # -- internals --------------------------------------------------------------

    def _send(self, kind: str, code: str | None, parts: list[bytes], gap: float = 0.0,
              label: str = "") -> None:
        self._require_started()
        data = b"".join(parts)
        record = Transmission(kind, code, data, parts=list(parts), at=time.monotonic())
        with self._send_lock:
            for i, part in enumerate(parts):
                if i and gap > 0:
                    time.sleep(gap)
                delivered = self._transmit(part)
                record.delivered += delivered
            self.history.append(record)
            # str: a read a reader should report; bytes: anything else
            self.sent.append(code if kind in ("scan", "split") and code is not None else data)
        shown = escape_bytes(code.encode("utf-8")) if code is not None else str(len(data))
        self._emit(kind, f"{label or shown} bytes={escape_bytes(data)}")
        if record.dropped:
            self._emit("dropped", f"{record.dropped} bytes ({self._why_dropped()})")

    def _transmit(self, data: bytes) -> int:
        """Write `data` at the pacing rate; the bytes the device took."""
        byte_time = seconds_per_byte(self.profile, self.baud)
        chunk = max(1, int(PACING_CHUNK_SECONDS / byte_time)) if byte_time else len(data) or 1
        start = time.monotonic()
        delivered = 0
        for offset in range(0, len(data), chunk):
            piece = data[offset:offset + chunk]
            try:
                took = self._device.write(piece, self.write_timeout)
            except Unplugged:
                took = 0
            delivered += took
            if took < len(piece):
                # unplugged, no client, or a buffer still full after write_timeout:
                # the rest of this write is lost, without waiting again per piece
                break
            if byte_time:
                _sleep_until(start + (offset + len(piece)) * byte_time)
        return delivered

    def _why_dropped(self) -> str:
        if not self._device.plugged:
            return "unplugged"
        if self.socket_mode and not self._device.reader_attached():
            return "no client connected"
        return f"nobody reading: buffer full for {self.write_timeout:g} s"

    def _wait_for(self, attached: bool, timeout: float) -> bool:
        self._require_started()
        deadline = time.monotonic() + timeout
        while True:
            if self._device.reader_attached() == attached:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, MONITOR_SECONDS / 2))

    def _watch_reader(self) -> None:
        while not self._stop.is_set():
            attached = self._device.reader_attached()
            if attached != self._attached:
                self._attached = attached
                self._emit("reader", "connected" if attached else "disconnected")
            self._stop.wait(MONITOR_SECONDS)

    def _announce_plug(self, kind: str) -> None:
        if kind == "device":
            # started: the url and the device (pty mode) are known
            if self.socket_mode:
                self._emit("url", self.url or "")
            else:
                self._emit("device", self.device or "")
                if self.link:
                    self._emit("link", self.link)
                self._emit("url", self.url or "")
            self._emit("profile", profile_summary(self.profile) +
                       (f" pacing={self.baud}" if self.baud != self.profile.baudrate else ""))
        elif self.socket_mode:
            self._emit("replug", f"url={self.url}")
        else:
            self._emit("replug", f"device={self.device}" + (f" link={self.link}" if self.link else ""))

    def _require_started(self) -> None:
        if not self._started:
            raise RuntimeError("the emulator is not started: call start() or use `with Emulator(...)`")

    def _emit(self, kind: str, text: str) -> None:
        if self.on_event is not None:
            self.on_event(f"{kind}: {text}")


def _sleep_until(when: float) -> None:
    delay = when - time.monotonic()
    if delay > 0:
        time.sleep(delay)


if __name__ == "__main__":   # `python -m pos_hardware.emulator`: the command (emulator_cli.py)
    from pos_hardware.emulator_cli import main
    raise SystemExit(main())
