"""A sale as the list of what happened in it: lines scanned, quantities changed,
lines voided or upgraded, deals applied, the customer identified, suggestions
shown and their outcomes, payment. `Sale.apply(event)` is the only way state
changes, so the journal's events rebuild a sale exactly (resuming after a
crash) and the journal can be written before anything is shown.

Events are plain dicts (JSON in the journal), `type` saying which:
  add      line, sku, item, name, unit, unit_price, qty, weight_g, price
  qty      line, qty
  void     line
  upgrade  line, sku, item, name, unit_price            (the line becomes the better item)
  deal     line, bundle, name, saving                   (a discount tied to the line it completed)
  customer customer
  shown    sku, kind, position, score, price, anchor    (a suggestion card appeared)
  outcome  sku, outcome (accepted|declined|ignored), reason, revenue, margin
  coupon_issue code, sku, item, name, percent, amount, why, anchor, valid_from, valid_to
           (the next-visit coupon this sale's receipt carries, pos.coupons: journaled in the
           same transaction as `paid`, just before it; `why` is declined | basket, `anchor`
           the name of the basket item that explains a basket one; one per sale)
  coupon   code, sku, name, percent, amount, hub         (a coupon scanned and accepted: its
           discount comes off the total while its item is in the basket; `hub` is
           confirmed | unconfirmed (the hub could not be asked) | null (no hub))
  paid     total
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..currency import Currency

# one event as journaled: a JSON object whose keys the docstring above lists per `type`
Event = dict[str, Any]


class SaleError(ValueError):
    """An operation that does not fit the sale (unknown line, a finished sale)."""


@dataclass
class Line:
    line: int                     # number within the sale, from 1, never reused
    sku: str
    item: int
    name: str
    unit: str                     # each | kg
    unit_price: int               # minor units per unit
    qty: int = 1                  # count (each), 1 for weighed lines
    weight_g: int | None = None   # weighed items: grams
    price: int | None = None      # a price printed on the label (minor units), wins

    @property
    def total(self) -> int:
        if self.price is not None:
            return self.price
        if self.weight_g is not None:
            return (self.unit_price * self.weight_g + 500) // 1000
        return self.unit_price * self.qty

    @property
    def countable(self) -> bool:
        """Quantity keys apply: not a weighed or price-labelled line."""
        return self.weight_g is None and self.price is None


@dataclass
class Deal:
    line: int
    bundle: str
    name: str
    saving: int


@dataclass
class Offer:
    sku: str
    kind: str
    position: int
    score: float
    price: int
    outcome: str | None = None


@dataclass(frozen=True)
class CouponIssue:
    """The next-visit coupon a paid sale's receipt carries (event `coupon_issue`)."""
    code: str
    sku: str
    item: int
    name: str
    percent: int | None          # one of percent and amount is set
    amount: int | None           # minor units
    why: str                     # declined | basket
    anchor: str | None           # basket: the name of the item that explains it
    valid_from: float            # UTC seconds: the first moment it may be redeemed
    valid_to: float              # UTC seconds: the moment it expires (excluded)


@dataclass(frozen=True)
class AppliedCoupon:
    """A coupon scanned in this sale (event `coupon`)."""
    code: str
    sku: str
    name: str
    percent: int | None
    amount: int | None
    hub: str | None = None       # confirmed | unconfirmed | None (no hub)


def coupon_saving(percent: int | None, amount: int | None, line: Line | None) -> int:
    """What a coupon takes off with `line` (its item's line, None: not in the basket):
    `percent` of one unit (of the whole line when it is weighed or label-priced), or
    `amount` up to that, in minor units."""
    if line is None:
        return 0
    base = line.unit_price if line.countable else line.total
    if percent is not None:
        return (base * percent + 50) // 100
    return min(amount or 0, base)


