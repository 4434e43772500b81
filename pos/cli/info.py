"""`pos info --db STORE.db`: what a published store holds (store, export time,
counts, the scorer its backtest chose), as a table or JSON."""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("info", help="show what a store holds: store, export time, counts")
    p.add_argument("--db", type=Path, required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def print_info(db: Path, as_json: bool = False) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..store.reader import store_summary

    summary = store_summary(db)
    if as_json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{summary['store_name']} ({db})", show_header=False)
    for key, value in summary.items():
        table.add_row(key, f"{value:,}" if isinstance(value, int) else str(value))
    Console().print(table)


def run(args) -> int:
    print_info(args.db, args.json)
    return EXIT_OK
