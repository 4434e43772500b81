"""F10: the total and payment. With a last suggestion (one strong card not shown
yet in this sale), 1 adds it and 0 declines it; Enter = paid, Esc = back to the sale."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...engine import Suggestion
from ...i18n import _, visual
from ...till.money import Money
from ..widgets.cards import Card


class PaymentScreen(ModalScreen[str]):
    """Dismisses with 'paid', 'back', 'accept' or 'decline'."""
    BINDINGS = [Binding("enter", "done('paid')", show=False),
                Binding("escape", "done('back')", show=False),
                Binding("1", "card('accept')", show=False),
                Binding("0", "card('decline')", show=False)]

    def __init__(self, total: int, money: Money, card: Suggestion | None, rtl: bool) -> None:
        super().__init__()
        self.total, self.money, self.card, self.rtl = total, money, card, rtl

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(visual(_("Total to pay")), classes="question")
            yield Static(visual(self.money(self.total)), id="pay-total")
            if self.card is not None:
                yield Static(visual(_("Before you pay")), classes="question")
                yield Card(id="last-call")
            keys = _("Enter = paid    Esc = back to the sale")
            if self.card is not None:
                keys = _("1 = add    0 = no thanks") + "    " + keys
            yield Static(visual(keys), classes="keys")

    def on_mount(self) -> None:
        if self.card is not None:
            self.query_one("#last-call", Card).render_card(1, self.card, self.money, self.rtl)

    def action_done(self, result: str) -> None:
        self.dismiss(result)

    def action_card(self, result: str) -> None:
        if self.card is not None:
            self.dismiss(result)
