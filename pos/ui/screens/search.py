"""F2: find a product by name (any catalog language) or sku; Enter adds it."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import _, visual

if TYPE_CHECKING:                    # the controller's search gives these
    from ...store.catalog import Product


class SearchScreen(ModalScreen[str | None]):
    """Dismisses with the chosen sku, or None."""
    BINDINGS = [Binding("escape", "cancel", show=False),
                Binding("down", "focus_results", show=False)]

    def __init__(self, search: Callable[[str], list[Product]], describe: Callable[[Product], str]):
        super().__init__()
        self.search, self.describe = search, describe

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(visual(_("Find a product: name or sku")), classes="question")
            yield Input(id="query")
            yield OptionList(id="results")
            yield Static(visual(_("Enter = add    ↓ = choose    Esc = back")), classes="keys")

    @on(Input.Changed, "#query")
    def update_results(self, event: Input.Changed) -> None:
        results = self.query_one("#results", OptionList)
        results.clear_options()
        for product in self.search(event.value):
            results.add_option(Option(visual(self.describe(product)), id=product.sku))
        if results.option_count:
            results.highlighted = 0

    @on(Input.Submitted, "#query")
    def take_first(self) -> None:
        results = self.query_one("#results", OptionList)
        if results.option_count:
            self.dismiss(results.get_option_at_index(results.highlighted or 0).id)

    @on(OptionList.OptionSelected, "#results")
    def take_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_focus_results(self) -> None:
        self.query_one("#results", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
