"""Every till sees the whole store's day (issue 17, item 3), with two till
controllers and a hub in-process (the pusher and the follower driven round by
round, no threads): the sales till2 paid teach till1's learning as its own do;
the 12 parmesan the dump counted, sold by till2, make parmesan suggested
nowhere; a till started again on its journals holds the same learning and stock;
and the hub's store sales journal counts the same sales and stock as each till."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from starlette.testclient import TestClient

from pos.engine import Engine
from pos.hub.app import create_app
from pos.hub.client import HubPusher
from pos.hub.follow import HubFollower, store_sales_path
from pos.hub.link import TillHubLink
from pos.hub.tokens import enroll
from pos.journal import Journal
from pos.learning import replay_store_sales
from pos.stock import sold
from pos.till.config import TillConfig
from pos.till.session import Till

EXPORT = datetime(2026, 10, 31, 23, tzinfo=timezone.utc).timestamp()     # the good dump's
NOW = EXPORT + 3600


class Store:
    """The hub and its tills, each with its journal and link (in-process clients)."""

    def __init__(self, tmp_path, hub, published):
        self.tmp_path, self.hub, self.published = tmp_path, hub, published
        self.client = TestClient(create_app(hub), base_url="http://hub")
        self.tokens: dict[str, str] = {}
        self.tills: dict[str, Till] = {}

    def open(self, till_id: str) -> Till:
        if till_id not in self.tokens:
            self.tokens[till_id] = enroll(self.hub, till_id)
        token, path = self.tokens[till_id], self.tmp_path / f"{till_id}.db"
        link = TillHubLink(
            HubPusher("http://hub", token, path, till_id, client=self.client),
            HubFollower("http://hub", token, store_sales_path(path), client=self.client, wait=0))
        till = Till(self.published, Journal(path, till=till_id),
                    TillConfig(till_id=till_id, lang="en"), lambda: NOW, hub=link)
        self.tills[till_id] = till
        return till

    def sync(self) -> None:
        """Every till sends its sales, then every till reads the store's."""
        for till in self.tills.values():
            assert till.hub.pusher.push_once() is None
        for till in self.tills.values():
            assert till.hub.follower.pull_once() is not None

    def close(self, till_id: str) -> None:
        till = self.tills.pop(till_id)
        till.hub.stop()
        till.close()
        till.journal.close()


@pytest.fixture
def store(tmp_path, hub, published):
    s = Store(tmp_path, hub, published)
    yield s
    for till_id in list(s.tills):
        s.close(till_id)
    s.client.close()


def sell(till: Till, *skus: str) -> None:
    for sku in skus:
        till.add_sku(sku)
    till.pay()


def cards_for(till: Till, *skus: str) -> list[str]:
    for sku in skus:
        till.add_sku(sku)
    shown = [c.sku for c in till.cards]
    till.next_sale()                 # the sale left open, as a customer who walked away
    return shown


def test_another_tills_sales_teach_this_till_and_sell_out_its_stock(store):
    till1, till2 = store.open("till1"), store.open("till2")
    assert cards_for(till1, "PASTA", "SAUCE")[0] == "PARM"
    sell(till2, *["PARM"] * 12)                       # the 12 the dump counted
    sell(till2, "PH-64", "ITEM9")
    before = till1.engine.learned.stats()
    store.sync()
    assert "PARM" not in cards_for(till1, "PASTA", "SAUCE")
    after = till1.engine.learned.stats()
    assert after["baskets"] == before["baskets"] + 2 and after["pairs"] > before["pairs"]
    assert till1.stock.left("PARM") == 0 and till1.stock.sold_out == {"PARM"}
    assert till2.stock.sold_out == {"PARM"}          # its own sales count as well


def test_a_till_started_again_holds_the_same_learning_and_stock(store):
    till1, till2 = store.open("till1"), store.open("till2")
    sell(till2, *["PARM"] * 12)
    sell(till1, "PASTA", "SAUCE")
    sell(till2, "PH-64", "ITEM9")
    store.sync()
    till1.take_store_sales()
    live = (till1.engine.learned.stats(), till1.stock.sold, till1.stock.sold_out)
    store.close("till1")
    again = store.open("till1")
    assert (again.engine.learned.stats(), again.stock.sold, again.stock.sold_out) == live


def test_the_hub_counts_the_same_sales_and_stock_as_each_till(store, hub):
    tills = [store.open(f"till{i}") for i in (1, 2, 3)]
    for i, till in enumerate(tills):
        sell(till, "PASTA", "SAUCE", *["PARM"] * (i + 1))
        sell(till, "PH-64", "CASE" if i else "ITEM9")
    store.sync()
    engine = Engine.open(store.published)
    try:
        learner = engine.new_learner()
        replay_store_sales(learner, hub.sales_path, None, int(EXPORT), NOW)
        hub_journal = Journal(hub.sales_path, till="check")
        hub_sold = dict(sold(hub_journal.conn, EXPORT))
        hub_journal.close()
        for till in tills:
            till.take_store_sales()
            assert till.engine.learned.stats() == learner.stats()
            assert till.stock.sold == pytest.approx(hub_sold)
        assert hub_sold["PARM"] == 6
    finally:
        engine.close()
