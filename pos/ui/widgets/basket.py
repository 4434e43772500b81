"""The basket: one row per sale line (name, quantity or weight, unit price, line
total), deals as their own rows, the cursor on the line the keys act on."""
from __future__ import annotations

from textual.widgets import DataTable

from ...i18n import _, visual
from ...till.money import Money
from ...till.sale import Sale
from .text import amount, cell


def _fit(text: str, width: int) -> str:
    """Exactly `width` cells: cut with an ellipsis, or padded."""
    return text[:width - 1] + "…" if len(text) > width else text.ljust(width)


class BasketView(DataTable):
    DEFAULT_CSS = """
    BasketView { height: 1fr; }
    """

    NARROW = 64        # below this width the unit price column is left out

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.rtl = False
        self._narrow: bool | None = None

    def _columns(self, narrow: bool) -> None:
        if narrow == self._narrow:
            return
        self.clear(columns=True)
        columns = [(_("Item"), "name"), (_("Qty"), "qty"), (_("Price"), "unit"), (_("Total"), "total")]
        if narrow:
            del columns[2]
        for label, key in self._ordered(columns):
            self.add_column(visual(label), key=key)
        self._narrow = narrow

    def _ordered(self, cells: list) -> list:
        """Right to left, the columns are mirrored: the item's name at the right."""
        return cells[::-1] if self.rtl else cells

    def show(self, sale: Sale, money: Money, focus_line: int | None = None) -> None:
        """Redraws the lines; the cursor goes to `focus_line` (or stays, or the last line)."""
        keep = self.selected_line()
        narrow = self.size.width < self.NARROW
        self._columns(narrow)
        self.clear()
        width = max(12, self.size.width - (25 if narrow else 39))  # what the other columns leave
        for line in sale.lines.values():
            if line.weight_g is not None:
                qty = money.weight(line.weight_g)
            elif line.price is not None:
                qty = "1"
            else:
                qty = money.quantity(line.qty)
            unit = money(line.unit_price) + (_("/kg") if line.unit == "kg" else "")
            cells = [cell(_fit(line.name, width), self.rtl), amount(qty), amount(unit),
                     amount(money(line.total))]
            if narrow:
                del cells[2]
            self.add_row(*self._ordered(cells), key=str(line.line))
        for deal in sale.deals:
            cells = [cell(_fit("  " + _("Deal") + ": " + deal.name, width), self.rtl, "green"),
                     amount(""), amount(""), amount(money(-deal.saving), "green")]
            if narrow:
                del cells[2]
            self.add_row(*self._ordered(cells), key=f"deal-{deal.line}-{deal.bundle}")
        target = focus_line if focus_line is not None else keep
        if target is None or target not in sale.lines:
            target = max(sale.lines) if sale.lines else None
        if target is not None:
            self.move_cursor(row=self.get_row_index(str(target)))

    def selected_line(self) -> int | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        return int(key) if key and key.isdigit() else None
