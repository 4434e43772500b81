"""A yes/no question (void a line, resume a sale): Enter or y = yes, Esc or n = no."""
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
