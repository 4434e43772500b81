"""A decoded read against the store: which product, which customer, or why
neither. What the till and `pos scanner check` do with a read.

A loyalty card is recognised by the configured card prefixes when the store has
them; otherwise a read that is no product (not a product barcode, or no product
has it) but is a customer's card as the catalog lists it (customers.card) is
that card, so a store's existing cards work unconfigured.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from ..i18n import N_
from ..store.barcodes import CatalogMatch, find_customer, find_product
from .decode import CustomerCard, ProductCode, Refusal

REASON_UNKNOWN_PRODUCT = N_("no product with this barcode — enter the item by hand")
REASON_UNKNOWN_CARD = N_("card not known to this store")


@dataclass(frozen=True)
class Resolved:
    decoded: ProductCode | CustomerCard | Refusal
    product: CatalogMatch | None = None
    customer: str | None = None
    problem: str | None = None      # for the cashier, when the read cannot be used


def resolve(conn: sqlite3.Connection, decoded: ProductCode | CustomerCard | Refusal,
            text: str | None = None) -> Resolved:
    """`text`: the read as scanned, tried as a card when it is no product."""
    if isinstance(decoded, CustomerCard):
        customer = find_customer(conn, decoded.card)
        return Resolved(decoded, customer=customer,
                        problem=None if customer else REASON_UNKNOWN_CARD)
    if isinstance(decoded, ProductCode):
        product = find_product(conn, decoded.key)
        if product is not None:
            return Resolved(decoded, product=product)
    for candidate in dict.fromkeys(c for c in (text, getattr(decoded, "gtin", None)) if c):
        customer = find_customer(conn, candidate)
        if customer is not None:
            return Resolved(CustomerCard(candidate), customer=customer)
    if isinstance(decoded, Refusal):
        return Resolved(decoded, problem=decoded.reason)
    return Resolved(decoded, problem=REASON_UNKNOWN_PRODUCT)
