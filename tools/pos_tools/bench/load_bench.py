"""`pos bench load`: the whole nightly load against the counting baselines, as a table.

For each dump (retail-fimi converted from ../shared/data when present, and the
seeded synthetic 1M-basket / 100k-item dump) it runs, in the same run:
- `pos load` end to end in a child process (CSV files to published store),
  with its wall time, its peak memory (the child's max RSS) and its step times;
- DuckDB's pair counting alone (CSV read + self-join + GROUP BY + top-100 by a
  window function);
- a plain-Python counter (time-limited; beyond the limit it is extrapolated,
  and the table says so);
and prints the ratios baseline / pos load.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .baselines import BaselineUnavailable, duckdb_pair_counts, python_pair_counts
from .datasets import SharedDataMissing, convert
from .report import machine, ok, write_section
from .synthetic import bench_dump

RUNS = 3   # loads per dump; the table shows the median run (this VM is noisy)


@dataclass
class LoadRun:
    seconds: float
    peak_mb: float
    steps: dict[str, float]
    counts: dict[str, int]
    plain: "LoadRun | None" = None     # the same dump with --no-backtest


def run_pos_load(dump: Path, workdir: Path, *options: str) -> LoadRun:
    db, report = workdir / "store.db", workdir / "report.json"
    for path in workdir.glob("store.db*"):
        path.unlink()
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "pos", "load", str(dump), "--db", str(db),
                              "--quiet", "--json-report", str(report), *options])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"pos load failed on {dump} (exit {child.returncode})")
    data = json.loads(report.read_text())
    return LoadRun(seconds, usage.ru_maxrss / 1024, data["seconds"], data["counts"])


def dumps(args, console: Console) -> list[tuple[str, Path]]:
    found = []
    fimi = args.cache / "retail-fimi"
    try:
        if not (fimi / "baskets.csv").exists():
            console.print("converting retail-fimi ...")
            convert("retail-fimi", fimi)
        found.append(("retail-fimi (88k baskets)", fimi))
    except SharedDataMissing as exc:
        console.print(f"[yellow]skipping retail-fimi: {exc}[/]")
    console.print(f"synthetic dump: {args.baskets:,} baskets over {args.items:,} items "
                  "(generated once, then cached) ...")
    found.append((f"synthetic {args.baskets:,} baskets / {args.items:,} items",
                  bench_dump(args.cache, n_baskets=args.baskets, n_items=args.items)))
    return found


def run(args) -> int:
    console = Console(width=None if Console().is_terminal else 200)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, dump in dumps(args, console):
            console.print(f"[bold]{name}[/]: pos load x{RUNS} ...")
            runs = sorted((run_pos_load(dump, Path(tmp)) for _ in range(RUNS)),
                          key=lambda r: r.seconds)
            load = runs[len(runs) // 2]
            console.print("  seconds: " + ", ".join(f"{r.seconds:.2f}" for r in runs))
            console.print(f"[bold]{name}[/]: pos load --no-backtest x{RUNS} ...")
            plain = sorted((run_pos_load(dump, Path(tmp), "--no-backtest") for _ in range(RUNS)),
                           key=lambda r: r.seconds)
            load.plain = plain[len(plain) // 2]
            console.print("  seconds: " + ", ".join(f"{r.seconds:.2f}" for r in plain))
            console.print("  DuckDB counting ...")
            try:
                duck = duckdb_pair_counts(dump, top_n=100)
            except BaselineUnavailable as exc:
                duck = None
                console.print(f"  [yellow]{exc}[/]")
            console.print("  plain-Python counting ...")
            py = python_pair_counts(dump, top_n=100, limit_seconds=args.python_seconds)
            rows.append((name, load, duck, py))
    table, markdown = render(rows)
    console.print(table)
    if args.markdown:
        command = "pos bench load" + (f" --baskets {args.baskets}" if args.baskets != 1_000_000 else "")
        write_section(args.markdown, "load",
            f"## Load benchmark\n\nCommand: `.venv/bin/{command} --markdown {args.markdown}` "
            "(the synthetic dump is generated once, seeded, and cached; retail-fimi is "
            f"converted from ../shared/data; each `pos load` runs {RUNS} times in a fresh "
            "process, the table shows the median run)  \n"
            f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n{markdown}\n\n"
            f"{targets(rows)}\n")
        console.print(f"written to {args.markdown}")
    return 0


def _python_seconds(py) -> tuple[float, str]:
    if py.complete:
        return py.total_seconds, f"{py.total_seconds:.1f}"
    return py.extrapolated_seconds, (f"~{py.extrapolated_seconds:.0f} (extrapolated from "
                                     f"{py.baskets_processed:,} baskets)")


def render(rows) -> tuple[Table, str]:
    headers = ["dump", "baskets", "pairs", "pos load (s)", "peak RSS (MB)", "of which mining (s)",
               "of which backtest (s)", "--no-backtest (s)", "its peak RSS (MB)",
               "DuckDB counting (s)", "plain Python (s)", "DuckDB / pos load",
               "DuckDB / pos mining", "Python / pos load"]
    table = Table(title="pos load against the counting baselines")
    for header in headers:
        table.add_column(header, justify="left" if header == "dump" else "right")
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for name, load, duck, py in rows:
        py_seconds, py_text = _python_seconds(py)
        cells = [name, f"{load.counts['baskets']:,}", f"{load.counts['pairs']:,}",
                 f"{load.seconds:.2f}", f"{load.peak_mb:,.0f}",
                 f"{load.steps.get('mining pairs', 0):.2f}",
                 f"{load.steps.get('backtest', 0):.2f}",
                 f"{load.plain.seconds:.2f}" if load.plain else "n/a",
                 f"{load.plain.peak_mb:,.0f}" if load.plain else "n/a",
                 f"{duck.total_seconds:.2f}" if duck else "n/a", py_text,
                 f"{duck.total_seconds / load.seconds:.1f}x" if duck else "n/a",
                 f"{duck.total_seconds / load.steps['mining pairs']:.0f}x" if duck else "n/a",
                 f"{py_seconds / load.seconds:.0f}x"]
        table.add_row(*cells)
        lines.append("| " + " | ".join(cells) + " |")
    steps = rows[-1][1].steps if rows else {}
    lines += ["", "Step times of the last `pos load` above (seconds): "
              + ", ".join(f"{k} {v:.2f}" for k, v in steps.items())]
    return table, "\n".join(lines)


def targets(rows) -> str:
    """The issue's targets, checked against this run."""
    lines = ["Targets (issues 2 and 15):", ""]
    for name, load, duck, _ in rows:
        plain = load.plain or load
        if name.startswith("retail-fimi"):
            lines.append(f"- retail-fimi end to end, --no-backtest, <= 2 s: {plain.seconds:.2f} s "
                         f"({ok(plain.seconds <= 2)}); with the backtest {load.seconds:.2f} s")
        else:
            lines.append(f"- {name}: with the default backtest <= 30 s: {load.seconds:.2f} s "
                         f"({ok(load.seconds <= 30)}); --no-backtest <= 15 s: "
                         f"{plain.seconds:.2f} s ({ok(plain.seconds <= 15)}); peak memory <= 2 GB: "
                         f"{load.peak_mb / 1024:.2f} GB ({ok(load.peak_mb <= 2048)})")
            if duck:
                faster = plain.seconds < duck.total_seconds
                lines.append(f"- whole load (--no-backtest) faster than DuckDB's counting alone: "
                             f"{plain.seconds:.2f} s vs {duck.total_seconds:.2f} s ({ok(faster)})")
    lines += ["", "These loads run in the development venv, where sqlite-utils imports pandas "
              "(installed for the mlxtend baseline of `pos eval`): about 0.35 s of each run. "
              "A till or cron machine with the runtime dependencies only does not pay it."]
    return "\n".join(lines)
