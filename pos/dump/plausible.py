"""What a plausible dump row is: the ceilings and the time window a load checks.

A dump can be well-formed and still wrong: a basket dated 2999 (a till whose
clock was never set) or 1970 (one reset to zero), a line of 10^20 units, a
price of 10^15. Such rows are rejected like any bad row (`file:line: column:
reason`, counted toward the refusal threshold), with these bounds. The
defaults are in docs/dump-format.md ("Plausible values"); `pos load` can
change each.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..errors import DumpError
from .basket_parser import LineLimits
from .catalog import Catalog
from .fields import FieldError, parse_time
from .manifest import Manifest

#: the default price ceiling, in minor units: 100,000,000.00 in a currency with
#: 2 decimals, 10^10 in one with none (VND, where a phone is 10^7)
MAX_PRICE_MINOR = 10 ** 10


@dataclass(frozen=True)
class Plausibility:
    earliest: str = "2000-01-01"      # no basket before this (store local time)
    clock_slack_s: int = 3600         # none later than the export time + this (tills' clocks)
    max_quantity: float = 100_000     # units in one basket line
    max_weight: float = 10_000        # kg in one basket line of a weighed item
    max_price: Decimal | None = None  # catalog price or cost, major units; None: MAX_PRICE_MINOR
    now: int | None = None            # the load's clock (UTC s); None: the machine's


def _earliest(rules: Plausibility, manifest: Manifest) -> int:
    try:
        return parse_time(rules.earliest, manifest.zone)
    except FieldError as exc:
        raise DumpError(f"--earliest: {exc}") from None


def _now(rules: Plausibility) -> int:
    return int(time.time()) if rules.now is None else rules.now


def check_export_time(rules: Plausibility, manifest: Manifest) -> None:
    """A manifest's export time before the earliest time allowed, or later than
    this load (plus the clock slack), refuses the dump: every recency weight
    counts back from it."""
    if manifest.export_time is None:
        return
    shown = datetime.fromtimestamp(manifest.export_time, manifest.zone).isoformat()
    if manifest.export_time < _earliest(rules, manifest):
        raise DumpError(f"manifest.json: export_time: {shown} is before the earliest time "
                        f"allowed (--earliest {rules.earliest})")
    now = _now(rules)
    if manifest.export_time > now + rules.clock_slack_s:
        raise DumpError(f"manifest.json: export_time: {shown} is later than this load "
                        f"({datetime.fromtimestamp(now, manifest.zone).isoformat()}): "
                        "a dump cannot be exported in the future")


def line_limits(rules: Plausibility, manifest: Manifest, catalog: Catalog) -> LineLimits:
    """The bounds of a basket line for this dump."""
    earliest = _earliest(rules, manifest)
    slack = f" plus {rules.clock_slack_s // 60} min for the tills' clocks" if rules.clock_slack_s else ""
    if manifest.export_time is not None:
        latest, latest_why = manifest.export_time, "the dump's export time (manifest.json)"
    else:
        latest = _now(rules)
        latest_why = "the time of this load (manifest.json gives no export_time)"
    return LineLimits(
        earliest=earliest, latest=latest + rules.clock_slack_s,
        max_quantity=rules.max_quantity, max_weight=rules.max_weight,
        weighed=tuple(p.item for p in catalog.products if p.unit == "kg"),
        earliest_why=f"the earliest time allowed (--earliest {rules.earliest})",
        latest_why=latest_why + slack)


def price_ceiling(rules: Plausibility, manifest: Manifest) -> int:
    """The highest catalog price or cost, in minor units."""
    if rules.max_price is None:
        return MAX_PRICE_MINOR
    return int(rules.max_price.scaleb(manifest.exponent))
