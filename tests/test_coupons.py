"""Next-visit coupons (issue 20, item 2) on the real till over the demo store, with
real journal files: the code and its check digit, the choice's rules, the coupon
journaled with the payment (or not at all), printed after the total with its
barcode read back by the printer emulator's parser, redeemed once in a later sale
and refused the second time with the date of its first use, its window, training
and anonymous sales, the [coupons] settings, the journal's upgrade from version 5
and the report's figures per arm."""
from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from conftest import scan_code
from pos.coupons import choose
from pos.coupons.code import in_words, is_valid, luhn_digit, new_code, parse_code
from pos.errors import ConfigError
from pos.journal import JOURNAL_VERSION, Journal, JournalError
from pos.receipt import StoreFacts, load_printer_profile, receipt_bytes, receipt_from_sale
from pos.report import build_report
from pos.report.render import render
from pos.till.config import CouponConfig, TillConfig, load_config
from pos.till.session import Till
from pos_hardware.escpos_paper import Paper

PASTA, CHOC = "PASTA-BN-FUS-500", "CHOC-NS-DARK-60"
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()   # the demo store's
MORNING = EXPORT + 3600 * 9          # 2026-11-21 10:00 in Oslo
DAY = 86400.0


def customer_of(store) -> str:
    with sqlite3.connect(store) as conn:
        return conn.execute("SELECT customer FROM customers ORDER BY customer LIMIT 1").fetchone()[0]


class Clock:
    def __init__(self, now: float = MORNING):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def shop(tmp_path, demo_store):
    """(till, clock, journal) over the demo store, a real journal file, English."""
    clock = Clock()
    journal = Journal(tmp_path / "sales.db", till="t1", clock=clock)
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
    yield till, clock, journal
    till.close()
    journal.close()


def paid_with_coupon(till, store, decline=True):
    """A sale of pasta for the demo store's first customer, its cards declined; paid."""
    till.identify(customer_of(store))
    till.scan(scan_code(store, PASTA))
    declined = [c.sku for c in till.cards]
    if decline:
        till.decline()
    return till.pay(), declined


# ---- the code ------------------------------------------------------------------------

def test_codes_are_16_digits_random_with_a_luhn_check_digit():
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500 and all(is_valid(c) and len(c) == 16 and c[:2] == "99" for c in codes)
    assert len({c[2:6] for c in codes}) > 100                 # random, not a counter
    assert luhn_digit("7992739871") == "3"                    # the textbook example
    code = sorted(codes)[0]
    for i in range(2, 16):                                    # any one digit misread: refused
        wrong = code[:i] + str((int(code[i]) + 1) % 10) + code[i + 1:]
        assert not is_valid(wrong) and parse_code(wrong) is None
    assert parse_code(f"]C0{code}") == code and parse_code(in_words(code)) == code
    assert in_words(code) == " ".join(code[i:i + 4] for i in (0, 4, 8, 12))
    assert parse_code("7071234000011") is None and parse_code(code[:-1]) is None


# ---- the choice --------------------------------------------------------------------------

def items(**flags):
    base = {"A": (1, "Apple"), "B": (2, "Bread"), "C": (3, "Cider"), "D": (4, "Dates")}
    return {sku: choose.Item(sku, n, name, active=flags.get(f"{sku}_active", True),
                             age_restricted=flags.get(f"{sku}_age", False))
            for sku, (n, name) in base.items()}


def test_declined_items_come_first_then_the_basket_s_suggestions():
    found = choose.candidates(["A", "B"], [("C", "cross", "D"), ("A", "upsell", "D")])
    assert [(c.sku, c.why) for c in found] == [("B", "declined"), ("A", "declined"),
                                                ("C", "basket")]       # latest decline first
    known = items()
    got = choose.choose(found, {"D"}, known.get, lambda sku: True)
    assert got == choose.Choice("B", 2, "Bread", "declined", None)
    # not in stock, not active, age-restricted or in the basket: the next one
    known = items(B_active=False, A_age=True)
    got = choose.choose(found, {"D"}, known.get, lambda sku: True)
    assert got == choose.Choice("C", 3, "Cider", "basket", "Dates")
    assert choose.choose(found, {"D", "C"}, known.get, lambda sku: True) is None
    assert choose.choose(found, {"D"}, known.get, lambda sku: sku != "C") is None
    assert choose.choose([choose.Candidate("Z", "declined")], set(), known.get,
                         lambda sku: True) is None                          # not in the store


