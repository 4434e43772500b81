"""Suggestions from the hub for tills that are not pos (issue 17, item 7;
docs/hub.md, "Suggestions for tills that are not pos").

`HubSuggester` holds an Engine opened on the store `pos hub serve --db` names,
with a Learner (`engine.learned`) holding what the store's sales taught it
today. `suggest(request)` answers what one line of `pos suggest --jsonl` answers
for the same request (pos.suggest_json: the same checks, the same object), on
that overlay. `learn(sale)` feeds it one received sale (the shape of
pos.hub.sale) the way a till feeds its own (pos.learning): a paid, non-training
sale's lines when it was paid after the store's export, and its declined offers
with an anchor of the last DECLINE_WINDOW half-lives.

A store published again by `pos load` is noticed by a watcher thread (every
`check_every` seconds, or at once on `check_now`) by its identity
(pos.store.catalog.store_identity), and prepared on that thread: Engine.open,
and the sales learned so far replayed into a new overlay, filtered by the new
store's export time (a new store already holds the sales before its export).
Requests go on with the old engine meanwhile; the swap is one assignment, and
the sales learned during the preparation are fed to the new overlay under the
same lock as `learn`, so none is lost and none is counted twice. A store that
cannot be prepared is logged, and tried again once its identity changes (the
next publication). The old engine is dropped at the watcher's next round, after
the requests that still held it, on the watcher's thread.

Thread-safety: `suggest` may run on any thread, many at once (the engine keeps
per-thread scratch and runs the C scorer without the GIL; the overlay's lock
serialises a call with a `learn`); `learn` too.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine import Engine, Learner
from ..learning import _window_start
from ..store.catalog import StoreIdentity, store_identity
from ..store.reader import open_store
from ..suggest_json import answer, check_request
from ..till.store_swap import export_time

log = logging.getLogger("pos.hub")

K = 3   # suggestions per answer: `pos suggest --jsonl`'s default (--k), which a line cannot change


@dataclass(frozen=True)
class _Learned:
    """What a received sale teaches: its payment time, its lines' skus, and its
    declines (anchor, sku, when) in the order pos.learning feeds them."""
    paid_at: float
    skus: tuple[str, ...]
    declines: tuple[tuple[str, str, float], ...]


@dataclass(frozen=True)
class _Live:
    """The engine requests use, with the store's identity and export time."""
    engine: Engine
    identity: StoreIdentity
    since: int | None


class HubSuggester:
    """Suggestions from the store at `path` (StoreError, exit 5, when it cannot be
    opened). `watch`: start the watcher thread (else call `check` yourself)."""

    def __init__(self, path: Path, lang: str | None = None, check_every: float = 2.0,
                 clock: Callable[[], float] = time.time, watch: bool = True) -> None:
        self.path = Path(path)
        self.lang = lang
        self.check_every = check_every
        self.clock = clock
        self._conn = open_store(self.path, check_same_thread=False)   # the watcher's
        self._lock = threading.Lock()          # learn and the swap
        self._log: dict[str, _Learned] = {}    # sale id -> what it teaches, in the order learned
        self._failed: StoreIdentity | None = None
        self._retired: _Live | None = None
        self._swapped = threading.Condition()
        self.swaps = 0
        self._stop = threading.Event()
        self._wake = threading.Event()
        try:
            self._live = self._open(store_identity(self._conn))
            self._live.engine.learned = self._live.engine.new_learner()
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

    # ---- requests ------------------------------------------------------------------

    def suggest(self, request: object) -> dict[str, object]:
        """The answer of `pos suggest --jsonl` to the request (a decoded JSON object:
        {"basket": [...], "customer": ..., "declined": [...]}): {"suggestions": [...]}
        and "warnings" for unknown skus. ValueError with the reason for a bad one
        (`--jsonl`'s {"error": reason})."""
        return answer(self._live.engine, check_request(request), K)

    def learn(self, sale: Mapping[str, Any]) -> bool:
        """Feeds one received sale (pos.hub.sale's shape, checked) to the day's
        learning. False when it teaches nothing: a training sale, or one learned
        already (by its id)."""
        if sale["training"] or sale["sale_id"] in self._log:
            return False
        paid_at = float(sale["paid_at"])
        # a decline's time: when the client says it was declined, else the payment's
        declines = sorted(((o["anchor"], o["sku"], float(o.get("outcome_at") or paid_at))
                           for o in sale["offers"]
                           if o["outcome"] == "declined" and o["anchor"] is not None),
                          key=lambda d: (d[2], d[1]))
        learned = _Learned(paid_at, tuple(line["sku"] for line in sale["lines"]),
                           tuple(declines))
        with self._lock:
            if sale["sale_id"] in self._log:
                return False
            self._log[sale["sale_id"]] = learned
            live = self._live
            assert live.engine.learned is not None
            self._feed(live.engine.learned, live.since, [learned])
        return True

    def _feed(self, learner: Learner, since: int | None, sales: list[_Learned]) -> None:
        """As pos.learning feeds a journal's sales: each sale's lines when it was paid
        after the store's export, then its declines within the window."""
        window_start = _window_start(learner.engine, self.clock())
        for sale in sales:
            if since is None or sale.paid_at > since:
                learner.add_sale(sale.skus)
            if sale.paid_at >= window_start:
                for anchor, sku, at in sale.declines:
                    if at >= window_start:
                        learner.add_decline(anchor, sku, at)

    # ---- a store published again ---------------------------------------------------

    def _open(self, identity: StoreIdentity) -> _Live:
        engine = Engine.open(self.path, lang=self.lang)
        return _Live(engine, identity, export_time(engine.meta))

    def check(self) -> bool:
        """Prepares and takes a store published since the one in use, on the calling
        thread (the watcher's); True when it swapped."""
        retired, self._retired = self._retired, None
        if retired is not None:   # swapped out a round ago: the requests on it are done
            retired.engine.learned = None     # no cycle left: freed here, on this thread
            retired.engine.close()
        # read before the engine: a store published meanwhile shows as a change later
        identity = store_identity(self._conn)
        if identity in (self._live.identity, self._failed):
            return False
        try:
            new = self._open(identity)
            learner = new.engine.new_learner()
            with self._lock:
                replay = list(self._log.values())
            self._feed(learner, new.since, replay)
        except Exception:
            log.exception("preparing the store published at %s failed; suggestions go on "
                          "from the one in use", self.path)
            self._failed = identity
            return False
        with self._lock:
            # the sales learned during the preparation (the log only grows meanwhile)
            self._feed(learner, new.since, list(self._log.values())[len(replay):])
            new.engine.learned = learner
            old, self._live = self._live, new
            self._forget(new)
        self._retired, self._failed = old, None
        log.info("suggestions from the store published at %s (%s)", self.path,
                 dict(identity).get("loaded_at", "?"))
        with self._swapped:
            self.swaps += 1
            self._swapped.notify_all()
        return True

    def _forget(self, live: _Live) -> None:
        """Drops the sales that teach the new store nothing: paid before its export,
        without a decline in the window."""
        window_start = _window_start(live.engine, self.clock())
        for sale_id, sale in list(self._log.items()):
            if ((live.since is not None and sale.paid_at <= live.since)
                    and not any(at >= window_start for _, _, at in sale.declines)):
                del self._log[sale_id]

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
        for live in (self._live, self._retired):
            if live is not None:
                live.engine.learned = None
                live.engine.close()
        self._retired = None
