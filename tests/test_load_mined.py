"""pos load with the dump's mined/ part: a store's own lists used instead of
mining, a region's blended under the store's baskets (docs/mining.md), the
parameters checked, a bad part refused with the store unchanged."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import EXPORT_TIME, good_basket_lines, snapshot
from conftest import mined_tables as tables
from pos.chain.lists import mine_native
from pos.chain.part import write_part
from pos.errors import DumpError, LoadRefused
from pos.load import LoadOptions, load_dump
from pos.mining import MineParams, decode_neighbours
from pos.store.reader import store_summary


def meta(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {k: v for k, v in conn.execute("SELECT key, value FROM meta")}
    finally:
        conn.close()


def lists_by_sku(db: Path) -> dict[str, list[tuple[str, int]]]:
    conn = sqlite3.connect(db)
    try:
        sku = dict(conn.execute("SELECT item, sku FROM products"))
        return {sku[i]: [(sku[b], c) for b, c, _, _ in decode_neighbours(blob)]
                for i, blob in conn.execute("SELECT item, entries FROM neighbours")}
    finally:
        conn.close()


def with_part(tmp_path, good_dump, lists, name="with-part", engine="native") -> Path:
    dump = tmp_path / name
    shutil.copytree(good_dump, dump)
    write_part(lists, dump, engine)
    return dump


OWN = MineParams(half_life_days=180, ref_time=EXPORT_TIME)   # LoadOptions' defaults


def test_a_stores_own_part_gives_the_same_store_without_counting_pairs(tmp_path, good_dump):
    own_db, part_db = tmp_path / "own.db", tmp_path / "part.db"
    load_dump(good_dump, own_db, LoadOptions(backtest=False))
    dump = with_part(tmp_path, good_dump, mine_native(good_basket_lines(), OWN, "store", "S1"))
    report = load_dump(dump, part_db, LoadOptions(backtest=False))
    assert tables(part_db) == tables(own_db)
    assert report.counts["pairs"] == 0          # nothing counted: restored
    assert any("used instead of mining" in note for note in report.notes)
    mining = json.loads(meta(part_db)["mining"])
    assert (mining["source"], mining["scope"], mining["name"], mining["scale"]) == (
        "head office's lists", "store", "S1", 1.0)
    assert json.loads(meta(own_db)["mining"])["source"] == "own baskets"
    assert meta(part_db)["basket_weight"] == meta(own_db)["basket_weight"]
    assert store_summary(part_db)["lists"] == "head office's lists (store S1)"
    assert store_summary(own_db)["lists"] == "own baskets"


def test_use_takes_the_parts_lists_not_the_baskets(tmp_path, good_dump):
    only_phones = [line for line in good_basket_lines() if line[1] not in ("PASTA", "SAUCE", "PARM")]
    dump = with_part(tmp_path, good_dump, mine_native(only_phones, OWN, "store", "S1"))
    db = tmp_path / "store.db"
    load_dump(dump, db, LoadOptions(backtest=False))
    assert set(lists_by_sku(db)) == {"PH-64", "CASE"}
    ignored = tmp_path / "ignored.db"
    load_dump(dump, ignored, LoadOptions(backtest=False, mined="ignore"))
    own = tmp_path / "own.db"
    load_dump(good_dump, own, LoadOptions(backtest=False))
    assert tables(ignored) == tables(own)


def region_lines() -> list[tuple[str, str, int]]:
    """600 baskets: PASTA with ITEM11 in 100, WINE with PARM in 50, the rest ITEM10 alone."""
    lines = []
    for b in range(600):
        skus = (["PASTA", "ITEM11"] if b < 100 else ["WINE", "PARM"] if b < 150 else ["ITEM10"])
        lines += [(f"r{b}", sku, EXPORT_TIME - 3600) for sku in skus]
    return lines


def test_a_region_blends_under_the_stores_baskets(tmp_path, good_dump):
    params = MineParams(half_life_days=0, ref_time=EXPORT_TIME)
    region = mine_native(region_lines(), params, "region", "north")
    assert region.neighbours["PASTA"][0][0] == "ITEM11"
    dump = with_part(tmp_path, good_dump, region)
    own_db, blend_db = tmp_path / "own.db", tmp_path / "blend.db"
    load_dump(good_dump, own_db, LoadOptions(backtest=False, half_life_days=0))
    report = load_dump(dump, blend_db, LoadOptions(backtest=False, half_life_days=0))
    own, blended = lists_by_sku(own_db), lists_by_sku(blend_db)
    # s = 60 own baskets / 600 = 0.1: WINE, never sold here, gets the region's partner
    # (50 x 0.1 = 5 baskets); PASTA keeps its own ranking (SAUCE first), ITEM11 joins lower
    assert "WINE" not in own
    assert blended["WINE"] == [("PARM", 5)]
    assert blended["PASTA"][0] == own["PASTA"][0] == ("SAUCE", own["PASTA"][0][1])
    assert ("ITEM11", dict(own["PASTA"]).get("ITEM11", 0) + 10) in blended["PASTA"]
    conn = sqlite3.connect(blend_db)
    counts = dict(conn.execute("SELECT sku, baskets FROM item_stats JOIN products USING (item)"))
    conn.close()
    own_conn = sqlite3.connect(own_db)
    own_counts = dict(own_conn.execute("SELECT sku, baskets FROM item_stats "
                                       "JOIN products USING (item)"))
    own_conn.close()
    assert counts["PASTA"] == own_counts["PASTA"] + 10      # + round(100 x 0.1)
    assert counts["WINE"] == 5 and counts["ITEM10"] == own_counts["ITEM10"] + 45
    mining = json.loads(meta(blend_db)["mining"])
    assert (mining["source"], mining["scope"], mining["scale"]) == (
        "own baskets over head office's lists", "region", pytest.approx(0.1))
    assert float(meta(blend_db)["basket_weight"]) == pytest.approx(
        float(meta(own_db)["basket_weight"]) + 60.0)        # region W 600 x 0.1
    assert any("s = 0.1" in note for note in report.notes)
    assert store_summary(blend_db)["lists"] == ("own baskets over head office's lists "
                                                "(region north, s = 0.1)")

    heavier = tmp_path / "heavier.db"
    load_dump(dump, heavier, LoadOptions(backtest=False, half_life_days=0, prior_weight=10))
    assert lists_by_sku(heavier)["WINE"] == [("PARM", 50)]
    assert lists_by_sku(heavier)["PASTA"][0][0] == "ITEM11"   # the region now outweighs


def test_blending_needs_the_same_parameters(tmp_path, good_dump, published):
    region = mine_native(region_lines(), MineParams(half_life_days=0, ref_time=EXPORT_TIME),
                         "chain", "chain")
    dump = with_part(tmp_path, good_dump, region)
    before = snapshot(published)
    with pytest.raises(DumpError, match=r"mined/manifest.json: params: half_life_days: the lists "
                                        r"were mined with 0.0, this load mines with 180.0"):
        load_dump(dump, published)
    assert snapshot(published) == before
    load_dump(dump, published, LoadOptions(backtest=False, mined="use"))   # used as they are
    assert lists_by_sku(published)["WINE"] == [("PARM", 50)]


def test_a_bad_part_refuses_the_load_and_keeps_the_store(tmp_path, good_dump, published):
    dump = with_part(tmp_path, good_dump, mine_native(good_basket_lines(), OWN, "store", "S1"))
    path = dump / "mined" / "item_stats.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "NOPE,1,1.0", *lines[1:]]) + "\n")
    before = snapshot(published)
    with pytest.raises(LoadRefused, match=r"mined/item_stats.csv: 1 of \d+ rows are bad"):
        load_dump(dump, published)
    assert snapshot(published) == before
    report = load_dump(dump, published, LoadOptions(backtest=False, max_bad_rows=0.2))
    assert [str(p) for p in report.problems] == ["mined/item_stats.csv:2: sku: unknown sku 'NOPE'"]


def test_the_load_commands_options(tmp_path, good_dump, capsys):
    from pos.cli import main

    region = mine_native(region_lines(), MineParams(half_life_days=0, ref_time=EXPORT_TIME),
                         "region", "north")
    dump = with_part(tmp_path, good_dump, region)
    db = tmp_path / "store.db"
    assert main(["load", str(dump), "--db", str(db), "--quiet", "--no-backtest",
                 "--half-life", "0", "--prior-weight", "10"]) == 0
    assert lists_by_sku(db)["WINE"] == [("PARM", 50)]
    assert main(["load", str(dump), "--db", str(db), "--quiet", "--no-backtest",
                 "--mined", "ignore"]) == 0
    assert "WINE" not in lists_by_sku(db)
    assert main(["load", str(dump), "--db", str(db), "--quiet", "--mined", "blend"]) == 3
    assert "--half-life 0.0, or --mined ignore" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main(["load", str(dump), "--db", str(db), "--prior-weight", "-1"])
    assert stop.value.code == 2 and "not a number above 0" in capsys.readouterr().err
