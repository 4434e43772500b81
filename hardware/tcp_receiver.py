"""A TCP port that stands in for a device that receives (a networked customer display
or printer, pyserial's `socket://HOST:PORT`): the receiving counterpart of
socket_device.py, with PtyDevice's `read_available` so an emulator reads a pty
and a TCP port alike.

Every connected client's bytes are read, in the order they come. Unplugging closes
the clients' connections (they read end-of-file) and the listening socket (new
connections are refused); plugging in again listens on the same port.
"""
from __future__ import annotations

import errno
import select
import socket
import threading

from .pty_device import Unplugged


class TcpReceiver:
    def __init__(self, address: tuple[str, int] = ("127.0.0.1", 0)):
        self.host, self.port = address[0], int(address[1])
        self._listener: socket.socket | None = None
        self._clients: list[socket.socket] = []
        self._lock = threading.Lock()

    @property
    def plugged(self) -> bool:
        return self._listener is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"socket://{host}:{self.port}"

    def plug(self) -> None:
        with self._lock:
            if self._listener is not None:
                return
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            listener = socket.socket(family, socket.SOCK_STREAM)
            try:
                listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                listener.bind((self.host, self.port))
                listener.listen(8)
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
            for client in self._clients:
                _close(client)
            self._clients.clear()
            self._listener.close()
            self._listener = None

    def read_available(self, size: int = 4096) -> bytes:
        """What the clients sent and we have not read yet (b"" when nothing); raises
        Unplugged when unplugged."""
        with self._lock:
            if self._listener is None:
                raise Unplugged(errno.ENODEV, "device unplugged")
            while True:
                try:
                    client, _ = self._listener.accept()
                except (BlockingIOError, InterruptedError):
                    break
                client.setblocking(False)
                self._clients.append(client)
            if not self._clients:
                return b""
            readable, _, _ = select.select(self._clients, [], [], 0)
            data = b""
            for client in readable:
                try:
                    chunk = client.recv(size)
                except BlockingIOError:
                    continue
                except OSError:
                    chunk = b""
                if chunk:
                    data += chunk
                else:                     # the client closed its side
                    _close(client)
                    self._clients.remove(client)
            return data


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
