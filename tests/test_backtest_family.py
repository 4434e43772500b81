"""pos.backtest.family: the train and recent baskets cut out of the parser's
arrays (the builder itself runs in tests/test_backtest_load.py)."""
from __future__ import annotations

from array import array

from pos.backtest.family import recent_part, subset
from pos.native import ffi

OFFSETS = [0, 2, 3, 6, 7]            # four baskets
ITEMS = [1, 2, 0, 0, 3, 4, 2]
TIMES = [10, 20, 30, 40]


def as_cdata():
    return (ffi.new("int64_t[]", OFFSETS), ffi.new("int32_t[]", ITEMS),
            ffi.new("int64_t[]", TIMES))


def baskets(offsets, items) -> list[list[int]]:
    return [list(items[offsets[b]:offsets[b + 1]]) for b in range(len(offsets) - 1)]


def test_subset_runs_and_picks_from_arrays_and_cdata():
    for arrays in (as_cdata(), (array("q", OFFSETS), array("i", ITEMS), array("q", TIMES))):
        for ids, want in [(range(0, 2), [[1, 2], [0]]), (range(1, 4), [[0], [0, 3, 4], [2]]),
                          ([3, 0], [[2], [1, 2]]), ([], [])]:
            offsets, items, times = subset(*arrays, ids)
            assert all(isinstance(x, array) for x in (offsets, items, times))
            assert offsets[0] == 0 and baskets(offsets, items) == want
            assert list(times) == [TIMES[i] for i in ids]


def test_recent_part_is_the_last_baskets():
    offsets, items, _ = as_cdata()
    offs, its = recent_part(offsets, items, 2)
    assert baskets(offs, its) == [[0, 3, 4], [2]]
    offs, its = recent_part(array("q", OFFSETS), array("i", ITEMS), 10)
    assert baskets(offs, its) == baskets(OFFSETS, ITEMS)
