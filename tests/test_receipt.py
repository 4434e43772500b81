"""Receipts (issue 20, first increment): a sale paid on the real till over the demo
store becomes ESC/POS bytes through python-escpos, and the printer emulator's parser
(pos_hardware.escpos_paper) reads back the lines, the totals and the barcode's sale
id; 58 mm paper, Hebrew on a code page with and without Hebrew letters, and the
parser's own checks."""
import dataclasses
import json
import sqlite3
import uuid
from datetime import datetime, timezone

import pytest

from conftest import scan_code
from pos.currency import Currency
from pos.dump.gtin import check_digit
from pos.journal import Journal
from pos.receipt import (
    ReceiptError,
    StoreFacts,
    load_printer_profile,
    receipt_bytes,
    receipt_from_sale,
)
from pos.receipt.escpos_out import printable
from pos.receipt.profile import PrinterProfileError
from pos.receipt.sale_code import barcode_text, code128_data, code128_text_fits, sale_uuid
from pos.till.config import TillConfig
from pos.till.sale import Sale
from pos.till.session import Till
from pos_hardware.escpos_paper import EscposParseError, Paper, code128_text

PASTA, MILK = "PASTA-BN-FUS-500", "MILK-FG-SKIM-1L"
PICKMIX = "CANDY-PICKMIX"                      # sold by weight: label 23 00101 WWWWW C
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()
PAID_AT = EXPORT + 3600 * 9 + 60 * 17          # 2026-11-21 08:17 UTC: 09:17 in Oslo


def weight_label(grams: int) -> str:
    body = f"2300101{grams:05d}"
    return body + str(check_digit(body))


@pytest.fixture
def paid(tmp_path, demo_store):
    """A sale paid on the till in Norwegian: pasta twice, milk, 452 g of pick-and-mix.
    (the till, the paid sale, its journaled payment time)"""
    journal = Journal(tmp_path / "sales.db", till="oslo-1", clock=lambda: PAID_AT)
    till = Till(demo_store, journal, TillConfig(till_id="oslo-1", lang="nb"), lambda: EXPORT)
    till.scan(scan_code(demo_store, PASTA))
    till.scan(scan_code(demo_store, PASTA))
    till.scan(scan_code(demo_store, MILK))
    till.scan(weight_label(452))
    sale = till.pay()
    with sqlite3.connect(tmp_path / "sales.db") as db:
        [(ended_at, total)] = db.execute("SELECT ended_at, total FROM sales WHERE sale_id = ?",
                                         (sale.sale_id,)).fetchall()
    assert total == sale.total
    yield till, sale, ended_at
    till.close()
    journal.close()


def print_and_read(receipt, profile_name):
    profile = load_printer_profile(profile_name)
    paper = Paper(profile.escpos_profile)
    paper.feed(receipt_bytes(receipt, profile))
    return profile, paper


def test_a_paid_sale_prints_and_reads_back(paid):
    till, sale, ended_at = paid
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, till.lang), "oslo-1", ended_at)
    profile, paper = print_and_read(receipt, "epson-tm-t88v-80mm")
    money = till.money
    texts = paper.texts
    assert paper.lines[0].text == "Nordlys Market Oslo" and paper.lines[0].big and paper.lines[0].bold
    assert ended_at == PAID_AT and texts[1] == "2026-11-21 09:17 CET"     # stored UTC, shown in Oslo
    assert texts[2] == "Kasse oslo-1"                            # the store's language
    assert all(len(t) <= profile.chars_per_line == 48 for t in texts)
    by_sku = {ln.sku: ln for ln in sale.lines.values()}
    pasta, milk, mix = by_sku[PASTA], by_sku[MILK], by_sku[PICKMIX]
    assert pasta.qty == 2 and mix.weight_g == 452
    for line in (pasta, milk, mix):                              # name left, amount right, 48 wide
        row = next(t for t in texts if t.startswith(line.name))
        assert row.endswith(money(line.total)) and len(row) == 48
    assert f"  2 × {money(pasta.unit_price)}" in texts
    assert f"  0,452 kg × {money(mix.unit_price)}/kg" in texts
    assert mix.total == (mix.unit_price * 452 + 500) // 1000
    [total_line] = [ln for ln in paper.lines if ln.text.startswith("Totalt")]
    assert total_line.bold and total_line.text.endswith(money(sale.total))
    assert sale.total == pasta.total + milk.total + mix.total
    assert any(t.startswith("Betalt") and t.endswith(money(sale.paid)) for t in texts)
    [barcode] = paper.barcodes
    assert barcode.symbology == "CODE128" and barcode.module == 2
    assert sale.sale_id == f"oslo-1-{sale_uuid(barcode.text)}"   # the scanner's read gives the sale
    assert texts[barcode.after_line:].count(sale.sale_id) == 1   # and the id in words below it
    assert paper.cuts == 1


