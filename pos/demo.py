"""The main job: generate the demo dump, load it, and start the till on it with
the scanner emulator attached (F8 scans an item). `--no-till` (or no terminal)
shows the store and explained suggestions for a few demo baskets instead."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Callable

from .demo_baskets import DEMO_BASKETS

GENERATOR = Path(__file__).resolve().parents[1] / "scripts" / "make-demo-store"


def show_suggestions(db: Path, lang: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from .engine import Engine

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


def run_demo(directory: Path, baskets: int, pos_main: Callable[[list[str]], int],
             lang: str | None = None, till: bool = True) -> int:
    """``pos_main``: the `pos` command's main, which runs the load and `pos info`
    (handed in by pos/cli.py, so that this module does not import it back)."""
    dump, db = directory / "dump", directory / "store.db"
    print(f"Generating the demo dump in {dump} ...", flush=True)
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(dump), "--baskets", str(baskets),
                    "--export-time", "now"], check=True)
    code = pos_main(["load", str(dump), "--db", str(db)]) or pos_main(["info", "--db", str(db)])
    if code:
        return code
    if till and sys.stdin.isatty() and sys.stdout.isatty():
        from argparse import Namespace

        from .till_cli import run as run_till
        return run_till(Namespace(db=db, journal=directory / "sales.db", scanner=None, wedge=False,
                                  emulator=True, profile="generic-cr", lang=lang, config=None,
                                  cashier="Demo", training=False))
    show_suggestions(db, lang)
    print(f"\nTry your own basket: .venv/bin/pos suggest --db {db} SKU ...  (add --lang en|nb|sv|hu|he)")
    print(f"The till: .venv/bin/pos till --db {db} --journal {directory / 'sales.db'} --emulator")
    return 0
