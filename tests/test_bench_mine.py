"""`pos bench mine` runs on small synthetic lines (the C miner and DuckDB; Spark is
timed only by the benchmark itself) and writes its section."""
import re

from pos.cli import main


def test_bench_mine_small_run(tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "mine", "--lines", "3000", "--stores", "3", "--engines", "c", "duckdb",
                 "--cache", str(tmp_path), "--markdown", str(md)]) == 0
    assert "mining per store" in capsys.readouterr().out
    text = md.read_text()
    rows = re.findall(r"\| 3,000 \| ([^|]+) \| ([\d.]+) \| ([\d.]+) \| [\d,]+ \| 3 \| ([\d,]+) \|", text)
    assert [r[0].split(" (")[0] for r in rows] == ["C miner", "DuckDB"]
    assert rows[0][2] == "1.0" and rows[0][3] == rows[1][3] != "0"   # the same lists' length
    assert "<!-- /bench:mine -->" in text


def test_bench_mine_keeps_each_row_and_reuses_it(tmp_path, capsys):
    results = tmp_path / "rows.jsonl"
    args = ["bench", "mine", "--lines", "2000", "--stores", "2", "--engines", "c",
            "--cache", str(tmp_path), "--results", str(results)]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert re.search(r"2,000 lines: c: [\d.]+ s, [\d,]+ MB peak", first)
    assert len(results.read_text().splitlines()) == 1
    assert main([*args, "--reuse"]) == 0
    assert "kept from" in capsys.readouterr().out
    assert len(results.read_text().splitlines()) == 1      # not run again
