"""The next-visit offer chosen at payment: which item, why, and when it may be used.

Candidates, in order: the items offered and declined in this sale (the latest
decline first: "you looked at it today"), then the engine's suggestions for the
paid basket (add-ons and deals, not upgrades: "often bought with" the basket item
that explains it). The first one that is a product of the store, active, not
age-restricted, not in the basket and not out of stock (the day's stock) is the
offer; none: no coupon. One a receipt. The reason is said in the customer's words
(`reason_text`, gettext), never with the engine's figures.

The window is in the store's local days: from the start of the day `starts_days`
after the sale's, to the end of the day `valid_days` later (UTC seconds, the end
excluded), so a coupon printed at 23:50 on a Monday with `starts_days = 1` is
good from Tuesday's opening.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..i18n import N_, translations
from ..i18n.formats import local_day

WHY_DECLINED, WHY_BASKET = "declined", "basket"
OFFER_PERCENT = N_("{percent} off {name}")         # percent: "10%"
OFFER_AMOUNT = N_("{amount} off {name}")
REASONS = {WHY_DECLINED: N_("Next time: {offer} — you looked at it today"),
           WHY_BASKET: N_("Next time: {offer} — often bought with {anchor}"),
           None: N_("Next time: {offer}")}


@dataclass(frozen=True)
class Item:
    """What the choice needs to know of a product (pos.store.catalog.Product has it)."""
    sku: str
    item: int
    name: str                # in the receipt's language
    active: bool
    age_restricted: bool


@dataclass(frozen=True)
class Candidate:
    sku: str
    why: str                 # declined | basket
    anchor: str | None = None    # basket: the sku of the basket item that explains it


@dataclass(frozen=True)
class Choice:
    sku: str
    item: int
    name: str
    why: str
    anchor: str | None       # the anchor's name (basket), or None


def candidates(declined: Sequence[str], suggested: Iterable[tuple[str, str, str | None]]
               ) -> list[Candidate]:
    """The candidates in order: `declined` skus (as the sale declined them, the latest
    first), then `suggested` (sku, kind, anchor sku) but upgrades."""
    out = [Candidate(sku, WHY_DECLINED) for sku in reversed(declined)]
    out += [Candidate(sku, WHY_BASKET, anchor) for sku, kind, anchor in suggested
            if kind != "upsell"]
    return out


def choose(found: Sequence[Candidate], basket: set[str], product: Callable[[str], Item | None],
           in_stock: Callable[[str], bool]) -> Choice | None:
    """The first candidate that may be offered (see the module's docstring), or None."""
    seen: set[str] = set()
    for c in found:
        if c.sku in seen or c.sku in basket:
            continue
        seen.add(c.sku)
        p = product(c.sku)
        if p is None or not p.active or p.age_restricted or not in_stock(c.sku):
            continue
        anchor = product(c.anchor) if c.anchor else None
        return Choice(p.sku, p.item, p.name, c.why, anchor.name if anchor else None)
    return None


def window(now: float, zone: str, starts_days: int, valid_days: int) -> tuple[float, float]:
    """(valid from, valid to) in UTC seconds, whole local days of `zone`."""
    tz = ZoneInfo(zone)
    today = datetime.fromtimestamp(now, tz).date()
    first = today + timedelta(days=starts_days)
    end = first + timedelta(days=valid_days)
    return (datetime.combine(first, time(), tz).timestamp(),
            datetime.combine(end, time(), tz).timestamp())


def last_day(valid_to: float, zone: str) -> str:
    """The last local day a coupon valid until `valid_to` (excluded) may be used."""
    return local_day(valid_to - 1, zone)


def offer_text(name: str, percent: int | None, amount: str | None, lang: str) -> str:
    """'10% off Parmesan' in `lang` (`amount`: already formatted money)."""
    tr = translations(lang).gettext
    if percent is not None:
        return tr(OFFER_PERCENT).format(percent=f"{percent}%", name=name)
    return tr(OFFER_AMOUNT).format(amount=amount, name=name)


def reason_text(why: str | None, offer: str, anchor: str | None, lang: str) -> str:
    """The receipt's one line: 'Next time: 10% off Parmesan — you looked at it today'."""
    tr = translations(lang).gettext
    key = why if why == WHY_DECLINED or (why == WHY_BASKET and anchor) else None
    return tr(REASONS[key]).format(offer=offer, anchor=anchor)
