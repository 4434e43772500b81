"""The hub's store: one SQLite file, `hub.db`, under the hub's data directory
(WAL, synchronous=FULL, like a till's journal), with the enrolled tills and the
sales received from them. All of the hub's SQL is here.

  meta   key/value; 'version' is HUB_VERSION
  tills  till_id, token_hash (sha256 hex of its token; pos.hub.tokens),
         enrolled_at, revoked_at (None while it may push)
  sales  sale_id (made on the till), till_id, content_hash (sha256 of the sale's
         canonical JSON, pos.hub.sale), paid_at, received_at, body (that JSON)

Times are UTC seconds. A sale is stored once: `put_sale` in one transaction
tells a new sale from a repeat (same id, same content) and from a conflict (same
id, other content), and stores only the first.
"""
from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..durable import connect_durable, immediate
from ..errors import EXIT_STORE, PosError

HUB_VERSION = 1
FILE_NAME = "hub.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tills (
    till_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL, enrolled_at REAL NOT NULL,
    revoked_at REAL);
CREATE TABLE IF NOT EXISTS sales (
    sale_id TEXT PRIMARY KEY, till_id TEXT NOT NULL REFERENCES tills(till_id),
    content_hash TEXT NOT NULL, paid_at REAL NOT NULL, received_at REAL NOT NULL,
    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sales_received ON sales(received_at);
CREATE INDEX IF NOT EXISTS sales_till ON sales(till_id, paid_at);
"""


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
class Received:
    """What `put_sale` did: 'stored' (new), 'repeat' (already there, same content)
    or 'conflict' (the id is there with other content; nothing changed)."""
    status: str
    received_at: float


class HubStore:
    """The hub's store under `data` (made when `create`; else it must exist).
    One connection, used by one thread at a time (a lock): the app's requests
    run on a thread pool, and writes are one at a time in SQLite anyway."""

    def __init__(self, data: Path, create: bool = True, clock: Callable[[], float] = time.time):
        self.data = Path(data)
        self.path = self.data / FILE_NAME
        self.clock = clock
        self._lock = threading.Lock()
        if not create and not self.path.exists():
            raise HubStoreError(f"{self.data}: no hub here (pos hub enroll TILL_ID --data "
                                f"{self.data} makes one)")
        try:
            self.data.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HubStoreError(f"{self.data}: cannot make the hub's data directory "
                                f"({exc.strerror})") from None
        try:
            self.conn = connect_durable(self.path, timeout=10.0)
            self._migrate()
        except sqlite3.Error as exc:
            raise HubStoreError(f"{self.path}: not a hub store or cannot be written "
                                f"({exc})") from None

    def _migrate(self) -> None:
        conn = self.conn
        with immediate(conn):
            has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone()
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() \
                if has_meta else None
            if row is not None and int(row[0]) != HUB_VERSION:
                raise HubStoreError(f"{self.path}: a hub store of version {row[0]}, this pos "
                                    f"reads version {HUB_VERSION}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT OR IGNORE INTO meta VALUES ('version', ?)", (str(HUB_VERSION),))

    def close(self) -> None:
        self.conn.close()

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
        with self._lock:
            row = self.conn.execute("SELECT till_id, token_hash, enrolled_at, revoked_at "
                                    "FROM tills WHERE till_id = ?", (till_id,)).fetchone()
        return Till(*row) if row else None

    def active_tills(self) -> list[Till]:
        """The tills that may push (enrolled, not revoked)."""
        with self._lock:
            rows = self.conn.execute("SELECT till_id, token_hash, enrolled_at, revoked_at "
                                     "FROM tills WHERE revoked_at IS NULL "
                                     "ORDER BY till_id").fetchall()
        return [Till(*row) for row in rows]

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

    def put_sale(self, till_id: str, sale_id: str, content_hash: str, paid_at: float,
                 body: str) -> Received:
        """Stores a sale once (see Received)."""
        now = self.clock()

        def put(conn: sqlite3.Connection) -> Received:
            row = conn.execute("SELECT content_hash, received_at FROM sales WHERE sale_id = ?",
                               (sale_id,)).fetchone()
            if row is not None:
                return Received("repeat" if row[0] == content_hash else "conflict", row[1])
            conn.execute("INSERT INTO sales VALUES (?, ?, ?, ?, ?, ?)",
                         (sale_id, till_id, content_hash, paid_at, now, body))
            return Received("stored", now)
        result = self._transaction(put)
        assert isinstance(result, Received)
        return result

    def sale_count(self, till_id: str | None = None) -> int:
        with self._lock:
            if till_id is None:
                row = self.conn.execute("SELECT count(*) FROM sales").fetchone()
            else:
                row = self.conn.execute("SELECT count(*) FROM sales WHERE till_id = ?",
                                        (till_id,)).fetchone()
        return int(row[0])

    def sale_body(self, sale_id: str) -> str | None:
        with self._lock:
            row = self.conn.execute("SELECT body FROM sales WHERE sale_id = ?",
                                    (sale_id,)).fetchone()
        return row[0] if row else None
