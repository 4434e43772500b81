"""Suggestions from the hub for tills that are not pos (issue 17, item 7;
docs/hub.md, "Suggestions for tills that are not pos").

`HubSuggester` holds an Engine opened on the store `pos hub serve --db` names,
with a Learner (`engine.learned`) holding what the store's sales taught it
today, and the day's stock (pos.stock). `suggest(request)` answers what one line
of `pos suggest --jsonl` answers for the same request (pos.suggest_json: the
same checks, the same object), on that overlay, never with an item the store
sold out today. Both are read from the hub's store sales journal (`sales`:
pos.hub.store's sales.db, every till's sales) exactly as a till reads the other
tills' sales (pos.learning.replay_store_sales, catch_up_store_sales; pos.stock):
so a hub started again (after a crash too) holds the day's learning again, and
it holds what every till holds once they have read the same sales. `learn()`
reads what the sales journal got since the last call (the app calls it after
each stored sale).

A store published again by `pos load` is noticed by a watcher thread (every
`check_every` seconds, or at once on `check_now`) by its identity
(pos.store.catalog.store_identity), and prepared on that thread: Engine.open,
the store's sales replayed into a new overlay and counted into a new stock, from
the new store's export time. Requests go on with the old engine meanwhile; the
swap is one assignment, after the sales the journal got during the preparation
are fed to the new overlay under the same lock as `learn`, so none is lost and
none is counted twice. A store that cannot be prepared is logged, and tried
again once its identity changes (the next publication). The old engine is
dropped at the watcher's next round, after the requests that still held it, on
the watcher's thread.

Thread-safety: `suggest` may run on any thread, many at once (the engine keeps
per-thread scratch and runs the C scorer without the GIL; the overlay's lock
serialises a call with a `learn`); `learn` too.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..engine import Engine
from ..learning import catch_up_store_sales, open_store_sales, replay_store_sales
from ..stock import Stock
from ..store.catalog import StoreIdentity, store_identity
from ..store.reader import open_store
from ..suggest_json import answer, check_request
from ..till.store_swap import export_time

log = logging.getLogger("pos.hub")

K = 3   # suggestions per answer: `pos suggest --jsonl`'s default (--k), which a line cannot change


@dataclass
class _Live:
    """The engine requests use, with the store's identity and export time, how far
    the store's sales journal was read into its overlay and stock, and the skus
    sold out (a frozen copy, read by requests while `learn` adds)."""
    engine: Engine
    identity: StoreIdentity
    since: int | None
    stock: Stock
    position: int = 0
    sold_out: frozenset[str] = field(default_factory=frozenset)

    def close(self) -> None:
        self.engine.learned = None          # no cycle left: freed where this is called
        self.engine.close()
        self.stock.conn.close()


class HubSuggester:
    """Suggestions from the store at `path` (StoreError, exit 5, when it cannot be
    opened), learning from the store's sales journal at `sales` (None: nothing).
    `watch`: start the watcher thread (else call `check` yourself)."""

    def __init__(self, path: Path, sales: Path | None = None, lang: str | None = None,
                 check_every: float = 2.0, clock: Callable[[], float] = time.time,
                 watch: bool = True) -> None:
        self.path = Path(path)
        self.sales = sales
        self.lang = lang
        self.check_every = check_every
        self.clock = clock
        self._conn = open_store(self.path, check_same_thread=False)   # the watcher's
        self._lock = threading.Lock()          # learn and the swap
        self._sales_conn: sqlite3.Connection | None = None             # learn's, under _lock
        self._failed: StoreIdentity | None = None
        self._retired: _Live | None = None
        self._swapped = threading.Condition()
        self.swaps = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        try:
            self._live = self._open(store_identity(self._conn))
        except BaseException:
            self._conn.close()
            raise
        self._thread: threading.Thread | None = None
        if watch:
            self._thread = threading.Thread(target=self._watch, name="hub-store-watch",
                                            daemon=True)
            self._thread.start()

    @property
    def engine(self) -> Engine:
        """The engine requests are answered with now."""
        return self._live.engine

    @property
    def stock(self) -> Stock:
        """The day's stock requests are answered with now."""
        return self._live.stock

    # ---- requests ------------------------------------------------------------------

    def suggest(self, request: object) -> dict[str, object]:
        """The answer of `pos suggest --jsonl` to the request (a decoded JSON object:
        {"basket": [...], "customer": ..., "declined": [...]}): {"suggestions": [...]}
        and "warnings" for unknown skus; an item sold out today is left out as if
        declined. ValueError with the reason for a bad one (`--jsonl`'s
        {"error": reason})."""
        live = self._live
        checked = check_request(request)
        if live.sold_out:
            checked = checked._replace(declined=[*checked.declined, *live.sold_out])
        return answer(live.engine, checked, K)

    def learn(self) -> int:
        """Feeds the sales the store's sales journal got since the last call to the
        day's learning and stock; how many sales' lines taught it (paid after the export)."""
        if self.sales is None:
            return 0
        with self._lock:
            if self._sales_conn is None:
                self._sales_conn = open_store_sales(self.sales, timeout=10.0)
                if self._sales_conn is None:
                    return 0
            return self._catch_up(self._live, self._sales_conn)

    def _catch_up(self, live: _Live, conn: sqlite3.Connection) -> int:
        """The sales after `live.position` into its overlay and stock (under _lock)."""
        assert live.engine.learned is not None
        fed, live.position = catch_up_store_sales(live.engine.learned, conn, live.position, None,
                                                  live.since, self.clock(), stock=live.stock)
        live.sold_out = frozenset(live.stock.sold_out)
        return fed

    # ---- a store published again ---------------------------------------------------

    def _open(self, identity: StoreIdentity) -> _Live:
        """The store as it is now, with the store's sales journal replayed (any thread)."""
        engine = Engine.open(self.path, lang=self.lang)
        try:
            since = export_time(engine.meta)
            engine.learned = engine.new_learner()
            live = _Live(engine, identity, since,
                         Stock(open_store(self.path, check_same_thread=False)))
            if self.sales is not None:
                live.position = replay_store_sales(engine.learned, self.sales, None, since,
                                                   self.clock(), stock=live.stock)
                live.sold_out = frozenset(live.stock.sold_out)
        except BaseException:
            engine.close()
            raise
        return live

    def check(self) -> bool:
        """Prepares and takes a store published since the one in use, on the calling
        thread (the watcher's); True when it swapped."""
        retired, self._retired = self._retired, None
        if retired is not None:   # swapped out a round ago: the requests on it are done
            retired.close()
        # read before the engine: a store published meanwhile shows as a change later
        identity = store_identity(self._conn)
        if identity in (self._live.identity, self._failed):
            return False
        try:
            new = self._open(identity)
        except Exception:
            log.exception("preparing the store published at %s failed; suggestions go on "
                          "from the one in use", self.path)
            self._failed = identity
            return False
        with self._lock:
            if self._sales_conn is not None:      # the sales stored during the preparation
                self._catch_up(new, self._sales_conn)
            old, self._live = self._live, new
        self._retired, self._failed = old, None
        log.info("suggestions from the store published at %s (%s)", self.path,
                 dict(identity).get("loaded_at", "?"))
        with self._swapped:
            self.swaps += 1
            self._swapped.notify_all()
        return True

    def check_now(self) -> None:
        """Wakes the watcher to check the store at once."""
        self._wake.set()

    def wait_for_swaps(self, n: int, timeout: float | None = None) -> bool:
        """Waits until `n` swaps have happened since the start (tests, benchmarks)."""
        with self._swapped:
            return self._swapped.wait_for(lambda: self.swaps >= n, timeout)

    def _watch(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.check_every)
            self._wake.clear()
            if self._stop.is_set():
                break
            try:
                self.check()
            except Exception:
                log.exception("checking the store at %s failed", self.path)

    def close(self) -> None:
        """Stops the watcher and closes the store's connections."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        self._conn.close()
        if self._sales_conn is not None:
            self._sales_conn.close()
        for live in (self._live, self._retired):
            if live is not None:
                live.close()
        self._retired = None
