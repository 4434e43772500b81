"""`pos report`: the manager's report over a sales journal, as a table, CSV or
JSON (pos.report; the figures are defined in docs/report.md).

A bad date or zone, or --from after --to, is wrong usage (2); a missing or
damaged journal (--journal) or store (--db) exits with 5; each message names
the option."""
from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..errors import EXIT_OK, StoreError, UsageError


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report", help="the manager's report over a sales journal (table, CSV or JSON)",
        description="Sales, average basket value, suggestions and their outcomes per kind, "
                    "card position, cashier, hour, day and experiment arm, with 95%% intervals "
                    "and tests between arms, decline reasons and bundle candidates. Training, "
                    "abandoned and open sales are left out. Definitions: docs/report.md.")
    p.add_argument("--journal", type=Path, required=True, help="the sales journal (SALES.db)")
    p.add_argument("--db", type=Path, help="the store: its locale, time zone, item names and "
                                           "deals (optional; money is in each sale's journaled "
                                           "currency)")
    p.add_argument("--from", dest="first", metavar="DATE",
                   help="first local date counted, YYYY-MM-DD (default: the first sale)")
    p.add_argument("--to", dest="last", metavar="DATE",
                   help="last local date counted, YYYY-MM-DD (default: the last sale)")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--currency", metavar="CODE",
                   help="the currency (ISO 4217, its ISO decimals) of sales journaled without "
                        "one (before journal version 4) when there is no --db")
    p.add_argument("--timezone", metavar="ZONE",
                   help="local time zone (default: the store's, else UTC)")
    p.add_argument("--min-support", type=int, default=20, metavar="N",
                   help="bundle candidates: pairs in at least N sales (default 20)")
    p.add_argument("--min-lift", type=float, default=1.5, metavar="X",
                   help="bundle candidates: lift at least X (default 1.5)")
    p.add_argument("--bundle-sales", type=int, default=100_000, metavar="N",
                   help="bundle candidates: count the latest N sales of the period "
                        "(0 = all; default 100,000)")
    p.add_argument("--no-bundles", action="store_true", help="leave out the bundle candidates")
    p.set_defaults(run=run)
    return p


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: '{value}' is not a date like 2026-11-22") from None


def _check(args):
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from ..report import Period, ReportError
    if not args.journal.is_file():
        raise ReportError(f"--journal: no sales journal at {args.journal}")
    first, last = _date(args.first, "--from"), _date(args.last, "--to")
    if first and last and first > last:
        raise UsageError(f"--from: {first} is after --to {last}")
    if args.timezone:
        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"--timezone: unknown time zone '{args.timezone}'") from None
    if args.currency:
        from ..currency import Currency, CurrencyError
        try:
            args.currency = Currency.iso(args.currency)
        except CurrencyError as exc:
            raise UsageError(f"--currency: {exc}") from None
    if args.bundle_sales < 0:
        raise UsageError("--bundle-sales: must be 0 (all) or more")
    if args.min_support < 1:
        raise UsageError("--min-support: must be at least 1")
    return Period(first, last)


def run(args) -> int:
    from ..report import ReportError, build_report
    from ..report.render import render

    period = _check(args)
    try:
        report = build_report(args.journal, args.db, period, timezone=args.timezone,
                              min_support=args.min_support, min_lift=args.min_lift,
                              with_bundles=not args.no_bundles,
                              bundle_sample=args.bundle_sales, currency=args.currency)
    except ReportError as exc:
        raise ReportError(f"--journal: {exc}") from None
    except StoreError as exc:
        raise StoreError(f"--db: {exc}") from None
    sys.stdout.write(render(report, args.format))
    return EXIT_OK
