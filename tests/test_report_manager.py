"""The manager screen (F9) in the real till app: it opens over the sale screen,
loads today's figures in a worker and shows them (sales, average basket, the
arms with their verdict) and the trend chart; Esc closes it."""
import io
import sqlite3

from rich.console import Console
from textual_plotext import PlotextPlot

from pos.i18n import set_language
from pos.journal import Journal, settle_offers
from pos.report.stats import compare_proportions
from pos.ui.screens.manager import ManagerScreen, verdict_text
from till_harness import EXPORT, run_till


def shown(widget) -> str:
    """A Static's content as plain text, as a terminal would show it."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def open_report(h) -> tuple[ManagerScreen, str]:
    """F9 pressed on the till of harness `h`: the screen once its figures are shown,
    and the figures as text."""
    await h.press("f9")
    screen = h.app.screen
    assert isinstance(screen, ManagerScreen)
    await h.until(lambda: screen.overview is not None, "the figures")
    await h.pilot.pause()
    return screen, shown(screen.query_one("#manager-figures"))


def paid_sales(journal, rows):
    """rows: (sale_id, arm, total, accepted) paid a minute after EXPORT: 00:01 on
    2026-11-21 in Oslo, the till's today."""
    Journal(journal).close()
    conn = sqlite3.connect(journal)
    with conn:
        for sale_id, arm, total, accepted in rows:
            conn.execute("INSERT INTO sales (sale_id, till, cashier, training, started_at, "
                         "ended_at, status, customer, total, store_export, exported_at, arm) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         (sale_id, "till1", "Kari", 0, EXPORT + 10, EXPORT + 60, "paid", None,
                          total, None, None, arm))
            conn.execute("INSERT INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (sale_id, "X", "cross", 1, 0.5, 1000, EXPORT + 30,
                          "accepted" if accepted else "declined", None, EXPORT + 40,
                          1000 if accepted else 0, arm, None, None))
        settle_offers(conn)         # as the journal does when each is paid
    conn.close()


def test_f9_opens_the_report_and_esc_closes_it(published, tmp_path):
    journal = tmp_path / "sales.db"
    # 3 sales today: 10000 + 20000 + 30000 -> average 20000 (kr 200,00), 2 of 3 attached
    paid_sales(journal, [("s1", "A", 10000, True), ("s2", "B", 20000, False),
                         ("s3", "B", 30000, True)])

    async def flow(h):
        screen, text = await open_report(h)
        assert screen.overview.overall.sales == 3
        assert h.till.money(20000) in text                       # the average basket
        assert "66.7%" in text                                   # the attach rate
        assert "Arm A" in text and "Arm B" in text
        assert "too few sales to tell" in text
        assert screen.query_one("#manager-chart", PlotextPlot) is not None
        assert screen.overview.days[-1].sales == 3
        await h.press("escape")
        assert not isinstance(h.app.screen, ManagerScreen)
    run_till(published, journal, flow, emulator=False)


def test_verdicts_are_translated():
    v = compare_proportions("attach rate", "A", 3, 10, "B", 5, 10)
    try:
        set_language("nb")
        text = verdict_text(v)
    finally:
        set_language("en")
    assert "93" in text and "too few" not in text


def test_the_screen_on_its_own(tmp_path):
    """The screen in a bare app, over the journal through pos.report.overview."""
    import asyncio

    from textual.app import App

    from pos.currency import Currency
    from pos.report.overview import overview
    from pos.till.money import Money

    journal = tmp_path / "sales.db"
    paid_sales(journal, [("s1", "A", 10000, True), ("s2", "B", 20000, False)])
    money = Money(Currency("NOK", 2), "nb_NO")

    class Bare(App):
        def on_mount(self) -> None:
            self.push_screen(ManagerScreen(lambda: overview(journal, "Europe/Oslo", EXPORT),
                                           money))

    async def main():
        app = Bare()
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            for _ in range(200):
                if screen.overview is not None:
                    break
                await pilot.pause()
            await pilot.pause()
            text = shown(screen.query_one("#manager-figures"))
            assert screen.overview.overall.sales == 2
            assert money(15000) in text and "50.0%" in text      # (10000 + 20000) / 2; 1 of 2
            assert screen.overview.today.isoformat() == "2026-11-21"   # 23:00Z is 00:00 in Oslo
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ManagerScreen)
    asyncio.run(main())
