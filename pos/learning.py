"""Learning from the store's own sales: the day's overlay (pos.engine.Learner)
built from, and fed with, the till's sales journal.

What feeds it: every paid, non-training sale of the journal ended after the
store's export time (its lines: the pairs and items it adds to the mined
counts), and the declined offers with an anchor of the paid, non-training
sales of the last `DECLINE_WINDOW` half-lives (they damp the pair, decaying).
Older declines and declines in sales that were never paid are left out.

The order is the journal's: sale by sale (ended_at, then sale id), the sale's
lines, then its declines (outcome_at, then sku), so that a till fed live at
each payment (`feed_sale`) and one rebuilt from the journal after a restart
(`learner_from_journal`) hold the same overlay and give the same suggestions.

A store swap prepares the new overlay off the till's thread (pos.till.store_swap):
`replay_journal` reads the journal on a connection of its own, in one read
transaction, and says where the journal stood (its last event's rowid, which
only grows: events are never deleted); at the swap, `catch_up` feeds the sales
paid after that point, so none is lost and none is counted twice.

With a store hub, the other tills' sales teach the same way: the till keeps
what the hub relays in a store's sales journal of its own (pos.hub.follow; the
journal's tables, every till's sales in the order received), and its own sales
there are left out (the till's journal has them). Its sales rows only grow, so
a rowid is a position in it: `replay_store_sales` feeds it at a store's
preparation, `catch_up_store_sales` feeds what arrived after a position.

Non-goal: sales journaled by other tills sharing the journal file are read at
a rebuild but not while this till runs.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime
from itertools import groupby
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import Engine, Learner, _to_seconds
from .stock import Stock, sold

if TYPE_CHECKING:
    from .journal import Journal
    from .till.sale import Sale

# a moment: a datetime, UTC seconds, or None for now
When = datetime | float | None

DECLINE_WINDOW = 10   # half-lives: older declines weigh < 1/1000 and are not read

# {scope}: one sale (?2), or a store's sales journal's rows after ?2 up to ?3 but ?4's
_SALES = """
SELECT s.sale_id, s.ended_at, l.sku FROM sales s JOIN sale_lines l ON l.sale_id = s.sale_id
WHERE +s.status = 'paid' AND s.training = 0 AND s.ended_at > ?1 {scope}
ORDER BY s.ended_at, s.sale_id, l.line"""

_DECLINES = """
SELECT s.sale_id, s.ended_at, o.anchor, o.sku, o.outcome_at
FROM sales s CROSS JOIN offers o ON o.sale_id = s.sale_id
WHERE s.ended_at >= ?1 AND +s.status = 'paid' AND s.training = 0 {scope}
  AND o.outcome = 'declined' AND o.anchor IS NOT NULL AND o.outcome_at >= ?1
