"""`pos demo` prints: without a terminal it pays one demo sale on the till's
controller and prints its receipt through the printer emulator (a real pty),
shows it and keeps it in DIR/receipts/; the store.toml it writes sends a till to
the emulated printer and customer display."""
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
    config = load_config(tmp_path / "d" / "store.toml")
    assert config.printer is not None and config.printer.profile == "epson-tm-t88v-80mm"
    assert config.display is not None and config.display.protocol == "escpos"