def test_the_currency_exponent_is_the_stores_not_babels(paid):
    till, sale, ended_at = paid
    facts = StoreFacts.from_meta(till.meta, "nb")
    as_jpy = dataclasses.replace(facts, currency=Currency("NOK", 0))   # a store fixed at 0 decimals
    sale0 = Sale.replay(sale.sale_id, sale.events, currency=Currency("NOK", 0))
    _, paper = print_and_read(receipt_from_sale(sale0, as_jpy, "oslo-1", ended_at), "epson-tm-t88v-80mm")
    total = next(t for t in paper.texts if t.startswith("Totalt"))
    whole = Currency("NOK", 0).format(sale.total, "nb_NO")
    assert total.endswith(whole) and "," not in whole and whole != till.money(sale.total)


def test_58mm_paper_has_32_columns_the_whole_id_and_no_cut(paid):
    till, sale, ended_at = paid
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, till.lang), "oslo-1", ended_at)
    profile, paper = print_and_read(receipt, "generic-58mm")
    assert profile.chars_per_line == 32 and all(len(t) <= 32 for t in paper.texts)
    assert paper.texts[0] == "Nordlys Market Oslo" and not paper.lines[0].big   # too long for double width
    # the uuid's barcode is 550 dots at 2 dots a module: wider than 384; the id is printed whole
    assert paper.barcodes == [] and not code128_text_fits(barcode_text(sale.sale_id), profile.dots_per_line)
    at = next(i for i, t in enumerate(paper.texts) if t.startswith("oslo-1-"))
    assert paper.texts[at] + paper.texts[at + 1] == sale.sale_id and len(paper.texts[at]) == 32
    assert paper.cuts == 0


def hebrew_receipt():
    sale = Sale(f"till-2-{uuid.uuid4().hex}", currency=Currency("ILS", 2))
    sale.apply({"type": "add", "line": 1, "sku": "M", "item": 1, "name": "חלב 3% 1 ליטר", "unit": "each",
                "unit_price": 690, "qty": 2})
    sale.apply({"type": "paid", "total": sale.total})
    store = StoreFacts("חנות הדגמה", Currency("ILS", 2), "he_IL", "he", "Asia/Jerusalem")
    return sale, receipt_from_sale(sale, store, "till-2", PAID_AT)


def test_hebrew_prints_in_visual_order_on_pc862():
    sale, receipt = hebrew_receipt()
    _, paper = print_and_read(receipt, "epson-tm-t88v-80mm-hebrew")
    assert paper.lines[0].text == "המגדה תונח"                # reversed for a left-to-right printer
    item = next(ln for ln in paper.lines if "בלח" in ln.text)
    # the amount at the left margin, the name ending at the right; ₪ (not in PC862) as ILS
    assert item.align == "right" and item.text.startswith("13.80\xa0ILS") and item.text.endswith("בלח")
    assert any(ln.text.endswith('כ"הס') for ln in paper.lines)   # סה״כ, its gershayim as '"'
    assert sale.sale_id.endswith(sale_uuid(paper.barcodes[0].text))


def test_hebrew_on_a_code_page_without_it_is_refused_not_garbled():
    _, receipt = hebrew_receipt()
    with pytest.raises(ReceiptError, match="epson-tm-t88v-80mm .*CP858.* cannot print"):
        receipt_bytes(receipt, load_printer_profile("epson-tm-t88v-80mm"))


def test_what_a_code_page_lacks():
    pc858 = load_printer_profile("epson-tm-t88v-80mm")
    assert printable("Tejföl őszi ízek ünnep", pc858, "HUF") == "Tejföl oszi ízek ünnep"  # ő: not in PC858
    assert printable("\u200f12,00\xa0\u200f₪", pc858, "ILS") == "12,00\xa0ILS"
    assert printable("9,90 €", pc858, "EUR") == "9,90 €"          # PC858 has the euro
    with pytest.raises(ReceiptError):
        printable("日本", pc858, "JPY")


