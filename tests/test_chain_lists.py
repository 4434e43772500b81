"""pos.chain.lists: MinedLists and the native engine, against a hand example
and against the load's own mining of the same baskets."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import EXPORT_TIME, good_basket_lines
from pos.chain.lists import MinedLists, mine_native
from pos.load import LoadOptions, load_dump
from pos.mining import MineParams, decode_neighbours


def test_hand_example_counts_repeats_once():
    lines = [("b1", "A", 10), ("b1", "B", 5), ("b1", "A", 7),   # A twice: counts once
             ("b2", "A", 20), ("b2", "B", 20),
             ("b3", "A", 30), ("b3", "C", 30),
             ("b4", "C", 40)]
    mined = mine_native(lines, MineParams(half_life_days=0, shrinkage=0), "store", "S1")
    assert isinstance(mined, MinedLists)
    assert (mined.scope, mined.name, mined.baskets, mined.weight) == ("store", "S1", 4, 4.0)
    assert mined.items == {"A": (3, 3.0), "B": (2, 2.0), "C": (2, 2.0)}
    # conf(A -> B) = 2/3, p_B = 2/4: added value 1/6; A -> C 1/3 - 2/4 < 0 is not kept
    assert mined.neighbours["A"] == [("B", 2, 2.0, pytest.approx(2 / 3 - 2 / 4))]
    assert mined.neighbours["B"] == [("A", 2, 2.0, pytest.approx(2 / 2 - 3 / 4))]
    assert "C" not in mined.neighbours      # C -> A: 1/2 - 3/4 < 0


def test_a_basket_is_timed_by_its_earliest_line():
    day = 86400
    params = MineParams(half_life_days=1, shrinkage=0, ref_time=10 * day)
    early = mine_native([("b", "A", 9 * day), ("b", "B", 10 * day)], params, "chain", "chain")
    assert early.weight == pytest.approx(0.5)     # one day old: half weight
    assert early.items["B"] == (1, pytest.approx(0.5))


def test_empty_input_and_bad_scope():
    mined = mine_native([], MineParams(), "region", "north")
    assert (mined.baskets, mined.items, mined.neighbours) == (0, {}, {})
    with pytest.raises(ValueError, match="scope"):
        mine_native([], MineParams(), "town", "x")


def ties_by_sku(lists):
    """Lists with partners of equal score in sku order (the load breaks ties by
    catalog index, mine_native by sku)."""
    return {a: sorted(entries, key=lambda e: (-e[3], e[0])) for a, entries in lists.items()}


@pytest.mark.parametrize("list_rank", [None, "balanced"])
def test_same_as_the_loads_own_mining(tmp_path, good_dump, list_rank):
    db = tmp_path / "store.db"
    load_dump(good_dump, db, LoadOptions(list_rank=list_rank, backtest=False))
    params = MineParams(half_life_days=180, ref_time=EXPORT_TIME, list_rank=list_rank)
    mined = mine_native(good_basket_lines(), params, "store", "S1")
    conn = sqlite3.connect(db)
    sku = dict(conn.execute("SELECT item, sku FROM products"))
    stats = {sku[i]: (n, w) for i, n, w in
             conn.execute("SELECT item, baskets, weight FROM item_stats WHERE baskets > 0")}
    lists = {sku[i]: [(sku[b], c, w, s) for b, c, w, s in decode_neighbours(blob)]
             for i, blob in conn.execute("SELECT item, entries FROM neighbours")}
    conn.close()
    assert mined.baskets == 60
    assert mined.items == stats
    assert ties_by_sku(mined.neighbours) == ties_by_sku(lists)
    assert len(lists) > 5
