"""Power cuts against the real till (issue 18, item 2): the crash test's scripted
sales (tests/test_till_crash.py, tests/crash_driver.py) with the journal on the
power-cut file system (tools/pos_tools/powercut): at a random point the power
goes (what was not fsynced is dropped, every later call fails), the till is
SIGKILLed, the file system is mounted again over what was durable, and the till
restarted: every line the screen acknowledged is in the journal with its
quantity, every acknowledged payment, the journal passes integrity_check, the
unfinished sale is offered and goes on.

POS_POWERCUTS=1000 runs the long set (this test does 35% of it); POS_CRASH_SEED
picks another sequence."""
from __future__ import annotations

import random

from conftest import powercuts
from test_till_crash import SEED, Acked, Tills, runs

CUTS = powercuts("till")


def test_power_cuts_during_scripted_sales_lose_no_acknowledged_line(tmp_path, demo_store, powercut):
    mount = [powercut()]
    journal = mount[0].mountpoint / "sales.db"
    cuts = 0

    def cut() -> None:
        nonlocal cuts
        mount[0].cut()
        cuts += 1

    def power_back() -> None:
        mount[0].unmount()
        mount[0] = powercut()

    acked = Acked()
    tills = Tills(demo_store, journal, tmp_path / "till-errors.txt")
    try:
        runs(tills, journal, random.Random(SEED), acked, CUTS, before_kill=cut, after_kill=power_back)
    finally:
        tills.close()
    assert cuts == CUTS
    print(f"power cuts: {cuts}, lines acknowledged: {sum(map(len, acked.lines.values()))}, "
          f"payments acknowledged: {len(acked.paid)}, lost: 0")
