"""`pos report`: the manager's report over a sales journal, as a table, CSV or
JSON (pos.report; the figures are defined in docs/report.md).

A bad date or zone, or --from after --to, is wrong usage (2); a missing or
damaged journal (--journal) or store (--db) exits with 5; each message names
the option. With --hub the hub makes the report of the whole store (its sales
journal) and this prints it: a hub that cannot be reached exits with 5, a token
it refuses with 6."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import EXIT_OK, StoreError


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "report", help="the manager's report over a sales journal (table, CSV or JSON)",
        description="Sales, average basket value, suggestions and their outcomes per kind, "
                    "card position, cashier, hour, day and experiment arm, with 95%% intervals "
                    "and tests between arms, decline reasons and bundle candidates. Training, "
                    "abandoned and open sales are left out. Definitions: docs/report.md.")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--journal", type=Path, help="the sales journal (SALES.db; on the hub: "
                                                    "HUB_DIR/sales.db, the whole store's)")
    where.add_argument("--hub", metavar="URL",
                       help="the store hub's report of the whole store (docs/hub.md), with "
                            "--token-file or $POS_HUB_TOKEN")
    p.add_argument("--token-file", type=Path, metavar="FILE",
                   help="with --hub: a file holding a token `pos hub enroll` printed")
    p.add_argument("--ca", type=Path, metavar="FILE",
                   help="with an https --hub: the certificate (or its CA) to trust, PEM "
                        "(default: the system's)")
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


def run(args) -> int:
    from ..report import ReportError
    from ..report.options import ReportOptions, report_text

    options = ReportOptions.parse(args.first, args.last, args.timezone, args.format,
                                  args.min_support, args.min_lift, args.bundle_sales,
                                  not args.no_bundles, args.currency)
    if args.hub is not None:
        from ..hub.remote import fetch_report, read_token, verify_with
        sys.stdout.write(fetch_report(args.hub, read_token(args.token_file), options,
                                      verify=verify_with(args.ca)))
        return EXIT_OK
    if not args.journal.is_file():
        raise ReportError(f"--journal: no sales journal at {args.journal}")
    try:
        text = report_text(args.journal, args.db, options)
    except ReportError as exc:
        raise ReportError(f"--journal: {exc}") from None
    except StoreError as exc:
        raise StoreError(f"--db: {exc}") from None
    sys.stdout.write(text)
    return EXIT_OK
