"""A yes/no question (void a line, resume a sale, check an ID): Enter or y = yes,
Esc or n = no."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ...i18n import _, visual


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [Binding("enter,y", "answer(True)", show=False),
                Binding("escape,n", "answer(False)", show=False)]

    def __init__(self, question: str, yes: str | None = None, no: str | None = None) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes or _("Yes"), no or _("No")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(visual(self.question), classes="question")
            yield Static(visual(f"Enter = {self.yes}    Esc = {self.no}"), classes="keys")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class IdCheckScreen(ConfirmScreen):
    """An age-restricted line was scanned: the cashier checks the customer's ID
    (Enter) or takes the line off (Esc). Scans wait until it is answered."""

    def __init__(self, name: str) -> None:
        super().__init__(_("Age-restricted: {name}. Check the customer's ID.").format(name=name),
                         _("ID checked"), _("Remove the line"))
