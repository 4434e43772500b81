"""The hub's HTTP API (Starlette; docs/hub.md, "The API"):

  GET  /v1/health  200 {"status": "ok", "version": 2, "following": N}: N long polls
                   waiting (the tills following the store's sales); no token needed
  POST /v1/sales   a paid sale (pos.hub.sale), with `Authorization: Bearer TOKEN`:
     201 stored; 200 a repeat of a stored sale (same id, same content): not stored again
     400 not JSON, or not a sale's shape (the message names the field)
     401 no token, a wrong or a revoked one (logged with the client's address)
     403 a sale of another till than the token's
     409 the sale's id is stored with other content
     413 a body over `max_body` bytes (1 MB), told by Content-Length or counted
     422 a sku the store does not have (only with a catalog: `pos hub serve --db`)
  GET  /v1/sales?after=SEQ&limit=N&wait=S, with a till's token: the store's sales
     received after SEQ (every till's, in the order received: a till's cursor):
     200 {"hub": HUB_ID, "cursor": SEQ2, "sales": [sale, ...]}; with `wait` (seconds,
     at most 30) and nothing new, the answer waits until a sale arrives or `wait` is
     over (long polling); 400 for a bad parameter
  GET  /v1/report?from=&to=&timezone=&format=&min_support=&min_lift=&bundle_sales=&bundles=,
     with a token: `pos report` over the store's sales journal (every till's sales),
     with the store's names and zone (`--db`), rendered as `format` (table, csv, json);
     400 names a bad parameter
  POST /v1/suggest  suggestions for a basket (pos.hub.suggest), with a token:
     200 what a line of `pos suggest --jsonl` answers; 400 what it answers to a bad line
     401, 413 as for a sale; 503 the hub has no store (no `pos hub serve --db`)
  POST /v1/coupons/{code}/redeem {"sale_id": ..., "till": ...}, with that till's token:
     a next-visit coupon scanned in a sale (pos.coupons), held for that sale in one
     transaction (HubStore.redeem_coupon): 200 {"code", "status": "held", "coupon":
     the coupon as issued} the first time (and again for the same sale); 409
     {"error", "first_used_at", "till", "sale_id"} when another sale used it (paid) or
     holds it; 404 no sale issuing it has arrived; 400 a bad body or code; 403 a till
     not the token's
  POST /v1/coupons/{code}/printed {"till": ..., "printed_at": UTC seconds}, with the
     issuing till's token: its receipt was printed (the report's "printed"): 200
     {"code", "printed_at"}; 404 no sale issuing it has arrived; 403 another till's
     coupon or token; 400 a bad body or code
  Every refusal is {"error": "..."} and changes nothing.

The store's calls are blocking SQLite: they run on Starlette's thread pool.
"""
from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..errors import PosError, UsageError
from ..report.options import ReportOptions, report_text
from ..suggest_json import load_request
from .sale import SaleInvalid, parse_sale
from .store import HUB_VERSION, HubStore
from .tokens import authenticate

MAX_BODY = 1_000_000
MAX_WAIT = 30.0          # seconds a GET /v1/sales may wait for a sale
PAGE = 500               # sales per GET /v1/sales, at most
log = logging.getLogger("pos.hub")


class Catalog(Protocol):
    def unknown(self, skus: frozenset[str]) -> list[str]: ...


class Suggester(Protocol):
    def suggest(self, request: object) -> dict[str, object]: ...

    def learn(self) -> int: ...          # the store's sales journal read since the last call


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


class Arrivals:
    """Wakes the long polls when a sale is stored: `current()` is the event the next
    sale sets; a poller takes it before reading, so no sale falls in between.
    `closing()` (the hub stopping) answers every long poll at once, and the later
    ones without waiting. On the app: `app.state.arrivals`."""

    def __init__(self, store: HubStore) -> None:
        self.store = store
        self._event = asyncio.Event()
        self.closed = False
        self.waiting = 0             # long polls waiting now (GET /v1/health says it)
        # the reads since the last arrival, shared: the polls a sale wakes mostly ask
        # for the same cursor, and are answered by one read
        self._reads: dict[tuple[int, int], asyncio.Future[tuple[list[str], int]]] = {}

    def current(self) -> asyncio.Event:
        return self._event

    def read(self, after: int, limit: int) -> asyncio.Future[tuple[list[str], int]]:
        """The sales after `after` (HubStore.sales_after), one read per cursor until
        the next arrival."""
        key, loop = (after, limit), asyncio.get_running_loop()
        found = self._reads.get(key)
        if found is not None and (found.get_loop() is not loop
                                  or found.done() and found.exception() is not None):
            found = None                  # another loop's (tests), or a read that failed
        if found is None:
            found = asyncio.ensure_future(run_in_threadpool(self.store.sales_after, after, limit))
            self._reads[key] = found
        return found

    def arrived(self) -> None:
        self._reads = {}
        self._event.set()
        self._event = asyncio.Event()

    def closing(self) -> None:
        self.closed = True
        self._event.set()


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise ValueError(f"{name}={text!r}: an integer from {low} to {high} is wanted")
    return int(text)