def test_the_reason_is_in_the_customer_s_words_and_language():
    offer = choose.offer_text("Parmesan", 10, None, "en")
    assert offer == "10% off Parmesan"
    assert (choose.reason_text("declined", offer, None, "en")
            == "Next time: 10% off Parmesan — you looked at it today")
    assert (choose.reason_text("basket", offer, "Pasta", "en")
            == "Next time: 10% off Parmesan — often bought with Pasta")
    assert choose.reason_text("basket", offer, None, "en") == "Next time: 10% off Parmesan"
    for lang in ("nb", "sv", "hu", "he"):
        text = choose.reason_text("declined", choose.offer_text("Parmesan", 10, None, lang),
                                  None, lang)
        assert "Parmesan" in text and "10" in text and "you looked" not in text


def test_the_window_is_whole_local_days():
    late = datetime(2026, 11, 23, 22, 50, tzinfo=timezone.utc).timestamp()   # 23:50 in Oslo
    start, end = choose.window(late, "Europe/Oslo", 1, 14)
    assert choose.local_day(start, "Europe/Oslo") == "2026-11-24"
    assert datetime.fromtimestamp(start, timezone.utc).hour == 23            # Oslo's midnight
    assert choose.last_day(end, "Europe/Oslo") == "2026-12-07" and end - start == 14 * DAY
    start0, _ = choose.window(late, "Europe/Oslo", 0, 14)
    assert choose.local_day(start0, "Europe/Oslo") == "2026-11-23"


# ---- issued with the payment --------------------------------------------------------------

def test_an_identified_customer_s_sale_gets_one_coupon_journaled_with_its_payment(shop, demo_store):
    till, clock, journal = shop
    sale, declined = paid_with_coupon(till, demo_store)
    c = sale.coupon_issued
    assert c is not None and declined and c.sku == declined[-1] and c.why == "declined"
    assert c.percent == 10 and c.amount is None and is_valid(c.code)
    assert choose.local_day(c.valid_from, "Europe/Oslo") == "2026-11-22"    # from tomorrow
    assert c.valid_to - c.valid_from == 14 * DAY
    # on the file, with the sale paid: the coupon event just before the paid one
    with sqlite3.connect(journal.path) as db:
        types = [t for (t,) in db.execute("SELECT type FROM events WHERE sale_id = ? ORDER BY seq",
                                          (sale.sale_id,))]
        row = db.execute("SELECT sale_id, till, customer, sku, percent, why, issued_at, printed_at "
                         "FROM coupons WHERE code = ?", (c.code,)).fetchone()
    assert types[-2:] == ["coupon_issue", "paid"]
    assert row == (sale.sale_id, "t1", sale.customer, c.sku, 10, "declined", MORNING, None)
    assert journal.mark_coupon_printed(c.code, MORNING + 1)
    assert journal.mark_coupon_printed(c.code, MORNING + 99)                 # the first time counts
    assert not journal.mark_coupon_printed("9900000000000000", MORNING)
    with sqlite3.connect(journal.path) as db:
        assert db.execute("SELECT printed_at FROM coupons").fetchone() == (MORNING + 1,)


def test_without_declines_the_basket_s_suggestion_is_offered(shop, demo_store):
    till, _, _ = shop
    sale, _ = paid_with_coupon(till, demo_store, decline=False)
    c = sale.coupon_issued
    assert c is not None and c.why == "basket" and c.sku != PASTA
    assert c.anchor in (None, sale.lines[1].name)


