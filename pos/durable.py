"""SQLite files that must not lose a committed write: the till's journal and the
hub's store. WAL (readers never block the writer) and synchronous=FULL (a commit
is on the disk before it returns); autocommit, so each caller opens its own
transactions; usable from the thread it is handed to."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def connect_durable(path: Path, timeout: float) -> sqlite3.Connection:
    """A connection to `path` as above; sqlite3.Error when it cannot be opened."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE ... COMMIT); rolled back, and the
    exception passed on, when the body raises."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
