"""`pos bench mine`: the chain miners (issue 19) on synthetic basket lines, as a
table: Spark (local[2] by default), DuckDB and the C miner store by store, each
in a process of its own, its seconds and peak memory (the process tree's RSS,
the JVM included), and its ratio to the C miner measured in the same run.

The lines (`--lines`, default 1M, 5M and 20M) fall in baskets of 1-9 lines over
`--stores` stores (default 100) in 5 regions, skus drawn skewed from 5,000, times
over a year before ref_time, written once per size as Parquet into the cache.
The engines mine per store with recency on (90-day half-life), the default
list ranking and top_n 100. The C miner's figure includes reading the Parquet
and building each store's CSR (with DuckDB); its mining alone is shown beside it.
DuckDB's ends with the lists in memory; Spark's with every store's part written
by the executors, as `pos mine --engine spark` runs (bringing 10^7 list entries
to the driver is not how Spark is used at scale).

Each row is printed as its run ends and kept in `--results` (JSON lines in the
cache): a run that is stopped keeps what it finished, and `--reuse` takes a
kept row (same lines, stores, engine and master) instead of running it again.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .report import machine, write_section

REF_TIME = 1_767_225_600  # 2026-01-01T00:00:00Z
ENGINES = ("c", "duckdb", "spark")


def params() -> Any:
    from pos.mining import MineParams
    return MineParams(top_n=100, size_cap=30, min_count=1, half_life_days=90.0, ref_time=REF_TIME,
                      workers=2)


def make_lines(path: Path, lines: int, stores: int) -> Path:
    """Synthetic basket lines as Parquet (made once; kept in the cache)."""
    if path.exists():
        return path
    import duckdb
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        # basket b holds the lines i with i // 5 == b, less the ones its hash drops (1-9 lines)
        con.execute(f"""COPY (
            SELECT 's' || lpad(CAST(b % {stores} AS VARCHAR), 3, '0') AS store_id,
                   'r' || CAST(b % {stores} % 5 AS VARCHAR) AS region,
                   CAST(b AS VARCHAR) AS basket_id,
                   'sku-' || lpad(CAST(CAST(floor(5000 * pow(hash(i) % 1000003 / 1000003.0, 3))
                                      AS BIGINT) AS VARCHAR), 5, '0') AS sku,
                   to_timestamp({REF_TIME} - (b * 7919) % 31536000) AS "timestamp"
            FROM (SELECT i, i // 5 AS b FROM range({lines}) t(i)))
            TO '{tmp}' (FORMAT parquet)""")
    tmp.rename(path)
    return path


def run_c(path: Path) -> dict[str, Any]:
    """The C miner store by store: DuckDB reads the lines and numbers baskets and skus
    (skus sorted ascending), then Miner.add_baskets on each store's CSR."""
    import duckdb
    import numpy as np

    from pos.mining import Miner
    p = params()
    mine_s = 0.0
    entries = scopes = 0
    with duckdb.connect() as con:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"""CREATE TABLE bi AS
            SELECT store_id, basket_id, sku, min(epoch(CAST("timestamp" AS TIMESTAMPTZ)))::BIGINT AS t
            FROM read_parquet('{path}') GROUP BY ALL""")
        con.execute("""CREATE TABLE lines AS SELECT store_id,
                dense_rank() OVER (PARTITION BY store_id ORDER BY basket_id) - 1 AS b,
                dense_rank() OVER (PARTITION BY store_id ORDER BY sku) - 1 AS item,
                min(t) OVER (PARTITION BY store_id, basket_id) AS t
            FROM bi""")
        stores = [r[0] for r in con.execute("SELECT DISTINCT store_id FROM lines ORDER BY 1").fetchall()]
        for store in stores:
            cols = con.execute("SELECT b, item, t FROM lines WHERE store_id = ? ORDER BY b, item",
                               [store]).fetchnumpy()
            b = cols["b"].astype(np.int64)
            items = cols["item"].astype(np.int32)
            n_baskets = int(b[-1]) + 1
            offsets = np.zeros(n_baskets + 1, dtype=np.int64)
            np.cumsum(np.bincount(b, minlength=n_baskets), out=offsets[1:])
            times = cols["t"].astype(np.int64)[offsets[:-1]]
            started = time.perf_counter()
            with Miner(int(items.max()) + 1, p) as miner:
                stats = miner.add_baskets(offsets, items, times)
            mine_s += time.perf_counter() - started
            entries += stats.neighbours
            scopes += 1
    return {"scopes": scopes, "entries": entries, "mine_s": mine_s}


def run_duckdb(path: Path) -> dict[str, Any]:
    """DuckDB over the whole input, per store: the lists in memory."""
    from pos.chain.engines import duckdb as eng
    entries = scopes = 0
    for m in eng.mine(path, params(), "store"):
        scopes += 1
        entries += sum(len(v) for v in m.neighbours.values())
    return {"scopes": scopes, "entries": entries}


def run_spark(path: Path, master: str, started: float) -> dict[str, Any]:
    """Spark over the whole input, per store, as `pos mine --engine spark` runs it:
    the executors write each store's part (into a scratch folder beside the
    input, removed after). The seconds end when the last part is in place; the
    list entries are counted from the files after that."""
    import shutil

    from pyspark.sql import SparkSession

    from pos.chain.engines import spark as eng
    session = (SparkSession.builder.master(master).appName("pos-bench-mine")
               .config("spark.driver.memory", "4g").config("spark.sql.shuffle.partitions", "8")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    out = path.with_name(path.name + ".parts")
    shutil.rmtree(out, ignore_errors=True)
    try:
        names = [name for name, _, _ in eng.write_parts(path, params(), "store", out, session)]
        seconds = time.perf_counter() - started
        entries = 0
        for name in names:
            with (out / name / "mined" / "neighbours.csv").open("rb") as f:
                entries += sum(1 for _ in f) - 1
    finally:
        shutil.rmtree(out, ignore_errors=True)
    return {"scopes": len(names), "entries": entries, "seconds": seconds}


def child(engine: str, path: Path, master: str) -> None:
    """Runs one engine (in a process of its own) and prints its figures as JSON."""
    started = time.perf_counter()
    if engine == "spark":
        out = run_spark(path, master, started)
    else:
        out = run_c(path) if engine == "c" else run_duckdb(path)
        out["seconds"] = time.perf_counter() - started
    print(json.dumps(out))


def tree_rss(pid: int) -> int:
    """The resident bytes of pid and its descendants (/proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def measure(engine: str, path: Path, master: str) -> dict[str, Any]:
    """One engine's run in a child process, its figures and peak tree RSS."""
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    proc = subprocess.Popen([sys.executable, "-m", __name__, engine, str(path), master],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} failed: {err[-2000:]}")
    figures: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    figures["peak_mb"] = peak[0] / 2**20
    return figures


def render(rows: list[tuple[int, str, dict[str, Any]]]) -> tuple[Table, str]:
    headers = ["lines", "engine", "seconds", "× C miner", "peak memory (MB)", "stores", "list entries"]
    table = Table(title="mining per store: Spark, DuckDB, the C miner")
    for h in headers:
        table.add_column(h, justify="left" if h == "engine" else "right")
    md = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    base: dict[int, float] = {}
    for lines, engine, f in rows:
        if engine == "c":
            base[lines] = f["seconds"]
    for lines, engine, f in rows:
        name = {"c": f"C miner (mining alone {f.get('mine_s', 0):.1f} s)", "duckdb": "DuckDB",
                "spark": "Spark"}.get(engine, engine)
        ratio = f"{f['seconds'] / base[lines]:.1f}" if lines in base else "-"
        cells = [f"{lines:,}", name, f"{f['seconds']:.1f}", ratio, f"{f['peak_mb']:,.0f}",
                 str(f["scopes"]), f"{f['entries']:,}"]
        table.add_row(*cells)
        md.append("| " + " | ".join(cells) + " |")
    return table, "\n".join(md)


def kept_rows(path: Path) -> dict[tuple[int, int, str, str], dict[str, Any]]:
    """The rows a run kept in `path`, by (lines, stores, engine, master); the last wins."""
    kept: dict[tuple[int, int, str, str], dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            kept[(row["lines"], row["stores"], row["engine"], row["master"])] = row["figures"]
    return kept


def run(args: Any) -> int:
    console = Console(width=None if Console().is_terminal else 200)
    results = args.results or args.cache / "mine-bench.jsonl"
    kept = kept_rows(results) if args.reuse else {}
    rows = []
    for lines in args.lines:
        path = None
        for engine in args.engines:
            key = (lines, args.stores, engine, args.spark_master)
            if key in kept:
                figures = kept[key]
                console.print(f"{lines:,} lines: {engine}: kept from {results}")
            else:
                if path is None:
                    path = make_lines(args.cache / f"chain-lines-{lines}-{args.stores}.parquet",
                                      lines, args.stores)
                console.print(f"{lines:,} lines: {engine} ...")
                figures = measure(engine, path, args.spark_master)
                with results.open("a", encoding="utf-8") as f:
                    f.write(json.dumps({"lines": lines, "stores": args.stores, "engine": engine,
                                        "master": args.spark_master, "figures": figures}) + "\n")
            console.print(f"{lines:,} lines: {engine}: {figures['seconds']:.1f} s, "
                          f"{figures['peak_mb']:,.0f} MB peak")
            rows.append((lines, engine, figures))
    table, markdown = render(rows)
    console.print(table)
    if args.markdown:
        write_section(args.markdown, "mine",
            "## Chain mining benchmark\n\n"
            f"Command: `.venv/bin/pos bench mine --lines {' '.join(map(str, args.lines))} "
            f"--markdown {args.markdown}` ({args.stores} stores, per store, Spark on "
            f"`{args.spark_master}`)  \nMachine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n"
            f"{markdown}\n\nEach engine runs in a process of its own; peak memory is the "
            "process tree's RSS (Spark's JVM included). The C miner's seconds include reading "
            "the Parquet and building each store's CSR with DuckDB; DuckDB's end with the lists "
            "in memory; Spark's with every store's part written by the executors "
            "(`pos mine --engine spark`).\n")
        console.print(f"written to {args.markdown}")
    return 0


if __name__ == "__main__":
    child(sys.argv[1], Path(sys.argv[2]), sys.argv[3])