def test_the_coupon_and_the_payment_are_one_transaction(shop, demo_store):
    till, _, journal = shop
    till.identify(customer_of(demo_store))
    till.scan(scan_code(demo_store, PASTA))
    till.decline()
    # the coupon's row cannot be written: neither is the payment
    journal.conn.execute("CREATE TEMP TRIGGER no_coupons BEFORE INSERT ON main.coupons "
                         "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END")
    with pytest.raises(JournalError):
        till.pay()
    assert till.sale.paid is None and till.sale.coupon_issued is None
    with sqlite3.connect(journal.path) as db:
        assert db.execute("SELECT count(*) FROM events WHERE type IN ('paid', 'coupon_issue')"
                          ).fetchone() == (0,)
        assert db.execute("SELECT status FROM sales WHERE sale_id = ?",
                          (till.sale.sale_id,)).fetchone() == ("open",)
    journal.conn.execute("DROP TRIGGER no_coupons")
    sale = till.pay()
    assert sale.paid is not None and sale.coupon_issued is not None


def test_no_coupon_for_training_or_anonymous_sales_unless_allowed(tmp_path, demo_store):
    def sale_with(config: TillConfig, customer: bool):
        clock = Clock()
        journal = Journal(tmp_path / f"{config.till_id}.db", till=config.till_id, clock=clock)
        till = Till(demo_store, journal, config, clock)
        try:
            if customer:
                till.identify(customer_of(demo_store))
            till.scan(scan_code(demo_store, PASTA))
            till.decline()
            return till.pay()
        finally:
            till.close()
            journal.close()

    assert sale_with(TillConfig(till_id="a", lang="en"), customer=False).coupon_issued is None
    assert sale_with(TillConfig(till_id="b", lang="en", training=True),
                     customer=True).coupon_issued is None
    assert sale_with(TillConfig(till_id="c", lang="en", coupons=CouponConfig(enabled=False)),
                     customer=True).coupon_issued is None
    toml = tmp_path / "store.toml"
    toml.write_text('[till]\nid = "d"\nlang = "en"\n'
                    '[coupons]\nanonymous = true\namount = 500\nvalid_days = 7\nstarts_days = 0\n')
    sale = sale_with(load_config(toml), customer=False)
    c = sale.coupon_issued
    assert c is not None and c.amount == 500 and c.percent is None
    assert c.valid_from <= MORNING < c.valid_to and c.valid_to - c.valid_from <= 8 * DAY


def test_an_arm_can_switch_the_coupon_off(tmp_path, demo_store):
    toml = tmp_path / "store.toml"
    toml.write_text('[till]\nid = "t1"\nlang = "en"\n[experiment]\nname = "coupons"\n'
                    '[[experiment.arm]]\nname = "none"\nshare = 1.0\ncoupons = false\n')
    clock = Clock()
    journal = Journal(tmp_path / "sales.db", till="t1", clock=clock)
    till = Till(demo_store, journal, load_config(toml), clock)
    try:
        sale, _ = paid_with_coupon(till, demo_store)
        assert sale.arm == "none" and sale.coupon_issued is None
    finally:
        till.close()
        journal.close()


@pytest.mark.parametrize("body, error", [
    ("percent = 10\namount = 100", "one of percent and amount"),
    ("percent = 0", "percent: 1 to 100"),
    ("valid_days = 0", "valid_days"),
    ("starts = 1", "unknown field 'starts'"),
    ("anonymous = 1", "anonymous: a bool expected"),
])
def test_bad_coupon_settings_are_refused_by_name(tmp_path, body, error):
    toml = tmp_path / "store.toml"
    toml.write_text(f"[coupons]\n{body}\n")
    with pytest.raises(ConfigError, match=error):
        load_config(toml)


# ---- printed ---------------------------------------------------------------------------

