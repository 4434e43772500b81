"""Progress of long steps, as the domain code reports it (no UI library here).

The load calls `progress.step(name, total, unit)` and then `advance(n)` on the
step; the command line shows rich progress bars, tests pass NullProgress.
Every step's wall time is recorded for the summary.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field


class Step:
    def __init__(self, owner: "Progress", name: str, total: int | None, unit: str):
        self.owner, self.name, self.total, self.unit = owner, name, total, unit
        self.completed = 0
        self.started = time.perf_counter()

    def advance(self, n: int = 1) -> None:
        self.completed += n

    def update(self, completed: int, total: int | None = None) -> None:
        self.completed = completed
        if total is not None:
            self.total = total

    def done(self) -> None:
        self.owner.seconds[self.name] = time.perf_counter() - self.started

    def __enter__(self) -> "Step":
        return self

    def __exit__(self, *exc) -> None:
        self.done()


@dataclass
class Progress:
    """Records step times; subclasses also display them."""
    seconds: dict[str, float] = field(default_factory=dict)

    def step(self, name: str, total: int | None = None, unit: str = "rows") -> Step:
        return Step(self, name, total, unit)


NullProgress = Progress


def no_checkpoint(name: str) -> None:
    """The default `checkpoint` of a long job (pos.load, pos.export): called with
    the name of each point the job passes, it does nothing."""
