"""The key bar: what each key does, in the store's language."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import _, visual

SALE_KEYS = [("1-3", "accept"), ("0/Esc", "no"), ("7/8/9", "no: reason"), ("+/-", "qty"),
             ("Del", "void"), ("F2", "find"), ("F3", "customer"), ("F10", "pay"), ("F1", "help")]


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: auto; background: $boost; }
    """

    def show(self, keys: list[tuple[str, str]]) -> None:
        text = Text()
        for key, what in keys:
            text.append(f" {key} ", style="bold reverse")
            text.append(f" {visual(_(what))}  ")
        self.update(text)
