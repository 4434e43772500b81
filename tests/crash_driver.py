"""The child of the till crash test (tests/test_till_crash.py): the real till app
(headless, Textual's run_test) on a store and a journal, with the scanner
emulator on a real pty as its scanner, working through seeded scripted sales.

It prints one line per step to stdout, each in one write (so a SIGKILL never
leaves half a line), and acknowledges a change only once the app has shown it:

    start                            the app is up and the scanner connected
    offered SALE N                   the resume question for an unfinished sale of N lines
    fresh SALE                       no question: the sale the till goes on with
    do STEP SALE ACTION              about to press or scan (scan:SKU, plus, accept:N, decline, pay)
    ack SALE LINE SKU QTY            this line is on the screen with this quantity
    paid SALE TOTAL                  the payment is shown (the next sale has begun)
    done STEP                        everything ACTION changed is acknowledged
    end                              the script is over

    python tests/crash_driver.py STORE.db SALES.db SEED [--steps N]
    python tests/crash_driver.py --zygote        # runs forked on demand (see zygote())
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import sqlite3
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos.store.barcodes import barcode_of  # noqa: E402
from pos.ui.launch import build_app  # noqa: E402
from pos.ui.widgets.basket import BasketView  # noqa: E402
from pos_hardware.emulator import Emulator  # noqa: E402
from pos_hardware.framing import transmitted_form  # noqa: E402
from till_harness import EXPORT, ScanShown, till_args  # noqa: E402

TIMEOUT = 20.0
# items with suggestions of every kind in the demo store: add-ons, an upgrade (CHOC), a deal (NAPPY)
SKUS = ("PASTA-BN-FUS-500", "MILK-FG-SKIM-1L", "CHOC-NS-DARK-60", "NAPPY-LB-S4-40",
        "PH-AU8-128-BLK", "WIPES-LB-SENS-3X64", "EGG-NL-STD-18", "YOG-FG-LEM-150")


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def codes(store: Path) -> dict[str, str]:
    conn = sqlite3.connect(store)
    try:
        found = {sku: barcode_of(conn, sku) for sku in SKUS}
    finally:
        conn.close()
    return {sku: transmitted_form(code) for sku, code in found.items() if code}


class Driver:
    def __init__(self, app, pilot, emulator: Emulator, codes: dict[str, str], shown: ScanShown):
        self.app, self.pilot, self.em, self.codes, self.shown = app, pilot, emulator, codes, shown
        self.acked: dict[tuple[str, int], tuple[str, int]] = {}

    async def until(self, condition, what: str) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not condition():
            if loop.time() > deadline:
                raise SystemExit(f"crash_driver: timed out waiting for {what}")
            await self.pilot.pause()

    async def painted(self) -> None:
        """Returns after the app has processed what is queued and painted it."""
        await self.pilot.pause()
        shown = asyncio.Event()
        self.app.call_after_refresh(shown.set)
        await asyncio.wait_for(shown.wait(), TIMEOUT)

    def ack_shown(self) -> None:
        """Acknowledges every line of the basket on screen that is new or changed."""
        sale = self.app.till.sale
        for row in self.app.query_one(BasketView).rows:
            if not row.key.isdigit():
                continue
            line = sale.lines[int(row.key)]
            state = (line.sku, int(row.qty) if row.qty.isdigit() else line.qty)
            if self.acked.get((sale.sale_id, line.line)) != state:
                self.acked[(sale.sale_id, line.line)] = state
                say(f"ack {sale.sale_id} {line.line} {state[0]} {state[1]}")

    async def scan(self, sku: str) -> None:
        shown = self.shown.expect()
        await asyncio.to_thread(self.em.scan, self.codes[sku])
        await asyncio.wait_for(shown.wait(), TIMEOUT)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.painted()

    async def start(self) -> None:
        await self.until(lambda: self.app.scanner_state == "connected", "the scanner")
        await self.painted()
        say("start")
        till = self.app.till
        if till.resumable is not None:
            sale = till.resumable
            await self.until(lambda: not self.app._sale_screen(), "the resume question")
            say(f"offered {sale.sale_id} {len(sale.lines)}")
            await self.press("enter")
            await self.until(lambda: self.app._sale_screen() and till.resumable is None, "resume")
        else:
            say(f"fresh {till.sale.sale_id}")
        self.ack_shown()

    async def step(self, n: int, rnd: random.Random) -> None:
        till = self.app.till
        roll = rnd.random()
        if not till.sale.lines or roll < 0.55:
            action = f"scan:{rnd.choice(sorted(self.codes))}"
        elif roll < 0.68:
            action = "plus"
        elif roll < 0.78:
            action = f"accept:{rnd.randint(1, max(1, len(till.cards)))}"
        elif roll < 0.84:
            action = "decline"
        else:
            action = "pay"
        say(f"do {n} {till.sale.sale_id} {action}")
        sale = till.sale
        if action.startswith("scan:"):
            await self.scan(action[5:])
        elif action == "plus":
            await self.press("plus")
        elif action.startswith("accept:"):
            await self.press(action[7:])
        elif action == "decline":
            await self.press("0")
        else:
            await self.press("f10")
            await self.until(lambda: not self.app._sale_screen(), "the payment dialog")
            await self.press("enter")
            await self.until(lambda: till.sale is not sale, "the payment")
            await self.painted()
            say(f"paid {sale.sale_id} {sale.paid}")
        self.ack_shown()
        say(f"done {n}")


async def main(store: Path, journal: Path, seed: int, steps: int) -> None:
    em = Emulator("generic-cr", baud=0).start()
    try:
        shown = ScanShown()
        app = build_app(till_args(store, journal, em.device), clock=lambda: EXPORT,
                        on_scan_shown=shown)
        async with app.run_test(size=(100, 30)) as pilot:
            driver = Driver(app, pilot, em, codes(store), shown)
            await driver.start()
            rnd = random.Random(seed)
            for n in range(1, steps + 1):
                await driver.step(n, rnd)
            say("end")
    finally:
        em.close()


def zygote() -> None:
    """A fork server, to save the second that importing takes at each start: for
    each `run STORE JOURNAL SEED STEPS` line on stdin, a child forked from this
    process (everything imported, nothing opened) says `pid PID` and runs the till;
    this process waits for it to end, killed or not, and says `exit PID CODE`, so
    every line the child wrote comes before that."""
    import textual.drivers.headless_driver  # noqa: F401

    import pos.scanner.reader  # noqa: F401, E401
    for command in iter(sys.stdin.readline, ""):
        store, journal, seed, steps = command.split()[1:]
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                say(f"pid {os.getpid()}")
                asyncio.run(main(Path(store), Path(journal), int(seed), int(steps)))
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        say(f"exit {pid} {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("store", type=Path, nargs="?")
    parser.add_argument("journal", type=Path, nargs="?")
    parser.add_argument("seed", type=int, nargs="?")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--zygote", action="store_true", help="serve runs read from stdin")
    args = parser.parse_args()
    if args.zygote:
        zygote()
    else:
        asyncio.run(main(args.store, args.journal, args.seed, args.steps))