@pytest.mark.parametrize("profile_name, module", [("epson-tm-t88v-80mm", 3), ("generic-58mm", 2)])
def test_the_coupon_prints_after_the_total_with_its_barcode(shop, demo_store, profile_name, module):
    till, clock, _ = shop
    sale, _ = paid_with_coupon(till, demo_store)
    c = sale.coupon_issued
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, "en"), "t1", clock.now)
    assert receipt.coupon is not None and receipt.coupon.code == c.code
    assert receipt.coupon.reason == f"Next time: 10% off {c.name} — you looked at it today"
    profile = load_printer_profile(profile_name)
    paper = Paper(profile.escpos_profile)
    paper.feed(receipt_bytes(receipt, profile))
    texts = paper.texts
    [barcode] = [b for b in paper.barcodes if b.text == c.code]
    assert barcode.symbology == "CODE128" and barcode.module == module   # fits 58 mm too
    total = next(i for i, t in enumerate(texts) if t.startswith("Total"))
    heading = texts.index("Your next-visit offer")
    assert total < heading < barcode.after_line
    assert all(len(t) <= profile.chars_per_line for t in texts)
    block = " ".join(texts[heading + 1:barcode.after_line])
    assert "Next time: 10% off" in block and "you looked at it today" in block
    assert "Valid 2026-11-22 to 2026-12-05" in block
    after = [t for t in texts[barcode.after_line:] if t]
    assert after[0] == in_words(c.code)                                   # the code in words
    assert "score" not in " ".join(texts)
    # what the scanner reads from the barcode is the coupon for the till
    assert parse_code(barcode.text) == c.code


def test_a_receipt_in_norwegian_has_the_coupon_in_norwegian(shop, demo_store):
    till, clock, _ = shop
    sale, _ = paid_with_coupon(till, demo_store)
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, "nb"), "t1", clock.now)
    assert "Neste gang" in receipt.coupon.reason


# ---- redeemed --------------------------------------------------------------------------

def test_redeemed_once_in_a_later_sale_then_refused_with_the_date(shop, demo_store):
    till, clock, journal = shop
    sale, _ = paid_with_coupon(till, demo_store)
    c = sale.coupon_issued
    item = scan_code(demo_store, c.sku)
    r = till.scan(c.code)                                     # the same day: not yet
    assert r.coupon == c.code and r.problem_text() == "coupon valid from 2026-11-22 — not yet"
    clock.now = MORNING + 2 * DAY                             # 2026-11-23
    r = till.scan(c.code)
    assert r.problem is None and r.warning_text() == f"coupon: 10% off {c.name} — scan the item"
    assert till.scan(c.code).problem_text() == "coupon already applied in this sale"
    till.scan(item)
    line = till.sale.line_of(c.sku)
    saving = (line.unit_price * 10 + 50) // 100
    assert till.sale.total == line.total - saving
    paid = till.pay()
    assert paid.paid == line.total - saving and [a.code for a in paid.coupons] == [c.code]
    with sqlite3.connect(journal.path) as db:
        assert db.execute("SELECT sale_id, discount, revenue, hub FROM coupon_uses").fetchall() \
            == [(paid.sale_id, saving, line.total - saving, None)]
    # the redeeming sale's receipt shows the saving
    receipt = receipt_from_sale(paid, StoreFacts.from_meta(till.meta, "en"), "t1", clock.now)
    assert (f"Coupon: {c.name}", saving) in [(d.name, d.saving) for d in receipt.deals]
    # a week later: refused, with the day of its first use in the store's time
    clock.now = MORNING + 9 * DAY
    r = till.scan(c.code)
    assert r.problem_text() == "coupon already used on 2026-11-23"
    assert till.sale.coupons == [] and till.sale.lines == {}
    # the hub's shape of both sales carries them
    assert journal.hub_sale(sale.sale_id)["coupon_issued"]["code"] == c.code
    assert journal.hub_sale(paid.sale_id)["coupons_redeemed"][0]["discount"] == saving


