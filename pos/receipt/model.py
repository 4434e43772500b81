"""A paid sale as a receipt: what is printed, as values (no layout, no printer).

The amounts are the sale's own (minor units of the currency journaled with it,
pos.currency); the store's name, locale, language and zone come from the store's
meta (`StoreFacts.from_meta`, as the till reads them); the time is UTC seconds,
shown in the store's zone when laid out. A sale has one payment in pos today: the
amount of its `paid` event (no tender types, no change given).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..currency import Currency
from ..till.sale import Sale


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
    deals = tuple(ReceiptDeal(d.name, d.saving) for d in sale.deals)
    return Receipt(sale.sale_id, till, store, paid_at, lines, deals, sale.total, sale.paid, sale.training)
