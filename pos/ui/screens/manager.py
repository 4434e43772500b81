"""F9: the manager's report on the till: today's sales, average basket, attach and
upsell take rates and suggestion revenue, per experiment arm with the verdict of
the comparison, and a chart of the last two weeks (textual-plotext). With a
store hub, of the whole store (the store's sales the till has read from it),
with a row per till. The figures
are loaded in a worker through pos.report.overview (no SQL here); Esc closes.
Words through gettext, counts and rates through Babel (pos.i18n.formats) in the
till's language: "66,7 %" in nb."""
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

from ...i18n import N_, _, language, visual
from ...i18n.formats import Numbers
from ...report.figures import NO_ARM
from ...report.overview import Overview
from ...report.stats import Verdict

RATE_TICKS: list[float] = [0, 25, 50, 75, 100]
METRICS = {"attach rate": N_("attach rate"), "upsell take rate": N_("upsell take rate"),
           "average basket value": N_("average basket value")}


def _rate(value: float | None, numbers: Numbers) -> str:
    return "-" if value is None else numbers.percent(value, 1)


def count_step(top: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50...): at most four ticks above 0 up to `top`."""
    base = 1
    while True:
        for m in (1, 2, 5):
            if base * m * 4 >= top:
                return base * m
        base *= 10


def arm_label(arm: str) -> str:
    """An arm's row: "Arm A", or the sales without an arm."""
    return _("No arm") if arm == NO_ARM else _("Arm {arm}").format(arm=arm)


def backtest_text(choice, numbers: Numbers) -> str | None:
    """Last night's backtest in one sentence (a pos.backtest.Choice), or None
    when the store has none or it was skipped."""
    if choice is None or choice.skipped or choice.chosen is None:
        return None
    if choice.best_rule is None:
        return _("Last night's test: the suggestions would have hit {hit} of recent baskets "
                 "(scorer {name})").format(hit=numbers.percent(choice.hit3), name=choice.chosen)
    return _("Last night's test: the suggestions would have hit {hit} of recent baskets "
             "(best simple rule: {rule}; scorer {name})").format(
        hit=numbers.percent(choice.hit3), rule=numbers.percent(choice.best_rule_hit3),
        name=choice.chosen)


def verdict_text(v: Verdict, numbers: Numbers | None = None) -> str:
    """A verdict of pos.report.stats in the till's language (`numbers`: how its
    figures are written; default: the language's own)."""
    numbers = numbers or Numbers(language())
    metric = _(METRICS.get(v.metric, v.metric))
    p = ("" if v.p is None else f"p < {numbers.decimal(0.001, 3)}" if v.p < 0.001
         else f"p = {numbers.decimal(round(v.p, 3), 3)}")
    if not v.enough or v.p is None:     # enough: a test ran
        if v.needed:
            return _("{metric}: too few sales to tell (need about {n} per arm)").format(
                metric=metric, n=numbers.integer(v.needed))
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
                 rtl: bool = False, numbers: Numbers | None = None, backtest=None,
                 whole_store: bool = False) -> None:
        """`load()` returns the figures (called in a worker thread); `rtl`: columns
        from right to left; `numbers`: counts and rates (default: the language's);
        `backtest`: the store's pos.backtest.Choice, or None; `whole_store`: the
        figures are the store's (a hub's), shown per till too."""
        super().__init__()
        self.whole_store = whole_store
        self.backtest = backtest
        self.load = load
        self.money = money
        self.rtl = rtl
        self.numbers = numbers or Numbers(language())
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
        title = (_("Manager report: the whole store today, {date}") if self.whole_store
                 else _("Manager report: today, {date}"))
        self.query_one("#manager-title", Static).update(
            visual(title.format(date=o.today.isoformat())))
        table = Table(show_header=True, box=None, pad_edge=False)
        order = (lambda cells: cells[::-1]) if self.rtl else (lambda cells: cells)
        for head in order(["", _("Sales"), _("Average basket"), _("Attach rate"),
                           _("Upsell take rate"), _("Suggestion revenue")]):
            table.add_column(visual(head), justify="right" if head or self.rtl else "left")

        numbers = self.numbers

        def row(name: str, x) -> None:
            table.add_row(*order([visual(name), numbers.integer(x.sales),
                                  "-" if x.abv is None else self.money(round(x.abv)),
                                  _rate(x.attach_rate, numbers), _rate(x.upsell_rate, numbers),
                                  self.money(x.revenue)]))
        row(_("All sales"), g)
        for arm in o.by_arm:
            row(arm_label(arm.key), arm)
        if self.whole_store:
            for till in o.by_till:
                row(_("Till {till}").format(till=till.key), till)
        lines = [Text(visual(verdict_text(v, numbers)), justify="right" if self.rtl else "left")
                 for v in o.verdicts]
        if not g.sales:
            lines.insert(0, Text(visual(_("No sales yet today.")),
                                 justify="right" if self.rtl else "left"))
        for c in o.coupons_by_arm:        # the next-visit coupons issued in the trend's days
            text = _("Coupons of the last {n} days ({arm}): {issued} issued, {printed} printed, "
                     "{redeemed} redeemed").format(
                n=len(o.days), arm=arm_label(c.key), issued=numbers.integer(c.issued),
                printed=numbers.integer(c.printed), redeemed=numbers.integer(c.redeemed))
            lines.append(Text(visual(text), justify="right" if self.rtl else "left"))
        tested = backtest_text(self.backtest, numbers)
        if tested:
            lines.append(Text(visual(tested), justify="right" if self.rtl else "left"))
        figures = self.query_one("#manager-figures", Static)
        from rich.console import Group as RichGroup
        figures.update(RichGroup(Align.right(table) if self.rtl else table, *lines))
        plot = self.query_one("#manager-chart", PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        labels = [d.key[5:] for d in o.days]
        xs: list[float] = list(range(1, len(labels) + 1))
        sales = [d.sales for d in o.days]
        plt.bar(xs, sales, label=visual(_("Sales")))
        plt.plot(xs, [100 * (d.attach_rate or 0) for d in o.days], yside="right",
                 label=visual(_("Attach rate (%)")), marker="braille")
        # the axes' figures in the till's language too: whole sales, rates 0-100 %
        top = max(1, *sales)
        step = count_step(top)
        counts = list(range(0, top + step, step))
        ticks: list[float] = list(counts)
        plt.ylim(0, counts[-1])
        plt.yticks(ticks, [numbers.integer(n) for n in counts])
        # textual-plotext's stubs type yside as a float; plotext takes "left" or "right"
        plt.ylim(0, 100, yside="right")  # type: ignore[arg-type]
        plt.yticks(RATE_TICKS, [numbers.percent(r / 100) for r in RATE_TICKS],
                   yside="right")  # type: ignore[arg-type]
        plt.xticks(xs, labels)
        plt.title(visual(_("Last {n} days").format(n=len(labels))))
        plot.refresh()

    def action_close(self) -> None:
        self.dismiss(None)
