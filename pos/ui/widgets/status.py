"""The status bar (scanner state, live store, cashier, language, unsent sales,
the store hub when there is one, the customer display while it is disconnected,
training), the message line (what to do about
a refused scan) and the one-line texts of the top bar. Each scan redraws them all: what has not changed is not
updated, and a line of fixed size is not laid out again."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ...i18n import N_, _, language, visual
from ...receipt.status import COVER_IS_OPEN, HAS_ERROR, IS_OFFLINE, OUT_OF_PAPER

SCANNER_STATES = {"connected": (N_("Scanner connected"), "green"),
                  "disconnected": (N_("Scanner disconnected"), "red"),
                  "reconnecting": (N_("Scanner reconnecting"), "yellow"),
                  "wedge": (N_("Keyboard scanner"), "green"),
                  "none": (N_("No scanner"), "yellow")}
# the store hub's link (pos.hub.client's states): what it says, with the sales waiting
HUB_STATES = {"connecting": (N_("Hub: connecting"), ""),
              "connected": (N_("Hub: connected"), ""),
              "unreachable": (N_("Hub: unreachable"), "bold yellow"),
              "refused": (N_("Hub: refuses this till (see the log)"), "bold red")}
# the receipt printer's spooler (pos.receipt.spool's states, and a printer's problem:
# pos.receipt.status), with the receipts waiting
PRINTER_STATES = {"starting": (N_("Printer: connecting"), ""),
                  "ready": (N_("Printer: ready"), ""),
                  "unreachable": (N_("Printer: not reachable"), "bold yellow"),
                  IS_OFFLINE: (N_("Printer: offline"), "bold yellow"),
                  COVER_IS_OPEN: (N_("Printer: cover open"), "bold yellow"),
                  OUT_OF_PAPER: (N_("Printer: out of paper"), "bold yellow"),
                  HAS_ERROR: (N_("Printer: error (see the printer)"), "bold red")}


class TextLine(Static):
    """A one-line Static updated only when its text changes (every scan redraws the
    screen's texts; an unchanged one costs nothing then), and laid out again only
    when the text's width changes (for a width: auto line)."""
    shown: object = None

    def show_text(self, text: str) -> None:
        if text == self.shown:
            return
        layout = not isinstance(self.shown, str) or cell_len(text) != cell_len(self.shown)
        self.shown = text
        self.update(text, layout=layout)


class StatusBar(Static):
    DEFAULT_CSS = """
    StatusBar { height: 1; background: $panel; color: $text; }
    """
    shown_for: tuple | None = None

    def show(self, *, scanner: str, store: str, cashier: str, lang: str, unsent: int,
             training: bool, rtl: bool = False, hub: tuple[str, int] | None = None,
             printer: tuple[str, int] | None = None, display: str | None = None) -> None:
        """Right to left: the scanner state at the right, the parts in reading order leftwards.
        `hub`: (the hub link's state, the sales waiting for it), or None: no hub.
        `printer`: (the spooler's state, the receipts waiting), or None: no printer.
        `display`: the customer display link's state, or None: no display (said only
        when disconnected)."""
        key = (scanner, store, cashier, lang, unsent, training, rtl, hub, printer, display,
               language())
        if key == self.shown_for:
            return
        self.shown_for = key
        label, style = SCANNER_STATES[scanner]
        parts = [(f" ● {_(label)} ", f"bold {style}")]
        if training:
            training_label = _("TRAINING")
            parts.append((f" {training_label} ", "bold black on yellow"))
        parts.append((_("Store") + ": " + store, ""))
        if cashier:
            parts.append((_("Cashier") + ": " + cashier, ""))
        parts += [(lang, ""), (_("Unsent sales") + f": {unsent}", "")]
        if hub is not None:
            state, waiting = hub
            hub_label, hub_style = HUB_STATES.get(state, HUB_STATES["connecting"])
            hub_text = _(hub_label)
            if waiting:
                hub_text += ", " + _("sales waiting: {count}").format(count=waiting)
            parts.append((hub_text, hub_style if state != "connected" or not waiting else ""))
        if printer is not None:
            state, waiting = printer
            printer_label, printer_style = PRINTER_STATES.get(state, PRINTER_STATES[HAS_ERROR])
            printer_text = _(printer_label)
            if waiting:
                printer_text += ", " + _("receipts waiting: {count}").format(count=waiting)
            parts.append((printer_text, printer_style))
        if display == "disconnected":
            parts.append((_("Display: disconnected"), "bold red"))
        text = Text(no_wrap=True, overflow="ellipsis", justify="right" if rtl else "left")
        for i, (part, part_style) in enumerate(reversed(parts) if rtl else parts):
            if i:
                text.append(" │ ")
            text.append(visual(part), style=part_style)
        self.update(text, layout=False)      # one line, as wide as the screen


class MessageLine(TextLine):
    DEFAULT_CSS = """
    MessageLine { height: 1; color: $text-muted; }
    MessageLine.-problem { color: $error; text-style: bold; }
    MessageLine.-warning { color: $warning; text-style: bold; }
    """

    def say(self, message: str, kind: str = "info") -> None:
        self.set_classes(f"-{kind}" if kind != "info" else "")     # a no-op if the same
        text = visual(message)
        if text != self.shown:
            self.shown = text
            self.update(text, layout=False)     # one line, as wide as the screen
