"""A TCP port that stands in for a network receipt printer's raw port
(socket://HOST:9100): it reads what one client sends and answers it.

One client at a time, as on a real network printer: while one is connected, a
second one's connection waits in the listen queue and is served when the first
closes. Unplugging closes the client's connection and the listening socket (new
connections are refused); plugging in again listens on the same port. The
scanner's TCP device (socket_device.py) only sends; this one receives.
"""
from __future__ import annotations

import errno
import select
import socket
import threading

from .pty_device import Unplugged
from .socket_device import _close


class PrinterSocket:
    def __init__(self, address: tuple[str, int]) -> None:
        self.host, self.port = address[0], int(address[1])
        self.device: str | None = None
        self.link: str | None = None
        self._listener: socket.socket | None = None
        self._client: socket.socket | None = None
        self._lock = threading.Lock()

    @property
    def plugged(self) -> bool:
        return self._listener is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"socket://{host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._client is not None

    def plug(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            listener = socket.socket(family, socket.SOCK_STREAM)
            try:
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind((self.host, self.port))
                listener.listen(4)
                listener.setblocking(False)
            except BaseException:
                listener.close()
                raise
            self.port = listener.getsockname()[1]
            self._listener = listener

    def unplug(self) -> None:
        with self._lock:
            if self._listener is None:
                return
            if self._client is not None:
                _close(self._client)
                self._client = None
            self._listener.close()
            self._listener = None

    def read_available(self, wait: float) -> bytes:
        """What the client sent (waiting at most `wait` seconds for it; b"" when
        nothing, or no client). Accepts a client when there is none; a client that
        closed is forgotten. Raises Unplugged when unplugged."""
        with self._lock:
            if self._listener is None:
                raise Unplugged(errno.ENODEV, "printer unplugged")
            if self._client is None:
                readable, _, _ = select.select([self._listener], [], [], wait)
                if not readable:
                    return b""
                try:
                    client, _ = self._listener.accept()
                except (BlockingIOError, InterruptedError):
                    return b""
                client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                client.setblocking(False)
                self._client = client
                wait = 0
            readable, _, _ = select.select([self._client], [], [], wait)
            if not readable:
                return b""
            try:
                data = self._client.recv(4096)
            except BlockingIOError:
                return b""
            except OSError:
                data = b""
            if not data:                       # the client closed its end
                _close(self._client)
                self._client = None
            return data

    def write(self, data: bytes, timeout: float) -> int:
        """Sends `data` to the client (an answer to it): the bytes sent, 0 with no
        client. Raises Unplugged when unplugged."""
        with self._lock:
            if self._listener is None:
                raise Unplugged(errno.ENODEV, "printer unplugged")
            if self._client is None:
                return 0
            _, writable, _ = select.select([], [self._client], [], timeout)
            if not writable:
                return 0
            try:
                return self._client.send(data)
            except OSError:
                return 0
