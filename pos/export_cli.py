"""`pos export`: the till's paid sales as baskets.csv for head office (pos.export).

Exit codes: 0 written, or nothing new to export; 2 wrong usage (a bad --since,
no currency, the output file exists); 5 the journal or the file could not be
read or written.
"""
from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_FAILED = 0, 2, 5


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write the paid sales not exported yet as baskets.csv "
                                      "for head office",
                       description="Write the journal's paid sales (not training, not abandoned) "
                                   "in the dump's baskets.csv format and mark them exported. "
                                   "Re-exporting never duplicates: basket ids are the sale ids "
                                   "made on the till, and pos load counts a repeated one once.")
    p.add_argument("--journal", type=Path, required=True, help="the till's sales journal")
    p.add_argument("--db", type=Path, help="the store, for its currency (or give --currency)")
    p.add_argument("--currency", help="the currency code, e.g. NOK (default: the store's)")
    p.add_argument("--out", type=Path,
                   help="the file to write (default baskets-<till>-<UTC time>.csv here)")
    p.add_argument("--since", metavar="DATE",
                   help="re-export every paid sale since DATE (2026-11-21 = midnight UTC, or "
                        "a time with Z or an offset), exported before or not")
    p.set_defaults(run=run)


def _currency(args) -> str | None:
    if args.currency:
        return args.currency.upper()
    if args.db is None:
        return None
    from .store.reader import open_store, read_meta
    conn = open_store(args.db)
    try:
        return str(read_meta(conn).get("currency") or "EUR")
    finally:
        conn.close()


def run(args) -> int:
    from .errors import StoreError
    from .export import ExportError, ExportFailed, export_sales, parse_since
    from .journal import JournalError

    try:
        since = parse_since(args.since) if args.since else None
        currency = _currency(args)
        if currency is None:
            print("pos export: give --db STORE.db (for its currency) or --currency CODE",
                  file=sys.stderr)
            return EXIT_USAGE
        result = export_sales(args.journal, currency, args.out, since)
    except (ExportFailed, JournalError, StoreError) as exc:
        print(f"pos export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except ExportError as exc:
        print(f"pos export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if result.path is None:
        print("pos export: nothing to export (every paid sale is exported already)")
    else:
        print(f"pos export: {result.sales} sales, {result.lines} lines -> {result.path}")
    return EXIT_OK
