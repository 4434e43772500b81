"""SQLite files that must not lose a committed write: the till's journal and the
hub's store. WAL (readers never block the writer) and synchronous=FULL (a commit
is on the disk before it returns); autocommit, so each caller opens its own
transactions; usable from the thread it is handed to. And directories made so
that they survive a power cut (make_dirs)."""
from __future__ import annotations

import os
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


def fsync_dir(path: Path) -> None:
    """Makes the entries of directory `path` (its files' names) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs(path: Path) -> None:
    """`path.mkdir(parents=True, exist_ok=True)`, each directory it makes fsynced
    into its parent: a new directory's name is durable only once its parent is
    fsynced, and SQLite syncs the directory of the files it creates, never the
    ones above (a hub's new data directory, with the sales it acknowledged, was
    gone after a power cut: tests/test_powercut_hub.py). OSError as mkdir's."""
    made = []
    here = path
    while not here.exists() and here != here.parent:
        made.append(here)
        here = here.parent
    path.mkdir(parents=True, exist_ok=True)
    for directory in made:
        fsync_dir(directory.parent)
