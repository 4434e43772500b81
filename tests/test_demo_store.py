"""The demo store's generator (pos/demo/, its catalog in pos/demo/data/; run here as
scripts/make-demo-store): the demo dump follows docs/dump-format.md, tells a believable
story, and keeps its bytes."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make-demo-store"
CSV_FILES = ("catalog", "baskets", "upgrades", "bundles", "rules", "customers", "categories")
ALL_FILES = tuple(f"{n}.csv" for n in CSV_FILES) + ("manifest.json",)
LANGS = ("nb", "sv", "hu", "he")
OSLO = ZoneInfo("Europe/Oslo")
HEBREW = re.compile("[\u05d0-\u05ea]")
SMALL = "2000"


def run(out, *args):
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out), "--quiet", *args],
                   check=True, timeout=120)
    return out


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


class Dump:
    def __init__(self, path):
        self.path = path
        for name in CSV_FILES:
            setattr(self, name, read_csv(path / f"{name}.csv"))
        self.manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        self.by_sku = {r["sku"]: r for r in self.catalog}
        self.lines = defaultdict(list)
        self.meta = {}
        for r in self.baskets:
            self.lines[r["basket_id"]].append(r)
        self.export = parse_time(self.manifest["export_time"])


def parse_time(text):
    """ISO time as the dump format reads it: no offset means Oslo local time."""
    t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=OSLO)


def gtin_ok(code):
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(code[:-1])))
    return (10 - total % 10) % 10 == int(code[-1])


def active_at(row, when):
    start = parse_time(row["valid_from"]) if row["valid_from"] else None
    end = parse_time(row["valid_to"]) if row["valid_to"] else None
    return (start is None or start <= when) and (end is None or when <= end)


@pytest.fixture(scope="module")
def dump_dir(tmp_path_factory):
    return run(tmp_path_factory.mktemp("demo") / "store", "--baskets", SMALL)


@pytest.fixture(scope="module")
def dump(dump_dir):
    return Dump(dump_dir)


# -- files and determinism ------------------------------------------------------

def test_all_files_written_with_manifest(dump):
    for name in ALL_FILES:
        assert (dump.path / name).is_file(), name
    m = dump.manifest
    assert m["store_name"] == "Nordlys Market Oslo"
    assert (m["currency"], m["locale"], m["timezone"]) == ("NOK", "nb_NO", "Europe/Oslo")
    assert m["export_time"] == "2026-11-21T23:00:00Z"
    assert m["format_version"] == 1


def test_same_arguments_give_identical_bytes(dump_dir, tmp_path):
    again = run(tmp_path / "again", "--baskets", SMALL)
    for name in ALL_FILES:
        assert (dump_dir / name).read_bytes() == (again / name).read_bytes(), name


# sha256 of each file of a small seeded dump, taken from the generator before it
# moved into pos/demo/ and its catalog into data files: the demo store feeds the
# till's snapshot tests, so any change of its bytes must be deliberate
PINNED_SHA256 = {
    "baskets.csv": "c3e59e42b44e352eb34a0dae665633665ae34e6aca41e8c6bf296292f43c1bb6",
    "bundles.csv": "f4d9797b47bcacd243eadd3d4d5c2ffbbf43852b0adc35a43c257b711bd9b7a0",
    "catalog.csv": "0aebb796b741fb1397cb3dd574597d30038eb8367d9d38b989b80be9e3c8883c",
    "categories.csv": "ff3192bb9e5c5a923d522e438ce5348b720a85be86682eaf7aaedc1960c325ab",
    "customers.csv": "94d1ecb6af5889d5e09f7cbccaeed700b22f1912f947ed22197a50c9bd7a0c1c",
    "manifest.json": "06202acc1222b4634f6a7f34343ef6d7ff837abfe8cb615cf528829b558bd149",
    "rules.csv": "b1660ae0edd8fe302fea24b6b4409243e862b5b38a81ba4bbd51c0f061385043",
    "upgrades.csv": "91806c2040c1eb4e77195672f6b59075203d49b56fc25242710d5f7b79ffc5af",
}


def test_a_small_seeded_dump_has_the_pinned_bytes(tmp_path):
    out = run(tmp_path / "pinned", "--baskets", "500", "--seed", "11",
              "--export-time", "2026-06-01T10:00:00Z")
    assert sorted(p.name for p in out.iterdir()) == sorted(PINNED_SHA256)
    for name, digest in PINNED_SHA256.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, name


def test_another_seed_gives_another_store(dump_dir, tmp_path):
    other = run(tmp_path / "other", "--baskets", SMALL, "--seed", "8")
    assert (dump_dir / "baskets.csv").read_bytes() != (other / "baskets.csv").read_bytes()
    assert (dump_dir / "catalog.csv").read_bytes() != (other / "catalog.csv").read_bytes()


def test_basket_count_follows_the_option(dump):
    assert len(dump.lines) == int(SMALL)


def test_csv_rows_are_complete(dump):
    for name in CSV_FILES:
        with open(dump.path / f"{name}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows, name
        width = len(rows[0])
        assert all(len(r) == width for r in rows), name
        assert all(not c.startswith("\ufeff") for c in rows[0])


# -- catalog ------------------------------------------------------------------

def test_catalog_size_and_unique_skus(dump):
    skus = [r["sku"] for r in dump.catalog]
    assert 2500 <= len(skus) <= 3500
    assert len(set(skus)) == len(skus)
    assert all(0 < len(s) <= 64 for s in skus)


def test_every_barcode_is_valid_and_unique(dump):
    seen = {}
    for r in dump.catalog:
        codes = r["gtin"].split("|")
        assert codes and all(codes), r["sku"]
        for code in codes:
            assert gtin_ok(code), (r["sku"], code)
            key = code.zfill(14)
            assert key not in seen, (code, r["sku"], seen.get(key))
            seen[key] = r["sku"]
        if r["unit"] == "each" and len(codes[0]) == 13:
            assert codes[0].startswith("70"), r["sku"]


def test_weighed_items_use_variable_weight_codes(dump):
    kg = [r for r in dump.catalog if r["unit"] == "kg"]
    assert len(kg) >= 15
    for r in kg:
        code = r["gtin"].split("|")[0]
        assert len(code) == 13 and code.startswith("23"), r["sku"]
        assert code[7:12] == "00000", r["sku"]       # the weight digits are zero


def test_some_products_have_two_barcodes(dump):
    assert sum("|" in r["gtin"] for r in dump.catalog) >= 5


def test_names_in_all_languages(dump):
    for r in dump.catalog:
        assert r["name"].strip(), r["sku"]
        for lang in LANGS:
            assert r[f"name_{lang}"].strip(), (r["sku"], lang)
        assert HEBREW.search(r["name_he"]), r["sku"]
        if r["pitch"]:
            for lang in LANGS:
                assert r[f"pitch_{lang}"].strip(), (r["sku"], lang)
            assert HEBREW.search(r["pitch_he"]), r["sku"]
        else:
            assert not any(r[f"pitch_{lang}"] for lang in LANGS), r["sku"]


def test_pitches_on_about_a_third(dump):
    share = sum(bool(r["pitch"]) for r in dump.catalog) / len(dump.catalog)
    assert 0.2 <= share <= 0.5


def test_prices_and_costs(dump):
    money = re.compile(r"^\d+\.\d\d$")
    for r in dump.catalog:
        assert money.match(r["price"]) and money.match(r["cost"]), r["sku"]
        assert 0 <= float(r["cost"]) < float(r["price"]), r["sku"]
        assert r["unit"] in ("each", "kg")
        for col in ("active", "age_restricted", "durable"):
            assert r[col] in ("0", "1"), (r["sku"], col)
        if r["stock"]:
            assert float(r["stock"]) >= 0


def test_every_kind_of_product_is_there(dump):
    cat = dump.catalog
    assert any(r["age_restricted"] == "1" for r in cat)
    assert any(r["active"] == "0" for r in cat)
    assert any(r["active"] == "1" and r["stock"] in ("0", "0.0") for r in cat)
    assert any(r["durable"] == "1" for r in cat)
    tiers = defaultdict(set)
    for r in cat:
        if r["family"]:
            assert r["tier"].isdigit(), r["sku"]
            tiers[r["family"]].add(int(r["tier"]))
    assert any(len(t) >= 3 for t in tiers.values())
    assert all(len(t) >= 2 for t in tiers.values())   # a family is a ladder


def test_tier_ladders_cost_more_higher_up(dump):
    fams = defaultdict(list)
    for r in dump.catalog:
        if r["family"]:
            fams[r["family"]].append((int(r["tier"]), float(r["price"])))
    for fam, members in fams.items():
        prices = [p for _, p in sorted(members)]
        assert prices == sorted(prices), fam


# -- the other files ---------------------------------------------------------

def test_references_point_into_the_catalog(dump):
    skus = dump.by_sku
    for r in dump.upgrades:
        assert r["from_sku"] in skus and r["to_sku"] in skus and r["from_sku"] != r["to_sku"]
        assert r["pitch"] and all(r[f"pitch_{ln}"] for ln in LANGS)
    for r in dump.rules:
        assert r["sku"] in skus, r["rule_id"]
        assert not (r["trigger_sku"] and r["trigger_category"]), r["rule_id"]
        if r["trigger_sku"]:
            assert r["trigger_sku"] in skus
        if r["trigger_category"]:
            assert any(c["category"] == r["trigger_category"]
                       or c["category"].startswith(r["trigger_category"] + " > ") for c in dump.catalog)
        assert r["kind"] in ("cross", "upsell", "campaign")
        assert all(r[f"pitch_{ln}"] for ln in LANGS)
    for b in dump.bundles:
        members = b["skus"].split("|")
        assert len(members) >= 2 and all(m in skus for m in members), b["bundle_id"]
        assert bool(b["price"]) != bool(b["saving"]), b["bundle_id"]
        total = sum(float(skus[m]["price"]) for m in members)
        assert 0 < float(b["price"] or b["saving"]) < total
        assert all(b[f"name_{ln}"] for ln in LANGS)
    assert len({r["rule_id"] for r in dump.rules}) == len(dump.rules)
    assert len({b["bundle_id"] for b in dump.bundles}) == len(dump.bundles)


def test_every_rule_category_is_named_in_every_language(dump):
    """The rules' reasons name their category in the till's language ("Anbefales
    sammen med mobiltelefoner"), never the catalog's English path."""
    named = {c["category"]: c for c in dump.categories}
    triggers = {r["trigger_category"] for r in dump.rules if r["trigger_category"]}
    assert triggers and set(named) == triggers
    for path, c in named.items():
        assert all(c[f"name_{ln}"] for ln in ("en",) + LANGS), path
        assert c["name_en"] == path.split(" > ")[-1]
        assert len({c[f"name_{ln}"] for ln in LANGS}) >= 2, path       # really translated
    assert named["Electronics > Phones"]["name_nb"] == "Mobiltelefoner"
    assert HEBREW.search(named["Electronics > Phones"]["name_he"])


def test_the_demo_tills_reasons_name_categories_in_the_language(tmp_path):
    from conftest import build_demo_store
    from pos.engine import Engine
    db = build_demo_store(tmp_path, baskets=1500)
    want = {"en": "Recommended with phones", "nb": "Anbefales sammen med mobiltelefoner",
            "sv": "Rekommenderas med mobiltelefoner", "hu": "Ajánlott ehhez: mobiltelefonok",
            "he": "מומלץ עם טלפונים ניידים"}
    for lang, reason in want.items():
        got = Engine.open(db, lang=lang).suggest(["PH-AU8-128-BLK"], k=3)
        assert reason in [s.reason for s in got], (lang, [s.reason for s in got])


def test_warranties_come_only_through_category_rules(dump):
    services = {r["sku"] for r in dump.catalog if r["category"].startswith("Services")}
    assert services
    sold = {r["sku"] for r in dump.baskets}
    assert not services & sold
    pinned = {r["sku"] for r in dump.rules if r["kind"] == "cross" and r["trigger_category"]}
    assert {s for s in services if s.startswith("CARE-")} <= pinned


def test_a_new_product_without_history_is_pinned(dump):
    sold = {r["sku"] for r in dump.baskets}
    new = [r for r in dump.rules if r["kind"] == "cross" and r["trigger_category"]
           and not r["sku"].startswith(("CARE-", "SETUP-")) and r["sku"] not in sold]
    assert new


def test_customers(dump):
    ids = [c["customer_id"] for c in dump.customers]
    assert len(ids) == len(set(ids)) >= 1500
    cards = [c["card"] for c in dump.customers]
    assert len(set(cards)) == len(cards)
    assert all(c.startswith("49") and len(c) == 13 and gtin_ok(c) for c in cards)
    assert {"family", "student", "senior", "single"} <= {c["segment"] for c in dump.customers}


@pytest.mark.parametrize("export_time", [None, "2026-03-29T01:30:00Z", "2027-07-04T12:00:00Z",
                                         "2026-12-31T23:30:00+01:00"])
def test_a_campaign_and_a_deal_run_at_export_time(dump, tmp_path, export_time):
    d = dump if export_time is None else Dump(run(tmp_path / "s", "--baskets", "50",
                                                  "--export-time", export_time))
    when = d.export
    campaigns = [r for r in d.rules if r["kind"] == "campaign" and r["valid_from"] and active_at(r, when)]
    deals = [b for b in d.bundles if b["valid_from"] and active_at(b, when)]
    assert campaigns and deals, when
    assert all(parse_time(r["timestamp"]) <= when for r in d.baskets)


# -- baskets ------------------------------------------------------------------

def test_basket_lines_are_well_formed(dump):
    customers = {c["customer_id"] for c in dump.customers}
    start = dump.export - dt.timedelta(days=365)
    id_re = re.compile(r"^R-(\d{8})-\d{6}$")
    for bid, lines in dump.lines.items():
        m = id_re.match(bid)
        assert m, bid
        assert len({ln["timestamp"] for ln in lines}) == 1
        assert len({ln["customer_id"] for ln in lines}) == 1
        assert len({ln["sku"] for ln in lines}) == len(lines)
        ts = lines[0]["timestamp"]
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", ts), ts
        t = dt.datetime.fromisoformat(ts)
        assert start < t <= dump.export
        local = t.astimezone(OSLO)
        assert local.utcoffset() == t.utcoffset()              # the offset is Oslo's, DST included
        assert 8 <= local.hour < 22
        assert local.strftime("%Y%m%d") == m.group(1)
        for ln in lines:
            p = dump.by_sku[ln["sku"]]
            q = float(ln["quantity"])
            assert q > 0
            if p["unit"] == "kg":
                assert re.match(r"^\d+\.\d{3}$", ln["quantity"]), ln
            else:
                assert ln["quantity"].isdigit(), ln
            assert ln["customer_id"] == "" or ln["customer_id"] in customers
            assert ln["store_id"] == "OSL-1"


def test_both_utc_offsets_appear(dump):
    assert {r["timestamp"][-6:] for r in dump.baskets} == {"+01:00", "+02:00"}


def test_basket_sizes_and_loyalty_share(dump):
    sizes = [len(v) for v in dump.lines.values()]
    assert 5.0 <= sum(sizes) / len(sizes) <= 9.0
    assert max(sizes) >= 25
    loyal = sum(1 for v in dump.lines.values() if v[0]["customer_id"]) / len(sizes)
    assert 0.3 <= loyal <= 0.5


def test_busier_on_fridays_and_saturdays(dump):
    days = Counter(dt.datetime.fromisoformat(v[0]["timestamp"]).weekday() for v in dump.lines.values())
    assert min(days[4], days[5]) > max(days[0], days[1], days[6])


def test_inactive_products_sold_only_in_the_first_half(dump):
    cutoff = dump.export - dt.timedelta(days=180)
    sold_late = [r["sku"] for r in dump.baskets
                 if dump.by_sku[r["sku"]]["active"] == "0" and parse_time(r["timestamp"]) > cutoff]
    assert not sold_late
    assert any(dump.by_sku[r["sku"]]["active"] == "0" for r in dump.baskets)


def test_christmas_range_is_sold_in_winter_only(dump):
    months = {parse_time(r["timestamp"]).month for r in dump.baskets
              if dump.by_sku[r["sku"]]["category"] == "Seasonal > Christmas"}
    assert months and months <= {10, 11, 12, 1}


def test_no_beer_or_wine_on_sundays(dump):
    for r in dump.baskets:
        p = dump.by_sku[r["sku"]]
        if p["age_restricted"] == "1" and p["category"].startswith(("Beverages > Beer", "Beverages > Wine")):
            assert parse_time(r["timestamp"]).astimezone(OSLO).weekday() != 6


def test_phone_buyers_take_a_matching_case(dump):
    def model(sku):
        return sku.split("-")[1]

    phone_baskets = [v for v in dump.lines.values() if any(ln["sku"].startswith("PH-") for ln in v)]
    assert len(phone_baskets) >= 10
    matched = 0
    for v in phone_baskets:
        models = {model(ln["sku"]) for ln in v if ln["sku"].startswith("PH-")}
        matched += any(ln["sku"].startswith("CASE-") and model(ln["sku"]) in models for ln in v)
    share = matched / len(phone_baskets)
    base = sum(any(ln["sku"].startswith("CASE-") for ln in v) for v in dump.lines.values()) / len(dump.lines)
    assert share >= 0.15
    assert share >= 8 * base


def test_f8_scans_the_demo_baskets_items_first_then_random_items(demo_store):
    from pos.demo import demo_codes
    from pos.demo.baskets import DEMO_BASKETS
    from pos.store.barcodes import barcode_of, card_of
    from pos.store.reader import open_store
    from pos_hardware.framing import transmitted_form

    codes = demo_codes(demo_store, random_items=5)
    conn = open_store(demo_store)
    first = [code for _, skus, customer in DEMO_BASKETS
             for code in ([card_of(conn, customer)] if customer else [])
             + [transmitted_form(barcode_of(conn, sku)) for sku in skus if barcode_of(conn, sku)]]
    card = card_of(conn, "C10646")
    conn.close()
    assert card and card in first                   # the loyalty customer's card, before the pasta
    assert first and codes[:len(first)] == first and len(codes) == len(first) + 5
