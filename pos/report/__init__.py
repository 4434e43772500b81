"""The manager's report over a sales journal: figures (figures.py), statistics
(stats.py), arm comparisons (arms.py), bundle candidates (bundles.py), the store's
currency, time zone and names (store.py), and rendering as a table, CSV or JSON
(render.py). `build_report` puts the sections together; docs/report.md defines
every figure."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from ..currency import Currency
from ..errors import UsageError
from .arms import verdicts
from .bundles import SAMPLE, Candidate, candidates
from .figures import Figures, Period, ReportError, open_journal
from .figures import figures as compute_figures
from .stats import Verdict
from .store import StoreInfo, store_info

__all__ = ["Candidate", "Figures", "Period", "Report", "ReportError", "StoreInfo",
           "build_report", "report_currency"]


@dataclass
class Report:
    figures: Figures
    verdicts: list[Verdict]
    bundles: list[Candidate] | None          # None: not computed
    store: StoreInfo | None
    bundle_sales: int = 0                    # the sales the candidates were counted over
    seconds: dict[str, float] = field(default_factory=dict)
    currency: Currency | None = None         # of every amount; None: not known


def report_currency(found: list[Currency | None], fallback: Currency | None) -> Currency | None:
    """The one currency of the sales counted (`found`, as journaled; None for a sale
    journaled without one, which takes `fallback`: the store's, or --currency).
    UsageError when they differ: amounts in two currencies or exponents don't add up."""
    known = {c for c in found if c is not None}
    if None in found and fallback is not None:
        known.add(fallback)
    if len(known) > 1:
        described = ", ".join(f"{c.code} with {c.exponent} decimals"
                              for c in sorted(known, key=str))
        raise UsageError(f"the period's sales are in {described}; report the periods apart "
                          "with --from and --to")
    return next(iter(known), None)


def build_report(journal: Path, store: Path | None = None, period: Period | None = None,
                 timezone: str | None = None, min_support: int = 20, min_lift: float = 1.5,
                 bundle_limit: int = 20, with_bundles: bool = True,
                 bundle_sample: int = SAMPLE, currency: Currency | None = None) -> Report:
    """`currency`: for sales journaled without one when there is no `store`.
    Raises ReportError (journal) or pos.errors.StoreError (store)."""
    period = period or Period()
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    info = store_info(store) if store is not None else None
    seconds["store"] = time.perf_counter() - t
    zone = timezone or (info.timezone if info else "UTC")
    start, end = period.utc_bounds(ZoneInfo(zone))
    t0 = time.perf_counter()
    conn = open_journal(journal)

    def bundles() -> list[Candidate]:
        # on its own connection, at the same time as the figures
        t = time.perf_counter()
        db = open_journal(journal)
        try:
            return candidates(db, start, end, min_support, min_lift, bundle_limit,
                              info.deal_pairs if info else frozenset(), bundle_sample)
        finally:
            db.close()
            seconds["bundle candidates (at the same time)"] = time.perf_counter() - t
    try:
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(bundles) if with_bundles else None
            figs = compute_figures(conn, period, zone, timings=seconds)
            t = time.perf_counter()
            tests = verdicts(figs.by_arm)
            seconds["arm tests"] = time.perf_counter() - t
            found = pending.result() if pending is not None else None
    finally:
        conn.close()
    seconds["report (wall)"] = time.perf_counter() - t0
    basis = min(bundle_sample, figs.overall.sales) if bundle_sample else figs.overall.sales
    money = report_currency(figs.currencies, info.currency if info else currency)
    return Report(figs, tests, found, info, bundle_sales=basis if with_bundles else 0,
                  seconds=seconds, currency=money)
