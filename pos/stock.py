"""The day's stock: what the nightly dump counted of each item, less what the
store's tills sold since the dump's export, so that an item sold out during the
day is suggested nowhere (issue 17: three tills sold the 3 the dump had).

Sold means paid, not training, after the store's export time; a line sells its
quantity, or its weight in kg for a weighed item (the dump's `stock` is in units
or kg, docs/dump-format.md). The sales counted are a till's own journal and, with
a store hub, the other tills' sales it has received (pos.hub.follow); the hub
counts its store's sales journal the same way, so every till and the hub agree
once they have the same sales. An item the dump did not count (stock empty) is
never sold out here; one it counted as 0 is out of stock in the store already.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from .store.catalog import stock_of

_AMOUNT = "sum(CASE WHEN l.weight_g IS NULL THEN l.qty ELSE l.weight_g / 1000.0 END)"

# what a store's sales journal's paid sales sold per sku: ?1 export time, ?2/?3 the
# rowid range of `sales` read (it only grows by rowid), ?4 a till to leave out
_SOLD = """
SELECT l.sku, {amount}
FROM sales s JOIN sale_lines l ON l.sale_id = s.sale_id
WHERE s.status = 'paid' AND s.training = 0 AND s.ended_at > ?1
  AND s.rowid > ?2 AND s.rowid <= ?3 AND s.till IS NOT ?4
GROUP BY l.sku""".format(amount=_AMOUNT)

# ... and a till's journal's, by the rowid range ?2/?3 of their `paid` events (a sale's
# row is made when it starts, its paid event when it is paid: events only grow). The
# sales after the export are found through their ended_at index (CROSS JOIN keeps that
# order; +status keeps SQLite off the status index), each one's events by its key: a
# journal of months is not read whole at each start
_SOLD_PAID = """
SELECT l.sku, {amount}
FROM sales s CROSS JOIN events e ON e.sale_id = s.sale_id
  CROSS JOIN sale_lines l ON l.sale_id = s.sale_id
WHERE s.ended_at > ?1 AND +s.status = 'paid' AND s.training = 0
  AND e.type = 'paid' AND e.rowid > ?2 AND e.rowid <= ?3
GROUP BY l.sku""".format(amount=_AMOUNT)

Sold = list[tuple[str, float]]       # (sku, units or kg)


def _since(since: float | None) -> float:
    return float("-inf") if since is None else since


def sold(conn: sqlite3.Connection, since: float | None, after: int = 0,
         upto: int = 2**62, leave_out: str | None = None) -> Sold:
    """What the paid sales of a store's sales journal (its `sales` rows after rowid
    `after` up to `upto`, of every till but `leave_out`) sold after `since` (UTC
    seconds; None: all), per sku."""
    return [(sku, float(amount)) for sku, amount in conn.execute(
        _SOLD, (_since(since), after, upto, leave_out))]


def sold_paid(conn: sqlite3.Connection, since: float | None, after: int = 0,
              upto: int = 2**62) -> Sold:
    """What the sales of a till's journal paid between its events `after` and `upto`
    (rowids; pos.learning.replay_journal's position) sold after `since`, per sku."""
    return [(sku, float(amount)) for sku, amount in conn.execute(
        _SOLD_PAID, (_since(since), after, upto))]


def line_amount(qty: int, weight_g: int | None) -> float:
    """What a line sells: its quantity, or its weight in kg."""
    return qty if weight_g is None else weight_g / 1000.0


class Stock:
    """The stock left of the items the store's tills sold today, over the published
    store `conn` (its `products.stock`). `sold_out`: the skus with none left."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.sold: dict[str, float] = {}
        self.counted: dict[str, float | None] = {}     # the dump's stock, read once per sku
        self.sold_out: set[str] = set()

    def add(self, sold: Iterable[tuple[str, float]]) -> None:
        """Counts sales: (sku, units or kg) pairs."""
        changed = []
        for sku, amount in sold:
            self.sold[sku] = self.sold.get(sku, 0.0) + amount
            changed.append(sku)
        unread = [sku for sku in changed if sku not in self.counted]
        if unread:
            counted = stock_of(self.conn, unread)
            self.counted.update((sku, counted.get(sku)) for sku in unread)
        for sku in changed:
            left = self.left(sku)
            if left is not None and left <= 1e-9:
                self.sold_out.add(sku)

    def left(self, sku: str) -> float | None:
        """What is left of `sku` (None: the dump did not count it, or it sold none)."""
        counted = self.counted.get(sku)
        return None if counted is None else counted - self.sold.get(sku, 0.0)
