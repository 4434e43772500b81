"""The loyalty customers: segments, cards and their favourite products."""
from __future__ import annotations

import random

from .products import Product, with_check
from .tables import table

SEGMENTS = table("customers")["segments"]
MORE_FAVOURITES = table("customers")["more_favourites"]


class Customer:
    __slots__ = ("cid", "card", "segment", "weight", "favs", "fav_p", "baby", "pet", "owned")
    cid: str
    card: str
    segment: str
    weight: float
    favs: list[Product]
    fav_p: float
    baby: bool
    pet: str | None
    owned: set[str]


def build_customers(C, seed, n=2000):
    """`n` loyalty customers of the catalog `C`, each with a segment, a card and
    favourite products."""
    pools = C.history_pools()
    rng = random.Random(seed * 1000003 + 21)
    cards = rng.sample(range(10 ** 7, 10 ** 8), n)
    segs = list(SEGMENTS)
    sw = [s["share"] for s in SEGMENTS.values()]
    out = []
    for i in range(n):
        c = Customer()
        c.cid = f"C{10001 + i}"
        c.card = with_check(f"4900{cards[i]:08d}")
        c.segment = rng.choices(segs, sw)[0]
        c.weight = min(25.0, rng.paretovariate(1.4)) * (3.0 if c.segment == "business" else 1.0)
        c.baby = c.segment == "family" and rng.random() < 0.4
        pet_p = {"business": 0.0, "student": 0.1}.get(c.segment, 0.3)
        c.pet = (("cat" if rng.random() < 0.55 else "dog") if rng.random() < pet_p else None)
        groups = list(SEGMENTS[c.segment]["favourites"]) + (MORE_FAVOURITES["baby"] if c.baby else [])
        groups += MORE_FAVOURITES.get(c.pet, [])
        favs = []
        for _ in range(rng.randint(4, 12)):
            g = rng.choice(groups)
            pool = [p for p in pools.get(g, []) if p.active and not p.season and not p.durable]
            if not pool:
                continue
            p = rng.choices(pool, [p.pop for p in pool])[0]
            if p not in favs:
                favs.append(p)
        c.favs = favs
        c.fav_p = rng.uniform(0.15, 0.45)
        c.owned = set()
        out.append(c)
    return out
