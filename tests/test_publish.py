"""Publishing: a till's open store keeps working, a killed load changes nothing,
two loads never both write, and the same dump gives the same store."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CATALOG_HEADER, catalog_rows, good_files, snapshot, write_dump
from pos.cli import main
from pos.errors import EXIT_BUSY, LoadBusy
from pos.load import load_dump

STOP_DRIVER = Path(__file__).resolve().parent / "stop_driver.py"


def renamed_dump(tmp_path, name="dump-b"):
    """The good dump with the pasta renamed: a visibly different store."""
    files = good_files()
    files["catalog.csv"] = CATALOG_HEADER + "".join(catalog_rows()).replace("Pasta 500 g", "Fusilli 500 g")
    return write_dump(tmp_path / name, files)


def pasta_name(conn) -> str:
    return conn.execute("SELECT name FROM products WHERE sku = 'PASTA'").fetchone()[0]


def test_first_load_creates_then_next_replaces(tmp_path, good_dump):
    db = tmp_path / "store.db"
    assert load_dump(good_dump, db).outcome == "created"
    assert load_dump(renamed_dump(tmp_path), db).outcome == "replaced"
    conn = sqlite3.connect(db)
    assert pasta_name(conn) == "Fusilli 500 g"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert not list(tmp_path.glob(".store.db.building*"))


def test_open_till_keeps_its_snapshot_and_sees_the_new_store_next_sale(tmp_path, published):
    till = sqlite3.connect(published, isolation_level=None)
    till.execute("BEGIN")                     # mid-sale: one read transaction
    assert pasta_name(till) == "Pasta 500 g"

    load_dump(renamed_dump(tmp_path), published)

    assert pasta_name(till) == "Pasta 500 g"  # same sale, same store
    till.execute("COMMIT")                    # sale boundary
    assert pasta_name(till) == "Fusilli 500 g"
    assert till.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def test_same_dump_gives_the_same_store(tmp_path, good_dump):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    load_dump(good_dump, first)
    load_dump(good_dump, second)
    assert snapshot(first) == snapshot(second)
    load_dump(good_dump, first)               # reloading over itself
    assert snapshot(first) == snapshot(second)


def start_load(dump, db, stop_at) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(STOP_DRIVER), "load", stop_at, str(dump), str(db)],
                            stderr=subprocess.PIPE, text=True)


def wait_until_stopped(process: subprocess.Popen, stop_at: str) -> None:
    """Block until the load has stopped itself at `stop_at` (no sleeping)."""
    line = process.stderr.readline()
    assert f"stopped at {stop_at}" in line, line + process.stderr.read()
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status)


STOP_POINTS = ["catalog", "baskets", "mining", "write", "check", "publish-mid"]


@pytest.mark.parametrize("stop_at", STOP_POINTS)
def test_load_killed_anywhere_leaves_the_store_published_and_intact(tmp_path, published, stop_at):
    before = snapshot(published)
    load = start_load(renamed_dump(tmp_path), published, stop_at)
    wait_until_stopped(load, stop_at)

    load.send_signal(signal.SIGKILL)
    load.wait()

    conn = sqlite3.connect(published)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert pasta_name(conn) == "Pasta 500 g"
    conn.close()
    assert snapshot(published) == before
    # the next night's load cleans up after the killed one and succeeds
    assert load_dump(renamed_dump(tmp_path, "dump-c"), published).outcome == "replaced"
    assert not list(tmp_path.glob(".store.db.building*"))


def test_two_loads_at_once_never_both_write(tmp_path, published, capsys):
    first = start_load(renamed_dump(tmp_path), published, "mining")
    wait_until_stopped(first, "mining")
    try:
        with pytest.raises(LoadBusy, match="another load is writing"):
            load_dump(renamed_dump(tmp_path, "dump-c"), published)
        assert main(["load", str(tmp_path / "dump-c"), "--db", str(published), "--quiet"]) == EXIT_BUSY
        assert f"pid {first.pid}" in capsys.readouterr().err
    finally:
        first.send_signal(signal.SIGCONT)
    assert first.wait() == 0
    assert pasta_name(sqlite3.connect(published)) == "Fusilli 500 g"
