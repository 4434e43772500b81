"""Rich rendering for the command line: progress bars with rates, and load summaries."""
from __future__ import annotations

from rich.console import Console, JustifyMethod
from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichBars
from rich.table import Table

from .progress import Progress, Step


class _RateColumn(TextColumn):
    """Rows (or MB) per second of a step."""

    def __init__(self):
        super().__init__("")

    def render(self, task):
        speed = task.finished_speed or task.speed
        unit = task.fields.get("unit", "rows")
        if not speed:
            return ""
        if unit == "bytes":
            return f"{speed / 1e6:,.1f} MB/s"
        return f"{speed:,.0f} {unit}/s"


class _CountColumn(TextColumn):
    """Done / total, in MB for byte counts."""

    def __init__(self):
        super().__init__("")

    def render(self, task):
        if task.fields.get("unit") == "bytes":
            return f"{task.completed / 1e6:,.0f}/{(task.total or 0) / 1e6:,.0f} MB"
        total = f"{task.total:,.0f}" if task.total is not None else "?"
        return f"{task.completed:,.0f}/{total}"


#: a bar is redrawn about this many times over a step of known size (rich
#: repaints at 10 Hz anyway; one update a row cost the 1M-basket load 1-2 s)
_UPDATES_PER_STEP = 500
_UNSIZED_STRIDE = 1000


class _BarStep(Step):
    def __init__(self, owner: "BarProgress", name, total, unit):
        super().__init__(owner, name, total, unit)
        self.bars = owner.bars
        self.task = self.bars.add_task(name, total=total, unit=unit)
        self._stride = max(1, total // _UPDATES_PER_STEP) if total else _UNSIZED_STRIDE
        self._next = self._stride

    def advance(self, n: int = 1) -> None:
        self.completed += n
        if self.completed >= self._next:
            self._next = self.completed + self._stride
            self.bars.update(self.task, completed=self.completed)

    def update(self, completed: int, total: int | None = None) -> None:
        super().update(completed, total)
        if total:
            self._stride = max(1, total // _UPDATES_PER_STEP)
        self._next = completed + self._stride
        self.bars.update(self.task, completed=completed, total=self.total)

    def done(self) -> None:
        super().done()
        total = self.total if self.total is not None else max(self.completed, 1)
        self.bars.update(self.task, total=total, completed=total)


class BarProgress(Progress):
    """Progress shown as rich bars on stderr (nothing when stderr is not a terminal)."""

    def __init__(self, console: Console):
        super().__init__()
        self.bars = RichBars(TextColumn("{task.description:<16}"), BarColumn(),
                             TaskProgressColumn(), _CountColumn(), _RateColumn(),
                             TimeElapsedColumn(), console=console, transient=False)

    def step(self, name, total=None, unit="rows"):
        return _BarStep(self, name, total, unit)

    def __enter__(self):
        self.bars.start()
        return self

    def __exit__(self, *exc):
        self.bars.stop()


def summary_table(report) -> Table:
    table = Table(title=f"Store {report.db} ({report.outcome})", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, value in report.counts.items():
        table.add_row(name, f"{value:,}")
    for name, rejected in report.rejected.items():
        if rejected:
            table.add_row(f"rejected rows: {name}", f"{rejected:,} of {report.rows[name]:,}")
    return table


def timing_table(seconds: dict[str, float], wall: float | None = None) -> Table:
    """Each step's seconds, then the whole load's: ``wall`` when given (steps may
    overlap: the catalog is written while the baskets are read), else their sum."""
    table = Table(title="Seconds per step")
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for name, value in seconds.items():
        table.add_row(name, f"{value:.2f}")
    table.add_row("total", f"{wall if wall is not None else sum(seconds.values()):.2f}")
    return table


def backtest_table(choice) -> Table:
    """The nightly backtest's figures (a pos.backtest.Choice): HitRate@3 of every
    scorer variant and simple rule, and its paired 95% interval against the best rule."""
    table = Table(title="Backtest on the latest baskets (HitRate@3; difference with the best "
                        "simple rule, 95% interval)")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("scorer", "left"), ("kind", "left"), ("HitRate@3", "right"), ("difference", "right"),
        ("", "left"))
    for name, justify in columns:
        table.add_column(name, justify=justify)
    rows = [(f, "variant") for f in choice.variants.values()] + \
        [(f, "simple rule") for f in choice.rules.values()]
    for f, kind in rows:
        mark = ("chosen" if f.name == choice.chosen else
                "best rule" if f.name == choice.best_rule else "")
        table.add_row(f.name, kind, f"{f.hit3:.4f}",
                      f"{f.diff:+.4f} [{f.low:+.4f}, {f.high:+.4f}]", mark)
    return table


def sources_table(choice) -> Table:
    """The backtest's source variants (a pos.backtest.Choice with ``sources``): the
    chosen scorer on the lists of each source (own baskets, head office's holdout,
    the blend), HitRate@3 and the paired 95% interval against the source in force."""
    table = Table(title=f"Lists' sources, scored with {choice.chosen} after head office's "
                        "holdout cutoff (HitRate@3; difference with the source in force, "
                        "95% interval)")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("source", "left"), ("HitRate@3", "right"), ("difference", "right"), ("", "left"))
    for name, justify in columns:
        table.add_column(name, justify=justify)
    for f in choice.sources.values():
        table.add_row(f.name, f"{f.hit3:.4f}", f"{f.diff:+.4f} [{f.low:+.4f}, {f.high:+.4f}]",
                      "in force" if f.name == choice.source else "")
    return table
