"""What head office adds to the catalog: upgrades, bundles and deals, manager
rules, and the names of the categories the rules trigger on. The tables are
data/upgrades.toml, bundles.toml, rules.toml and categories.toml."""
from __future__ import annotations

from .dates import wfrom, wto
from .names import X, fill, translations
from .pitches import PITCH
from .prices import money
from .tables import table


def window_times(window, W):
    """(valid_from, valid_to) of a window of dates.windows, or ("", "") for always."""
    return (wfrom(W[window][0]), wto(W[window][1])) if window else ("", "")


def check_skus(C, what, skus):
    missing = [s for s in skus if s and s not in C.by_sku]
    if missing:
        raise ValueError(f"{what}: unknown skus {missing} (pos/demo/data/)")


def coffee_upgrades(C, coffee):
    """250 g to 1 kg of the same coffee, for the first `limit` coffees sold in both;
    the pitch says how many times the price four times the coffee costs."""
    by = C.by_sku
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for brand in coffee["brands"]:
        for item in coffee["items"]:
            a, b = by.get(f"COF-{brand}-{item}-250"), by.get(f"COF-{brand}-{item}-1KG")
            if a is not None and b is not None and len(out) < coffee["limit"]:
                out.append((a.sku, b.sku, fill(X(coffee["pitch"]), ratio=f"{b.price / a.price:.1f}")))
    return out


def build_upgrades(C):
    data = table("upgrades")
    pitches = PITCH | translations(data["pitches"])
    edges = coffee_upgrades(C, data["coffee"])
    edges += [(u["from"], u["to"], pitches[u["pitch"]]) for u in data["upgrade"]
              if u["from"] in C.by_sku and u["to"] in C.by_sku and u["from"] != u["to"]]
    edges.sort(key=lambda e: (e[0], e[1]))
    return edges


def bundle_price(b, prices):
    """(price, saving) of a bundle as the dump writes them, one of them empty."""
    total = sum(prices)
    if "saving" in b:
        return "", money(b["saving"])
    price = b["price"] if "price" in b else int(total * (1 - b["deal"])) // 100 * 100
    return money(total - 1000 if price >= total else price), ""


def build_bundles(C, W):
    by = C.by_sku
    out = []
    for b in table("bundles")["bundle"]:
        check_skus(C, f"bundle {b['id']}", b["skus"])
        price, saving = bundle_price(b, [by[s].price for s in b["skus"]])
        out.append((b["id"], X(b["name"]), "|".join(b["skus"]), price, saving,
                    *window_times(b.get("window"), W)))
    out.sort(key=lambda b: b[0])
    return out


CATEGORY_NAMES = translations(table("categories")["categories"])


def build_category_names(rules):
    """(path, names in LANGS) of every category a rule triggers on, sorted."""
    out = []
    for path in sorted({r[2] for r in rules if r[2]}):
        if path not in CATEGORY_NAMES:
            raise ValueError(f"rules trigger on {path!r}, which has no entry in data/categories.toml")
        out.append((path, CATEGORY_NAMES[path]))
    return out


def fruit_of_the_week(month):
    return next(sku for sku, months in table("rules")["fruit_of_the_week"].items() if month in months)


FRUIT_OF_THE_WEEK = tuple(table("rules")["fruit_of_the_week"])


def build_rules(C, W, export_local):
    data = table("rules")
    pitches = translations(data["pitches"])
    out = []
    for r in data["rule"]:
        sku = r.get("sku") or fruit_of_the_week(export_local.month)
        trigger_sku = r.get("trigger_sku", "")
        check_skus(C, f"rule {r['id']}", (sku, trigger_sku))
        out.append((r["id"], trigger_sku, r.get("trigger_category", ""), sku, r["kind"],
                    str(r.get("priority", 0)), str(r.get("boost", "")),
                    *window_times(r.get("window"), W), pitches[r["pitch"]]))
    out.sort(key=lambda r: r[0])
    return out
