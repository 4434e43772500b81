"""A paid sale as a receipt: what is printed, as values (no layout, no printer).

The amounts are the sale's own (minor units of the currency journaled with it,
pos.currency); the store's name, locale, language and zone come from the store's
meta (`StoreFacts.from_meta`, as the till reads them); the time is UTC seconds,
shown in the store's zone when laid out. A sale has one payment in pos today: the
amount of its `paid` event (no tender types, no change given).

A sale that got a next-visit coupon (`Sale.coupon_issued`, pos.coupons) has it as
`Receipt.coupon`: the item, what it takes off, the reason in one line and the
window, in the receipt's language; a coupon redeemed in the sale is one more
saving among the deals ("Coupon: <item>").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..coupons.choose import offer_text, reason_text
from ..currency import Currency
from ..i18n import N_, translations
from ..till.money import Money
from ..till.sale import Sale

COUPON_SAVING = N_("Coupon: {name}")


class ReceiptError(ValueError):
    """A receipt that cannot be made or printed as asked (the message says why)."""


@dataclass(frozen=True)
class StoreFacts:
    """What the receipt says about the store and how it speaks."""
    name: str
    currency: Currency
    locale: str            # Babel locale of numbers and money: nb_NO
    lang: str              # the receipt's language: nb (gettext catalogs of pos.i18n)
    zone: str              # IANA zone of the local time: Europe/Oslo

    @classmethod
    def from_meta(cls, meta: dict[str, Any], lang: str | None = None) -> StoreFacts:
        """From a store's meta (pos.store.reader.read_meta); `lang`: the till's language
        (default: the store locale's)."""
        locale = str(meta.get("locale") or "en")
        return cls(name=str(meta.get("store_name") or ""), currency=Currency.from_meta(meta),
                   locale=locale, lang=lang or locale.split("_")[0],
                   zone=str(meta.get("timezone") or "UTC"))


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    unit: str                  # each | kg
    qty: int                   # count; 1 for a weighed line
    unit_price: int            # minor units per unit (per kg for weighed lines)
    weight_g: int | None       # weighed lines: grams
    label_price: bool          # priced by its label (the label's price is the total)
    total: int


@dataclass(frozen=True)
class ReceiptDeal:
    name: str
    saving: int                # minor units taken off


@dataclass(frozen=True)
class ReceiptCoupon:
    """The next-visit coupon printed after the total."""
    code: str                  # 16 digits (pos.coupons.code): the barcode's and in words
    sku: str
    name: str                  # the item, in the receipt's language
    percent: int | None        # off one unit; or
    amount: int | None         # minor units off
    offer: str                 # "10% off Parmesan"
    reason: str                # "Next time: 10% off Parmesan — you looked at it today"
    valid_from: float          # UTC seconds, the first moment it may be used
    valid_to: float            # UTC seconds, excluded (the layout shows the last local day)


@dataclass(frozen=True)
class Receipt:
    sale_id: str
    till: str
    store: StoreFacts
    paid_at: float             # UTC seconds
    lines: tuple[ReceiptLine, ...]
    deals: tuple[ReceiptDeal, ...]
    total: int
    paid: int
    training: bool = False
    coupon: ReceiptCoupon | None = None

    @property
    def currency(self) -> Currency:
        return self.store.currency


def receipt_from_sale(sale: Sale, store: StoreFacts, till: str, paid_at: float) -> Receipt:
    """The receipt of paid sale `sale` (ReceiptError for a sale not paid, or journaled
    in another currency than `store`'s)."""
    if sale.paid is None:
        raise ReceiptError(f"sale {sale.sale_id} is not paid: no receipt yet")
    if sale.currency is not None and sale.currency != store.currency:
        raise ReceiptError(f"sale {sale.sale_id} is in {sale.currency.code} "
                           f"({sale.currency.exponent} decimals), the store in {store.currency.code} "
                           f"({store.currency.exponent})")
    lines = tuple(ReceiptLine(ln.name, ln.unit, ln.qty, ln.unit_price, ln.weight_g, ln.price is not None,
                              ln.total)
                  for ln in sorted(sale.lines.values(), key=lambda ln: ln.line))
    tr = translations(store.lang).gettext
    deals = tuple(ReceiptDeal(d.name, d.saving) for d in sale.deals) + tuple(
        ReceiptDeal(tr(COUPON_SAVING).format(name=c.name), sale.coupon_saving(c))
        for c in sale.coupons if sale.coupon_saving(c) > 0)
    return Receipt(sale.sale_id, till, store, paid_at, lines, deals, sale.total, sale.paid, sale.training,
                   coupon_of(sale, store))


def coupon_of(sale: Sale, store: StoreFacts) -> ReceiptCoupon | None:
    """The coupon of `sale`'s receipt in the store's language, or None."""
    c = sale.coupon_issued
    if c is None:
        return None
    amount = None if c.amount is None else Money(store.currency, store.locale)(c.amount)
    offer = offer_text(c.name, c.percent, amount, store.lang)
    return ReceiptCoupon(c.code, c.sku, c.name, c.percent, c.amount, offer,
                         reason_text(c.why, offer, c.anchor, store.lang), c.valid_from, c.valid_to)
