"""Power cuts against the store hub (issue 18, item 2): a real `pos hub serve`
process with its data directory (hub.db, sales.db) on the power-cut file system
(tools/pos_tools/powercut), made by a real `pos hub enroll`; a till's paid sales
posted to it one by one, the power cut at a random one of the calls that change
something (or after the round's last sale), the hub SIGKILLed, the file system
mounted again: every sale the hub acknowledged (HTTP 200 or 201) is in hub.db and,
once the hub has started again, in its sales.db; both pass integrity_check;
the sale that was being sent at the cut is sent again (as the till's outbox
does) and is then acknowledged exactly once.

POS_POWERCUTS=1000 runs the long set (this test does 23% of it)."""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx

from conftest import powercuts
from pos.journal import Journal
from test_hub_api import paid_sale
from test_hub_faults import Lines

CUTS = powercuts("hub")
SEED = int(os.environ.get("POS_CRASH_SEED", "2026"))
SALES_PER_ROUND = 4
TIMEOUT = 30


class Hub:
    """One run of `pos hub serve` on a port the system picks."""

    def __init__(self, data: Path, log: Path):
        with open(log, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pos", "hub", "serve", "--data", str(data),
                 "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, stderr=err, text=True)
        self.lines = Lines(self.proc, "the hub", log)
        line = self.lines.next()
        assert "listening on " in line, line
        self.url = line.split("listening on ")[1].split()[0]
        self.client = httpx.Client(base_url=self.url, timeout=TIMEOUT)

    def post(self, sale: dict, token: str) -> int | None:
        """The answer's status; None when there was none (the hub died, or hung up)."""
        try:
            return self.client.post("/v1/sales", json=sale,
                                    headers={"Authorization": f"Bearer {token}"}).status_code
        except httpx.TransportError:
            return None

    def kill(self) -> None:
        self.client.close()
        self.proc.kill()                # SIGKILL, by its id: the power is gone for it too
        self.proc.wait()
        self.lines.thread.join(TIMEOUT)
        self.proc.stdout.close()


def hub_sales(data: Path) -> tuple[set[str], set[str]]:
    """The sales in hub.db and in sales.db, each file checked."""
    found = []
    for name, query in (("hub.db", "SELECT sale_id FROM received"),
                        ("sales.db", "SELECT sale_id FROM sales")):
        conn = sqlite3.connect(data / name)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], name
            found.append({s for (s,) in conn.execute(query)})
        finally:
            conn.close()
    return found[0], found[1]


def test_power_cuts_at_the_hub_lose_no_acknowledged_sale(tmp_path, powercut):
    rnd = random.Random(SEED)
    m = powercut()
    data = m.mountpoint / "hub"
    log = tmp_path / "hub-log.txt"
    enrolled = subprocess.run([sys.executable, "-m", "pos", "hub", "enroll", "t1", "--data",
                               str(data)], capture_output=True, text=True)
    assert enrolled.returncode == 0, enrolled.stderr
    token = enrolled.stdout.split()[0]
    till = Journal(tmp_path / "till.db", till="t1")
    acked: set[str] = set()
    outbox: list[dict] = []             # sent, not acknowledged: sent again
    calls = inside = answered_then_lost = 0
    try:
        for run in range(CUTS + 1):
            hub = Hub(data, log)        # listening: sales.db has caught up with hub.db
            if run:
                lost = acked - hub_sales(data)[1]
                assert not lost, f"acknowledged sales not in the hub's sales.db: {sorted(lost)}"
            if run == 0:
                before = m.count()
            else:
                m.cut_after(rnd.randint(1, calls))
            while len(outbox) < SALES_PER_ROUND:
                outbox.append(paid_sale(till, rnd.sample("ABCDE", rnd.randint(1, 3)), "F"))
            while outbox:
                status = hub.post(outbox[0], token)
                if status not in (200, 201):
                    break
                acked.add(outbox.pop(0)["sale_id"])
            if run == 0:
                calls = m.count() - before + 1
            m.cut()
            inside += m.auto_cut
            hub.kill()
            m.unmount()
            m = powercut()
            if run == CUTS:
                break
            in_hub, _ = hub_sales(data)
            lost = acked - in_hub
            assert not lost, f"acknowledged sales lost by the hub: {sorted(lost)}"
            answered_then_lost += len({s["sale_id"] for s in outbox} & in_hub)
        hub = Hub(data, log)
        while outbox:
            assert hub.post(outbox[0], token) in (200, 201)
            acked.add(outbox.pop(0)["sale_id"])
        hub.kill()
        Hub(data, log).kill()           # started again: sales.db catches up with hub.db
    finally:
        till.close()
    in_hub, in_sales = hub_sales(data)
    assert in_hub == acked and in_sales >= acked, sorted(acked - in_sales)
    print(f"hub power cuts: {CUTS} ({inside} at a call of the hub), sales acknowledged: "
          f"{len(acked)}, stored but not answered at the cut: {answered_then_lost}, lost: 0")
    assert inside >= CUTS // 2
