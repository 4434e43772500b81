"""Publishing a built store without ever leaving a till without a working one.

- One load at a time: an exclusive flock on `STORE.db.lock`.
- The new store is built in `.STORE.db.building` beside the target and checked.
- A first store is hard-linked into place (atomic; fails if one appeared), and
  the directory fsynced (the store's directory too, into its parent, when the
  load made it).
- An existing store is overwritten with SQLite's backup API, in one write
  transaction on the live file: a till reading it keeps its snapshot until its
  current read ends and sees the new store from its next one; a load killed
  mid-copy leaves uncommitted pages that SQLite discards. Renaming a new file
  over a live WAL database is NOT safe (sqlite.org, "How To Corrupt", 2.5).
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from pathlib import Path
from typing import Callable, TextIO

from ..durable import make_dirs
from ..errors import LoadBusy, StoreError

SIDE_FILES = ("", "-journal", "-wal", "-shm")


def building_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.building")


def remove_database(path: Path) -> None:
    for suffix in SIDE_FILES:
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class LoadLock:
    """Exclusive lock for loading into `target`; a second holder gets LoadBusy."""

    def __init__(self, target: Path):
        self.path = target.with_name(target.name + ".lock")
        self.target = target
        self._file: TextIO | None = None

    def __enter__(self) -> "LoadLock":
        # fsynced into its parent: a store published into a directory the load made
        # was gone after a power cut (tests/test_powercut_load.py)
        make_dirs(self.path.parent)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise LoadBusy(f"another load is writing {self.target} ({holder}); "
                           "this one stopped without touching the store") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        self._file = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def finish_build(built: Path) -> None:
    """Make the built file self-contained and durable, in WAL mode like the live store."""
    conn = sqlite3.connect(built, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    _fsync(built)


def check_store(path: Path, expected: dict[str, int]) -> None:
    """quick_check, then every counted table against what the load read."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            raise StoreError(f"{path.name}: quick_check failed: {'; '.join(result[:5])}")
        for table, count in expected.items():
            found = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            if found != count:
                raise StoreError(f"{path.name}: table {table} has {found:,} rows, "
                                 f"but the load wrote {count:,}")
    finally:
        conn.close()


def publish(built: Path, target: Path,
            progress: Callable[[int, int], None] = lambda done, total: None,
            pages: int = 4096) -> str:
    """Put the checked file `built` live as `target`; returns 'created' or 'replaced'."""
    finish_build(built)
    try:
        os.link(built, target)
    except FileExistsError:
        pass
    else:
        _fsync(target.parent)
        remove_database(built)
        return "created"
    source = sqlite3.connect(f"file:{built}?mode=ro", uri=True)
    live = sqlite3.connect(target, timeout=60, isolation_level=None)
    try:
        try:
            live.execute("PRAGMA journal_mode=WAL")
            live.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{target}: the published store cannot be opened ({exc}); "
                             "move it away and load again") from None

        def step(status: int, remaining: int, total: int) -> None:
            progress(total - remaining, total)

        try:
            source.backup(live, pages=pages, progress=step)
        except sqlite3.Error as exc:
            raise StoreError(f"{target}: publishing failed, the previous store is unchanged "
                             f"({exc})") from None
        # PASSIVE: copy what no reader still needs, never wait for a till's open
        # read (TRUNCATE would block on it); SQLite's auto-checkpoint does the rest
        live.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        source.close()
        live.close()
    remove_database(built)
    return "replaced"
