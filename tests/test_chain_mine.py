"""`pos mine`: a multi-store basket-lines CSV mined per store, per region and for
the chain; each store's part loaded by `pos load` gives exactly the store that
mining its own baskets gives; the engine dispatch and its errors."""
from __future__ import annotations

import json
import shutil
import sys
import types

import conftest
from conftest import basket_rows, good_files, write_dump
from conftest import mined_tables as tables
from pos.chain.lists import MinedLists
from pos.cli import main
from pos.load import LoadOptions, load_dump
from pos.mining import MineParams

EXPORT_ISO = "2026-10-31T23:00:00Z"
OWN = MineParams(half_life_days=180, ref_time=1793487600)


def store_rows() -> dict[str, list[str]]:
    """Each store's baskets.csv lines (basket_id,sku,quantity,timestamp,customer_id)."""
    second = [line.replace("PARM", "WINE") for line in basket_rows(30)]   # the same basket ids
    return {"S1": basket_rows(), "S2": second}


def chain_csv(tmp_path):
    lines = ["basket_id,quantity,sku,timestamp,store_id,region,till\n"]
    for store, rows in store_rows().items():
        for row in rows:
            basket, sku, qty, when, _customer = row.rstrip("\n").split(",")
            lines.append(f"{basket},{qty},{sku},{when},{store},north,7\n")
    path = tmp_path / "chain.csv"
    path.write_text("".join(lines))
    return path


def store_dump(tmp_path, store: str, part=None):
    files = dict(good_files())
    files["baskets.csv"] = "basket_id,sku,quantity,timestamp,customer_id\n" + "".join(
        store_rows()[store])
    dump = write_dump(tmp_path / f"dump-{store}-{'part' if part else 'own'}", files)
    if part is not None:
        shutil.copytree(part, dump / "mined")
    return dump


def test_per_store_parts_load_to_the_stores_own_mining(tmp_path, capsys):
    out = tmp_path / "parts"
    assert main(["mine", "--engine", "native", "--input", str(chain_csv(tmp_path)),
                 "--out", str(out), "--per", "store", "--ref-time", EXPORT_ISO]) == 0
    assert "2 parts written" in capsys.readouterr().out
    for store, n_baskets in (("S1", 60), ("S2", 30)):
        manifest = json.loads((out / store / "mined" / "manifest.json").read_text())
        assert (manifest["scope"], manifest["name"], manifest["baskets"]) == ("store", store,
                                                                              n_baskets)
        assert manifest["ref_time"] == EXPORT_ISO and manifest["engine"] == "native"
        own, used = tmp_path / f"{store}-own.db", tmp_path / f"{store}-part.db"
        load_dump(store_dump(tmp_path, store), own, LoadOptions(backtest=False))
        report = load_dump(store_dump(tmp_path, store, out / store / "mined"), used,
                           LoadOptions(backtest=False))
        assert report.counts["pairs"] == 0
        assert tables(used) == tables(own)
        assert len(tables(own)[1]) > 3


def test_per_region_and_chain(tmp_path):
    source = chain_csv(tmp_path)
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "r"),
                 "--per", "region", "--half-life", "0"]) == 0
    manifest = json.loads((tmp_path / "r" / "north" / "mined" / "manifest.json").read_text())
    # the two stores' baskets B0000.. never merge: 60 + 30
    assert (manifest["scope"], manifest["baskets"], manifest["weight"]) == ("region", 90, 90.0)
    # ref_time: the input's latest time, basket B0027 at 2026-10-28T17:00:00+02:00
    assert manifest["ref_time"] == "2026-10-28T15:00:00Z"
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "c"),
                 "--per", "chain"]) == 0
    manifest = json.loads((tmp_path / "c" / "chain" / "mined" / "manifest.json").read_text())
    assert (manifest["scope"], manifest["name"], manifest["baskets"]) == ("chain", "chain", 90)
    assert manifest["params"]["half_life_days"] == 180.0


def test_bad_input_names_its_line(tmp_path, capsys):
    source = tmp_path / "bad.csv"
    source.write_text("basket_id,sku,timestamp,store_id\nb1,A,2026-01-01,S1\nb2,B,soon,S1\n")
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "o")]) == 3
    assert "pos mine: bad.csv:3: timestamp: 'soon' is not an ISO 8601 time" in capsys.readouterr().err
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "o"),
                 "--per", "region"]) == 3
    assert "bad.csv:1: region: required column missing" in capsys.readouterr().err
    source.write_text("basket_id,sku,timestamp,store_id\nb1,A,2026-01-01,../up\n")
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "o")]) == 3
    assert "'../up' cannot name a folder" in capsys.readouterr().err


