"""Power cuts against `pos export` (issue 18, item 2): a real `pos export` process
on a till's journal, both the journal and the exports' directory on the power-cut
file system (tools/pos_tools/powercut), the power cut at a random one of the
calls it makes that change something (or, now and then, just after it ends); mounted again,
more sales paid, exported again. After every cut: the journal passes
integrity_check, every export file that survived is whole (every line of each of
its sales, no sale twice, no temporary file left), and every sale the journal
marks exported is in one of them (none lost). At the end, one more export: every
paid sale is in exactly one of the files (pos/export.py notes the export under
way in the journal and settles it at the next export: without that, a cut after
the file's rename and before the mark wrote those sales into two files).

POS_POWERCUTS=1000 runs the long set (this test does 30% of it)."""
from __future__ import annotations

import csv
import os
import random
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

from conftest import powercuts
from pos.export import COLUMNS
from pos.journal import Journal
from test_hub_api import paid_sale

CUTS = powercuts("export")
SEED = int(os.environ.get("POS_CRASH_SEED", "2026"))
SKUS = ("A", "B", "C", "D", "E", "F")


def pay(journal: Path, rnd: random.Random, n: int) -> None:
    j = Journal(journal, till="t1")
    try:
        for _ in range(n):
            skus = rnd.sample(SKUS[:-1], rnd.randint(1, 4))
            paid_sale(j, skus, SKUS[-1])
    finally:
        j.close()


def journal_state(journal: Path) -> tuple[dict[str, int], set[str]]:
    """paid sale -> its number of lines; the sales marked exported."""
    conn = sqlite3.connect(journal)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        lines = dict(conn.execute("SELECT sale_id, count(*) FROM sale_lines JOIN sales "
                                  "USING (sale_id) WHERE status = 'paid' GROUP BY sale_id"))
        marked = {s for (s,) in conn.execute("SELECT sale_id FROM sales WHERE exported_at IS NOT NULL")}
        return lines, marked
    finally:
        conn.close()


def exported(directory: Path, lines: dict[str, int]) -> list[set[str]]:
    """The sales of each export file; each file whole."""
    files = []
    for path in sorted(directory.iterdir()):
        assert path.name.startswith("baskets-") and path.suffix == ".csv", \
            f"{path.name} left in the exports' directory"
        with path.open(newline="") as f:
            rows = list(csv.reader(f))
        assert rows and tuple(rows[0]) == COLUMNS, f"{path.name}: no header"
        per_sale = Counter(row[0] for row in rows[1:])
        for sale, n in per_sale.items():
            assert sale in lines, f"{path.name}: {sale} is not a paid sale of the journal"
            assert n == lines[sale], f"{path.name}: {sale} has {n} of its {lines[sale]} lines"
        files.append(set(per_sale))
    return files


def export(journal: Path, out: Path) -> int:
    done = subprocess.run([sys.executable, "-m", "pos", "export", "--journal", str(journal),
                           "--out", str(out)], capture_output=True, text=True)
    return done.returncode


def test_power_cuts_during_pos_export_lose_no_sale(tmp_path, powercut):
    rnd = random.Random(SEED)
    m = powercut()
    journal = m.mountpoint / "sales.db"
    exports = m.mountpoint / "exports"
    exports.mkdir()
    fd = os.open(m.mountpoint, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    pay(journal, rnd, 8)
    before = m.count()
    assert export(journal, exports / "baskets-first.csv") == 0
    calls = m.count() - before                    # a whole export's changing calls
    pay(journal, rnd, 3)
    cut_inside = failed = 0
    for run in range(CUTS):
        before = m.count()
        at = rnd.randint(1, calls + calls // 5)       # one in 6 or so after it ends
        m.cut_after(at)
        code = export(journal, exports / f"baskets-{run:04d}.csv")
        m.cut()
        if m.auto_cut:
            cut_inside += 1
            failed += code != 0
            calls = max(calls, at)                # exports grow with the sales not marked
        else:
            assert code == 0
            calls = m.count() - before            # a whole export's calls
        m.unmount()
        m = powercut()
        lines, marked = journal_state(journal)
        files = exported(exports, lines)
        lost = marked - set().union(*files)
        assert not lost, f"sales marked exported but in no export file: {sorted(lost)}"
        pay(journal, rnd, rnd.randint(0, 3))
    assert export(journal, exports / "baskets-last.csv") in (0,)
    lines, marked = journal_state(journal)
    files = exported(exports, lines)
    union = Counter(s for f in files for s in f)
    assert set(union) == set(lines) == marked, "a paid sale was never exported"
    twice = sorted(s for s, n in union.items() if n > 1)
    assert not twice, f"sales in more than one export file: {twice}"
    print(f"export power cuts: {CUTS} ({cut_inside} during the export of about {calls} changing "
          f"calls, {failed} of which it reported), paid sales: {len(lines)}, "
          f"files: {len(files)}, lost: 0, in two files: 0")
    assert cut_inside >= CUTS // 2
