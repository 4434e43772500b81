"""The till's controller on the demo store: scans become lines, suggestions of
each kind are shown, accepted and declined as a cashier would, the per-sale cap
holds, payment starts the next sale, and a new store is taken at the sale
boundary only."""
import shutil
import sqlite3
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from conftest import build_demo_store, scan_code
from pos.journal import Journal
from pos.store.publish import publish
from pos.till.config import TillConfig
from pos.till.session import Till

CHOC, CHOC_UP = "CHOC-NS-DARK-60", "CHOC-NS-DARK-100"      # an upgrade in the demo store
NAPPIES, WIPES = "NAPPY-LB-S4-40", "WIPES-LB-SENS-3X64"     # a deal: nappies + wipes
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()   # the demo store's


def at_export() -> float:
    return EXPORT


@pytest.fixture
def till(tmp_path, demo_store):
    t = Till(demo_store, Journal(tmp_path / "sales.db"), TillConfig(till_id="t1", lang="en"), at_export)
    yield t
    t.close()


def test_scan_adds_a_line_and_shows_cards(till, demo_store):
    result = till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    assert result.problem is None and result.line.sku == "PASTA-BN-FUS-500"
    assert 1 <= len(till.cards) <= 3
    assert all(c.sku != "PASTA-BN-FUS-500" for c in till.cards)
    assert {o.sku for o in till.sale.offers.values()} == {c.sku for c in till.cards}


def test_same_item_twice_counts_up(till, demo_store):
    code = scan_code(demo_store, "MILK-FG-SKIM-1L")
    till.scan(code)
    till.scan(code)
    assert [(ln.sku, ln.qty) for ln in till.sale.lines.values()] == [("MILK-FG-SKIM-1L", 2)]


def test_garbage_and_unknown_codes_say_what_to_do(till):
    assert "check digit" in till.scan("5901234123458").problem
    assert "enter the item by hand" in till.scan("5901234123457").problem
    assert till.sale.lines == {}


def test_accept_add_on(till, demo_store):
    till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    first = till.cards[0]
    assert till.accept(1) == first
    assert till.sale.line_of(first.sku) is not None
    assert till.sale.offers[first.sku].outcome == "accepted"


def test_accept_upgrade_replaces_the_line(till, demo_store):
    till.scan(scan_code(demo_store, CHOC))
    kinds = {c.kind: i for i, c in enumerate(till.cards, 1)}
    assert "upsell" in kinds, [c.sku for c in till.cards]
    card = till.cards[kinds["upsell"] - 1]
    before = till.sale.total
    till.accept(kinds["upsell"])
    assert [ln.sku for ln in till.sale.lines.values()] == [CHOC_UP]
    assert till.sale.total - before == card.price          # the step shown is the step paid


def test_accept_deal_adds_the_member_and_the_saving(till, demo_store):
    till.scan(scan_code(demo_store, NAPPIES))
    kinds = {c.kind: i for i, c in enumerate(till.cards, 1)}
    assert "bundle" in kinds
    card = till.cards[kinds["bundle"] - 1]
    before = till.sale.total
    till.accept(kinds["bundle"])
    assert till.sale.line_of(WIPES) is not None
    assert till.sale.total - before == card.price - card.saving
    assert till.sale.deals[0].saving == card.saving


def test_declined_never_returns_in_the_sale(till, demo_store):
    till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    declined = {c.sku for c in till.decline("not_relevant")}
    assert declined
    till.scan(scan_code(demo_store, "SAUCE-NL-BOL-400"))
    till.scan(scan_code(demo_store, "MILK-FG-SKIM-1L"))
    assert not declined & {c.sku for c in till.cards}
    assert not declined & {s.sku for s in till._ask(20)}
    assert {till.sale.offers[s].outcome for s in declined} == {"declined"}
    with pytest.raises(ValueError):
        till.decline("boring")


def test_per_sale_cap(tmp_path, demo_store):
    till = Till(demo_store, Journal(tmp_path / "s.db"), TillConfig(till_id="t", per_sale=4), at_export)
    for sku in ("PASTA-BN-FUS-500", "MILK-FG-SKIM-1L", "NAPPY-LB-S4-40", "PH-AU8-128-BLK"):
        till.scan(scan_code(demo_store, sku))
        till.decline()
    assert len(till.sale.offers) == 4 and till.cards == []


