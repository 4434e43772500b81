"""The whole till flow through the real app: reads come from the scanner
emulator on a real pty, keys from Textual's Pilot, sales go to a real journal."""
import asyncio
import shutil
import sqlite3
import threading

import pytest
from textual.events import Key

from conftest import build_demo_store, scan_code
from pos.journal import Journal
from pos.store.publish import publish
from pos.ui.screens.confirm import IdCheckScreen
from till_harness import HeldPreparation, run_till

PASTA, MILK = "PASTA-BN-FUS-500", "MILK-FG-SKIM-1L"
CHOC, CHOC_UP = "CHOC-NS-DARK-60", "CHOC-NS-DARK-100"
NAPPIES, WIPES = "NAPPY-LB-S4-40", "WIPES-LB-SENS-3X64"


@pytest.fixture
def journal(tmp_path):
    return tmp_path / "sales.db"


def position_of(till, kind: str) -> int:
    for i, card in enumerate(till.cards, 1):
        if card.kind == kind:
            return i
    raise AssertionError(f"no {kind} card in {[c.sku for c in till.cards]}")


def card_text(h, n: int) -> str:
    card = h.app.query_one(f"#card-{n}")
    return "" if card.has_class("-empty") else card.plain


def test_scan_shows_the_line_the_total_and_explained_cards(demo_store, journal):
    async def flow(h):
        assert "Scanner connected" in h.status()
        await h.scan(scan_code(demo_store, PASTA))
        basket = h.app.query_one("#basket")
        assert basket.row_count == 1
        assert "Bella Nonna fusilli 500 g" in h.message()
        assert h.till.money(h.till.sale.total) in str(h.app.query_one("#sale-total").render())
        first = h.till.cards[0]
        assert first.name in card_text(h, 1) and "% of baskets with" in card_text(h, 1)
    run_till(demo_store, journal, flow)


def test_accept_add_on_with_its_key(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        second = h.till.cards[1]
        await h.press("2")
        assert h.till.sale.line_of(second.sku) is not None
        assert h.app.query_one("#basket").row_count == 2
        assert "Added" in h.message()
    run_till(demo_store, journal, flow)


def test_accept_upgrade_swaps_the_line(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, CHOC))
        n = position_of(h.till, "upsell")
        assert "+" in card_text(h, n)                        # the price step, shown before the key
        await h.press(str(n))
        assert [ln.sku for ln in h.till.sale.lines.values()] == [CHOC_UP]
        assert "Upgraded" in h.message()
    run_till(demo_store, journal, flow)


def test_accept_deal_adds_the_member_and_shows_the_saving(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, NAPPIES))
        n = position_of(h.till, "bundle")
        card = h.till.cards[n - 1]
        assert h.till.money(card.saving) in card_text(h, n)
        await h.press(str(n))
        assert h.till.sale.line_of(WIPES) is not None
        assert h.app.query_one("#basket").row_count == 3      # nappies, wipes, the deal
    run_till(demo_store, journal, flow)


