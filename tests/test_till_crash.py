"""Crash tests: the real till app (tests/crash_driver.py, a child process with the
scanner emulator on a real pty; a fresh process for each start, forked by the
driver's fork server) works through seeded scripted sales and is
SIGKILLed at random points, many times per run; after every kill the journal
must hold every line the till acknowledged (shown) with its quantity, every
acknowledged payment, pass `PRAGMA integrity_check`, and the restarted till must
offer the unfinished sale for resumption, resume it and go on.

POS_CRASH_KILLS=200 runs more kills (default 30); POS_CRASH_SEED picks another
sequence. Nothing sleeps: the parent waits for the child's lines.
"""
from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pos.till.sale import Sale

DRIVER = Path(__file__).resolve().parent / "crash_driver.py"
KILLS = int(os.environ.get("POS_CRASH_KILLS", "30"))
SEED = int(os.environ.get("POS_CRASH_SEED", "2026"))
EXPORT_TIME = 1_795_215_600        # the demo store's export, 2026-11-20T23:00:00Z (conftest)


@dataclass
class Acked:
    """What the till has acknowledged so far, over all its runs."""
    lines: dict[str, dict[int, tuple[str, int]]] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)      # sales in the order first seen
    inflight: tuple[str, str] | None = None              # (sale, action) begun, not done
    current: str | None = None                           # the sale the till was on
    offered: list[tuple[str, int]] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    ended: bool = False

    def read(self, line: str) -> None:
        word, *rest = line.split()
        if word == "ack":
            sale, number, sku, qty = rest[0], int(rest[1]), rest[2], int(rest[3])
            if sale not in self.lines:
                self.order.append(sale)
            self.lines.setdefault(sale, {})[number] = (sku, qty)
            self.current = sale
        elif word == "paid":
            self.paid[rest[0]] = int(rest[1])
        elif word == "do":
            self.inflight = (rest[1], rest[2])
        elif word == "done":
            self.inflight = None
        elif word == "offered":
            self.offered.append((rest[0], int(rest[1])))
            self.current = rest[0]
        elif word == "fresh":
            self.fresh.append(rest[0])
            self.current = rest[0]
        elif word == "end":
            self.ended = True


