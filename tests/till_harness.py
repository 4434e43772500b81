"""Driving the real till app in tests: the scanner emulator on a real pty as its
scanner, Textual's Pilot for keys, and waits on events (a read painted, the
scanner state changed), never on the clock."""
from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timezone
from pathlib import Path

from pos.till import store_swap
from pos.ui.launch import TillOptions, build_app
from pos_hardware.emulator import Emulator

EXPORT = datetime(2026, 11, 20, 23, tzinfo=timezone.utc).timestamp()   # the demo store's
TIMEOUT = 10.0


def till_args(db: Path, journal: Path, scanner: str | None = None, **kw) -> TillOptions:
    values = dict(db=db, journal=journal, scanner=scanner, lang="en", cashier="Kari")
    values.update(kw)
    return TillOptions(**values)


class HeldPreparation:
    """Holds the store preparations started once `armed`, on their thread, before
    the journal replay and after it, until the test lets each point go: the
    events say the preparation got there, so no test waits on the clock.
    `threads`: the threads the held preparations ran on."""

    POINTS = ("replay", "replayed")

    def __init__(self, monkeypatch):
        self.armed = False
        self.threads: set[threading.Thread] = set()
        self.reached = {p: threading.Event() for p in self.POINTS}
        self.go = {p: threading.Event() for p in self.POINTS}
        real = store_swap.replay_journal

        def held(*args, **kw):
            self._hold("replay")
            result = real(*args, **kw)
            self._hold("replayed")
            return result
        monkeypatch.setattr(store_swap, "replay_journal", held)

    def _hold(self, point: str) -> None:
        if not self.armed:
            return
        self.threads.add(threading.current_thread())
        self.reached[point].set()
        if not self.go[point].wait(TIMEOUT):     # held on the loop's thread: fail, not hang
            raise AssertionError(f"the preparation was held at {point} for {TIMEOUT} s")

    def wait(self, point: str) -> None:
        assert self.reached[point].wait(TIMEOUT), f"the preparation never reached {point}"

    def release(self, *points: str) -> None:
        for point in points or self.POINTS:
            self.go[point].set()


class ScanShown:
    """The app's on_scan_shown: sets the event of the read a test waits for."""

    def __init__(self):
        self.event: asyncio.Event | None = None

    def expect(self) -> asyncio.Event:
        self.event = asyncio.Event()
        return self.event

    def __call__(self, read) -> None:
        if self.event is not None:
            self.event.set()


class Harness:
    def __init__(self, app, pilot, emulator: Emulator | None, shown: ScanShown):
        self.app, self.pilot, self.em, self.shown = app, pilot, emulator, shown

    @property
    def till(self):
        return self.app.till

    async def until(self, condition, what: str) -> None:
        """Lets the app process its messages until `condition()` holds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not condition():
            if loop.time() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            await self.pilot.pause()

    async def scan(self, code: str) -> None:
        """The emulator scans `code`; returns once the app has painted the result."""
        shown = self.shown.expect()
        await asyncio.to_thread(self.em.scan, code)
        await asyncio.wait_for(shown.wait(), TIMEOUT)
        await self.pilot.pause()

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    def message(self) -> str:
        return str(self.app.query_one("#message").render())

    def status(self) -> str:
        return str(self.app.query_one("#status").render())


def run_till(db: Path, journal: Path, flow, *, size=(100, 30), emulator: bool = True,
             clock=lambda: EXPORT, hub_link=None, **kw):
    """Runs `await flow(harness)` against the app; returns the app (closed)."""
    # unpaced (baud 0): a code arrives in one write, so a loaded machine that stalls
    # this process past the profile's fragment timeout cannot split a read; the
    # pacing and fragments have their own tests (test_scanner_*.py, test_emulator.py)
    em = Emulator("generic-cr", baud=0).start() if emulator else None
    try:
        shown = ScanShown()
        app = build_app(till_args(db, journal, em.device if em else None, **kw), clock=clock,
                        on_scan_shown=shown, hub_link=hub_link)

        async def main():
            async with app.run_test(size=size) as pilot:
                h = Harness(app, pilot, em, shown)
                if em is not None:
                    await h.until(lambda: app.scanner_state == "connected", "the scanner")
                await flow(h)
        asyncio.run(main())
    finally:
        if em is not None:
            em.close()
    return app
