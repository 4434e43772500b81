"""`pos demo`, the main job: generate the demo dump, load it, and start the till
on it with the scanner emulator attached (F8 scans an item), the receipt printer
emulator (each receipt a text file in DIR/receipts/) and the customer display
emulator (its two lines in DIR/display.txt), as DIR/store.toml names them.
`--no-till` (or no terminal) shows the store and explained suggestions for the
demo baskets instead, and prints one demo sale's receipt through the printer
emulator."""
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


class DemoPeripherals:
    """The demo till's receipt printer and customer display, emulated (pos_hardware):
    the printer writes each receipt it cuts to `out/receipts/receipt-NNNN.txt`, the
    display its two lines to `out/display.txt` whenever they change; `store_toml`
    writes the store.toml that sends the till to them."""

    def __init__(self, out: Path, lang: str | None) -> None:
        from pos_hardware.display_emulator import DisplayEmulator
        from pos_hardware.printer_emulator import PrinterEmulator

        self.receipts = out / "receipts"
        self.receipts.mkdir(parents=True, exist_ok=True)
        for old in self.receipts.glob("receipt-*.txt"):
            old.unlink()
        hebrew = lang == "he"
        self.printer_profile = "epson-tm-t88v-80mm-hebrew" if hebrew else \
            "epson-tm-t88v-80mm-pc852" if lang == "hu" else "epson-tm-t88v-80mm"
        # a CD5220 set to Hebrew (PC862); else an Epson DM-D110 in PC858 (the Nordic letters, €)
        self.display_set = ("cd5220", "CP862") if hebrew else ("escpos", "CP858")
        self.display_file = out / "display.txt"
        self.printer = PrinterEmulator(self.printer_profile, out_dir=self.receipts).start()
        self.display = DisplayEmulator(*self.display_set, on_change=self._shown).start()

    def _shown(self, lines: tuple[str, str]) -> None:
        edge = "+" + "-" * 20 + "+"
        text = "\n".join([edge, *(f"|{line}|" for line in lines), edge]) + "\n"
        try:
            self.display_file.write_text(text, encoding="utf-8")
        except OSError:
            pass                    # a demo's mirror of the display: the till goes on

    def store_toml(self, path: Path) -> Path:
        protocol, code_page = self.display_set
        path.write_text(
            "# written by `pos demo` for the emulated devices of this run (docs/receipts.md)\n"
            '[till]\nid = "demo-1"\n'
            f'[printer]\nurl = "{self.printer.url}"\nprofile = "{self.printer_profile}"\n'
            f'[display]\nurl = "{self.display.url}"\nprotocol = "{protocol}"\n'
            f'code_page = "{code_page}"\n', encoding="utf-8")
        return path

    def close(self) -> None:
        self.printer.close()
        self.display.close()


def print_demo_sale(db: Path, out: Path, lang: str | None) -> Path | None:
    """One sale on the till's controller, paid and printed through the printer
    emulator: the loyalty customer of the demo baskets with their pasta and a
    breakfast. Shows the receipt as the emulator read it; its file, or None (also
    when the emulators' package, pos_hardware, is not installed: said and skipped)."""
    from ..demo.baskets import DEMO_BASKETS
    from ..journal import Journal
    from ..receipt.spool import ReceiptSpooler
    from ..till.config import load_config
    from ..till.session import Till

    try:
        devices = DemoPeripherals(out, lang)
    except ImportError as exc:
        print(f"\nNo demo receipt: the printer emulator is not installed ({exc}).")
        return None
    journal_path = out / "demo-sale.db"
    for stale in (journal_path, *journal_path.parent.glob(journal_path.name + "-*")):
        stale.unlink(missing_ok=True)
    try:
        config = load_config(devices.store_toml(out / "store.toml"), lang=lang, cashier="Demo")
        journal = Journal(journal_path, till=config.till_id)
        till = Till(db, journal, config)
        try:
            customer = next(c for _, _, c in DEMO_BASKETS if c)
            till.identify(customer)
            for _, skus, _ in DEMO_BASKETS[1:]:
                for sku in skus:
                    till.add_sku(sku)
            till.pay()
            ReceiptSpooler(devices.printer.url, journal_path, config.till_id).print_once()
        finally:
            till.close()
            journal.close()
        if not devices.printer.wait_cuts(1, 10):
            print("The demo sale's receipt did not reach the printer emulator.")
            return None
    finally:
        devices.close()
    printed = sorted(devices.receipts.glob("receipt-*.txt"))
    if printed:
        print(f"\nA demo sale, printed by the emulated printer ({printed[-1]}):\n")
        print(printed[-1].read_text(encoding="utf-8"))
    return printed[-1] if printed else None


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
        devices = DemoPeripherals(args.dir, args.lang)
        print(f"Receipts go to {devices.receipts}/ (a text file each), the customer display to "
              f"{devices.display_file} (watch it: watch -n1 cat {devices.display_file})", flush=True)
        try:
            config = devices.store_toml(args.dir / "store.toml")
            run_till(TillOptions(db=db, journal=journal, emulator=True, lang=args.lang,
                                 cashier="Demo", config=config))
        finally:
            devices.close()
        printed = sorted(devices.receipts.glob("receipt-*.txt"))
        print(f"Receipts printed by the emulated printer: {len(printed)} in {devices.receipts}/"
              + (f" (the last: {printed[-1]})" if printed else ""))
        return EXIT_OK
    show_suggestions(db, args.lang)
    print_demo_sale(db, args.dir, args.lang)
    print(f"\nTry your own basket: .venv/bin/pos suggest --db {db} SKU ...  (add --lang en|nb|sv|hu|he)")
    print(f"The till: .venv/bin/pos till --db {db} --journal {journal} --emulator")
    return EXIT_OK
