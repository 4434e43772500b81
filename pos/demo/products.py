"""`Product` and `Catalog`, the container the departments fill: skus, names,
prices and costs, barcodes (GTIN-13 from made-up Norwegian prefixes,
variable-weight codes for weighed goods)."""
from __future__ import annotations

import math
from typing import Any

from ..dump.gtin import check_digit
from .names import LANGS, compose


def with_check(body):
    """`body` followed by its GS1 check digit."""
    return body + str(check_digit(body))


class Product:
    __slots__ = ("sku", "names", "price", "gtins", "category", "brand", "cost", "stock",
                 "active", "age", "durable", "unit", "family", "tier", "pitch", "group",
                 "pop", "season", "history", "meta", "qty")
    sku: str
    names: tuple[str, ...]           # in LANGS order
    price: int                       # øre
    gtins: list[str]
    category: str
    brand: str
    cost: int
    stock: str                       # as catalog.csv writes it ("" unknown)
    active: bool
    age: bool
    durable: bool
    unit: str
    family: str
    tier: int | None
    pitch: Any
    group: str
    pop: float
    season: str | None
    history: bool
    meta: dict[str, Any]
    qty: str

    def name(self, lang="en"):
        return self.names[LANGS.index(lang)]


class Catalog:
    STORE_PREFIX = "7049000"          # unbranded / store-packed goods

    def __init__(self, rng):
        self.rng = rng
        self.products = []
        self.by_sku = {}
        self.gtin_owner = {}
        self.brand_prefix = {}
        self.next_ref = {}
        self.next_plu = 101
        self.families = {}

    # -- barcodes ----------------------------------------------------------
    def new_gtin(self, brand):
        key = brand or ""
        if key not in self.brand_prefix:
            self.brand_prefix[key] = (self.STORE_PREFIX if not key
                                      else f"7049{len(self.brand_prefix) + 101:03d}")
            self.next_ref[key] = 10010 + self.rng.randrange(0, 500)
        ref = self.next_ref[key]
        self.next_ref[key] = ref + 1 + (self.rng.random() < 0.15)
        return with_check(f"{self.brand_prefix[key]}{ref:05d}")

    def new_weight_code(self):
        plu = self.next_plu
        self.next_plu += 1 + self.rng.randrange(0, 3)
        return with_check(f"23{plu:05d}00000")

    # -- products ----------------------------------------------------------
    def add(self, sku, noun, *, price, category, group, brand=None, model=None, var=(),
            size=None, colour=None, for_=None, margin=0.3, unit="each", family=None,
            tier=None, pitch=None, season=None, pop=1.0, durable=False, age=False,
            stock=(6, 60), history=True, active=True, meta=None, qty="std", names=None):
        if sku in self.by_sku:
            raise ValueError(f"duplicate sku {sku}")
        if len(sku) > 64:
            raise ValueError(f"sku too long: {sku}")
        rng = self.rng
        p = Product()
        p.sku = sku
        shown = f"{brand} {model}" if (brand and model) else (model or brand)
        p.names = names or tuple(compose(lang, noun, shown, var, size, colour, for_)
                                 for lang in LANGS)
        p.price = price
        m = max(0.04, min(0.92, margin + rng.uniform(-0.05, 0.05)))
        p.cost = max(0, min(price - 1, round(price * (1 - m))))
        p.category = category
        p.brand = brand or ""
        p.unit = unit
        p.gtins = [self.new_weight_code() if unit == "kg" else self.new_gtin(brand)]
        for g in p.gtins:
            self.gtin_owner[g] = sku
        if stock is None:
            p.stock = ""
        elif unit == "kg":
            p.stock = f"{rng.uniform(*stock):.1f}"
        else:
            p.stock = str(rng.randint(*stock))
        p.active = active
        p.age = age
        p.durable = durable
        p.family = family or ""
        p.tier = tier
        p.pitch = pitch
        p.group = group
        p.pop = pop * math.exp(rng.gauss(0, 0.3))
        p.season = season
        p.history = history
        p.meta = meta or {}
        p.qty = qty
        self.products.append(p)
        self.by_sku[sku] = p
        if family:
            self.families.setdefault(family, []).append(p)
        return p

    def history_pools(self):
        """group -> its products that sell in the history (in catalog order)."""
        pools: dict[str, list[Product]] = {}
        for p in self.products:
            if p.history:
                pools.setdefault(p.group, []).append(p)
        return pools

    def add_second_barcode(self, p, code):
        if code in self.gtin_owner:
            raise ValueError(f"barcode {code} already used")
        self.gtin_owner[code] = p.sku
        p.gtins.append(code)
