"""The C learning overlay (pos_learned) against its plain-Python twin
(tests/oracles/engine_reference.py, LearnedRef) on random engines, random day baskets and
declines; its API errors; and that no overlay, or an empty one, changes
nothing. Runs under ASan+UBSan too (scripts/test)."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracles.engine_reference import LearnedRef, Reference, Result
from pos.engine import EngineConfig, _Buffers, _NativeEngine
from pos.native import ffi, lib
from test_engine import assert_agree as same
from test_engine import c_score, engine_data, requests, tiny

FIELDS = ("item", "kind", "score", "price_or_step", "anchor", "anchor_count", "pair_count",
          "source", "index", "personal")


class COverlay:
    """A pos_learned on a _NativeEngine, fed like LearnedRef."""

    def __init__(self, native, size_cap=30, half_life_days=3.0, min_pair_count=2, list_size=100,
                 max_pairs=0):
        params = ffi.new("pos_learn_params *")
        params.size_cap, params.decline_half_life_days = size_cap, half_life_days
        params.min_pair_count, params.list_size = min_pair_count, list_size
        params.max_pairs = max_pairs
        out = ffi.new("pos_learned **")
        assert lib.pos_learned_new(native.handle, params, out) == lib.POS_OK
        self.handle = ffi.gc(out[0], lib.pos_learned_free)
        self.native = native   # the engine outlives its overlays

    def add_basket(self, items) -> int:
        arr = ffi.new("int32_t[]", list(items) or [0])
        return lib.pos_learned_add_basket(self.handle, arr, len(items))

    def add_decline(self, a, c, t) -> int:
        return lib.pos_learned_add_decline(self.handle, a, c, t)

    def stats(self):
        out = ffi.new("pos_learned_stats *")
        assert lib.pos_learned_stats_get(self.handle, out) == lib.POS_OK
        return out


def add_item(d, price: int) -> None:
    """One more item in the engine data `d`: active, in no family, tier or
    category, never bought, with no list of its own."""
    for column, value in (("price", price), ("cost", -1), ("flags", 3), ("family", -1),
                          ("tier", 0), ("category", -1), ("count", 0), ("weight", 0.0)):
        getattr(d, column).append(value)
    d.nb_offsets.append(d.nb_offsets[-1])


def score_with(native, buffers, learned, **req):
    buffers.req.learned = learned.handle if learned is not None else ffi.NULL
    try:   # copied out: the cdata rows point into a buffer c_score lets go
        return [Result(*(getattr(r, f) for f in FIELDS)) for r in c_score(native, buffers, **req)]
    finally:
        buffers.req.learned = ffi.NULL


@st.composite
def day(draw, n: int):
    """A day's events: ('sale', items) and ('decline', anchor, item, time)."""
    item = st.integers(0, n - 1)
    sale = st.tuples(st.just("sale"), st.lists(item, max_size=7))
    decline = st.tuples(st.just("decline"), item, item, st.integers(0, 400_000))
    return draw(st.lists(st.one_of(sale, sale, decline), max_size=25))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_c_matches_reference_with_an_overlay(data):
    d = data.draw(engine_data())
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig(max_k=10))
    size_cap = data.draw(st.sampled_from([2, 3, 30]))
    half_life = data.draw(st.sampled_from([0.5, 3.0]))
    min_pairs = data.draw(st.sampled_from([1, 2, 3]))
    list_size = data.draw(st.sampled_from([0, 1, 2, 6]))   # engine_data's lists: 0-6 entries
    max_pairs = data.draw(st.sampled_from([0, 0, 1, 5, 20]))   # 0: no limit
    c = COverlay(native, size_cap, half_life, min_pairs, list_size, max_pairs)
    ref = LearnedRef(d, size_cap, half_life, min_pairs, list_size, max_pairs)
    for event in data.draw(day(d.n_items)):
        if event[0] == "sale":
            assert c.add_basket(event[1]) == lib.POS_OK
            ref.add_basket(event[1])
        else:
            assert c.add_decline(*event[1:]) == lib.POS_OK
            ref.add_decline(*event[1:])
    assert c.stats().pairs == len(ref.entries)
    assert c.stats().dropped == ref.dropped
    reference = Reference(d)
    for _ in range(3):
        req = data.draw(requests(d.n_items))
        req["now"] = data.draw(st.sampled_from([req["now"], 200_000, 2_000_000]))
        same(score_with(native, buffers, c, **req),
             reference.score(**req, learned=ref))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_overlay_and_an_empty_one_change_nothing(data):
    d = data.draw(engine_data())
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig(max_k=10))
    empty = COverlay(native)
    reference = Reference(d)
    for _ in range(3):
        req = data.draw(requests(d.n_items))
        plain = score_with(native, buffers, None, **req)
        same(plain, reference.score(**req))
        with_empty = score_with(native, buffers, empty, **req)
        # bit-identical: the same sums in the same order
        assert [(r.item, r.score, r.anchor, r.pair_count, r.anchor_count) for r in plain] == \
               [(r.item, r.score, r.anchor, r.pair_count, r.anchor_count) for r in with_empty]


