"""The year of baskets: opening hours, weekly, monthly and seasonal rhythms,
and `simulate`, which fills each basket from a shopping mission."""
from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right

from .cart import ALCOHOL, Cart, Shop
from .customers import Customer
from .dates import easter_date
from .missions import MISSION_NAMES, MISSIONS, m_business, mission_weights
from .seasons import season_levels
from .settings import TZ, UTC
from .tables import table

RHYTHM = table("shopping")["rhythm"]
WEEKDAY_W = RHYTHM["weekday"]
MONTH_W = RHYTHM["month"]
HOUR_W = {int(hour): weight for hour, weight in RHYTHM["hour"].items()}


class Day:
    __slots__ = ("date", "wd", "hours", "weight", "levels", "bf", "gifts", "half2", "holiday_eve",
                 "flowers")
    date: dt.date
    wd: int
    hours: tuple[int, ...]
    weight: float
    levels: dict[str, float]
    bf: bool
    gifts: bool
    half2: bool
    holiday_eve: bool
    flowers: bool


def make_days(start_local, export_local, mid_local):
    days = []
    d = start_local.date()
    easters = {}
    bfs = {}
    flower_days = {}
    while d <= export_local.date():
        y = d.year
        if y not in easters:
            easters[y] = easter_date(y)
            nov1 = dt.date(y, 11, 1)
            thu4 = nov1 + dt.timedelta(days=(3 - nov1.weekday()) % 7 + 21)
            bfs[y] = thu4 + dt.timedelta(days=1)
            feb1 = dt.date(y, 2, 1)
            mothers = feb1 + dt.timedelta(days=(6 - feb1.weekday()) % 7 + 7)   # 2nd Sunday of February
            flower_days[y] = (mothers - dt.timedelta(days=1), mothers, dt.date(y, 2, 13), dt.date(y, 2, 14))
        e = easters[y]
        closed = {dt.date(y, 1, 1), e - dt.timedelta(days=3), e - dt.timedelta(days=2), e,
                  e + dt.timedelta(days=1), dt.date(y, 5, 1), dt.date(y, 5, 17),
                  e + dt.timedelta(days=39), e + dt.timedelta(days=49), e + dt.timedelta(days=50),
                  dt.date(y, 12, 25), dt.date(y, 12, 26)}
        eves = {dt.date(y, 12, 24), dt.date(y, 12, 31), e - dt.timedelta(days=1)}
        day = Day()
        day.date = d
        day.wd = d.weekday()
        if d in closed:
            day.hours = ()
        elif d in eves:
            day.hours = tuple(range(8, 15))
        elif day.wd == 6:
            day.hours = tuple(range(10, 20))
        else:
            day.hours = tuple(range(8, 22))
        w = WEEKDAY_W[day.wd] * MONTH_W[d.month - 1]
        if d.month == 12 and 18 <= d.day <= 23:
            w *= 1.5
        if (d + dt.timedelta(days=1)) in closed and d not in closed:
            w *= 1.25
        bf = bfs[y]
        day.bf = -2 <= (d - bf).days <= 3
        if day.bf:
            w *= 1.3
        day.weight = w
        day.levels = season_levels(d, e)
        day.gifts = d.month == 12 and d.day <= 23
        day.half2 = d > mid_local.date()
        day.holiday_eve = d in eves or (d + dt.timedelta(days=1)) in closed
        day.flowers = d in flower_days[y]
        days.append(day)
        d += dt.timedelta(days=1)
    return days

def simulate(C, customers, n_baskets, seed, start_local, export_local):
    rng = random.Random(seed * 1000003 + 31)
    mid = start_local + (export_local - start_local) / 2
    days = make_days(start_local, export_local, mid)
    slots, cum, tot = [], [], 0.0
    for i, day in enumerate(days):
        for h in day.hours:
            tot += day.weight * HOUR_W[h]
            slots.append((i, h))
            cum.append(tot)
    export_utc = export_local.astimezone(UTC)
    start_utc = start_local.astimezone(UTC)
    times: list[tuple] = []
    while len(times) < n_baskets:
        i, h = slots[bisect_right(cum, rng.random() * tot)]
        d = days[i].date
        local = dt.datetime(d.year, d.month, d.day, h, rng.randrange(60), rng.randrange(60), tzinfo=TZ)
        u = local.astimezone(UTC)
        if start_utc < u <= export_utc:
            times.append((u, len(times), i, local))
    times.sort()

    shop = Shop(C, rng)
    cart = Cart(shop, rng)
    by_seg: dict[str, list[Customer]] = {}
    for c in customers:
        by_seg.setdefault(c.segment, []).append(c)
    seg_names = sorted(by_seg)
    seg_cum = {}
    seg_tot = {}
    for s in seg_names:
        acc, cw = 0.0, []
        for c in by_seg[s]:
            acc += c.weight
            cw.append(acc)
        seg_cum[s] = cw
        seg_tot[s] = acc
    mw_cache: dict[tuple, list] = {}
    baskets = []
    counters: dict[str, int] = {}
    for _, _, di, local in times:
        day = days[di]
        hour = local.hour
        cust = None
        if rng.random() < 0.4:
            sw = []
            for s in seg_names:
                f = 1.0
                if s == "senior":
                    f = 1.8 if hour < 12 else (0.5 if hour >= 17 else 1.0)
                elif s == "student":
                    f = 0.4 if hour < 11 else (1.5 if hour >= 17 else 1.0)
                elif s == "business":
                    f = 2.5 if (day.wd < 5 and 8 <= hour < 16) else 0.1
                elif s == "family":
                    f = (1.3 if hour >= 15 else 1.0) * (1.3 if day.wd == 5 else 1.0)
                sw.append(seg_tot[s] * f)
            s = rng.choices(seg_names, sw)[0]
            cw = seg_cum[s]
            cust = by_seg[s][bisect_right(cw, rng.random() * cw[-1])]
        cart.reset(day, hour, cust)
        seg = cust.segment if cust else None
        if seg == "business" and rng.random() < 0.05:
            m_business(cart)
        else:
            baby = cust.baby if cust else False
            pet = cust.pet if cust else None
            key = (day.levels, day.wd, day.bf, day.gifts, day.flowers, hour, seg, baby, pet)
            mc = mw_cache.get(key)
            if mc is None:
                mc = mw_cache[key] = mission_weights(day, hour, seg, baby, pet)
            name = MISSION_NAMES[bisect_right(mc, rng.random() * mc[-1])]
            MISSIONS[name](cart)
            if name not in ("topup", "weekly"):
                while rng.random() < 0.5:
                    cart.take("staple")
            if cust is not None:
                for p in cust.favs:
                    if rng.random() < cust.fav_p and (cart.alcohol_ok or p.group not in ALCOHOL) \
                            and (p.active or not day.half2):
                        cart.add(p)
        if not cart.items:
            cart.take("staple")
        if not cart.items:
            cart.take("milk")
        if cust is not None:
            for p, _ in cart.items.values():
                if p.durable:
                    cust.owned.add(p.sku)
        ds = local.strftime("%Y%m%d")
        counters[ds] = counters.get(ds, 0) + 1
        bid = f"R-{ds}-{counters[ds]:06d}"
        baskets.append((bid, local.isoformat(timespec="seconds"), cust.cid if cust else "",
                        list(cart.items.values())))
    return baskets
