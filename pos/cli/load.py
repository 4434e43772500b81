"""`pos load DUMP --db STORE.db`: validate a dump, mine its baskets and publish
the store (pos.load), with progress bars, a summary and a line in --log.

`load_with_console` is the same load as `pos demo` shows it."""
from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import EXIT_BUSY, EXIT_OK, EXIT_REFUSED, PosError, StoreError, UsageError
from .types import amount, iso_time, positive, share, whole_number

#: the word --log writes for each exit code
STATUS = {EXIT_OK: "ok", EXIT_REFUSED: "refused", EXIT_BUSY: "busy"}


def add_parser(sub) -> None:
    p = sub.add_parser("load", help="load a head-office dump into a store and publish it",
                       description="Validate a dump, mine its baskets and publish the store. "
                                   "A refused or failed load leaves the published store as it was.")
    p.add_argument("dump", type=Path, help="the dump directory (see docs/dump-format.md)")
    p.add_argument("--db", type=Path, required=True, help="the store file to publish")
    p.add_argument("--max-bad-rows", type=share, default=0.01, metavar="FRACTION",
                   help="refuse the load when more than this share of a file's rows is bad "
                        "(default 1%%)")
    p.add_argument("--rejects", type=Path, help="where rejected rows go "
                                                "(default STORE.db.rejects.csv)")
    add_mining_arguments(p, "the export")
    p.add_argument("--mined", choices=["use", "blend", "ignore"],
                   help="what to do with the dump's mined/ lists from head office: use them "
                        "instead of mining, blend them under this store's baskets, or ignore "
                        "them (default: use a store's own, blend a region's or the chain's; "
                        "docs/mining.md)")
    p.add_argument("--prior-weight", type=positive, default=1.0, metavar="X",
                   help="a blended region's or chain's lists weigh X times this store's own "
                        "baskets (default 1)")
    p.add_argument("--no-backtest", action="store_true",
                   help="do not backtest the scorers on the latest baskets: the till uses "
                        "the default scorer (or store.toml's [engine] variant)")
    p.add_argument("--backtest-sample", type=whole_number(20), default=500, metavar="N",
                   help="test baskets per backtest slice, at most (default 500)")
    p.add_argument("--recent-baskets", type=whole_number(0), default=200_000, metavar="N",
                   help="the latest baskets kept for the similar-baskets scorer "
                        "(default 200,000; 0 = none)")
    p.add_argument("--config", type=Path, metavar="STORE_TOML",
                   help="the store's store.toml: its [currency] exponent is used when the "
                        "dump's manifest.json gives no currency_exponent (docs/dump-format.md)")
    p.add_argument("--earliest", type=iso_time, default="2000-01-01", metavar="TIME",
                   help="baskets before this time (store local time) are bad rows "
                        "(default 2000-01-01)")
    p.add_argument("--clock-slack", type=whole_number(0), default=60, metavar="MINUTES",
                   help="baskets later than the dump's export time plus this are bad rows "
                        "(default 60)")
    p.add_argument("--max-quantity", type=positive, default=100_000, metavar="N",
                   help="a basket line of more units than this is a bad row (default 100,000)")
    p.add_argument("--max-weight", type=positive, default=10_000, metavar="KG",
                   help="a basket line of a weighed item above this is a bad row "
                        "(default 10,000 kg)")
    p.add_argument("--max-price", type=amount, metavar="AMOUNT",
                   help="a catalog price or cost above this (major units) is a bad row "
                        "(default 10^10 minor units: 100,000,000.00 with 2 decimals)")
    p.add_argument("--quiet", action="store_true", help="no progress bars or summary")
    p.add_argument("--log", type=Path, help="append one line about this run to this file")
    p.add_argument("--json-report", type=Path, metavar="FILE",
                   help="write the summary (counts, rejects, seconds per step) as JSON")
    p.set_defaults(run=run)


def add_mining_arguments(p, recency_from: str) -> None:
    """--half-life, --top-n, --size-cap, --min-count and the list ranking: how
    baskets are weighted and lists kept (pos load, and pos mine for head office)."""
    p.add_argument("--half-life", type=float, default=180.0, metavar="DAYS",
                   help=f"recency: a basket's weight halves every DAYS before {recency_from} "
                        "(0 = off; default 180)")
    p.add_argument("--top-n", type=int, default=100, help="neighbours kept per item (default 100)")
    p.add_argument("--size-cap", type=int, default=30,
                   help="baskets above this many items are weighted down (default 30)")
    p.add_argument("--min-count", type=int, default=1,
                   help="a pair must co-occur in at least this many baskets (default 1)")
    add_list_rank_arguments(p)


def add_list_rank_arguments(p) -> None:
    """--rank-damping and --list-rank: how the store's lists are ranked (pos load,
    and the train stores of pos eval)."""
    p.add_argument("--rank-damping", type=float, metavar="BETA",
                   help="rank each item's partners by damped confidence conf/p^BETA instead "
                        "of added value (docs/mining.md; default: added value)")
    p.add_argument("--list-rank", choices=["added-value", "damped", "balanced"],
                   help="how each item's partners are ranked: added value, damped confidence "
                        "(needs --rank-damping) or balanced (the best by confidence and by "
                        "lift both kept; docs/mining.md; default: added value, or damped "
                        "with --rank-damping)")


