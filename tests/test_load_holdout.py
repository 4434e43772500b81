"""The nightly backtest of head office's lists (docs/mining.md, "The backtest of
head office's lists"): a part with a holdout (pos mine --holdout-days) is split
at its cutoff; the lists are built as the load builds them (use: the holdout
restored, no own mining; blend: scaled under the own train baskets); the source
variants lists:own, lists:head-office and lists:blend get figures; a note names
the better --mined choice; without a holdout, the backtest is today's, noted.

The store's baskets before the cutoff never pair WINE with ITEM11; after it,
half its baskets are WINE + ITEM11. A store part mined from these baskets knows
the pair only from after the cutoff: its holdout must not (no leakage). A
region part whose other store paired them long before the cutoff knows it."""
from __future__ import annotations

import json
import random
import shutil
import sqlite3

import pytest

from conftest import EXPORT_TIME, good_files, write_dump
from pos.backtest import stored_choice
from pos.chain.lists import mine_native
from pos.chain.part import write_part
from pos.cli import main
from pos.load import LoadOptions, load_dump
from pos.mining import MineParams

DAY = 86400
HOLDOUT_DAYS = 30
CUTOFF = EXPORT_TIME - HOLDOUT_DAYS * DAY
EXPORT_ISO = "2026-10-31T23:00:00Z"
OWN_MIX = (["PASTA", "SAUCE"], ["PASTA", "PARM"], ["PH-64", "CASE"], ["ITEM7", "ITEM8"],
           ["PASTA", "SAUCE", "PARM"], ["ITEM9", "ITEM10"])


