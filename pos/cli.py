"""The `pos` command: one subcommand per job (load, info, demo, bench).

Exit codes (also in README):
  0  success
  1  unexpected internal error (a bug: report it with the output)
  2  wrong usage (unknown option, missing argument)
  3  the dump was refused: missing file or column, too many bad rows, unreadable data
  4  another load is running on the same store
  5  the store could not be written, checked or published (disk full, corrupt store)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_BUG, EXIT_USAGE, EXIT_REFUSED, EXIT_BUSY, EXIT_STORE = 0, 1, 2, 3, 4, 5


def _fraction(text: str) -> float:
    """'1%' or '0.01' -> 0.01."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a fraction like 1% or 0.01") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not between 0% and 100%")
    return value


def _count(minimum: int):
    """An argparse type: a whole number >= minimum."""
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' is below {minimum}")
        return value
    return parse


def _add_load(sub) -> None:
    p = sub.add_parser("load", help="load a head-office dump into a store and publish it",
                       description="Validate a dump, mine its baskets and publish the store. "
                                   "A refused or failed load leaves the published store as it was.")
    p.add_argument("dump", type=Path, help="the dump directory (see docs/dump-format.md)")
    p.add_argument("--db", type=Path, required=True, help="the store file to publish")
    p.add_argument("--max-bad-rows", type=_fraction, default=0.01, metavar="FRACTION",
                   help="refuse the load when more than this share of a file's rows is bad "
                        "(default 1%%)")
    p.add_argument("--rejects", type=Path, help="where rejected rows go "
                                                "(default STORE.db.rejects.csv)")
    p.add_argument("--half-life", type=float, default=180.0, metavar="DAYS",
                   help="recency: a basket's weight halves every DAYS before the export "
                        "(0 = off; default 180)")
    p.add_argument("--top-n", type=int, default=100, help="neighbours kept per item (default 100)")
    p.add_argument("--size-cap", type=int, default=30,
                   help="baskets above this many items are weighted down (default 30)")
    p.add_argument("--min-count", type=int, default=1,
                   help="a pair must co-occur in at least this many baskets (default 1)")
    p.add_argument("--rank-damping", type=float, metavar="BETA",
                   help="rank each item's partners by damped confidence conf/p^BETA instead "
                        "of added value (docs/mining.md; default: added value)")
    p.add_argument("--list-rank", choices=["added-value", "damped", "balanced"],
                   help="how each item's partners are ranked: added value, damped confidence "
                        "(needs --rank-damping) or balanced (the best by confidence and by "
                        "lift both kept; docs/mining.md; default: added value, or damped "
                        "with --rank-damping)")
    p.add_argument("--no-backtest", action="store_true",
                   help="do not backtest the scorers on the latest baskets: the till uses "
                        "the default scorer (or store.toml's [engine] variant)")
    p.add_argument("--backtest-sample", type=_count(20), default=500, metavar="N",
                   help="test baskets per backtest slice, at most (default 500)")
    p.add_argument("--recent-baskets", type=_count(0), default=200_000, metavar="N",
                   help="the latest baskets kept for the similar-baskets scorer "
                        "(default 200,000; 0 = none)")
    p.add_argument("--config", type=Path, metavar="STORE_TOML",
                   help="the store's store.toml: its [currency] exponent is used when the "
                        "dump's manifest.json gives no currency_exponent (docs/dump-format.md)")
    p.add_argument("--quiet", action="store_true", help="no progress bars or summary")
    p.add_argument("--log", type=Path, help="append one line about this run to this file")
    p.add_argument("--json-report", type=Path, metavar="FILE",
                   help="write the summary (counts, rejects, seconds per step) as JSON")
    p.set_defaults(run=run_load)


def _add_info(sub) -> None:
    p = sub.add_parser("info", help="show what a store holds: store, export time, counts")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run_info)


