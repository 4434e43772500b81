"""Dates the demo store's year turns on: Easter, and the campaign windows
(Christmas, summer, school start, Easter, this month, this week)."""
from __future__ import annotations

import datetime as dt


def easter_date(y):
    a = y % 19
    b, c = divmod(y, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(y, month, day + 1)


def windows(export_local):
    """Date windows (local, inclusive) computed from the export time."""
    y = export_local.year
    d = export_local.date()
    first = d.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    monday = d - dt.timedelta(days=d.weekday())
    e = easter_date(y)
    return {
        "xmas": (dt.date(y, 11, 15), dt.date(y, 12, 31)),
        "summer": (dt.date(y, 6, 1), dt.date(y, 8, 31)),
        "school": (dt.date(y, 8, 1), dt.date(y, 9, 30)),
        "easter": (e - dt.timedelta(days=21), e + dt.timedelta(days=1)),
        "month": (first, nxt - dt.timedelta(days=1)),
        "week": (monday, monday + dt.timedelta(days=6)),
    }


def wfrom(d):
    return f"{d.isoformat()}T00:00:00"


def wto(d):
    return f"{d.isoformat()}T23:59:59"
