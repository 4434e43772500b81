"""A good dump becomes a store holding exactly what the dump says."""
from __future__ import annotations

import csv
import gzip
import json
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import BASKETS_HEADER, CATALOG_HEADER, basket_rows, catalog_rows, good_files, write_dump
from oracles.mining_reference import ReferenceMiner
from pos.history import decode_history
from pos.load import LoadOptions, load_dump
from pos.mining import MineParams, decode_neighbours

DOCS = Path(__file__).resolve().parents[1] / "docs" / "dump-format.md"


def rows(db: Path, sql: str, *args):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def test_products_barcodes_and_translations(published):
    [(item, price, gtin, names, stock, age)] = rows(
        published, "SELECT p.item, price, gtin, name_i18n, stock, age_restricted FROM products p "
                   "JOIN barcodes b USING (item) WHERE sku = 'PARM'")
    assert price == 4990                                   # NOK in øre
    assert len(gtin) == 14 and gtin.startswith("0707")     # GTIN-14 form
    assert json.loads(names) == {"he": "פרמזן", "nb": "Parmesan"}
    assert stock == 12 and age == 0
    assert rows(published, "SELECT family, tier FROM products WHERE sku='PH-128'") == [("phone", 2)]
    assert rows(published, "SELECT stock FROM products WHERE sku='ITEM9'") == [(None,)]  # unknown


def test_search_finds_names_in_every_language(published):
    def search(query):
        return {sku for (sku,) in rows(published, "SELECT sku FROM product_search_fts "
                                                  "WHERE product_search_fts MATCH ?", query)}
    assert search("פסטה") == {"PASTA"}
    assert search("tomatsaus") == {"SAUCE"}
    assert search("RØDVIN") == {"WINE"}                    # non-ASCII case folding
    assert "PH-128" in search('"PH-128"')


def test_optional_files_are_stored(published):
    assert rows(published, "SELECT customer, card, segment FROM customers ORDER BY customer")[0][0] == "C0"
    assert rows(published, "SELECT count(*) FROM upgrades") == [(1,)]
    assert rows(published, "SELECT saving, price FROM bundles") == [(1000, None)]
    assert rows(published, "SELECT count(*) FROM bundle_items WHERE bundle='PASTA-NIGHT'") == [(3,)]
    assert rows(published, "SELECT kind, trigger_category, priority FROM rules") == [
        ("cross", "Electronics > Phones", 5)]


def test_meta_describes_the_store(published):
    meta = dict(rows(published, "SELECT key, value FROM meta"))
    assert meta["currency"] == "NOK" and meta["currency_exponent"] == "2"
    assert meta["store_name"] == "Test Store"
    assert int(meta["export_time"]) == 1793487600          # 2026-10-31T23:00:00Z
    assert int(meta["baskets"]) == 60
    assert json.loads(meta["languages"]) == ["he", "nb"]


def read_baskets(text: str, items: dict[str, int]) -> list[list[int]]:
    baskets: dict[str, set[int]] = {}
    for row in csv.DictReader(text.splitlines()):
        baskets.setdefault(row["basket_id"], set()).add(items[row["sku"]])
    return [sorted(b) for b in baskets.values()]


@pytest.mark.parametrize("list_rank, rank_damping, measure", [
    (None, None, "shrunk added value"),
    (None, 0.4, "damped confidence (beta 0.4)"),   # --rank-damping alone: damped
    ("balanced", None, "balanced: max of shrunk confidence and lift, each relative to "
                       "the item's best partner"),
])
def test_stored_counts_and_neighbours_match_the_reference(tmp_path, good_dump, list_rank,
                                                          rank_damping, measure):
    db = tmp_path / "store.db"
    load_dump(good_dump, db, LoadOptions(half_life_days=0, list_rank=list_rank,
                                         rank_damping=rank_damping))
    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert json.loads(meta["mining"])["measure"] == measure
    items = dict(rows(db, "SELECT sku, item FROM products"))
    baskets = read_baskets(good_files()["baskets.csv"], items)
    reference = ReferenceMiner(len(items), MineParams(half_life_days=0, list_rank=list_rank,
                                                      rank_damping=rank_damping))
    offsets = [0]
    for basket in baskets:
        offsets.append(offsets[-1] + len(basket))
    reference.add_baskets(offsets, [i for b in baskets for i in b])
    counts, _ = reference.item_counts()
    expected = reference.neighbour_lists()
    stored_counts = dict(rows(db, "SELECT item, baskets FROM item_stats"))
    assert [stored_counts[i] for i in range(len(items))] == counts
    stored = {item: decode_neighbours(blob)
              for item, blob in rows(db, "SELECT item, entries FROM neighbours")}
    for item in range(len(items)):
        assert stored.get(item, []) == expected[item]
    pasta, sauce = items["PASTA"], items["SAUCE"]
    assert sauce in [n[0] for n in stored[pasta]]


