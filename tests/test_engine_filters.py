"""Each filter and each kind of suggestion, with a small real store built for it."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import write_dump
from pos.engine import Engine, EngineConfig
from pos.load import load_dump

COLUMNS = ["sku", "name", "price", "cost", "category", "family", "tier", "stock", "active",
           "age_restricted", "durable", "pitch", "name_nb"]
DAY = 86400
EXPORT = 1793487600          # 2026-10-31T23:00:00Z
NOW = EXPORT + DAY


def make_store(tmp_path: Path, products: list[dict], baskets: list, files: dict | None = None,
               name: str = "store") -> Path:
    """A store from products (dicts of COLUMNS; sku and price (minor units) required) and baskets:
    each a list of skus or (sku, qty), optionally as (customer, [..]) pairs."""
    lines = [",".join(COLUMNS)]
    for p in products:
        row = {"name": p["sku"].title(), "active": 1, "age_restricted": 0, "durable": 0, **p}
        for money in ("price", "cost"):   # given in minor units here
            if money in p:
                row[money] = f"{p[money] / 100:.2f}"
        lines.append(",".join(str(row.get(c, "")) for c in COLUMNS))
    rows = ["basket_id,sku,quantity,timestamp,customer_id"]
    for b, basket in enumerate(baskets):
        customer = ""
        if isinstance(basket, tuple):
            customer, basket = basket
        when = f"2026-10-{1 + b % 28:02d}T12:00:00Z"
        for entry in basket:
            sku, qty = (entry, 1) if isinstance(entry, str) else entry
            rows.append(f"B{b},{sku},{qty},{when},{customer}")
    dump = {"catalog.csv": "\n".join(lines) + "\n", "baskets.csv": "\n".join(rows) + "\n",
            "manifest.json": json.dumps({"store_name": "T", "currency": "NOK", "locale": "nb_NO",
                                         "timezone": "UTC",
                                         "export_time": "2026-10-31T23:00:00Z"})}
    dump.update(files or {})
    directory = write_dump(tmp_path / f"{name}-dump", dump)
    db = tmp_path / f"{name}.db"
    load_dump(directory, db)
    return db


def fillers(n: int = 200) -> list:
    """One-item baskets of unrelated items, so that co-bought items score > 0."""
    return [[f"F{i % 10}"] for i in range(n)]


FILLER_PRODUCTS = [{"sku": f"F{i}", "price": 5, "category": "Filler"} for i in range(10)]
WIDE = EngineConfig(max_per_category=50, max_per_family=50, max_k=50)


def skus(result) -> list[str]:
    return [s.sku for s in result]


@pytest.fixture
def filter_store(tmp_path) -> Path:
    targets = [
        {"sku": "OK", "price": 10},
        {"sku": "INACTIVE", "price": 10, "active": 0},
        {"sku": "STOCK0", "price": 10, "stock": 0},
        {"sku": "STOCKNULL", "price": 10},
        {"sku": "STOCK5", "price": 10, "stock": 5},
        {"sku": "AGE", "price": 10, "age_restricted": 1},
        {"sku": "FREE", "price": 10},     # made free below
        {"sku": "DECL", "price": 10},
        {"sku": "INBASKET", "price": 10},
    ]
    products = [{"sku": "A", "price": 20}] + [dict(t, category=f"C{i}") for i, t in
                                              enumerate(targets)] + FILLER_PRODUCTS
    baskets = [["A"] + [t["sku"] for t in targets] for _ in range(40)] + fillers()
    db = make_store(tmp_path, products, baskets)
    # the loader rejects a price of 0 for an active product (test_load_plausible.py); a
    # store that holds one anyway (loaded by an older build) must still never suggest it
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE products SET price = 0 WHERE sku = 'FREE'")
    conn.close()
    return db


def test_every_filter(filter_store):
    engine = Engine.open(filter_store, WIDE)
    got = skus(engine.suggest(["A", "INBASKET"], k=50, declined=["DECL"], now=NOW))
    assert sorted(got) == ["OK", "STOCK5", "STOCKNULL"]
    # without the basket line and the declined item, those two come back
    got = skus(engine.suggest(["A"], k=50, now=NOW))
    assert sorted(got) == ["DECL", "INBASKET", "OK", "STOCK5", "STOCKNULL"]


def test_unknown_skus_are_ignored_and_reported(filter_store):
    engine = Engine.open(filter_store, WIDE)
    result, unknown = engine.suggest_ex(["A", "NOPE"], declined=["GONE"], now=NOW)
    assert unknown == ["NOPE", "GONE"]
    assert result and all(s.kind == "cross" for s in result)
    engine.suggest(["NOPE2"], now=NOW)
    assert engine.last_unknown == ["NOPE2"]


@pytest.fixture
def upsell_store(tmp_path) -> Path:
    products = [
        {"sku": "PH1", "price": 100000, "category": "Electronics > Phones", "family": "ph", "tier": 1},
        {"sku": "PH2A", "price": 140000, "category": "Electronics > Phones", "family": "ph", "tier": 2},
        {"sku": "PH2B", "price": 145000, "category": "Electronics > Phones", "family": "ph", "tier": 2},
        {"sku": "PH3", "price": 160000, "category": "Electronics > Phones", "family": "ph", "tier": 3},
        {"sku": "TV1", "price": 100000, "category": "Electronics > TV", "family": "tv", "tier": 1},
        {"sku": "TV2", "price": 160000, "category": "Electronics > TV", "family": "tv", "tier": 2},
        {"sku": "COF-S", "price": 5000, "category": "Coffee"},
        {"sku": "COF-L", "price": 7000, "category": "Coffee"},
        {"sku": "COF-XL", "price": 9000, "category": "Coffee"},
    ] + FILLER_PRODUCTS
    baskets = ([["PH1"]] * 10 + [["PH2A"]] * 30 + [["PH2B"]] * 5 + [["PH3"]] * 3
               + [["TV1"], ["TV2"], ["COF-S"], ["COF-L"]] + fillers(20))
    upgrades = ("from_sku,to_sku,pitch,pitch_nb\nCOF-S,COF-L,More coffee,Mer kaffe\n"
                "COF-S,COF-XL,Much more,Mye mer\n")
    return make_store(tmp_path, products, baskets, {"upgrades.csv": upgrades})


def test_next_tier_ladder(upsell_store):
    engine = Engine.open(upsell_store, WIDE, lang="en")
    got = engine.suggest(["PH1"], k=10, now=NOW)
    ups = {s.sku: s for s in got if s.kind == "upsell"}
    assert set(ups) == {"PH2A", "PH2B"}          # the next tier only, both of its items
    first = got[0]
    assert first.sku == "PH2A"                    # sells better against PH1 than PH2B does
    assert first.replaces == "PH1" and first.price == 40000 and first.source == "family"
    assert "Upgrade: +" in first.reason and "%" in first.reason
    # from tier 2 the next is tier 3
    assert [s.sku for s in engine.suggest(["PH2A"], k=10, now=NOW) if s.kind == "upsell"] == ["PH3"]


def test_upsell_cap(upsell_store):
    engine = Engine.open(upsell_store, WIDE)
    assert [s for s in engine.suggest(["TV1"], now=NOW) if s.kind == "upsell"] == []  # +60%
    loose = EngineConfig(upsell_cap=0.7)
    assert [s.sku for s in engine.suggest(["TV1"], now=NOW, config=loose)
            if s.kind == "upsell"] == ["TV2"]


def test_explicit_upgrade(upsell_store):
    engine = Engine.open(upsell_store, WIDE)
    got = [s for s in engine.suggest(["COF-S"], k=5, now=NOW) if s.kind == "upsell"]
    assert [s.sku for s in got] == ["COF-L"]      # COF-XL is +80%: over the cap
    assert got[0].source == "upgrade" and got[0].price == 2000 and got[0].pitch == "Mer kaffe"
    # an upsell target already in the basket is not offered
    assert [s for s in engine.suggest(["COF-S", "COF-L"], now=NOW) if s.kind == "upsell"] == []


@pytest.fixture
def bundle_store(tmp_path) -> Path:
    products = [{"sku": s, "price": p, "category": c} for s, p, c in [
        ("PASTA", 2000, "Food > Pasta"), ("SAUCE", 3000, "Food > Pasta"),
        ("PARM", 5000, "Food > Cheese"), ("CHIPS", 2500, "Snacks"), ("DIP", 2000, "Snacks > Dip"),
        ("OLD1", 1000, "Misc"), ("OLD2", 1000, "Misc")]] + FILLER_PRODUCTS
    bundles = ("bundle_id,name,skus,price,saving,valid_from,valid_to,name_nb\n"
               "PASTA-NIGHT,Pasta night,PASTA|SAUCE|PARM,,25.00,,,Pastakveld\n"
               "CHIPS-NIGHT,Chips night,CHIPS|CHIPS|DIP,60.00,,,,\n"
               "OLD,Old deal,OLD1|OLD2,,5.00,2025-01-01,2025-02-01,\n")
    return make_store(tmp_path, products, [["PASTA"], ["SAUCE"], ["PARM"], ["CHIPS"], ["DIP"],
                                           ["OLD1"], ["OLD2"]] + fillers(20),
                      {"bundles.csv": bundles})


def test_bundle_completion_with_saving(bundle_store):
    engine = Engine.open(bundle_store, lang="en")
    got = engine.suggest(["PASTA", "SAUCE"], now=NOW)
    assert got[0].kind == "bundle" and got[0].sku == "PARM"
    assert got[0].bundle == "PASTA-NIGHT" and got[0].saving == 2500 and got[0].price == 5000
    assert "Pasta night" in got[0].reason and "25" in got[0].reason
    # in the store's language (nb) by default: deal name and reason line alike
    assert Engine.open(bundle_store).suggest(["PASTA", "SAUCE"], now=NOW)[0].reason.startswith(
        "Fullfører tilbudet Pastakveld")
    assert [s for s in engine.suggest(["PASTA"], now=NOW) if s.kind == "bundle"] == []


def test_bundle_quantities_and_price_saving(bundle_store):
    engine = Engine.open(bundle_store)
    assert [s for s in engine.suggest(["DIP", "CHIPS"], now=NOW) if s.kind == "bundle"] == []
    got = [s for s in engine.suggest({"CHIPS": 2}, now=NOW) if s.kind == "bundle"]
    assert [s.sku for s in got] == ["DIP"]
    assert got[0].saving == 2 * 2500 + 2000 - 6000


def test_bundle_outside_its_window(bundle_store):
    engine = Engine.open(bundle_store)
    assert [s for s in engine.suggest(["OLD1"], now=NOW) if s.kind == "bundle"] == []
    inside = 1736000000  # 2025-01-04
    assert [s.sku for s in engine.suggest(["OLD1"], now=inside) if s.kind == "bundle"] == ["OLD2"]


@pytest.fixture
def rule_store(tmp_path) -> Path:
    products = [{"sku": s, "price": p, "category": c} for s, p, c in [
        ("PH1", 100000, "Electronics > Phones > Smart"), ("CASE", 20000, "Electronics > Acc"),
        ("CARE", 50000, "Services"), ("GLOGG", 9000, "Seasonal"), ("BREAD", 3000, "Food"),
        ("BUTTER", 4000, "Food > Dairy"), ("JAM", 4000, "Food > Spreads"),
        ("HONEY", 4000, "Food > Honey")]] + FILLER_PRODUCTS
    baskets = ([["BREAD", "BUTTER", "JAM"]] * 30 + [["BREAD", "BUTTER", "GLOGG"]] * 10
               + [["BREAD", "HONEY"]] * 5 + [["PH1"], ["CASE"], ["CARE"]] + fillers())
    rules = ("rule_id,trigger_sku,trigger_category,sku,kind,priority,boost,valid_from,valid_to,"
             "pitch,pitch_nb\n"
             "CASE-PH1,PH1,,CASE,cross,1,,,,Protect it,Beskytt den\n"
             "CARE-ELEC,,Electronics,CARE,cross,5,,,,Cover,Dekning\n"
             "XMAS,,,GLOGG,campaign,0,10,2026-12-01,2026-12-24,Xmas,Jul\n")
    return make_store(tmp_path, products, baskets, {"rules.csv": rules})


def test_one_pinned_rule_at_a_time_by_default(rule_store):
    got = Engine.open(rule_store).suggest(["PH1"], k=5, now=NOW)
    assert [s.sku for s in got if s.source == "rule"] == ["CARE"]     # the higher priority


def test_rules_by_sku_and_by_category_with_sub_categories(rule_store):
    engine = Engine.open(rule_store, replace(WIDE, max_rules=2))
    got = engine.suggest(["PH1"], k=5, now=NOW)
    assert skus(got) == ["CARE", "CASE"]         # priority 5 before priority 1
    assert all(s.source == "rule" and s.kind == "cross" for s in got)
    assert got[0].pitch == "Dekning" and got[0].reason == "Anbefales sammen med electronics"
    assert got[1].reason.startswith("Anbefales sammen med")
    # the category rule fires for any electronics, the sku rule only for PH1
    assert skus(engine.suggest(["CASE"], k=5, now=NOW)) == ["CARE"]


def test_rule_ranks_with_the_best_mined_suggestion(rule_store):
    engine = Engine.open(rule_store, WIDE)
    got = engine.suggest(["BREAD", "PH1"], k=5, now=NOW)
    best_mined = max(s.score for s in got if s.source == "mined")
    care = next(s for s in got if s.sku == "CARE")
    assert care.score == pytest.approx(best_mined * 1.05)


def test_campaign_boost_inside_and_outside_its_window(rule_store):
    engine = Engine.open(rule_store, WIDE)
    outside = engine.suggest(["BREAD"], k=5, now=NOW)
    inside = engine.suggest(["BREAD"], k=5, now=NOW + 35 * DAY)
    assert skus(outside)[0] == "BUTTER" and skus(inside)[0] == "GLOGG"
    glogg_out = next(s for s in outside if s.sku == "GLOGG")
    glogg_in = next(s for s in inside if s.sku == "GLOGG")
    assert glogg_in.score == pytest.approx(10 * glogg_out.score)
    # a campaign never creates a candidate of its own
    assert "GLOGG" not in skus(engine.suggest(["PH1"], k=5, now=NOW + 35 * DAY))


@pytest.fixture
def personal_store(tmp_path) -> Path:
    products = [{"sku": s, "price": p, "category": c, "durable": d} for s, p, c, d in [
        ("HDMI", 20000, "TV > Cables", 0), ("TV", 500000, "TV > Sets", 1),
        ("BRACKET", 30000, "TV > Mounts", 0), ("TEA", 4000, "Drinks", 0),
        ("MILK", 2000, "Dairy", 0)]] + FILLER_PRODUCTS
    customers = "customer_id,card,segment\nC1,,\nC2,,\n"
    baskets = ([["HDMI", "TV"]] * 20 + [["HDMI", "BRACKET"]] * 8 + [["MILK"]] * 20
               + [("C1", ["TEA", "F1"])] * 8 + [("C1", ["F2"])] * 12
               + [("C2", ["TV", "F3"])] + fillers())
    return make_store(tmp_path, products, baskets, {"customers.csv": customers})


def test_personal_history_boosts(personal_store):
    engine = Engine.open(personal_store, WIDE, lang="en")
    plain = skus(engine.suggest(["HDMI"], k=5, now=NOW))
    assert "TEA" not in plain
    got = engine.suggest(["HDMI"], k=5, customer="C1", now=NOW)
    tea = next(s for s in got if s.sku == "TEA")
    assert tea.personal and tea.reason.startswith("You buy this regularly (8 of your")
    # unknown customer: like none
    assert skus(engine.suggest(["HDMI"], k=5, customer="NOBODY", now=NOW)) == plain


def test_durable_bought_recently_is_not_pushed(personal_store):
    engine = Engine.open(personal_store, WIDE)
    assert "TV" in skus(engine.suggest(["HDMI"], k=5, now=NOW))
    assert "TV" not in skus(engine.suggest(["HDMI"], k=5, customer="C2", now=NOW))
    # more than durable_days later it may be suggested again
    assert "TV" in skus(engine.suggest(["HDMI"], k=5, customer="C2", now=NOW + 400 * DAY))
    short = EngineConfig(durable_days=10, max_per_category=50)
    assert "TV" in skus(engine.suggest(["HDMI"], k=5, customer="C2", now=NOW, config=short))


def test_diversity_one_per_family(tmp_path):
    products = ([{"sku": "A", "price": 1000, "category": "X"}]
                + [{"sku": f"V{i}", "price": 1000, "category": f"Y{i}", "family": "v", "tier": 1}
                   for i in range(3)] + [{"sku": "W", "price": 1000, "category": "Z"}]
                + FILLER_PRODUCTS)
    baskets = [["A", "V0", "V1", "V2"]] * 20 + [["A", "W"]] * 5 + fillers()
    engine = Engine.open(make_store(tmp_path, products, baskets))
    got = skus(engine.suggest(["A"], k=3, now=NOW))
    assert sum(s.startswith("V") for s in got) == 1 and "W" in got
    wide = skus(engine.suggest(["A"], k=5, now=NOW, config=EngineConfig(max_per_family=3)))
    assert sum(s.startswith("V") for s in wide) == 3


def test_diversity_per_category(tmp_path):
    # V0..V3 (category Y) go with A more often than W (category Z) does
    products = ([{"sku": "A", "price": 1000, "category": "X"}]
                + [{"sku": f"V{i}", "price": 1000, "category": "Y"} for i in range(4)]
                + [{"sku": "W", "price": 1000, "category": "Z"}] + FILLER_PRODUCTS)
    baskets = ([["A", "V0", "V1", "V2", "V3"]] * 10 + [["A", "V0", "V1", "V2"]] * 5
               + [["A", "V0", "V1"]] * 5 + [["A", "V0"]] * 5 + [["A", "W"]] * 4 + fillers())
    engine = Engine.open(make_store(tmp_path, products, baskets))
    # a third item of Y only once nothing else fits, after the diverse ones
    assert skus(engine.suggest(["A"], k=3, now=NOW)) == ["V0", "V1", "W"]
    assert skus(engine.suggest(["A"], k=4, now=NOW)) == ["V0", "V1", "W", "V2"]
    assert skus(engine.suggest(["A"], k=6, now=NOW)) == ["V0", "V1", "W", "V2", "V3"]
    assert skus(engine.suggest(["A"], k=3, now=NOW, config=WIDE)) == ["V0", "V1", "V2"]


@pytest.mark.parametrize("category", ["uncategorized", ""])
def test_one_catch_all_category_still_gives_k(tmp_path, category):
    # issue 15: a catalog whose items all share one category (or have none)
    products = ([{"sku": "A", "price": 1000, "category": category}]
                + [{"sku": f"V{i}", "price": 1000, "category": category} for i in range(4)]
                + [{"sku": f"F{i}", "price": 5, "category": category} for i in range(10)])
    baskets = ([["A", "V0", "V1", "V2", "V3"]] * 10 + [["A", "V0", "V1", "V2"]] * 5
               + [["A", "V0", "V1"]] * 5 + fillers())
    engine = Engine.open(make_store(tmp_path, products, baskets))
    assert skus(engine.suggest(["A"], k=3, now=NOW)) == ["V0", "V1", "V2"]
    assert skus(engine.suggest(["A"], k=5, now=NOW)) == ["V0", "V1", "V2", "V3"]


def test_catch_all_category_keeps_the_family_cap(tmp_path):
    # one category; V0..V2 are variants of one product: never two of them
    products = ([{"sku": "A", "price": 1000, "category": "uncategorized"}]
                + [{"sku": f"V{i}", "price": 1000, "category": "uncategorized", "family": "v",
                    "tier": 1} for i in range(3)]
                + [{"sku": s, "price": 1000, "category": "uncategorized"} for s in ("P", "Q")]
                + [{"sku": f"F{i}", "price": 5, "category": "uncategorized"} for i in range(10)])
    baskets = ([["A", "V0", "V1", "V2", "P", "Q"]] * 10 + [["A", "V0", "V1", "V2", "P"]] * 5
               + [["A", "V0", "V1", "V2"]] * 5 + fillers())
    engine = Engine.open(make_store(tmp_path, products, baskets))
    got = skus(engine.suggest(["A"], k=3, now=NOW))
    assert len(got) == 3 and got[-1] == "Q" and sum(s.startswith("V") for s in got) == 1
    assert len(engine.suggest(["A"], k=5, now=NOW)) == 3     # nothing else may fill


def test_margin_breaks_a_near_tie_only(tmp_path):
    products = [{"sku": "A", "price": 1000, "category": "X"},
                {"sku": "LOW", "price": 1000, "cost": 1000, "category": "Y1"},
                {"sku": "HIGH", "price": 1000, "cost": 100, "category": "Y2"},
                {"sku": "STRONG", "price": 1000, "cost": 1000, "category": "Y3"},
                {"sku": "WEAK", "price": 1000, "cost": 0, "category": "Y4"}] + FILLER_PRODUCTS
    # LOW and HIGH tie in relevance; STRONG is clearly above WEAK
    baskets = ([["A", "LOW", "HIGH", "STRONG", "WEAK"]] * 10 + [["A", "STRONG"]] * 10
               + fillers())
    engine = Engine.open(make_store(tmp_path, products, baskets))
    got = engine.suggest(["A"], k=4, now=NOW)
    order = skus(got)
    assert order.index("HIGH") < order.index("LOW")
    assert order[0] == "STRONG" and order.index("STRONG") < order.index("WEAK")
    by = {s.sku: s.score for s in got}
    assert by["HIGH"] / by["LOW"] == pytest.approx(1 + 0.05 * 0.9)
    off = {s.sku: s.score for s in engine.suggest(["A"], k=4, now=NOW,
                                                   config=EngineConfig(margin_weight=0))}
    assert off["HIGH"] == off["LOW"]
    assert off["STRONG"] / off["WEAK"] > 1 + 0.05         # the gap is larger than mu


def test_shrinkage_two_of_two_loses_to_400_of_1000(tmp_path):
    products = [{"sku": s, "price": 1000, "category": c} for s, c in
                [("RARE", "R"), ("COMMON", "C"), ("X", "XX"), ("Y", "YY")]] + FILLER_PRODUCTS
    # RARE (2 baskets) always with X; COMMON (1000 baskets) with Y 400 times.
    # X and Y have the same popularity overall.
    baskets = ([["RARE", "X"]] * 2 + [["X"]] * 398 + [["COMMON", "Y"]] * 400
               + [["COMMON"]] * 600 + fillers(2000))
    engine = Engine.open(make_store(tmp_path, products, baskets))
    got = engine.suggest(["RARE", "COMMON"], k=2, now=NOW)
    assert skus(got) == ["Y", "X"]
    no_shrink = engine.suggest(["RARE", "COMMON"], k=2, now=NOW,
                               config=EngineConfig(shrinkage=0))
    assert skus(no_shrink) == ["X", "Y"]        # raw confidence: 1.0 against 0.4
