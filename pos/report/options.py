"""What a report is asked for: the period, the zone, the format and the bundle
candidates' thresholds, checked once for `pos report` and for the store hub's
`GET /v1/report` (the same names: --from and from=, ...), and the text it
renders to."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..currency import Currency, CurrencyError
from ..errors import UsageError
from .figures import Period

FORMATS = ("table", "csv", "json")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: '{value}' is not a date like 2026-11-22") from None


@dataclass(frozen=True)
class ReportOptions:
    first: date | None = None
    last: date | None = None
    timezone: str | None = None
    format: str = "table"
    min_support: int = 20
    min_lift: float = 1.5
    bundle_sales: int = 100_000
    with_bundles: bool = True
    currency: Currency | None = None

    @classmethod
    def parse(cls, first: str | None = None, last: str | None = None,
              timezone: str | None = None, format: str = "table", min_support: int = 20,
              min_lift: float = 1.5, bundle_sales: int = 100_000, with_bundles: bool = True,
              currency: str | None = None, prefix: str = "--") -> ReportOptions:
        """Checked options; UsageError names the option (`prefix` + its name)."""
        a, b = _date(first, f"{prefix}from"), _date(last, f"{prefix}to")
        if a and b and a > b:
            raise UsageError(f"{prefix}from: {a} is after {prefix}to {b}")
        if timezone:
            try:
                ZoneInfo(timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise UsageError(f"{prefix}timezone: unknown time zone '{timezone}'") from None
        if format not in FORMATS:
            raise UsageError(f"{prefix}format: one of {', '.join(FORMATS)}, not '{format}'")
        money = None
        if currency:
            try:
                money = Currency.iso(currency)
            except CurrencyError as exc:
                raise UsageError(f"{prefix}currency: {exc}") from None
        if bundle_sales < 0:
            raise UsageError(f"{prefix}bundle-sales: must be 0 (all) or more")
        if min_support < 1:
            raise UsageError(f"{prefix}min-support: must be at least 1")
        return cls(a, b, timezone, format, min_support, min_lift, bundle_sales, with_bundles,
                   money)

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    def query(self) -> dict[str, str]:
        """The options as the hub's GET /v1/report takes them."""
        q = {"format": self.format, "min_support": str(self.min_support),
             "min_lift": repr(self.min_lift), "bundle_sales": str(self.bundle_sales),
             "bundles": "1" if self.with_bundles else "0"}
        for name, value in (("from", self.first), ("to", self.last)):
            if value is not None:
                q[name] = value.isoformat()
        if self.timezone:
            q["timezone"] = self.timezone
        return q


def report_text(journal: Path, store: Path | None, options: ReportOptions) -> str:
    """The report over `journal` (with `store`'s names and zone), rendered.
    Raises ReportError (journal) or pos.errors.StoreError (store)."""
    from . import build_report
    from .render import render
    report = build_report(journal, store, options.period, timezone=options.timezone,
                          min_support=options.min_support, min_lift=options.min_lift,
                          with_bundles=options.with_bundles,
                          bundle_sample=options.bundle_sales, currency=options.currency)
    return render(report, options.format)
