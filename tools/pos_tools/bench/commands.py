"""`pos bench BENCHMARK`: one sub-command per benchmark, each with its own
options (the few they share come from the parents below). Each benchmark
module has `run(args) -> int`; `pos bench` is there when pos-tools is installed
(scripts/bootstrap does it), and tills go without it."""
from __future__ import annotations

import argparse
import importlib
from pathlib import Path

DEFAULT_CACHE = Path.home() / ".cache" / "pos-bench"


def _common(cache: Path = DEFAULT_CACHE) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--cache", type=Path, default=cache,
                   help=f"where generated and converted dumps are kept between runs (default {cache})")
    p.add_argument("--markdown", type=Path, help="also write the table to this file")
    return p


def _store(n: int) -> argparse.ArgumentParser:
    """The store a benchmark measures, and how many calls."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--dump", type=Path, help="the dump whose baskets are sampled (default: the "
                   "cached synthetic dump of `pos bench load`)")
    p.add_argument("--db", type=Path, help="the store (default: the dump, loaded once into the cache)")
    _synthetic(p)
    p.add_argument("-n", "--n", type=int, default=n, help=f"how many are timed (default {n:,})")
    p.add_argument("--seed", type=int, default=1)
    return p


def _synthetic(p: argparse.ArgumentParser) -> None:
    p.add_argument("--baskets", type=int, default=1_000_000, help="the synthetic dump's baskets")
    p.add_argument("--items", type=int, default=100_000, help="the synthetic dump's items")


def _pool(p: argparse.ArgumentParser) -> None:
    p.add_argument("-k", type=int, default=3, help="suggestions asked (default 3)")
    p.add_argument("--pool", type=int, default=200_000,
                   help="the first POOL baskets of baskets.csv are sampled")


def _load(p: argparse.ArgumentParser) -> None:
    _synthetic(p)
    p.add_argument("--python-seconds", type=float, default=120.0,
                   help="time limit for the plain-Python counter on the big dump "
                        "(beyond it the figure is extrapolated, and says so)")


def _suggest(p: argparse.ArgumentParser) -> None:
    _pool(p)
    p.add_argument("--sql-n", type=int, default=2_000, help="baskets timed for the SQL baseline")
    p.add_argument("--open-repeats", type=int, default=3, help="Engine.open timed this often")


def _learn(p: argparse.ArgumentParser) -> None:
    _pool(p)
    p.add_argument("--day-sales", type=int, default=10_000,
                   help="the day's sales fed to the overlay (default 10,000)")


def _scanner(p: argparse.ArgumentParser) -> None:
    p.add_argument("--burst-rate", type=float, default=50.0, help="reads per second (default 50)")
    p.add_argument("--burst-seconds", type=float, default=10.0, help="burst length (default 10)")
    p.add_argument("--replugs", type=int, default=10, help="unplug/replug rounds (default 10)")
    p.add_argument("--unplugged", type=float, default=1.0,
                   help="seconds the scanner stays unplugged each round (default 1)")


def _journal_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("--journal-dir", type=Path,
                   help="where the fresh journals go (default: the system's temp directory)")


def _till(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runs", type=int, default=3,
                   help="latency runs, each in a fresh process (default 3; 0: the swap table only)")
    p.add_argument("--warmup", type=int, default=20,
                   help="reads at the start of each run not counted (default 20)")
    p.add_argument("--starts", type=int, default=5,
                   help="start-to-ready-to-scan runs, each a fresh process (default 5)")
    p.add_argument("--pace", type=float, default=0.0, metavar="MS",
                   help="pause between a read's painted panel and the next read, as a "
                        "cashier's pace (default 0: back to back)")
    p.add_argument("--profile", default="generic-cr",
                   help="the emulated scanner's device profile (default generic-cr)")
    p.add_argument("--variant", metavar="NAME",
                   help="force this scorer variant (as store.toml's [engine] variant; "
                        "default: the store's backtest choice)")
    _journal_dir(p)


def _receipt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runs", type=int, default=3,
                   help="runs, each twice in fresh processes: without and with the printer (default 3)")
    p.add_argument("--warmup", type=int, default=20, help="reads per run not counted (default 20)")
    p.add_argument("--max-lines", type=int, default=8,
                   help="a sale is paid every 1 to this many lines (default 8)")
    p.add_argument("--profile", default="generic-cr", help="the emulated scanner's profile")
    p.add_argument("--printer-profile", default="epson-tm-t88v-80mm",
                   help="the emulated printer's profile (default epson-tm-t88v-80mm)")
    _journal_dir(p)


def _journal(p: argparse.ArgumentParser) -> None:
    p.add_argument("-n", "--n", type=int, default=5_000, help="sales timed (default 5,000)")
    p.add_argument("--seed", type=int, default=1)
    _journal_dir(p)


def _report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--runs", type=int, default=3, help="timed runs of each section (default 3)")
    p.add_argument("--sales", type=int, default=1_000_000,
                   help="paid sales in the synthetic journal (default 1,000,000)")
    p.add_argument("--journal", type=Path, help="time this journal instead of a synthetic one")


def _hub(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, help="the store (default: the demo store, `pos demo`'s "
                   "generator, made once into the cache)")
    p.add_argument("--tills", type=int, default=30, help="simulated tills (default 30)")
    p.add_argument("--steady-seconds", type=float, default=60.0,
                   help="the steady phase's length (default 60 s: 90 sales with 30 tills)")
    p.add_argument("--period", type=float, default=20.0,
                   help="seconds between a till's sales in the steady phase (default 20; "
                        "less compresses the day)")
    p.add_argument("--burst-rate", type=float, default=100.0,
                   help="sales per second over all the tills in the burst (default 100)")
    p.add_argument("--burst-seconds", type=float, default=10.0, help="the burst's length (default 10)")
    p.add_argument("--drain", type=float, default=30.0,
                   help="seconds the followers are given after a phase to see every sale (default 30)")
    p.add_argument("--suggest-requests", type=int, default=100,
                   help="POST /v1/suggest requests per client (default 100)")
    p.add_argument("--suggest-pace", type=float, default=300.0, metavar="MS",
                   help="pause between an answer and a client's next request (default 300 ms)")
    p.add_argument("--reads", type=int, default=300, help="the till's timed reads per run (default 300)")
    p.add_argument("--warmup", type=int, default=20,
                   help="the till's reads at the start of each run not counted (default 20)")
    p.add_argument("--seed", type=int, default=1)
    _journal_dir(p)


def _mine(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lines", type=int, nargs="+", default=[1_000_000, 5_000_000, 20_000_000],
                   help="basket lines, one run per size (default 1M 5M 20M)")
    p.add_argument("--stores", type=int, default=100, help="stores the lines fall in (default 100)")
    p.add_argument("--engines", nargs="+", choices=("c", "duckdb", "spark"),
                   default=["c", "duckdb", "spark"], help="which engines (default all three)")
    p.add_argument("--spark-master", default="local[2]", help="Spark's master (default local[2])")
    p.add_argument("--results", type=Path,
                   help="JSON lines each finished row is appended to (default: in the cache)")
    p.add_argument("--reuse", action="store_true",
                   help="take the rows --results kept instead of running them again")


#: name -> (help, its own options, the store and call count it measures, or None)
BENCHMARKS = {
    "load": ("the nightly load against DuckDB and plain-Python pair counting", _load, None),
    "suggest": ("suggestion latency against an SQL and a plain-Python scorer", _suggest, 20_000),
    "learn": ("the day's learning: feeding sales and suggesting with the overlay", _learn, 20_000),
    "scanner": ("decode + lookup latency, a burst of reads and replugs over a pty", _scanner,
                20_000),
    "till": ("the whole till through the scanner emulator: latency, start, memory, a store swap",
             _till, 500),
    "receipt": ("printing at payment: payment to receipt bytes at the printer, and the "
                "till's scan-to-panel while printing", _receipt, 500),
    "journal": ("the journal's writes per scan and payment", _journal, None),
    "report": ("pos report over a large journal", _report, None),
    "mine": ("the chain miners per store: Spark, DuckDB and the C miner, seconds and memory",
             _mine, None),
    "hub": ("the store hub under 30 tills: pushes, the relay, memory, POST /v1/suggest, and a "
            "till's scan-to-panel with the pull running", _hub, None),
}


def add_benchmarks(sub) -> None:
    """One sub-command per benchmark under `pos bench`."""
    for name, (help_text, own, calls) in BENCHMARKS.items():
        cache = Path("/tmp/pos-bench") if name == "report" else DEFAULT_CACHE
        parents = [_common(cache)] + ([_store(calls)] if calls else [])
        p = sub.add_parser(name, help=help_text, parents=parents, description=help_text)
        own(p)
        p.set_defaults(run=run_benchmark, benchmark=name)


def run_benchmark(args) -> int:
    return importlib.import_module(f"{__package__}.{args.benchmark}_bench").run(args)
