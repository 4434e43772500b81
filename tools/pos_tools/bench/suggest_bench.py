"""`pos bench suggest`: the suggestion engine's speed against two baselines, as a table.

On a store built from a dump (default: the seeded synthetic 1M-basket /
100k-item dump of `pos bench load`, loaded once into the cache), in one run:
- `Engine.open` (first open, and the median of the repeats) and the size of
  the C engine's index (`pos_engine_memory`);
- per call, with `time.perf_counter_ns`: `engine.suggest` (the Python API,
  skus in, `Suggestion`s out) and the bare C call (`pos_engine_score` on
  request buffers filled beforehand), over N baskets sampled with a fixed seed
  from the dump's own baskets (the first `--pool` baskets of baskets.csv, 1-60
  lines), plus the C call alone on a stress sample of 48-60-line baskets;
- two baselines on the same baskets and the same neighbour lists: an SQL scorer
  (`pairs(a, b, w)` in a side SQLite file, indexed on a; `SELECT b, SUM(w) ...
  WHERE a IN (...) GROUP BY b ORDER BY 2 DESC LIMIT k`) and a plain-Python
  scorer (a dict of neighbour lists, sums of weights, heapq top k), with their
  ratios to the C call.

Each series starts with untimed warm-up calls; the benchmark's own data is
frozen out of the garbage collector (gc.freeze) so that collections of it do
not land in the timings.
"""
from __future__ import annotations

import gc
import heapq
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from array import array
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .report import machine, ok, write_section

MAX_LINES = 60
STRESS_LINES = 48
#: the family's costliest variant: the pairwise sums and the similar baskets both,
#: with the longest look back (10,000 postings a call; blend-0.5 reads 5,000)
EXPENSIVE = "idf-blend-0.75"


@dataclass
class Series:
    name: str
    calls: int
    p50: float     # microseconds
    p99: float
    max: float


def series(name: str, nanos: list[int]) -> Series:
    ns = sorted(nanos)
    n = len(ns)

    def pick(q: float) -> float:
        return ns[min(n - 1, int(q * n))] / 1000
    return Series(name, n, pick(0.50), pick(0.99), ns[-1] / 1000)


# ---- baskets -----------------------------------------------------------------------

def read_baskets(dump: Path, pool: int) -> list[list[str]]:
    """The skus of the first `pool` baskets of the dump's baskets.csv, in file order."""
    baskets: list[list[str]] = []
    current: str | None = None
    skus: list[str] = []
    with open(dump / "baskets.csv", encoding="utf-8") as f:
        header = next(f).rstrip("\n").split(",")
        b_col, s_col = header.index("basket_id"), header.index("sku")
        for line in f:
            cells = line.split(",")
            basket = cells[b_col]
            if basket != current:
                if skus:
                    baskets.append(skus)
                    if len(baskets) >= pool:
                        skus = []
                        break
                current, skus = basket, []
            skus.append(cells[s_col])
    if skus:
        baskets.append(skus)
    return baskets


def sample_baskets(baskets: list[list[str]], n: int, seed: int,
                   low: int = 1, high: int = MAX_LINES) -> list[list[str]]:
    """n baskets of low..high distinct lines, drawn with a fixed seed (with
    replacement only when the pool is smaller than n)."""
    pool = [list(dict.fromkeys(b)) for b in baskets]
    pool = [b for b in pool if low <= len(b) <= high]
    if not pool:
        return []
    rng = random.Random(seed)
    return rng.sample(pool, n) if n <= len(pool) else [rng.choice(pool) for _ in range(n)]


# ---- the store ---------------------------------------------------------------------

def store_for(dump: Path, cache: Path, console: Console) -> Path:
    """A store loaded from the dump, kept in the cache next to the dump."""
    db = cache / f"{dump.name}.db"
    if not db.exists():
        console.print(f"loading {dump} into {db} (once) ...")
        subprocess.run([sys.executable, "-m", "pos", "load", str(dump), "--db", str(db),
                        "--quiet"], check=True)
    return db


