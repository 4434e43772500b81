"""The till's side of the hub, reading (docs/hub.md, "The till's side: following the
store"): a follower that reads the store's sales from the hub (`GET /v1/sales`,
long polling from a cursor) into a store's sales journal of the till's own, on a
thread of its own: never on the till's event loop.

The store's sales journal (`store_sales_path`: beside the till's journal, e.g.
`sales-store.db`) has the tables of a till's journal (pos.journal) and every
till's paid sales as the hub has them, written with the cursor in one
transaction (`Journal.add_received`), so a crash or a restart goes on where it
stopped, and a sale read twice is kept once. The cursor belongs to one hub (meta
'hub_cursor' is "HUB_ID SEQ"): a hub that is not the one of the cursor (a new
hub, its data directory lost) is read again from the start. The till feeds the
other tills' sales to its learning and stock from there, on its own thread
(pos.till.session: `arrivals` tells it there is more).

Each round asks for the sales after the cursor, waiting up to `wait` seconds for
one to arrive; a round that fails (no answer, 5xx, a body that is not the store's
sales) is tried again after a delay that doubles from `base_delay` up to
`max_delay`; 401/403 stop it until the till starts again, as for the pusher.
"""
from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ..background import notify
from ..journal import Journal, JournalError
from .client import backoff
from .sale import SaleInvalid, parse_sale

log = logging.getLogger("pos.hub.follow")

CURSOR = "hub_cursor"


def store_sales_path(journal_path: Path) -> Path:
    """Where a till keeps the store's sales beside its journal `sales.db`: `sales-store.db`."""
    return journal_path.with_name(f"{journal_path.stem}-store{journal_path.suffix or '.db'}")


class HubFollower:
    """Reads the hub at `url` (with `token`) into the store's sales journal at `path`.
    `arrivals` counts the rounds that brought sales (the till compares it)."""

    def __init__(self, url: str, token: str, path: Path, *, client: httpx.Client | None = None,
                 wait: int = 20, timeout: float = 10.0, clock: Callable[[], float] = time.monotonic,
                 base_delay: float = 1.0, max_delay: float = 60.0,
                 verify: ssl.SSLContext | bool = True) -> None:
        self.url = url
        self.path = Path(path)
        self.wait = wait
        self.clock = clock
        self.base_delay, self.max_delay = base_delay, max_delay
        # a long poll's answer takes up to `wait` seconds more than a request
        self.client = client or httpx.Client(base_url=url, timeout=timeout + wait,
                                             verify=verify)
        self._auth = {"Authorization": f"Bearer {token}"}
        self.arrivals = 0
        self.failures = 0
        self.refused: str | None = None
        self._journal: Journal | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_change: Callable[[], object] = lambda: None

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = Journal(self.path, till="store")
        return self._journal

    def cursor(self) -> tuple[str | None, int]:
        """(the hub's id, the last seq read from it); (None, 0) before the first."""
        value = self.journal.meta(CURSOR)
        if value is None:
            return None, 0
        hub, _, seq = value.partition(" ")
        return hub, int(seq)

    def pull_once(self, wait: int | None = None) -> float | None:
        """One request: the sales after the cursor, written with the new cursor.
        The seconds to wait before the next round (it failed, or nothing came and
        `wait` is 0), 0.0 to go on at once, or None when refused (wait to be started
        again)."""
        if self.refused is not None:
            return None
        hub, after = self.cursor()
        try:
            response = self.client.get("/v1/sales", headers=self._auth, params={
                "after": after, "wait": self.wait if wait is None else wait})
            if response.status_code in (401, 403, 404):
                self.refused = f"{response.status_code}: {response.text[:200]}"
                log.error("hub %s refuses to relay the store's sales to this till (%s): "
                          "nothing more is read until the till starts again", self.url,
                          self.refused)
                return None
            response.raise_for_status()
            body = response.json()
            hub_now, cursor = str(body["hub"]), int(body["cursor"])
            sales = [parse_sale(sale).body for sale in body["sales"]]
        except (httpx.HTTPError, ValueError, KeyError, TypeError, SaleInvalid) as exc:
            return self._failed(exc)
        try:
            if hub is not None and hub_now != hub:
                log.warning("hub %s is not the one this till followed (%s): its sales are read "
                            "from the start", hub_now, hub)
                self.journal.add_received([], cursor=(CURSOR, f"{hub_now} 0"))
                return 0.0
            added = self.journal.add_received(sales, cursor=(CURSOR, f"{hub_now} {cursor}"))
        except JournalError as exc:
            return self._failed(exc)
        self.failures = 0
        if added:
            self.arrivals += 1
            self._changed()
        # nothing new after a long poll: ask again at once; without one, not in a loop
        return 0.0 if added or self.wait else self.base_delay

    def _failed(self, exc: Exception) -> float:
        log.warning("hub %s: the store's sales cannot be read now (%s): tried again later",
                    self.url, exc)
        self.failures += 1
        return backoff(self.base_delay, self.max_delay, self.failures)

    def _changed(self) -> None:
        notify(self._on_change)

    def start(self, on_change: Callable[[], object] = lambda: None) -> HubFollower:
        self._on_change = on_change
        self._thread = threading.Thread(target=self._run, name="hub-follower", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                delay = self.pull_once()
                if delay is None:
                    break
                if delay:
                    self._stop.wait(delay)
        except Exception:
            log.exception("hub: the follower stopped")
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            if self._stop.is_set():
                self.client.close()

    def stop(self, timeout: float = 2.0) -> None:
        """Ends the thread. A long poll under way is not cut short by closing the
        client (httpx), so it is waited for `timeout` seconds at most, then left to
        end on its own: the thread is a daemon, and what it writes is written in
        transactions, so the process may exit under it."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout)
            if not thread.is_alive():
                self.client.close()
        else:
            self.client.close()
            if self._journal is not None:
                self._journal.close()
                self._journal = None
