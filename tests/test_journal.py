"""The sales journal: events durable before they count, all-or-nothing writes,
the unfinished sale found again, a clear error when it cannot be written."""
import subprocess

import pytest

from pos.journal import Journal, JournalError
from pos.till.sale import SaleError


def add(line, sku="A", price=1000):
    return {"type": "add", "line": line, "sku": sku, "item": line, "name": sku, "unit": "each",
            "unit_price": price}


def test_journal_is_wal_with_full_sync(tmp_path):
    j = Journal(tmp_path / "sales.db")
    assert j.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert j.conn.execute("PRAGMA synchronous").fetchone()[0] == 2     # FULL


def test_sale_ids_are_unique_and_name_the_till(tmp_path):
    j = Journal(tmp_path / "sales.db", till="oslo-3")
    ids = {j.new_sale().sale_id for _ in range(50)}
    assert len(ids) == 50 and all(i.startswith("oslo-3-") for i in ids)


def test_unfinished_sale_is_rebuilt_after_reopening(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale()
    j.record(sale, add(1, "A", 100), add(2, "B", 200))
    j.record(sale, {"type": "qty", "line": 2, "qty": 3})
    j.close()              # as after a crash: nothing else is written
    again = Journal(tmp_path / "sales.db").unfinished()
    assert again.sale_id == sale.sale_id and again.total == 700 and len(again.events) == 3


def test_paid_sale_is_not_unfinished_and_counts_as_unsent(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale()
    j.record(sale, add(1))
    j.record(sale, {"type": "paid", "total": sale.total})
    training = j.new_sale(training=True)
    j.record(training, add(1))
    j.record(training, {"type": "paid", "total": training.total})
    assert j.unfinished() is None and j.unsent() == 1


def test_event_that_does_not_fit_writes_nothing(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale()
    j.record(sale, add(1))
    with pytest.raises(SaleError):
        j.record(sale, add(2), {"type": "void", "line": 9})
    assert len(sale.events) == 1 and list(sale.lines) == [1]
    assert j.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1


def test_offers_table_follows_shown_and_outcome(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale()
    j.record(sale, add(1), {"type": "shown", "sku": "P", "kind": "cross", "position": 1,
                            "score": 0.5, "price": 990})
    j.record(sale, {"type": "outcome", "sku": "P", "outcome": "accepted", "revenue": 990})
    row = j.conn.execute("SELECT kind, position, outcome, revenue FROM offers").fetchone()
    assert row == ("cross", 1, "accepted", 990)


def test_full_disk_is_a_clear_error_and_loses_nothing(small_disk):
    path = small_disk / "sales.db"
    j = Journal(path)
    sale = j.new_sale()
    j.record(sale, add(1))
    filler = small_disk / "filler"
    with pytest.raises(OSError):                  # fill the disk up to the last byte
        with filler.open("wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    with pytest.raises(JournalError, match="disk is full"):
        for n in range(2, 200):                    # the WAL grows until a page cannot be written
            j.record(sale, add(n, "B" * 500))
    kept = len(sale.lines)
    filler.unlink()
    j.record(sale, add(900))                       # space again: it goes on
    assert Journal(path).unfinished().lines.keys() == sale.lines.keys()
    assert len(sale.lines) == kept + 1


def test_read_only_journal_is_a_clear_error(small_disk):
    path = small_disk / "sales.db"
    j = Journal(path)
    j.record(j.new_sale(), add(1))
    j.close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        with pytest.raises(JournalError, match="sales journal"):
            j = Journal(path)
            j.record(j.unfinished(), add(2))
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    assert Journal(path).unfinished().total == 1000


def test_failed_commit_restores_the_sale(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale()
    j.record(sale, add(1))
    j.conn.execute("CREATE TRIGGER no_more BEFORE INSERT ON events WHEN NEW.seq > 1 "
                   "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    with pytest.raises(JournalError, match="disk is full"):
        j.record(sale, add(2))
    assert list(sale.lines) == [1] and len(sale.events) == 1


def test_paid_sale_keeps_its_lines_as_paid(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale(arm="k3")
    j.record(sale, add(1, "A", 100), add(2, "B", 250), {"type": "qty", "line": 2, "qty": 2})
    j.record(sale, {"type": "void", "line": 1})
    j.record(sale, {"type": "paid", "total": sale.total})
    assert j.conn.execute("SELECT line, sku, qty, unit_price, total FROM sale_lines").fetchall() \
        == [(2, "B", 2, 250, 500)]
    assert j.conn.execute("SELECT arm, total FROM sales").fetchone() == ("k3", 500)


def test_arm_may_be_chosen_from_the_sale_id(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale(arm=lambda sale_id: sale_id[-1])
    assert sale.arm == sale.sale_id[-1]
    assert j.conn.execute("SELECT arm FROM sales").fetchone()[0] == sale.arm


def test_offer_row_has_arm_anchor_and_margin(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale(arm="control")
    j.record(sale, add(1, "PASTA"), {"type": "shown", "sku": "PARM", "kind": "cross",
                                     "position": 1, "score": 0.4, "price": 300,
                                     "anchor": "PASTA"})
    j.record(sale, {"type": "outcome", "sku": "PARM", "outcome": "accepted", "reason": None,
                    "revenue": 300, "margin": 120})
    assert j.conn.execute("SELECT arm, anchor, revenue, margin FROM offers").fetchone() \
        == ("control", "PASTA", 300, 120)


def test_version_1_journal_is_upgraded_in_place(tmp_path):
    import sqlite3
    path = tmp_path / "sales.db"
    v1 = sqlite3.connect(path)
    v1.executescript("""
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO meta VALUES ('version', '1');
        CREATE TABLE sales (sale_id TEXT PRIMARY KEY, till TEXT NOT NULL, cashier TEXT,
            training INTEGER NOT NULL, started_at REAL NOT NULL, ended_at REAL,
            status TEXT NOT NULL DEFAULT 'open', customer TEXT, total INTEGER,
            store_export INTEGER, exported_at REAL);
        CREATE TABLE events (sale_id TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL,
            type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sale_id, seq));
        CREATE TABLE offers (sale_id TEXT NOT NULL, sku TEXT NOT NULL, kind TEXT NOT NULL,
            position INTEGER NOT NULL, score REAL NOT NULL, price INTEGER NOT NULL,
            shown_at REAL NOT NULL, outcome TEXT, reason TEXT, outcome_at REAL,
            revenue INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (sale_id, sku));
        INSERT INTO sales VALUES ('t-1', 't', NULL, 0, 1.0, 2.0, 'paid', NULL, 300, NULL, NULL);
        INSERT INTO events VALUES ('t-1', 1, 1.0, 'add', '{"type": "add", "line": 1, "sku": "A",
            "item": 1, "name": "A", "unit": "each", "unit_price": 150, "qty": 2}');
        INSERT INTO events VALUES ('t-1', 2, 2.0, 'paid', '{"type": "paid", "total": 300}');
    """)
    v1.close()
    j = Journal(path)
    assert j.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0] == "6"
    assert j.conn.execute("SELECT sku, qty, total FROM sale_lines").fetchall() == [("A", 2, 300)]
    assert j.conn.execute("SELECT arm, offers_shown, offer_revenue FROM sales").fetchone() \
        == (None, 0, 0)


def test_newer_journal_is_refused(tmp_path):
    Journal(tmp_path / "sales.db").conn.execute("UPDATE meta SET value = '99' WHERE key = 'version'")
    with pytest.raises(JournalError, match="version 99.*update the till"):
        Journal(tmp_path / "sales.db")