def test_a_coupon_held_by_an_open_sale_is_refused_in_another(tmp_path, shop, demo_store):
    till, clock, journal = shop
    sale, _ = paid_with_coupon(till, demo_store)
    code = sale.coupon_issued.code
    clock.now = MORNING + 2 * DAY
    assert till.scan(code).problem is None                    # held by this open sale
    other = Till(demo_store, Journal(journal.path, till="t1b", clock=clock),
                 TillConfig(till_id="t1b", lang="en"), clock)
    try:
        assert other.scan(code).problem_text() == "coupon already used on 2026-11-23"
    finally:
        other.close()
        other.journal.close()


def test_expired_and_unknown_coupons_are_refused(shop, demo_store):
    till, clock, _ = shop
    sale, _ = paid_with_coupon(till, demo_store)
    c = sale.coupon_issued
    clock.now = c.valid_to + 60
    assert till.scan(c.code).problem_text() == "coupon expired on 2026-12-05"
    stranger = "99" + "1" * 13
    stranger += luhn_digit(stranger)
    assert till.scan(stranger).problem_text() == "not a coupon of this store"
    assert till.sale.coupons == []


def test_a_coupon_whose_item_is_not_bought_is_not_redeemed(shop, demo_store):
    till, clock, journal = shop
    sale, _ = paid_with_coupon(till, demo_store)
    clock.now = MORNING + 2 * DAY
    code = sale.coupon_issued.code
    till.scan(code)
    till.scan(scan_code(demo_store, CHOC))
    paid = till.pay()
    assert paid.paid == paid.lines[1].total                   # nothing taken off
    assert till.scan(code).problem is None                    # still unused: applies again


# ---- the journal and the report ------------------------------------------------------------

def test_a_version_5_journal_gains_the_coupon_tables(tmp_path, demo_store):
    path = tmp_path / "sales.db"
    clock = Clock()
    j = Journal(path, till="t1", clock=clock)
    till = Till(demo_store, j, TillConfig(till_id="t1", lang="en", coupons=CouponConfig(
        enabled=False)), clock)
    till.scan(scan_code(demo_store, PASTA))
    old = till.pay()
    before = j.hub_sale(old.sale_id)
    till.close()
    j.close()
    conn = sqlite3.connect(path)                  # back to version 5, as an older till left it
    conn.executescript("DROP TABLE coupons; DROP TABLE coupon_uses; "
                       "UPDATE meta SET value = '5' WHERE key = 'version';")
    conn.close()
    j = Journal(path, till="t1", clock=clock)
    assert JOURNAL_VERSION == 6
    assert j.meta("version") == "6"
    assert j.hub_sale(old.sale_id) == before      # no coupon keys: the shape it had
    till = Till(demo_store, j, TillConfig(till_id="t1", lang="en"), clock)
    try:
        sale, _ = paid_with_coupon(till, demo_store)
        assert j.coupon(sale.coupon_issued.code).sale_id == sale.sale_id
    finally:
        till.close()
        j.close()


def test_the_report_shows_printed_and_redeemed_coupons_per_arm(tmp_path, demo_store):
    toml = tmp_path / "store.toml"
    toml.write_text('[till]\nid = "t1"\nlang = "en"\n[experiment]\nname = "cpn"\n'
                    '[[experiment.arm]]\nname = "a"\nshare = 0.5\n'
                    '[[experiment.arm]]\nname = "b"\nshare = 0.5\n')
    clock = Clock()
    journal = Journal(tmp_path / "sales.db", till="t1", clock=clock)
    till = Till(demo_store, journal, load_config(toml), clock)
    issued = []
    try:
        for _ in range(8):
            sale, _ = paid_with_coupon(till, demo_store)
            issued.append(sale)
        arms = {s.arm for s in issued}
        assert arms == {"a", "b"}, arms                        # 8 sales: both arms (seeded ids)
        for s in issued[:5]:
            journal.mark_coupon_printed(s.coupon_issued.code, clock.now)
        clock.now += 2 * DAY
        redeemed = issued[:2]
        for s in redeemed:
            till.scan(s.coupon_issued.code)
            till.scan(scan_code(demo_store, s.coupon_issued.sku))
            till.pay()
    finally:
        till.close()
        journal.close()
    report = build_report(tmp_path / "sales.db", demo_store, with_bundles=False)
    by_arm = {g.key: g for g in report.figures.coupons_by_arm}
    for arm in ("a", "b"):
        mine = [s for s in issued if s.arm == arm]
        g = by_arm[arm]
        assert g.issued == len(mine)
        assert g.printed == len([s for s in issued[:5] if s.arm == arm])
        assert g.redeemed == len([s for s in redeemed if s.arm == arm])
        assert g.redemption_rate == (g.redeemed / g.printed if g.printed else None)
    assert sum(g.discount for g in by_arm.values()) > 0
    assert sum(g.redeemed for g in by_arm.values()) == 2
    doc = json.loads(render(report, "json"))
    rows = {r["group"]: r for r in doc["sections"]["coupons_by_arm"]}
    assert rows["a"]["issued"] == by_arm["a"].issued and "redemption_rate" in rows["a"]
    csv_text = render(report, "csv")
    assert f"coupons_by_arm,a,redeemed,{by_arm['a'].redeemed}" in csv_text
    table = render(report, "table")
    assert "Next-visit coupons per arm" in table and "redeem rate" in table


