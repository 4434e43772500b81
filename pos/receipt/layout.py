"""A receipt laid out as rows of text for a paper width, in the store's language,
numbers and money (Babel through pos.till.money, the exponent from the store) and
its local time. No printer here: escpos_out.py sends the rows.

A row has a start cell and an end cell (the amount), justified to the width; in a
right-to-left language the printer gets them mirrored (see escpos_out.py). A row
may be a barcode (the next-visit coupon's) or text to wrap to the width.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..coupons.choose import last_day
from ..coupons.code import in_words
from ..i18n import N_, translations
from ..i18n.formats import local_day, local_time
from ..till.money import Money
from .model import Receipt

TOTAL, PAID, TILL = N_("Total"), N_("Paid"), N_("Till")
TRAINING = N_("TRAINING")            # a training sale's receipt says so at its top
COUPON_HEADING = N_("Your next-visit offer")
COUPON_VALID = N_("Valid {start} to {end}")
COUPON_ONCE = N_("Scan this code at the till. Once only.")


@dataclass(frozen=True)
class Row:
    start: str = ""            # the text (the item, the label)
    end: str = ""              # the amount, at the line's end
    align: str = "start"       # start | center (a centred row has no end cell)
    bold: bool = False
    big: bool = False          # double height and width (the store's name)
    rule: bool = False         # a line of dashes
    wrap: bool = False         # text longer than the line goes on over more lines
    barcode: str | None = None  # a Code128 barcode of these digits (no text)


def receipt_rows(receipt: Receipt) -> list[Row]:
    """The rows of `receipt`, top to bottom (the barcode follows them)."""
    store = receipt.store
    money = Money(store.currency, store.locale)
    tr = translations(store.lang).gettext
    rows = [Row(store.name, align="center", bold=True, big=True),
            Row(local_time(int(receipt.paid_at), store.zone), align="center"),
            Row(f"{tr(TILL)} {receipt.till}", align="center"),
            *([Row(f"*** {tr(TRAINING)} ***", align="center", bold=True)] if receipt.training else []),
            Row(rule=True)]
    for line in receipt.lines:
        rows.append(Row(line.name, money(line.total)))
        if line.weight_g is not None:
            rows.append(Row(f"  {money.weight(line.weight_g)} × {money(line.unit_price)}/kg"))
        elif line.qty != 1:
            rows.append(Row(f"  {money.quantity(line.qty)} × {money(line.unit_price)}"))
    for deal in receipt.deals:
        rows.append(Row(deal.name, "-" + money(deal.saving)))
    rows += [Row(rule=True),
             Row(tr(TOTAL), money(receipt.total), bold=True),
             Row(tr(PAID), money(receipt.paid))]
    coupon = receipt.coupon
    if coupon is not None:                 # the next-visit offer: a block of its own
        rows += [Row(rule=True),
                 Row(tr(COUPON_HEADING), align="center", bold=True),
                 Row(coupon.reason, align="center", wrap=True),
                 Row(tr(COUPON_VALID).format(start=local_day(coupon.valid_from, store.zone),
                                             end=last_day(coupon.valid_to, store.zone)),
                     align="center", wrap=True),
                 Row(barcode=coupon.code),
                 Row(in_words(coupon.code), align="center", bold=True),
                 Row(tr(COUPON_ONCE), align="center", wrap=True),
                 Row(rule=True)]
    return rows


def justify(start: str, end: str, width: int) -> str:
    """`start` and `end` on one line of `width` characters, `start` cut with '.' when
    both do not fit (the amount is never cut)."""
    room = width - len(end) - 1 if end else width
    if len(start) > room:
        start = start[:max(room - 1, 0)] + "."
    if not end:
        return start
    return start + " " * (width - len(start) - len(end)) + end
