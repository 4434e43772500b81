"""The sales journal: a SQLite file apart from the nightly store (WAL,
synchronous=FULL), where every event of a sale is committed before the till
shows it. A sale's id is made on the till (`<till>-<uuid4 hex>`), unique across
tills. An unfinished sale is found again after a crash and rebuilt from its
events (pos.till.sale.Sale.apply). Each sale carries its currency and the
currency's exponent (pos.currency), so its amounts keep their meaning whatever
store or library comes later. Suggestions shown and their outcomes are
also kept in `offers`, one row per card, for the reports; when a sale is paid
its offers are final, and their totals are written on its `sales` row in the
same transaction (the report reads them there, without joining the offers).
An older journal is upgraded in place when it is opened, in one transaction.

The receipts to print (version 6, docs/receipts.md): a paid sale's receipt, as the
ESC/POS bytes handed to the printer, is written in the transaction that marks it
paid, so a receipt is never lost between the payment and the printer; the spooler
(pos.receipt.spool) prints the waiting ones in order on its own connection and
marks each printed once the printer has taken it. A reprint (F7) is a copy queued
the same way.

The hub's outbox (version 5, docs/hub.md): a paid sale that is not training is
waiting for the store hub until the hub acknowledges it (`mark_sent`), or until
the hub refuses it for good (`park_for_hub`, with the hub's reason). Being paid
is what puts a sale in the outbox, so it is there from the payment's commit on,
after a crash too; the pusher (pos.hub.client) reads it on its own connection.

Next-visit coupons (version 6, docs/receipts.md): `coupons` holds each coupon a
paid sale's receipt carries (written with its `coupon_issue` event, in the
payment's transaction; `printed_at` set when the receipt was handed to the
printer), `coupon_uses` each coupon scanned in a sale (written with its `coupon`
event; `paid_at`, `discount` and `revenue` with the sale's `paid` event when the
coupon took something off). The store's sales received from the hub bring theirs.

A journal that cannot be written (disk full, read-only file) raises
JournalError with what to do; the till stops taking scans until it can write.
"""
from __future__ import annotations

import json
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from .coupons.redeem import Coupon, FirstUse
from .currency import Currency
from .durable import connect_durable, immediate
from .errors import EXIT_STORE, PosError
from .till.sale import Event, Sale

JOURNAL_VERSION = 6

# Times are UTC seconds (REAL). Money is minor units of the sale's currency.
#   sales       one row per sale; `arm` is its experiment arm (None: no experiment);
#               `currency`, `currency_exponent`: what its amounts are in (version 4;
#               None for a sale journaled before, until `adopt_currency`)
#               `offers_shown` .. `offers_margin_unknown`: its offers' totals, written
#               with its `paid` event (None while it is not paid; see OFFER_TOTALS)
#   events      everything that happened, in order (the source of truth)
#   offers      one row per suggestion shown: its card, `anchor` (the basket sku that
#               explains it), outcome and what it added (`revenue`, `margin`: None
#               when the item's cost is unknown)
#               `hub_sent_at`: when the store hub acknowledged it (version 5; None: not
#               yet), `hub_parked`: why the hub refused it for good (None: not refused)
#   sale_lines  the lines of a paid sale as paid (written with its `paid` event)
#   receipts    one row per receipt to print (version 6): the sale, `copy` (1: a reprint),
#               `body` (the ESC/POS bytes: kept while waiting, and for the latest receipt
#               as first printed, F7's; emptied once printed otherwise, as the sale's
#               events keep what it said), when queued, when the printer took it
#               (`printed_at`, None while waiting), the failed `attempts` and `last_error`
#   coupons     (version 6) a next-visit coupon issued: the issuing sale's `arm` and
#               `customer`, the item (`sku`, `name`), `percent` or `amount` off, `why`
#               (declined | basket), `valid_from` .. `valid_to` (excluded), `printed_at`
#               (None until its receipt was handed to the printer: mark_receipt_printed),
#               `hub_printed_sent` (when the hub acknowledged that it was printed)
#   coupon_uses (version 6) a coupon scanned in a sale (`sale_id`, `till`, `scanned_at`,
#               `hub`: confirmed | unconfirmed | None); `paid_at`, `discount` and
#               `revenue` (the item's line net of the discount) once that sale is paid
#               with the coupon taking something off (None: not, or not yet)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sales (
    sale_id TEXT PRIMARY KEY, till TEXT NOT NULL, cashier TEXT, training INTEGER NOT NULL,
    started_at REAL NOT NULL, ended_at REAL, status TEXT NOT NULL DEFAULT 'open',
    customer TEXT, total INTEGER, store_export INTEGER, exported_at REAL, arm TEXT,
    offers_shown INTEGER, offers_accepted INTEGER, upsells_shown INTEGER,
    upsells_accepted INTEGER, offer_revenue INTEGER, offer_margin INTEGER,
    offers_margin_unknown INTEGER, currency TEXT, currency_exponent INTEGER,
    hub_sent_at REAL, hub_parked TEXT);