def test_a_new_pair_appears_and_a_decline_damps_it():
    # tiny(): items 0 and 1, listed with each other; a third item joins today
    d = tiny()
    add_item(d, price=300)
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig())
    assert [r.item for r in score_with(native, buffers, None, basket=[(0, 1.0)])] == [1]
    day_ = COverlay(native, half_life_days=1.0)
    for _ in range(20):
        assert day_.add_basket([0, 2, 0]) == lib.POS_OK      # repeats count once
    got = score_with(native, buffers, day_, basket=[(0, 1.0)])
    assert [r.item for r in got] == [2, 1]
    assert (got[0].anchor, got[0].anchor_count, got[0].pair_count) == (0, 25, 20)
    before = got[0].score
    for t in range(10):
        assert day_.add_decline(0, 2, 1000 + t) == lib.POS_OK
    damped = score_with(native, buffers, day_, basket=[(0, 1.0)], now=1009)
    assert [r.item for r in damped] == [1, 2]
    assert damped[1].score == pytest.approx(before / 11, rel=1e-3)   # 1 / (1 + ~10)
    later = score_with(native, buffers, day_, basket=[(0, 1.0)], now=1009 + 20 * 86400)
    assert [r.item for r in later] == [2, 1]                  # decayed: back on top
    assert later[0].score == pytest.approx(before, rel=1e-4)
    assert day_.stats().declines == 10 and day_.stats().baskets == 20


def test_a_full_overlay_keeps_counting_the_pairs_it_holds():
    d = tiny()   # items 0 and 1, listed with each other
    add_item(d, price=300)
    native = _NativeEngine(d)
    full = COverlay(native, max_pairs=2)
    assert full.add_basket([0, 1]) == lib.POS_OK            # (0, 1) and (1, 0): full
    assert full.add_basket([0, 1, 2]) == lib.POS_OK         # 4 new pairs with 2: dropped
    assert full.add_decline(2, 0, 0) == lib.POS_OK          # a new pair: dropped
    assert full.add_decline(0, 1, 0) == lib.POS_OK          # a held pair: learned
    got = full.stats()
    assert (got.pairs, got.dropped, got.baskets, got.declines) == (2, 5, 2, 1)
    ref = LearnedRef(d, max_pairs=2)
    for items in ([0, 1], [0, 1, 2]):
        ref.add_basket(items)
    ref.add_decline(2, 0, 0)
    ref.add_decline(0, 1, 0)
    assert ref.entries[(0, 1)][3] == 2 and ref.dc[2] == 1 and ref.dropped == 5
    buffers = _Buffers(native, EngineConfig())
    same(score_with(native, buffers, full, basket=[(0, 1.0)], now=10),
         Reference(d).score(basket=[(0, 1.0)], now=10, learned=ref))


