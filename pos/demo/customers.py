"""The loyalty customers: segments, cards and their favourite products."""
from __future__ import annotations

import random

from .products import with_check

SEGMENTS = [("family", 0.28), ("couple", 0.17), ("single", 0.22), ("senior", 0.16),
            ("student", 0.14), ("business", 0.03)]
FAV_GROUPS = {
    "family": ["milk", "bread", "yoghurt", "hard_cheese", "juice", "cereal", "banana", "chips",
               "soda", "butter", "eggs", "cucumber", "taco_shells", "pasta", "ground_beef", "jam"],
    "couple": ["coffee", "bread", "hard_cheese", "specialty_cheese", "wine_red", "wine_white",
               "salmon", "tomato", "lettuce", "yoghurt", "milk", "chocolate", "crispbread"],
    "single": ["snus", "energy", "pizza", "soda", "chips", "coffee", "milk", "noodles", "beer",
               "rolls", "spread_savoury", "candy"],
    "senior": ["coffee", "bread", "crispbread", "brown_cheese", "fish_cakes", "jam", "milk",
               "spread_savoury", "potato", "apple", "biscuits", "butter", "tea"],
    "student": ["noodles", "energy", "pasta", "chips", "pizza", "beer", "soda", "pasta_sauce",
                "oats", "banana", "candy", "plant_drink"],
    "business": ["coffee", "milk", "coffee_filters", "water", "soda", "biscuits", "banana",
                 "apple", "tea", "napkins", "paper_towels"],
}


class Customer:
    __slots__ = ("cid", "card", "segment", "weight", "favs", "fav_p", "baby", "pet", "owned")


def build_customers(C, pools, seed, n=2000):
    rng = random.Random(seed * 1000003 + 21)
    cards = rng.sample(range(10 ** 7, 10 ** 8), n)
    segs = [s for s, _ in SEGMENTS]
    sw = [w for _, w in SEGMENTS]
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
        groups = list(FAV_GROUPS[c.segment]) + (["nappies", "baby_food", "wipes"] if c.baby else [])
        groups += {"cat": ["cat_food", "cat_food", "cat_litter"], "dog": ["dog_food", "dog_food"]}.get(c.pet, [])
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
