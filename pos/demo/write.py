"""Writing the dump: the CSV files and manifest.json of docs/dump-format.md."""
from __future__ import annotations

import csv
import json
import os

from ..errors import UsageError
from .extras import build_category_names
from .names import LANGS
from .prices import money
from .settings import FILES, STORE_ID, STORE_NAME, TZ_NAME


def translated(column):
    """The columns `<column>_<lang>` of the languages after English."""
    return [f"{column}_{lang}" for lang in LANGS[1:]]


def write_csv(out, name, header, rows):
    with open(os.path.join(out, f"{name}.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def qty_text(p, q):
    return f"{q:.3f}" if p.unit == "kg" else str(q)


def catalog_rows(C):
    for p in C.products:
        pitch = p.pitch or ("",) * 5
        yield ([p.sku, p.names[0], money(p.price), "|".join(p.gtins), p.category, p.brand,
                money(p.cost), p.stock, int(p.active), int(p.age), int(p.durable), p.unit,
                p.family, p.tier if p.tier else "", pitch[0]]
               + list(p.names[1:]) + list(pitch[1:]))


def write_dump(out, C, upgrades, bundles, rules, customers, baskets, export_utc):
    os.makedirs(out, exist_ok=True)
    for name in FILES:
        if os.path.exists(os.path.join(out, name + ".csv.gz")):
            raise UsageError(f"{out}/{name}.csv.gz exists and would clash with {name}.csv; "
                             "remove it first")
    write_csv(out, "catalog",
              ["sku", "name", "price", "gtin", "category", "brand", "cost", "stock", "active",
               "age_restricted", "durable", "unit", "family", "tier", "pitch"]
              + translated("name") + translated("pitch"),
              catalog_rows(C))
    write_csv(out, "baskets", ["basket_id", "sku", "quantity", "timestamp", "customer_id", "store_id"],
              ([bid, p.sku, qty_text(p, q), ts, cid, STORE_ID]
               for bid, ts, cid, lines in baskets for p, q in lines))
    write_csv(out, "upgrades", ["from_sku", "to_sku", "pitch"] + translated("pitch"),
              ([a, b] + list(pitch) for a, b, pitch in upgrades))
    write_csv(out, "bundles",
              ["bundle_id", "name", "skus", "price", "saving", "valid_from", "valid_to"]
              + translated("name"),
              ([bid, names[0], skus, price, saving, vf, vt] + list(names[1:])
               for bid, names, skus, price, saving, vf, vt in bundles))
    write_csv(out, "rules",
              ["rule_id", "trigger_sku", "trigger_category", "sku", "kind", "priority", "boost",
               "valid_from", "valid_to", "pitch"] + translated("pitch"),
              (list(r[:9]) + list(r[9]) for r in rules))
    # every language as name_<lang>: the catalog's base names are English, the
    # manifest's locale Norwegian
    write_csv(out, "categories", ["category"] + [f"name_{lang}" for lang in LANGS],
              ([path] + list(names) for path, names in build_category_names(rules)))
    write_csv(out, "customers", ["customer_id", "card", "segment"],
              ([c.cid, c.card, c.segment] for c in sorted(customers, key=lambda c: c.cid)))
    manifest = {
        "format_version": 1,
        "store_name": STORE_NAME,
        "currency": "NOK",
        "locale": "nb_NO",
        "timezone": TZ_NAME,
        "export_time": export_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="") as f:
        f.write(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