def journal_sales(path: Path) -> dict[str, tuple[str, dict[int, tuple[str, int]], int | None]]:
    """sale id -> (status, {line: (sku, qty)}, total paid) as the journal has it."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        out = {}
        for sale_id, status, total in conn.execute("SELECT sale_id, status, total FROM sales"):
            events = [json.loads(b) for (b,) in conn.execute(
                "SELECT body FROM events WHERE sale_id = ? ORDER BY seq", (sale_id,))]
            sale = Sale.replay(sale_id, events)
            out[sale_id] = (status, {n: (ln.sku, ln.qty) for n, ln in sale.lines.items()}, total)
            if status == "paid":        # the lines as paid, written with the payment
                paid = {n: (sku, qty) for n, sku, qty in conn.execute(
                    "SELECT line, sku, qty FROM sale_lines WHERE sale_id = ?", (sale_id,))}
                assert paid == out[sale_id][1], sale_id
        return out
    finally:
        conn.close()


def check_journal(journal: Path, acked: Acked) -> str | None:
    """Asserts the journal holds everything acknowledged; returns the sale the
    restarted till must offer for resumption (None: none)."""
    sales = journal_sales(journal)
    inflight_sale, inflight = acked.inflight or (None, None)
    for sale_id, lines in acked.lines.items():
        assert sale_id in sales, f"acknowledged sale {sale_id} is not in the journal"
        status, have, _ = sales[sale_id]
        for number, (sku, qty) in lines.items():
            assert number in have, f"acknowledged line {number} of {sale_id} is lost"
            if sale_id == inflight_sale:      # the one change under way may have landed
                got_sku, got_qty = have[number]
                assert got_qty >= qty, (sale_id, number, have[number], (sku, qty))
                assert got_sku == sku or inflight.startswith("accept"), (sale_id, number)
            else:
                assert have[number] == (sku, qty), (sale_id, number, have[number], (sku, qty))
        if sale_id != inflight_sale:
            assert set(have) == set(lines), f"{sale_id}: lines never acknowledged"
    for sale_id, total in acked.paid.items():
        assert sales[sale_id][0] == "paid", f"acknowledged payment of {sale_id} is lost"
        assert total in (-1, sales[sale_id][2]), (sale_id, total, sales[sale_id][2])
    for sale_id, (status, _, _) in sales.items():
        if status == "paid" and sale_id not in acked.paid:
            assert (sale_id, "pay") == (inflight_sale, inflight), f"{sale_id} paid unacknowledged"
    for sale_id, (_, have, _) in sales.items():
        if have and sale_id not in acked.lines:
            assert sale_id == inflight_sale, f"{sale_id}: lines never acknowledged"
    open_sales = [s for s, (status, have, _) in sales.items() if status == "open" and have]
    assert len(open_sales) <= 1, open_sales
    if acked.current in acked.lines and acked.current not in acked.paid and \
            sales[acked.current][0] != "paid":
        assert open_sales == [acked.current]
    if inflight_sale in sales:      # what the change under way did is known now
        status, have, _ = sales[inflight_sale]
        if have:
            acked.lines[inflight_sale] = dict(have)
        if status == "paid":
            acked.paid[inflight_sale] = -1
        acked.inflight = None
    return open_sales[0] if open_sales else None


class Tills:
    """Starts the till, fresh each time, as a child of tests/crash_driver.py's fork
    server (the modules already imported, about a second less per start)."""

    def __init__(self, store: Path, journal: Path, errors: Path):
        self.store, self.journal, self.errors = store, journal, errors
        self.err = errors.open("w")
        self.server = subprocess.Popen([sys.executable, str(DRIVER), "--zygote"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       stderr=self.err, text=True)

    def run(self, seed: int, steps: int, kill_after: int | None, acked: Acked,
            before_kill: Callable[[], None] | None = None) -> int:
        """One till run; SIGKILLed when it has printed `kill_after` lines (None: it
        finishes), after `before_kill` (a power cut: the till may then die of its
        own failed writes first, with any exit code). Every line it printed before
        dying counts. Returns the lines read."""
        self.server.stdin.write(f"run {self.store} {self.journal} {seed} {steps}\n")
        self.server.stdin.flush()
        first = self.server.stdout.readline().split()
        assert first[0] == "pid", (first, self.errors.read_text())
        pid, read = int(first[1]), 0
        while True:
            line = self.server.stdout.readline()
            assert line, f"the fork server died: {self.errors.read_text()}"
            if line.startswith("exit "):
                code = int(line.split()[2])
                break
            read += 1
            acked.read(line)
            if read == kill_after:
                if before_kill is not None:
                    before_kill()
                try:
                    os.kill(pid, signal.SIGKILL)        # the child, by its id
                except ProcessLookupError:              # it died first, and was reaped
                    pass
        if kill_after is not None and read >= kill_after:
            assert before_kill is not None or code == -signal.SIGKILL, (code, self.errors.read_text())
        else:
            assert code == 0, self.errors.read_text()
        return read

    def close(self) -> None:
        self.server.stdin.close()
        self.server.wait()
        self.server.stdout.close()
        self.err.close()


def test_sigkill_at_random_points_loses_no_acknowledged_line(tmp_path, demo_store):
    journal = tmp_path / "sales.db"
    rnd = random.Random(SEED)
    acked = Acked()
    tills = Tills(demo_store, journal, tmp_path / "till-errors.txt")
    try:
        runs(tills, journal, rnd, acked)
    finally:
        tills.close()
    the_day_ends(journal, acked, demo_store, tmp_path)


def the_day_ends(journal: Path, acked: Acked, store: Path, tmp_path: Path) -> None:
    """The issue's "done when" on the day just run with its kills: the report's
    figures match a hand computation from what the till acknowledged, the export
    loads with `pos load`, and the day's sales and declines changed suggestions."""
    from test_export import head_office_dump

    from pos.engine import Engine
    from pos.export import export_sales
    from pos.journal import Journal
    from pos.learning import learner_from_journal
    from pos.load import load_dump
    from pos.report import build_report

    sales = journal_sales(journal)
    totals = {s: (t if t != -1 else sales[s][2]) for s, t in acked.paid.items()}
    overall = build_report(journal, store, with_bundles=False).figures.overall
    assert overall.sales == len(totals)
    assert overall.basket.total == sum(totals.values())
    assert overall.basket.mean == sum(totals.values()) / len(totals)

    result = export_sales(journal, out=tmp_path / "day.csv")
    assert result.sales == len(totals)
    loaded = load_dump(head_office_dump(store, tmp_path / "head-office", tmp_path / "day.csv"),
                       tmp_path / "head-office.db")
    assert loaded.counts["baskets"] == sum(1 for s in totals if sales[s][1])

    conn = sqlite3.connect(journal)
    declined = conn.execute("SELECT anchor, sku FROM offers WHERE outcome = 'declined' AND "
                            "anchor IS NOT NULL AND kind = 'cross'").fetchall()
    conn.close()
    assert declined, "the scripted day declined nothing"
    engine = Engine.open(store)
    try:
        j = Journal(journal, till="check")
        learned = learner_from_journal(engine, j, EXPORT_TIME, now=sales_end(journal))
        j.close()
        changed = dropped = 0
        for anchor, sku in declined:
            before = {s.sku: s.score for s in engine.suggest([anchor], k=10, learned=False)}
            after = {s.sku: s.score for s in engine.suggest([anchor], k=10, learned=learned)}
            changed += before != after
            dropped += sku in before and (sku not in after or after[sku] < before[sku])
        assert changed and dropped, "the day's sales and declines changed no suggestion"
    finally:
        engine.close()


