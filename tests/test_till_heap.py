"""The till keeps the garbage collector's pauses small: after each sale only what
the sale made is collected, and a full collection of everything (unfreezing the
heap first) is made at start and then once every FULL_COLLECTION_SALES sales."""
from __future__ import annotations

import gc

from conftest import scan_code
from pos.ui import app as app_module
from till_harness import run_till

PASTA = "PASTA-BN-FUS-500"


def test_a_full_collection_at_start_and_every_n_sales(demo_store, tmp_path, monkeypatch):
    monkeypatch.setattr(app_module, "FULL_COLLECTION_SALES", 3)
    unfreezes: list[int] = []
    real_unfreeze = gc.unfreeze
    frozen_after: list[int] = []

    def counting_unfreeze() -> None:
        unfreezes.append(len(frozen_after))
        real_unfreeze()

    monkeypatch.setattr(app_module.gc, "unfreeze", counting_unfreeze)

    async def flow(h):
        await h.until(lambda: h.app._heap_freezes == 1, "the first freeze")
        frozen_after.append(gc.get_freeze_count())
        for _ in range(4):
            await h.scan(scan_code(demo_store, PASTA))
            await h.press("f10")
            if h.till.last_call_card is not None:
                await h.press("0")
            before = h.app._heap_freezes
            await h.press("enter")
            await h.until(lambda b=before: h.app._heap_freezes == b + 1, "the sale's freeze")
            frozen_after.append(gc.get_freeze_count())
    try:
        run_till(demo_store, tmp_path / "sales.db", flow)
    finally:
        real_unfreeze()                 # the test's frozen heap goes back to the collector
    # the start's freeze and the 3rd sale's were full ones; the others only froze more
    assert unfreezes == [0, 3]
    assert frozen_after[1] >= frozen_after[0] and frozen_after[2] >= frozen_after[1]
