"""Printing at the till's payment (issue 20): the receipt is queued in the journal in
the payment's transaction, the spooler prints it on the printer emulator (a real
pty or TCP port, answering DLE EOT), and a printer that is unplugged, out of paper,
has its cover open or is offline loses no receipt and prints each one once when it
is back; F7 prints a copy; the status bar says what is wrong and how many wait."""
import random
import sqlite3

import pytest

from conftest import scan_code
from pos.errors import ConfigError
from pos.journal import Journal
from pos.receipt.sale_code import sale_uuid
from pos.receipt.spool import READY, UNREACHABLE, ReceiptSpooler
from pos.receipt.status import COVER_IS_OPEN, OUT_OF_PAPER
from pos.till.config import PrinterConfig, TillConfig, load_config
from pos.till.session import Till
from pos_hardware.printer_emulator import PrinterEmulator
from till_harness import EXPORT, run_till

PASTA, MILK = "PASTA-BN-FUS-500", "MILK-FG-SKIM-1L"
PROFILE = "epson-tm-t88v-80mm"
WAIT = 10.0


@pytest.fixture
def printer():
    with PrinterEmulator(PROFILE) as emulator:
        yield emulator


def make_till(tmp_path, store, url, **config):
    journal = Journal(tmp_path / "sales.db", till="t1")
    till = Till(store, journal, TillConfig(till_id="t1", lang="en", printer=PrinterConfig(url),
                                           **config), lambda: EXPORT)
    return till, journal


def sell(till, store, *skus):
    for sku in skus:
        till.scan(scan_code(store, sku))
    return till.pay()


def spooler(tmp_path, url, **kw):
    kw.setdefault("timeout", 1.0)
    return ReceiptSpooler(url, tmp_path / "sales.db", "t1", **kw)


def printed_sales(emulator):
    """The sale ids read back from the barcodes of what the emulator printed, in order."""
    return [sale_uuid(b.text) for b in emulator.paper.barcodes if len(b.text) == 40]


def test_the_receipt_is_journaled_with_the_payment(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    sale = sell(till, demo_store, PASTA, MILK)
    with sqlite3.connect(tmp_path / "sales.db") as db:
        rows = db.execute("SELECT r.sale_id, r.copy, r.printed_at, s.status, r.queued_at = s.ended_at "
                          "FROM receipts r JOIN sales s USING (sale_id)").fetchall()
    assert rows == [(sale.sale_id, 0, None, "paid", 1)]       # one transaction, one time
    assert journal.receipts_waiting_count() == 1
    till.close()
    journal.close()


def test_no_printer_no_receipt(tmp_path, demo_store):
    journal = Journal(tmp_path / "sales.db", till="t1")
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), lambda: EXPORT)
    sell(till, demo_store, PASTA)
    assert journal.receipts_waiting_count() == 0
    assert till.reprint_last() is None
    till.close()
    journal.close()


