"""`pos bench scanner` end to end on a small real store: the table, the burst and
replug figures, and its section in a markdown file."""
import re

from pos.cli import main


def test_bench_scanner_small_run(published, good_dump, tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "scanner", "--db", str(published), "--dump", str(good_dump),
                 "-n", "300", "--burst-seconds", "1", "--replugs", "2", "--unplugged", "0.1",
                 "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    assert "decode + catalog lookup" in out
    sent, received = map(int, re.search(r"(\d+) reads sent .* (\d+) received, 0 lost, "
                                        r"0 duplicated, 0 refused", out).groups())
    assert sent == received == 12        # the store's 12 distinct barcodes, each sent once
    text = md.read_text()
    assert "<!-- bench:scanner -->" in text and "replug to first decoded read <= 2 s" in text