ORDER BY s.ended_at, s.sale_id, o.outcome_at, o.sku"""

_ONE_SALE = "AND s.sale_id = ?2"
_STORE_ROWS = "AND s.rowid > ?2 AND s.rowid <= ?3 AND s.till IS NOT ?4"


_PAID_AFTER = "SELECT sale_id FROM events WHERE rowid > ? AND type = 'paid' ORDER BY rowid"


def _window_start(engine: Engine, now: When) -> float:
    return _to_seconds(now) - DECLINE_WINDOW * engine.config.decline_half_life_days * 86400.0


def _since(since: int | None) -> float:
    return float("-inf") if since is None else since


def _feed(learner: Learner, conn: sqlite3.Connection, since: float, window_start: float,
          scope: str = "", extra: tuple[object, ...] = ()) -> tuple[int, int]:
    """Feeds the journal's sales (all, or those of `scope`: _ONE_SALE, _STORE_ROWS
    with `extra` its parameters) in journal order; (sales, declines) added."""
    sales = conn.execute(_SALES.format(scope=scope), (since, *extra)).fetchall()
    # a decline comes before its sale's payment: found through the sales' ended_at
    # index (CROSS JOIN keeps SQLite from scanning every offer; +status keeps it
    # off the status index, which holds nearly every sale)
    declines = conn.execute(_DECLINES.format(scope=scope), (window_start, *extra)).fetchall()
    by_sale: dict[str, list[str]] = {}
    order: dict[str, tuple[float, str]] = {}   # sale -> (ended_at, sale id)
    for key, rows in groupby(sales, key=lambda r: (r[1], r[0])):
        by_sale[key[1]] = [r[2] for r in rows]
        order[key[1]] = key
    declined: dict[str, list[tuple[str, str, float]]] = {}   # (anchor, sku, outcome_at)
    for key, rows in groupby(declines, key=lambda r: (r[1], r[0])):
        declined[key[1]] = [(r[2], r[3], r[4]) for r in rows]
        order[key[1]] = key
    n_sales = n_declines = 0
    for sid in sorted(order, key=order.__getitem__):
        if sid in by_sale:
            learner.add_sale(by_sale[sid])
            n_sales += 1
        for anchor, sku, at in declined.get(sid, ()):
            n_declines += learner.add_decline(anchor, sku, at)
    return n_sales, n_declines


def learner_from_journal(engine: Engine, journal: Journal, since: int | None,
                         now: When = None) -> Learner:
    """A Learner holding what the journal's sales teach on top of `engine`'s store:
    sales ended after `since` (the store's export time, UTC seconds; None: all)
    and the declines of the last DECLINE_WINDOW half-lives before `now`."""
    learner = engine.new_learner()
    _feed(learner, journal.conn, _since(since), _window_start(engine, now))
    return learner


def replay_journal(engine: Engine, journal_path: str | PathLike[str], since: int | None,
                   now: When = None) -> tuple[Learner, int]:
    """`learner_from_journal` on a connection of its own, so on any thread, in one
    read transaction (WAL: the till's writes go on beside it); with the journal
    position it read up to, for `catch_up`."""
    conn = sqlite3.connect(journal_path, timeout=5.0, isolation_level=None)
    try:
        conn.execute("BEGIN")
        learner = engine.new_learner()
        _feed(learner, conn, _since(since), _window_start(engine, now))
        position: int = conn.execute("SELECT coalesce(max(rowid), 0) FROM events").fetchone()[0]
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return learner, position


def catch_up(learner: Learner, journal: Journal, position: int, since: int | None,
             now: When = None) -> int:
    """Feeds the sales paid after journal `position` (see `replay_journal`), in the
    order they were paid; how many were paid (training ones teach nothing)."""
    paid = [sid for (sid,) in journal.conn.execute(_PAID_AFTER, (position,))]
    window_start = _window_start(learner.engine, now)
    for sale_id in paid:
        _feed(learner, journal.conn, _since(since), window_start, _ONE_SALE, (sale_id,))
    return len(paid)


def feed_sale(learner: Learner, journal: Journal, sale: Sale, since: int | None,
              now: When = None) -> bool:
    """Feeds one sale just paid (its lines and declines, as the journal has them);
    False when it teaches nothing (a training sale)."""
    if sale.training:
        return False
    _feed(learner, journal.conn, _since(since), _window_start(learner.engine, now),
          _ONE_SALE, (sale.sale_id,))
    return True


def store_position(conn: sqlite3.Connection) -> int:
    """Where a store's sales journal stands (its last sales row)."""
    return int(conn.execute("SELECT coalesce(max(rowid), 0) FROM sales").fetchone()[0])


def catch_up_store_sales(learner: Learner, conn: sqlite3.Connection, position: int,
                         till: str | None, since: int | None, now: When = None,
                         upto: int | None = None, stock: Stock | None = None) -> tuple[int, int]:
    """Feeds the sales of a store's sales journal (`conn`) that arrived after
    `position` (up to `upto`, default all), every till's but `till`'s (None: every
    till's, as the hub reads its own), to `learner`, and what they sold to `stock`;
    (sales fed, the position read up to). Both are read before either changes."""
    upto = store_position(conn) if upto is None else upto
    amounts = sold(conn, since, position, upto, leave_out=till) if stock is not None else []
    fed, _ = _feed(learner, conn, _since(since), _window_start(learner.engine, now), _STORE_ROWS,
                   (position, upto, till))
    if stock is not None:
        stock.add(amounts)
    return fed, upto


def open_store_sales(path: str | PathLike[str], timeout: float = 5.0
                     ) -> sqlite3.Connection | None:
    """A read-only connection to the store's sales journal at `path` (any thread, one
    at a time), or None while there is none or its tables are not made yet."""
    if not Path(path).is_file():
        return None
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout,
                           isolation_level=None, check_same_thread=False)
    try:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sale_lines'").fetchone():
            return conn
    except BaseException:
        conn.close()
        raise
    conn.close()
    return None


def replay_store_sales(learner: Learner, path: str | PathLike[str], till: str | None,
                       since: int | None, now: When = None, stock: Stock | None = None) -> int:
    """`catch_up_store_sales` from the start, on a connection of its own (any thread,
    one read transaction); the position read up to (0 when there is no such journal)."""
    conn = open_store_sales(path)
    if conn is None:
        return 0
    try:
        conn.execute("BEGIN")
        _, position = catch_up_store_sales(learner, conn, 0, till, since, now, stock=stock)
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    return position
