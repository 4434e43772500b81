"""The nightly backtest inside `pos load`: the choice kept in the store, the
recent baskets, what pos info, the load summary, the engine, the till and F9
make of them, and store.toml's forced variant."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import build_demo_store
from pos import variants
from pos.backtest import Choice, stored_choice
from pos.cli import main
from pos.engine import Engine
from pos.errors import StoreError
from pos.i18n import language, set_language
from pos.i18n.formats import Numbers
from pos.store.engine_data import read_recent_baskets
from pos.store.reader import read_meta, store_summary
from pos.till.config import engine_config, load_config
from pos.ui.screens.manager import backtest_text


@pytest.fixture(scope="module")
def tested_store(tmp_path_factory) -> Path:
    return build_demo_store(tmp_path_factory.mktemp("backtest"), baskets=2000, backtest=True)


def meta_of(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return read_meta(conn)
    finally:
        conn.close()


def test_the_store_keeps_the_choice(tested_store):
    choice = stored_choice(meta_of(tested_store))
    assert choice is not None and not choice.skipped
    assert variants.is_variant(choice.chosen)
    # the family, and the personal re-rank of the first choice in it (the demo has cards)
    extra = set(choice.variants) - set(variants.names())
    assert len(extra) == 1 and variants.names() == list(choice.variants)[:len(variants.names())]
    assert extra.pop().removesuffix(variants.PERSONAL_SUFFIX) in variants.names()
    assert {"popularity", "cooc-sum", "max-confidence", "personal"} <= set(choice.rules)
    assert choice.best_rule == max(choice.rules.values(), key=lambda f: f.hit3).name
    best_low = max(f.low for f in choice.variants.values())
    assert choice.variants[choice.chosen].low >= best_low - 0.002 - 1e-12
    assert [s.number for s in choice.slices] == [1, 2]
    assert choice.seconds == {}            # no timings in the store: the same dump, the same file


def test_engine_and_till_follow_the_choice(tested_store, tmp_path):
    chosen = stored_choice(meta_of(tested_store)).chosen
    engine = Engine.open(tested_store)
    assert engine.config == variants.config_for(chosen)
    toml = tmp_path / "store.toml"
    toml.write_text('[engine]\nvariant = "similar-baskets"\nmargin_weight = 0.0\n')
    forced = engine_config(load_config(toml), meta_of(tested_store))
    assert forced.knn_weight == 1.0 and forced.margin_weight == 0.0
    plain = engine_config(load_config(None), meta_of(tested_store))
    assert plain == variants.config_for(chosen)
    toml.write_text('[engine]\nvariant = "best"\n')
    with pytest.raises(Exception, match="not a scorer variant"):
        load_config(toml)
    # the similar-baskets switches set one by one on top of a variant
    toml.write_text('[engine]\nvariant = "blend-0.5"\nknn_idf = true\nknn_power = 2\n')
    mine = engine_config(load_config(toml), meta_of(tested_store))
    assert (mine.knn_weight, mine.knn_idf, mine.knn_power) == (0.5, True, 2)
    toml.write_text('[engine]\nknn_idf = 1\n')
    with pytest.raises(Exception, match=r"\[engine\] EngineConfig.knn_idf must be true or false"):
        load_config(toml)


def test_recent_baskets_are_stored_newest_last(tested_store):
    conn = sqlite3.connect(tested_store)
    try:
        offsets, items = read_recent_baskets(conn)
        assert len(offsets) - 1 == 2000       # all of them: fewer than --recent-baskets
        assert offsets[0] == 0 and offsets[-1] == len(items)
        conn.execute("UPDATE recent_baskets SET items = x'00' WHERE chunk = 0")
        with pytest.raises(StoreError, match="recent_baskets chunk 0 is damaged"):
            read_recent_baskets(conn)
    finally:
        conn.close()


def test_a_recent_basket_naming_no_item_is_refused(tested_store, tmp_path):
    db = tmp_path / "copy.db"
    db.write_bytes(tested_store.read_bytes())
    conn = sqlite3.connect(db)
    with conn:   # the first basket's first item: one past the last item
        blob = bytearray(conn.execute("SELECT items FROM recent_baskets WHERE chunk = 0")
                         .fetchone()[0])
        blob[0:4] = (10**6).to_bytes(4, "little")
        conn.execute("UPDATE recent_baskets SET items = ? WHERE chunk = 0", (bytes(blob),))
    conn.close()
    with pytest.raises(StoreError, match="damaged neighbour lists or recent baskets"):
        Engine.open(db)


def test_pos_info_and_the_load_summary(tested_store, tmp_path, capsys):
    chosen = stored_choice(meta_of(tested_store)).chosen
    assert store_summary(tested_store)["scorer"].startswith(f"{chosen}: last night's suggestions")
    dump = tested_store.parent / "dump"
    db, report = tmp_path / "s.db", tmp_path / "report.json"
    assert main(["load", str(dump), "--db", str(db), "--backtest-sample", "100",
                 "--recent-baskets", "50", "--json-report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Backtest on the latest baskets" in out and "Backtest: last night's" in out
    saved = json.loads(report.read_text())["backtest"]
    assert saved["chosen"] and saved["params"]["sample"] == 100
    assert sum(s["baskets"] for s in saved["slices"]) <= 200
    conn = sqlite3.connect(db)
    try:
        assert len(read_recent_baskets(conn)[0]) - 1 == 50
    finally:
        conn.close()


def test_no_backtest(tested_store, tmp_path):
    db = tmp_path / "s.db"
    assert main(["load", str(tested_store.parent / "dump"), "--db", str(db), "--quiet",
                 "--no-backtest"]) == 0
    assert "backtest" not in meta_of(db)
    assert Engine.open(db).config == variants.config_for(variants.DEFAULT)
    assert store_summary(db)["scorer"].startswith("pairwise (the default")


def test_a_small_store_skips_the_backtest(published):
    choice = stored_choice(meta_of(published))
    assert choice.skipped.startswith("backtest skipped: only 60 baskets")
    assert Engine.open(published).config == variants.config_for(variants.DEFAULT)


@pytest.mark.parametrize("lang, words", [("en", "Last night's test"), ("nb", "nattens test")])
def test_manager_screen_sentence(tested_store, lang, words):
    choice = stored_choice(meta_of(tested_store))
    before = language()
    set_language(lang)
    try:
        text = backtest_text(choice, Numbers(lang))
    finally:
        set_language(before)
    assert words in text and choice.chosen in text
    assert backtest_text(Choice.skip("backtest skipped: only 60 baskets"), Numbers("en")) is None
    assert backtest_text(None, Numbers("en")) is None
