"""The chain engines (pos.chain.engines: DuckDB, Spark) against the C miner
(pos.chain.lists.mine_native) on the same synthetic basket lines: per store, per
region and for the chain, each list ranking; counts identical, weights and scores
within 1e-6 relative, lists ranked alike except among tied scores."""
from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pos.chain.lists import MinedLists, mine_native
from pos.mining import MineParams

ROOT = Path(__file__).resolve().parents[1]
REF = datetime(2026, 3, 1, tzinfo=timezone.utc)
REF_TIME = int(REF.timestamp())
STORES = {"s1": "north", "s2": "north", "s3": "south"}
SKUS = [f"sku-{i:02d}" for i in range(24)]
TOL = 1e-6
LOOPBACK = "127.0.0.1"
# pyspark 4.3 warns that it does not yet fully support pandas 3 (the bench extra's); no pandas here
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas")
RANKS = {"added-value": {}, "damped": {"rank_damping": 0.5}, "balanced": {"list_rank": "balanced"}}
worst: dict[str, float] = {}   # the largest relative difference seen, per quantity


def params(rank: str) -> MineParams:
    """Recency on (a week's half-life), a small size cap, min_count 2, short lists."""
    return MineParams(top_n=4, size_cap=8, min_count=2, half_life_days=7.0, ref_time=REF_TIME,
                      shrinkage=2.0, workers=1, **RANKS[rank])


def stamp(t: datetime, style: int) -> str:
    """t in ISO 8601: with Z, with a +01:00 offset, or naive (UTC)."""
    if style == 0:
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")
    if style == 1:
        return t.astimezone(timezone(timedelta(hours=1))).isoformat()
    return t.strftime("%Y-%m-%d %H:%M:%S")


def lines() -> list[tuple[str, str, str, str, str, str]]:
    """(basket_id, sku, timestamp, store_id, region, note) rows: a few hundred baskets
    over three stores in two regions. Most baskets fall on whole weeks before REF
    (weights powers of two, so sums are exact whatever their order, and ties are
    exact); a third at odd seconds; sku-01 and sku-02 are always bought together
    (tied partners); one 15-item basket per store (size-capped); repeated lines and a
    basket whose lines carry two times (the earliest counts)."""
    rng = random.Random(19)
    rows = []
    for store, region in STORES.items():
        for b in range(120):
            bid = f"{store}-b{b:03d}"
            when = REF - timedelta(weeks=rng.randrange(9))
            if b % 3 == 0:
                when -= timedelta(seconds=rng.randrange(86400 * 3))
            n = 15 if b == 7 else rng.choice((1, 2, 2, 3, 3, 4, 5))
            skus = set(rng.sample(SKUS[3:], n) if b == 7 else
                       [SKUS[min(int(rng.expovariate(0.15)), len(SKUS) - 1)] for _ in range(n)])
            if "sku-01" in skus or "sku-02" in skus:
                skus |= {"sku-01", "sku-02"}
            if b % 10 == 4:
                skus.add("sku-00")
                skus |= {"sku-01", "sku-02"}
            for i, sku in enumerate(sorted(skus)):
                t = when + timedelta(minutes=3) if (b % 17 == 5 and i == 0) else when
                rows.append((bid, sku, stamp(t, (b + i) % 3), store, region, "x"))
                if b % 11 == 0 and i == 0:
                    rows.append((bid, sku, stamp(when + timedelta(minutes=1), 0), store, region, "dup"))
    return rows


def seconds(text: str) -> int:
    t = datetime.fromisoformat(text.replace(" ", "T"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return math.floor(t.timestamp())


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str, str, str, str]]]:
    rows = lines()
    path = tmp_path_factory.mktemp("chain") / "lines.csv"
    with path.open("w") as f:
        f.write("basket_id,sku,timestamp,store_id,region,note\n")
        for row in rows:
            f.write(",".join(row) + "\n")
    return path, rows


@pytest.fixture(scope="module")
def parquet(data) -> Path:
    """The same lines as Parquet, the timestamp a TIMESTAMP WITH TIME ZONE."""
    duckdb = pytest.importorskip("duckdb")
    path = data[0].with_suffix(".parquet")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"COPY (SELECT basket_id, sku, CAST(\"timestamp\" AS TIMESTAMPTZ) AS \"timestamp\", "
                    f"store_id, region FROM read_csv('{data[0]}', all_varchar = true)) "
                    f"TO '{path}' (FORMAT parquet)")
    return path