CREATE TABLE IF NOT EXISTS events (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), seq INTEGER NOT NULL,
    at REAL NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sale_id, seq));
CREATE TABLE IF NOT EXISTS offers (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), sku TEXT NOT NULL, kind TEXT NOT NULL,
    position INTEGER NOT NULL, score REAL NOT NULL, price INTEGER NOT NULL,
    shown_at REAL NOT NULL, outcome TEXT, reason TEXT, outcome_at REAL,
    revenue INTEGER NOT NULL DEFAULT 0, arm TEXT, anchor TEXT, margin INTEGER,
    PRIMARY KEY (sale_id, sku));
CREATE TABLE IF NOT EXISTS sale_lines (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), line INTEGER NOT NULL, sku TEXT NOT NULL,
    qty INTEGER NOT NULL, weight_g INTEGER, unit_price INTEGER NOT NULL, total INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line));
CREATE TABLE IF NOT EXISTS receipts (
    receipt_id INTEGER PRIMARY KEY AUTOINCREMENT, sale_id TEXT NOT NULL REFERENCES sales(sale_id),
    copy INTEGER NOT NULL DEFAULT 0, body BLOB NOT NULL, queued_at REAL NOT NULL, printed_at REAL,
    attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);
CREATE INDEX IF NOT EXISTS sales_status ON sales(status);
CREATE INDEX IF NOT EXISTS sales_ended ON sales(ended_at);
-- for the reports (pos.report): a sale's offers without reading the table
CREATE INDEX IF NOT EXISTS offers_sale_outcome ON offers(sale_id, outcome, kind, position, reason,
                                                         revenue, margin);
-- ... and all offers grouped as the report groups them, in index order (version 3)
CREATE INDEX IF NOT EXISTS offers_cube ON offers(arm, kind, position, outcome, reason, revenue,
                                                 margin);
CREATE INDEX IF NOT EXISTS sale_lines_sku ON sale_lines(sale_id, sku);
-- next-visit coupons (version 6)
CREATE TABLE IF NOT EXISTS coupons (
    code TEXT PRIMARY KEY, sale_id TEXT NOT NULL REFERENCES sales(sale_id), till TEXT NOT NULL,
    arm TEXT, customer TEXT, sku TEXT NOT NULL, name TEXT NOT NULL, percent INTEGER,
    amount INTEGER, why TEXT, issued_at REAL NOT NULL, valid_from REAL NOT NULL,
    valid_to REAL NOT NULL, printed_at REAL, hub_printed_sent REAL);
CREATE INDEX IF NOT EXISTS coupons_sale ON coupons(sale_id);
-- the report's coupons per arm: those issued in its period
CREATE INDEX IF NOT EXISTS coupons_issued ON coupons(issued_at);
CREATE TABLE IF NOT EXISTS coupon_uses (
    code TEXT NOT NULL, sale_id TEXT NOT NULL REFERENCES sales(sale_id), till TEXT NOT NULL,
    sku TEXT NOT NULL, scanned_at REAL NOT NULL, hub TEXT, paid_at REAL, discount INTEGER,
    revenue INTEGER, PRIMARY KEY (code, sale_id));
CREATE INDEX IF NOT EXISTS coupon_uses_sale ON coupon_uses(sale_id);
-- the hub's outbox, in the order the sales were paid (version 5): small, as it only
-- holds the sales not acknowledged yet
-- the receipts waiting for the printer, in the order queued (version 6)
CREATE INDEX IF NOT EXISTS receipts_waiting ON receipts(receipt_id) WHERE printed_at IS NULL;
CREATE INDEX IF NOT EXISTS receipts_sale ON receipts(sale_id);
-- the printed receipts whose bytes are still kept (mark_receipt_printed empties them)
CREATE INDEX IF NOT EXISTS receipts_printed_kept ON receipts(receipt_id)
    WHERE printed_at IS NOT NULL AND length(body) > 0;
-- this till's coupons printed that the hub has not been told of (pos.hub.client)
CREATE INDEX IF NOT EXISTS coupons_printed_unsent ON coupons(printed_at)
    WHERE printed_at IS NOT NULL AND hub_printed_sent IS NULL;
CREATE INDEX IF NOT EXISTS sales_hub_outbox ON sales(ended_at) WHERE status = 'paid'
    AND training = 0 AND hub_sent_at IS NULL;