def _add_demo(sub) -> None:
    p = sub.add_parser("demo", help="build the demo store and start the till on it with the "
                                    "emulated scanner (the main job)")
    p.add_argument("--dir", type=Path, default=Path("demo"),
                   help="where the demo dump and store go (default ./demo)")
    p.add_argument("--baskets", type=int, default=40000, help="baskets in the demo history")
    p.add_argument("--lang", help="language of the till, names and reasons (default: the store's, nb)")
    p.add_argument("--no-till", action="store_true",
                   help="only show the store and suggestions for demo baskets (no terminal UI)")
    p.set_defaults(run=run_demo)


def _add_bench(sub) -> None:
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
    p.set_defaults(run=run_bench)


def _add_suggest(sub) -> None:
    p = sub.add_parser("suggest", help="suggestions for a basket (a table, JSON, or JSON lines)")
    p.add_argument("--db", type=Path, required=True, help="the store")
    p.add_argument("--k", type=int, default=3, help="how many suggestions (default 3)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--jsonl", action="store_true",
                   help='read {"basket": [...], "customer": ..., "declined": [...]} per stdin '
                        "line, write one JSON line each")
    p.add_argument("--customer", help="the loyalty customer's id")
    p.add_argument("--declined", nargs="*", metavar="SKU", help="skus the customer said no to")
    p.add_argument("--lang", help="language of names and pitches (default: the store's)")
    p.add_argument("skus", nargs="*", metavar="SKU", help="the basket")
    p.set_defaults(run=run_suggest)


def run_suggest(args) -> int:
    from .suggest_cli import run
    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pos", description="Suggestion terminal for shop tills.",
                                     epilog="Exit codes: 0 ok, 1 bug, 2 usage, 3 dump refused, "
                                            "4 another load running, 5 store not written.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    from .eval_cli import add_parser as _add_eval
    from .export_cli import add_parser as _add_export
    from .report_cli import add_parser as _add_report
    from .scanner_cli import add_parser as _add_scanner
    from .till_cli import add_parser as _add_till
    for add in (_add_load, _add_info, _add_demo, _add_till, _add_suggest, _add_eval, _add_bench,
                _add_scanner, _add_report, _add_export):
        add(sub)
    return parser


def _log_line(path: Path | None, fields: dict) -> None:
    if path is None:
        return
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    parts = [stamp, "pos-load"] + [f"{k}={json.dumps(v) if isinstance(v, str) and ' ' in v else v}"
                                   for k, v in fields.items()]
    with path.open("a", encoding="utf-8") as handle:
        handle.write(" ".join(parts) + "\n")


