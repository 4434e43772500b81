"""What the emulators' TCP ports share: a listening socket at HOST:PORT (what a
till or reader opens as pyserial's `socket://HOST:PORT`), plugged in and out.

`TcpListener` listens (port 0: any free port, kept across unplug and replug),
accepts without blocking, and on unplugging closes its clients' connections (they
read end-of-file) and the listening socket (new connections are refused);
plugging in again listens on the same port. What it does with its clients is its
subclass's: socket_device.py (the scanner's: sends to every client) and
printer_socket.py (the printer's and the display's: one client, read and answered).
"""
from __future__ import annotations

import errno
import socket
import threading

from .pty_device import Unplugged


class TcpListener:
    backlog = 8                      # connections the kernel queues before we accept them

    def __init__(self, address: tuple[str, int], what: str = "device") -> None:
        self.host, self.port = address[0], int(address[1])
        self.what = what             # in the Unplugged error: "scanner unplugged"
        self.device: str | None = None   # a pty's; the emulators ask either kind of port
        self.link: str | None = None
        self._listener: socket.socket | None = None
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
                listener.listen(self.backlog)
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
            self._drop_clients()
            self._listener.close()
            self._listener = None

    def _drop_clients(self) -> None:
        """Closes every client's connection (called with the lock held)."""
        raise NotImplementedError

    def _accept(self) -> socket.socket | None:
        """A waiting client, non-blocking, or None (called with the lock held, plugged)."""
        assert self._listener is not None
        try:
            client, _ = self._listener.accept()
        except (BlockingIOError, InterruptedError):
            return None
        client.setblocking(False)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return client

    def _unplugged(self) -> Unplugged:
        return Unplugged(errno.ENODEV, f"{self.what} unplugged")


def close_client(sock: socket.socket) -> None:
    """Shuts a connection down both ways and closes it (the other side reads end-of-file)."""
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()