def test_printed_once_and_read_back(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    sale = sell(till, demo_store, PASTA, PASTA, MILK)
    spool = spooler(tmp_path, printer.url)
    assert spool.print_once() is None and spool.state == READY and spool.printed == 1
    assert printer.wait_cuts(1, WAIT)
    assert printed_sales(printer) == [sale.sale_id.split("-", 1)[1]]
    assert any(t.startswith("Total") and t.endswith(till.money(sale.total)) for t in printer.paper.texts)
    assert spool.print_once() is None and spool.printed == 1       # nothing again
    assert journal.receipts_waiting_count() == 0
    spool.stop()
    till.close()
    journal.close()


@pytest.mark.parametrize("fault, mend, state", [
    ("paper_out", "paper_in", OUT_OF_PAPER),
    ("cover_open", "close_cover", COVER_IS_OPEN),
])
def test_a_printer_fault_holds_the_receipt_until_it_is_mended(tmp_path, demo_store, printer,
                                                              fault, mend, state):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    getattr(printer, fault)()
    sale = sell(till, demo_store, PASTA)
    spool = spooler(tmp_path, printer.url, retry=0.5)
    assert spool.print_once() == 0.5
    assert (spool.state, spool.waiting, spool.printed) == (state, 1, 0)
    assert spool.problem == state
    assert journal.receipts_waiting_count() == 1 and printer.paper.cuts == 0
    getattr(printer, mend)()
    assert spool.print_once() is None and spool.state == READY and spool.waiting == 0
    assert printer.wait_cuts(1, WAIT)
    assert printed_sales(printer) == [sale.sale_id.split("-", 1)[1]]
    spool.stop()
    till.close()
    journal.close()


def test_an_unplugged_printer_loses_nothing(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    printer.unplug()
    sales = [sell(till, demo_store, sku) for sku in (PASTA, MILK)]
    spool = spooler(tmp_path, printer.url, retry=0.5)
    assert spool.print_once() == 0.5 and spool.state == UNREACHABLE and spool.waiting == 2
    assert "printer" in (spool.last_error or "")
    printer.replug()
    assert spool.print_once() is None and spool.printed == 2
    assert printer.wait_cuts(2, WAIT)
    assert printed_sales(printer) == [s.sale_id.split("-", 1)[1] for s in sales]   # in order
    spool.stop()
    till.close()
    journal.close()


def test_random_faults_lose_no_receipt_and_print_each_once(tmp_path, demo_store):
    """Twenty sales while the printer is unplugged, out of paper, opened, over TCP:
    every receipt comes out exactly once, in the order paid."""
    rng = random.Random(20)
    with PrinterEmulator(PROFILE, tcp=("127.0.0.1", 0)) as printer:
        till, journal = make_till(tmp_path, demo_store, printer.url)
        spool = spooler(tmp_path, printer.url, retry=0.1)
        faults = {"unplug": "replug", "paper_out": "paper_in", "cover_open": "close_cover"}
        paid = []
        broken: str | None = None
        for _ in range(20):
            paid.append(sell(till, demo_store, rng.choice([PASTA, MILK])).sale_id)
            if broken is None and rng.random() < 0.4:
                broken = rng.choice(list(faults))
                getattr(printer, broken)()
            elif broken is not None and rng.random() < 0.5:
                getattr(printer, faults[broken])()
                broken = None
            spool.print_once()
        if broken is not None:
            getattr(printer, faults[broken])()
        assert spool.print_once() is None and journal.receipts_waiting_count() == 0
        assert printer.wait_cuts(20, WAIT)
        assert printed_sales(printer) == [s.split("-", 1)[1] for s in paid]
        spool.stop()
        till.close()
        journal.close()


def test_the_spooler_thread_prints_when_woken(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    spool = spooler(tmp_path, printer.url).start()
    till.printer = spool
    sell(till, demo_store, PASTA)
    assert printer.wait_cuts(1, WAIT)
    sell(till, demo_store, MILK)
    assert printer.wait_cuts(2, WAIT)
    spool.stop()
    till.close()
    journal.close()


def test_a_reprint_is_a_copy_under_a_heading(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url)
    sale = sell(till, demo_store, PASTA)
    sell(till, demo_store, MILK)
    spool = spooler(tmp_path, printer.url)
    spool.print_once()
    assert printer.wait_cuts(2, WAIT)
    first_two = list(printer.paper.texts)
    assert till.reprint_last() != sale.sale_id            # the last one: the milk's
    spool.print_once()
    assert printer.wait_cuts(3, WAIT)
    copy = printer.paper.texts[len(first_two):]
    assert copy[0] == "*** COPY ***" and "skimmed milk" in " ".join(copy)
    with sqlite3.connect(tmp_path / "sales.db") as db:
        assert db.execute("SELECT copy FROM receipts ORDER BY receipt_id").fetchall() == [(0,), (0,), (1,)]
    spool.stop()
    till.close()
    journal.close()


def test_the_journal_is_upgraded_to_the_receipts_queue(tmp_path):
    path = tmp_path / "old.db"
    Journal(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE receipts")
        db.execute("UPDATE meta SET value = '5' WHERE key = 'version'")
    journal = Journal(path)
    assert journal.receipts_waiting_count() == 0
    assert journal.meta("version") == "6"
    journal.close()


def test_printer_config(tmp_path):
    toml = tmp_path / "store.toml"
    toml.write_text('[printer]\nurl = "socket://10.0.0.9:9100"\nprofile = "generic-58mm"\n'
                    'status = false\ntimeout = 3\n')
    assert load_config(toml).printer == PrinterConfig("socket://10.0.0.9:9100", "generic-58mm",
                                                      3.0, False)
    assert load_config(toml, printer="/dev/ttyUSB0").printer.url == "/dev/ttyUSB0"
    for body, message in [('profile = "x"', "url is needed"),
                          ('url = "/dev/x"\nprofile = "no-such"', "profile"),
                          ('url = "/dev/x"\ntimeout = 0', "timeout"),
                          ('url = "/dev/x"\nspeed = 1', "unknown field 'speed'"),
                          ('url = 9100', "url: a str expected")]:
        toml.write_text("[printer]\n" + body + "\n")
        with pytest.raises(ConfigError, match=message):
            load_config(toml)
    with pytest.raises(ConfigError, match="a printer is needed"):
        load_config(None, printer_profile="generic-58mm")


def test_the_till_app_prints_says_what_is_wrong_and_reprints(tmp_path, demo_store, printer):
    printer.paper_out()

    async def flow(h):
        await h.scan(scan_code(demo_store, PASTA))
        await h.press("f10")
        await h.press("enter")             # paid (the payment screen's key)
        await h.until(lambda: "out of paper" in h.status(), "the printer's fault shown")
        assert "receipts waiting: 1" in h.status()
        printer.paper_in()
        await h.until(lambda: printer.paper.cuts == 1, "the receipt printed")
        await h.until(lambda: "Printer: ready" in h.status(), "the fault cleared")
        assert "receipts waiting" not in h.status()
        await h.press("f7")
        assert "copy" in h.message().lower()
        await h.until(lambda: printer.paper.cuts == 2, "the copy printed")

    run_till(demo_store, tmp_path / "sales.db", flow, printer=printer.url)


def test_the_coupon_counts_as_printed_once_its_receipt_is(tmp_path, demo_store, printer):
    """The next-visit coupon goes out on the receipt the spooler prints (its barcode
    read back), and only then is it printed for the report."""
    till, journal = make_till(tmp_path, demo_store, printer.url)
    with sqlite3.connect(demo_store) as db:
        [(customer,)] = db.execute("SELECT customer FROM customers ORDER BY customer LIMIT 1")
    till.identify(customer)
    till.scan(scan_code(demo_store, PASTA))
    till.decline()
    sale = till.pay()
    code = sale.coupon_issued.code
    printed_at = "SELECT printed_at FROM coupons WHERE code = ?"
    assert journal.conn.execute(printed_at, (code,)).fetchone() == (None,)
    spool = spooler(tmp_path, printer.url)
    spool.print_once()
    assert printer.wait_cuts(1, WAIT)
    assert code in [b.text for b in printer.paper.barcodes]
    assert journal.conn.execute(printed_at, (code,)).fetchone()[0] is not None
    spool.stop()
    till.close()
    journal.close()


def test_a_training_sale_s_receipt_says_so(tmp_path, demo_store, printer):
    till, journal = make_till(tmp_path, demo_store, printer.url, training=True)
    sell(till, demo_store, PASTA)
    spooler(tmp_path, printer.url).print_once()
    assert printer.wait_cuts(1, WAIT)
    assert "*** TRAINING ***" in printer.paper.texts[:5]
    till.close()
    journal.close()


def test_a_name_the_printer_cannot_print_never_stops_the_payment(tmp_path, demo_store, printer, caplog):
    """Hebrew names on a Western European printer: the sale is paid, the receipt
    printed with '?' for what the code page lacks, and the log says why."""
    journal = Journal(tmp_path / "sales.db", till="t1")
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="he",
                                                printer=PrinterConfig(printer.url)), lambda: EXPORT)
    sale = sell(till, demo_store, PASTA)
    assert sale.paid == sale.total and journal.receipts_waiting_count() == 1
    assert "cannot print" in caplog.text
    spooler(tmp_path, printer.url).print_once()
    assert printer.wait_cuts(1, WAIT)
    assert any("?" in t for t in printer.paper.texts)
    till.close()
    journal.close()


def test_printed_receipts_keep_only_the_last_one_s_bytes(tmp_path, demo_store, printer):
    """Once printed, a receipt's bytes are emptied but for the latest one as first
    printed (F7 prints it again, even after its copy): the journal does not grow by
    a receipt a sale."""
    till, journal = make_till(tmp_path, demo_store, printer.url)
    for sku in (PASTA, MILK, PASTA):
        sell(till, demo_store, sku)
    spool = spooler(tmp_path, printer.url)
    spool.print_once()
    till.reprint_last()
    spool.print_once()
    assert printer.wait_cuts(4, WAIT)
    sizes = journal.conn.execute("SELECT copy, length(body) > 0 FROM receipts "
                                 "ORDER BY receipt_id").fetchall()
    assert sizes == [(0, 0), (0, 0), (0, 1), (1, 0)]
    assert till.reprint_last() is not None and journal.receipts_waiting_count() == 1
    spool.stop()
    till.close()
    journal.close()
