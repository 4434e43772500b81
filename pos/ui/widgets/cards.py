"""The suggestions panel: up to three cards (kind, name, price or price step,
the reason, the pitch), updated in place; it never takes focus."""
from __future__ import annotations

from rich.console import JustifyMethod
from rich.text import Text
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from ...engine import Suggestion
from ...i18n import N_, _, language, visual
from ...till.money import Money
from .text import paragraph

KIND_LABELS = {"cross": N_("Add-on"), "upsell": N_("Upgrade"), "bundle": N_("Deal")}


def kind_label(kind: str) -> str:
    return _(KIND_LABELS.get(kind, kind))


class Card(Static):
    DEFAULT_CSS = """
    Card { border-left: thick $secondary; padding: 0 0 0 1; height: auto; max-height: 6;
           margin-bottom: 1; }
    Card.-empty { display: none; }
    Card.-rtl { text-align: right; }
    Card.upsell { border-left: thick $warning; }
    Card.bundle { border-left: thick $success; }
    """
    can_focus = False
    plain = ""
    shown: tuple | None = None      # what the card shows now: its update is skipped if the same

    def render_card(self, position: int, s: Suggestion, money: Money, rtl: bool) -> None:
        # the text's width: inside the card's border and padding (a hidden card has no
        # size yet: the panel's, less the same)
        parent = self.parent
        parent_width = parent.size.width if isinstance(parent, Widget) else 0
        width = self.content_size.width or max(8, (parent_width or 38) - 3)
        key = (position, s.kind, s.name, s.price, s.saving, s.reason, s.pitch, money, rtl, width,
               language())
        if key == self.shown:
            return
        self.shown = key
        if s.kind == "upsell":
            price = money.step(s.price)
        elif s.kind == "bundle" and s.saving:
            save = _("save")
            price = f"{money(s.price)}  ({save} {money(s.saving)})"
        else:
            price = money(s.price)
        justify: JustifyMethod = "right" if rtl else "left"
        title = Text(justify=justify, no_wrap=True, overflow="ellipsis")
        badge = (f"[{position}]", "bold reverse")
        heading = f"{kind_label(s.kind)}  {s.name}"
        if len(heading) > width - 5:        # one line, cut in logical order: the badge stays
            heading = heading[:width - 6] + "…"
        if rtl:              # the badge goes where an RTL line starts: the right
            title.append(visual(heading) + " ", style="bold")
            title.append(*badge)
        else:
            title.append(*badge)
            title.append(" " + visual(heading), style="bold")
        lines = [title, Text(visual(price), style="bold cyan", justify=justify)]
        lines += paragraph(s.reason, width, rtl, "italic")
        if s.pitch:
            lines += paragraph(f"“{s.pitch}”", width, rtl, "dim")
        self.set_classes(f"{s.kind} -rtl" if rtl else s.kind)      # one style update, if any
        self.plain = "\n".join(line.plain for line in lines)     # what it says, for tests and logs
        self.update(Text("\n").join(lines))     # one Text: Textual applies text-align to it


class SuggestionPanel(Vertical):
    DEFAULT_CSS = """
    SuggestionPanel { height: auto; }
    SuggestionPanel > .title { color: $text-muted; }
    """
    can_focus = False

    def compose(self):
        yield Static(_("Suggestions"), classes="title", id="suggestions-title")
        for i in range(3):
            yield Card(classes="-empty", id=f"card-{i + 1}")
        yield Static(_("No suggestion for this basket yet."), id="no-suggestions")

    _parts: tuple | None = None
    _title_text: str | None = None

    def show(self, cards: list[Suggestion], money: Money, rtl: bool = False,
             title: str | None = None) -> None:
        """Updates the cards in place; what has not changed is not redrawn."""
        if self._parts is None:
            self._parts = (self.query_one("#suggestions-title", Static),
                           [self.query_one(f"#card-{i + 1}", Card) for i in range(3)],
                           self.query_one("#no-suggestions", Static))
        title_widget, card_widgets, none = self._parts
        title = title or _("Suggestions")
        if title != self._title_text:
            self._title_text = title
            title_widget.update(title)
        for i, card in enumerate(card_widgets):
            if i < len(cards):
                card.render_card(i + 1, cards[i], money, rtl)
            else:
                card.shown = None
                card.set_classes("-empty")
        none.display = not cards
