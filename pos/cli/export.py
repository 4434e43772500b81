"""`pos export`: the till's paid sales as baskets.csv for head office (pos.export).

Exits with 0 when written, or when there is nothing new to export; a bad
--since, sales without a currency and no --db, or an output file that exists is
wrong usage (2); a journal or file that cannot be read or written gives 5.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("export", help="write the paid sales not exported yet as baskets.csv "
                                      "for head office",
                       description="Write the journal's paid sales (not training, not abandoned) "
                                   "in the dump's baskets.csv format and mark them exported. "
                                   "Re-exporting never duplicates: basket ids are the sale ids "
                                   "made on the till, and pos load counts a repeated one once.")
    p.add_argument("--journal", type=Path, required=True, help="the till's sales journal")
    p.add_argument("--db", type=Path,
                   help="the store: its currency for sales journaled without one (before "
                        "journal version 4); each sale's amounts are in its journaled currency")
    p.add_argument("--out", type=Path,
                   help="the file to write (default baskets-<till>-<UTC time>.csv here)")
    p.add_argument("--since", metavar="DATE",
                   help="re-export every paid sale since DATE (2026-11-21 = midnight UTC, or "
                        "a time with Z or an offset), exported before or not")
    p.set_defaults(run=run)


def _store_currency(db: Path | None):
    if db is None:
        return None
    from ..currency import Currency
    from ..store.reader import open_store, read_meta
    conn = open_store(db)
    try:
        return Currency.from_meta(read_meta(conn))
    finally:
        conn.close()


def run(args) -> int:
    from ..export import export_sales, parse_since

    since = parse_since(args.since) if args.since else None
    result = export_sales(args.journal, args.out, since, fallback=_store_currency(args.db))
    if result.path is None:
        print("pos export: nothing to export (every paid sale is exported already)")
    else:
        print(f"pos export: {result.sales} sales, {result.lines} lines -> {result.path}")
    return EXIT_OK