def expected(rows, rank: str, per: str) -> list[MinedLists]:
    """The C miner's MinedLists per scope, by name."""
    scopes: dict[str, list[tuple[str, str, int]]] = {}
    for bid, sku, ts, store, region, _ in rows:
        name = {"store": store, "region": region, "chain": "chain"}[per]
        scopes.setdefault(name, []).append((bid, sku, seconds(ts)))
    return [mine_native(scopes[name], params(rank), per, name) for name in sorted(scopes)]


CUTOFF = REF_TIME - 3 * 7 * 86400 - 3600
"""A holdout's cutoff: three weeks and an hour before REF, baskets on both sides."""


def expected_holdout(rows, rank: str, per: str) -> list[MinedLists]:
    """The C miner's holdout MinedLists per scope: the baskets before CUTOFF, ref_time = CUTOFF."""
    scopes: dict[str, list[tuple[str, str, int]]] = {}
    for bid, sku, ts, store, region, _ in rows:
        name = {"store": store, "region": region, "chain": "chain"}[per]
        scopes.setdefault(name, []).append((f"{store}:{bid}", sku, seconds(ts)))
    p = replace(params(rank), ref_time=CUTOFF)
    mined = [mine_native(scopes[name], p, per, name, before=CUTOFF) for name in sorted(scopes)]
    assert all(0 < m.baskets < 120 * (1 + (per != "store")) for m in mined)
    return mined


def close(a: float, b: float, what: str) -> bool:
    diff = abs(a - b) / max(abs(a), abs(b), 1e-300)
    worst[what] = max(worst.get(what, 0.0), diff)
    return diff <= TOL


def assert_agree(want: MinedLists, got: MinedLists) -> int:
    """got equals want (see the module's docstring); returns how many tied groups of
    partners the lists held."""
    assert (got.scope, got.name, got.baskets) == (want.scope, want.name, want.baskets)
    assert close(got.weight, want.weight, "W")
    assert got.items.keys() == want.items.keys()
    for sku, (count, weight) in want.items.items():
        assert got.items[sku][0] == count, sku
        assert close(got.items[sku][1], weight, "item weight"), sku
    assert got.neighbours.keys() == want.neighbours.keys()
    ties = 0
    for sku, entries in want.neighbours.items():
        mine = got.neighbours[sku]
        assert len(mine) == len(entries), sku
        # tied groups of want's list: runs of equal scores (within TOL)
        group, groups = 0, {}
        for i, (partner, *_, score) in enumerate(entries):
            if i and not close(score, entries[i - 1][3], "tie"):
                group += 1
            groups[partner] = group
        ties += group + 1 < len(entries)
        last = entries[-1][3]
        seen = []
        for (partner, count, weight, score), (_, _, _, want_score) in zip(mine, entries):
            assert close(score, want_score, "score"), (sku, partner)
            if partner not in groups:   # a partner tied with want's last one, cut there instead
                assert close(score, last, "score"), (sku, partner)
                continue
            w_partner = entries[[e[0] for e in entries].index(partner)]
            assert count == w_partner[1], (sku, partner)
            assert close(weight, w_partner[2], "pair weight"), (sku, partner)
            assert close(score, w_partner[3], "score"), (sku, partner)
            seen.append(groups[partner])
        assert seen == sorted(seen), (sku, mine, entries)
    return ties


def check(want: list[MinedLists], got: list[MinedLists]) -> None:
    assert [m.name for m in got] == [m.name for m in want]
    for w, g in zip(want, got):
        assert_agree(w, g)


def test_native_data_has_the_cases(data):
    """The synthetic input holds ties, a size-capped basket and lists cut by top_n."""
    mined = expected(data[1], "added-value", "store")
    assert [m.name for m in mined] == ["s1", "s2", "s3"]
    assert sum(assert_agree(m, m) for rank in ("damped", "balanced")
               for m in expected(data[1], rank, "store")) > 10
    assert any(len(v) == 4 for m in mined for v in m.neighbours.values())
    assert all(m.weight < m.baskets for m in mined)


