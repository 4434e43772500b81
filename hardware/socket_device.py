"""A TCP port that stands in for a networked serial scanner (pyserial's
`socket://HOST:PORT`, as served by ser2net or a serial device server).

Every connected client gets every byte. With no client connected the bytes go
nowhere (counted as dropped), like a scanner whose cable is not plugged in.
Writes are non-blocking: a client that stops reading gets at most `timeout`
seconds of waiting per write before the rest is dropped for it.

Listening, unplugging and plugging in again: tcp_listener.py.
"""
from __future__ import annotations

import fcntl
import select
import socket
import struct
import termios
import time

from .pty_device import RETRY_SECONDS
from .tcp_listener import TcpListener, close_client


class SocketDevice(TcpListener):
    def __init__(self, address: tuple[str, int]):
        super().__init__(address, "scanner")
        self._clients: list[socket.socket] = []

    def _drop_clients(self) -> None:
        for client in self._clients:
            close_client(client)
        self._clients.clear()

    def write(self, data: bytes, timeout: float) -> int:
        """Send `data` to every client within `timeout` seconds; the bytes the
        slowest client took (0 with no client). Raises Unplugged when unplugged."""
        self._accept_and_drain()
        deadline = time.monotonic() + timeout
        with self._lock:
            if self._listener is None:
                raise self._unplugged()
            clients = list(self._clients)
        if not clients:
            return 0
        delivered = []
        for client in clients:
            done = 0
            while done < len(data):
                try:
                    done += client.send(data[done:])
                    continue
                except BlockingIOError:
                    pass
                except OSError:          # the client went away
                    self._forget(client)
                    break
                if time.monotonic() >= deadline:
                    break
                time.sleep(RETRY_SECONDS)
            delivered.append(done)
        return min(delivered)

    def reader_attached(self) -> bool:
        """True when a client is connected (after accepting new ones and
        noticing closed ones)."""
        self._accept_and_drain()
        with self._lock:
            return bool(self._clients)

    def unread_bytes(self) -> int:
        """Bytes sent that some client's kernel has not acknowledged yet (SIOCOUTQ)."""
        with self._lock:
            clients = list(self._clients)
        unsent = 0
        for client in clients:
            try:
                raw = fcntl.ioctl(client.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
                unsent = max(unsent, struct.unpack("i", raw)[0])
            except (OSError, ValueError):
                pass
        return unsent

    def _accept_and_drain(self) -> None:
        with self._lock:
            if self._listener is None:
                return
            while (client := self._accept()) is not None:
                self._clients.append(client)
            if not self._clients:
                return
            readable, _, _ = select.select(self._clients, [], [], 0)
            for client in readable:
                try:
                    if client.recv(4096):
                        continue         # what a reader sends a scanner: ignored
                except BlockingIOError:
                    continue
                except OSError:
                    pass
                close_client(client)
                self._clients.remove(client)

    def _forget(self, client: socket.socket) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        close_client(client)

