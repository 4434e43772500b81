"""Products a department's data file has made by code (`made_by` in
data/departments/*.toml), where a name or pitch is computed: nappies (each size
of each brand, and a double pack that says how much cheaper a nappy is in it)."""
from __future__ import annotations

from .names import LANGS, Size, X
from .prices import round_price, value_pitch


def nappy_size(size, n):
    """'size 4, 40 pcs' in every language."""
    return Size(None, "raw", text=tuple(f"{Size(size, 'size').fmt(lang)}, {Size(n, 'pcs').fmt(lang)}"
                                        for lang in LANGS))


def nappies(C, entry):
    noun = X(entry["noun"])
    shared = {k: entry[k] for k in ("margin", "category", "group")}
    busy, double = entry["busy_sizes"], entry["double_packs"]
    for bcode, brand, price_factor, brand_pop in entry["brands"]:
        for size, n in enumerate(entry["counts"], 1):
            doubled = bcode in double["brands"] and size in double["sizes"]
            family = f"nappies-{bcode}-{size}".lower() if doubled else None
            size_pop = busy["pop"] if size in busy["sizes"] else entry["other_sizes_pop"]
            single = C.add(f"NAPPY-{bcode}-S{size}-{n}", noun, brand=brand, size=nappy_size(size, n),
                           price=round_price(entry["base"] * price_factor, "g"), family=family,
                           tier=1 if family else None, pop=brand_pop * size_pop, meta={"size": size},
                           **shared)
            if doubled:
                price = round_price(entry["base"] * price_factor * double["factor"], "g")
                C.add(f"NAPPY-{bcode}-S{size}-{2 * n}", noun, brand=brand,
                      size=nappy_size(size, 2 * n), price=price, family=family, tier=2,
                      pitch=value_pitch(price, Size(2 * n, "pcs"), single.price, Size(n, "pcs")),
                      pop=brand_pop * double["pop"], meta={"size": size}, **shared)


#: made_by -> the function that makes that entry's products
MAKERS = {"nappies": nappies}
