"""`pos bench receipt` end to end on a tiny real store: the app driven through the
scanner emulator twice, without and with the printer emulator; every payment's
receipt reaches the printer, and the table, its targets and its section are
written (no timing is asserted)."""
import re

from pos.cli import main


def table_of(text: str) -> dict[str, list[str]]:
    return {cells[0].replace("&nbsp;", "").strip(): cells[1:]
            for line in text.splitlines() if line.startswith("| ") and "---" not in line
            for cells in [[c.strip() for c in line.strip("|").split("|")]]}


def test_bench_receipt_small_run(published, tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "receipt", "--db", str(published), "-n", "12", "--warmup", "2",
                 "--runs", "1", "--max-lines", "3", "--journal-dir", str(tmp_path),
                 "--markdown", str(md)]) == 0
    assert "payment → receipt bytes handed to the printer" in capsys.readouterr().out
    text = md.read_text()
    assert "<!-- bench:receipt -->" in text
    table = table_of(text)
    handed = table["payment → receipt bytes handed to the printer"]
    paid_plain = table["the payment on the event loop (Till.pay), no printer"]
    assert int(handed[0]) >= 4 and handed[0] == paid_plain[0]     # a receipt for each payment
    assert all(float(v.replace(",", "")) > 0 for v in handed[1:])
    assert table["terminator → suggestion panel painted, printing meanwhile"][0] == "12"
    assert re.search(r"receipt bytes handed to the printer p99 <= 100 ms: [\d.,]+ ms", text)
    assert re.search(r"unchanged while printing .*= [\d.]+×", text)
