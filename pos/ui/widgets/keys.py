"""The key bar: what each key does, in the store's language."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import N_, _, visual

SALE_KEYS = [("1-3", N_("accept")), ("0/Esc", N_("no")), ("7/8/9", N_("no: reason")),
             ("+/-", N_("qty")), ("Del", N_("void")), ("F2", N_("find")), ("F3", N_("customer")),
             ("F10", N_("pay")), ("F1", N_("help"))]


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: auto; background: $boost; }
    """

    def show(self, keys: list[tuple[str, str]], rtl: bool = False) -> None:
        """Right to left: the first key at the right, each label left of its key."""
        text = Text(justify="right" if rtl else "left")
        for key, what in (reversed(keys) if rtl else keys):
            if rtl:
                text.append(f"  {visual(_(what))} ")
                text.append(f" {key} ", style="bold reverse")
            else:
                text.append(f" {key} ", style="bold reverse")
                text.append(f" {visual(_(what))}  ")
        self.update(text)
