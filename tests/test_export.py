"""`pos export`: scripted sales through the till on the demo store, exported as
baskets.csv and loaded by `pos load` with the demo dump's catalog; re-exporting
adds nothing, --since re-exports the same ids, a crash between the file's rename
and the journal's mark does not duplicate after a load, and the till's status
bar shows the unsent count drop after an export made by another process."""
import csv
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import scan_code
from pos.cli import main as pos_main
from pos.dump.gtin import check_digit
from pos.export import ExportError, export_sales, parse_since
from pos.journal import Journal
from pos.load import load_dump
from pos.till.config import TillConfig
from pos.till.session import Till
from till_harness import run_till

PASTA, MILK, CHOC = "PASTA-BN-FUS-500", "MILK-FG-SKIM-1L", "CHOC-NS-DARK-60"
PICKMIX = "CANDY-PICKMIX"                      # sold by weight: label 23 00101 ...
CUSTOMER = "C10001"
EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()
ROOT = Path(__file__).resolve().parents[1]
STOP_DRIVER = ROOT / "tests" / "stop_driver.py"


def weight_label(grams: int) -> str:
    body = f"2300101{grams:05d}"
    return body + str(check_digit(body))


def make_sales(store: Path, journal: Path) -> list[str]:
    """Three paid sales, then an unfinished one (abandoned) and a training sale,
    which are never exported. Returns the paid sales' ids."""
    clock = iter(EXPORT + 60 * i for i in range(1000))
    till = Till(store, Journal(journal, till="oslo-1", clock=lambda: next(clock)),
                TillConfig(till_id="oslo-1", lang="en"), lambda: EXPORT)
    paid = []
    till.scan(scan_code(store, PASTA))
    till.scan(scan_code(store, PASTA))                       # qty 2
    till.scan(scan_code(store, MILK))
    paid.append(till.pay().sale_id)
    till.identify(CUSTOMER)
    till.scan(scan_code(store, CHOC))
    till.scan(weight_label(1250))                             # 1.25 kg
    paid.append(till.pay().sale_id)
    till.scan(scan_code(store, MILK))
    till.accept(1)
    paid.append(till.pay().sale_id)
    till.scan(scan_code(store, PASTA))                        # not paid: the till stops
    till.close()
    till.journal.close()
    training = Till(store, Journal(journal, till="oslo-1"),
                    TillConfig(till_id="oslo-1", lang="en", training=True), lambda: EXPORT)
    assert training.resumable is not None
    training.discard_unfinished()                            # abandoned
    training.scan(scan_code(store, CHOC))
    training.pay()
    training.close()
    training.journal.close()
    return paid


