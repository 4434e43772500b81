"""The hub's store under its data directory: `hub.db` (WAL, synchronous=FULL, like a
till's journal), with the enrolled tills and the sales received from them, and
`sales.db`, the store's sales journal: every received sale written into the
tables of a till's journal (pos.journal), so that `pos report` and `pos export`
read the whole store as they read one till. All of the hub's SQL is here.

hub.db:
  meta      key/value; 'version' is HUB_VERSION, 'hub_id' this hub's id (made once:
            a till's cursor belongs to one hub)
  tills     till_id, token_hash (sha256 hex of its token; pos.hub.tokens),
            enrolled_at, revoked_at (None while it may push)
  received  seq (the order of arrival: the tills' cursor), sale_id (made on the
            till), till_id, content_hash (sha256 of the sale's canonical JSON,
            pos.hub.sale), paid_at, received_at, body (that JSON)
  coupons   the store's next-visit coupons (pos.coupons): code, the issuing sale_id and
            till_id, body (the sale's `coupon_issued` JSON; None while only a use of it
            has arrived), held_by/held_till/held_at (the sale a till asked to hold it for:
            POST /v1/coupons/{code}/redeem), used_by/used_till/used_at (the paid sale that
            used it, from that sale's `coupons_redeemed`), double_uses (JSON list of later
            uses by other sales: a till that could not ask the hub applied it again),
            printed_at (when the issuing till printed its receipt: POST .../printed)
            (added in place to a hub store made before coupons: no version change)

Times are UTC seconds. A sale is stored once: `put_sale` in one transaction
tells a new sale from a repeat (same id, same content) and from a conflict (same
id, other content), and stores only the first. hub.db is the record: sales.db
follows it (meta 'received_seq': how far), written after each sale and caught
up when the hub opens, so a crash between the two loses nothing.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..durable import connect_durable, immediate, make_dirs
from ..errors import EXIT_STORE, PosError
from ..journal import Journal, JournalError
from .sale import HubSale

HUB_VERSION = 2
FILE_NAME = "hub.db"
SALES_FILE = "sales.db"
SALES_CURSOR = "received_seq"      # sales.db's meta: the last received seq written there
log = logging.getLogger("pos.hub")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tills (
    till_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, enrolled_at REAL NOT NULL,
    revoked_at REAL);
CREATE TABLE IF NOT EXISTS received (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, sale_id TEXT NOT NULL UNIQUE,
    till_id TEXT NOT NULL REFERENCES tills(till_id), content_hash TEXT NOT NULL,
    paid_at REAL NOT NULL, received_at REAL NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS received_till ON received(till_id, paid_at);
CREATE TABLE IF NOT EXISTS coupons (
    code TEXT PRIMARY KEY, sale_id TEXT, till_id TEXT, body TEXT,
    held_by TEXT, held_till TEXT, held_at REAL,
    used_by TEXT, used_till TEXT, used_at REAL, double_uses TEXT, printed_at REAL);
"""
HOLD_SECONDS = 1800.0     # a hold by a sale that is not paid (and pushed) in time lapses


class HubStoreError(PosError):
    """The hub's data directory or store cannot be opened, read or written."""
    exit_code = EXIT_STORE


@dataclass(frozen=True)
class Till:
    till_id: str
    token_hash: str
    enrolled_at: float
    revoked_at: float | None


@dataclass(frozen=True)
class Redeemed:
    """What `redeem_coupon` answered: 'held' (for the asking sale: `coupon` is the
    coupon's JSON), 'used' (by `sale_id` of `till` at `at`: paid, or held by another
    sale not paid yet) or 'unknown' (no sale issuing it has arrived)."""
    status: str
    coupon: dict[str, object] | None = None
    at: float | None = None
    till: str | None = None
    sale_id: str | None = None


@dataclass(frozen=True)
class Received:
    """What `put_sale` did: 'stored' (new), 'repeat' (already there, same content)
    or 'conflict' (the id is there with other content; nothing changed)."""
    status: str
    received_at: float


