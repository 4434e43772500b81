"""The whole catalog: every department's products, then discontinued and
sold-out products and second barcodes, sorted by sku."""
from __future__ import annotations

import random

from .assortment import add_department
from .products import Catalog, with_check

# the departments, data/departments/<name>.toml, in the order they are made (each
# draws from the catalog's seeded random numbers)
DEPARTMENTS = (
    "electronics", "appliances", "pasta_rice", "sauces", "cheese_dairy", "mexican", "coffee_tea",
    "bakery_breakfast", "snacks", "beverages", "baby", "fruit_veg", "meat_fish", "frozen",
    "baking_canned", "household", "personal", "seasonal", "pets", "deli_meals", "health_extra",
    "gaming", "flowers", "home_goods", "office_toys_clothing", "cosmetics",
)


def build_catalog(seed):
    C = Catalog(random.Random(seed * 1000003 + 11))
    for name in DEPARTMENTS:
        add_department(C, name)
    return C


def finish_catalog(C, seed, protected):
    """Discontinued and sold-out products, second barcodes; then sort by sku.

    ``protected`` skus (those deals, rules and upgrades refer to) stay active and in stock.
    """
    rng = random.Random(seed * 1000003 + 12)
    # discontinued products: sold in the first half of the year only
    pickable = [p for p in C.products if p.history and p.active and p.group not in ("phone", "service")
                and not p.meta.get("new") and p.unit == "each" and p.sku not in protected]
    for p in rng.sample(pickable, k=len(pickable) * 25 // 1000):
        p.active = False
    for p in C.products:
        if not p.active and p.stock not in ("",):
            p.stock = "0" if rng.random() < 0.7 else str(rng.randint(1, 3))
    # sold out right now
    for p in rng.sample([p for p in C.products if p.active and p.history and p.stock not in ("",)
                         and p.sku not in protected], k=len(C.products) // 50):
        p.stock = "0.0" if p.unit == "kg" else "0"
    # a few products carry two barcodes: a new pack design, or an imported item's UPC-A
    imported = sorted(rng.sample([p for p in C.products if p.category.startswith("Electronics")
                                  and p.history], k=8), key=lambda p: p.sku)
    repacked = sorted(rng.sample([p for p in C.products if p.unit == "each" and p.group != "service"
                                  and p not in imported], k=16), key=lambda p: p.sku)
    for p in imported + repacked:
        if p in imported:
            while True:
                upc = with_check("08" + f"{rng.randrange(10 ** 9):09d}")
                if upc not in C.gtin_owner:
                    break
            C.add_second_barcode(p, upc)
        else:
            C.add_second_barcode(p, C.new_gtin(p.brand or None))
    C.products.sort(key=lambda p: p.sku)
    return C