"""

# Version 1 journals (before experiments, margins and sale_lines) gain the new
# columns in place; their sale_lines are rebuilt from the events.
_FROM_V1 = ("ALTER TABLE sales ADD COLUMN arm TEXT",
            "ALTER TABLE offers ADD COLUMN arm TEXT",
            "ALTER TABLE offers ADD COLUMN anchor TEXT",
            "ALTER TABLE offers ADD COLUMN margin INTEGER")

# A paid sale's offers summed on its row (version 3): offers shown, accepted, upsells
# shown and accepted, revenue and margin of the accepted ones (margin where the cost
# is known) and the accepted ones of unknown cost. Version 1 and 2 journals gain the
# columns in place, filled for the sales already paid.
OFFER_TOTALS = ("offers_shown", "offers_accepted", "upsells_shown", "upsells_accepted",
                "offer_revenue", "offer_margin", "offers_margin_unknown")
_FROM_V2 = tuple(f"ALTER TABLE sales ADD COLUMN {column} INTEGER" for column in OFFER_TOTALS)

# Version 3 journals and older gain each sale's currency in place; the sales already
# there get the store's when a till (or an export given the store) next opens the
# journal: until then meta 'currency_pending' is set (see Journal.adopt_currency).
_FROM_V3 = ("ALTER TABLE sales ADD COLUMN currency TEXT",
            "ALTER TABLE sales ADD COLUMN currency_exponent INTEGER")
# Version 4 journals and older gain the hub's outbox columns in place; their paid sales
# are in the outbox (waiting), as every paid sale the hub has not acknowledged is.
_FROM_V4 = ("ALTER TABLE sales ADD COLUMN hub_sent_at REAL",
            "ALTER TABLE sales ADD COLUMN hub_parked TEXT")
# Version 5 journals and older gain the coupon tables (SCHEMA makes them): nothing to fill.
_FROM_V5: tuple[str, ...] = ()
# the outbox: paid sales, not training, not acknowledged by the hub (parked ones too)
_OUTBOX = "status = 'paid' AND training = 0 AND hub_sent_at IS NULL"

# an offer as the hub's sale shape carries it (pos.hub.sale), in the offers table's names
_HUB_OFFER = ("sku", "kind", "position", "score", "price", "anchor", "shown_at", "outcome",
              "reason", "outcome_at", "revenue", "margin")

_MARK_PENDING = "INSERT OR REPLACE INTO meta VALUES ('currency_pending', '1')"
_PENDING = "SELECT 1 FROM meta WHERE key = 'currency_pending'"

_SETTLE = f"""
UPDATE sales SET ({', '.join(OFFER_TOTALS)}) = (
    SELECT count(*), count(CASE WHEN o.outcome = 'accepted' THEN 1 END),
           count(CASE WHEN o.kind = 'upsell' THEN 1 END),
           count(CASE WHEN o.kind = 'upsell' AND o.outcome = 'accepted' THEN 1 END),
           coalesce(sum(CASE WHEN o.outcome = 'accepted' THEN o.revenue END), 0),
           coalesce(sum(CASE WHEN o.outcome = 'accepted' THEN o.margin END), 0),
           count(CASE WHEN o.outcome = 'accepted' AND o.margin IS NULL THEN 1 END)
    FROM offers o WHERE o.sale_id = sales.sale_id)