def test_decline_with_a_reason_is_logged_and_never_returns(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        shown = {c.sku for c in h.till.cards}
        await h.press("8")                                     # no: too expensive
        await h.scan(scan_code(demo_store, MILK))
        assert not shown & {c.sku for c in h.till.cards}
    run_till(demo_store, journal, flow)
    rows = sqlite3.connect(journal).execute(
        "SELECT DISTINCT outcome, reason FROM offers WHERE outcome = 'declined'").fetchall()
    assert rows == [("declined", "too_expensive")]


def test_void_asks_first(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        await h.scan(scan_code(demo_store, MILK))
        await h.press("delete", "escape")                     # asked, then no
        assert len(h.till.sale.lines) == 2
        await h.press("up", "delete", "enter")                # the pasta line, yes
        assert [ln.sku for ln in h.till.sale.lines.values()] == [MILK]
        assert "Voided" in h.message()
    run_till(demo_store, journal, flow)


def test_age_restricted_line_asks_for_the_id_once_per_sale(tmp_path, demo_store, journal):
    store = tmp_path / "store.db"
    shutil.copy(demo_store, store)
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE products SET age_restricted = 1 WHERE sku IN (?, ?)", (CHOC, MILK))
    conn.close()

    async def flow(h):
        await h.scan(scan_code(store, CHOC))
        assert isinstance(h.app.screen, IdCheckScreen)
        name = h.till.sale.lines[1].name
        await h.scan(scan_code(store, PASTA))                 # scans wait for the answer
        assert "Answer the ID check first" in h.message() and len(h.till.sale.lines) == 1
        await h.press("escape")                               # no ID: the line goes
        assert h.till.sale.lines == {} and f"Removed, no ID: {name}" in h.message()
        await h.scan(scan_code(store, CHOC))
        await h.press("enter")                                # ID checked
        assert h.till.sale.id_checked and f"ID checked: {name}" in h.message()
        await h.scan(scan_code(store, MILK))                  # once per sale
        assert not isinstance(h.app.screen, IdCheckScreen)
        assert [ln.sku for ln in h.till.sale.lines.values()] == [CHOC, MILK]
    run_till(store, journal, flow)
    kinds = [k for (k,) in sqlite3.connect(journal).execute(
        "SELECT type FROM events WHERE type IN ('add', 'void', 'id_check') ORDER BY seq")]
    assert kinds == ["add", "void", "add", "id_check", "add"]


def test_quantity_keys(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, MILK))
        await h.press("plus", "plus", "minus")
        assert h.till.sale.lines[1].qty == 2
    run_till(demo_store, journal, flow)


def test_search_adds_a_product_by_name_in_another_language(demo_store, journal):
    async def flow(h):
        await h.press("f2")
        await h.pilot.press(*"fusilli")
        await h.press("enter")
        assert any("fusilli" in ln.name.lower() for ln in h.till.sale.lines.values())
    run_till(demo_store, journal, flow)


def test_loyalty_card_by_scan_and_by_f3(demo_store, journal):
    conn = sqlite3.connect(demo_store)
    (c1, card1), (c2, card2) = conn.execute("SELECT customer, card FROM customers LIMIT 2")

    async def flow(h):
        await h.scan(card1)
        assert h.till.sale.customer == c1 and c1 in h.message()
        await h.press("f3")
        await h.pilot.press(*card2)
        await h.press("enter")
        assert h.till.sale.customer == c2
    run_till(demo_store, journal, flow)


def test_refused_scan_says_what_to_do_and_adds_nothing(demo_store, journal):
    async def flow(h):
        await h.scan("5901234123458")
        assert "check digit" in h.message() and h.till.sale.lines == {}
    run_till(demo_store, journal, flow)


def test_pay_completes_the_sale_and_starts_the_next(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        first = h.till.sale.sale_id
        await h.press("f10")
        if h.till.last_call_card is not None:                 # one last card: no thanks
            await h.press("0")
        await h.press("enter")
        assert h.till.sale.sale_id != first and h.till.sale.lines == {}
        assert "Paid" in h.message() and "Unsent sales: 1" in h.status()
    run_till(demo_store, journal, flow)
    assert Journal(journal).conn.execute(
        "SELECT count(*) FROM sales WHERE status = 'paid'").fetchone()[0] == 1


def test_unplug_and_replug_mid_sale(demo_store, journal):
    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        h.em.unplug()
        await h.until(lambda: h.app.scanner_state == "reconnecting", "the unplug")
        assert "Scanner reconnecting" in h.status() and "check the cable" in h.message()
        h.em.replug()
        await h.until(lambda: h.app.scanner_state == "connected", "the replug")
        await h.scan(scan_code(demo_store, MILK))
        assert [ln.sku for ln in h.till.sale.lines.values()] == [PASTA, MILK]
    run_till(demo_store, journal, flow)


def test_store_swap_is_prepared_off_the_loop_and_taken_at_a_payment(
        tmp_path, demo_store, journal, monkeypatch):
    live = tmp_path / "store.db"
    shutil.copy(demo_store, live)
    newer = build_demo_store(tmp_path / "newer", baskets=1500, export_time="2026-11-22T12:00:00Z")
    held = HeldPreparation(monkeypatch)

    async def pay(h):
        await h.press("f10")
        if h.till.last_call_card is not None:
            await h.press("0")
        await h.press("enter")

    async def flow(h):
        await h.scan(scan_code(live, PASTA))
        engine = h.till.engine
        held.armed = True
        held.release("replay")                   # held after the replay only
        publish(newer, live)
        await h.scan(scan_code(live, MILK))
        assert h.till.engine is engine and "2026-11-22" not in h.status()
        await pay(h)          # the boundary notices the store: prepared on a worker thread
        await asyncio.to_thread(held.wait, "replayed")
        assert "Paid" in h.message() and "New store data" not in h.message()
        await h.scan(scan_code(live, MILK))      # held mid-preparation: the loop scans on
        await h.scan(scan_code(live, PASTA))
        assert h.app.query_one("#basket").row_count == 2 and h.till.engine is engine
        assert threading.main_thread() not in held.threads and held.threads
        held.release()
        await h.app.workers.wait_for_complete()
        await h.scan(scan_code(live, PASTA))     # ready, but mid-sale: the old store
        assert h.till.engine is engine and "2026-11-22" not in h.status()
        await pay(h)
        assert h.till.engine is not engine
        assert "New store data is live" in h.message() and "2026-11-22" in h.status()
        await h.scan(scan_code(live, MILK))
        assert h.app.query_one("#basket").row_count == 1 and h.till.cards
    run_till(live, journal, flow)


def test_restart_offers_the_unfinished_sale(demo_store, journal):
    async def scan_two(h):
        await h.scan(scan_code(demo_store, PASTA))
        await h.scan(scan_code(demo_store, MILK))
    run_till(demo_store, journal, scan_two)                  # ends without paying

    async def resume(h):
        assert h.app.screen.__class__.__name__ == "ConfirmScreen"
        await h.press("enter")
        assert [ln.sku for ln in h.till.sale.lines.values()] == [PASTA, MILK]
        assert h.app.query_one("#basket").row_count == 2
    run_till(demo_store, journal, resume)


def test_training_mode_is_shown_and_marked(demo_store, journal):
    async def flow(h):
        assert "TRAINING" in h.status()
        await h.scan(scan_code(demo_store, PASTA))
        assert h.till.sale.training
    run_till(demo_store, journal, flow, training=True)


def test_keyboard_wedge_scan_and_a_lone_key(demo_store, journal):
    code = scan_code(demo_store, PASTA)

    async def flow(h):
        for ch in code:                  # as fast as a scanner types: queued back to back
            h.app.post_message(Key(ch, ch))
        h.app.post_message(Key("enter", "\r"))
        await h.until(lambda: h.till.sale.lines, "the wedge read")
        assert [ln.sku for ln in h.till.sale.lines.values()] == [PASTA]
        first = h.till.cards[0]
        await h.pilot.press("1")                              # a lone key: the cashier's
        await h.until(lambda: h.till.sale.line_of(first.sku), "the accept key")
    run_till(demo_store, journal, flow, emulator=False, wedge=True)
