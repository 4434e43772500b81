"""The day's stock (pos.stock) on a till without a hub: the dump counted 5 of the
128 GB phone; once five are sold it is no longer offered as the upgrade, after a
restart and after the store is published again too; training sales and items the
dump did not count never sell out; a weighed line sells its weight in kg."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone

from pos.journal import Journal
from pos.stock import Stock, line_amount
from pos.store.publish import publish
from pos.till.config import TillConfig
from pos.till.session import Till

NOW = datetime(2026, 10, 31, 23, tzinfo=timezone.utc).timestamp() + 3600   # after the export


def open_till(published, journal_path, training=False) -> Till:
    return Till(published, Journal(journal_path, till="till1"),
                TillConfig(till_id="till1", lang="en", training=training), lambda: NOW)


def upgrades(till: Till) -> list[str]:
    till.add_sku("PH-64")
    shown = [c.sku for c in till.cards if c.kind == "upsell"]
    till.next_sale()
    return shown


def sell(till: Till, sku: str, n: int) -> None:
    for _ in range(n):
        till.add_sku(sku)
    till.pay()


def close(till: Till) -> None:
    till.close()
    till.journal.close()


def test_an_item_sold_out_today_is_not_offered_after_a_restart_and_a_new_store(
        tmp_path, published):
    journal = tmp_path / "sales.db"
    till = open_till(published, journal)
    assert upgrades(till) == ["PH-128"]
    sell(till, "PH-128", 4)
    assert upgrades(till) == ["PH-128"] and till.stock.left("PH-128") == 1
    sell(till, "PH-128", 1)
    assert upgrades(till) == [] and till.stock.sold_out == {"PH-128"}
    close(till)
    again = open_till(published, journal)                 # rebuilt from the journal
    assert upgrades(again) == [] and again.stock.left("PH-128") == 0
    copy = tmp_path / "next.db"                           # the same store, published again
    shutil.copy(published, copy)
    conn = sqlite3.connect(copy)                          # as a new load marks it
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('loaded_at', 'again')")
    conn.commit()
    conn.close()
    publish(copy, published)
    old = again.store
    sell(again, "PASTA", 1)                               # the sale boundary: the swap
    assert again.store is not old and not again.store_changed()
    assert upgrades(again) == [] and again.stock.sold_out == {"PH-128"}
    close(again)


def test_training_sales_sell_nothing(tmp_path, published):
    training = open_till(published, tmp_path / "sales.db", training=True)
    sell(training, "PH-128", 5)
    assert training.stock.sold == {} and upgrades(training) == ["PH-128"]
    close(training)
    again = open_till(published, tmp_path / "sales.db")
    assert again.stock.sold == {}
    close(again)


def test_an_item_the_dump_did_not_count_never_sells_out_and_weights_are_kg(published):
    conn = sqlite3.connect(published)
    try:
        stock = Stock(conn)
        stock.add([("ITEM9", 1000.0), ("PARM", 11.5), ("PARM", 0.25)])
        assert stock.left("ITEM9") is None and "ITEM9" not in stock.sold_out   # not counted
        assert stock.left("PARM") == 0.25 and stock.sold_out == set()
        stock.add([("PARM", line_amount(1, 250))])          # a weighed line: 250 g
        assert stock.sold_out == {"PARM"}
    finally:
        conn.close()
    assert line_amount(3, None) == 3
