"""Picking products for a basket: `Shop` (weighted pools by group, season,
half-year and alcohol hours) and `Cart` (one basket being filled)."""
from __future__ import annotations

from bisect import bisect_right

from .products import Product
from .seasons import season_factor
from .tables import table

SHOPPING = table("shopping")
BUSINESS = SHOPPING["business"]["groups"]
STAPLES = SHOPPING["staples"]
ALCOHOL = frozenset(SHOPPING["alcohol"]["groups"])
QTY = SHOPPING["quantities"]


class Shop:
    """Weighted picking from product groups, per season/half-year/alcohol-hours state."""

    def __init__(self, C, rng):
        self.rng = rng
        self.pools = C.history_pools()
        self.base = {g: [(p, p.pop) for p in ps] for g, ps in self.pools.items()}
        staple = []
        for g, gw in sorted(STAPLES.items()):
            ps = self.pools.get(g, [])
            tot = sum(p.pop for p in ps)
            staple += [(p, gw * p.pop / tot) for p in ps]
        self.base["staple"] = staple
        business = []
        for g in BUSINESS:      # every group gets the same share, whatever its size
            ps = self.pools.get(g, [])
            tot = sum(p.pop for p in ps)
            business += [(p, p.pop / tot) for p in ps]
        self.base["business"] = business
        self.cache = {}
        self.by_model: dict[tuple[str, str], list[Product]] = {}
        for p in C.products:
            m = p.meta.get("model")
            if m and p.history:
                self.by_model.setdefault((p.group, m), []).append(p)

    def table(self, name, skey):
        key = (name, skey)
        hit = self.cache.get(key)
        if hit is None:
            if name not in self.base:      # "a+b" = several groups
                self.base[name] = [pw for g in name.split("+") for pw in self.base.get(g, [])]
            lv, half2, alcohol_ok = skey
            items, weights, cum, tot = [], [], [], 0.0
            for p, w in self.base[name]:
                w *= season_factor(p.season, lv)
                if half2 and not p.active:
                    w = 0.0
                if not alcohol_ok and p.group in ALCOHOL:
                    w = 0.0
                if w > 0:
                    tot += w
                    items.append(p)
                    weights.append(w)
                    cum.append(tot)
            hit = (items, weights, cum)
            self.cache[key] = hit
        return hit


class Cart:
    def __init__(self, shop, rng):
        self.shop = shop
        self.rng = rng

    def reset(self, day, hour, cust):
        self.day, self.hour, self.cust = day, hour, cust
        # beer and wine: not on Sundays/holidays, until 20 on weekdays and 18 on Saturdays
        self.alcohol_ok = day.wd != 6 and hour < (18 if (day.wd == 5 or day.holiday_eve) else 20)
        self.skey = (day.levels, day.half2, self.alcohol_ok)
        self.items = {}

    def pick(self, name, pred=None, prefer=None, prefer_p=0.0):
        items, weights, cum = self.shop.table(name, self.skey)
        if not items:
            return None
        rng = self.rng
        if prefer is not None and rng.random() < prefer_p:
            sub = [(p, w) for p, w in zip(items, weights) if prefer(p)]
            if sub:
                return rng.choices([p for p, _ in sub], [w for _, w in sub])[0]
        if pred is not None:
            sub = [(p, w) for p, w in zip(items, weights) if pred(p)]
            if not sub:
                return None
            return rng.choices([p for p, _ in sub], [w for _, w in sub])[0]
        return items[bisect_right(cum, rng.random() * cum[-1])]

    def qty(self, p):
        rng = self.rng
        q = p.qty
        if isinstance(q, tuple):            # ("kg", (lo, hi))
            lo, hi = q[1]
            return round(rng.uniform(lo, hi), 3)
        if q == "kg_candy":
            return round(rng.uniform(0.1, 0.6), 3)
        if q == "one":
            return 1
        vals, w = QTY.get(q, QTY["std"])
        return rng.choices(vals, w)[0]

    def add(self, p, q=None):
        if p is None or p.sku in self.items:
            return None
        if p.durable and self.cust is not None and p.sku in self.cust.owned:
            return None
        self.items[p.sku] = (p, q if q is not None else self.qty(p))
        return p

    def take(self, name, pred=None, prefer=None, prefer_p=0.0, q=None):
        return self.add(self.pick(name, pred, prefer, prefer_p), q)

    def maybe(self, prob, name, pred=None, prefer=None, prefer_p=0.0, q=None):
        if self.rng.random() < prob:
            return self.take(name, pred, prefer, prefer_p, q)
        return None

    def model_item(self, group, model, pred=None):
        ps = [p for p in self.shop.by_model.get((group, model), ())
              if (p.active or not self.day.half2) and (pred is None or pred(p))]
        if not ps:
            return None
        return self.add(self.rng.choices(ps, [p.pop for p in ps])[0])
