"""Whether a scanned coupon may be applied: what is known of it (where it was issued,
its window, its first use) and, with a store hub, the hub's answer, decided in one
place (`decide`) for the till.

Known: a coupon the hub describes in its answer, one issued by this till (its
journal), or by another till of the store whose sale the hub follower has written
into the store's sales journal.
Used: paid in a sale (this till's, or the store's as received), or held by
another open sale of this till. With a hub the hub is asked first (it holds the
coupon for the asking sale: a second till asking at the same time is refused):

  hub says      then
  ok            applied (confirmed)
  used          refused, with the date, till and sale of the first use
  unknown       the hub has not received the issuing sale yet (it was paid while the
                hub was away): what the till knows decides, unconfirmed
  unreachable   what the till knows decides, unconfirmed: a coupon the till knows of
                and has seen no use of is applied; the hub, receiving both sales later,
                logs a second use as a double use (pos.hub.store)
  no hub        what the till knows decides
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import N_

NOT_OURS = N_("not a coupon of this store")
NOT_YET = N_("coupon valid from {start} — not yet")
EXPIRED = N_("coupon expired on {end}")
USED = N_("coupon already used on {date}")
IN_SALE = N_("coupon already applied in this sale")
CANNOT_CHECK = N_("the coupon cannot be checked now (store hub unreachable) — try again")
APPLIED = N_("coupon: {offer}")
SCAN_ITEM = N_("coupon: {offer} — scan the item")

# the hub's answers (pos.hub.coupons)
HUB_OK, HUB_USED, HUB_UNKNOWN, HUB_UNREACHABLE = "ok", "used", "unknown", "unreachable"
CONFIRMED, UNCONFIRMED = "confirmed", "unconfirmed"


@dataclass(frozen=True)
class Coupon:
    """A coupon as issued (the journal's `coupons` row)."""
    code: str
    sku: str
    name: str
    percent: int | None
    amount: int | None
    valid_from: float
    valid_to: float
    sale_id: str
    till: str


@dataclass(frozen=True)
class FirstUse:
    at: float                  # UTC seconds: paid (or scanned, for a use held by an open sale)
    till: str
    sale_id: str


@dataclass(frozen=True)
class HubAnswer:
    status: str                          # ok | used | unknown | unreachable
    first_use: FirstUse | None = None    # used: the hub's record of it
    coupon: Coupon | None = None         # ok: the coupon as the hub has it


@dataclass(frozen=True)
class Verdict:
    """Applied (`problem` None, `hub` what to journal) or refused: `problem` (a gettext
    template) with its `args` (`when`: UTC seconds to show as a local date)."""
    problem: str | None = None
    args: dict[str, object] = field(default_factory=dict)
    hub: str | None = None


def decide(coupon: Coupon | None, first_use: FirstUse | None, now: float,
           hub: HubAnswer | None) -> Verdict:
    """The verdict on a coupon scanned at `now` (see the module's docstring).
    `coupon`, `first_use`: what the till knows; `hub`: the hub's answer, None: no hub."""
    if hub is not None and hub.status == HUB_USED and hub.first_use is not None:
        return Verdict(USED, {"date": hub.first_use.at})
    if coupon is None and hub is not None:
        coupon = hub.coupon
    if coupon is None:
        if hub is not None and hub.status == HUB_UNREACHABLE:
            return Verdict(CANNOT_CHECK)
        return Verdict(NOT_OURS)
    if now < coupon.valid_from:
        return Verdict(NOT_YET, {"start": coupon.valid_from})
    if now >= coupon.valid_to:
        return Verdict(EXPIRED, {"end": coupon.valid_to - 1})
    if first_use is not None:
        return Verdict(USED, {"date": first_use.at})
    if hub is None:
        return Verdict()
    return Verdict(hub=CONFIRMED if hub.status == HUB_OK else UNCONFIRMED)
