"""A pseudo-terminal that stands in for a serial scanner's port.

`os.openpty()` gives a master (our side: the scanner) and a slave (the reader's
side: a real tty that pyserial opens like /dev/ttyACM0). The slave is put in raw
mode, so no echo and no line discipline touch the bytes (a CR stays a CR), and
then closed on our side: with no slave open, the master polls POLLHUP, which is
how we see whether a reader has the port open. The settings stay with the pty.

Writes are non-blocking: the kernel buffers about 16-20 KiB for a slave nobody
reads; past that a write waits at most `timeout` and the rest is dropped, as a
scanner without flow control would lose it. Data written while no reader has
the slave open stays buffered, and a reader that flushes its input on open
(pyserial does) never sees it.

Unplugging closes the master and removes the link: a reader's open slave then
reads end-of-file (pyserial: "device reports readiness to read but returned no
data"). Plugging in again makes a new pty (maybe another /dev/pts/N) and points
the same link at it, like a stable /dev/serial/by-id/ path.
"""
from __future__ import annotations

import errno
import fcntl
import os
import select
import struct
import termios
import threading
import time
import tty
from pathlib import Path

RETRY_SECONDS = 0.002   # how often a write retries while the pty buffer is full


class Unplugged(OSError):
    """The device is unplugged: nothing can be written."""


class PtyDevice:
    def __init__(self, link: str | os.PathLike | None = None):
        self.link: str | None = os.fspath(link) if link is not None else None
        self.device: str | None = None
        self._master: int | None = None
        self._lock = threading.Lock()

    @property
    def plugged(self) -> bool:
        return self._master is not None

    @property
    def url(self) -> str | None:
        """What a reader opens: the link when there is one, else the device."""
        return self.link or self.device

    def plug(self) -> None:
        with self._lock:
            if self._master is not None:
                return
            master, slave = os.openpty()
            try:
                tty.setraw(slave)
                name = os.ttyname(slave)
            except BaseException:
                os.close(master)
                raise
            finally:
                os.close(slave)
            os.set_blocking(master, False)
            try:
                if self.link is not None:
                    _point_link(Path(self.link), name)
            except BaseException:
                os.close(master)
                raise
            self._master, self.device = master, name

    def unplug(self) -> None:
        with self._lock:
            if self._master is None:
                return
            if self.link is not None:
                _remove_link(Path(self.link), self.device)
            os.close(self._master)
            self._master = None

    def write(self, data: bytes, timeout: float) -> int:
        """Write as much of `data` as the pty takes within `timeout` seconds; the
        number of bytes written. Raises Unplugged when unplugged."""
        deadline = time.monotonic() + timeout
        done = 0
        while done < len(data):
            with self._lock:
                if self._master is None:
                    raise Unplugged(errno.ENODEV, "scanner unplugged")
                try:
                    done += os.write(self._master, data[done:])
                    continue
                except BlockingIOError:
                    pass
            if time.monotonic() >= deadline:
                break
            time.sleep(RETRY_SECONDS)
        return done

    def read_available(self, size: int = 4096) -> bytes:
        """What the other side wrote to the device and we have not read yet (b"" when
        nothing, or while nobody has the port open). For a device that receives, such
        as the printer emulator; raises Unplugged when unplugged."""
        with self._lock:
            if self._master is None:
                raise Unplugged(errno.ENODEV, "device unplugged")
            try:
                return os.read(self._master, size)
            except BlockingIOError:
                return b""
            except OSError as exc:
                if exc.errno == errno.EIO:      # no slave open: nothing to read
                    return b""
                raise

    def reader_attached(self) -> bool:
        """True when some process has the slave open. Also discards whatever the
        reader wrote to the scanner (commands a real scanner might answer)."""
        with self._lock:
            if self._master is None:
                return False
            poller = select.poll()
            poller.register(self._master, select.POLLIN | select.POLLHUP)
            events = poller.poll(0)
            mask = events[0][1] if events else 0
            if mask & select.POLLIN:
                try:
                    os.read(self._master, 4096)
                except OSError:
                    pass
            return not mask & select.POLLHUP


    def unread_bytes(self) -> int:
        """Bytes written that an attached reader has not read yet (0 when no reader
        has the port open: nobody to wait for). Opens the slave for a moment to ask
        (poll, then FIONREAD), under the lock, so that our own presence is never
        mistaken for a reader."""
        with self._lock:
            if self._master is None or self.device is None:
                return 0
            poller = select.poll()
            poller.register(self._master, select.POLLHUP)
            if poller.poll(0):
                return 0
            try:
                fd = os.open(self.device, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
            except OSError:
                return 0                     # e.g. TIOCEXCL: cannot tell
            try:
                # poll first: when nothing is readable yet it pushes the bytes still
                # on their way from the master (the flip buffer) to the reader's queue
                slave_poller = select.poll()
                slave_poller.register(fd, select.POLLIN)
                slave_poller.poll(0)
                return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
            finally:
                os.close(fd)


def _point_link(link: Path, device: str) -> None:
    """Make `link` a symlink to `device`, replacing an old symlink (never a real file)."""
    if os.path.lexists(link) and not link.is_symlink():
        raise FileExistsError(f"{link}: exists and is not a symlink; not replacing it")
    link.parent.mkdir(parents=True, exist_ok=True)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink()
    except FileNotFoundError:
        pass
    os.symlink(device, temporary)
    os.replace(temporary, link)


def _remove_link(link: Path, device: str | None) -> None:
    """Remove `link` if it still points at our device (not someone else's)."""
    try:
        if link.is_symlink() and os.readlink(link) == device:
            link.unlink()
    except FileNotFoundError:
        pass
