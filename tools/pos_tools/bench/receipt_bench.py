"""`pos bench receipt`: printing at the till's payment (issue 20).

Not a timed test: a benchmark that prints distributions, against the issue's targets.

Each run is two fresh processes of `pos bench till`'s latency child (the real app
as `pos till` builds it, the scanner emulator on a pty, the same seed, so the
same reads and the same sales): one without a printer, one with store.toml's
[printer] on the printer emulator (a pty in that process, answering DLE EOT as
a printer does). Both give every sale a next-visit coupon (`[coupons] anonymous =
true`: its choice is part of the payment, its block part of the receipt). A sale
is paid (F10, Enter) every 1-`--max-lines` lines, so a run has many payments.
Measured:

- payment → receipt bytes handed to the printer: from the call of Till.pay (the
  cashier's Enter) to the return of the spooler's write of that receipt's bytes
  to the printer's port (the spooler's thread: its status query, then the write);
  of which the bytes' building inside the payment's transaction;
- the payment itself (Till.pay on the event loop), without and with the printer;
- terminator → suggestion panel painted, without and with the printer (the
  spooler printing on its thread meanwhile), and the ratio of their p99s.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .report import markdown_table, ok
from .till_bench import pct
from .till_child import child_json, ms

TARGET_RECEIPT_P99_MS = 100.0
SCAN_P99_SAME = 1.10          # "unchanged": the p99 with printing within 10% of without


def _run(db: Path, workdir: Path, args, seed: int, printer: str | None) -> dict:
    name = f"{'printer' if printer else 'plain'}-{seed}"
    spec = {"db": str(db), "journal": str(workdir / f"{name}.db"), "n": args.n,
            "warmup": args.warmup, "seed": seed, "profile": args.profile, "pace": 0.0,
            "max_lines": args.max_lines, "printer": printer, "coupons": True}
    return child_json([sys.executable, "-m", "pos_tools.bench.till_bench", "latency",
                       json.dumps(spec)], timeout=120 + args.n * 2)


def _row(label: str, values: list[float]) -> list[str]:
    return [label, f"{len(values):,}", ms(pct(values, .5)), ms(pct(values, .9)),
            ms(pct(values, .99)), ms(max(values, default=float("nan")))]


def render(plain: list[dict], printing: list[dict], args) -> tuple[str, str, list[list[str]]]:
    headers = ["what", "count", "p50 ms", "p90 ms", "p99 ms", "max ms"]
    handed, build = [], []
    for run in printing:
        p = run["payments"]
        if len(p["sent"]) != len(p["paid"]):
            raise RuntimeError(f"{len(p['paid'])} payments but {len(p['sent'])} receipts printed")
        handed += [s - t for s, t in zip(p["sent"], p["paid"])]
        build += p["build"]
    scans_plain = [x["total"] for run in plain for x in run["reads"]]
    scans_printing = [x["total"] for run in printing for x in run["reads"]]
    pays_plain = [d for run in plain for d in run["payments"]["pay"]]
    pays_printing = [d for run in printing for d in run["payments"]["pay"]]
    rows = [_row("payment → receipt bytes handed to the printer", handed),
            _row("  of which building the bytes (in the payment's transaction)", build),
            _row("the payment on the event loop (Till.pay), no printer", pays_plain),
            _row("the payment on the event loop (Till.pay), printing", pays_printing),
            _row("terminator → suggestion panel painted, no printer", scans_plain),
            _row("terminator → suggestion panel painted, printing meanwhile", scans_printing)]
    p99_plain = statistics.median(pct([x["total"] for x in run["reads"]], .99) for run in plain)
    p99_printing = statistics.median(pct([x["total"] for x in run["reads"]], .99)
                                     for run in printing)
    ratio = p99_printing / p99_plain
    receipt_p99 = pct(handed, .99)
    facts = "\n".join([
        f"- {len(printing)} run(s) of {args.n} reads after {args.warmup} warm-up reads, each "
        f"twice (no printer, printing; same seed, same reads and sales; a next-visit coupon for "
        f"every sale); a sale paid every "
        f"1-{args.max_lines} lines: {len(handed)} receipts printed",
        f"- scan-to-panel p99 per run, ms, no printer: "
        f"{', '.join(ms(pct([x['total'] for x in r['reads']], .99)) for r in plain)}; printing: "
        f"{', '.join(ms(pct([x['total'] for x in r['reads']], .99)) for r in printing)}",
        f"- printer profile {args.printer_profile}; the printer emulator on a pty answering "
        "DLE EOT, in the till's process",
        "", "Targets (issue 20):", "",
        f"- payment → receipt bytes handed to the printer p99 <= {TARGET_RECEIPT_P99_MS:g} ms: "
        f"{ms(receipt_p99)} ms ({ok(receipt_p99 * 1000 <= TARGET_RECEIPT_P99_MS)})",
        f"- the till's scan-to-panel p99 unchanged while printing (printing / no printer, "
        f"median of the runs' p99, within {SCAN_P99_SAME:.2f}×): {ms(p99_printing)} / "
        f"{ms(p99_plain)} ms = {ratio:.2f}× ({ok(ratio <= SCAN_P99_SAME)})",
    ])
    table_md = markdown_table(headers, rows)
    return table_md, facts, [headers, *rows]


def run(args) -> int:
    from rich.console import Console

    from .report import machine, print_tables, write_section
    from .suggest_bench import bench_store
    console = Console(width=None if Console().is_terminal else 200)
    args.db = bench_store(args, console, need_dump=False)
    plain, printing = [], []
    with tempfile.TemporaryDirectory(prefix="pos-bench-receipt-", dir=args.journal_dir) as tmp:
        workdir = Path(tmp)
        for i in range(args.runs):
            seed = args.seed + i
            console.print(f"run {i + 1}/{args.runs}: {args.n} reads without a printer ...")
            plain.append(_run(args.db, workdir, args, seed, None))
            console.print(f"run {i + 1}/{args.runs}: {args.n} reads, printing ...")
            printing.append(_run(args.db, workdir, args, seed, args.printer_profile))
    md, facts, cells = render(plain, printing, args)
    print_tables(console, [("pos till: printing at payment", md, facts, cells)])
    if args.markdown:
        command = (".venv/bin/pos bench receipt" + (f" --db {args.db}" if args.db else "")
                   + f" --runs {args.runs} -n {args.n} --max-lines {args.max_lines}")
        write_section(args.markdown, "receipt",
            "## Receipt benchmark: printing at payment\n\n"
            f"Command: `{command} --markdown {args.markdown}` (store: `{args.db.name}`, "
            f"{args.db.stat().st_size / 1e6:,.0f} MB; `pos bench till`'s app and scanner "
            f"emulator; journal: fresh, in {args.journal_dir or tempfile.gettempdir()})  \n"
            f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}  \n"
            f"Load average (1 min) at the end: {os.getloadavg()[0]:.2f}\n\n{md}\n\n{facts}\n")
        console.print(f"written to {args.markdown}")
    return 0
