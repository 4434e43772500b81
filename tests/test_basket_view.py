"""The basket widget on its own (pos.ui.widgets.basket.BasketView, a line-API
widget): the rows and their amounts, narrow mode, right to left, the cursor, a
long name cut, and the row cache (an unchanged row is never laid out again)."""
import asyncio

from rich.cells import cell_len
from textual.app import App

from pos.currency import Currency
from pos.i18n import set_language, visual
from pos.till.money import Money
from pos.till.sale import Deal, Line, Sale
from pos.ui.widgets.basket import BasketView, fit

MONEY = Money(Currency("NOK", 2), "nb_NO")
HEBREW = "שוקולד מריר 70%"


def line(n: int, name: str, unit_price: int, qty: int = 1, **kw) -> Line:
    return Line(n, f"SKU{n}", n, name, kw.pop("unit", "each"), unit_price, qty, **kw)


def sale(*lines: Line, deals=()) -> Sale:
    s = Sale("S1")
    for ln in lines:
        s.lines[ln.line] = ln
    s.deals.extend(deals)
    return s


class BasketApp(App):
    def compose(self):
        yield BasketView(id="basket")


def run(test, width: int = 80, height: int = 12) -> None:
    """Runs `test(pilot, basket)` in a BasketApp of the given size, in English."""
    set_language("en")

    async def main():
        app = BasketApp()
        async with app.run_test(size=(width, height)) as pilot:
            await pilot.pause()
            await test(pilot, app.query_one(BasketView))
    asyncio.run(main())


def paint(basket: BasketView) -> list[str]:
    """What the widget shows, line by line, as the compositor asks for it."""
    return [basket.render_line(y).text for y in range(basket.size.height)]


def test_rows_and_totals():
    async def test(pilot, basket):
        deal = Deal(1, "B1", "Pasta + sauce", 500)
        basket.show(sale(line(1, "Fusilli 500 g", 2990, 2), line(2, "Tomato sauce", 3490),
                         line(3, "Apples", 2990, unit="kg", weight_g=452), deals=[deal]), MONEY)
        await pilot.pause()
        assert basket.row_count == 4
        header, fusilli, sauce, apples, deal_row, *rest = paint(basket)
        assert header.split() == ["Item", "Qty", "Price", "Total"]
        assert fusilli.split()[-5:] == ["2", "29,90", "kr", "59,80", "kr"]
        assert fusilli.startswith(" Fusilli 500 g ") and fusilli.endswith("59,80\xa0kr ")
        assert "34,90\xa0kr" in sauce
        assert "0,452 kg" in apples and "29,90\xa0kr/kg" in apples and "13,51\xa0kr" in apples
        assert "Deal: Pasta + sauce" in deal_row and MONEY(-500) in deal_row
        assert all(text.strip() == "" for text in rest)
        assert {cell_len(text) for text in paint(basket)} == {basket.scrollable_content_region.width}
        # the deal's cells are green; a line's are not
        deal_colours = {s.style.color.name for s in basket.render_line(4) if s.text.strip()}
        assert deal_colours == {"green"}
        assert not any(s.style.color and s.style.color.name == "green"
                       for s in basket.render_line(1))
        assert basket.selected_line() == 3                 # the last line, not the deal
    run(test)


def test_narrow_mode_leaves_out_the_unit_price():
    basket_sale = sale(line(1, "Fusilli 500 g", 2990, 2))

    async def test(pilot, basket):
        basket.show(basket_sale, MONEY)
        await pilot.pause()
        header, row, *_ = paint(basket)
        assert basket.size.width < BasketView.NARROW
        assert header.split() == ["Item", "Qty", "Total"]
        assert "29,90" not in row and "59,80\xa0kr" in row
    run(test, width=50)

    async def wide(pilot, basket):
        basket.show(basket_sale, MONEY)
        await pilot.pause()
        assert "29,90\xa0kr" in paint(basket)[1]
    run(wide, width=BasketView.NARROW)


def test_right_to_left_mirrors_the_columns_and_sets_names_right():
    async def test(pilot, basket):
        basket.rtl = True
        basket.show(sale(line(1, HEBREW, 2990, 2)), MONEY)
        await pilot.pause()
        header, row, *_ = paint(basket)
        assert header.split() == ["Total", "Price", "Qty", "Item"]
        assert row.startswith("  59,80\xa0kr") and row.endswith(visual(HEBREW) + " ")
        assert row.index("59,80") < row.index("29,90") < row.index(" 2 ") < row.index(visual(HEBREW))
        basket.rtl = False                                  # left to right again: names left
        await pilot.pause()
        header, row, *_ = paint(basket)
        assert header.split() == ["Item", "Qty", "Price", "Total"]
        assert row.endswith("59,80\xa0kr ")
        assert row.rstrip().startswith(" " * 10)           # a Hebrew name is still set right
    run(test)