WHERE status = 'paid'"""
_SETTLE_ONE = _SETTLE + " AND sale_id = ?"


def settle_offers(conn: sqlite3.Connection, sale_id: str | None = None) -> None:
    """Writes the offer totals (OFFER_TOTALS) on the row of paid sale `sale_id`, or,
    when None, of every paid sale: to be run once a sale's offers are final (in the
    transaction that marks it paid, or over a journal being upgraded)."""
    if sale_id is None:
        conn.execute(_SETTLE)
    else:
        conn.execute(_SETTLE_ONE, (sale_id,))


_LINE_INSERT = "INSERT OR REPLACE INTO sale_lines VALUES (?, ?, ?, ?, ?, ?, ?)"


# one statement of a transaction: its SQL and its parameters
Statement = tuple[str, tuple[object, ...]]


def _line_rows(sale: Sale) -> list[tuple[str, int, str, int, int | None, int, int]]:
    return [(sale.sale_id, ln.line, ln.sku, ln.qty, ln.weight_g, ln.unit_price, ln.total)
            for ln in sale.lines.values()]


_COUPON_COLUMNS = ("code", "sale_id", "till", "arm", "customer", "sku", "name", "percent", "amount",
                   "why", "issued_at", "valid_from", "valid_to", "printed_at")
_COUPON_INSERT = (f"INSERT INTO coupons ({', '.join(_COUPON_COLUMNS)}) "
                  f"VALUES ({', '.join('?' * len(_COUPON_COLUMNS))})")
# a coupon as the hub's sale shape carries it (pos.hub.sale): its row but the sale's
# own fields and printed_at (known later than the sale is sent)
_HUB_COUPON = ("code", "sku", "name", "percent", "amount", "why", "issued_at", "valid_from",
               "valid_to")
_HUB_USE = ("code", "sku", "scanned_at", "hub", "discount", "revenue")


def _coupon_uses_paid(sale: Sale, now: float) -> list[Statement]:
    """The uses of the coupons scanned in `sale` (before its `paid` event) that take
    something off: paid now, with the discount and the item's line net of it (not in
    a training sale: practice does not use a coupon up)."""
    out: list[Statement] = []
    if sale.training:               # practice: the coupon is not used up
        return out
    for c in sale.coupons:
        saving = sale.coupon_saving(c)
        line = sale.line_of(c.sku)
        if saving <= 0 or line is None:
            continue
        out.append(("UPDATE coupon_uses SET paid_at = ?, discount = ?, revenue = ? "
                    "WHERE code = ? AND sale_id = ?",
                    (now, saving, line.total - saving, c.code, sale.sale_id)))
    return out


def find_coupon(conn: sqlite3.Connection, code: str) -> Coupon | None:
    """The coupon issued under `code` in the journal on `conn` (a till's, or the
    store's sales as received), or None (a journal of before version 6 has none)."""
    try:
        row = conn.execute("SELECT code, sku, name, percent, amount, valid_from, valid_to, "
                           "sale_id, till FROM coupons WHERE code = ?", (code,)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else Coupon(*row)


def coupon_first_use(conn: sqlite3.Connection, code: str, but: str | None = None
                     ) -> FirstUse | None:
    """The first use of coupon `code` in the journal on `conn` other than in sale
    `but`: a paid sale it took something off, or an open sale that holds it."""
    try:
        row = conn.execute(
            "SELECT coalesce(u.paid_at, u.scanned_at), u.till, u.sale_id FROM coupon_uses u "
            "JOIN sales s ON s.sale_id = u.sale_id WHERE u.code = ? AND u.sale_id IS NOT ? "
            "AND s.training = 0 AND (u.paid_at IS NOT NULL OR s.status = 'open') "
            "ORDER BY coalesce(u.paid_at, u.scanned_at) LIMIT 1", (code, but)).fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else FirstUse(*row)


class JournalError(PosError):
    """The journal cannot be opened or written."""
    exit_code = EXIT_STORE


class Journal:
    def __init__(self, path: str | PathLike[str], till: str = "till1",
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self.till = till
        self.clock = clock
        try:
            self.conn = connect_durable(self.path, timeout=5.0)
            self._migrate()
        except sqlite3.Error as exc:
            raise JournalError(self._explain(exc)) from None

    def _migrate(self) -> None:
        conn = self.conn
        has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
        version = int(conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
                      ) if has_meta else None
        if version is not None and version > JOURNAL_VERSION:
            raise JournalError(f"{self.path}: a sales journal of version {version}, newer than "
                               f"this till's ({JOURNAL_VERSION}): update the till software")
        # all in one transaction: a failed upgrade leaves the journal as it was
        with immediate(conn):
            if version == 1:
                for statement in _FROM_V1:
                    conn.execute(statement)
            if version in (1, 2):
                for statement in _FROM_V2:
                    conn.execute(statement)
            upgrade_currency = version is not None and version <= 3
            if upgrade_currency:
                for statement in _FROM_V3:
                    conn.execute(statement)
            if version is not None and version <= 4:
                for statement in _FROM_V4:
                    conn.execute(statement)
            if version is not None and version <= 5:
                for statement in _FROM_V5:
                    conn.execute(statement)
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version == 1:
                paid = conn.execute("SELECT sale_id FROM sales WHERE status = 'paid'").fetchall()
                for (sale_id,) in paid:
                    sale = self._load(sale_id, training=False)
                    conn.executemany(_LINE_INSERT, _line_rows(sale))
            if version in (1, 2):
                settle_offers(conn)
            if upgrade_currency and conn.execute("SELECT 1 FROM sales LIMIT 1").fetchone():
                conn.execute(_MARK_PENDING)
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                         (str(JOURNAL_VERSION),))

    def close(self) -> None:
        self.conn.close()

    def currency_pending(self) -> bool:
        """Sales journaled before version 4 have no currency yet."""
        return self.conn.execute(_PENDING).fetchone() is not None

    def adopt_currency(self, currency: Currency) -> int:
        """Gives the sales journaled without a currency (before version 4) the
        store's, once; the number of sales changed. Their amounts were made from the
        store's prices, whose exponent the store has kept since it was loaded."""
        if not self.currency_pending():
            return 0
        changed: list[int] = []

        def fill() -> None:
            changed.append(self.conn.execute(
                "UPDATE sales SET currency = ?, currency_exponent = ? WHERE currency IS NULL",
                (currency.code, currency.exponent)).rowcount)
            self.conn.execute("DELETE FROM meta WHERE key = 'currency_pending'")
        self._write([], then=fill)
        return changed[0]

    def _explain(self, exc: sqlite3.Error) -> str:
        text = str(exc)
        if "full" in text:
            hint = "the disk is full: free space, then go on"
        elif "readonly" in text or "read-only" in text:
            hint = "the journal is read-only: check the file's permissions"
        else:
            hint = "check the disk and the file"
        return f"{self.path}: cannot write the sales journal ({text}); {hint}"

    def _write(self, statements: list[Statement], then: Callable[[], None] | None = None) -> None:
        """One transaction; `then()` runs before COMMIT, and an exception from it
        rolls the transaction back."""
        try:
            with immediate(self.conn):
                for sql, args in statements:
                    self.conn.execute(sql, args)
                if then is not None:
                    then()
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise JournalError(self._explain(exc)) from None

    # ---- writing ---------------------------------------------------------------

    def new_sale(self, training: bool = False, cashier: str | None = None,
                 store_export: int | None = None,
                 arm: str | Callable[[str], str | None] | None = None,
                 currency: Currency | None = None) -> Sale:
        """A new sale in `currency` (the store's; None only in tests of other things).
        `arm`: its experiment arm, or a function of the new sale id that gives it
        (assignment by id), or None."""
        sale_id = f"{self.till}-{uuid.uuid4().hex}"
        arm = arm(sale_id) if callable(arm) else arm
        sale = Sale(sale_id, training=training, arm=arm, currency=currency)
        self._write([("INSERT INTO sales (sale_id, till, cashier, training, started_at, "
                      "store_export, arm, currency, currency_exponent) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (sale.sale_id, self.till, cashier, int(training), self.clock(), store_export,
                       arm, currency.code if currency else None,
                       currency.exponent if currency else None))])
        return sale

    def record(self, sale: Sale, *events: Event,
               more: Callable[[], Iterable[Event]] | None = None,
               then: Callable[[Sale, float], Iterable[Statement]] | None = None) -> None:
        """Applies `events` to `sale` and makes them durable in one transaction, or
        neither: an event that does not fit the sale (SaleError) or a failed write
        (JournalError) leaves both the sale and the journal as they were.
        `more()`, called once `events` are applied, returns events that follow from
        them (the suggestions a new line brings), written in the same transaction:
        one fsync per scan. `then(sale, now)`, called with every event applied (`now`:
        their time, UTC seconds), returns statements for the same transaction (the
        paid sale's receipt to print)."""
        now = self.clock()
        before = list(sale.events)

        def write_and_apply(batch: Iterable[Event]) -> None:
            for event in batch:
                self.conn.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                                  (sale.sale_id, len(sale.events) + 1, now, event["type"],
                                   json.dumps(event, ensure_ascii=False)))
                for sql, args in self._projection(sale, event, now):
                    self.conn.execute(sql, args)
                sale.apply(event)

        def body() -> None:
            try:
                write_and_apply(events)
                if more is not None:
                    write_and_apply(more())
                if then is not None:
                    for sql, args in then(sale, now):
                        self.conn.execute(sql, args)
            except BaseException:
                sale.restore(before)
                raise
        try:
            self._write([], then=body)
        except JournalError:
            if len(sale.events) != len(before):         # applied, then COMMIT failed
                sale.restore(before)
            raise

    @staticmethod
    def _projection(sale: Sale, event: Event, now: float) -> list[Statement]:
        """The rows of `sales`, `offers` and `sale_lines` an event changes, beside
        its own row (`sale` as it is before the event)."""
        kind, sale_id = event["type"], sale.sale_id
        if kind == "shown":
            return [("INSERT OR REPLACE INTO offers (sale_id, sku, kind, position, score, price, "
                     "shown_at, arm, anchor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (sale_id, event["sku"], event["kind"], event["position"], event["score"],
                      event["price"], now, sale.arm, event.get("anchor")))]
        if kind == "outcome":
            return [("UPDATE offers SET outcome = ?, reason = ?, outcome_at = ?, revenue = ?, "
                     "margin = ? WHERE sale_id = ? AND sku = ?",
                     (event["outcome"], event.get("reason"), now, event.get("revenue", 0),
                      event.get("margin"), sale_id, event["sku"]))]
        if kind == "customer":
            return [("UPDATE sales SET customer = ? WHERE sale_id = ?", (event["customer"], sale_id))]
        if kind == "coupon_issue":
            return [(_COUPON_INSERT, (event["code"], sale_id, sale_id.rsplit("-", 1)[0], sale.arm,
                                      sale.customer, event["sku"], event["name"],
                                      event.get("percent"), event.get("amount"), event.get("why"),
                                      now, event["valid_from"], event["valid_to"], None))]
        if kind == "coupon":
            return [("INSERT OR REPLACE INTO coupon_uses (code, sale_id, till, sku, scanned_at, hub) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (event["code"], sale_id,
                                                   sale_id.rsplit("-", 1)[0], event["sku"], now,
                                                   event.get("hub")))]
        if kind == "paid":        # nothing changes after it: the offers are final
            return [("UPDATE sales SET status = 'paid', ended_at = ?, total = ? WHERE sale_id = ?",
                     (now, event["total"], sale_id)),
                    (_SETTLE_ONE, (sale_id,)),
                    *((_LINE_INSERT, row) for row in _line_rows(sale)),
                    *_coupon_uses_paid(sale, now)]
        return []

    # ---- reading ----------------------------------------------------------------

    def unfinished(self) -> Sale | None:
        """This till's latest open sale, rebuilt from its events, or None."""
        row = self.conn.execute("SELECT sale_id, training, arm, currency, currency_exponent "
                                "FROM sales WHERE till = ? AND status = 'open' "
                                "ORDER BY started_at DESC LIMIT 1", (self.till,)).fetchone()
        if row is None:
            return None
        currency = Currency(row[3], row[4]) if row[3] is not None else None
        return self._load(row[0], training=bool(row[1]), arm=row[2], currency=currency)

    def _load(self, sale_id: str, training: bool, arm: str | None = None,
              currency: Currency | None = None) -> Sale:
        """A sale rebuilt from its events."""
        events = [json.loads(body) for (body,) in self.conn.execute(
            "SELECT body FROM events WHERE sale_id = ? ORDER BY seq", (sale_id,))]
        return Sale.replay(sale_id, events, training=training, arm=arm, currency=currency)

    def hub_sale(self, sale_id: str) -> dict[str, Any]:
        """Paid sale `sale_id` as a till sends it to the store hub (pos.hub.sale:
        the shape, docs/hub.md); KeyError when it is not a paid sale here."""
        row = self.conn.execute(
            "SELECT sale_id, till, training, started_at, ended_at, cashier, customer, arm, "
            "currency, currency_exponent, total FROM sales WHERE sale_id = ? AND status = 'paid'",
            (sale_id,)).fetchone()
        if row is None:
            raise KeyError(sale_id)
        keys = ("sale_id", "till", "training", "started_at", "paid_at", "cashier", "customer",
                "arm", "currency", "currency_exponent", "total")
        sale = dict(zip(keys, row))
        sale["training"] = bool(sale["training"])
        sale["lines"] = [dict(zip(("line", "sku", "qty", "weight_g", "unit_price", "total"), r))
                         for r in self.conn.execute(
                             "SELECT line, sku, qty, weight_g, unit_price, total FROM sale_lines "
                             "WHERE sale_id = ? ORDER BY line", (sale_id,))]
        sale["offers"] = [dict(zip(_HUB_OFFER, r)) for r in self.conn.execute(
            f"SELECT {', '.join(_HUB_OFFER)} FROM offers WHERE sale_id = ? "
            "ORDER BY shown_at, position, sku", (sale_id,))]
        # the coupon keys only when there is one: a sale without keeps its shape (and hash)
        issued = self.conn.execute(f"SELECT {', '.join(_HUB_COUPON)} FROM coupons "
                                   "WHERE sale_id = ?", (sale_id,)).fetchone()
        if issued is not None:
            sale["coupon_issued"] = dict(zip(_HUB_COUPON, issued))
        used = self.conn.execute(f"SELECT {', '.join(_HUB_USE)} FROM coupon_uses WHERE sale_id = ? "
                                 "AND paid_at IS NOT NULL ORDER BY scanned_at, code",
                                 (sale_id,)).fetchall()
        if used:
            sale["coupons_redeemed"] = [dict(zip(_HUB_USE, r)) for r in used]
        return sale

    def abandon(self, sale: Sale) -> None:
        """An open sale the cashier chose not to resume (kept, marked)."""
        self._write([("UPDATE sales SET status = 'abandoned', ended_at = ? WHERE sale_id = ?",
                      (self.clock(), sale.sale_id))])

    def unsent(self) -> int:
        """Completed sales (not training) not exported to head office yet."""
        count: int = self.conn.execute("SELECT count(*) FROM sales WHERE status = 'paid' AND "
                                       "training = 0 AND exported_at IS NULL").fetchone()[0]
        return count

    # ---- the store's sales, as received from the hub ---------------------------------

    def add_received(self, sales: Iterable[Mapping[str, Any]],
                     cursor: tuple[str, int | str] | None = None) -> int:
        """Writes paid sales of the store's tills, in the hub's sale shape (pos.hub.sale,
        checked by whoever received them), into this journal's tables as their tills
        journaled them, with `cursor` (meta key, value: how far the hub's sales were
        read) in the same transaction. A sale already here is left as it is, so a
        sale received twice is kept once. They are not an outbox (marked sent).
        How many were new."""
        now = self.clock()
        added: list[int] = []

        def write() -> None:
            conn = self.conn
            for sale in sales:
                new = conn.execute(
                    "INSERT OR IGNORE INTO sales (sale_id, till, cashier, training, started_at, "
                    "ended_at, status, customer, total, arm, currency, currency_exponent, "
                    "hub_sent_at) VALUES (?, ?, ?, ?, ?, ?, 'paid', ?, ?, ?, ?, ?, ?)",
                    (sale["sale_id"], sale["till"], sale["cashier"], int(sale["training"]),
                     sale["started_at"], sale["paid_at"], sale["customer"], sale["total"],
                     sale["arm"], sale["currency"], sale["currency_exponent"], now)).rowcount
                if not new:
                    continue
                conn.executemany(_LINE_INSERT, [
                    (sale["sale_id"], ln["line"], ln["sku"], ln["qty"], ln["weight_g"],
                     ln["unit_price"], ln["total"]) for ln in sale["lines"]])
                conn.executemany(
                    f"INSERT OR IGNORE INTO offers (sale_id, arm, {', '.join(_HUB_OFFER)}) "
                    f"VALUES (?, ?{', ?' * len(_HUB_OFFER)})",
                    [(sale["sale_id"], sale["arm"], *(o[k] for k in _HUB_OFFER))
                     for o in sale["offers"]])
                settle_offers(conn, sale["sale_id"])
                issued = sale.get("coupon_issued")
                if issued is not None:
                    conn.execute(_COUPON_INSERT.replace("INSERT", "INSERT OR IGNORE"), (
                        issued["code"], sale["sale_id"], sale["till"], sale["arm"],
                        sale["customer"], *(issued[k] for k in _HUB_COUPON[1:]), None))
                conn.executemany(
                    "INSERT OR IGNORE INTO coupon_uses (code, sale_id, till, sku, scanned_at, hub, "
                    "paid_at, discount, revenue) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(u["code"], sale["sale_id"], sale["till"], u["sku"], u["scanned_at"],
                      u["hub"], sale["paid_at"], u["discount"], u["revenue"])
                     for u in sale.get("coupons_redeemed", ())])
                added.append(1)
            if cursor is not None:
                conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (cursor[0], str(cursor[1])))
        self._write([], then=write)
        return len(added)

    def meta(self, key: str) -> str | None:
        """The value under meta `key` (e.g. the cursor `add_received` last wrote)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def cursor(self, key: str) -> int:
        """The number `add_received` last wrote under meta `key` (0: none yet)."""
        return int(self.meta(key) or 0)

    # ---- next-visit coupons (version 6) ----------------------------------------------

    def coupon(self, code: str) -> Coupon | None:
        """The coupon this journal issued (or received from the hub) under `code`."""
        return find_coupon(self.conn, code)

    def coupon_first_use(self, code: str, but: str | None = None) -> FirstUse | None:
        """Its first use here other than in sale `but` (see the module function)."""
        return coupon_first_use(self.conn, code, but)

    def coupon_code_taken(self, code: str) -> bool:
        return self.conn.execute("SELECT 1 FROM coupons WHERE code = ?", (code,)).fetchone() \
            is not None

    def mark_coupon_printed(self, code: str, at: float) -> bool:
        """The receipt carrying coupon `code` was handed to the printer at `at` (UTC
        seconds; the first time counts). False when there is no such coupon."""
        changed: list[int] = []
        self._write([], then=lambda: changed.append(self.conn.execute(
            "UPDATE coupons SET printed_at = coalesce(printed_at, ?) WHERE code = ?",
            (at, code)).rowcount))
        return bool(changed[0])

    def coupons_printed_for_hub(self, limit: int = 100) -> list[tuple[str, float]]:
        """(code, printed_at) of this till's coupons printed since their sale reached
        the hub, the hub not told yet (pos.hub.client sends them after the sales)."""
        return [(str(c), float(t)) for c, t in self.conn.execute(
            "SELECT c.code, c.printed_at FROM coupons c JOIN sales s USING (sale_id) "
            "WHERE c.till = ? AND c.printed_at IS NOT NULL AND c.hub_printed_sent IS NULL "
            "AND s.hub_sent_at IS NOT NULL ORDER BY c.printed_at LIMIT ?", (self.till, limit))]

    def mark_coupon_printed_sent(self, code: str) -> None:
        """The hub knows coupon `code` was printed (or cannot take it: not sent again)."""
        self._write([("UPDATE coupons SET hub_printed_sent = ? WHERE code = ?",
                      (self.clock(), code))])

    # ---- the hub's outbox (version 5) ------------------------------------------------

    def pending_for_hub(self, limit: int | None = None) -> list[str]:
        """The ids of the paid sales (not training) the hub has neither acknowledged
        nor refused, in the order they were paid."""
        rows = self.conn.execute(f"SELECT sale_id FROM sales WHERE {_OUTBOX} AND hub_parked "
                                 "IS NULL ORDER BY ended_at, rowid LIMIT ?",
                                 (-1 if limit is None else limit,)).fetchall()
        return [sale_id for (sale_id,) in rows]

    def mark_sent(self, sale_id: str, at: float | None = None) -> None:
        """The hub has sale `sale_id` (it answered 201 or 200): out of the outbox."""
        self._write([("UPDATE sales SET hub_sent_at = ?, hub_parked = NULL WHERE sale_id = ?",
                      (self.clock() if at is None else at, sale_id))])

    def park_for_hub(self, sale_id: str, reason: str) -> None:
        """The hub refused sale `sale_id` in a way retrying does not mend (400, 409,
        413, 422): kept in the outbox with `reason`, not sent again until
        `unpark_for_hub` (the pusher's start)."""
        self._write([("UPDATE sales SET hub_parked = ? WHERE sale_id = ?", (reason, sale_id))])

    def unpark_for_hub(self) -> int:
        """Puts the parked sales back in line (once per till start: a store published
        to the hub since, or a newer hub, may take them); how many."""
        changed: list[int] = []
        self._write([], then=lambda: changed.append(self.conn.execute(
            f"UPDATE sales SET hub_parked = NULL WHERE {_OUTBOX} AND hub_parked IS NOT NULL"
        ).rowcount))
        return changed[0]

    def hub_waiting(self) -> tuple[int, int]:
        """(sales waiting for the hub, of which parked): the status bar's count."""
        row = self.conn.execute(f"SELECT count(*), count(hub_parked) FROM sales "
                                f"WHERE {_OUTBOX}").fetchone()
        return int(row[0]), int(row[1])

    def parked_for_hub(self) -> list[tuple[str, str]]:
        """(sale id, the hub's reason) of the parked sales."""
        return [(str(a), str(b)) for a, b in self.conn.execute(
            f"SELECT sale_id, hub_parked FROM sales WHERE {_OUTBOX} AND hub_parked IS NOT NULL "
            "ORDER BY ended_at, rowid")]

    # ---- the receipts to print (version 6) ---------------------------------------------

    @staticmethod
    def receipt_row(sale_id: str, body: bytes, queued_at: float, copy: bool = False) -> Statement:
        """The statement that queues a receipt (for `record`'s `then`, or `queue_receipt`)."""
        return ("INSERT INTO receipts (sale_id, copy, body, queued_at) VALUES (?, ?, ?, ?)",
                (sale_id, int(copy), body, queued_at))

    def queue_receipt(self, sale_id: str, body: bytes, copy: bool = False) -> None:
        """Queues a receipt (a reprint: `copy`) for the printer."""
        self._write([self.receipt_row(sale_id, body, self.clock(), copy)])

    def last_receipt(self) -> tuple[str, bytes] | None:
        """(sale id, bytes) of this till's latest receipt as first printed, or None."""
        row = self.conn.execute(
            "SELECT r.sale_id, r.body FROM receipts r JOIN sales s USING (sale_id) "
            "WHERE s.till = ? AND r.copy = 0 ORDER BY r.receipt_id DESC LIMIT 1",
            (self.till,)).fetchone()
        return None if row is None else (str(row[0]), bytes(row[1]))

    def receipts_waiting(self, limit: int | None = None) -> list[tuple[int, str, bytes]]:
        """(receipt id, sale id, bytes) of the receipts not printed yet, in the order queued."""
        return [(int(a), str(b), bytes(c)) for a, b, c in self.conn.execute(
            "SELECT receipt_id, sale_id, body FROM receipts WHERE printed_at IS NULL "
            "ORDER BY receipt_id LIMIT ?", (-1 if limit is None else limit,))]

    def receipts_waiting_count(self) -> int:
        count: int = self.conn.execute(
            "SELECT count(*) FROM receipts WHERE printed_at IS NULL").fetchone()[0]
        return count

    def mark_receipt_printed(self, receipt_id: int, at: float | None = None) -> None:
        """The printer took receipt `receipt_id`: it is not printed again, and the
        coupon it carries (its sale's) counts as printed from now (the first time).
        The bytes of the receipts printed before are emptied, but for the latest
        receipt as first printed (F7's): a journal does not grow by a receipt a sale."""
        at = self.clock() if at is None else at
        self._write([("UPDATE receipts SET printed_at = ? WHERE receipt_id = ?", (at, receipt_id)),
                     ("UPDATE coupons SET printed_at = coalesce(printed_at, ?) WHERE sale_id = "
                      "(SELECT sale_id FROM receipts WHERE receipt_id = ?)", (at, receipt_id)),
                     ("UPDATE receipts SET body = X'' WHERE printed_at IS NOT NULL "
                      "AND length(body) > 0 AND receipt_id IS NOT (SELECT receipt_id FROM "
                      "receipts WHERE copy = 0 ORDER BY receipt_id DESC LIMIT 1)", ())])

    def receipt_failed(self, receipt_id: int, error: str) -> None:
        """The printer did not take receipt `receipt_id`: counted, with why; still waiting."""
        self._write([("UPDATE receipts SET attempts = attempts + 1, last_error = ? "
                      "WHERE receipt_id = ?", (error, receipt_id))])
