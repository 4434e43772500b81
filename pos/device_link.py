"""A device by URL, as pyserial's serial_for_url names it (a device path such as
/dev/ttyUSB0, a pty of an emulator) or socket://host:port, with every call bounded
by a deadline: the receipt printer's port (pos.receipt.connection) and the
customer display's link (pos.display.link) write through it.

socket:// is a plain TCP connection made here, because pyserial's own waits up to
5 s to connect whatever its timeout. `check_alive` tells a connection that died
since the last call (a pty hung up, a peer that closed) before anything is
written into it and lost.
"""
from __future__ import annotations

import select
import socket
import termios
import time
from typing import Protocol
from urllib.parse import urlsplit

DRAIN_POLL_SECONDS = 0.005     # how often a write looks whether a serial port's output went out


class Stale(OSError):
    """The connection is dead before anything was sent on it (nothing lost): open it again."""


class Link(Protocol):
    """An open connection to a device: bytes out and in, each call bounded by a deadline."""

    def check_alive(self) -> None: ...
    def write(self, data: bytes, deadline: float) -> None: ...
    def read_byte(self, deadline: float) -> int | None: ...
    def discard_input(self) -> None: ...
    def close(self) -> None: ...


def time_left(deadline: float) -> float:
    return max(0.0, deadline - time.monotonic())


class SerialLink:
    """A device path (or any URL but socket://) through pyserial."""

    def __init__(self, url: str, baudrate: int, deadline: float) -> None:
        import serial
        self._port = serial.serial_for_url(url, do_not_open=True, baudrate=baudrate,
                                           timeout=time_left(deadline), write_timeout=time_left(deadline))
        self._port.open()

    def write(self, data: bytes, deadline: float) -> None:
        self._port.write_timeout = max(time_left(deadline), 0.001)
        written = self._port.write(data)
        if written != len(data):
            raise OSError(f"took {written} of {len(data)} bytes")
        # the bytes are in the kernel's queue: wait (bounded) until they are on the line,
        # as flush() would without a bound (tcdrain waits for ever on a port held by flow control)
        while self._waiting() > 0:
            if time.monotonic() >= deadline:
                raise OSError(f"{self._waiting()} bytes still waiting to go out")
            time.sleep(DRAIN_POLL_SECONDS)

    def check_alive(self) -> None:
        fd = getattr(self._port, "fd", None)
        if fd is None:
            return
        poller = select.poll()
        poller.register(fd, select.POLLHUP | select.POLLERR)
        events = poller.poll(0)
        if events and events[0][1] & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
            raise Stale("the device hung up")

    def _waiting(self) -> int:
        try:
            return int(self._port.out_waiting)
        except (AttributeError, NotImplementedError, OSError):
            return 0

    def read_byte(self, deadline: float) -> int | None:
        self._port.timeout = time_left(deadline)
        data = self._port.read(1)
        return data[0] if data else None

    def discard_input(self) -> None:
        self._port.reset_input_buffer()

    def close(self) -> None:
        try:
            if self._port.is_open and self._waiting() > 0:
                self._port.reset_output_buffer()      # else closing waits for it to drain
        except (OSError, termios.error):
            pass
        self._port.close()


class SocketLink:
    """socket://host:port: a TCP connection (a network printer's raw port, a display's)."""

    def __init__(self, url: str, deadline: float) -> None:
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or port is None or parts.path or parts.query:
            raise ValueError("expected socket://HOST:PORT")
        self._sock = socket.create_connection((parts.hostname, port), timeout=max(time_left(deadline), 0.001))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def check_alive(self) -> None:
        # a device that closed the connection (FIN) would take a send() into the
        # kernel's buffer and lose it: look first
        readable, _, _ = select.select([self._sock], [], [], 0)
        if not readable:
            return
        self._sock.setblocking(False)
        try:
            closed = self._sock.recv(1, socket.MSG_PEEK) == b""
        except BlockingIOError:
            closed = False
        except OSError as exc:                  # reset
            raise Stale(str(exc)) from None
        finally:
            self._sock.setblocking(True)
        if closed:
            raise Stale("the device closed the connection")

    def write(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            left = time_left(deadline)
            if left <= 0:
                raise OSError(f"took {len(data) - len(view)} of {len(data)} bytes")
            self._sock.settimeout(left)
            try:
                sent = self._sock.send(view)
            except TimeoutError:
                continue
            view = view[sent:]

    def read_byte(self, deadline: float) -> int | None:
        left = time_left(deadline)
        if left <= 0:
            return None
        self._sock.settimeout(left)
        try:
            data = self._sock.recv(1)
        except TimeoutError:
            return None
        if not data:
            raise OSError("the device closed the connection")
        return data[0]

    def discard_input(self) -> None:
        self._sock.setblocking(False)
        try:
            while self._sock.recv(4096):
                pass
        except BlockingIOError:
            pass
        finally:
            self._sock.setblocking(True)

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()


def open_link(url: str, baudrate: int, deadline: float) -> Link:
    """The device at `url`, opened by `deadline`; serial.SerialException, OSError or
    ValueError when it cannot be (see port_error)."""
    if url.startswith("socket://"):
        return SocketLink(url, deadline)
    return SerialLink(url, baudrate, deadline)


def port_error(exc: Exception) -> bool:
    """An error of the port itself (pyserial's, the OS's, the tty's), not a bug."""
    import serial
    return isinstance(exc, (serial.SerialException, OSError, termios.error))
