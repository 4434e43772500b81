"""The basket: one row per sale line (name, quantity or weight, unit price, line
total), deals as their own rows, the cursor on the line the keys act on.

A line-API widget (`ScrollView` + `render_line`), not a DataTable: a scan must
repaint the screen within a few milliseconds, however long the basket.

- `show()` turns the sale into rows of plain strings (the amounts formatted once
  per distinct line, not on every scan) and marks dirty only the screen lines
  whose row or cursor changed; nothing is rendered there.
- `render_line()` draws a visible row from two caches: the row's cells laid
  out (cut, reordered for right-to-left, padded), keyed by the row's content and
  the column widths, so an unchanged line is never laid out again and adding a
  line lays out one row; and the row's Strip, keyed by that and the row's style
  (zebra stripe, cursor, focus), so a repaint of an unchanged screen line is a
  dictionary look-up.
- The amount columns start wide enough for most amounts (999,99 in the store's
  currency), so a new line seldom widens them and lays out the others again.
"""
from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...i18n import _, has_rtl, visual
from ...till.money import Money
from ...till.sale import Sale

_GREEN = Style(color="green")
_NO_STYLE = Style()
_COLUMN = [Style.from_meta({"column": i}) for i in range(4)]


class Row(NamedTuple):
    """One basket row as plain text, in logical order. `key` is the sale line's
    number as a string, "deal-LINE-BUNDLE" for a deal, or "coupon-CODE" for a coupon
    scanned (its saving; none shown until its item is in the basket)."""
    key: str
    name: str
    qty: str
    unit: str
    total: str
    deal: bool = False


