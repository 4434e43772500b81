"""`pos bench WHAT`: the benchmarks that print a table against their targets and
named baselines (pos.bench; docs/benchmarks.md holds the latest tables)."""
from __future__ import annotations

import importlib
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks that print a table (load, suggest, scanner, till, "
                                            "report, learn, journal)")
    p.add_argument("what", choices=["load", "suggest", "scanner", "till", "report", "learn",
                                    "journal"],
                   help="what to measure")
    p.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "pos-bench",
                   help="where generated and converted dumps are kept between runs")
    p.add_argument("--baskets", type=int, default=1_000_000)
    p.add_argument("--items", type=int, default=100_000)
    p.add_argument("--python-seconds", type=float, default=120.0,
                   help="time limit for the plain-Python counter on the big dump "
                        "(beyond it the figure is extrapolated, and says so)")
    p.add_argument("--markdown", type=Path, help="also write the table to this file")
    g = p.add_argument_group("suggest")
    g.add_argument("--dump", type=Path, help="the dump whose baskets are sampled (default: "
                   "the cached synthetic dump of `pos bench load`)")
    g.add_argument("--db", type=Path, help="the store (default: the dump, loaded once into "
                   "the cache)")
    g.add_argument("-n", "--n", type=int, help="baskets timed (default 20,000); till: reads per "
                   "run (default 500)")
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("-k", type=int, default=3)
    g.add_argument("--pool", type=int, default=200_000,
                   help="the first POOL baskets of baskets.csv are sampled")
    g.add_argument("--sql-n", type=int, default=2_000, help="baskets timed for the SQL baseline")
    g.add_argument("--open-repeats", type=int, default=3)
    g = p.add_argument_group("learn (also --db, --dump, -n, --seed, -k, --pool)")
    g.add_argument("--day-sales", type=int, default=10_000,
                   help="the day's sales fed to the overlay (default 10,000)")
    g = p.add_argument_group("scanner")
    g.add_argument("--burst-rate", type=float, default=50.0, help="reads per second (default 50)")
    g.add_argument("--burst-seconds", type=float, default=10.0, help="burst length (default 10)")
    g.add_argument("--replugs", type=int, default=10, help="unplug/replug rounds (default 10)")
    g.add_argument("--unplugged", type=float, default=1.0,
                   help="seconds the scanner stays unplugged each round (default 1)")
    g = p.add_argument_group("till (also --db, --dump, -n, --seed)")
    g.add_argument("--runs", type=int, default=3,
                   help="latency runs, each in a fresh process (default 3)")
    g.add_argument("--warmup", type=int, default=20,
                   help="reads at the start of each run not counted (default 20)")
    g.add_argument("--starts", type=int, default=5,
                   help="start-to-ready-to-scan runs, each a fresh process (default 5)")
    g.add_argument("--pace", type=float, default=0.0, metavar="MS",
                   help="till: pause between a read's painted panel and the next read, as a "
                        "cashier's pace (default 0: back to back)")
    g.add_argument("--profile", default="generic-cr",
                   help="the emulated scanner's device profile (default generic-cr)")
    g.add_argument("--variant", metavar="NAME",
                   help="till: force this scorer variant (as store.toml's [engine] variant; "
                        "default: the store's backtest choice)")
    g.add_argument("--journal-dir", type=Path,
                   help="where the fresh journals go (default: the system's temp directory); "
                        "also journal's")
    g = p.add_argument_group("report (also --runs; --cache defaults to /tmp/pos-bench)")
    g.add_argument("--sales", type=int, default=1_000_000,
                   help="paid sales in the synthetic journal (default 1,000,000)")
    g.add_argument("--journal", type=Path, help="time this journal instead of a synthetic one")
    p.set_defaults(run=run)


def run(args) -> int:
    if args.n is None:
        args.n = {"till": 500, "journal": 5_000}.get(args.what, 20_000)
    return importlib.import_module(f"pos.bench.{args.what}_bench").run(args)
