"""The backtest's split and queries (pos/backtest/windows.py, queries.py): the time
order, the rolling slices and their seeded samples, the skip reasons, and every
item of a test basket hidden in turn."""
from __future__ import annotations

from array import array

import pytest

from pos.backtest.queries import MAX_HIDDEN, Query, make_queries
from pos.backtest.windows import MIN_BASKETS, Slice, cutoff_slices, make_slices, time_order


def csr(baskets: list[list[int]]) -> tuple[list[int], list[int]]:
    offsets, items = [0], []
    for b in baskets:
        items.extend(b)
        offsets.append(len(items))
    return offsets, items


# ---- time order -------------------------------------------------------------------

def test_time_order_is_by_time_then_file_order():
    times = array("q", [50, 10, 30, 10, 50, 20, 30])
    assert time_order(times, 7) == [1, 3, 5, 2, 6, 0, 4]


def test_time_order_of_sorted_times_and_of_a_prefix():
    assert time_order([1, 1, 2, 5, 5], 5) == [0, 1, 2, 3, 4]
    # only the first n_baskets times count (a cffi array may be longer)
    assert time_order([3, 1, 2, 0], 3) == [1, 2, 0]
    assert time_order([], 0) == []


# ---- slices -----------------------------------------------------------------------

# 20 baskets; in time order (below) the positions 0..19. Baskets with fewer than
# 2 items: ids 3, 8, 15.
SIZES = {3: 1, 8: 1, 15: 0}


def twenty():
    baskets = [[i % 7, 7 + i % 5, 20][:SIZES.get(i, 2 + i % 2)] for i in range(20)]
    offsets, items = csr(baskets)
    times = [(i * 7) % 20 for i in range(20)]        # a permutation of 0..19
    return offsets, items, times


def test_slices_on_a_shuffled_tiny_store():
    offsets, items, times = twenty()
    order = time_order(times, 20)
    assert [times[b] for b in order] == list(range(20))
    slices, reason = make_slices(order, n_slices=2, window=0.2, sample=10, offsets=offsets,
                                 min_baskets=1, min_test=1)
    assert reason == ""
    w = 4                                            # ceil(0.2 * 20)
    s1, s2 = slices
    assert (s1.number, s1.train_end, s1.window_end, s1.window) == (1, 16, 20, w)
    assert (s2.number, s2.train_end, s2.window_end) == (2, 12, 16)
    # slice 1's window: positions 16..19 = times 16..19 = ids 8, 11, 14, 17 (id 8 has 1 item)
    assert [order[p] for p in range(16, 20)] == [8, 11, 14, 17]
    assert s1.test == (11, 14, 17) and s1.eligible == 3
    # slice 2's: times 12..15 = ids 16, 19, 2, 5
    assert s2.test == (16, 19, 2, 5) and s2.eligible == 4
    assert s1.train_ids(order) == order[:16]
    assert set(s2.train_ids(order)).isdisjoint(s2.test)


def test_a_sample_is_seeded_and_kept_in_time_order():
    offsets, items, times = twenty()
    order = time_order(times, 20)
    args = dict(n_slices=1, window=0.5, offsets=offsets, min_baskets=1, min_test=1)
    (full,), _ = make_slices(order, sample=100, **args)
    assert len(full.test) == full.eligible == 9      # 10 in the window, id 8 has one item
    (a,), _ = make_slices(order, sample=4, seed=1, **args)
    (b,), _ = make_slices(order, sample=4, seed=1, **args)
    assert a == b and len(a.test) == 4 and a.eligible == 9
    assert set(a.test) <= set(full.test)
    position = {b: p for p, b in enumerate(order)}
    assert [position[x] for x in a.test] == sorted(position[x] for x in a.test)
    others = {make_slices(order, sample=4, seed=s, **args)[0][0].test for s in range(2, 8)}
    assert len(others | {a.test}) > 1                # the seed matters


def test_distinct_items_are_counted_when_items_are_given():
    offsets, items = csr([[1, 1], [1, 2], [3, 3, 3], [4, 5]] * 60)
    order = list(range(240))
    (by_lines,), _ = make_slices(order, n_slices=1, window=0.5, offsets=offsets)
    (by_items,), _ = make_slices(order, n_slices=1, window=0.5, offsets=offsets, items=items)
    assert by_lines.eligible == 120
    assert by_items.eligible == 60
    assert all(b % 4 in (1, 3) for b in by_items.test)


def test_window_is_the_ceiling():
    offsets, _ = csr([[1, 2]] * 201)
    slices, _ = make_slices(list(range(201)), offsets=offsets)
    assert [(s.train_end, s.window_end) for s in slices] == [(180, 201), (159, 180)]


# ---- skip reasons -----------------------------------------------------------------------

def test_too_few_baskets_skips():
    offsets, _ = csr([[1, 2]] * 120)
    slices, reason = make_slices(list(range(120)), offsets=offsets)
    assert slices == []
    assert reason == f"backtest skipped: only 120 baskets (it needs {MIN_BASKETS})"


def test_too_few_eligible_latest_baskets_skips():
    baskets = [[1, 2]] * 290 + [[1]] * 10          # the last 30 (window): 20 eligible
    offsets, _ = csr(baskets)
    slices, reason = make_slices(list(range(300)), offsets=offsets, min_test=21)
    assert slices == []
    assert reason == ("backtest skipped: the latest 30 baskets: only 20 of its 30 baskets "
                      "have 2 or more items (it needs 21)")
    slices, reason = make_slices(list(range(300)), offsets=offsets, min_test=20)
    assert len(slices) == 2 and reason == ""


