"""A department's data file, data/departments/<name>.toml, made into products:
its `[[add]]` entries in order, each a range (`range`: the sku prefix, fed to
`ranges.grid`), a single product (`sku`, fed to `Catalog.add`), or several
(`products`, one a line, sharing the entry's other fields).

A range has `category`, `group`, `base` (its price in NOK before factors),
`brands` ([code, name or "", price factor, popularity]), `items` (`code`, and
`noun`, `variant`, `pop`, `factor`, or any product field, such as `group` or
`season`, that differs for the item), `sizes` (`code`, `size`, `factor`, `pop`;
`items` and `brands`: only for those) and grid's other arguments (`margin`,
`style`, `noun`, `coverage`, `family`, `brand_pitch`, `item_pitch`, `meta`) or
product fields for all its products.

An entry with `made_by` is made by that function of pos/demo/ladders.py.

A size is [value, unit] or [value, unit, count] (units.toml; "in", "size", "spf"),
or a translation written as it is. A pitch is a key of pitches.toml or a
translation; a colour a code of colours.toml; `stock = []`: not stocked (services);
`pop`, a popularity, a number or the factors it is the product of."""
from __future__ import annotations

import math

from .ladders import MAKERS
from .names import Size, X, translations
from .pitches import PITCH
from .ranges import grid
from .tables import table

COLOURS = translations(table("colours")["colours"])


def pitch(value):
    return PITCH[value] if value in PITCH else X(value)


def size(value):
    if isinstance(value, str):
        return Size(None, "raw", text=X(value))
    return Size(*value)


# how a product field's data becomes the value Catalog.add takes
FIELDS = {
    "pitch": pitch,
    "size": size,
    "noun": X,
    "variants": lambda texts: tuple(X(t) for t in texts),
    "colour": lambda code: COLOURS[code] if code in COLOURS else X(code),
    "stock": lambda lo_hi: tuple(lo_hi) or None,
    "pop": lambda pop: math.prod(pop) if isinstance(pop, list) else pop,
    "qty": lambda qty: qty if isinstance(qty, str) else (qty[0], tuple(qty[1])),
}
KEYWORDS = {"variants": "var", "for": "for_"}


def product_fields(entry):
    """Catalog.add's keyword arguments for the product fields of `entry`."""
    return {KEYWORDS.get(k, k): FIELDS.get(k, lambda v: v)(v) for k, v in entry.items()}


def range_sizes(specs):
    """grid's sizes: a list, or a function of (item, brand) when some sizes are only
    for some items or brands."""
    sizes = [(s["code"], size(s["size"]) if "size" in s else None, s.get("factor", 1.0),
              s.get("pop", 1.0)) for s in specs]
    if not any("items" in s or "brands" in s for s in specs):
        return sizes

    def for_item(item, brand):
        return [sz for sz, s in zip(sizes, specs)
                if item in s.get("items", (item,)) and brand in s.get("brands", (brand,))]
    return for_item


def range_item(spec):
    spec = dict(spec)
    code, noun, variant = spec.pop("code"), spec.pop("noun", None), spec.pop("variant", None)
    pop, factor = spec.pop("pop", None), spec.pop("factor", None)
    return (code, noun and X(noun), variant and X(variant), pop and FIELDS["pop"](pop), factor,
            product_fields(spec))


def add_range(C, entry):
    entry = dict(entry)
    args = dict(
        code=entry.pop("range"), category=entry.pop("category"), group=entry.pop("group"),
        base=entry.pop("base"),
        brands=[(code, name or None, factor, pop) for code, name, factor, pop in entry.pop("brands")],
        items=[range_item(i) for i in entry.pop("items")],
        sizes=range_sizes(entry.pop("sizes")))
    for name in ("brand_pitch", "item_pitch"):
        if name in entry:
            args[name] = {code: pitch(p) for code, p in entry.pop(name).items()}
    return grid(C, **args, **product_fields(entry))


def add_product(C, entry):
    return C.add(**product_fields(entry))


def add_products(C, entry):
    """Products that share the fields of `entry` besides `products`."""
    common = {k: v for k, v in entry.items() if k != "products"}
    for product in entry["products"]:
        add_product(C, common | product)


def add_department(C, name):
    """Adds the products of data/departments/<name>.toml to `C`."""
    for entry in table(f"departments/{name}")["add"]:
        if "range" in entry:
            add_range(C, entry)
        elif "made_by" in entry:
            MAKERS[entry["made_by"]](C, entry)
        elif "products" in entry:
            add_products(C, entry)
        else:
            add_product(C, entry)