def journal_lines(journal: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(journal)
    rows = conn.execute("SELECT sale_id, line, sku, qty, weight_g, unit_price, total "
                        "FROM sale_lines ORDER BY sale_id, line").fetchall()
    conn.close()
    lines: dict[str, list[tuple]] = {}
    for sale_id, *rest in rows:
        lines.setdefault(sale_id, []).append(tuple(rest))
    return lines


def read_rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def head_office_dump(demo_store: Path, directory: Path, *exports: Path) -> Path:
    """The demo dump with its baskets replaced by the exports, concatenated as head
    office would (one header), exported now (a basket after the export time is refused)."""
    directory.mkdir()
    for f in (demo_store.parent / "dump").iterdir():
        if not f.name.startswith("baskets"):
            shutil.copy(f, directory / f.name)
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    manifest["export_time"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    (directory / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    text = "".join(p.read_text(encoding="utf-8").split("\n", 1)[1] if i else
                   p.read_text(encoding="utf-8") for i, p in enumerate(exports))
    (directory / "baskets.csv").write_text(text, encoding="utf-8")
    return directory


def item_baskets(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT p.sku, s.baskets FROM item_stats s JOIN products p USING (item) "
                        "WHERE s.baskets > 0").fetchall()
    conn.close()
    return dict(rows)


@pytest.fixture
def sales(tmp_path, demo_store):
    journal = tmp_path / "sales.db"
    return journal, make_sales(demo_store, journal)


def test_export_writes_paid_sales_in_the_dump_format_and_pos_load_takes_them(
        tmp_path, demo_store, sales):
    journal, paid = sales
    out = tmp_path / "out" / "baskets-oslo-1.csv"
    out.parent.mkdir()
    result = export_sales(journal, out, clock=lambda: EXPORT + 3600)
    assert result.path == out and result.sale_ids == tuple(paid)
    assert [p.name for p in out.parent.iterdir()] == [out.name]      # no temp file left
    rows = read_rows(out)
    lines = journal_lines(journal)
    assert [r["basket_id"] for r in rows] == [s for s in paid for _ in lines[s]]
    assert result.lines == len(rows) == sum(len(lines[s]) for s in paid)
    first = [r for r in rows if r["basket_id"] == paid[0]]
    assert [(r["sku"], r["quantity"]) for r in first] == [(PASTA, "2"), (MILK, "1")]
    unit = lines[paid[0]][0][4]
    assert first[0]["unit_price"] == f"{unit // 100}.{unit % 100:02d}"
    assert first[0]["amount"] == f"{2 * unit // 100}.{2 * unit % 100:02d}"
    second = [r for r in rows if r["basket_id"] == paid[1]]
    assert [(r["sku"], r["quantity"]) for r in second] == [(CHOC, "1"), (PICKMIX, "1.250")]
    assert {r["customer_id"] for r in second} == {CUSTOMER}
    assert {r["customer_id"] for r in first} == {""}
    assert all(r["store_id"] == "oslo-1" and r["currency"] == "NOK" for r in rows)
    assert all(r["timestamp"].endswith("Z") and datetime.fromisoformat(
        r["timestamp"].replace("Z", "+00:00")).timestamp() > EXPORT for r in rows)
    conn = sqlite3.connect(journal)
    totals = dict(conn.execute("SELECT sale_id, total FROM sales WHERE status = 'paid'"))
    assert {r["basket_id"]: r["basket_total"] for r in rows} == {
        s: f"{totals[s] // 100}.{totals[s] % 100:02d}" for s in paid}
    assert Journal(journal).unsent() == 0

    dump = head_office_dump(demo_store, tmp_path / "dump", out)
    db = tmp_path / "office.db"
    assert pos_main(["load", str(dump), "--db", str(db), "--quiet"]) == 0
    report = load_dump(dump, tmp_path / "again.db")
    assert report.counts["baskets"] == 3 and report.counts["basket lines"] == len(rows)
    assert report.rejected.get("baskets.csv", 0) == 0
    counts = item_baskets(db)
    assert counts == {sku: sum(1 for s in paid if any(r["sku"] == sku and r["basket_id"] == s
                                                     for r in rows))
                      for sku in {r["sku"] for r in rows}}


def test_export_twice_exports_nothing_new_and_since_gives_the_same_ids(tmp_path, sales):
    journal, paid = sales
    first = export_sales(journal, tmp_path / "a.csv")
    again = export_sales(journal, tmp_path / "b.csv")
    assert first.sales == 3 and again.path is None and again.sales == 0
    assert not (tmp_path / "b.csv").exists()
    redo = export_sales(journal, tmp_path / "c.csv", since=parse_since("2026-11-20"))
    assert redo.sale_ids == first.sale_ids
    assert read_rows(tmp_path / "c.csv") == read_rows(tmp_path / "a.csv")
    later = export_sales(journal, tmp_path / "d.csv", since=parse_since("2030-01-01T00:00Z"))
    assert later.path is None


def test_cli_defaults_and_bad_input(tmp_path, demo_store, sales, capsys, monkeypatch):
    journal, paid = sales
    monkeypatch.chdir(tmp_path)
    assert pos_main(["export", "--journal", str(journal), "--since", "yesterday"]) == 2
    assert "--since: 'yesterday' is not a date" in capsys.readouterr().err
    assert pos_main(["export", "--journal", str(tmp_path / "nope.db")]) == 5
    assert "no such sales journal" in capsys.readouterr().err
    assert pos_main(["export", "--journal", str(journal)]) == 0     # each sale has its currency
    written = list(tmp_path.glob("baskets-oslo-1-*Z.csv"))
    assert len(written) == 1 and "3 sales, " in capsys.readouterr().out
    assert pos_main(["export", "--journal", str(journal), "--since",
                     "2026-11-01", "--out", str(written[0])]) == 2
    assert "already exists" in capsys.readouterr().err
    assert pos_main(["export", "--journal", str(journal), "--db", str(demo_store)]) == 0
    assert "nothing to export" in capsys.readouterr().out


def test_bad_since_is_refused():
    with pytest.raises(ExportError, match="not a date"):
        parse_since("21.11.2026")
    assert parse_since("2026-11-21") == parse_since("2026-11-21T00:00Z") == parse_since(
        "2026-11-21T01:00+01:00")


def killed_at_rename(journal: Path, out: Path) -> None:
    """`pos export` SIGKILLed after its file's rename, before the mark."""
    child = subprocess.Popen([sys.executable, str(STOP_DRIVER), "export", "renamed", str(journal),
                              str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stderr.readline().strip() == "pos-export: stopped at renamed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_a_crash_between_rename_and_mark_is_marked_by_the_next_export(tmp_path, sales):
    journal, paid = sales
    first = tmp_path / "first.csv"
    killed_at_rename(journal, first)
    assert len(read_rows(first)) == sum(len(v) for k, v in journal_lines(journal).items()
                                        if k in paid)
    assert Journal(journal).unsent() == 3                  # the mark never happened
    second = export_sales(journal, tmp_path / "second.csv")
    assert second.sale_ids == () and second.path is None   # first.csv is there: marked
    assert not (tmp_path / "second.csv").exists()
    assert Journal(journal).unsent() == 0
    assert export_sales(journal, tmp_path / "third.csv").sale_ids == ()


def test_a_file_moved_away_before_the_mark_is_written_again_and_counted_once_by_a_load(
        tmp_path, demo_store, sales):
    journal, paid = sales
    first = tmp_path / "first.csv"
    killed_at_rename(journal, first)
    collected = tmp_path / "collected"
    collected.mkdir()
    first = first.rename(collected / "first.csv")          # head office took it meanwhile
    second = export_sales(journal, tmp_path / "second.csv")
    assert second.sale_ids == tuple(paid)                  # again, under the same ids
    assert Journal(journal).unsent() == 0
    assert read_rows(tmp_path / "second.csv") == read_rows(first)
    both = load_dump(head_office_dump(demo_store, tmp_path / "both", first,
                                      tmp_path / "second.csv"), tmp_path / "both.db")
    once = load_dump(head_office_dump(demo_store, tmp_path / "once", first), tmp_path / "once.db")
    assert both.counts["baskets"] == once.counts["baskets"] == 3
    assert both.counts["pairs"] == once.counts["pairs"]
    assert item_baskets(tmp_path / "both.db") == item_baskets(tmp_path / "once.db")


def test_status_bar_shows_unsent_dropping_after_an_export_by_another_process(
        tmp_path, demo_store):
    journal = tmp_path / "sales.db"
    out = tmp_path / "export.csv"

    async def flow(h):
        for sku in (PASTA, MILK):
            await h.scan(scan_code(demo_store, sku))
            await h.press("f10", "enter")
        assert "Unsent sales: 2" in h.status()
        done = subprocess.run([sys.executable, "-m", "pos", "export", "--journal", str(journal),
                               "--db", str(demo_store), "--out", str(out)],
                              cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "Unsent sales: 2" in h.status()             # not redrawn yet
        await h.scan(scan_code(demo_store, CHOC))
        await h.press("f10", "enter")                       # the sale boundary at the latest
        assert "Unsent sales: 1" in h.status()              # 2 exported, 1 new
    run_till(demo_store, journal, flow)
    assert len(read_rows(out)) == 2
