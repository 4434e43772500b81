"""`pos bench report`: `pos report` end to end over a synthetic journal of 1,000,000
paid sales (30 days, 2 arms, 8 cashiers, 1-3 suggestions and about 10 lines per
sale, a few planted item pairs), cached under --cache; then each section on its
own. Prints a table with the target (<= 5 s end to end)."""
from __future__ import annotations

import os
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

TARGET_SECONDS = 5.0
DAY = 86_400
START = 1_761_955_200            # 2025-11-01T00:00:00Z
ITEMS = 2_000
PLANTED = [(10, 11), (20, 21), (30, 31), (40, 41)]     # item pairs bought together often


def generate(path: Path, sales: int, seed: int = 1, days: int = 30) -> Path:
    """A journal (schema of pos.journal) with `sales` paid sales, plus 1% training and
    0.5% abandoned ones; written with executemany in one transaction."""
    from pos.journal import Journal
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    Journal(tmp).close()
    rng = random.Random(seed)
    conn = sqlite3.connect(tmp, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    weights = [1 / (i + 1) for i in range(ITEMS)]
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    prices = [rng.randrange(500, 50_000, 10) for _ in range(ITEMS)]
    kinds = ("cross", "upsell", "bundle")
    reasons = ("not_relevant", "too_expensive", "already_has", None)
    sale_rows: list[tuple[object, ...]] = []
    offer_rows: list[tuple[object, ...]] = []
    line_rows: list[tuple[object, ...]] = []

    def flush() -> None:
        conn.executemany(f"INSERT INTO sales VALUES ({','.join('?' * 23)})",
                         sale_rows)
        conn.executemany("INSERT INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", offer_rows)
        conn.executemany("INSERT INTO sale_lines VALUES (?,?,?,?,?,?,?)", line_rows)
        sale_rows.clear()
        offer_rows.clear()
        line_rows.clear()

    total_sales = sales + sales // 100 + sales // 200
    for n in range(total_sales):
        training = n >= sales and n < sales + sales // 100
        status = "abandoned" if n >= sales + sales // 100 else "paid"
        sale_id = f"till{n % 4 + 1}-{n:032x}"
        arm = "A" if rng.random() < 0.5 else "B"
        day = rng.randrange(days)
        hour = min(23, max(6, int(rng.gauss(15, 3))))
        ended = START + day * DAY + hour * 3600 + rng.randrange(3600)
        k = max(1, min(40, int(rng.expovariate(1 / 10))))
        chosen = set(rng.choices(range(ITEMS), cum_weights=cum, k=k))
        for a, b in PLANTED:
            if a in chosen and rng.random() < 0.6:
                chosen.add(b)
        total = 0
        for line, item in enumerate(sorted(chosen), 1):
            qty = 1 if rng.random() < 0.8 else 2
            line_total = prices[item] * qty
            total += line_total
            if status == "paid":
                line_rows.append((sale_id, line, f"SKU{item:05d}", qty, None, prices[item],
                                  line_total))
        boost = 0.05 if arm == "B" else 0.0
        # the offers' totals a paid sale carries (pos.journal.OFFER_TOTALS)
        settled = [0, 0, 0, 0, 0, 0, 0]
        for position, item in enumerate(rng.sample(range(ITEMS), rng.randint(1, 3)), 1):
            kind = kinds[rng.randrange(3)]
            r = rng.random()
            outcome = ("accepted" if r < 0.15 + boost else "declined" if r < 0.45 else "ignored")
            reason = rng.choice(reasons) if outcome == "declined" else None
            price = prices[item] if kind != "upsell" else prices[item] // 5
            revenue = price if outcome == "accepted" else 0
            margin = (revenue * 3 // 10 if rng.random() < 0.9 else None) if revenue else None
            offer_rows.append((sale_id, f"SKU{item:05d}", kind, position, 0.5, price,
                               ended - 60, outcome, reason, ended - 30, revenue, arm,
                               f"SKU{min(chosen):05d}", margin))
            accepted, upsell = outcome == "accepted", kind == "upsell"
            for i, add in enumerate((1, accepted, upsell, upsell and accepted, revenue,
                                     margin or 0, accepted and margin is None)):
                settled[i] += add
        paid = status == "paid"
        sale_rows.append((sale_id, f"till{n % 4 + 1}", f"cashier{n % 8 + 1}", int(training),
                          ended - 300, ended, status, None, total if paid else None,
                          None, None, arm, *(settled if paid else [None] * len(settled)),
                          "NOK", 2, None, None))     # the hub's outbox: not sent
        if len(sale_rows) >= 20_000:
            flush()
    flush()
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    tmp.rename(path)
    Path(f"{tmp}-wal").unlink(missing_ok=True)
    Path(f"{tmp}-shm").unlink(missing_ok=True)
    return path


def _version(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return int(row[0]) if row else None


def cached_journal(cache: Path, sales: int) -> Path:
    """The cached journal of `sales` sales, generated again when missing or of
    another journal version than this pos writes."""
    from pos.journal import JOURNAL_VERSION
    path = cache / f"report-journal-{sales}.db"
    if path.exists() and _version(path) != JOURNAL_VERSION:
        Console(stderr=True).print(f"{path} is not a journal of version {JOURNAL_VERSION}: "
                                   "generating it again")
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
    if not path.exists():
        Console(stderr=True).print(f"generating a journal of {sales:,} sales in {path} ...")
        generate(path, sales)
    return path


def run(args) -> int:
    from pos.report import build_report

    from .report import machine, write_section

    console = Console()
    default = Path.home() / ".cache" / "pos-bench"        # pos bench's own default
    cache = Path("/tmp/pos-bench") if args.cache == default else args.cache
    sales = args.sales
    journal = args.journal or cached_journal(cache, sales)
    command = [sys.executable, "-m", "pos", "report", "--journal", str(journal)]
    times, cpu = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            console.print(f"pos report failed ({done.returncode}): {done.stderr}", markup=False)
            return 1
    steps: dict[str, float] = {}
    for _ in range(args.runs):                  # the steps, in this process, best of runs
        t = time.perf_counter()
        report = build_report(journal)
        report.seconds["total in process"] = time.perf_counter() - t
        for step, seconds in report.seconds.items():
            steps[step] = min(seconds, steps.get(step, seconds))
    best = min(times)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    table = Table(title=f"pos report over {sales:,} journaled sales")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    table.add_column("target", justify="right")
    table.add_row("pos report (table), end to end, best of "
                  f"{args.runs}", f"{best:.2f}", f"<= {TARGET_SECONDS:.0f} s")
    table.add_row("CPU time of that run (user + sys, all threads), least of "
                  f"{args.runs}", f"{min(cpu):.2f}", "")
    for step, seconds in steps.items():
        table.add_row(f"  {step}", f"{seconds:.2f}", "")
    console.print(table)
    verdict = "met" if best <= TARGET_SECONDS else "NOT met"
    console.print(f"target <= {TARGET_SECONDS:.0f} s end to end: {verdict} "
                  f"(load average {load:.1f})")
    if args.markdown:
        lines = ["## pos report", "",
                 f"Command: `pos bench report --sales {sales} --markdown {args.markdown}` "
                 f"(synthetic journal: {sales:,} paid sales over 30 days, 2 arms, 8 cashiers, "
                 "1-3 suggestions and about 10 lines per sale; 1% training and 0.5% abandoned "
                 "sales besides).", "",
                 f"Machine: {machine()}; load average {load:.1f} when it ran (other "
                 "jobs on the machine slow every figure).", "",
                 "The steps are timed in one process (best of the runs, each step on its "
                 "own); the two SQL passes run at the same time on two connections.", "",
                 "| step | seconds |", "|---|---:|",
                 f"| `pos report` (table), end to end, best of {args.runs} | {best:.2f} |"]
        lines += [f"| CPU time of that run (user + sys, all threads), least of {args.runs} | "
                  f"{min(cpu):.2f} |"]
        lines += [f"| &nbsp;&nbsp;{step} | {seconds:.2f} |" for step, seconds in steps.items()]
        lines += ["", f"`pos report` over {sales:,} journaled sales <= {TARGET_SECONDS:.0f} s: "
                  f"{best:.2f} s ({verdict})."]
        write_section(args.markdown, "report", "\n".join(lines))
        console.print(f"written to {args.markdown}")
    return 0