def test_c_api_errors():
    native = _NativeEngine(tiny())
    params = ffi.new("pos_learn_params *")
    out = ffi.new("pos_learned **")
    params.size_cap, params.decline_half_life_days, params.min_pair_count = 30, 3.0, 1
    assert lib.pos_learned_new(ffi.NULL, params, out) == lib.POS_EINVAL
    assert lib.pos_learned_new(native.handle, ffi.NULL, out) == lib.POS_EINVAL
    assert lib.pos_learned_new(native.handle, params, ffi.NULL) == lib.POS_EINVAL
    for cap, half, pairs, size in ((1, 3.0, 1, 0), (30, 0.0, 1, 0), (30, -1.0, 1, 0),
                                   (30, float("nan"), 1, 0), (30, float("inf"), 1, 0),
                                   (30, 3.0, 0, 0), (30, 3.0, 1, -1)):
        params.size_cap, params.decline_half_life_days = cap, half
        params.min_pair_count, params.list_size = pairs, size
        assert lib.pos_learned_new(native.handle, params, out) == lib.POS_EINVAL
        assert out[0] == ffi.NULL
    params.size_cap, params.decline_half_life_days, params.list_size = 30, 3.0, 0
    params.max_pairs = -1
    assert lib.pos_learned_new(native.handle, params, out) == lib.POS_EINVAL
    c = COverlay(native)
    assert c.add_basket([0, 2]) == lib.POS_ERANGE
    assert c.add_basket([-1]) == lib.POS_ERANGE
    assert lib.pos_learned_add_basket(c.handle, ffi.NULL, 2) == lib.POS_EINVAL
    assert lib.pos_learned_add_basket(c.handle, ffi.NULL, -1) == lib.POS_EINVAL
    assert lib.pos_learned_add_basket(ffi.NULL, ffi.NULL, 0) == lib.POS_EINVAL
    assert c.add_basket([]) == lib.POS_OK and c.stats().baskets == 0   # nothing to count
    assert c.add_basket([1]) == lib.POS_OK
    assert c.add_decline(0, 5, 0) == lib.POS_ERANGE
    assert c.add_decline(-1, 0, 0) == lib.POS_ERANGE
    assert lib.pos_learned_add_decline(ffi.NULL, 0, 1, 0) == lib.POS_EINVAL
    assert c.stats().pairs == 0 and c.stats().baskets == 1   # failed calls changed nothing
    assert lib.pos_learned_stats_get(c.handle, ffi.NULL) == lib.POS_EINVAL
    assert lib.pos_learned_memory(ffi.NULL) == 0 and lib.pos_learned_memory(c.handle) > 0
    lib.pos_learned_free(ffi.NULL)
    # an overlay of another engine
    other = _NativeEngine(tiny())
    foreign = COverlay(other)
    buffers = _Buffers(native, EngineConfig())
    with pytest.raises(Exception) as info:
        score_with(native, buffers, foreign, basket=[(0, 1.0)])
    assert getattr(info.value, "status", None) == lib.POS_EINVAL


def test_count_overflow_is_refused():
    d = tiny()
    d.count[0] = 2**32 - 1
    native = _NativeEngine(d)
    c = COverlay(native)
    assert c.add_basket([0, 1]) == lib.POS_EOVERFLOW
    assert c.stats().baskets == 0 and c.stats().pairs == 0
    assert c.add_basket([1]) == lib.POS_OK


def test_big_baskets_weigh_like_the_miners():
    # size_cap 3: a basket of 5 items weighs (3 - 1) / (5 - 1) = 0.5
    d = tiny()
    for _ in range(3):
        add_item(d, price=100)
    native = _NativeEngine(d)
    c = COverlay(native, size_cap=3)
    ref = LearnedRef(d, 3)
    assert c.add_basket([0, 1, 2, 3, 4]) == lib.POS_OK
    ref.add_basket([0, 1, 2, 3, 4])
    assert c.stats().weight == 0.5 == ref.weight
    assert c.stats().pairs == 20


def test_a_new_pair_of_a_full_list_must_reach_its_weakest_entry():
    # item 0's list holds item 1 only (weight 3): with list_size 1 it is full, so
    # the new pair (0, 2) is summed only once today's weight reaches 3
    d = tiny()
    add_item(d, price=300)
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig())
    full, open_ = COverlay(native, list_size=1), COverlay(native, list_size=2)
    for n in range(1, 4):
        for c in (full, open_):
            assert c.add_basket([0, 2]) == lib.POS_OK
        got_full = [r.item for r in score_with(native, buffers, full, basket=[(0, 1.0)])]
        got_open = [r.item for r in score_with(native, buffers, open_, basket=[(0, 1.0)])]
        assert (2 in got_full) == (n >= 3), (n, got_full)     # weight n reaches 3 at n = 3
        assert (2 in got_open) == (n >= 2), (n, got_open)     # not full: min_pair_count 2
