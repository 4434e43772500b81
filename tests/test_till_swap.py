"""A store published while the till sells, prepared off the till's thread
(pos.till.store_swap): the swap happens at a sale boundary only, the sales paid
while the new store was prepared are learned by its engine exactly once, the old
store is closed, and a store that cannot be prepared leaves the till on the old
one, logged, tried again at the next sale. Real stores and journals in tmp
dirs; the preparation is held at chosen points by events, never by sleeping."""
from __future__ import annotations

import logging
import shutil
import sqlite3
import threading
from datetime import datetime, timezone

import pytest
from test_learning import PASTA, Clock, sell, unmined_partner

from conftest import build_demo_store
from pos.journal import Journal
from pos.learning import learner_from_journal
from pos.store.publish import publish
from pos.till.config import TillConfig
from pos.till.session import Till
from pos.till.store_swap import run_in_thread
from till_harness import TIMEOUT, HeldPreparation

MILK = "MILK-FG-SKIM-1L"
NEW_EXPORT = "2026-11-21T23:00:00Z"


@pytest.fixture(scope="module")
def newer(tmp_path_factory):
    """A newer demo store, built once; publish a copy (publishing removes the file)."""
    return build_demo_store(tmp_path_factory.mktemp("newer"), baskets=1500,
                            export_time=NEW_EXPORT)


def publish_copy(store, live, tmp_path, name: str = "next.db", damage: bool = False) -> None:
    copy = tmp_path / name
    shutil.copy(store, copy)
    if damage:         # a neighbour list one byte too long: Engine.open refuses the store
        with sqlite3.connect(copy) as conn:
            conn.execute("UPDATE neighbours SET entries = entries || x'00' "
                         "WHERE item = (SELECT min(item) FROM neighbours)")
        conn.close()
    publish(copy, live)


@pytest.fixture
def live(tmp_path, demo_store):
    path = tmp_path / "store.db"
    shutil.copy(demo_store, path)
    return path


@pytest.fixture
def clock():
    """After both stores' export times: every sale teaches either engine."""
    return Clock(datetime(2026, 11, 22, 1, tzinfo=timezone.utc).timestamp())


def new_till(live, tmp_path, clock, **kw) -> Till:
    return Till(live, Journal(tmp_path / "sales.db", "t1", clock),
                TillConfig(till_id="t1", lang="en"), clock, **kw)


def closed(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False


def test_sales_paid_while_the_store_is_prepared_are_learned_once(
        tmp_path, demo_store, live, newer, clock, monkeypatch):
    held = HeldPreparation(monkeypatch)
    partner = unmined_partner(demo_store)
    till = new_till(live, tmp_path, clock, run=run_in_thread)
    old_engine, old_conn = till.engine, till.conn
    sell(till, clock, PASTA, partner)               # before the publish
    held.armed = True
    publish_copy(newer, live, tmp_path)
    sell(till, clock, PASTA, MILK)                  # its boundary starts the preparation
    held.wait("replay")
    assert till.preparer.pending and till.engine is old_engine
    sell(till, clock, PASTA, partner, decline=True)  # paid before the replay's snapshot
    held.release("replay")
    held.wait("replayed")
    sell(till, clock, PASTA, partner, decline=True)  # paid after it: fed at the swap
    assert till.engine is old_engine and threading.main_thread() not in held.threads
    held.release("replayed")
    assert till.preparer.wait(TIMEOUT)
    till.add_sku(PASTA)                             # ready, mid-sale: still the old store
    till.check_store()
    assert till.engine is old_engine and till.sale.lines
    sell(till, clock, MILK)                         # the boundary: the swap
    assert till.engine is not old_engine and not till.store_changed()
    assert closed(old_conn)
    learned = till.engine.learned
    rebuilt = learner_from_journal(till.engine, till.journal, till.export_time, clock())
    assert learned.stats()["baskets"] == 5           # every sale, none twice
    assert learned.stats() == rebuilt.stats() and learned.stats()["declines"] > 0
    till.close()


def test_the_swap_waits_for_the_sale_boundary_in_the_background(
        tmp_path, live, newer, clock, monkeypatch):
    held = HeldPreparation(monkeypatch)
    till = new_till(live, tmp_path, clock, run=run_in_thread)
    old_engine, identity = till.engine, till.identity
    till.add_sku(PASTA)
    held.armed = True
    publish_copy(newer, live, tmp_path)
    till.check_store()                              # as the UI's timer does: prepares
    held.wait("replay")
    till.add_sku(MILK)                              # the sale goes on meanwhile
    held.release()
    assert till.preparer.wait(TIMEOUT)
    till.add_sku(PASTA)
    assert till.engine is old_engine and till.identity == identity
    assert [ln.qty for ln in till.sale.lines.values()] == [1, 1, 1]
    clock.now += 60
    paid = till.pay()
    assert till.engine is not old_engine and till.identity != identity
    assert len(paid.lines) == 3 and till.sale.lines == {}
    till.close()


def failures(caplog) -> int:
    return sum("preparing the store" in r.getMessage() for r in caplog.records)


def test_a_store_that_cannot_be_prepared_keeps_the_old_one(tmp_path, live, newer, clock, caplog):
    caplog.set_level(logging.ERROR, logger="pos.till.store_swap")
    till = new_till(live, tmp_path, clock)
    old_engine = till.engine
    publish_copy(newer, live, tmp_path, damage=True)
    sell(till, clock, PASTA, MILK)
    assert failures(caplog) == 1 and till.engine is old_engine and till.preparer.failed
    assert f"preparing the store {live} failed" in caplog.text
    assert "damaged" in caplog.text and "tries again at the next sale" in caplog.text
    till.add_sku(PASTA)                             # the till sells on, on the old engine
    assert till.cards and till.sale.lines
    till.check_store()                              # between sales: no retry
    assert failures(caplog) == 1
    publish_copy(newer, live, tmp_path)             # a good store now
    sell(till, clock, MILK)                         # the next sale retries, and swaps
    assert till.engine is not old_engine and not till.preparer.failed
    assert till.journal.conn.execute(
        "SELECT count(*) FROM sale_lines").fetchone()[0] == 4
    till.close()


def test_a_failure_on_the_worker_thread_is_retried_once_a_sale(
        tmp_path, live, newer, clock, caplog):
    caplog.set_level(logging.ERROR, logger="pos.till.store_swap")
    till = new_till(live, tmp_path, clock, run=run_in_thread)
    old_engine = till.engine
    publish_copy(newer, live, tmp_path, damage=True)
    till.check_store()
    assert till.preparer.wait(TIMEOUT) and failures(caplog) == 1
    till.check_store()                              # failed, not taken yet: nothing new
    sell(till, clock, PASTA)                        # takes the failure, and retries
    assert till.preparer.wait(TIMEOUT) and failures(caplog) == 2
    till.check_store()
    assert failures(caplog) == 2 and till.engine is old_engine
    sell(till, clock, PASTA)
    assert till.preparer.wait(TIMEOUT) and failures(caplog) == 3
    assert till.engine is old_engine and till.sale.lines == {}
    till.close()
