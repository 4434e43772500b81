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
