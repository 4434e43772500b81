"""`pos suggest`: suggestions for one basket (a table or JSON), or for one basket
per stdin line (`--jsonl`, one output line per input line; pos.suggest_json)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import EXIT_OK, UsageError


def add_parser(sub) -> None:
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
    p.set_defaults(run=run)


def run(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..engine import Engine
    from ..suggest_json import full_dict, run_jsonl, warnings

    if args.jsonl and args.skus:
        raise UsageError("--jsonl reads the baskets from stdin; give no skus")
    if not args.jsonl and not args.skus:
        raise UsageError("give the basket's skus (or --jsonl)")
    engine = Engine.open(args.db, lang=args.lang)
    if args.jsonl:
        run_jsonl(engine, args.k, sys.stdin, sys.stdout)
        return EXIT_OK
    result, unknown = engine.suggest_ex(args.skus, k=args.k, customer=args.customer,
                                        declined=args.declined or ())
    if args.json:
        out: dict[str, object] = {"suggestions": [full_dict(s) for s in result]}
        if unknown:
            out["warnings"] = warnings(unknown)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return EXIT_OK
    err = Console(stderr=True, soft_wrap=True)
    for warning in warnings(unknown):
        err.print(f"warning: {warning}", highlight=False, markup=False)
    table = Table(title=f"Suggestions for {', '.join(args.skus)}")
    for column in ("#", "kind", "sku", "name", "price", "reason"):
        table.add_column(column, overflow="fold")
    for rank, s in enumerate(result, 1):
        price = ("+" if s.kind == "upsell" else "") + engine.money(s.price)
        table.add_row(str(rank), s.kind, s.sku, s.name, price, s.reason, style=None)
    if not result:
        err.print("no suggestions for this basket")
    Console(soft_wrap=True).print(table)
    return EXIT_OK
