"""`pos demo`, the main job: generate the demo dump, load it, and start the till
on it with the scanner emulator attached (F8 scans an item). `--no-till` (or no
terminal) shows the store and explained suggestions for the demo baskets instead."""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import EXIT_OK


def add_parser(sub) -> None:
    p = sub.add_parser("demo", help="build the demo store and start the till on it with the "
                                    "emulated scanner (the main job)")
    p.add_argument("--dir", type=Path, default=Path("demo"),
                   help="where the demo dump and store go (default ./demo)")
    p.add_argument("--baskets", type=int, default=40000, help="baskets in the demo history")
    p.add_argument("--lang", help="language of the till, names and reasons (default: the store's, nb)")
    p.add_argument("--no-till", action="store_true",
                   help="only show the store and suggestions for demo baskets (no terminal UI)")
    p.set_defaults(run=run)


def show_suggestions(db: Path, lang: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..demo.baskets import DEMO_BASKETS
    from ..engine import Engine

    engine = Engine.open(db, lang=lang)
    console = Console(soft_wrap=True)
    for title, basket, customer in DEMO_BASKETS:
        suggestions, unknown = engine.suggest_ex(basket, k=3, customer=customer)
        if unknown == list(basket):
            continue
        table = Table(title=f"Basket: {title} ({', '.join(basket)})", title_justify="left")
        for column in ("kind", "suggestion", "price", "why"):
            table.add_column(column, justify="right" if column == "price" else "left")
        for s in suggestions:
            price = engine.money(s.price) if s.kind != "upsell" else f"+{engine.money(s.price)}"
            table.add_row(s.kind, s.name, price, s.reason + (f"\n“{s.pitch}”" if s.pitch else ""))
        console.print(table)


def run(args) -> int:
    from ..demo import make_demo_dump
    from ..load import LoadOptions
    from .info import print_info
    from .load import load_with_console

    dump, db, journal = args.dir / "dump", args.dir / "store.db", args.dir / "sales.db"
    print(f"Generating the demo dump in {dump} ...", flush=True)
    make_demo_dump(dump, args.baskets)
    load_with_console(dump, db, LoadOptions())
    print_info(db)
    if not args.no_till and sys.stdin.isatty() and sys.stdout.isatty():
        from ..ui.launch import TillOptions, run_till
        run_till(TillOptions(db=db, journal=journal, emulator=True, lang=args.lang,
                             cashier="Demo"))
        return EXIT_OK
    show_suggestions(db, args.lang)
    print(f"\nTry your own basket: .venv/bin/pos suggest --db {db} SKU ...  (add --lang en|nb|sv|hu|he)")
    print(f"The till: .venv/bin/pos till --db {db} --journal {journal} --emulator")
    return EXIT_OK