def bench_store(args: Any, console: Console, need_dump: bool = True) -> Path:
    """The store a benchmark measures: --db, or the dump (--dump, by default the
    cached synthetic dump of `pos bench load`) loaded once into the cache. Sets
    args.dump when the benchmark samples it (`need_dump`) and none was given."""
    if args.db is not None and not need_dump:
        return Path(args.db)
    if args.dump is None:
        from .synthetic import bench_dump
        console.print(f"synthetic dump: {args.baskets:,} baskets over {args.items:,} items "
                      "(generated once, then cached) ...")
        args.dump = bench_dump(args.cache, n_baskets=args.baskets, n_items=args.items)
    args.cache.mkdir(parents=True, exist_ok=True)
    return Path(args.db) if args.db is not None else store_for(args.dump, args.cache, console)


def neighbour_lists(db: Path) -> dict[int, tuple[array, array]]:
    """item -> (neighbour items, weights), from the store's neighbours table."""
    from pos.mining import ENTRY
    lists = {}
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for item, blob in conn.execute("SELECT item, entries FROM neighbours"):
            if not blob:
                continue
            n = len(blob) // ENTRY.size
            words = array("i", blob[:n * ENTRY.size])
            floats = array("f", blob[:n * ENTRY.size])
            lists[item] = (words[0::4], floats[2::4])
    finally:
        conn.close()
    return lists


def pairs_db(db: Path, lists: dict, workdir: Path) -> Path:
    """A side SQLite file with pairs(a, b, w), one row per neighbour entry, indexed on a."""
    stat = db.stat()
    side = workdir / f"pairs-{db.stem}-{stat.st_size}-{stat.st_mtime_ns}.db"
    if side.exists():
        return side
    tmp = side.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, w REAL NOT NULL)")
        conn.executemany("INSERT INTO pairs VALUES (?, ?, ?)",
                         ((a, b, w) for a, (bs, ws) in lists.items() for b, w in zip(bs, ws)))
        conn.execute("CREATE INDEX pairs_a ON pairs (a, b, w)")
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, side)
    return side


# ---- the baselines -----------------------------------------------------------------

