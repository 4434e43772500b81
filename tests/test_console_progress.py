"""The load's rich progress bars (pos.console.BarProgress): what they show, and
that a step of many rows redraws its bar a bounded number of times."""
from __future__ import annotations

import io

from rich.console import Console

from pos.console import _UPDATES_PER_STEP, BarProgress


def bars() -> BarProgress:
    return BarProgress(Console(file=io.StringIO(), force_terminal=False, width=100))


def test_a_step_of_many_rows_updates_its_bar_a_bounded_number_of_times():
    progress = bars()
    calls = []
    real = progress.bars.update
    progress.bars.update = lambda *a, **kw: (calls.append(kw), real(*a, **kw))[1]
    with progress:
        step = progress.step("catalog", total=100_000)
        for _ in range(100_000):
            step.advance()
        task = progress.bars.tasks[0]
        assert task.completed == 100_000          # the last row is shown
        step.done()
    assert len(calls) <= _UPDATES_PER_STEP + 1
    assert progress.seconds["catalog"] >= 0


def test_an_unsized_step_and_an_explicit_update_are_shown():
    progress = bars()
    with progress:
        step = progress.step("baskets")
        step.advance(2500)
        assert progress.bars.tasks[0].completed >= 2000   # within one stride
        step.update(7, total=10)
        assert (progress.bars.tasks[0].completed, progress.bars.tasks[0].total) == (7, 10)
        step.done()
        assert progress.bars.tasks[0].completed == 10     # done fills the bar
