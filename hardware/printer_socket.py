"""A TCP port that stands in for a device a till writes to: a network receipt
printer's raw port (socket://HOST:9100) or a networked customer display. It reads
what one client sends and can answer it.

One client at a time, as on a real network printer or display: while one is
connected, a second one's connection waits in the listen queue and is served when
the first closes. Listening, unplugging and plugging in again: tcp_listener.py.
The scanner's TCP device (socket_device.py) only sends; this one receives.
"""
from __future__ import annotations

import select
import socket

from .tcp_listener import TcpListener, close_client


class PrinterSocket(TcpListener):
    backlog = 4

    def __init__(self, address: tuple[str, int], what: str = "printer") -> None:
        super().__init__(address, what)
        self._client: socket.socket | None = None

    @property
    def connected(self) -> bool:
        return self._client is not None

    def _drop_clients(self) -> None:
        if self._client is not None:
            close_client(self._client)
            self._client = None

    def read_available(self, wait: float) -> bytes:
        """What the client sent (waiting at most `wait` seconds for it; b"" when
        nothing, or no client). Accepts a client when there is none; a client that
        closed is forgotten. Raises Unplugged when unplugged."""
        with self._lock:
            if self._listener is None:
                raise self._unplugged()
            if self._client is None:
                readable, _, _ = select.select([self._listener], [], [], wait)
                if not readable:
                    return b""
                self._client = self._accept()
                if self._client is None:
                    return b""
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
                close_client(self._client)
                self._client = None
            return data

    def write(self, data: bytes, timeout: float) -> int:
        """Sends `data` to the client (an answer to it): the bytes sent, 0 with no
        client. Raises Unplugged when unplugged."""
        with self._lock:
            if self._listener is None:
                raise self._unplugged()
            if self._client is None:
                return 0
            _, writable, _ = select.select([], [self._client], [], timeout)
            if not writable:
                return 0
            try:
                return self._client.send(data)
            except OSError:
                return 0
