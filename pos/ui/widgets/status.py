"""The status bar (scanner state, live store, cashier, language, unsent sales,
training) and the message line (what to do about a refused scan)."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import _, visual

SCANNER_STATES = {"connected": ("Scanner connected", "green"),
                  "disconnected": ("Scanner disconnected", "red"),
                  "reconnecting": ("Scanner reconnecting", "yellow"),
                  "wedge": ("Keyboard scanner", "green"),
                  "none": ("No scanner", "yellow")}


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    def show(self, *, scanner: str, store: str, cashier: str, lang: str, unsent: int,
             training: bool) -> None:
        label, style = SCANNER_STATES[scanner]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" ● {visual(_(label))} ", style=f"bold {style}")
        if training:
            text.append(f" {visual(_('TRAINING'))} ", style="bold black on yellow")
        parts = [_("Store") + ": " + store]
        if cashier:
            parts.append(_("Cashier") + ": " + cashier)
        parts.append(lang)
        parts.append(_("Unsent sales") + f": {unsent}")
        text.append(" │ " + " │ ".join(visual(p) for p in parts))
        self.update(text)


class MessageLine(Static):
    DEFAULT_CSS = """
    MessageLine { height: 1; color: $text-muted; }
    MessageLine.-problem { color: $error; text-style: bold; }
    MessageLine.-warning { color: $warning; text-style: bold; }
    """

    def say(self, message: str, kind: str = "info") -> None:
        self.set_classes(f"-{kind}" if kind != "info" else "")
        self.update(visual(message))
