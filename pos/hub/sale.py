"""A sale as a till sends it to the hub: its JSON shape (docs/hub.md, "The sale"),
the checks a received one must pass, and the hash of its content that tells a
repeat (acknowledged, not stored again) from an id reused for another sale.

A sale is a JSON object:

    {"sale_id": "till1-<uuid4 hex>", "till": "till1", "training": false,
     "started_at": 1795000000.0, "paid_at": 1795000042.5,       # UTC seconds
     "cashier": "anna" | null, "customer": "C10646" | null, "arm": "three" | null,
     "currency": "NOK", "currency_exponent": 2, "total": 12990,  # minor units
     "lines": [{"line": 1, "sku": "PASTA-BN-FUS-500", "qty": 1, "weight_g": null,
                "unit_price": 2990, "total": 2990}, ...],
     "offers": [{"sku": "SAUCE-1", "kind": "cross", "position": 1, "score": 0.82,
                 "price": 3490, "anchor": "PASTA-BN-FUS-500" | null,
                 "shown_at": 1795000012.0, "outcome": "accepted" | "declined" | "ignored" | null,
                 "reason": "..." | null, "outcome_at": 1795000020.5 | null,
                 "revenue": 3490, "margin": 1200 | null}, ...]}

Declines are the offers whose outcome is "declined", with the cashier's reason.
Keys not named here are refused, so that a till and a hub of different versions
disagree loudly rather than lose a field.

Next-visit coupons (pos.coupons) add two optional keys, present only when the sale
has them (a sale without keeps the shape, and the content hash, it always had):

     "coupon_issued": {"code": "9912345678901234", "sku": "PARM-1", "name": "Parmesan",
                       "percent": 10 | null, "amount": null | 2000, "why": "declined",
                       "issued_at": 1795000042.5, "valid_from": 1795046400.0,
                       "valid_to": 1796256000.0},
     "coupons_redeemed": [{"code": "99...", "sku": "PARM-1", "scanned_at": 1795000030.0,
                           "hub": "confirmed" | "unconfirmed" | null, "discount": 499,
                           "revenue": 4491}, ...]
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TILL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
OUTCOMES = ("accepted", "declined", "ignored")


class SaleInvalid(ValueError):
    """A received sale that does not have the shape (the message names the field)."""


@dataclass(frozen=True)
class HubSale:
    """A checked sale: its id, till, payment time, skus, the canonical JSON whose
    sha256 is its content hash, and the decoded sale itself (`body`)."""
    sale_id: str
    till: str
    paid_at: float
    skus: frozenset[str]
    canonical: str
    body: dict[str, Any] = field(compare=False, repr=False)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()


_NUMBER = (int, float)
# field -> (types allowed, None allowed)
_SALE_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "sale_id": ((str,), False), "till": ((str,), False), "training": ((bool,), False),
    "started_at": (_NUMBER, False), "paid_at": (_NUMBER, False),
    "cashier": ((str,), True), "customer": ((str,), True), "arm": ((str,), True),
    "currency": ((str,), False), "currency_exponent": ((int,), False), "total": ((int,), False),
    "lines": ((list,), False), "offers": ((list,), False),
}
_LINE_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "line": ((int,), False), "sku": ((str,), False), "qty": ((int,), False),
    "weight_g": ((int,), True), "unit_price": ((int,), False), "total": ((int,), False),
}
_OFFER_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "sku": ((str,), False), "kind": ((str,), False), "position": ((int,), False),
    "score": (_NUMBER, False), "price": ((int,), False), "anchor": ((str,), True),
    "shown_at": (_NUMBER, False), "outcome": ((str,), True), "reason": ((str,), True),
    "outcome_at": (_NUMBER, True), "revenue": ((int,), False),
    "margin": ((int,), True),
}


_COUPON_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "code": ((str,), False), "sku": ((str,), False), "name": ((str,), False),
    "percent": ((int,), True), "amount": ((int,), True), "why": ((str,), True),
    "issued_at": (_NUMBER, False), "valid_from": (_NUMBER, False), "valid_to": (_NUMBER, False),
}
_USE_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "code": ((str,), False), "sku": ((str,), False), "scanned_at": (_NUMBER, False),
    "hub": ((str,), True), "discount": ((int,), False), "revenue": ((int,), False),
}
_OPTIONAL = {"coupon_issued": ((dict,), False), "coupons_redeemed": ((list,), False)}


def _check(obj: object, fields: Mapping[str, tuple[tuple[type, ...], bool]], where: str) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise SaleInvalid(f"{where}: not a JSON object")
    unknown = sorted(set(obj) - set(fields))
    if unknown:
        raise SaleInvalid(f"{where}: unknown field {unknown[0]!r}")
    for name, (types, nullable) in fields.items():
        if name not in obj:
            raise SaleInvalid(f"{where}: missing field {name!r}")
        value = obj[name]
        if value is None and nullable:
            continue
        # bool is an int in Python; it is a number nowhere here
        if isinstance(value, bool) and bool not in types or not isinstance(value, types):
            raise SaleInvalid(f"{where}.{name}: {type(value).__name__} where "
                              f"{'/'.join(t.__name__ for t in types)} is wanted")
    return obj


def parse_sale(obj: object) -> HubSale:
    """The checked sale of a decoded JSON body; SaleInvalid names what is wrong."""
    if not isinstance(obj, dict):
        raise SaleInvalid("sale: not a JSON object")
    present = {k: v for k, v in _OPTIONAL.items() if k in obj}
    sale = _check(obj, {**_SALE_FIELDS, **present}, "sale")
    if "coupon_issued" in sale:
        _check(sale["coupon_issued"], _COUPON_FIELDS, "sale.coupon_issued")
        skus_issued = {sale["coupon_issued"]["sku"]}
    else:
        skus_issued = set()
    for i, use in enumerate(sale.get("coupons_redeemed", ())):
        _check(use, _USE_FIELDS, f"sale.coupons_redeemed[{i}]")
    till, sale_id = sale["till"], sale["sale_id"]
    if not TILL_ID.fullmatch(till):
        raise SaleInvalid(f"sale.till: {till!r} is not a till id")
    if not sale_id.startswith(f"{till}-") or len(sale_id) > 128:
        raise SaleInvalid(f"sale.sale_id: {sale_id!r} is not an id made on till {till!r}")
    skus = set()
    numbers = set()
    for i, line in enumerate(sale["lines"]):
        _check(line, _LINE_FIELDS, f"sale.lines[{i}]")
        if line["line"] in numbers:
            raise SaleInvalid(f"sale.lines[{i}].line: {line['line']} twice")
        if line["qty"] < 1:
            raise SaleInvalid(f"sale.lines[{i}].qty: {line['qty']} (at least 1)")
        numbers.add(line["line"])
        skus.add(line["sku"])
    for i, offer in enumerate(sale["offers"]):
        _check(offer, _OFFER_FIELDS, f"sale.offers[{i}]")
        if offer["outcome"] is not None and offer["outcome"] not in OUTCOMES:
            raise SaleInvalid(f"sale.offers[{i}].outcome: {offer['outcome']!r} "
                              f"(one of {', '.join(OUTCOMES)} or null)")
        skus.add(offer["sku"])
    skus |= skus_issued
    canonical = json.dumps(sale, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return HubSale(sale_id, till, float(sale["paid_at"]), frozenset(skus), canonical, sale)
