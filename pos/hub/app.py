"""The hub's HTTP API (Starlette; docs/hub.md, "The API"):

  GET  /v1/health  200 {"status": "ok", "version": 1}; no token needed
  POST /v1/sales   a paid sale (pos.hub.sale), with `Authorization: Bearer TOKEN`:
     201 stored; 200 a repeat of a stored sale (same id, same content): not stored again
     400 not JSON, or not a sale's shape (the message names the field)
     401 no token, a wrong or a revoked one (logged with the client's address)
     403 a sale of another till than the token's
     409 the sale's id is stored with other content
     413 a body over `max_body` bytes (1 MB), told by Content-Length or counted
     422 a sku the store does not have (only with a catalog: `pos hub serve --db`)
  Every refusal is {"error": "..."} and changes nothing.

The store's calls are blocking SQLite: they run on Starlette's thread pool.
"""
from __future__ import annotations

import json
import logging
from typing import Protocol

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .sale import SaleInvalid, parse_sale
from .store import HUB_VERSION, HubStore
from .tokens import authenticate

MAX_BODY = 1_000_000
log = logging.getLogger("pos.hub")


class Catalog(Protocol):
    def unknown(self, skus: frozenset[str]) -> list[str]: ...


class TooLarge(Exception):
    pass


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(store: HubStore, catalog: Catalog | None = None,
               max_body: int = MAX_BODY) -> Starlette:
    """The hub's ASGI app over `store` (and `catalog`, to refuse unknown skus)."""

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": HUB_VERSION})

    async def post_sale(request: Request) -> JSONResponse:
        client = request.client.host if request.client else "unknown"
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        till = await run_in_threadpool(authenticate, store, token.strip()) \
            if scheme.lower() == "bearer" and token.strip() else None
        if till is None:
            log.warning("401 from %s: %s", client,
                        "a wrong or revoked token" if token.strip() else "no bearer token")
            return _error(401, "a valid till token is needed (Authorization: Bearer TOKEN)",
                          {"WWW-Authenticate": "Bearer"})
        try:
            raw = await _body(request, max_body)
        except TooLarge:
            return _error(413, f"the body is over {max_body} bytes")
        try:
            sale = parse_sale(json.loads(raw))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _error(400, f"the body is not JSON ({exc})")
        except SaleInvalid as exc:
            return _error(400, str(exc))
        except RecursionError:
            return _error(400, "the body is nested too deep")
        if sale.till != till:
            log.warning("403 from %s: till %s sent a sale of till %s", client, till, sale.till)
            return _error(403, f"this token is till {till}'s; the sale is till {sale.till}'s")
        if catalog is not None:
            unknown = await run_in_threadpool(catalog.unknown, sale.skus)
            if unknown:
                return _error(422, f"skus the store does not have: {', '.join(unknown[:10])}"
                                   + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""))
        received = await run_in_threadpool(store.put_sale, till, sale.sale_id,
                                           sale.content_hash, sale.paid_at, sale.canonical)
        if received.status == "conflict":
            return _error(409, f"sale {sale.sale_id} is stored already with other content")
        return JSONResponse({"sale_id": sale.sale_id, "status": received.status,
                             "received_at": received.received_at},
                            status_code=201 if received.status == "stored" else 200)

    return Starlette(routes=[Route("/v1/health", health, methods=["GET"]),
                             Route("/v1/sales", post_sale, methods=["POST"])])