def _sale_coupons(conn: sqlite3.Connection, sale: HubSale) -> None:
    """A newly stored sale's coupons into `coupons`: the one it issued, the ones it used
    (a use after another sale's is logged and kept as a double use), and the holds of
    this sale on coupons it did not use in the end lapse."""
    body = sale.body
    issued = body.get("coupon_issued")
    if issued is not None:
        conn.execute("INSERT INTO coupons (code, sale_id, till_id, body) VALUES (?, ?, ?, ?) "
                     "ON CONFLICT (code) DO UPDATE SET sale_id = excluded.sale_id, "
                     "till_id = excluded.till_id, body = excluded.body WHERE body IS NULL",
                     (issued["code"], sale.sale_id, sale.till,
                      json.dumps(issued, sort_keys=True)))
        mine = conn.execute("SELECT sale_id FROM coupons WHERE code = ?",
                            (issued["code"],)).fetchone()[0]
        if mine != sale.sale_id:
            log.error("coupon %s issued by sale %s is already sale %s's: a code drawn twice",
                      issued["code"], sale.sale_id, mine)
    used = []
    for use in body.get("coupons_redeemed", ()):
        code = use["code"]
        used.append(code)
        conn.execute("INSERT OR IGNORE INTO coupons (code) VALUES (?)", (code,))
        first, later = conn.execute("SELECT used_by, double_uses FROM coupons WHERE code = ?",
                                    (code,)).fetchone()
        if first is None or first == sale.sale_id:
            conn.execute("UPDATE coupons SET used_by = ?, used_till = ?, used_at = ? "
                         "WHERE code = ?", (sale.sale_id, sale.till, sale.paid_at, code))
        else:
            log.warning("coupon %s used twice: by sale %s, then by sale %s (till %s, hub %s)",
                        code, first, sale.sale_id, sale.till, use.get("hub") or "not asked")
            conn.execute("UPDATE coupons SET double_uses = ? WHERE code = ?",
                         (json.dumps([*json.loads(later or "[]"), sale.sale_id]), code))
    conn.execute(f"UPDATE coupons SET held_by = NULL, held_till = NULL, held_at = NULL "
                 f"WHERE held_by = ? AND code NOT IN ({', '.join('?' * len(used))})",
                 (sale.sale_id, *used))


