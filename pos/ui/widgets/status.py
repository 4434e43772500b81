"""The status bar (scanner state, live store, cashier, language, unsent sales,
training) and the message line (what to do about a refused scan)."""
from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...i18n import N_, _, visual

SCANNER_STATES = {"connected": (N_("Scanner connected"), "green"),
                  "disconnected": (N_("Scanner disconnected"), "red"),
                  "reconnecting": (N_("Scanner reconnecting"), "yellow"),
                  "wedge": (N_("Keyboard scanner"), "green"),
                  "none": (N_("No scanner"), "yellow")}


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """

    def show(self, *, scanner: str, store: str, cashier: str, lang: str, unsent: int,
             training: bool, rtl: bool = False) -> None:
        """Right to left: the scanner state at the right, the parts in reading order leftwards."""
        label, style = SCANNER_STATES[scanner]
        parts = [(f" ● {_(label)} ", f"bold {style}")]
        if training:
            training_label = _("TRAINING")
            parts.append((f" {training_label} ", "bold black on yellow"))
        parts.append((_("Store") + ": " + store, ""))
        if cashier:
            parts.append((_("Cashier") + ": " + cashier, ""))
        parts += [(lang, ""), (_("Unsent sales") + f": {unsent}", "")]
        text = Text(no_wrap=True, overflow="ellipsis", justify="right" if rtl else "left")
        for i, (part, part_style) in enumerate(reversed(parts) if rtl else parts):
            if i:
                text.append(" │ ")
            text.append(visual(part), style=part_style)
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
