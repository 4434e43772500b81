"""The manager screen's figures: today's (in the store's local time) with the arms
compared and per till, and the last days for the trend chart. Plain data for the UI, which
calls `overview()` in a worker."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from .arms import verdicts
from .figures import CouponGroup, Group, Period, figures, open_journal
from .stats import Verdict

TREND_DAYS = 14


@dataclass
class Overview:
    today: date
    overall: Group                 # today's sales
    by_arm: list[Group]            # today, per arm
    verdicts: list[Verdict]        # today's arms compared
    days: list[Group]              # the last TREND_DAYS days, every day (empty ones too)
    by_till: list[Group]           # today, per till (a store's sales journal: every till)
    coupons_by_arm: list[CouponGroup] = field(default_factory=list)   # issued in those days, per arm


def overview(journal: Path, timezone: str, now: float, days: int = TREND_DAYS) -> Overview:
    """Raises ReportError when the journal cannot be read."""
    today = datetime.fromtimestamp(now, ZoneInfo(timezone)).date()
    first = today - timedelta(days=days - 1)
    conn = open_journal(journal)
    try:
        day = figures(conn, Period(today, today), timezone)
        trend = figures(conn, Period(first, today), timezone)
    finally:
        conn.close()
    seen = {g.key: g for g in trend.by_day}
    every = [seen.get(d.isoformat(), Group(d.isoformat()))
             for d in (first + timedelta(days=i) for i in range(days))]
    return Overview(today, day.overall, day.by_arm, verdicts(day.by_arm), every, day.by_till,
                    trend.coupons_by_arm)