def iso(t: int) -> str:
    from datetime import datetime, timezone
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def store_lines(n: int = 480, days: int = 120, seed: int = 5) -> list[tuple[str, str, int]]:
    """S1's basket lines (basket, sku, time): one basket every 6 hours for `days`
    days up to the export; after CUTOFF half are WINE + ITEM11, never before."""
    rng = random.Random(seed)
    out = []
    for b in range(n):
        t = EXPORT_TIME - days * DAY + b * (days * DAY // n) + 3600
        if t >= CUTOFF and rng.random() < 0.5:
            skus = ["WINE", "ITEM11"]
        else:
            skus = rng.choice(OWN_MIX)
        out += [(f"B{b:04d}", sku, t) for sku in skus]
    return out


def other_store_lines(n: int = 600) -> list[tuple[str, str, int]]:
    """S2's lines, all before the cutoff: WINE + ITEM11 in half its baskets."""
    out = []
    for b in range(n):
        t = CUTOFF - (b + 1) * 3 * 3600
        skus = ["WINE", "ITEM11"] if b % 2 else list(OWN_MIX[b % len(OWN_MIX)])
        out += [(f"X{b:04d}", sku, t) for sku in skus]
    return out


def store_dump(tmp_path, name: str):
    files = dict(good_files())
    files["baskets.csv"] = "basket_id,sku,quantity,timestamp,customer_id\n" + "".join(
        f"{b},{sku},1,{iso(t)},\n" for b, sku, t in store_lines())
    return write_dump(tmp_path / name, files)


def mined_part(tmp_path, per: str, holdout_days: int = HOLDOUT_DAYS):
    """`pos mine --per store|region` over S1 (and, per region, S2): the part's folder."""
    lines = [("S1", b, sku, t) for b, sku, t in store_lines()]
    if per == "region":
        lines += [("S2", b, sku, t) for b, sku, t in other_store_lines()]
    source = tmp_path / f"chain-{per}.csv"
    source.write_text("basket_id,sku,timestamp,store_id,region\n" + "".join(
        f"{b},{sku},{iso(t)},{store},north\n" for store, b, sku, t in lines))
    out = tmp_path / f"parts-{per}-{holdout_days}"
    assert main(["mine", "--input", str(source), "--out", str(out), "--per", per,
                 "--ref-time", EXPORT_ISO, "--holdout-days", str(holdout_days)]) == 0
    return out / ("S1" if per == "store" else "north") / "mined"


def with_part(tmp_path, part, name: str):
    dump = store_dump(tmp_path, name)
    shutil.copytree(part, dump / "mined")
    return dump


@pytest.fixture
def builders(monkeypatch):
    """The FamilyBuilders the loads make, to see what each build mined."""
    import pos.load
    from pos.backtest.family import FamilyBuilder
    made = []

    class Spy(FamilyBuilder):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            made.append(self)
    monkeypatch.setattr(pos.load, "FamilyBuilder", Spy)
    return made


def test_a_stores_part_is_backtested_on_its_holdout_without_leakage(tmp_path, builders):
    part = mined_part(tmp_path, "store")
    assert (part / "holdout" / "manifest.json").is_file()
    db = tmp_path / "store.db"
    report = load_dump(with_part(tmp_path, part, "dump-store"), db)
    choice = report.backtest
    assert choice is not None and not choice.skipped
    # split at the cutoff: trained on the baskets before it, tested after it
    before = len({b for b, _, t in store_lines() if t < CUTOFF})
    assert choice.params["cutoff"] == CUTOFF
    assert [s.train for s in choice.slices] == [before, before]
    assert len(choice.slices) == 2 and all(s.baskets >= 20 for s in choice.slices)
    # a store's own part is used (the default): the scorers' lists are the holdout's,
    # restored, no own basket mined; the source variants then mine the own baskets
    assert choice.source == "lists:head-office"
    assert builders[0].built == [("head-office", 0), ("own", before), ("blend", before)]
    assert list(choice.sources) == ["lists:own", "lists:head-office", "lists:blend"]
    assert choice.sources["lists:head-office"].hit3 == choice.hit3
    # no leakage: the test baskets' pair WINE + ITEM11 is in the part (mined after the
    # cutoff too) but not in its holdout, so head office's lists know it no better than
    # the store's own baskets before the cutoff
    neighbours = (part / "neighbours.csv").read_text()
    assert "WINE,ITEM11" in neighbours
    assert "WINE,ITEM11" not in (part / "holdout" / "neighbours.csv").read_text()
    own, head = choice.sources["lists:own"], choice.sources["lists:head-office"]
    assert abs(head.hit3 - own.hit3) < 0.02
    assert head.hit3 < 0.5          # half the test baskets are WINE + ITEM11: all missed
    # kept in the store's meta, with the figures
    conn = sqlite3.connect(db)
    kept = json.loads(dict(conn.execute("SELECT key, value FROM meta"))["backtest"])
    conn.close()
    assert kept["source"] == "lists:head-office"
    assert [f["name"] for f in kept["sources"]] == list(choice.sources)
    assert stored_choice({"backtest": json.dumps(kept)}).sources == choice.sources
    assert not any("load with --mined" in n for n in report.notes)
    from pos.store.reader import store_summary
    assert store_summary(db)["lists"] == (
        f"head office's lists (store S1); backtest on head office's holdout: "
        f"lists:own {own.hit3:.1%}, lists:head-office {head.hit3:.1%} (in force), "
        f"lists:blend {choice.sources['lists:blend'].hit3:.1%}")


def test_a_region_that_knows_better_gets_the_note(tmp_path, builders):
    part = mined_part(tmp_path, "region")
    assert "WINE,ITEM11" in (part / "holdout" / "neighbours.csv").read_text()
    dump = with_part(tmp_path, part, "dump-region")
    # a tiny prior weight: the blend rounds the region's counts to 0, so it is the
    # store's own lists, and head office's (which paired WINE with ITEM11) win
    report = load_dump(dump, tmp_path / "blend.db", LoadOptions(prior_weight=1e-4))
    choice = report.backtest
    assert choice is not None and choice.source == "lists:blend"
    assert [b[0] for b in builders[0].built] == ["blend", "own", "head-office"]
    head, blend = choice.sources["lists:head-office"], choice.sources["lists:blend"]
    assert head.hit3 > blend.hit3 + 0.2 and head.low > 0
    assert (blend.diff, blend.low, blend.high) == (0.0, 0.0, 0.0)
    note, = [n for n in report.notes if "load with --mined" in n]
    assert note.endswith("load with --mined use") and "lists:blend, in force" in note
    # at the default weight the blend knows the pair too: no note
    report = load_dump(dump, tmp_path / "blend1.db")
    assert report.backtest.sources["lists:blend"].hit3 > report.backtest.sources["lists:own"].hit3
    assert not any("load with --mined" in n for n in report.notes)


def test_without_a_holdout_the_backtest_is_todays_and_says_so(tmp_path, builders):
    part = mined_part(tmp_path, "region", holdout_days=0)
    assert not (part / "holdout").exists()
    report = load_dump(with_part(tmp_path, part, "dump-none"), tmp_path / "none.db")
    choice = report.backtest
    assert choice is not None and not choice.sources and "cutoff" not in choice.params
    assert builders[0].built[0][0] == "own"
    assert any("head office's lists were not evaluated: the part has no holdout" in n
               for n in report.notes)
    # and a store without a part: no note at all
    report = load_dump(store_dump(tmp_path, "dump-plain"), tmp_path / "plain.db")
    assert not any("head office" in n for n in report.notes)


def test_too_few_baskets_after_the_cutoff_fall_back_with_a_note(tmp_path):
    lines = store_lines()
    params = MineParams(half_life_days=180, ref_time=EXPORT_TIME)
    last = max(t for _, _, t in lines)
    from pos.chain.lists import Holdout
    holdout = Holdout(0.5, last - 3 * 3600)       # one basket after the cutoff
    full = mine_native(lines, params, "store", "S1")
    full.holdout = holdout
    dump = store_dump(tmp_path, "dump-late")
    write_part(full, dump, "native")
    held = mine_native(lines, params.__class__(**{**params.__dict__, "ref_time": holdout.cutoff}),
                       "store", "S1", before=holdout.cutoff)
    held.holdout, held.held_out = holdout, True
    write_part(held, dump, "native")
    report = load_dump(dump, tmp_path / "late.db")
    assert report.backtest is not None and not report.backtest.skipped
    assert "cutoff" not in report.backtest.params
    assert any("head office's lists were not evaluated (backtest skipped: only" in n
               for n in report.notes)


def test_the_load_command_shows_the_sources(tmp_path, capsys):
    dump = with_part(tmp_path, mined_part(tmp_path, "store"), "dump-cli")
    assert main(["load", str(dump), "--db", str(tmp_path / "cli.db")]) == 0
    out = capsys.readouterr().out
    assert "Lists' sources" in out
    for name in ("lists:own", "lists:head-office", "lists:blend"):
        assert name in out
    assert "in force" in out


def test_a_holdout_that_disagrees_with_its_part_refuses_the_load(tmp_path, published):
    from conftest import snapshot
    from pos.errors import DumpError
    part = mined_part(tmp_path, "store")
    dump = with_part(tmp_path, part, "dump-bad")
    manifest = dump / "mined" / "holdout" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["params"]["top_n"] = 7
    manifest.write_text(json.dumps(data))
    before = snapshot(published)
    with pytest.raises(DumpError, match=r"mined/holdout/manifest.json: params: top_n: 7, but "
                                        r"mined/manifest.json has 100"):
        load_dump(dump, published)
    assert snapshot(published) == before
    shutil.rmtree(dump / "mined" / "holdout")
    with pytest.raises(DumpError, match="names the folder mined/holdout/, which is missing"):
        load_dump(dump, published)
    load_dump(dump, published, LoadOptions(backtest=False))   # not read without a backtest