def test_an_unpaid_sale_has_no_receipt():
    sale = Sale("t-1", currency=Currency("NOK", 2))
    store = StoreFacts("S", Currency("NOK", 2), "nb_NO", "nb", "Europe/Oslo")
    with pytest.raises(ReceiptError, match="not paid"):
        receipt_from_sale(sale, store, "t", PAID_AT)
    sale.apply({"type": "paid", "total": 0})
    with pytest.raises(ReceiptError, match="SEK"):
        receipt_from_sale(sale, dataclasses.replace(store, currency=Currency("SEK", 2)), "t", PAID_AT)


def test_the_parser_reads_a_stream_in_any_pieces(paid):
    till, sale, ended_at = paid
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, till.lang), "oslo-1", ended_at)
    profile = load_printer_profile("epson-tm-t88v-80mm")
    data = receipt_bytes(receipt, profile)
    whole, bytewise = Paper(profile.escpos_profile), Paper(profile.escpos_profile)
    whole.feed(data)
    for i in range(len(data)):
        bytewise.feed(data[i:i + 1])
    assert bytewise.lines == whole.lines and bytewise.barcodes == whole.barcodes and bytewise.cuts == 1


def test_the_parser_refuses_what_it_does_not_know():
    with pytest.raises(EscposParseError, match="offset 3: unknown command ESC 0x7a"):
        Paper().feed(b"abc\x1bz\x01")
    with pytest.raises(EscposParseError, match="start with"):
        code128_text(b"12345")
    assert code128_text(b"{C\x00\x63{B-x{{") == "0099-x{"


@pytest.mark.parametrize("n", range(20))
def test_sale_ids_round_trip_through_the_barcode(n):
    hexid = uuid.uuid4().hex if n else "0" * 32
    text = barcode_text(f"t1-{hexid}")
    assert len(text) == 40 and text.isdigit() and sale_uuid(text) == hexid
    assert code128_text(code128_data(text).encode("latin-1")) == text
    assert code128_text_fits(text, 576) and not code128_text_fits(text, 384)


def test_a_short_sale_id_is_carried_as_it_is():
    assert barcode_text("s1") == "s1" and code128_data("s1") == "{Bs1" and sale_uuid("s1") == "s1"


def test_profiles_are_checked(tmp_path):
    with pytest.raises(PrinterProfileError, match="shipped: epson-tm-t88v-80mm, "):
        load_printer_profile("nope")
    bad = tmp_path / "bad.json"
    for field, value, message in [("paper_mm", 76, "58 or 80"), ("cut", "half", "full, partial, none"),
                                  ("code_page", "CP999", "Python cannot encode"),
                                  ("colour", "red", "unknown field")]:
        bad.write_text(json.dumps({"name": "bad", field: value}))
        with pytest.raises(PrinterProfileError, match=message):
            load_printer_profile(bad)
    bad.write_text(json.dumps({"name": "bad", "code_page": "CP862", "escpos_profile": "TM-P20"}))
    with pytest.raises(PrinterProfileError, match="no code page CP862|TM-P20"):
        load_printer_profile(bad)


def test_the_printer_emulator_reads_a_receipt_sent_to_its_pty(paid, tmp_path):
    from pos.receipt.connection import PrinterUnavailable, send_receipt
    from pos_hardware.printer_emulator import PrinterEmulator
    till, sale, ended_at = paid
    receipt = receipt_from_sale(sale, StoreFacts.from_meta(till.meta, till.lang), "oslo-1", ended_at)
    link = tmp_path / "printer"
    with PrinterEmulator("epson-tm-t88v-80mm", link=link) as printer:
        data = receipt_bytes(receipt, printer.profile)
        send_receipt(str(link), data)
        assert printer.wait_cuts(1, timeout=5) and printer.error is None
        direct = Paper(printer.profile.escpos_profile)
        direct.feed(data)
        assert printer.paper.lines == direct.lines and printer.paper.barcodes == direct.barcodes
        assert sale.sale_id.endswith(sale_uuid(printer.paper.barcodes[0].text))
        printer.unplug()                               # the cable pulled: the link is gone
        with pytest.raises(PrinterUnavailable, match="cannot open"):
            send_receipt(str(link), data, timeout=0.5)
        printer.replug()
        send_receipt(str(link), data)
        assert printer.wait_cuts(2, timeout=5) and len(printer.paper.barcodes) == 2
