"""`pos bench report` end to end on a tiny synthetic journal: the journal is
generated and cached, `pos report` runs as a subprocess, the table and the
markdown section are there with positive figures (no timing is asserted)."""
import re
import sqlite3

from pos.cli import main
from pos.journal import OFFER_TOTALS, settle_offers
from pos_tools.bench.report_bench import generate


def test_generated_journal_has_what_the_report_counts(tmp_path):
    path = generate(tmp_path / "j.db", 400, seed=3)
    conn = sqlite3.connect(path)
    try:
        status = dict(conn.execute("SELECT CASE WHEN training THEN 'training' ELSE status END, "
                                   "count(*) FROM sales GROUP BY 1"))
        arms = {a for (a,) in conn.execute("SELECT DISTINCT arm FROM sales")}
        lines = conn.execute("SELECT count(*) FROM sale_lines").fetchone()[0]
        offers = conn.execute("SELECT count(*) FROM offers").fetchone()[0]
        # the offer totals it writes on the sales are the journal's own
        columns = f"SELECT sale_id, {', '.join(OFFER_TOTALS)} FROM sales ORDER BY sale_id"
        written = conn.execute(columns).fetchall()
        conn.execute("BEGIN")
        settle_offers(conn)
        settled = conn.execute(columns).fetchall()
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert written == settled
    assert status == {"paid": 400, "training": 4, "abandoned": 2}
    assert arms == {"A", "B"}
    assert 400 * 5 < lines < 400 * 15 and 400 <= offers <= 3 * 406


def test_bench_report_small_run(tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "report", "--sales", "500", "--runs", "1", "--cache", str(tmp_path),
                 "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    assert "pos report over 500 journaled sales" in out and "target <= 5 s" in out
    assert (tmp_path / "report-journal-500.db").exists()
    text = md.read_text()
    assert "<!-- bench:report -->" in text and "<!-- /bench:report -->" in text
    row = re.search(r"\| `pos report` \(table\), end to end, best of 1 \| ([\d.]+) \|", text)
    assert row and float(row.group(1)) > 0
    assert re.search(r"\| &nbsp;&nbsp;all SQL passes \(wall\) \| [\d.]+ \|", text)
