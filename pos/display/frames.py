"""What the customer display shows: two lines of 20 characters, a pure function of
the till's state (`display_frame`), in the store's language and money.

    idle        the store's name / "Welcome"
    sale        the last line's name (cut to fit) and its amount at the right /
                "Total" and the sale's total
    offer       when the cashier offers a suggestion (F4, or the last-call card at
                payment): its name / its price; for an upgrade "Upgrade" and the
                price step (+12,00 kr), for a deal "You save" and the saving.
                Never the reason (the share of baskets, the score): only the
                item and what it costs.
    paid        "Thank you!" / "Paid" and the amount paid

Amounts come from the till's Money formatter (Babel with the store's exponent);
labels are gettext strings of pos.i18n in the store's language. Given the
display's code page (`codec`), each text is first put in characters the code page
has (pos.codepage's fallbacks, as the display will be sent them), so that the
amount stays at the right margin. Right-to-left (Hebrew): each line in visual order
(pos.i18n.visual) and mirrored, as the receipt is: the text at the right, the
amount at the left.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..engine import Suggestion
from ..i18n import N_, is_rtl, translations, visual
from ..till.money import Money
from ..till.sale import Sale
from .commands import WIDTH, display_text

WELCOME, TOTAL, PAID, THANKS = N_("Welcome"), N_("Total"), N_("Paid"), N_("Thank you!")
UPGRADE, YOU_SAVE = N_("Upgrade"), N_("You save")


@dataclass(frozen=True)
class Frame:
    """Two lines of exactly WIDTH characters, in the order the display draws them."""
    lines: tuple[str, str]
    kind: str                   # idle | sale | offer | paid


def display_frame(*, store_name: str, sale: Sale | None, money: Money, lang: str,
                  offer: Suggestion | None = None, paid: int | None = None,
                  codec: str | None = None) -> Frame:
    """The frame for the till's state: an offer when there is one, else the sale
    when it has lines, else the thanks for `paid` (the last sale's amount), else idle."""
    tr = translations(lang).gettext
    code = money.currency.code

    def text(s: str) -> str:
        return _clean(s, codec, code)

    rows: tuple[tuple[str, str], tuple[str, str]]
    if offer is not None:
        kind = "offer"
        if offer.kind == "upsell":
            second = (tr(UPGRADE), money.step(offer.price))
        elif offer.kind == "bundle" and offer.saving:
            second = (tr(YOU_SAVE), money(offer.saving))
        else:
            second = ("", money(offer.price))
        rows = ((offer.name, ""), second)
    elif sale is not None and sale.lines:
        kind = "sale"
        last = sale.lines[max(sale.lines)]
        rows = ((last.name, money(last.total)), (tr(TOTAL), money(sale.total)))
    elif paid is not None:
        kind = "paid"
        rows = ((tr(THANKS), ""), (tr(PAID), money(paid)))
    else:
        kind = "idle"
        rows = ((store_name, ""), (tr(WELCOME), ""))
    rtl = is_rtl(lang)
    first, second_line = (_line(text(start), text(end), rtl, center=kind in ("idle", "paid") and not end)
                          for start, end in rows)
    return Frame((first, second_line), kind)


def _clean(s: str, codec: str | None, currency_code: str) -> str:
    if codec is not None:
        return display_text(s, codec, currency_code)
    return "".join(" " if ch.isspace() else ch for ch in s if unicodedata.category(ch) != "Cf")


def _line(start: str, end: str, rtl: bool, center: bool = False) -> str:
    """`start` and `end` on one line of WIDTH: the start cut to leave room for the end."""
    end = end[:WIDTH]
    room = WIDTH - len(end) - (1 if end else 0)
    start = start.strip()[:room].rstrip()
    gap = WIDTH - len(start) - len(end)
    if rtl:             # visual order, mirrored: the amount at the left, the text ending at the right
        return end + " " * gap + visual(start)
    if center:
        return start.center(WIDTH)
    return start + " " * gap + end