def test_a_short_earlier_window_gives_fewer_slices():
    baskets = [[1, 2]] * 240 + [[1]] * 30 + [[1, 2]] * 30
    offsets, _ = csr(baskets)
    slices, reason = make_slices(list(range(300)), n_slices=3, offsets=offsets)
    assert [s.number for s in slices] == [1]
    assert reason == ("backtest on 1 slice of 3: slice 2 (only 0 of its 30 baskets have "
                      "2 or more items (it needs 20))")


def test_no_train_baskets_stops_the_slices():
    offsets, _ = csr([[1, 2]] * 200)
    slices, reason = make_slices(list(range(200)), n_slices=3, window=0.4, offsets=offsets)
    assert [s.train_end for s in slices] == [120, 40]
    assert reason == "backtest on 2 slices of 3: slice 3 (no baskets before its test window)"
    slices, reason = make_slices(list(range(200)), n_slices=1, window=0.999, offsets=offsets)
    assert slices == [] and reason == ("backtest skipped: the latest 200 baskets: "
                                       "no baskets before its test window")


@pytest.mark.parametrize("kw", [dict(n_slices=0), dict(window=0), dict(window=1.0),
                                dict(sample=0)])
def test_bad_parameters(kw):
    offsets, _ = csr([[1, 2]] * 300)
    with pytest.raises(ValueError):
        make_slices(list(range(300)), offsets=offsets, **kw)


def test_slice_is_a_value():
    s = Slice(1, 10, 12, 2, (10, 11))
    assert s.window == 2 and s.train_ids(range(12)) == list(range(10))


# ---- queries -------------------------------------------------------------------------

def test_every_item_hidden_in_turn():
    offsets, items = csr([[5, 3, 9], [4], [7, 7, 2], [1, 2]])
    times = [100, 200, 300, 400]
    customers = [-1, 4, 6, 2]
    qs = make_queries([0, 1, 2], offsets, items, times, customers)
    assert qs == [
        Query(0, (3, 9), 5, -1, 100),
        Query(0, (5, 9), 3, -1, 100),
        Query(0, (5, 3), 9, -1, 100),
        # basket 1 has one item: no query; basket 2's repeated 7 counts once
        Query(2, (2,), 7, 6, 300),
        Query(2, (7,), 2, 6, 300),
    ]
    assert [q.customer for q in make_queries([3], offsets, items, times)] == [-1, -1]


def test_at_most_ten_hidden_a_seeded_sample_in_line_order():
    basket = [40, 12, 33, 7, 25, 18, 1, 9, 30, 22, 15, 3]    # 12 distinct items
    offsets, items = csr([basket])
    qs = make_queries([0], offsets, items, [0], None, seed=3)
    assert len(qs) == MAX_HIDDEN == 10
    hidden = [q.hidden for q in qs]
    assert len(set(hidden)) == 10
    assert [basket.index(h) for h in hidden] == sorted(basket.index(h) for h in hidden)
    for q in qs:
        assert q.known == tuple(i for i in basket if i != q.hidden)
    assert make_queries([0], offsets, items, [0], None, seed=3) == qs
    draws = {tuple(q.hidden for q in make_queries([0], offsets, items, [0], None, seed=s))
             for s in range(1, 9)}
    assert len(draws) > 1
    assert len(make_queries([0], offsets, items, [0], None, max_hidden=12)) == 12


def test_cutoff_slices_train_before_the_cutoff_and_test_after_it():
    """A holdout's cutoff at time 8: every slice trains on the 8 baskets before it;
    the 12 after it make two windows of 6 (slice 1 the latest)."""
    offsets, items, times = twenty()
    order = time_order(times, 20)
    slices, reason = cutoff_slices(order, times, 8, n_slices=2, sample=10, offsets=offsets,
                                   min_baskets=1, min_test=1)
    assert reason == ""
    s1, s2 = slices
    assert (s1.train_end, s1.window_start, s1.window_end, s1.window) == (8, 14, 20, 6)
    assert (s2.train_end, s2.window_start, s2.window_end, s2.window) == (8, 8, 14, 6)
    assert s1.train_ids(order) == s2.train_ids(order) == order[:8]
    assert all(times[b] >= 8 for s in slices for b in s.test)
    assert set(s1.test) == {b for b in order[14:] if b not in SIZES}
    # a cutoff before every basket: no train basket, still tested (a new store)
    slices, _ = cutoff_slices(order, times, -1, sample=3, offsets=offsets, min_baskets=1,
                              min_test=1)
    assert slices[0].train_end == 0 and len(slices[0].test) == 3
    # after the last basket, or too few eligible baskets after it: skipped, saying why
    assert cutoff_slices(order, times, 99, offsets=offsets, min_baskets=1)[1] == (
        "backtest skipped: no baskets after the holdout's cutoff")
    slices, reason = cutoff_slices(order, times, 17, offsets=offsets, min_baskets=1, min_test=3)
    assert slices == [] and reason.startswith("backtest skipped: only 2 of its 2 baskets after")
    slices, reason = cutoff_slices(order, times, 17, offsets=offsets, min_baskets=1, min_test=2)
    assert len(slices) == 1 and reason.startswith("backtest on 1 slice of 2: slice 2 (only 1 of")