@pytest.mark.parametrize("rank", RANKS)
@pytest.mark.parametrize("per", ["store", "region", "chain"])
def test_duckdb_agrees(data, per, rank):
    from pos.chain.engines import duckdb as engine
    check(expected(data[1], rank, per), list(engine.mine(data[0], params(rank), per)))


@pytest.mark.parametrize("per", ["store", "chain"])
def test_duckdb_holdout_agrees(data, per):
    """A holdout (`before`): the baskets before the cutoff only, as the C miner mines them."""
    from pos.chain.engines import duckdb as engine
    want = expected_holdout(data[1], "damped", per)
    check(want, list(engine.mine(data[0], replace(params("damped"), ref_time=CUTOFF), per,
                                 before=CUTOFF)))


def test_duckdb_parquet(data, parquet):
    from pos.chain.engines import duckdb as engine
    check(expected(data[1], "balanced", "store"), list(engine.mine(parquet, params("balanced"), "store")))


def test_unknown_per_and_missing_region(data, tmp_path):
    from pos.chain.engines import duckdb as engine
    with pytest.raises(ValueError, match="per must be"):
        list(engine.mine(data[0], params("damped"), "country"))
    path = tmp_path / "no_region.csv"
    path.write_text("basket_id,sku,timestamp,store_id\nb1,x,2026-01-01T00:00:00Z,s1\n")
    with pytest.raises(ValueError, match="no column region"):
        list(engine.mine(path, params("damped"), "region"))
    assert [m.baskets for m in engine.mine(path, params("damped"), "store")] == [1]


@pytest.fixture(scope="module")
def spark():
    """One local SparkSession for the module (Java from scripts/install-java; skips
    only when Java cannot be installed)."""
    done = subprocess.run([str(ROOT / "scripts" / "install-java")], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"Spark needs Java: {done.stderr.strip() or 'scripts/install-java failed'}")
    from pyspark.sql import SparkSession
    os.environ["SPARK_LOCAL_IP"] = LOOPBACK   # the JVM talks to itself on loopback only
    started = time.monotonic()
    session = (SparkSession.builder.master("local[2]").appName("pos-test-chain")
               .config("spark.driver.memory", "1g")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.default.parallelism", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.host", LOOPBACK)
               .config("spark.driver.bindAddress", LOOPBACK)
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    print(f"\nSpark session started in {time.monotonic() - started:.1f} s")
    yield session
    session.stop()


@pytest.mark.parametrize("per,rank", [("store", "added-value"), ("store", "damped"), ("store", "balanced"),
                                      ("region", "balanced"), ("chain", "added-value")])
def test_spark_agrees(data, spark, per, rank):
    from pos.chain.engines import spark as engine
    check(expected(data[1], rank, per), list(engine.mine(data[0], params(rank), per, spark)))


def test_spark_holdout_agrees(data, spark):
    from pos.chain.engines import spark as engine
    want = expected_holdout(data[1], "balanced", "region")
    check(want, list(engine.mine(data[0], replace(params("balanced"), ref_time=CUTOFF), "region",
                                 spark, before=CUTOFF)))


def test_spark_parquet(data, parquet, spark):
    from pos.chain.engines import spark as engine
    got = list(engine.mine(parquet, params("damped"), "region", spark))
    check(expected(data[1], "damped", "region"), got)


def written_part(folder: Path, p: MineParams, sub: str = "mined") -> MinedLists:
    """A part Spark wrote (FOLDER/mined/, or FOLDER/SUB/), read back plainly as MinedLists."""
    import csv
    manifest = json.loads((folder / sub / "manifest.json").read_text())
    assert manifest["engine"] == "spark"
    assert {f.name for f in (folder / sub).iterdir()} - {"holdout"} == {
        "item_stats.csv", "manifest.json", "neighbours.csv"}
    with (folder / sub / "item_stats.csv").open(newline="") as f:
        items = {r["sku"]: (int(r["baskets"]), float(r["weight"])) for r in csv.DictReader(f)}
    neighbours: dict[str, list] = {}
    with (folder / sub / "neighbours.csv").open(newline="") as f:
        for r in csv.DictReader(f):
            neighbours.setdefault(r["sku"], []).append(
                (r["partner"], int(r["count"]), float(r["weight"]), float(r["score"])))
    return MinedLists(manifest["scope"], manifest["name"], p, manifest["baskets"],
                      manifest["weight"], items, neighbours)


