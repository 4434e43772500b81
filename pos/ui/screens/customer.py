"""F3: identify the customer: type (or scan) the loyalty card or customer number."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ...i18n import _, visual


class CustomerScreen(ModalScreen[str | None]):
    """Dismisses with what was typed, or None."""
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(visual(_("Loyalty card or customer number")), classes="question")
            yield Input(id="card")
            yield Static(visual(_("Enter = identify    Esc = back")), classes="keys")

    @on(Input.Submitted, "#card")
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