def sales_end(journal: Path) -> float:
    conn = sqlite3.connect(journal)
    try:
        return conn.execute("SELECT max(ended_at) FROM sales").fetchone()[0]
    finally:
        conn.close()


def runs(tills: Tills, journal: Path, rnd: random.Random, acked: Acked, n_kills: int = KILLS,
         before_kill: Callable[[], None] | None = None,
         after_kill: Callable[[], None] = lambda: None) -> None:
    """`n_kills` runs killed at random points and one to the end, the journal checked
    after each; with `before_kill` (the power cut of tests/test_powercut_till.py)
    called before each kill, and `after_kill` (power back) after it."""
    expect_offer: str | None = None
    resumed = kills = in_flight = 0
    for run in range(n_kills + 1):
        last = run == n_kills
        offered_before, fresh_before = len(acked.offered), len(acked.fresh)
        kill_after = None if last else rnd.randint(1, 40)
        read = tills.run(rnd.randrange(1 << 30), 12 if last else 30, kill_after, acked, before_kill)
        kills += kill_after is not None and read >= kill_after
        if kill_after is not None and read >= kill_after:
            after_kill()
        in_flight += acked.inflight is not None
        # what the till said at start, when it got that far
        if len(acked.offered) > offered_before:
            assert acked.offered[-1][0] == expect_offer, (acked.offered[-1], expect_offer)
            resumed += 1
        elif len(acked.fresh) > fresh_before:
            assert expect_offer is None, f"unfinished sale {expect_offer} was not offered"
        expect_offer = check_journal(journal, acked)
        if last:
            assert acked.ended and acked.inflight is None
    print(f"{kills} kills ({in_flight} with a change under way), {resumed} resumptions, "
          f"{len(acked.paid)} sales paid, {sum(map(len, acked.lines.values()))} lines acknowledged")
    assert kills == n_kills
    assert resumed >= n_kills // 5, f"only {resumed} resumptions in {n_kills} kills"
    assert len(acked.paid) >= n_kills // 3, f"only {len(acked.paid)} sales paid"


def test_the_check_catches_a_lost_line_a_wrong_quantity_and_a_lost_payment(tmp_path, demo_store):
    """The checker itself: what the crash test would say if the journal lost something."""
    from conftest import scan_code
    from pos.journal import Journal
    from pos.till.config import TillConfig
    from pos.till.session import Till

    journal = tmp_path / "sales.db"
    till = Till(demo_store, Journal(journal, till="t1"), TillConfig(till_id="t1", lang="en"))
    till.scan(scan_code(demo_store, "PASTA-BN-FUS-500"))
    sale = till.sale.sale_id
    till.close()

    def acked(*lines: str) -> Acked:
        a = Acked()
        for line in lines:
            a.read(line)
        return a
    good = f"ack {sale} 1 PASTA-BN-FUS-500 1"
    assert check_journal(journal, acked(good)) == sale          # offered for resumption
    for bad in (f"ack {sale} 1 PASTA-BN-FUS-500 2", f"ack {sale} 2 MILK-FG-SKIM-1L 1",
                f"paid {sale} 100"):
        try:
            check_journal(journal, acked(good, bad))
        except AssertionError:
            continue
        raise AssertionError(f"the check missed: {bad}")
    # a line in the journal that was never shown is an error, unless its scan was under way
    try:
        check_journal(journal, acked())
    except AssertionError as error:
        assert "never acknowledged" in str(error)
    else:
        raise AssertionError("the check missed a line never acknowledged")
    under_way = acked(f"do 1 {sale} scan:PASTA-BN-FUS-500")
    assert check_journal(journal, under_way) == sale
    assert under_way.lines == {sale: {1: ("PASTA-BN-FUS-500", 1)}} and under_way.inflight is None