def _report_options(request: Request) -> ReportOptions:
    q = request.query_params
    try:
        min_support, bundle_sales = int(q.get("min_support", "20")), int(q.get("bundle_sales",
                                                                                 "100000"))
        min_lift = float(q.get("min_lift", "1.5"))
    except ValueError as exc:
        raise UsageError(f"a number is wanted ({exc})") from None
    return ReportOptions.parse(q.get("from"), q.get("to"), q.get("timezone"),
                               q.get("format", "table"), min_support, min_lift, bundle_sales,
                               with_bundles=q.get("bundles", "1") != "0", prefix="")


MEDIA = {"table": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8",
         "json": "application/json"}


def create_app(store: HubStore, catalog: Catalog | None = None,
               max_body: int = MAX_BODY, store_db: Path | None = None,
               suggester: Suggester | None = None) -> Starlette:
    """The hub's ASGI app over `store` (and `catalog`, to refuse unknown skus;
    `store_db`, the store whose names and zone the report takes; `suggester`, to
    answer POST /v1/suggest)."""
    arrivals = Arrivals(store)

    def stored_after() -> None:
        store.write_sales_journal()
        if suggester is not None:
            suggester.learn()

    async def health(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok", "version": HUB_VERSION,
                             "following": arrivals.waiting})

    async def authenticated(request: Request) -> str | JSONResponse:
        """The till the request's bearer token is, or the 401 to answer."""
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        # on the event loop: the tills are in memory (a read when they may have changed)
        till = authenticate(store, token.strip()) \
            if scheme.lower() == "bearer" and token.strip() else None
        if till is None:
            client = request.client.host if request.client else "unknown"
            log.warning("401 from %s: %s", client,
                        "a wrong or revoked token" if token.strip() else "no bearer token")
            return _error(401, "a valid till token is needed (Authorization: Bearer TOKEN)",
                          {"WWW-Authenticate": "Bearer"})
        return till

    async def post_sale(request: Request) -> Response:
        till = await authenticated(request)
        if isinstance(till, Response):
            return till
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
            client = request.client.host if request.client else "unknown"
            log.warning("403 from %s: till %s sent a sale of till %s", client, till, sale.till)
            return _error(403, f"this token is till {till}'s; the sale is till {sale.till}'s")
        if catalog is not None:
            unknown = await run_in_threadpool(catalog.unknown, sale.skus)
            if unknown:
                return _error(422, f"skus the store does not have: {', '.join(unknown[:10])}"
                                   + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""))
        received = await run_in_threadpool(store.put_sale, sale, False)
        if received.status == "conflict":
            return _error(409, f"sale {sale.sale_id} is stored already with other content")
        after = None
        if received.status == "stored":
            arrivals.arrived()
            # after the answer (the ack waits for hub.db's commit only): the store's
            # sales journal, then what the hub's suggestions learn from it
            after = BackgroundTask(stored_after)
        return JSONResponse({"sale_id": sale.sale_id, "status": received.status,
                             "received_at": received.received_at},
                            status_code=201 if received.status == "stored" else 200,
                            background=after)

    async def get_sales(request: Request) -> Response:
        till = await authenticated(request)
        if isinstance(till, Response):
            return till
        try:
            after = _int_param(request, "after", 0, 0, 2**62)
            limit = _int_param(request, "limit", PAGE, 1, PAGE)
            wait = _int_param(request, "wait", 0, 0, int(MAX_WAIT))
        except ValueError as exc:
            return _error(400, str(exc))
        arrived = arrivals.current()
        bodies, cursor = await arrivals.read(after, limit)
        if not bodies and wait and not arrivals.closed:
            arrivals.waiting += 1
            try:
                await asyncio.wait_for(arrived.wait(), wait)
            except asyncio.TimeoutError:
                pass
            else:
                bodies, cursor = await arrivals.read(after, limit)
            finally:
                arrivals.waiting -= 1
        # the stored bodies are JSON already: put together, not parsed and dumped again
        text = (f'{{"hub":{json.dumps(store.hub_id)},"cursor":{cursor},'
                f'"sales":[{",".join(bodies)}]}}')
        return Response(text, media_type="application/json")

    async def get_report(request: Request) -> Response:
        till = await authenticated(request)
        if isinstance(till, Response):
            return till
        try:
            options = _report_options(request)
            text = await run_in_threadpool(report_text, store.sales_path, store_db, options)
        except UsageError as exc:
            return _error(400, str(exc))
        except PosError as exc:          # the store's sales journal or the store unreadable
            log.error("report: %s", exc)
            return _error(503, f"the report cannot be made now ({exc})")
        return Response(text, media_type=MEDIA[options.format])

    async def post_suggest(request: Request) -> Response:
        till = await authenticated(request)
        if isinstance(till, Response):
            return till
        if suggester is None:
            return _error(503, "this hub has no store to suggest from "
                               "(pos hub serve --db STORE.db)")
        try:
            raw = await _body(request, max_body)
        except TooLarge:
            return _error(413, f"the body is over {max_body} bytes")
        try:
            # on the event loop, not the thread pool: ~15 us a call (0.5 ms for a
            # customer's first, read from the store), the pool's hop ~180 us
            return JSONResponse(suggester.suggest(load_request(raw)))
        except ValueError as exc:
            return _error(400, str(exc))

    async def coupon_request(request: Request, wants: dict[str, tuple[type, ...]]
                             ) -> tuple[str, str, dict[str, Any]] | Response:
        """(the token's till, the coupon code, the body) of a POST /v1/coupons/{code}/...,
        whose body is a JSON object with `till` (the token's) and the fields `wants`
        (name: types); or the refusal."""
        till = await authenticated(request)
        if isinstance(till, Response):
            return till
        code = request.path_params["code"]
        if not (code.isascii() and code.isdigit() and len(code) <= 32):
            return _error(400, f"{code[:40]!r} is not a coupon code (digits)")
        try:
            body = json.loads(await _body(request, 4096))
        except TooLarge:
            return _error(413, "the body is over 4096 bytes")
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return _error(400, f"the body is not JSON ({exc})")
        fields = {"till": (str,), **wants}
        if not isinstance(body, dict) or any(
                not isinstance(body.get(k), kinds) or isinstance(body.get(k), bool)
                for k, kinds in fields.items()):
            return _error(400, f"the body must be {{{', '.join(map(json.dumps, fields))}}}")
        if body["till"] != till:
            return _error(403, f"this token is till {till}'s, not till {body['till']}'s")
        return till, code, body

    async def post_redeem(request: Request) -> Response:
        asked = await coupon_request(request, {"sale_id": (str,)})
        if isinstance(asked, Response):
            return asked
        till, code, body = asked
        if not body["sale_id"].startswith(f"{till}-"):
            return _error(400, f"sale_id {body['sale_id']!r} is not an id made on till {till!r}")
        found = await run_in_threadpool(store.redeem_coupon, code, body["sale_id"], till)
        if found.status == "unknown":
            return _error(404, f"coupon {code}: no sale issuing it has reached the hub")
        if found.status == "used":
            return JSONResponse({"error": f"coupon {code} is used already",
                                 "first_used_at": found.at, "till": found.till,
                                 "sale_id": found.sale_id}, status_code=409)
        return JSONResponse({"code": code, "status": "held", "coupon": found.coupon})

    async def post_printed(request: Request) -> Response:
        asked = await coupon_request(request, {"printed_at": (int, float)})
        if isinstance(asked, Response):
            return asked
        till, code, body = asked
        at = float(body["printed_at"])
        done = await run_in_threadpool(store.coupon_printed, code, till, at)
        if done == "unknown":
            return _error(404, f"coupon {code}: no sale issuing it has reached the hub")
        if done == "other till":
            return _error(403, f"coupon {code} was issued at another till")
        return JSONResponse({"code": code, "printed_at": at})

    app = Starlette(routes=[Route("/v1/health", health, methods=["GET"]),
                            Route("/v1/sales", post_sale, methods=["POST"]),
                            Route("/v1/sales", get_sales, methods=["GET"]),
                            Route("/v1/report", get_report, methods=["GET"]),
                            Route("/v1/suggest", post_suggest, methods=["POST"]),
                            Route("/v1/coupons/{code}/redeem", post_redeem, methods=["POST"]),
                            Route("/v1/coupons/{code}/printed", post_printed, methods=["POST"])])
    app.state.arrivals = arrivals
    return app