def test_spark_writes_parts_from_the_executors(data, tmp_path, spark):
    """write_parts: one part per store, written by Spark's tasks and moved into
    place; the C miner's lists, in rank order; nothing staged is left."""
    from pos.chain.engines import spark as engine
    out = tmp_path / "parts"
    p = params("balanced")
    days = (REF_TIME - CUTOFF) / 86400
    written = list(engine.write_parts(data[0], p, "store", out, spark, holdout_days=days))
    assert written[:3] == [("s1", 120, False), ("s2", 120, False), ("s3", 120, False)]
    assert [(name, held) for name, _, held in written[3:]] == [("s1", True), ("s2", True), ("s3", True)]
    assert sorted(f.name for f in out.iterdir()) == ["s1", "s2", "s3"]
    check(expected(data[1], "balanced", "store"), [written_part(out / n, p) for n in ("s1", "s2", "s3")])
    held = replace(p, ref_time=CUTOFF)
    check(expected_holdout(data[1], "balanced", "store"),
          [written_part(out / n / "mined", held, "holdout") for n in ("s1", "s2", "s3")])
    manifest = json.loads((out / "s1" / "mined" / "manifest.json").read_text())
    assert manifest["holdout"]["folder"] == "holdout"


def test_spark_per_store_sums_pairs_without_a_shuffle(data, spark):
    """Per store, the basket items are partitioned by store once: the pair sums,
    item sums, their joins and the top-N window shuffle nothing more (a pair-keyed
    exchange is in the plan per region, not per store)."""
    import re

    from pos.chain.engines import spark as engine
    pair_keyed = re.compile(r"Exchange hashpartitioning\(scope#\d+, (a|b|sku)#")
    spark.conf.set("spark.sql.autoBroadcastJoinThreshold", "-1")   # the plan of big inputs
    try:
        found = {}
        for per in ("store", "region"):
            with engine.configured(spark, per):
                _, _, lists, bi = engine.tables(spark, data[0], params("added-value"), per)
                plan = lists._jdf.queryExecution().executedPlan().toString()
                found[per] = bool(pair_keyed.search(plan))
                bi.unpersist()
    finally:
        spark.conf.unset("spark.sql.autoBroadcastJoinThreshold")
    assert found == {"store": False, "region": True}


def test_spark_submit(data, tmp_path, spark):
    """The documented cluster path: spark-submit runs the engine's file (here on
    local[1]) and writes the chain's part, the C miner's lists."""
    from pos.chain.engines import spark as engine
    submit = Path(sys.executable).parent / "spark-submit"
    out = tmp_path / "parts"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable,
               SPARK_LOCAL_IP=LOOPBACK)
    p = params("added-value")
    done = subprocess.run(
        [str(submit), "--master", "local[1]", "--driver-memory", "512m",
         "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=2",
         "--conf", "spark.ui.showConsoleProgress=false",
         engine.__file__, str(data[0]), str(out), "--per", "chain",
         "--top-n", str(p.top_n), "--size-cap", str(p.size_cap), "--min-count", str(p.min_count),
         "--half-life-days", str(p.half_life_days), "--ref-time", str(p.ref_time),
         "--shrinkage", str(p.shrinkage)],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{out}/chain/mined: chain chain:" in done.stdout
    check(expected(data[1], "added-value", "chain"), [written_part(out / "chain", p)])


def test_report_differences():
    """Prints the largest relative differences the tests above saw (run with -s)."""
    print("\nlargest relative differences:",
          ", ".join(f"{k} {v:.2e}" for k, v in sorted(worst.items()) if k != "tie"))


def test_spark_parts_load_to_the_stores_own_mining(spark, tmp_path):
    """`pos mine --engine spark` (in this module's session) writes per-store parts
    that `pos load` accepts, with the store's own lists."""
    from test_chain_mine import mine_and_load
    mine_and_load(tmp_path, "spark")
