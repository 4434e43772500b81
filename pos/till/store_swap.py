"""A newly published store made ready for the till without holding up its thread.

`prepare_store` does everything a store needs before the till can sell on it:
a read connection, its meta and identity, the engine config, `Engine.open`, and
the day's learning replayed from the journal on a journal connection of its own
(pos.learning.replay_journal: one snapshot, and the journal position it read
up to), and with a hub the store's sales journal; and the day's stock counted
up to the same positions (pos.stock). It touches nothing of the till's, so it
may run on any thread; the store connection it hands over is opened with
check_same_thread=False and is used by one thread at a time (the worker until it
is done, then the till).

`StorePreparer` runs one preparation at a time through an injected runner:
`run_inline` (the default: done before `start` returns, for the tills without
an event loop: tests, the crash driver), `run_in_thread`, or the UI's worker
(pos.ui.app). It keeps the prepared store, or logs the failure, until the till
takes it at a sale boundary (pos.till.session.Till.next_sale), where the sales
paid since the replay's snapshot are fed to the new overlay
(pos.learning.catch_up) and the old store is closed and freed through the same
runner (`retire`).
"""
from __future__ import annotations

import ctypes
import logging
import sqlite3
import threading
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from ..backtest import stored_choice
from ..currency import Currency
from ..engine import Engine
from ..learning import replay_journal, replay_store_sales
from ..scanner.decode import DecodeConfig
from ..stock import Stock, sold_paid
from ..store.catalog import StoreIdentity, store_identity
from ..store.reader import open_store, read_meta
from .config import TillConfig, engine_config
from .money import Money

logger = logging.getLogger(__name__)

Runner = Callable[[Callable[[], None]], object]


def run_inline(work: Callable[[], None]) -> None:
    work()


def run_in_thread(work: Callable[[], None]) -> None:
    threading.Thread(target=work, name="store-preparer", daemon=True).start()


def _return_freed_memory() -> None:
    """Gives the memory Engine.open freed back to the system (glibc keeps it
    otherwise: about 140 MB on the 1M-basket store); a no-op elsewhere."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def export_time(meta: dict[str, Any]) -> int | None:
    """The store's export time (UTC seconds): the sales after it teach its engine."""
    value = meta.get("export_time")
    return int(value) if value is not None else None


@dataclass
class PreparedStore:
    """A store ready to sell on: what the till takes from it at a swap."""
    conn: sqlite3.Connection
    meta: dict[str, Any]
    identity: StoreIdentity
    config: TillConfig           # the till's, with the engine config for this store
    backtest: object             # the backtest's choice (what F9 says about the scorer)
    lang: str
    engine: Engine               # engine.learned: the journal replayed up to journal_position
    journal_position: int        # ... and the store's sales journal up to store_position
    store_position: int
    stock: Stock                 # the day's stock, counted up to the same positions
    money: Money
    decode_config: DecodeConfig

    def close(self) -> None:
        self.engine.learned = None      # the overlay refers to its engine: no cycle left,
        self.engine.close()             # so both are freed where the last reference goes
        self.conn.close()


def prepare_store(store_path: Path, config: TillConfig, journal_path: Path,
                  now: float, store_sales: Path | None = None) -> PreparedStore:
    """Opens the store at `store_path` for a till with `config`; `now`: UTC seconds,
    for the window of declines replayed; `store_sales`: the store's sales journal
    kept from the hub (pos.hub.follow), whose other tills' sales teach too.
    StoreError when it cannot be opened."""
    conn = open_store(store_path, check_same_thread=False)
    try:
        # read before the engine: a store published meanwhile shows as a change later
        meta, identity = read_meta(conn), store_identity(conn)
        lang = config.lang or str(meta.get("locale") or "en").split("_")[0]
        # the scorer the store's backtest chose, unless store.toml forces one
        config = replace(config, engine=engine_config(config, meta))
        engine = Engine.open(store_path, config=config.engine, lang=lang)
        _return_freed_memory()
        # today's sales and declines since this store's export (pos.learning)
        since = export_time(meta)
        engine.learned, position = replay_journal(engine, journal_path, since, now)
        # the day's stock (pos.stock): the journal's sales paid up to the same position,
        # and with a hub the other tills' (as the learning reads them)
        stock = Stock(conn)
        with closing(sqlite3.connect(f"file:{journal_path}?mode=ro", uri=True,
                                     timeout=5.0)) as db:
            stock.add(sold_paid(db, since, 0, position))
        store_position = 0 if store_sales is None else replay_store_sales(
            engine.learned, store_sales, config.till_id, since, now, stock=stock)
    except BaseException:
        conn.close()
        raise
    overrides: dict[str, object] = {}
    if config.card_prefixes:
        overrides["card_prefixes"] = config.card_prefixes
    if config.country is not None:
        overrides["country"] = config.country
    return PreparedStore(
        conn=conn, meta=meta, identity=identity, config=config, backtest=stored_choice(meta),
        lang=lang, engine=engine, journal_position=position, store_position=store_position,
        stock=stock,
        money=Money(Currency.from_meta(meta), str(meta.get("locale") or "en")),
        decode_config=DecodeConfig.from_store(meta, **overrides))


class StorePreparer:
    """One preparation at a time: `start` hands `prepare` to the runner, `take`
    gives its store once ready. Idle, running, ready or failed; a failure is
    logged (the till goes on with its store) and `start` tries again."""

    def __init__(self, prepare: Callable[[], PreparedStore], run: Runner = run_inline,
                 what: str = "the new store"):
        self._prepare = prepare
        self.run = run
        self.what = what
        self._done = threading.Event()
        self._started = False
        self._result: PreparedStore | None = None
        self.failed = False            # the last preparation failed (until the next start)

    @property
    def pending(self) -> bool:
        """A preparation is running, or done and not taken yet."""
        return self._started

    def start(self) -> None:
        if self._started:
            return
        self._started, self.failed, self._result = True, False, None
        self._done.clear()
        self.run(self._work)

    def _work(self) -> None:
        try:
            self._result = self._prepare()
        except Exception:
            logger.exception("preparing %s failed; the till keeps selling on the store it has "
                             "and tries again at the next sale", self.what)
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Waits until the preparation started is done (tests, benchmarks)."""
        return self._done.wait(timeout)

    def take(self) -> PreparedStore | None:
        """The prepared store once it is ready, and idle again; None while running
        or idle, or after a failure (then `failed`)."""
        if not self._started or not self._done.is_set():
            return None
        result, self._result, self._started = self._result, None, False
        self.failed = result is None
        return result

    def retire(self, store: PreparedStore) -> None:
        """Closes a store the till no longer sells on (and keeps no reference to)
        through the runner, where its memory is freed too: 10-15 ms of holding
        the GIL on the 1M-basket store, off the till's thread."""
        held = [store]

        def close() -> None:
            held.pop().close()          # the last reference, dropped on the runner's thread
        self.run(close)

    def discard(self) -> None:
        """Closes a store prepared and not taken (the till closes)."""
        if self._started and self._done.is_set() and self._result is not None:
            self._result.close()
            self._result = None