def test_last_call_only_for_an_unseen_strong_card(tmp_path, demo_store):
    config = TillConfig(till_id="t", cards=1, last_call_min_score=0.0)
    till = Till(demo_store, Journal(tmp_path / "s.db"), config, at_export)
    till.scan(scan_code(demo_store, "PH-AU8-128-BLK"))
    shown = set(till.sale.offers)
    card = till.last_call()
    assert card is not None and card.sku not in shown
    strict = Till(demo_store, Journal(tmp_path / "s2.db"), replace(config, last_call_min_score=99.0),
                  at_export)
    strict.scan(scan_code(demo_store, "PH-AU8-128-BLK"))
    assert strict.last_call() is None


def test_pay_ends_the_sale_and_logs_ignored_cards(till, demo_store):
    till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    shown = [c.sku for c in till.cards]
    paid = till.pay()
    assert paid.done and paid.paid == paid.total
    assert till.sale.sale_id != paid.sale_id and till.sale.lines == {}
    rows = dict(till.journal.conn.execute("SELECT sku, outcome FROM offers WHERE sale_id = ?",
                                          (paid.sale_id,)))
    assert rows == {sku: "ignored" for sku in shown}
    assert till.journal.unsent() == 1


def test_loyalty_card_identifies_the_customer(till, demo_store):
    conn = sqlite3.connect(demo_store)
    customer, card = conn.execute("SELECT customer, card FROM customers LIMIT 1").fetchone()
    assert till.scan(card).customer == customer
    assert till.sale.customer == customer
    assert till.identify("no such card") is None


def test_crash_mid_sale_resumes_every_line(tmp_path, demo_store):
    journal = tmp_path / "sales.db"
    till = Till(demo_store, Journal(journal), TillConfig(till_id="t"))
    for sku in ("PASTA-BN-FUS-500", "MILK-FG-SKIM-1L"):
        till.scan(scan_code(demo_store, sku))
    till.decline()
    lines = [(ln.sku, ln.qty) for ln in till.sale.lines.values()]
    declined = till.sale.declined
    del till                                        # no pay, no close: as a crash
    again = Till(demo_store, Journal(journal), TillConfig(till_id="t"))
    assert again.resumable is not None
    assert [(ln.sku, ln.qty) for ln in again.sale.lines.values()] == lines
    assert again.sale.declined == declined and declined


def test_age_restricted_lines_ask_for_one_id_check_per_sale(tmp_path, demo_store):
    store, journal = tmp_path / "store.db", tmp_path / "sales.db"
    shutil.copy(demo_store, store)
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE products SET age_restricted = 1 WHERE sku IN (?, ?)",
                     (CHOC, "MILK-FG-SKIM-1L"))
    conn.close()
    till = Till(store, Journal(journal), TillConfig(till_id="t"), at_export)
    first = till.scan(scan_code(store, CHOC))
    assert first.id_check and first.warning and till.needs_id_check(first.line)
    assert not till.scan(scan_code(store, "PASTA-BN-FUS-500")).id_check
    till.id_checked(first.line.line)
    milk = till.scan(scan_code(store, "MILK-FG-SKIM-1L"))
    assert not milk.id_check and milk.warning is None and not till.needs_id_check(milk.line)
    del till                                        # a crash: the check is in the journal
    again = Till(store, Journal(journal), TillConfig(till_id="t"), at_export)
    assert again.sale.id_checked and len(again.sale.lines) == 3
    again.pay()
    assert again.scan(scan_code(store, CHOC)).id_check     # a new sale asks again
    again.close()


def test_new_store_is_taken_at_the_sale_boundary(tmp_path, demo_store):
    live = tmp_path / "store.db"
    shutil.copy(demo_store, live)
    till = Till(live, Journal(tmp_path / "sales.db"), TillConfig(till_id="t"))
    till.scan(scan_code(live, "PASTA-BN-FUS-500"))
    old_engine, old_identity = till.engine, till.identity
    newer = build_demo_store(tmp_path / "newer", baskets=1500, export_time="2026-11-21T23:00:00Z")
    publish(newer, live)
    till.scan(scan_code(live, "MILK-FG-SKIM-1L"))          # mid-sale: same store
    assert till.engine is old_engine and till.store_changed()
    till.pay()
    assert till.engine is not old_engine and till.identity != old_identity
    assert not till.store_changed()


def test_offer_log_names_the_anchor_and_the_margin_added(till, demo_store):
    till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    first = till.cards[0]
    till.accept(1)
    anchor, revenue, margin = till.journal.conn.execute(
        "SELECT anchor, revenue, margin FROM offers WHERE sku = ?", (first.sku,)).fetchone()
    cost = sqlite3.connect(demo_store).execute(
        "SELECT cost FROM products WHERE sku = ?", (first.sku,)).fetchone()[0]
    assert anchor == first.anchor == "PASTA-BN-FUS-500"
    assert cost is not None and revenue == first.price and margin == first.price - cost
