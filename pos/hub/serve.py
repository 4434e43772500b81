"""`pos hub serve`: the hub's app under uvicorn. The listening socket is bound
here, before uvicorn starts, so that a port taken or refused is a clear error
(exit 2 naming --listen), and so that `--listen 127.0.0.1:0` (a port the system
chooses: the tests) is known and printed before the first request. TLS when a
certificate and its key are given (checked before the socket is bound).
"""
from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ..errors import ConfigError, UsageError
from .app import MAX_BODY, create_app
from .catalog import StoreCatalog
from .store import HubStore
from .suggest import HubSuggester


@dataclass(frozen=True)
class ServeOptions:
    data: Path
    listen: str = "127.0.0.1:8700"
    db: Path | None = None              # the store: sales with unknown skus are refused,
                                        # POST /v1/suggest answered from it
    cert: Path | None = None
    key: Path | None = None
    max_body: int = MAX_BODY


def parse_listen(text: str) -> tuple[str, int]:
    """HOST:PORT ([::1]:PORT for IPv6) -> (host, port); UsageError naming --listen."""
    host, sep, port = text.rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(f"--listen {text!r}: HOST:PORT is wanted (0.0.0.0:8700, 127.0.0.1:0)")
    return host, int(port)


def bind(listen: str) -> socket.socket:
    host, port = parse_listen(listen)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise UsageError(f"--listen {listen}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise UsageError(f"--listen {listen}: cannot listen there ({exc.strerror or exc})") from None
    return sock


def check_tls(cert: Path | None, key: Path | None) -> None:
    if (cert is None) != (key is None):
        raise UsageError("--cert and --key go together")
    if cert is None or key is None:
        return
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigError(f"--cert {cert} --key {key}: cannot be used ({exc})") from None


def url_of(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    host = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{host}:{port}"


def run_hub(options: ServeOptions, on_listening: Callable[[str], None] = print) -> None:
    """Serves until SIGINT or SIGTERM (uvicorn's graceful stop). `on_listening` is
    given the hub's URL once the socket listens."""
    import uvicorn

    parse_listen(options.listen)
    check_tls(options.cert, options.key)
    store = HubStore(options.data)
    catalog = StoreCatalog(options.db) if options.db is not None else None
    suggester = HubSuggester(options.db, sales=store.sales_path) if options.db is not None \
        else None
    app = create_app(store, catalog, options.max_body, store_db=options.db, suggester=suggester)
    sock = bind(options.listen)
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # at a stop the long polls (GET /v1/sales?wait=) are answered at once (_Server); a
    # request still running after 5 s is cut
    config = uvicorn.Config(app, log_level="info", access_log=True, timeout_graceful_shutdown=5,
                            ssl_certfile=str(options.cert) if options.cert else None,
                            ssl_keyfile=str(options.key) if options.key else None)
    try:
        on_listening(url_of(sock, options.cert is not None))
        server = uvicorn.Server(config)
        real_exit = server.handle_exit

        def handle_exit(sig: int, frame: FrameType | None) -> None:
            # on the loop's thread (signal handler): the long polls answer before
            # uvicorn waits for the requests under way to end
            app.state.arrivals.closing()
            real_exit(sig, frame)
        server.handle_exit = handle_exit      # type: ignore[method-assign]
        server.run(sockets=[sock])
    finally:
        sock.close()
        store.close()
        if catalog is not None:
            catalog.close()
        if suggester is not None:
            suggester.close()