def fit(text: str, width: int) -> str:
    """At most `width` cells: cut with an ellipsis (in logical order, before any reordering)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return chop_cells(text, width - 1)[0] + "…"


def _place(text: str, width: int, right: bool) -> str:
    """Exactly `width` cells, set left or right."""
    room = width - cell_len(text)
    if room <= 0:
        return set_cell_size(text, width)
    return " " * room + text if right else text + " " * room


class BasketView(ScrollView, can_focus=True):
    DEFAULT_CSS = """
    BasketView {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        &:focus {
            background-tint: $foreground 5%;
            & > .basket-view--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .basket-view--header { background-tint: $foreground 5%; }
        }
        & > .basket-view--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .basket-view--header { background: ansi_bright_blue; color: ansi_default; }
        & > .basket-view--odd-row { }
        & > .basket-view--even-row { background: $surface-lighten-1 50%; }
        &:dark > .basket-view--even-row { background: $surface-darken-1 40%; }
        & > .basket-view--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES = {"basket-view--header", "basket-view--cursor",
                         "basket-view--even-row", "basket-view--odd-row"}
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    _layout_only = False   # set while a new virtual size is given: see refresh()

    NARROW = 64        # below this width the unit price column is left out
    MIN_NAME = 12      # the name column's least width (the row is cut beyond)
    PAD = 1            # blank cells each side of a cell
    CACHE_LIMIT = 2048  # entries per cache before it is emptied

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rtl = False
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}      # row key -> row index
        self._cursor = -1                     # row index, -1 when there are no rows
        self._header = Row("", "", "", "", "")
        self._min_widths = (0, 0, 0)          # qty, unit, total: from the labels and the money
        self._widths: tuple[int, ...] = (0, 0, 0)   # the least, or wider for a wider amount
        self._money: Money | None = None
        self._texts: dict[tuple, tuple[str, str, str]] = {}     # a line's values -> its strings
        self._cells: dict[tuple, tuple[tuple[str, bool], ...]] = {}   # row + layout -> cells
        self._strips: dict[tuple, Strip] = {}                         # cells + style -> Strip
        self.rows_laid_out = 0                # cache misses of the row layout (tests, profiling)

    # ---- the public side ---------------------------------------------------------------

    @property
    def rtl(self) -> bool:
        return self._rtl

    @rtl.setter
    def rtl(self, value: bool) -> None:
        if value != self._rtl:
            self._rtl = value
            self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> list[Row]:
        return list(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @cursor_row.setter
    def cursor_row(self, row: int) -> None:
        self.move_cursor(row=row)

    def show(self, sale: Sale, money: Money, focus_line: int | None = None) -> None:
        """Shows the sale's lines; the cursor goes to `focus_line` (or stays on its
        row, or goes to the last line)."""
        keep = self._rows[self._cursor].key if self._cursor >= 0 else None
        labels = (_("Item"), _("Qty"), _("Price"), _("Total"))
        if money is not self._money or labels != self._header[1:5]:
            self._money = money
            self._texts.clear()
            self._header = Row("", *labels)
            self._min_widths = self._least_widths(money)
            self.refresh()
        texts = self._texts
        if len(texts) > self.CACHE_LIMIT:
            texts.clear()
        rows = []
        for line in sale.lines.values():
            values = (line.unit, line.unit_price, line.qty, line.weight_g, line.price)
            strings = texts.get(values)
            if strings is None:
                strings = texts[values] = self._line_texts(line, money)
            rows.append(Row(str(line.line), line.name, *strings))
        for deal in sale.deals:
            rows.append(Row(f"deal-{deal.line}-{deal.bundle}", "  " + _("Deal") + ": " + deal.name,
                            "", "", money(-deal.saving), True))
        for coupon in sale.coupons:
            saving = sale.coupon_saving(coupon)
            rows.append(Row(f"coupon-{coupon.code}",
                            "  " + _("Coupon: {name}").format(name=coupon.name), "", "",
                            money(-saving) if saving else "", True))
        self._set_rows(rows)
        if focus_line is not None and str(focus_line) in self._index:
            target = self._index[str(focus_line)]
        elif keep is not None and keep in self._index:
            target = self._index[keep]
        else:
            target = self._index[str(max(sale.lines))] if sale.lines else (0 if rows else -1)
        self.move_cursor(row=target)

    def selected_line(self) -> int | None:
        """The sale line under the cursor (None on a deal row or in an empty basket)."""
        if self._cursor < 0:
            return None
        key = self._rows[self._cursor].key
        return int(key) if key.isdigit() else None

    def move_cursor(self, *, row: int | None = None, column: int | None = None,
                    animate: bool = False, scroll: bool = True) -> None:
        """Puts the cursor on row `row` (clamped to the rows) and scrolls to show it.
        `column` is accepted, as DataTable's, and ignored: the cursor is a row."""
        if row is None:
            return
        row = min(max(row, 0), len(self._rows) - 1)
        if row != self._cursor:
            for old_or_new in (self._cursor, row):
                if old_or_new >= 0:
                    self._refresh_row(old_or_new)
            self._cursor = row
        if scroll:
            self._scroll_to_cursor(animate)

    # ---- rows and what they dirty ---------------------------------------------------------

    def _least_widths(self, money: Money) -> tuple[int, int, int]:
        """Columns wide enough for most amounts from the start, so a line does not
        usually widen them (which lays out every row again)."""
        typical = cell_len(money(99_999))
        return (max(cell_len(_("Qty")), 3), max(cell_len(_("Price")), typical),
                max(cell_len(_("Total")), typical))

    @staticmethod
    def _line_texts(line, money: Money) -> tuple[str, str, str]:
        if line.weight_g is not None:
            qty = money.weight(line.weight_g)
        elif line.price is not None:
            qty = "1"
        else:
            qty = money.quantity(line.qty)
        unit = money(line.unit_price) + (_("/kg") if line.unit == "kg" else "")
        return qty, unit, money(line.total)

    def _set_rows(self, rows: list[Row]) -> None:
        old = self._rows
        self._rows = rows
        self._index = {row.key: i for i, row in enumerate(rows)}
        widths = tuple(max([least] + [cell_len(getattr(r, name)) for r in rows])
                       for least, name in zip(self._min_widths, ("qty", "unit", "total")))
        if widths != self._widths:
            self._widths = widths
            self.refresh()                    # every row: the columns moved
        elif old != rows:
            changed = [i for i in range(max(len(old), len(rows)))
                       if i >= len(old) or i >= len(rows) or old[i] != rows[i]]
            if changed:       # virtual line i + 1 (below the header) is row i
                self.refresh_lines(changed[0] + 1, changed[-1] - changed[0] + 1)
        if len(rows) != len(old):
            # a new virtual size means a layout (the scrollbar), not a repaint of every row
            self._layout_only = True
            try:
                self.virtual_size = Size(0, len(rows) + 1)
            finally:
                self._layout_only = False
        if self._cursor >= len(rows):
            self._cursor = len(rows) - 1

    def refresh(self, *regions, repaint: bool = True, layout: bool = False,
                recompose: bool = False):
        if self._layout_only and not regions:
            repaint = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _refresh_row(self, index: int) -> None:
        """Marks the screen line of row `index` dirty (if it is on screen)."""
        if 1 <= index + 1 - round(self.scroll_y) < self.size.height:
            self.refresh_line(index + 1)      # virtual line i + 1 (below the header) is row i

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        visible = self.scrollable_content_region.height - 1     # less the header
        if visible <= 0 or self._cursor < 0:
            return
        top = round(self.scroll_y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=animate, force=True)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=animate, force=True)

    # ---- drawing -----------------------------------------------------------------------

    def _layout(self, width: int) -> tuple:
        """The column widths for a content width: (name, qty, unit or 0, total, rtl)."""
        qty, unit, total = self._widths
        if self.size.width < self.NARROW:
            unit = 0
        pads = 2 * self.PAD
        others = qty + total + (unit + pads if unit else 0) + 2 * pads
        return (max(self.MIN_NAME, width - others - pads), qty, unit, total, self._rtl)

    def _lay_out(self, row: Row, layout: tuple) -> tuple[tuple[str, bool], ...]:
        """The row's cells in display order: (text with its padding, green)."""
        self.rows_laid_out += 1
        name_w, qty_w, unit_w, total_w, rtl = layout
        pad = " " * self.PAD
        header = not row.key
        name = visual(fit(row.name, name_w))
        cells = [(pad + _place(name, name_w, rtl or has_rtl(row.name)) + pad, row.deal)]
        for text, width in ((row.qty, qty_w), (row.unit, unit_w), (row.total, total_w)):
            if width:
                amount = visual(fit(text, width))
                cells.append((pad + _place(amount, width, True) + pad,
                              row.deal and not header and bool(text)))
        return tuple(cells[::-1] if rtl else cells)

    def _strip(self, row: Row, layout: tuple, style: Style, width: int) -> Strip:
        key = (row, layout, style, width)
        strip = self._strips.get(key)
        if strip is None:
            cells_key = (row, layout)
            cells = self._cells.get(cells_key)
            if cells is None:
                if len(self._cells) > self.CACHE_LIMIT:
                    self._cells.clear()
                cells = self._cells[cells_key] = self._lay_out(row, layout)
            if len(self._strips) > self.CACHE_LIMIT:
                self._strips.clear()
            # a style per cell (the column in its meta): the cells stay separate segments, as
            # a terminal's cells are (an SVG screenshot would reorder a right-to-left row whole)
            segments = [Segment(text, style + (_GREEN if is_green else _NO_STYLE) + _COLUMN[i])
                        for i, (text, is_green) in enumerate(cells)]
            used = sum(cell_len(text) for text, _ in cells)
            if used < width:        # the row's colour to the edge
                filler = Segment(" " * (width - used), style)
                segments = [filler, *segments] if layout[-1] else [*segments, filler]
            strip = self._strips[key] = Strip(segments).crop(0, width) if used > width \
                else Strip(segments, width)
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        layout = self._layout(width)
        if y == 0:
            return self._strip(self._header, layout,
                               self.get_component_rich_style("basket-view--header"), width)
        index = y - 1 + round(self.scroll_y)
        if index >= len(self._rows):
            return Strip.blank(width, self.rich_style)
        if index == self._cursor:
            name = "basket-view--cursor"
        else:
            name = "basket-view--odd-row" if index % 2 else "basket-view--even-row"
        return self._strip(self._rows[index], layout, self.get_component_rich_style(name), width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    # ---- keys and mouse ---------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(row=self._cursor - max(1, self.scrollable_content_region.height - 2))

    def action_page_down(self) -> None:
        self.move_cursor(row=self._cursor + max(1, self.scrollable_content_region.height - 2))

    def action_first(self) -> None:
        self.move_cursor(row=0)

    def action_last(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = offset.y - 1 + round(self.scroll_y)
        if index < len(self._rows):
            self.move_cursor(row=index)

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()
        self._scroll_to_cursor()
