"""The hub's store and the tills' tokens (pos.hub.store, pos.hub.tokens), on real
SQLite files: a sale stored once, a repeat told from a conflict, in the order
received, and written to the store's sales journal (caught up after a crash
between the two files); tokens kept only as hashes, revocation at once, a store
of another version refused."""
from __future__ import annotations

import sqlite3

import pytest

from pos.errors import UsageError
from pos.hub.sale import parse_sale
from pos.hub.store import FILE_NAME, SALES_CURSOR, HubStore, HubStoreError
from pos.hub.tokens import authenticate, enroll, hash_token, revoke
from pos.journal import Journal
from test_hub_api import paid_sale


@pytest.fixture
def store(tmp_path):
    s = HubStore(tmp_path / "hub")
    yield s
    s.close()


def test_the_store_is_wal_with_full_sync_and_versioned(store):
    assert store.path.name == FILE_NAME and store.path.is_file()
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2      # FULL
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("2",)
    assert len(store.hub_id) == 32


def test_a_development_store_of_version_1_is_refused_with_what_to_do(tmp_path):
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('version', '1')")
    conn.commit()
    conn.close()
    with pytest.raises(HubStoreError, match="development build.*enroll the tills again"):
        HubStore(tmp_path)


def test_a_store_of_another_version_is_refused(tmp_path):
    HubStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    conn.execute("UPDATE meta SET value = '9' WHERE key = 'version'")
    conn.commit()
    conn.close()
    with pytest.raises(HubStoreError, match="version 9"):
        HubStore(tmp_path)


def test_a_file_where_the_data_directory_should_be_is_a_store_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(HubStoreError, match="data directory"):
        HubStore(tmp_path / "file")


def test_no_hub_is_made_where_one_must_exist(tmp_path):
    with pytest.raises(HubStoreError, match="no hub here"):
        HubStore(tmp_path / "none", create=False)
    assert not (tmp_path / "none").exists()


@pytest.fixture
def sales(journal):
    """Three checked sales of till1, paid on a real journal."""
    return [parse_sale(paid_sale(journal, skus=(f"A{i}", "B"))) for i in range(3)]


def test_a_sale_is_stored_once_and_a_reused_id_is_a_conflict(store, sales):
    sale = sales[0]
    first, again = store.put_sale(sale), store.put_sale(sale)
    reused = parse_sale({**sale.body, "total": sale.body["total"] + 1})
    other = store.put_sale(reused)
    assert (first.status, again.status, other.status) == ("stored", "repeat", "conflict")
    assert again.received_at == first.received_at
    assert store.sale_count() == 1 and store.sale_body(sale.sale_id) == sale.canonical


def test_sales_are_read_back_in_the_order_received_from_a_cursor(store, sales):
    for sale in reversed(sales):
        store.put_sale(sale)
    bodies, cursor = store.sales_after(0)
    assert bodies == [s.canonical for s in reversed(sales)] and cursor == 3
    assert store.sales_after(1, limit=1) == ([sales[1].canonical], 2)
    assert store.sales_after(3) == ([], 3)


def test_each_sale_is_written_to_the_store_sales_journal_once(tmp_path, store, sales):
    for sale in sales + sales:
        store.put_sale(sale)
    journal = Journal(store.sales_path, till="check")
    rows = journal.conn.execute("SELECT sale_id, till, status, total FROM sales ORDER BY rowid")
    assert [r[0] for r in rows] == [s.sale_id for s in sales]
    assert journal.cursor(SALES_CURSOR) == 3
    assert journal.hub_sale(sales[0].sale_id) == sales[0].body     # as the till journaled it
    journal.close()


def test_a_crash_between_the_two_files_is_caught_up_when_the_hub_opens(tmp_path, sales):
    store = HubStore(tmp_path)
    store.put_sale(sales[0])
    store.close()
    conn = sqlite3.connect(tmp_path / "sales.db")      # as if the hub died before writing it
    conn.execute("DELETE FROM sale_lines")
    conn.execute("DELETE FROM offers")
    conn.execute("DELETE FROM sales")
    conn.execute(f"DELETE FROM meta WHERE key = '{SALES_CURSOR}'")
    conn.commit()
    conn.close()
    again = HubStore(tmp_path)
    again.close()
    journal = Journal(tmp_path / "sales.db", till="check")
    assert journal.hub_sale(sales[0].sale_id) == sales[0].body
    journal.close()


def test_the_sales_survive_reopening(tmp_path, sales):
    s = HubStore(tmp_path)
    s.put_sale(sales[0])
    s.close()
    again = HubStore(tmp_path, create=False)
    assert again.sale_count("till1") == 1 and again.sale_count("t2") == 0
    assert again.hub_id == s.hub_id
    again.close()


def test_a_token_is_kept_only_as_its_hash(store):
    token = enroll(store, "till1")
    assert len(token) >= 40
    dump = "\n".join(store.conn.iterdump())
    assert token not in dump and hash_token(token) in dump
    assert authenticate(store, token) == "till1"
    assert authenticate(store, token + "x") is None and authenticate(store, "") is None


def test_each_till_has_its_own_token(store):
    tokens = {till: enroll(store, till) for till in ("till1", "till2", "till3")}
    assert len(set(tokens.values())) == 3
    assert all(authenticate(store, token) == till for till, token in tokens.items())


def test_a_revoked_token_stops_at_once_and_a_new_one_works(store):
    old = enroll(store, "till1")
    revoke(store, "till1")
    assert authenticate(store, old) is None
    new = enroll(store, "till1")
    assert new != old and authenticate(store, new) == "till1" and authenticate(store, old) is None


def test_enrolling_twice_revoking_unknown_and_bad_ids_are_usage_errors(store):
    enroll(store, "till1")
    with pytest.raises(UsageError, match="revoke it first"):
        enroll(store, "till1")
    with pytest.raises(UsageError, match="not enrolled"):
        revoke(store, "till9")
    for bad in ("", "-x", "a b", "x" * 65, "till/1"):
        with pytest.raises(UsageError, match="not a till id"):
            enroll(store, bad)