def run_load(args) -> int:
    from rich.console import Console

    from .console import BarProgress, backtest_table, summary_table, timing_table
    from .errors import DumpError, LoadBusy, LoadRefused, StoreError
    from .load import LoadOptions, load_dump
    from .mining import MineParams
    from .progress import NullProgress

    from .till.config import ConfigError, currency_exponent

    err = Console(stderr=True, soft_wrap=True)
    try:  # the list ranking's options, checked before the dump is read
        MineParams(rank_damping=args.rank_damping, list_rank=args.list_rank)
    except ValueError as exc:
        err.print(f"[bold red]pos load:[/] --list-rank / --rank-damping: {exc}", highlight=False)
        return EXIT_USAGE
    try:
        exponent = currency_exponent(args.config) if args.config else None
    except ConfigError as exc:
        err.print(f"[bold red]pos load: refused:[/] {exc}", highlight=False)
        err.print("The published store is unchanged.")
        return EXIT_REFUSED
    options = LoadOptions(max_bad_rows=args.max_bad_rows, top_n=args.top_n,
                          half_life_days=args.half_life, size_cap=args.size_cap,
                          min_count=args.min_count, rank_damping=args.rank_damping,
                          list_rank=args.list_rank,
                          rejects=args.rejects, currency_exponent=exponent,
                          backtest=not args.no_backtest, backtest_sample=args.backtest_sample,
                          recent_baskets=args.recent_baskets)
    progress = NullProgress() if args.quiet else BarProgress(err)
    started = time.perf_counter()
    base = {"dump": str(args.dump), "db": str(args.db)}
    try:
        if args.quiet:
            report = load_dump(args.dump, args.db, options, progress)
        else:
            with progress:
                report = load_dump(args.dump, args.db, options, progress)
    except (DumpError, LoadRefused, LoadBusy, StoreError, OSError) as exc:
        code = (EXIT_BUSY if isinstance(exc, LoadBusy) else
                EXIT_REFUSED if isinstance(exc, (DumpError, LoadRefused)) else EXIT_STORE)
        status = {EXIT_BUSY: "busy", EXIT_REFUSED: "refused", EXIT_STORE: "failed"}[code]
        message = str(exc) if not isinstance(exc, OSError) else f"{exc.strerror}: {exc.filename}"
        err.print(f"[bold red]pos load: {status}:[/] {message}", highlight=False)
        err.print("The published store is unchanged.")
        _log_line(args.log, {"status": status, **base, "exit": code,
                             "seconds": f"{time.perf_counter() - started:.1f}", "reason": message})
        return code
    out = Console(soft_wrap=True)
    for note in report.notes:
        err.print(f"note: {note}", highlight=False)
    for problem in report.problems[:20]:
        err.print(str(problem), highlight=False, markup=False)
    if report.problem_count > 20:
        err.print(f"... and {report.problem_count - 20:,} more problems")
    if report.problem_count:
        err.print(f"Rejected rows with their problems: {report.rejects}")
    if args.json_report:
        args.json_report.write_text(json.dumps({
            "db": str(report.db), "outcome": report.outcome, "counts": report.counts,
            "rows": report.rows, "rejected": report.rejected, "seconds": report.seconds,
            "rejects_file": str(report.rejects) if report.problem_count else None,
            "backtest": json.loads(report.backtest.to_json()) if report.backtest else None},
            indent=2))
    if not args.quiet:
        out.print(summary_table(report))
        out.print(timing_table(report.seconds, time.perf_counter() - started))
        if report.backtest is not None:
            out.print(backtest_table(report.backtest))
            out.print(f"Backtest: {report.backtest.summary_line()}", highlight=False)
    _log_line(args.log, {"status": "ok", **base, "exit": EXIT_OK,
                         "products": report.counts.get("products"),
                         "baskets": report.counts.get("baskets"),
                         "pairs": report.counts.get("pairs"),
                         "rejected": sum(report.rejected.values()),
                         "seconds": f"{time.perf_counter() - started:.1f}"})
    return EXIT_OK


def run_info(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from .errors import StoreError
    from .store.reader import store_summary

    try:
        summary = store_summary(args.db)
    except StoreError as exc:
        Console(stderr=True).print(f"[bold red]pos info:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_STORE
    if args.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return EXIT_OK
    table = Table(title=f"{summary['store_name']} ({args.db})", show_header=False)
    for key, value in summary.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    Console().print(table)
    return EXIT_OK


def run_demo(args) -> int:
    from .demo import run_demo as demo
    return demo(args.dir, args.baskets, main, args.lang, till=not args.no_till)


def run_bench(args) -> int:
    if args.n is None:
        args.n = {"till": 500, "journal": 5_000}.get(args.what, 20_000)
    if args.what == "suggest":
        from .bench.suggest_bench import run
    elif args.what == "scanner":
        from .bench.scanner_bench import run
    elif args.what == "till":
        from .bench.till_bench import run
    elif args.what == "report":
        from .bench.report_bench import run
    elif args.what == "learn":
        from .bench.learn_bench import run
    elif args.what == "journal":
        from .bench.journal_bench import run
    else:
        from .bench.load_bench import run
    return run(args)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted; the published store is unchanged", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