class HubStore:
    """The hub's store under `data` (made when `create`; else it must exist).
    Two connections, each used by one thread at a time (a lock each): one writes
    (writes are one at a time in SQLite anyway), one reads (WAL: a read never
    waits for a write's commit), so the token checks and the long polls do not
    queue behind a sale's fsync. The active tills are kept in memory and read
    again whenever another connection committed (`PRAGMA data_version`: a sale
    stored, a till enrolled or revoked by `pos hub`), so a revoked token fails
    at its next request."""

    def __init__(self, data: Path, create: bool = True, clock: Callable[[], float] = time.time):
        self.data = Path(data)
        self.path = self.data / FILE_NAME
        self.clock = clock
        self._lock = threading.Lock()             # the writing connection
        self._read_lock = threading.Lock()        # the reading one
        self._sales_lock = threading.Lock()       # writing sales.db, one at a time
        self._sales: Journal | None = None
        self._tills: list[Till] = []
        self._tills_seen: int | None = None       # the data_version they were read at
        if not create and not self.path.exists():
            raise HubStoreError(f"{self.data}: no hub here (pos hub enroll TILL_ID --data "
                                f"{self.data} makes one)")
        try:
            make_dirs(self.data)        # fsynced into its parent: durable, like the sales in it
        except OSError as exc:
            raise HubStoreError(f"{self.data}: cannot make the hub's data directory "
                                f"({exc.strerror})") from None
        try:
            self.conn = connect_durable(self.path, timeout=10.0)
            self._migrate()
            self.reader = sqlite3.connect(self.path, timeout=10.0, isolation_level=None,
                                          check_same_thread=False)
        except sqlite3.Error as exc:
            raise HubStoreError(f"{self.path}: not a hub store or cannot be written "
                                f"({exc})") from None
        self.write_sales_journal()          # after a crash between hub.db and sales.db

    def _migrate(self) -> None:
        conn = self.conn
        with immediate(conn):
            has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() \
                if has_meta else None
            if row is not None and int(row[0]) == 1:
                raise HubStoreError(f"{self.path}: a hub store of version 1, made by a "
                                    f"development build of the hub; move {self.data} away and "
                                    "enroll the tills again (they send every sale the new hub "
                                    "has not acknowledged)")
            if row is not None and int(row[0]) != HUB_VERSION:
                raise HubStoreError(f"{self.path}: a hub store of version {row[0]}, this pos "
                                    f"reads version {HUB_VERSION}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(HUB_VERSION),))
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('hub_id', ?)", (uuid.uuid4().hex,))
        self.hub_id: str = conn.execute("SELECT value FROM meta WHERE key = 'hub_id'").fetchone()[0]

    def close(self) -> None:
        self.conn.close()
        self.reader.close()
        if self._sales is not None:
            self._sales.close()

    # ---- the store's sales journal (sales.db) ----------------------------------------

    @property
    def sales_path(self) -> Path:
        return self.data / SALES_FILE

    def _sales_journal(self) -> Journal:
        if self._sales is None:
            self._sales = Journal(self.sales_path, till="hub", clock=self.clock)
        return self._sales

    def write_sales_journal(self) -> int:
        """Writes the received sales sales.db does not have yet into it; how many.
        A failure is logged and tried again at the next sale (hub.db has them)."""
        with self._sales_lock:
            try:
                journal = self._sales_journal()
                done, written = journal.cursor(SALES_CURSOR), 0
                while True:
                    with self._read_lock:
                        rows = self.reader.execute(
                            "SELECT seq, body FROM received WHERE seq > ? ORDER BY seq "
                            "LIMIT 500", (done,)).fetchall()
                    if not rows:
                        return written
                    done = rows[-1][0]
                    written += journal.add_received([json.loads(body) for _, body in rows],
                                                    cursor=(SALES_CURSOR, done))
                    with self._read_lock:       # printed before sales.db had their sale
                        printed = self.reader.execute(
                            "SELECT code, printed_at FROM coupons WHERE printed_at IS NOT NULL "
                            "AND sale_id IN (SELECT sale_id FROM received WHERE seq > ? AND "
                            "seq <= ?)", (rows[0][0] - 1, done)).fetchall()
                    for code, at in printed:
                        journal.mark_coupon_printed(code, at)
            except (JournalError, sqlite3.Error) as exc:
                log.error("%s: cannot write the store's sales journal (%s); tried again at the "
                          "next sale", self.sales_path, exc)
                return 0

    def _transaction(self, body: Callable[[sqlite3.Connection], object]) -> object:
        with self._lock:
            try:
                with immediate(self.conn):
                    return body(self.conn)
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise HubStoreError(f"{self.path}: cannot write the hub's store ({exc})") from None

    # ---- tills ---------------------------------------------------------------------

    def till(self, till_id: str) -> Till | None:
        with self._read_lock:
            row = self.reader.execute("SELECT till_id, token_hash, enrolled_at, revoked_at "
                                    "FROM tills WHERE till_id = ?", (till_id,)).fetchone()
        return Till(*row) if row else None

    def active_tills(self) -> list[Till]:
        """The tills that may push (enrolled, not revoked): kept, and read again
        once another connection committed."""
        with self._read_lock:
            version = self.reader.execute("PRAGMA data_version").fetchone()[0]
            if version != self._tills_seen:
                self._tills = [Till(*row) for row in self.reader.execute(
                    "SELECT till_id, token_hash, enrolled_at, revoked_at FROM tills "
                    "WHERE revoked_at IS NULL ORDER BY till_id")]
                self._tills_seen = version
            return self._tills

    def put_till(self, till_id: str, token_hash: str) -> None:
        """Enrols `till_id` with a token's hash (a revoked till: enrolled again)."""
        now = self.clock()
        self._transaction(lambda c: c.execute(
            "INSERT INTO tills VALUES (?, ?, ?, NULL) ON CONFLICT (till_id) DO UPDATE SET "
            "token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at, "
            "revoked_at = NULL", (till_id, token_hash, now)))

    def revoke_till(self, till_id: str) -> bool:
        """Revokes an enrolled till's token; False when it was not enrolled or is revoked."""
        now = self.clock()
        changed = self._transaction(lambda c: c.execute(
            "UPDATE tills SET revoked_at = ? WHERE till_id = ? AND revoked_at IS NULL",
            (now, till_id)).rowcount)
        return bool(changed)

    # ---- sales ---------------------------------------------------------------------

    def put_sale(self, sale: HubSale, sales_journal: bool = True) -> Received:
        """Stores a checked sale once (see Received); a new one is then written to
        the store's sales journal too, unless the caller does it later
        (`write_sales_journal`: the app, after answering)."""
        now = self.clock()

        def put(conn: sqlite3.Connection) -> Received:
            row = conn.execute("SELECT content_hash, received_at FROM received WHERE sale_id = ?",
                               (sale.sale_id,)).fetchone()
            if row is not None:
                return Received("repeat" if row[0] == sale.content_hash else "conflict", row[1])
            conn.execute("INSERT INTO received (sale_id, till_id, content_hash, paid_at, "
                         "received_at, body) VALUES (?, ?, ?, ?, ?, ?)",
                         (sale.sale_id, sale.till, sale.content_hash, sale.paid_at, now,
                          sale.canonical))
            _sale_coupons(conn, sale)
            return Received("stored", now)
        result = self._transaction(put)
        assert isinstance(result, Received)
        if result.status == "stored" and sales_journal:
            self.write_sales_journal()
        return result

    def redeem_coupon(self, code: str, sale_id: str, till: str) -> Redeemed:
        """Holds coupon `code` for sale `sale_id` of `till`, in one transaction: a
        second sale asking is told of the first use (paid, or held and not lapsed)."""
        now = self.clock()

        def redeem(conn: sqlite3.Connection) -> Redeemed:
            row = conn.execute("SELECT body, held_by, held_till, held_at, used_by, used_till, "
                               "used_at, sale_id, till_id FROM coupons WHERE code = ?",
                               (code,)).fetchone()
            if row is None or row[0] is None:
                return Redeemed("unknown")
            body, held_by, held_till, held_at, used_by, used_till, used_at, issuer, where = row
            if used_by is not None and used_by != sale_id:
                return Redeemed("used", at=used_at, till=used_till, sale_id=used_by)
            if (used_by is None and held_by is not None and held_by != sale_id
                    and now - held_at < HOLD_SECONDS):
                return Redeemed("used", at=held_at, till=held_till, sale_id=held_by)
            if held_by != sale_id:
                conn.execute("UPDATE coupons SET held_by = ?, held_till = ?, held_at = ? "
                             "WHERE code = ?", (sale_id, till, now, code))
            return Redeemed("held", coupon={**json.loads(body), "sale_id": issuer, "till": where})
        result = self._transaction(redeem)
        assert isinstance(result, Redeemed)
        return result

    def coupon_printed(self, code: str, till: str, at: float) -> str:
        """Issuing till `till` printed coupon `code`'s receipt at `at` (the first time
        counts): "printed", "unknown" (no sale issuing it here) or "other till"; the
        store's sales journal has it too, for the report."""
        def mark(conn: sqlite3.Connection) -> str:
            row = conn.execute("SELECT till_id FROM coupons WHERE code = ? AND body IS NOT NULL",
                               (code,)).fetchone()
            if row is None:
                return "unknown"
            if row[0] != till:
                return "other till"
            conn.execute("UPDATE coupons SET printed_at = coalesce(printed_at, ?) WHERE code = ?",
                         (at, code))
            return "printed"
        result = self._transaction(mark)
        assert isinstance(result, str)
        if result == "printed":
            with self._sales_lock:
                try:         # not there yet: write_sales_journal marks it with its sale
                    self._sales_journal().mark_coupon_printed(code, at)
                except JournalError as exc:
                    log.error("%s: coupon %s printed, not written (%s); written with the next "
                              "catch-up", self.sales_path, code, exc)
        return result

    def double_uses(self) -> list[tuple[str, str, list[str]]]:
        """(code, the sale that used it first, the later sales that used it too)."""
        with self._read_lock:
            rows = self.reader.execute("SELECT code, used_by, double_uses FROM coupons WHERE "
                                       "double_uses IS NOT NULL ORDER BY code").fetchall()
        return [(code, first, json.loads(later)) for code, first, later in rows]

    def sales_after(self, seq: int, limit: int = 500) -> tuple[list[str], int]:
        """The bodies of the sales received after `seq`, in the order received (at
        most `limit`), and the seq of the last one (`seq` when there is none)."""
        with self._read_lock:
            rows = self.reader.execute("SELECT seq, body FROM received WHERE seq > ? ORDER BY seq "
                                     "LIMIT ?", (seq, limit)).fetchall()
        return [body for _, body in rows], (rows[-1][0] if rows else seq)

    def sale_count(self, till_id: str | None = None) -> int:
        with self._read_lock:
            if till_id is None:
                row = self.reader.execute("SELECT count(*) FROM received").fetchone()
            else:
                row = self.reader.execute("SELECT count(*) FROM received WHERE till_id = ?",
                                        (till_id,)).fetchone()
        return int(row[0])

    def sale_body(self, sale_id: str) -> str | None:
        with self._read_lock:
            row = self.reader.execute("SELECT body FROM received WHERE sale_id = ?",
                                    (sale_id,)).fetchone()
        return row[0] if row else None