def check_list_rank(rank_damping: float | None, list_rank: str | None) -> None:
    """The list ranking's options, checked before any dump is read."""
    from ..mining import MineParams
    try:
        MineParams(rank_damping=rank_damping, list_rank=list_rank)
    except ValueError as exc:
        raise UsageError(f"--list-rank / --rank-damping: {exc}") from None


def _log_line(path: Path | None, fields: dict) -> None:
    if path is None:
        return
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    parts = [stamp, "pos-load"] + [f"{k}={json.dumps(v) if isinstance(v, str) and ' ' in v else v}"
                                   for k, v in fields.items()]
    with path.open("a", encoding="utf-8") as handle:
        handle.write(" ".join(parts) + "\n")


def load_with_console(dump: Path, db: Path, options, quiet: bool = False):
    """Runs the load with progress bars on stderr (none when `quiet`), then prints
    its notes, problems, summary, step times and backtest. Returns the
    LoadReport; raises a PosError (StoreError for an OSError) when the load
    fails, with a note that the published store is unchanged."""
    from rich.console import Console

    from ..console import BarProgress, backtest_table, sources_table, summary_table, timing_table
    from ..load import load_dump
    from ..progress import NullProgress

    err = Console(stderr=True, soft_wrap=True)
    started = time.perf_counter()
    try:
        if quiet:
            report = load_dump(dump, db, options, NullProgress())
        else:
            with BarProgress(err) as progress:
                report = load_dump(dump, db, options, progress)
    except (PosError, OSError) as exc:
        error = exc if isinstance(exc, PosError) else StoreError(f"{exc.strerror}: {exc.filename}")
        error.add_note("the published store is unchanged")
        raise error from None
    for note in report.notes:
        err.print(f"note: {note}", highlight=False)
    for problem in report.problems[:20]:
        err.print(str(problem), highlight=False, markup=False)
    if report.problem_count > 20:
        err.print(f"... and {report.problem_count - 20:,} more problems")
    if report.problem_count:
        err.print(f"Rejected rows with their problems: {report.rejects}")
    if not quiet:
        out = Console(soft_wrap=True)
        out.print(summary_table(report))
        out.print(timing_table(report.seconds, time.perf_counter() - started))
        if report.backtest is not None:
            out.print(backtest_table(report.backtest))
            if report.backtest.sources:
                out.print(sources_table(report.backtest))
            out.print(f"Backtest: {report.backtest.summary_line()}", highlight=False)
    return report


def run(args) -> int:
    from ..dump.plausible import Plausibility
    from ..load import LoadOptions
    from ..till.config import currency_exponent

    check_list_rank(args.rank_damping, args.list_rank)
    started = time.perf_counter()
    base = {"dump": str(args.dump), "db": str(args.db)}
    try:
        exponent = currency_exponent(args.config) if args.config else None
        options = LoadOptions(max_bad_rows=args.max_bad_rows, top_n=args.top_n,
                              half_life_days=args.half_life, size_cap=args.size_cap,
                              min_count=args.min_count, rank_damping=args.rank_damping,
                              list_rank=args.list_rank, rejects=args.rejects,
                              currency_exponent=exponent, backtest=not args.no_backtest,
                              backtest_sample=args.backtest_sample,
                              recent_baskets=args.recent_baskets,
                              mined=args.mined, prior_weight=args.prior_weight,
                              plausible=Plausibility(
                                  earliest=args.earliest, clock_slack_s=args.clock_slack * 60,
                                  max_quantity=args.max_quantity, max_weight=args.max_weight,
                                  max_price=args.max_price))
        report = load_with_console(args.dump, args.db, options, args.quiet)
    except PosError as exc:
        _log_line(args.log, {"status": STATUS.get(exc.exit_code, "failed"), **base,
                             "exit": exc.exit_code,
                             "seconds": f"{time.perf_counter() - started:.1f}",
                             "reason": str(exc)})
        raise
    if args.json_report:
        args.json_report.write_text(json.dumps({
            "db": str(report.db), "outcome": report.outcome, "counts": report.counts,
            "rows": report.rows, "rejected": report.rejected, "seconds": report.seconds,
            "rejects_file": str(report.rejects) if report.problem_count else None,
            "backtest": json.loads(report.backtest.to_json()) if report.backtest else None},
            indent=2))
    _log_line(args.log, {"status": "ok", **base, "exit": EXIT_OK,
                         "products": report.counts.get("products"),
                         "baskets": report.counts.get("baskets"),
                         "pairs": report.counts.get("pairs"),
                         "rejected": sum(report.rejected.values()),
                         "seconds": f"{time.perf_counter() - started:.1f}"})
    return EXIT_OK