def test_a_training_sale_does_not_use_a_coupon_up(tmp_path, demo_store):
    clock = Clock()
    path = tmp_path / "sales.db"
    journal = Journal(path, till="t1", clock=clock)
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
    try:
        code = paid_with_coupon(till, demo_store)[0].coupon_issued.code
    finally:
        till.close()
    journal.close()
    clock.now += 2 * DAY
    journal = Journal(path, till="t9", clock=clock)            # a training till on the same file
    practice = Till(demo_store, journal, TillConfig(till_id="t9", lang="en", training=True), clock)
    try:
        sku = journal.coupon(code).sku
        assert practice.scan(code).problem is None
        practice.scan(scan_code(demo_store, sku))
        sale = practice.pay()
        assert sale.training and sale.paid < sale.lines[1].total       # practised: taken off
        assert journal.coupon_first_use(code) is None                 # but not used up
        assert practice.scan(code).problem is None
    finally:
        practice.close()
        journal.close()


def test_the_till_app_shows_a_scanned_coupon_and_its_saving(tmp_path, demo_store):
    from till_harness import run_till
    clock = Clock()
    journal = Journal(tmp_path / "sales.db", till="t1", clock=clock)
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
    try:
        c = paid_with_coupon(till, demo_store)[0].coupon_issued
    finally:
        till.close()
        journal.close()

    async def flow(h):
        await h.scan(c.code)
        assert f"coupon: 10% off {c.name} — scan the item" in h.message()
        assert h.app.query_one("#basket").row_count == 1            # the coupon's row
        await h.scan(scan_code(demo_store, c.sku))
        line = h.till.sale.line_of(c.sku)
        saving = (line.unit_price * 10 + 50) // 100
        assert h.till.sale.total == line.total - saving
        assert h.till.money(h.till.sale.total) in str(h.app.query_one("#sale-total").render())
        await h.scan(c.code)
        assert "coupon already applied in this sale" in h.message()
    run_till(demo_store, tmp_path / "sales.db", flow, clock=lambda: MORNING + 2 * DAY,
             size=(120, 30))


def test_f9_shows_the_coupons_of_the_last_days(tmp_path, demo_store):
    from test_report_manager import open_report

    from till_harness import run_till
    clock = Clock()
    journal = Journal(tmp_path / "sales.db", till="t1", clock=clock)
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
    try:
        code = paid_with_coupon(till, demo_store)[0].coupon_issued.code
        journal.mark_coupon_printed(code, clock.now)
        paid_with_coupon(till, demo_store)
    finally:
        till.close()
        journal.close()

    async def flow(h):
        _, text = await open_report(h)
        assert "Coupons of the last 14 days (No arm): 2 issued, 1 printed, 0 redeemed" in text
    run_till(demo_store, tmp_path / "sales.db", flow, clock=lambda: MORNING + 3600,
             size=(160, 40))
