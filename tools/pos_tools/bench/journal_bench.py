"""`pos bench journal`: what journaling adds to a scan (issue 6: ≤ 2 ms p99 with
synchronous=FULL on this disk). Not a timed test: a benchmark that prints a table.

One scan's journal work is what the till does for it: one transaction holding
the `add` event and the `shown` events of up to three new cards (Journal.record
with `more=`), committed with the journal's settings (WAL, synchronous=FULL:
an fsync of the WAL per commit). Sales of 1-60 lines (seeded) are paid as they
fill, so the payment's sale_lines rows are written too (timed apart). In the
same run, for comparison, the same work with synchronous=NORMAL (no fsync per
commit: what a power cut may lose) and on an in-memory database (no disk at all).
The journal lives in `--journal-dir` (default: the system's temp directory, on
the disk the till would use here).
"""
from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pos.journal import Journal
from pos.till.sale import Event

from .report import machine, write_section

TARGET_MS = 2.0


@dataclass
class Series:
    name: str
    scans: list[float]        # seconds per scan's transaction
    payments: list[float]     # seconds per payment's transaction


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _given(events: list[Event]) -> Callable[[], list[Event]]:
    """A `more` for Journal.record that returns `events`."""
    return lambda: events


def _scans(journal: Journal, n: int, seed: int) -> Series:
    rng = random.Random(seed)
    scans: list[float] = []
    payments: list[float] = []
    sale = journal.new_sale()
    size = rng.randint(1, 60)
    while len(scans) < n:
        line = sale.next_line
        sku = f"SKU-{rng.randrange(100_000):06d}"
        add = {"type": "add", "line": line, "sku": sku, "item": line, "name": f"Product {sku}",
               "unit": "each", "unit_price": rng.randrange(100, 50_000), "qty": 1,
               "weight_g": None, "price": None}
        cards = [{"type": "shown", "sku": f"S-{line}-{i}", "kind": "cross", "position": i + 1,
                  "score": 0.5, "price": 1_000, "anchor": sku}
                 for i in range(rng.choice((0, 1, 3)))]
        t = time.perf_counter()
        journal.record(sale, add, more=_given(cards))
        scans.append(time.perf_counter() - t)
        if len(sale.lines) >= size:
            t = time.perf_counter()
            journal.record(sale, *({"type": "outcome", "sku": o.sku, "outcome": "ignored",
                                    "reason": None, "revenue": 0, "margin": None}
                                   for o in sale.open_offers),
                           {"type": "paid", "total": sale.total})
            payments.append(time.perf_counter() - t)
            sale = journal.new_sale()
            size = rng.randint(1, 60)
    return Series("", scans, payments)


def measure(n: int, seed: int, directory: Path | None) -> list[Series]:
    out = []
    with tempfile.TemporaryDirectory(prefix="pos-bench-journal-", dir=directory) as tmp:
        for name, path, sync in (("synchronous=FULL (the till's)", Path(tmp) / "full.db", None),
                                 ("synchronous=NORMAL (no fsync per commit)",
                                  Path(tmp) / "normal.db", "NORMAL"),
                                 ("in memory (no disk)", ":memory:", "OFF")):
            journal = Journal(path)
            if sync is not None:
                journal.conn.execute(f"PRAGMA synchronous={sync}")
            series = _scans(journal, n, seed)
            journal.close()
            series.name = name
            out.append(series)
    return out


def _ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def render(series: list[Series]) -> tuple[Table, str]:
    table = Table(title="journal work per scan (ms)")
    head = ["journal", "scans", "p50", "p90", "p99", "max", "payment p50", "payment p99"]
    for h in head:
        table.add_column(h, justify="left" if h == "journal" else "right")
    rows = []
    for s in series:
        row = [s.name, f"{len(s.scans):,}", _ms(pct(s.scans, 50)), _ms(pct(s.scans, 90)),
               _ms(pct(s.scans, 99)), _ms(max(s.scans)), _ms(pct(s.payments, 50)),
               _ms(pct(s.payments, 99))]
        rows.append(row)
        table.add_row(*row)
    md = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    return table, "\n".join(md)


def verdict(series: list[Series]) -> str:
    p99 = pct(series[0].scans, 99) * 1000
    ratio = p99 / max(pct(series[2].scans, 99) * 1000, 1e-9)
    return (f"journaling adds {p99:.2f} ms p99 to a scan with synchronous=FULL (target "
            f"{TARGET_MS:g} ms: {'met' if p99 <= TARGET_MS else 'MISSED'}); "
            f"{ratio:.0f}x the in-memory p99")


def run(args) -> int:
    console = Console()
    n = args.n or 5_000
    series = measure(n, args.seed, args.journal_dir)
    table, markdown = render(series)
    console.print(table)
    console.print(verdict(series))
    if args.markdown:
        write_section(args.markdown, "journal",
                      "## Journal benchmark\n\n"
                      f"Command: `.venv/bin/pos bench journal -n {n} --markdown {args.markdown}`  \n"
                      f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n"
                      "One scan's journal transaction (its `add` event and the `shown` events "
                      "of its new cards, 0-3), committed as the till commits it; sales of "
                      "1-60 lines paid as they fill (the payment writes the sale's lines).\n\n"
                      f"{markdown}\n\n{verdict(series)}\n")
        console.print(f"written to {args.markdown}")
    return 0