def test_other_engines_dispatch_or_say_how_to_get_them(tmp_path, capsys, monkeypatch):
    source = chain_csv(tmp_path)
    monkeypatch.setitem(sys.modules, "pos.chain.engines.duckdb", None)   # import fails
    assert main(["mine", "--engine", "duckdb", "--input", str(source), "--out",
                 str(tmp_path / "d"), "--ref-time", EXPORT_ISO]) == 2
    assert "--engine duckdb: not available: pip install the chain extra" in capsys.readouterr().err
    assert main(["mine", "--engine", "duckdb", "--input", str(source), "--out",
                 str(tmp_path / "d")]) == 2
    assert "needs --ref-time" in capsys.readouterr().err

    calls = []

    def mine(input_path, params, per, before=None):
        calls.append((input_path, params, per, before))
        yield MinedLists("region", "north", params, 2 if before is None else 1,
                         2.0, {"PASTA": (2 if before is None else 1, 2.0)}, {})
    monkeypatch.setitem(sys.modules, "pos.chain.engines.duckdb", types.SimpleNamespace(mine=mine))
    assert main(["mine", "--engine", "duckdb", "--input", str(source), "--out",
                 str(tmp_path / "s"), "--per", "region", "--top-n", "7",
                 "--ref-time", EXPORT_ISO]) == 0
    # the part, then its holdout: the baskets before ref_time - 60 days, ref_time = that cutoff
    cutoff = 1793487600 - 60 * 86400
    assert calls == [(source, MineParams(top_n=7, half_life_days=180.0, ref_time=1793487600),
                      "region", None),
                     (source, MineParams(top_n=7, half_life_days=180.0, ref_time=cutoff),
                      "region", cutoff)]
    manifest = json.loads((tmp_path / "s" / "north" / "mined" / "manifest.json").read_text())
    assert manifest["engine"] == "duckdb"
    assert manifest["holdout"] == {"days": 60.0, "cutoff": "2026-09-01T23:00:00Z",
                                   "folder": "holdout"}
    held = json.loads((tmp_path / "s" / "north" / "mined" / "holdout" / "manifest.json").read_text())
    assert (held["holdout"], held["cutoff"], held["ref_time"], held["baskets"]) == (
        True, "2026-09-01T23:00:00Z", "2026-09-01T23:00:00Z", 1)
    assert (tmp_path / "s" / "north" / "mined" / "item_stats.csv").read_text() == (
        "sku,baskets,weight\nPASTA,2,2.0\n")
    calls.clear()
    assert main(["mine", "--engine", "duckdb", "--input", str(source), "--out",
                 str(tmp_path / "s"), "--per", "region", "--ref-time", EXPORT_ISO,
                 "--holdout-days", "0"]) == 0
    assert [c[3] for c in calls] == [None]       # mined once
    assert not (tmp_path / "s" / "north" / "mined" / "holdout").exists()   # the old one removed
    assert "holdout" not in json.loads(
        (tmp_path / "s" / "north" / "mined" / "manifest.json").read_text())

    # Spark writes its parts itself, in the session on --master
    def write_parts(input_path, params, per, out, session, holdout_days):
        calls.append((input_path, per, out, session, holdout_days))
        yield "north", 2, False
        yield "north", 1, True
    monkeypatch.setitem(sys.modules, "pos.chain.engines.spark", types.SimpleNamespace(
        write_parts=write_parts, session=lambda master: f"session on {master}"))
    assert main(["mine", "--engine", "spark", "--input", "s3a://lake/lines/", "--out",
                 "s3a://lake/parts", "--per", "region", "--ref-time", EXPORT_ISO,
                 "--master", "spark://hq:7077"]) == 0
    assert calls[-1] == ("s3a://lake/lines/", "region", "s3a://lake/parts", "session on spark://hq:7077",
                         60.0)
    out = capsys.readouterr().out
    assert "s3a://lake/parts/north/mined: region north: 2 baskets" in out
    assert "s3a://lake/parts/north/mined/holdout: region north: 1 baskets" in out
    assert "1 part written" in out
    assert main(["mine", "--input", str(source), "--out", str(tmp_path / "n"),
                 "--master", "local[2]"]) == 2
    assert "--master is Spark's" in capsys.readouterr().err


def test_bad_mining_option_is_a_usage_error(tmp_path, capsys):
    assert main(["mine", "--input", str(chain_csv(tmp_path)), "--out", str(tmp_path / "o"),
                 "--top-n", "0"]) == 2
    assert "top_n must be an integer" in capsys.readouterr().err


def loaded_lists(db) -> dict[int, list[tuple[int, int]]]:
    """A store's lists as (partner, count) per item, best first."""
    from pos.mining import decode_neighbours
    _, rows = tables(db)
    return {item: [(e[0], e[1]) for e in decode_neighbours(blob)] for item, _n, blob in rows}