def test_the_cursor_follows_the_focused_line_and_stays_otherwise():
    async def test(pilot, basket):
        s = sale(line(1, "A", 100), line(2, "B", 200), line(3, "C", 300))
        basket.show(s, MONEY)
        assert basket.cursor_row == 2 and basket.selected_line() == 3
        basket.show(s, MONEY, focus_line=1)
        assert basket.cursor_row == 0 and basket.selected_line() == 1
        s.lines[4] = line(4, "D", 400)
        basket.show(s, MONEY)                               # a redraw without a focus: it stays
        assert basket.selected_line() == 1
        s.lines[1].qty = 3
        basket.show(s, MONEY)
        assert basket.selected_line() == 1
        del s.lines[1]                                      # its line is gone: the last line
        basket.show(s, MONEY)
        assert basket.selected_line() == 4
        basket.focus()
        await pilot.press("up", "up")
        assert basket.selected_line() == 2
        await pilot.press("up", "up")                       # stops at the first row
        assert basket.cursor_row == 0
        await pilot.press("down")
        assert basket.selected_line() == 3
        basket.move_cursor(row=99)
        assert basket.cursor_row == 2
        await pilot.click(BasketView, offset=(3, 1))        # line 1 of the widget: row 0
        assert basket.selected_line() == 2
        basket.show(sale(), MONEY)
        assert basket.row_count == 0 and basket.selected_line() is None
    run(test)


def test_the_cursor_is_kept_in_view():
    async def test(pilot, basket):
        s = sale(*(line(n, f"Item {n}", 100 * n) for n in range(1, 31)))
        basket.show(s, MONEY)
        await pilot.pause()
        shown = paint(basket)
        visible = basket.scrollable_content_region.height - 1
        assert basket.scroll_y == 30 - visible
        assert shown[0].split()[0] == "Item" and shown[-1].startswith(" Item 30 ")
        basket.show(s, MONEY, focus_line=2)
        await pilot.pause()
        assert basket.scroll_y == 1 and paint(basket)[1].startswith(" Item 2 ")
    run(test, height=10)


def test_a_long_name_is_cut_with_an_ellipsis():
    name = "Nordstjerne chocolate dark 70 % cocoa, single origin Ecuador, 60 g"

    async def test(pilot, basket):
        basket.show(sale(line(1, name, 1990)), MONEY)
        await pilot.pause()
        row = paint(basket)[1]
        assert name not in row and "…" in row
        assert row.startswith(" " + name[:20]) and cell_len(row) == basket.size.width
    run(test, width=50)
    assert fit(name, 10) == "Nordstjer…" and fit("short", 10) == "short"


def test_an_unchanged_row_is_served_from_the_cache():
    async def test(pilot, basket):
        s = sale(line(1, "A", 100), line(2, "B", 200), deals=[Deal(2, "B1", "A + B", 50)])
        basket.show(s, MONEY)
        await pilot.pause()
        paint(basket)
        before = basket.rows_laid_out
        s.lines[3] = line(3, "C", 300)                     # a scan: one line more
        basket.show(s, MONEY, focus_line=3)
        await pilot.pause()
        paint(basket)
        assert basket.rows_laid_out == before + 1          # only the new line's row
        paint(basket)
        basket.show(s, MONEY, focus_line=1)                # the cursor moves: no row laid out
        paint(basket)
        assert basket.rows_laid_out == before + 1
        s.lines[1].qty = 2                                 # a changed line: that row only
        basket.show(s, MONEY, focus_line=1)
        paint(basket)
        assert basket.rows_laid_out == before + 2
    run(test)


def test_show_repaints_only_the_rows_that_changed():
    async def test(pilot, basket):
        s = sale(line(1, "A", 100), line(2, "B", 200))
        basket.show(s, MONEY)
        await pilot.pause()
        calls = []
        render_line = basket.render_line
        basket.render_line = lambda y: calls.append(y) or render_line(y)
        basket.show(s, MONEY)                              # nothing changed: nothing to paint
        await pilot.pause()
        assert calls == []
        s.lines[3] = line(3, "C", 300)
        basket.show(s, MONEY, focus_line=3)
        await pilot.pause()
        assert sorted(set(calls)) == [2, 3]               # the old cursor row and the new row
    run(test)
