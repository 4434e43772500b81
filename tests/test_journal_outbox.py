"""The journal's outbox for the store hub (version 5): every paid sale that is
not training waits for the hub until acknowledged (`mark_sent`) or refused for
good (`park_for_hub`), in the order paid; a journal reopened (a restart, a crash)
still lists them; an older journal gains the columns with its paid sales waiting."""
from __future__ import annotations

import sqlite3

from pos.currency import Currency
from pos.journal import Journal
from test_hub_api import paid_sale


def pay(journal: Journal, training: bool = False) -> str:
    sale = journal.new_sale(training=training, currency=Currency("NOK", 2))
    journal.record(sale, {"type": "add", "line": 1, "sku": "A", "item": 1, "name": "A",
                          "unit": "each", "unit_price": 100})
    journal.record(sale, {"type": "paid", "total": sale.total})
    return sale.sale_id


def test_paid_sales_wait_in_order_and_leave_when_sent(tmp_path):
    clock = iter(range(1, 100))
    j = Journal(tmp_path / "sales.db", till="t", clock=lambda: float(next(clock)))
    open_sale = j.new_sale(currency=Currency("NOK", 2))
    first, second = pay(j), pay(j)
    pay(j, training=True)                       # practice: never sent
    assert j.pending_for_hub() == [first, second] and j.hub_waiting() == (2, 0)
    assert j.pending_for_hub(limit=1) == [first]
    assert open_sale.sale_id not in j.pending_for_hub()
    j.mark_sent(first)
    assert j.pending_for_hub() == [second] and j.hub_waiting() == (1, 0)
    j.close()


def test_a_restart_keeps_the_waiting_sales(tmp_path):
    j = Journal(tmp_path / "sales.db", till="t")
    sent, waiting = pay(j), pay(j)
    j.mark_sent(sent)
    j.close()                                   # as a crash leaves it: both committed
    again = Journal(tmp_path / "sales.db", till="t")
    assert again.pending_for_hub() == [waiting]
    again.close()


def test_a_parked_sale_is_counted_not_sent_and_put_back_once(tmp_path):
    j = Journal(tmp_path / "sales.db", till="t")
    parked, other = pay(j), pay(j)
    j.park_for_hub(parked, "422: skus the store does not have: A")
    assert j.pending_for_hub() == [other] and j.hub_waiting() == (2, 1)
    assert j.parked_for_hub() == [(parked, "422: skus the store does not have: A")]
    assert j.unpark_for_hub() == 1
    assert j.pending_for_hub() == [parked, other] and j.hub_waiting() == (2, 0)
    j.mark_sent(parked)
    assert j.unpark_for_hub() == 0 and j.hub_waiting() == (1, 0)
    j.close()


def test_a_version_4_journal_gains_the_outbox_with_its_paid_sales_waiting(tmp_path):
    path = tmp_path / "sales.db"
    j = Journal(path, till="t")
    sale = paid_sale(j)
    j.close()
    conn = sqlite3.connect(path)                # back to version 4, as an older till left it
    conn.execute("DROP INDEX sales_hub_outbox")
    conn.execute("ALTER TABLE sales DROP COLUMN hub_parked")
    conn.execute("ALTER TABLE sales DROP COLUMN hub_sent_at")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'version'")
    conn.commit()
    conn.close()
    j = Journal(path, till="t")
    assert j.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("6",)
    assert j.pending_for_hub() == [sale["sale_id"]]
    assert j.hub_sale(sale["sale_id"]) == sale        # the body is what it was
    j.close()


def test_pos_hub_waiting_lists_the_parked_sales_and_puts_them_back(tmp_path):
    import subprocess
    import sys
    j = Journal(tmp_path / "sales.db", till="t")
    parked, other = pay(j), pay(j)
    j.park_for_hub(parked, "422: skus the store does not have: A")
    pos = [sys.executable, "-m", "pos", "hub", "waiting", "--journal", str(j.path)]
    listed = subprocess.run(pos, capture_output=True, text=True)
    assert listed.returncode == 0
    assert "2 sales waiting for the hub, 1 of them parked" in listed.stdout
    assert f"{parked}  422: skus the store does not have: A" in listed.stdout
    retried = subprocess.run([*pos, "--retry"], capture_output=True, text=True)
    assert "1 parked sales put back in line" in retried.stdout
    assert j.pending_for_hub() == [parked, other]
    missing = subprocess.run([*pos[:-1], str(tmp_path / "none.db")], capture_output=True, text=True)
    assert missing.returncode == 5 and "no sales journal" in missing.stderr
    j.close()