def test_customer_history(published):
    items = dict(rows(published, "SELECT sku, item FROM products"))
    [(visits, n, blob)] = rows(published, "SELECT visits, n, entries FROM customer_history "
                                          "WHERE customer='C0'")
    assert visits == 4
    history = {item: (baskets, last) for item, baskets, last in decode_history(blob)}
    # C0 is the customer of baskets 0, 15, 30, 45 (b % 3 == 0 and b % 5 == 0);
    # 45 is a phone basket (b % 4 == 1), the other three hold pasta
    assert n == len(history)
    assert history[items["PASTA"]][0] == 3
    assert history[items["PH-128"]][0] == 1 and history[items["PARM"]][0] == 2
    # the latest pasta basket is 15, dated 2026-10-16T15:00+02:00 (basket 30 is on the 3rd)
    assert history[items["PASTA"]][1] == 1792155600
    assert items["WINE"] not in history


def test_bom_semicolons_decimal_commas_and_gzip(tmp_path):
    catalog = (CATALOG_HEADER + "".join(catalog_rows())).replace(",", ";")
    catalog = re.sub(r";(\d+)\.(\d{2});", r";\1,\2;", catalog)      # 19.90 -> 19,90
    baskets = (BASKETS_HEADER + "".join(basket_rows())).replace(",", ";")
    dump = write_dump(tmp_path / "eu", {"catalog.csv": "\ufeff" + catalog,
                                        "manifest.json": good_files()["manifest.json"]})
    (dump / "baskets.csv.gz").write_bytes(gzip.compress(("\ufeff" + baskets).encode(), mtime=0))
    db = tmp_path / "store.db"

    report = load_dump(dump, db)

    assert report.problem_count == 0
    assert rows(db, "SELECT price FROM products WHERE sku='PASTA'") == [(1990,)]
    assert rows(db, "SELECT value FROM meta WHERE key='baskets'") == [("60",)]


def doc_examples() -> dict[str, str]:
    """The first code block of each file's section in docs/dump-format.md."""
    text = DOCS.read_text(encoding="utf-8")
    files = {}
    for match in re.finditer(r"^## `([\w.]+)`\n(.*?)(?=^## |\Z)", text, re.S | re.M):
        block = re.search(r"```(?:csv|json)\n(.*?)```", match.group(2), re.S)
        files[match.group(1)] = block.group(1)
    return files


def test_the_documented_example_dump_loads_cleanly(tmp_path):
    examples = doc_examples()
    assert set(examples) == {"catalog.csv", "baskets.csv", "upgrades.csv", "bundles.csv",
                             "rules.csv", "customers.csv", "categories.csv", "manifest.json"}
    dump = write_dump(tmp_path / "doc", examples)
    db = tmp_path / "store.db"

    report = load_dump(dump, db)

    assert report.problem_count == 0, [str(p) for p in report.problems]
    assert report.counts["products"] == 12 and report.counts["rules"] == 2
    assert report.counts["categories"] == 2 and not report.notes
    assert rows(db, "SELECT gtin FROM barcodes JOIN products USING (item) WHERE sku='CASE-X' "
                    "ORDER BY gtin") == [("00012345000058",), ("07071234000039",)]


def test_cli_list_rank_option(tmp_path, good_dump, capsys):
    from pos.cli import main
    from pos.errors import EXIT_USAGE

    db = tmp_path / "store.db"
    assert main(["load", str(good_dump), "--db", str(db), "--quiet",
                 "--list-rank", "balanced"]) == 0
    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert json.loads(meta["mining"])["measure"].startswith("balanced")
    assert main(["load", str(good_dump), "--db", str(db), "--quiet", "--rank-damping", "0.5"]) == 0
    meta = dict(rows(db, "SELECT key, value FROM meta"))
    assert json.loads(meta["mining"])["measure"] == "damped confidence (beta 0.5)"
    # a beta goes with damped only; damped needs a beta
    for args in (["--list-rank", "balanced", "--rank-damping", "0.5"], ["--list-rank", "damped"]):
        assert main(["load", str(good_dump), "--db", str(db), "--quiet", *args]) == EXIT_USAGE
        assert "--list-rank" in capsys.readouterr().err
