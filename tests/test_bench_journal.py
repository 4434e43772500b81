"""`pos bench journal` runs on a real journal file and writes its section."""
import re

from pos.cli import main
from pos_tools.bench.journal_bench import measure


def test_bench_journal_small_run(tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "journal", "-n", "200", "--journal-dir", str(tmp_path),
                 "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    assert "journaling adds" in out and "target 2 ms" in out
    text = md.read_text()
    row = re.search(r"\| synchronous=FULL \(the till's\) \| 200 \| ([\d.]+) \|", text)
    assert row and float(row.group(1)) > 0
    assert "<!-- /bench:journal -->" in text


def test_every_series_times_the_same_scans_and_pays_sales(tmp_path):
    series = measure(300, seed=3, directory=tmp_path)
    assert [len(s.scans) for s in series] == [300, 300, 300]
    assert len(series[0].payments) == len(series[1].payments) >= 5   # sales of 1-60 lines
    assert list(tmp_path.iterdir()) == []                            # temporary journals removed
