"""F1: every key of the till, in the store's language."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...i18n import N_, _, visual

HELP = [("1, 2, 3", N_("Accept that suggestion: adds the item, upgrades the line, or completes the deal")),
        ("0, Esc", N_("No thanks: the suggestions shown do not come back in this sale")),
        ("7, 8, 9", N_("No thanks, because: not relevant / too expensive / already has it")),
        ("+, -", N_("One more / one fewer of the selected line")),
        ("↑, ↓", N_("Select a line")),
        ("Del", N_("Void the selected line (asks first)")),
        ("F2", N_("Find a product by name or sku")),
        ("F3", N_("Identify the customer (or scan the loyalty card)")),
        ("F4", N_("Customer display: show suggestion 1 to the customer; F4 again the next")),
        ("F10", N_("Total and payment")),
        ("F7", N_("Print the last receipt again (marked COPY)")),
        ("F9", N_("Manager report: today's figures, the arms compared, the last two weeks")),
        ("F8", N_("Demo: the emulated scanner scans an item of a realistic basket")),
        ("F1", N_("This help"))]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,enter", "close", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(visual(_("Keys")), classes="question")
            for key, what in HELP:
                yield Static(f"{key:>8}  " + visual(_(what)))
            yield Static(visual(_("Esc = back")), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)
