"""`pos bench suggest` on a tiny store: every row of the table, and baselines that
agree with the engine on a plain cross-sell (no timing assertions)."""
from __future__ import annotations

from argparse import Namespace

from rich.console import Console

from pos.engine import Engine
from pos_tools.bench import suggest_bench as sb


def args(**kw) -> Namespace:
    base = dict(n=40, seed=1, k=3, pool=1000, sql_n=20, open_repeats=1)
    base.update(kw)
    return Namespace(**base)


def test_table_has_every_row(tmp_path, good_dump, published):
    result = sb.measure(published, good_dump, args(), Console(quiet=True), tmp_path)
    names = [s.name for s in result.series + result.baselines]
    # the store's choice (a 60-basket store: the default, its backtest skipped), the
    # C call, then the family's costliest variant
    assert names[:3] == ["engine.suggest (Python API), pairwise (the store's choice)",
                         "the C call alone",
                         f"engine.suggest (Python API), {sb.EXPENSIVE} (the costliest)"]
    assert "SQL (SQLite GROUP BY)" in names and "plain Python (dict + heapq)" in names
    assert result.baskets == 40
    assert result.index_mb > 0 and result.open_first > 0
    for s in result.series + result.baselines:
        assert s.calls > 0 and 0 <= s.p50 <= s.p99 <= s.max
    table, markdown = sb.render(result)
    assert table.row_count == len(names)
    for name in names:
        assert name in markdown
    targets = sb.targets(result)
    assert "Targets" in targets and targets.count("`engine.suggest` p99 <= 500 µs") == 2


def test_baselines_agree_with_the_engine_on_a_cross_sell(tmp_path, published):
    engine = Engine.open(published)
    pasta = engine._sku_index["PASTA"]
    lists = sb.neighbour_lists(published)
    sql = sb.SqlScorer(sb.pairs_db(published, lists, tmp_path))
    try:
        top_sql = sql.score([pasta], 3)
    finally:
        sql.close()
    top_py = sb.PythonScorer(lists).score([pasta], 3)
    got = engine.suggest(["PASTA"], k=1)
    assert got[0].sku == "SAUCE" and got[0].kind == "cross"
    assert engine.texts.skus[top_sql[0]] == "SAUCE"
    assert top_py[0] == top_sql[0]
    assert pasta not in top_sql and pasta not in top_py


def test_sampling_is_seeded_and_sized(good_dump):
    baskets = sb.read_baskets(good_dump, 1000)
    assert len(baskets) == 60
    a = sb.sample_baskets(baskets, 10, seed=3)
    assert a == sb.sample_baskets(baskets, 10, seed=3)
    assert all(1 <= len(b) <= sb.MAX_LINES for b in a)
    assert sb.sample_baskets(baskets, 5, seed=1, low=48) == []


def test_each_benchmark_writes_only_its_own_section(tmp_path):
    from pos_tools.bench.report import write_section

    doc = tmp_path / "benchmarks.md"
    write_section(doc, "load", "## Load\n\nold load table")
    write_section(doc, "suggest", "## Suggest\n\nsuggest table")
    write_section(doc, "load", "## Load\n\nnew load table")
    text = doc.read_text()
    assert "new load table" in text and "old load table" not in text
    assert "suggest table" in text
    assert text.index("## Load") < text.index("## Suggest")     # the section stays in place