class SqlScorer:
    """Top k by summed pair weight, in SQL."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.statements: dict[int, str] = {}

    def score(self, items: list[int], k: int) -> list[int]:
        n = len(items)
        sql = self.statements.get(n)
        if sql is None:
            marks = ", ".join("?" * n)
            sql = self.statements[n] = (
                f"SELECT b, SUM(w) FROM pairs WHERE a IN ({marks}) AND b NOT IN ({marks}) "
                "GROUP BY b ORDER BY 2 DESC, b LIMIT ?")
        return [b for b, _ in self.conn.execute(sql, (*items, *items, k))]

    def close(self) -> None:
        self.conn.close()


class PythonScorer:
    """Top k by summed pair weight: a dict of neighbour lists and heapq."""

    def __init__(self, lists: dict):
        self.lists = lists

    def score(self, items: list[int], k: int) -> list[int]:
        sums: dict[int, float] = {}
        get = sums.get
        for a in items:
            found = self.lists.get(a)
            if found is None:
                continue
            for b, w in zip(*found):
                sums[b] = get(b, 0.0) + w
        for a in items:
            sums.pop(a, None)
        return [b for b, _ in heapq.nlargest(k, sums.items(), key=lambda t: (t[1], -t[0]))]


# ---- timing ------------------------------------------------------------------------

def time_calls(fn, baskets, warmup: int = 500) -> list[int]:
    for basket in baskets[:warmup]:
        fn(basket)
    clock = time.perf_counter_ns
    out = []
    for basket in baskets:
        t = clock()
        fn(basket)
        out.append(clock() - t)
    return out


def time_c_calls(engine, baskets: list[list[int]], k: int, warmup: int = 500) -> list[int]:
    """The bare C call: the request buffers are filled before the clock starts."""
    from pos.native import ffi, lib
    b = engine._buffers()
    b.set_config(engine.config)
    req = b.req
    req.n_declined = req.n_history = 0
    req.history = ffi.NULL
    req.customer_baskets = 0
    req.now = int(time.time())
    req.k = min(k, engine.config.max_k)
    score, handle, scratch, out, n_out = (lib.pos_engine_score, engine._native.handle,
                                          b.scratch, b.out, b.n_out)
    cap = len(out)
    if max((len(x) for x in baskets), default=0) > b.cap:
        b.grow_basket(max(len(x) for x in baskets))
    for i in range(b.cap):
        b.qty[i] = 1.0
    req.basket_qty = b.qty
    clock = time.perf_counter_ns
    times = []
    for n, basket in enumerate(baskets[:warmup] + baskets):
        ffi.memmove(b.items, array("i", basket), 4 * len(basket))
        req.n_basket = len(basket)
        t = clock()
        status = score(handle, scratch, req, out, cap, n_out)
        t = clock() - t
        if status:
            raise RuntimeError(f"pos_engine_score: status {status}")
        if n >= min(warmup, len(baskets)):
            times.append(t)
    return times


def open_times(db: Path, repeats: int):
    from pos.engine import Engine
    times, engine = [], None
    for _ in range(max(1, repeats)):
        engine = None
        gc.collect()
        t = time.perf_counter()
        engine = Engine.open(db)
        times.append(time.perf_counter() - t)
    return engine, times


# ---- the run -----------------------------------------------------------------------

@dataclass
class Result:
    store: Path
    baskets: int
    mean_lines: float
    open_first: float
    open_median: float
    index_mb: float
    scratch_mb: float
    series: list       # [Series] the engine's
    baselines: list    # [Series]
    c_call: Series
    agreement: float   # share of baskets whose top item is the same in both baselines


def measure(db: Path, dump: Path, args, console: Console, workdir: Path) -> Result:
    from pos.native import lib
    from pos.variants import config_for, store_choice
    console.print(f"reading baskets from {dump / 'baskets.csv'} ...")
    raw = read_baskets(dump, args.pool)
    sample = sample_baskets(raw, args.n, args.seed)
    stress = sample_baskets(raw, min(args.n, 2000), args.seed + 1, STRESS_LINES, MAX_LINES)
    del raw
    console.print(f"Engine.open x{args.open_repeats} ...")
    engine, opens = open_times(db, args.open_repeats)
    index = engine._sku_index
    ids = [[index[s] for s in b if s in index] for b in sample]
    stress_ids = [[index[s] for s in b if s in index] for b in stress]
    k = args.k
    gc.collect()
    gc.freeze()
    try:
        console.print(f"engine.suggest and the C call over {len(sample):,} baskets ...")
        chosen = store_choice(engine.meta)
        runs = [series(f"engine.suggest (Python API), {chosen} (the store's choice)",
                       time_calls(lambda b: engine.suggest(b, k=k), sample)),
                series("the C call alone", time_c_calls(engine, ids, k))]
        c_call = runs[1]
        if chosen != EXPENSIVE:
            costly = config_for(EXPENSIVE)
            console.print(f"engine.suggest with {EXPENSIVE} ...")
            runs.append(series(f"engine.suggest (Python API), {EXPENSIVE} (the costliest)",
                               time_calls(lambda b: engine.suggest(b, k=k, config=costly),
                                          sample)))
        if stress_ids:
            runs.append(series(f"the C call alone, {STRESS_LINES}-{MAX_LINES}-line baskets",
                               time_c_calls(engine, stress_ids, k)))
        console.print("baselines: neighbour lists ...")
        lists = neighbour_lists(db)
        py = PythonScorer(lists)
        console.print(f"baselines: plain Python over {len(ids):,} baskets ...")
        base = [series("plain Python (dict + heapq)", time_calls(partial(py.score, k=k), ids))]
        console.print("baselines: the pairs table (built once, cached) ...")
        sql = SqlScorer(pairs_db(db, lists, workdir))
        sql_ids = ids[:args.sql_n]
        console.print(f"baselines: SQL over {len(sql_ids):,} baskets ...")
        base.insert(0, series("SQL (SQLite GROUP BY)",
                              time_calls(lambda b: sql.score(b, k), sql_ids, warmup=50)))
        agree = [bool(x) and x[:1] == py.score(b, k)[:1]
                 for b in sql_ids[:200] for x in [sql.score(b, k)]]
        sql.close()
        del lists, py
    finally:
        gc.unfreeze()
    return Result(db, len(sample), statistics.fmean(len(b) for b in ids) if ids else 0.0,
                  opens[0], statistics.median(opens), lib.pos_engine_memory(engine._native.handle) / 1e6,
                  lib.pos_scratch_memory(engine._buffers().scratch) / 1e6, runs, base, c_call,
                  sum(agree) / len(agree) if agree else 0.0)


HEADERS = ["what", "calls", "p50 (µs)", "p99 (µs)", "max (µs)", "p50 / C call", "p99 / C call"]


def render(r: Result) -> tuple[Table, str]:
    table = Table(title="pos suggestion engine against the baselines")
    for h in HEADERS:
        table.add_column(h, justify="left" if h == "what" else "right")
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for s in [*r.series, *r.baselines]:
        cells = [s.name, f"{s.calls:,}", f"{s.p50:,.1f}", f"{s.p99:,.1f}", f"{s.max:,.0f}",
                 f"{s.p50 / r.c_call.p50:,.1f}x", f"{s.p99 / r.c_call.p99:,.1f}x"]
        table.add_row(*cells)
        lines.append("| " + " | ".join(cells) + " |")
    facts = (f"`Engine.open`: {r.open_first:.2f} s first, {r.open_median:.2f} s median; "
             f"index (C side, `pos_engine_memory`): {r.index_mb:.0f} MB; one thread's scratch: "
             f"{r.scratch_mb:.1f} MB; baskets: {r.baskets:,} (mean {r.mean_lines:.1f} lines); "
             f"the two baselines agree on the top item for {100 * r.agreement:.0f}% of baskets.")
    return table, "\n".join(lines) + "\n\n" + facts


def targets(r: Result) -> str:
    suggests = [s for s in r.series if s.name.startswith("engine.suggest")]
    return "\n".join([
        "Targets (issue 15):", "",
        *[f"- `engine.suggest` p99 <= 500 µs, {s.name.split(', ', 1)[1]}: {s.p99:.1f} µs "
          f"({ok(s.p99 <= 500)})" for s in suggests],
        f"- `Engine.open` <= 1.5 s: {r.open_median:.2f} s median, {r.open_first:.2f} s first "
        f"({ok(r.open_median <= 1.5)})"])


def run(args) -> int:
    console = Console(width=None if Console().is_terminal else 200)
    db = bench_store(args, console)
    result = measure(db, args.dump, args, console, args.cache)
    table, markdown = render(result)
    console.print(table)
    console.print(markdown.split("\n\n", 1)[1])
    console.print(targets(result))
    if args.markdown:
        write_section(args.markdown, "suggest",
            "## Suggestion benchmark\n\n"
            f"Command: `.venv/bin/pos bench suggest --markdown {args.markdown}` (store: "
            f"`{args.dump.name}` loaded by `pos load`; {result.baskets:,} baskets sampled "
            f"with seed {args.seed} from the first {args.pool:,} of its baskets.csv, "
            f"1-{MAX_LINES} lines; k = {args.k}; the SQL baseline on the first "
            f"{min(args.sql_n, result.baskets):,} of them)  \n"
            f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n{markdown}\n\n"
            f"{targets(result)}\n")
        console.print(f"written to {args.markdown}")
    return 0
