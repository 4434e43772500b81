"""`pos bench till` end to end on a tiny real store: the app driven through the
emulator, a few reads; the table and its section are there and the figures are
positive (no timing is asserted), the store swap's table with them."""
import re

from pos.cli import main

ROWS = ["terminator → suggestion panel painted", "controller: Till.scan",
        "of which engine.suggest", "screen update: compositor + escape codes",
        "longest frame, publish → new store live", "the payment that swapped"]


def test_bench_till_small_run(published, tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "till", "--db", str(published), "-n", "6", "--warmup", "2",
                 "--runs", "1", "--starts", "1", "--journal-dir", str(tmp_path),
                 "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    for row in ROWS:
        assert row in out
    text = md.read_text()
    assert "<!-- bench:till -->" in text and "<!-- /bench:till -->" in text
    table = {cells[0].replace("&nbsp;", "").strip(): cells[1:]
             for line in text.splitlines() if line.startswith("| ") and "---" not in line
             for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    total = table["terminator → suggestion panel painted"]
    assert total[0] == "6"                                   # reads counted after the warm-up
    assert all(float(v.replace(",", "")) > 0 for v in total[1:])
    assert float(table["controller: Till.scan"][1].replace(",", "")) > 0
    start = float(re.search(r"start to ready-to-scan <= 2 s: ([\d.]+) s", text).group(1))
    memory = float(re.search(r"memory of the running till <= 300 MB: (\d+) MB", text).group(1))
    assert start > 0 and memory > 0
    swap = table["longest frame, publish → new store live"]
    assert swap[0] == "3" and float(swap[2].replace(",", "")) > 0
    assert re.search(r"no frame over 50 ms during a swap: the longest [\d.,]+ ms", text)