@dataclass
class Sale:
    sale_id: str
    training: bool = False
    arm: str | None = None        # the experiment arm the sale is in
    currency: Currency | None = None   # what its amounts are in (journaled with it)
    lines: dict[int, Line] = field(default_factory=dict)
    deals: list[Deal] = field(default_factory=list)
    customer: str | None = None
    offers: dict[str, Offer] = field(default_factory=dict)   # sku -> its offer in this sale
    paid: int | None = None
    id_checked: bool = False      # the cashier checked the customer's ID (an age-restricted line)
    coupon_issued: CouponIssue | None = None     # the next-visit coupon of its receipt
    coupons: list[AppliedCoupon] = field(default_factory=list)   # coupons redeemed in it
    events: list[Event] = field(default_factory=list)
    _next_line: int = 1

    # ---- reading -------------------------------------------------------------

    @property
    def total(self) -> int:
        return (sum(ln.total for ln in self.lines.values()) - sum(d.saving for d in self.deals)
                - sum(self.coupon_saving(c) for c in self.coupons))

    def coupon_saving(self, coupon: AppliedCoupon) -> int:
        """What `coupon` takes off now (0 while its item is not in the basket)."""
        return coupon_saving(coupon.percent, coupon.amount, self.line_of(coupon.sku))

    def coupon(self, code: str) -> AppliedCoupon | None:
        return next((c for c in self.coupons if c.code == code), None)

    @property
    def done(self) -> bool:
        return self.paid is not None

    @property
    def next_line(self) -> int:
        return self._next_line

    def basket(self) -> list[tuple[str, float]]:
        """(sku, quantity) per line, as the engine takes it."""
        return [(ln.sku, float(ln.qty)) for ln in self.lines.values()]

    def line_of(self, sku: str) -> Line | None:
        for line in self.lines.values():
            if line.sku == sku:
                return line
        return None

    @property
    def declined(self) -> list[str]:
        return [sku for sku, o in self.offers.items() if o.outcome == "declined"]

    @property
    def open_offers(self) -> list[Offer]:
        return sorted((o for o in self.offers.values() if o.outcome is None),
                      key=lambda o: o.position)

    # ---- changing ---------------------------------------------------------------

    @classmethod
    def replay(cls, sale_id: str, events: list[Event], training: bool = False,
               arm: str | None = None, currency: Currency | None = None) -> "Sale":
        sale = cls(sale_id, training=training, arm=arm, currency=currency)
        for event in events:
            sale.apply(event)
        return sale

    def restore(self, events: list[Event]) -> None:
        """Back to the state after `events` (an earlier prefix of self.events)."""
        self.__dict__.update(Sale.replay(self.sale_id, events, self.training, self.arm,
                                         self.currency).__dict__)

    def apply(self, event: Event) -> None:
        """Applies one event; SaleError, and no change, when it does not fit
        (every handler checks before it changes anything)."""
        if self.paid is not None:
            raise SaleError(f"sale {self.sale_id} is paid; nothing more can change")
        kind = event.get("type")
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            raise SaleError(f"unknown sale event {kind!r}")
        handler(event)
        self.events.append(event)

    def _line(self, event: Event) -> Line:
        number = event.get("line")
        line = self.lines.get(number) if number is not None else None
        if line is None:
            raise SaleError(f"sale {self.sale_id} has no line {event.get('line')!r}")
        return line

    def _on_add(self, e: Event) -> None:
        number = e["line"]
        if number in self.lines or number < self._next_line:
            raise SaleError(f"line {number} already used in sale {self.sale_id}")
        self.lines[number] = Line(number, e["sku"], e["item"], e["name"], e["unit"],
                                  e["unit_price"], e.get("qty", 1), e.get("weight_g"),
                                  e.get("price"))
        self._next_line = number + 1

    def _on_qty(self, e: Event) -> None:
        line = self._line(e)
        if not line.countable:
            raise SaleError(f"line {line.line} is weighed or priced by its label")
        if not isinstance(e["qty"], int) or e["qty"] < 1:
            raise SaleError(f"quantity must be at least 1, not {e['qty']!r}")
        line.qty = e["qty"]

    def _on_void(self, e: Event) -> None:
        line = self._line(e)
        del self.lines[line.line]
        self.deals = [d for d in self.deals if d.line != line.line]

    def _on_id_check(self, e: Event) -> None:
        self._line(e)
        self.id_checked = True

    def _on_upgrade(self, e: Event) -> None:
        line = self._line(e)
        line.sku, line.item, line.name, line.unit_price = (e["sku"], e["item"], e["name"],
                                                           e["unit_price"])

    def _on_deal(self, e: Event) -> None:
        self._line(e)
        self.deals.append(Deal(e["line"], e["bundle"], e["name"], e["saving"]))

    def _on_customer(self, e: Event) -> None:
        self.customer = e["customer"]

    def _on_shown(self, e: Event) -> None:
        self.offers[e["sku"]] = Offer(e["sku"], e["kind"], e["position"], e["score"], e["price"])

    def _on_outcome(self, e: Event) -> None:
        offer = self.offers.get(e["sku"])
        if offer is None:
            raise SaleError(f"no suggestion of {e['sku']!r} was shown in sale {self.sale_id}")
        offer.outcome = e["outcome"]

    def _on_coupon_issue(self, e: Event) -> None:
        if self.coupon_issued is not None:
            raise SaleError(f"sale {self.sale_id} has a next-visit coupon already (one per receipt)")
        self.coupon_issued = CouponIssue(e["code"], e["sku"], e["item"], e["name"], e.get("percent"),
                                         e.get("amount"), e["why"], e.get("anchor"),
                                         e["valid_from"], e["valid_to"])

    def _on_coupon(self, e: Event) -> None:
        if self.coupon(e["code"]) is not None:
            raise SaleError(f"coupon {e['code']} is applied in sale {self.sale_id} already")
        if (e.get("percent") is None) == (e.get("amount") is None):
            raise SaleError("a coupon takes off a percent or an amount")
        self.coupons.append(AppliedCoupon(e["code"], e["sku"], e["name"], e.get("percent"),
                                          e.get("amount"), e.get("hub")))

    def _on_paid(self, e: Event) -> None:
        self.paid = e["total"]