def mine_and_load(tmp_path, engine: str) -> None:
    """`pos mine --engine ENGINE` per store; each store's part, in its dump, is
    accepted by `pos load` and gives the lists the store's own mining gives
    (partners, order and counts; weights agree to 1e-6, so float32 bits may not)."""
    out = tmp_path / f"parts-{engine}"
    assert main(["mine", "--engine", engine, "--input", str(chain_csv(tmp_path)),
                 "--out", str(out), "--per", "store", "--ref-time", EXPORT_ISO,
                 "--holdout-days", "10"]) == 0
    held = holdout_parts(tmp_path, "native" if engine != "native" else "duckdb")
    for store in ("S1", "S2"):
        # the holdout (baskets before 2026-10-21T23:00Z) as the other engine mines it
        assert part_rows(out / store / "mined" / "holdout") == held[store]
        manifest = json.loads((out / store / "mined" / "manifest.json").read_text())
        assert (manifest["engine"], manifest["scope"], manifest["name"]) == (engine, "store", store)
        own, used = tmp_path / f"{engine}-{store}-own.db", tmp_path / f"{engine}-{store}-part.db"
        load_dump(store_dump(tmp_path, store), own, LoadOptions(backtest=False))
        report = load_dump(store_dump(tmp_path / engine, store, out / store / "mined"), used,
                           LoadOptions(backtest=False))
        assert report.counts["pairs"] == 0 and not report.problems
        assert loaded_lists(used) == loaded_lists(own) and loaded_lists(own)
        stats_used, stats_own = tables(used)[0], tables(own)[0]
        assert [(i, c) for i, c, _ in stats_used] == [(i, c) for i, c, _ in stats_own]
        assert all(abs(a[2] - b[2]) <= 1e-6 * max(1.0, b[2]) for a, b in zip(stats_used, stats_own))


def part_rows(folder) -> tuple[dict, list[list[str]], list[list[str]]]:
    """A part folder's manifest (engine left out), item counts and list entries
    (sku, partner, count): what engines agree on exactly."""
    manifest = json.loads((folder / "manifest.json").read_text())
    del manifest["engine"], manifest["weight"]
    items = [line.split(",")[:2] for line in (folder / "item_stats.csv").read_text().splitlines()]
    lists = [line.split(",")[:3] for line in (folder / "neighbours.csv").read_text().splitlines()]
    return manifest, items, lists


def holdout_parts(tmp_path, engine: str) -> dict[str, tuple]:
    out = tmp_path / f"holdout-{engine}"
    assert main(["mine", "--engine", engine, "--input", str(chain_csv(tmp_path)),
                 "--out", str(out), "--per", "store", "--ref-time", EXPORT_ISO,
                 "--holdout-days", "10"]) == 0
    return {store: part_rows(out / store / "mined" / "holdout") for store in ("S1", "S2")}


def test_the_holdout_is_the_baskets_before_the_cutoff(tmp_path):
    """--holdout-days 10: mined/holdout/ holds the C miner's lists of the baskets
    before ref_time - 10 days, with ref_time = that cutoff; the part's manifest
    names it."""
    from dataclasses import replace

    from pos.chain.lists import mine_native
    from pos.chain.part import read_holdout, read_part
    from pos.dump.problems import ProblemLog

    held = holdout_parts(tmp_path, "native")
    cutoff = 1793487600 - 10 * 86400           # 2026-10-21T23:00:00Z
    lines = [(f"S1\x1f{b}", sku, t) for b, sku, t in conftest.good_basket_lines()]
    want = mine_native(lines, replace(OWN, ref_time=cutoff), "store", "S1", before=cutoff)
    assert 0 < want.baskets < 60
    manifest, items, lists = held["S1"]
    assert (manifest["holdout"], manifest["cutoff"], manifest["ref_time"], manifest["baskets"]) == (
        True, "2026-10-21T23:00:00Z", "2026-10-21T23:00:00Z", want.baskets)
    assert items[1:] == [[sku, str(c)] for sku, (c, _) in sorted(want.items.items())]
    assert lists[1:] == [[sku, p, str(c)] for sku in sorted(want.neighbours)
                         for p, c, _, _ in want.neighbours[sku]]
    # the baskets of the last ten days are in the part, not in its holdout
    full = json.loads((tmp_path / "holdout-native" / "S1" / "mined" / "manifest.json").read_text())
    assert full["baskets"] == 60 and full["holdout"]["cutoff"] == "2026-10-21T23:00:00Z"
    # read back by the load's reader, checked against the part
    dump = store_dump(tmp_path, "S1", tmp_path / "holdout-native" / "S1" / "mined")
    catalog = conftest_catalog(dump)
    log = ProblemLog(tmp_path / "rejects.csv")
    part = read_part(dump, catalog, log)
    back = read_holdout(dump, catalog, log, part)
    assert back is not None and back.held_out and back.baskets == want.baskets
    assert back.neighbours == {k: [(p, c, w, s) for p, c, w, s in v]
                               for k, v in want.neighbours.items()}


def conftest_catalog(dump):
    from pos.dump.catalog import read_catalog
    from pos.dump.manifest import read_manifest
    from pos.dump.problems import ProblemLog
    manifest, _ = read_manifest(dump, None)
    return read_catalog(dump / "catalog.csv", manifest, ProblemLog(dump / "cat-rejects.csv"))


def test_duckdb_parts_load_to_the_stores_own_mining(tmp_path):
    mine_and_load(tmp_path, "duckdb")
