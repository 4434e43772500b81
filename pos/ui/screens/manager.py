"""F9: the manager's report on the till: today's sales, average basket, attach and
upsell take rates and suggestion revenue, per experiment arm with the verdict of
the comparison, and a chart of the last two weeks (textual-plotext). The figures
are loaded in a worker through pos.report.overview (no SQL here); Esc closes."""
from __future__ import annotations

from collections.abc import Callable

from rich.align import Align
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual_plotext import PlotextPlot

from ...i18n import N_, _, visual
from ...report.overview import Overview
from ...report.stats import Verdict

METRICS = {"attach rate": N_("attach rate"), "upsell take rate": N_("upsell take rate"),
           "average basket value": N_("average basket value")}


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def verdict_text(v: Verdict) -> str:
    """A verdict of pos.report.stats in the till's language."""
    metric = _(METRICS.get(v.metric, v.metric))
    p = ("" if v.p is None else "p < 0.001" if v.p < 0.001 else f"p = {v.p:.3f}")
    if not v.enough:
        if v.needed:
            return _("{metric}: too few sales to tell (need about {n} per arm)").format(
                metric=metric, n=f"{v.needed:,}")
        return _("{metric}: too few sales to tell").format(metric=metric)
    if v.p < 0.05:
        higher, lower = (v.b, v.a) if (v.value_b or 0) > (v.value_a or 0) else (v.a, v.b)
        return _("{metric}: {higher} is higher than {lower} ({p})").format(
            metric=metric, higher=higher, lower=lower, p=p)
    return _("{metric}: no difference shown ({p})").format(metric=metric, p=p)


class ManagerScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f9", "close", show=False)]
    DEFAULT_CSS = """
    ManagerScreen { align: center middle; }
    ManagerScreen > Vertical { width: 96%; height: 96%; border: thick $primary;
                               background: $surface; padding: 0 1; }
    ManagerScreen #manager-figures { height: auto; }
    ManagerScreen #manager-chart { height: 1fr; min-height: 8; }
    """

    def __init__(self, load: Callable[[], Overview], money: Callable[[int], str],
                 rtl: bool = False) -> None:
        """`load()` returns the figures (called in a worker thread); `rtl`: columns
        from right to left."""
        super().__init__()
        self.load = load
        self.money = money
        self.rtl = rtl
        self.overview: Overview | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(visual(_("Manager report")), classes="question", id="manager-title")
            yield Static(visual(_("Loading the figures…")), id="manager-figures")
            yield PlotextPlot(id="manager-chart")
            yield Static(visual(_("Esc = back")), classes="keys")

    def on_mount(self) -> None:
        self.fetch()

    @work(thread=True, exclusive=True)
    def fetch(self) -> None:
        try:
            result = self.load()
        except Exception as exc:            # a journal that cannot be read: say so
            self.app.call_from_thread(self.show_problem, str(exc))
            return
        self.app.call_from_thread(self.show, result)

    def show_problem(self, text: str) -> None:
        self.query_one("#manager-figures", Static).update(
            visual(_("The figures cannot be read: {problem}").format(problem=text)))

    def show(self, o: Overview) -> None:
        self.overview = o
        g = o.overall
        self.query_one("#manager-title", Static).update(
            visual(_("Manager report: today, {date}").format(date=o.today.isoformat())))
        table = Table(show_header=True, box=None, pad_edge=False)
        order = (lambda cells: cells[::-1]) if self.rtl else (lambda cells: cells)
        for head in order(["", _("Sales"), _("Average basket"), _("Attach rate"),
                           _("Upsell take rate"), _("Suggestion revenue")]):
            table.add_column(visual(head), justify="right" if head or self.rtl else "left")

        def row(name: str, x) -> None:
            table.add_row(*order([visual(name), f"{x.sales:,}",
                                  "-" if x.abv is None else self.money(round(x.abv)),
                                  _rate(x.attach_rate), _rate(x.upsell_rate),
                                  self.money(x.revenue)]))
        row(_("All sales"), g)
        for arm in o.by_arm:
            row(_("Arm {arm}").format(arm=arm.key), arm)
        lines = [Text(visual(verdict_text(v)), justify="right" if self.rtl else "left")
                 for v in o.verdicts]
        if not g.sales:
            lines.insert(0, Text(visual(_("No sales yet today.")),
                                 justify="right" if self.rtl else "left"))
        figures = self.query_one("#manager-figures", Static)
        from rich.console import Group as RichGroup
        figures.update(RichGroup(Align.right(table) if self.rtl else table, *lines))
        plot = self.query_one("#manager-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        labels = [d.key[5:] for d in o.days]
        xs = list(range(1, len(labels) + 1))
        plt.bar(xs, [d.sales for d in o.days], label=visual(_("Sales")))
        plt.plot(xs, [100 * (d.attach_rate or 0) for d in o.days], yside="right",
                 label=visual(_("Attach rate (%)")), marker="braille")
        plt.xticks(xs, labels)
        plt.title(visual(_("Last {n} days").format(n=len(labels))))
        plot.refresh()

    def action_close(self) -> None:
        self.dismiss(None)
