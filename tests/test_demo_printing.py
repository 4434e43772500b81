"""`pos demo` prints: without a terminal it pays one demo sale on the till's
controller and prints its receipt through the printer emulator (a real pty),
shows it and keeps it in DIR/receipts/; the store.toml it writes sends a till to
the emulated printer and customer display."""
import re

from pos.cli import main
from pos.till.config import load_config


def test_the_demo_prints_a_receipt_to_the_emulator(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-till", "--baskets", "1500", "--dir", "d"]) == 0
    out = capsys.readouterr().out
    receipt = tmp_path / "d" / "receipts" / "receipt-0001.txt"
    text = receipt.read_text(encoding="utf-8")
    assert "printed by the emulated printer (d/receipts/receipt-0001.txt)" in out
    assert text.splitlines()[0] == "Nordlys Market Oslo" and "Kasse demo-1" in text
    assert "Bella Nonna fusilli 500 g" in text and "Totalt" in text
    assert "[barcode CODE128:" in text
    # the loyalty customer's next-visit coupon, in Norwegian, its code as a barcode
    assert "Ditt tilbud til neste besøk" in text and "Neste gang: 10% rabatt på" in text
    assert re.search(r"\[barcode CODE128: 99\d{14}\]", text)
    config = load_config(tmp_path / "d" / "store.toml")
    assert config.printer is not None and config.printer.profile == "epson-tm-t88v-80mm"
    assert config.display is not None and config.display.protocol == "escpos"


def test_the_demo_till_prints_the_loyalty_customer_s_coupon(tmp_path, demo_store):
    """The till as `pos demo` runs it (its store.toml, the emulated printer and
    display): F8's demo codes up to the loyalty customer's pasta, paid; the receipt
    on the emulator carries the next-visit coupon, and the display thanks."""
    from pos.cli.demo import DemoPeripherals
    from pos.demo import demo_codes
    from till_harness import run_till

    devices = DemoPeripherals(tmp_path, "nb")
    codes = demo_codes(demo_store, random_items=0)
    try:
        async def flow(h):
            for code in codes:
                await h.scan(code)
            assert h.till.sale.customer == "C10646"
            await h.press("f10")
            await h.press("enter")
            await h.until(lambda: devices.printer.paper.cuts == 1, "the receipt printed")
            assert devices.display.wait_for(lambda lines: "Takk" in lines[0], 10)

        run_till(demo_store, tmp_path / "sales.db", flow, lang="nb",
                 config=devices.store_toml(tmp_path / "store.toml"))
    finally:
        devices.close()
    [receipt] = devices.printer.receipts
    assert "Ditt tilbud til neste besøk" in receipt
    assert any(b.text.startswith("99") and len(b.text) == 16 for b in devices.printer.paper.barcodes)
    assert (tmp_path / "receipts" / "receipt-0001.txt").read_text(encoding="utf-8").startswith(
        "Nordlys Market Oslo")
