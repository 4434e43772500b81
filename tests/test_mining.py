"""Tests of the miner: the C core (via pos.mining) against the plain-Python
reference (tests/oracles/mining_reference.py), a hand-computed example, the incremental
path, bad arguments and concurrent counting."""
from __future__ import annotations

import random
import threading
from array import array

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracles.mining_reference import ReferenceMiner, f32
from pos.errors import NativeError
from pos.mining import ENTRY, MineParams, Miner, decode_neighbours, encode_neighbours
from pos.native import ffi, lib

T0 = 1_750_000_000  # ref_time of the timed cases
DAY = 86400
FAST = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---- helpers ----------------------------------------------------------------

def csr(baskets):
    offsets, items = [0], []
    for basket in baskets:
        items.extend(basket)
        offsets.append(len(items))
    return array("q", offsets), array("i", items)


def mine(n_items, params, baskets, times=None):
    m = Miner(n_items, params)
    offsets, items = csr(baskets)
    m.add_baskets(offsets, items, None if times is None else array("q", times))
    return m


def reference(n_items, params, baskets, times=None):
    r = ReferenceMiner(n_items, params)
    r.add_baskets(*csr(baskets), times)
    return r


def c_state(m):
    stats = m.stats()
    counts, weights = m.item_counts()
    nl = m.neighbour_lists()
    return ((stats.baskets, stats.weight, stats.pairs, stats.neighbours),
            list(counts), list(weights), [nl.of(a) for a in range(len(nl))])


def ref_state(r):
    stats = r.stats()
    counts, weights = r.item_counts()
    return ((stats.baskets, stats.weight, stats.pairs, stats.neighbours),
            counts, weights, r.neighbour_lists())


def dump(m):
    """What a store keeps: totals, and per item (item, count, weight, blob)."""
    stats = m.stats()
    counts, weights = m.item_counts()
    nl = m.neighbour_lists()
    return stats.baskets, stats.weight, [(a, counts[a], weights[a], nl.blob(a))
                                         for a in range(len(nl))]


def pair_counts(baskets):
    counts = {}
    for basket in baskets:
        for a in basket:
            for b in basket:
                if a != b:
                    counts[a, b] = counts.get((a, b), 0) + 1
    return counts


def status_of(excinfo):
    return excinfo.value.status


# the list rankings drawn: (list_rank, rank_damping); list_rank None is the old
# API (a beta alone means "damped")
RANKINGS = [(None, None), ("added-value", None), (None, 0.0), ("damped", 0.4), (None, 1.0),
            ("balanced", None), ("balanced", None)]


@st.composite
def params_st(draw, rankings=RANKINGS):
    list_rank, rank_damping = draw(st.sampled_from(rankings))
    return MineParams(top_n=draw(st.sampled_from([1, 2, 3, 5, 100])),
                      size_cap=draw(st.sampled_from([2, 3, 4, 30])),
                      min_count=draw(st.sampled_from([1, 1, 2, 3])),
                      half_life_days=draw(st.sampled_from([0.0, 7.0, 30.5])),
                      ref_time=T0,
                      shrinkage=draw(st.sampled_from([0.0, 0.5, 5.0])),
                      workers=draw(st.sampled_from([1, 2])),
                      rank_damping=rank_damping, list_rank=list_rank)


BALANCED = [("balanced", None)]


def baskets_st(n_items, max_baskets=60):
    item = st.integers(0, n_items - 1)
    # a skewed draw too, so that pairs repeat
    skewed = st.integers(0, min(n_items, 4) - 1)
    basket = st.sets(st.one_of(item, skewed), max_size=min(n_items, 12)).map(sorted)
    return st.lists(basket, max_size=max_baskets)


@st.composite
def round_st(draw, n_items):
    baskets = draw(baskets_st(n_items))
    times = None
    if draw(st.booleans()):
        times = draw(st.lists(st.integers(T0 - 400 * DAY, T0 + 30 * DAY),
                              min_size=len(baskets), max_size=len(baskets)))
    return baskets, times


# ---- the C core equals the reference ------------------------------------------

@FAST
@given(data=st.data())
def test_batch_matches_reference(data):
    n_items = data.draw(st.integers(1, 30))
    params = data.draw(params_st())
    baskets, times = data.draw(round_st(n_items))
    got = c_state(mine(n_items, params, baskets, times))
    assert got == ref_state(reference(n_items, params, baskets, times))
    # and the lists respect what they promise
    for a, entries in enumerate(got[3]):
        assert len(entries) <= params.top_n
        assert all(c >= params.min_count and s > 0 and x != a for x, c, w, s in entries)
        assert entries == sorted(entries, key=lambda e: (-e[3], e[0]))


@FAST
@given(data=st.data())
def test_balanced_batch_matches_reference(data):
    n_items = data.draw(st.integers(1, 30))
    params = data.draw(params_st(BALANCED))
    baskets, times = data.draw(round_st(n_items))
    got = c_state(mine(n_items, params, baskets, times))
    assert got == ref_state(reference(n_items, params, baskets, times))
    for _a, entries in enumerate(got[3]):
        assert all(0 < s <= 1 for *_, s in entries)
        if entries:
            assert entries[0][3] == 1.0  # the best by confidence (or lift) scores 1


@FAST
@given(data=st.data(), balanced=st.booleans())
def test_incremental_matches_reference_and_continuing(data, balanced):
    n_items = data.draw(st.integers(1, 20))
    params = data.draw(params_st(BALANCED if balanced else RANKINGS))
    a_baskets, a_times = data.draw(round_st(n_items))
    b_baskets, b_times = data.draw(round_st(n_items))

    first = mine(n_items, params, a_baskets, a_times)
    baskets, weight, rows = dump(first)
    restored = Miner(n_items, params)
    restored.restore(baskets, weight, rows)
    offsets, items = csr(b_baskets)
    restored.add_baskets(offsets, items, None if b_times is None else array("q", b_times))

    ref = ReferenceMiner(n_items, params)
    ref.restore_totals(baskets, weight)
    for item, count, item_weight, blob in rows:
        ref.restore_item(item, count, item_weight, decode_neighbours(blob))
    ref.add_baskets(offsets, items, b_times)
    assert c_state(restored) == ref_state(ref)

    # restoring the dump is the same as carrying on with the same miner
    first.add_baskets(offsets, items, None if b_times is None else array("q", b_times))
    assert c_state(first) == c_state(restored)


@FAST
@given(data=st.data())
def test_incremental_counts_against_mining_everything(data):
    n_items = data.draw(st.integers(1, 20))
    params = data.draw(params_st())
    a_baskets, a_times = data.draw(round_st(n_items))
    b_baskets, b_times = data.draw(round_st(n_items))
    times = None if a_times is None or b_times is None else a_times + b_times
    if times is None:
        a_times = b_times = None

    first = mine(n_items, params, a_baskets, a_times)
    a_lists = [{x for x, *_ in first.neighbour_lists().of(a)} for a in range(n_items)]
    offsets, items = csr(b_baskets)
    first.add_baskets(offsets, items, None if b_times is None else array("q", b_times))
    everything = mine(n_items, params, a_baskets + b_baskets, times)

    # item counts, item weights and totals are exact (sums in the same order)
    got, want = c_state(first), c_state(everything)
    assert got[0][:2] == want[0][:2]
    assert got[1:3] == want[1:3]
    # a kept pair adds the new counts; a pair not kept enters with the new counts only
    all_counts, b_counts = pair_counts(a_baskets + b_baskets), pair_counts(b_baskets)
    for a, entries in enumerate(got[3]):
        for x, count, _, _ in entries:
            assert count == (all_counts[a, x] if x in a_lists[a] else b_counts[a, x])


@FAST
@given(data=st.data())
def test_balanced_incremental_equals_mining_everything_when_nothing_is_dropped(data):
    # Balanced scores are > 0 for every pair seen: with top_n >= n_items - 1
    # and min_count 1 no pair is ever dropped, so the per-item maxima are taken
    # over the same candidates and, with weight-1 baskets, every figure is exact.
    n_items = data.draw(st.integers(1, 12))
    params = MineParams(top_n=n_items, shrinkage=data.draw(st.sampled_from([0.5, 5.0])),
                        list_rank="balanced", workers=data.draw(st.sampled_from([1, 2])))
    a, b = data.draw(baskets_st(n_items, 30)), data.draw(baskets_st(n_items, 30))
    first = mine(n_items, params, a)
    baskets, weight, rows = dump(first)
    restored = Miner(n_items, params)
    restored.restore(baskets, weight, rows)
    restored.add_baskets(*csr(b))
    everything = mine(n_items, params, a + b)
    got, want = c_state(restored), c_state(everything)
    assert got[1:] == want[1:]
    assert got[0][:2] == want[0][:2]


def test_incremental_equals_mining_everything_when_nothing_was_dropped():
    # Two cliques whose pairs all score > 0: with top_n >= n_items nothing is
    # dropped, and with weight-1 baskets every weight is exact in float32.
    params = MineParams(top_n=10, shrinkage=0.1)
    a = [[0, 1, 2], [0, 1], [1, 2], [3, 4, 5], [3, 4], [4, 5], [0, 2], [3, 5]]
    b = [[0, 1], [2, 3], [4, 5], [0, 1, 2, 3, 4, 5], [1]]
    first = mine(6, params, a)
    assert [len(first.neighbour_lists().of(i)) for i in range(6)] == [2] * 6  # nothing dropped
    first.add_baskets(*csr(b))
    everything = mine(6, params, a + b)
    assert first.neighbour_lists() == everything.neighbour_lists()
    assert first.item_counts() == everything.item_counts()
    assert first.stats().baskets == everything.stats().baskets == 13


def test_incremental_with_recency_is_exact_in_counts_close_in_weights():
    params = MineParams(top_n=10, shrinkage=0.1, half_life_days=10.0, ref_time=T0)
    a = [[0, 1, 2], [0, 1], [1, 2], [3, 4, 5], [3, 4], [4, 5], [0, 2], [3, 5]]
    b = [[0, 1], [2, 3], [4, 5], [0, 1, 2, 3, 4, 5]]
    ta = [T0 - 3 * i * DAY - 17 for i in range(len(a))]
    tb = [T0 + 3 * i * DAY + 11 for i in range(len(b))]
    first = mine(6, params, a, ta)
    first.add_baskets(*csr(b), array("q", tb))
    everything = mine(6, params, a + b, ta + tb)
    got, want = c_state(first), c_state(everything)
    assert got[1:3] == want[1:3]
    for mine_list, all_list in zip(got[3], want[3]):
        assert [(x, c) for x, c, _, _ in mine_list] == [(x, c) for x, c, _, _ in all_list]
        for (_, _, w1, s1), (_, _, w2, s2) in zip(mine_list, all_list):
            assert w1 == pytest.approx(w2, rel=1e-6)
            assert s1 == pytest.approx(s2, rel=1e-5)


# ---- the hand-computed example (docs/mining.md) --------------------------------

EXAMPLE = [[0, 1], [0, 1, 2], [0, 2], [1, 4], [4], [0, 1, 2, 3, 4]]
EXAMPLE_PARAMS = MineParams(top_n=2, size_cap=3, shrinkage=1.0)


def test_known_answer():
    m = mine(5, EXAMPLE_PARAMS, EXAMPLE)
    stats = m.stats()
    assert (stats.baskets, stats.weight, stats.pairs, stats.neighbours) == (6, 5.5, 10, 6)
    counts, weights = m.item_counts()
    assert list(counts) == [4, 4, 3, 1, 3]
    assert list(weights) == [3.5, 3.5, 2.5, 0.5, 2.5]
    nl = m.neighbour_lists()
    lists = [[(x, c, w) for x, c, w, _ in nl.of(a)] for a in range(5)]
    assert lists == [[(2, 3, 2.5), (3, 1, 0.5)], [(3, 1, 0.5)], [(0, 3, 2.5), (3, 1, 0.5)],
                     [], [(3, 1, 0.5)]]
    scores = [[s for *_, s in nl.of(a)] for a in range(5)]
    expected = [[10 / 99, 2 / 99], [2 / 99], [6 / 77, 4 / 77], [], [4 / 77]]
    for got, want in zip(scores, expected):
        assert got == pytest.approx(want, rel=1e-6)
    # min_count = 2 drops the pairs seen once (the wholesale basket's)
    m2 = mine(5, MineParams(top_n=2, size_cap=3, shrinkage=1.0, min_count=2), EXAMPLE)
    assert [[x for x, *_ in m2.neighbour_lists().of(a)] for a in range(5)] == [[2], [], [0], [], []]
    # top_n = 1 keeps the best only
    m3 = mine(5, MineParams(top_n=1, size_cap=3, shrinkage=1.0), EXAMPLE)
    assert [[x for x, *_ in m3.neighbour_lists().of(a)] for a in range(5)] == [[2], [3], [0], [], [3]]


def test_known_answer_with_damped_confidence():
    # rank_damping = beta ranks a's partners by w_ab / (w_a + K) * p_b^-beta,
    # p_b = (w_b + K) / (W + K); every pair seen (min_count) is kept, popular ones too.
    params = MineParams(top_n=2, size_cap=3, shrinkage=1.0, rank_damping=0.5)
    nl = mine(5, params, EXAMPLE).neighbour_lists()
    weights, total, k = [3.5, 3.5, 2.5, 0.5, 2.5], 5.5, 1.0

    def score(a, b, w_ab):
        return w_ab / (weights[a] + k) * ((weights[b] + k) / (total + k)) ** -0.5

    # item 0: partners 1 (w 2.5), 2 (2.5), 3 (0.5), 4 (0.5); added value dropped item 1
    want = sorted(((score(0, b, w), b) for b, w in [(1, 2.5), (2, 2.5), (3, 0.5), (4, 0.5)]),
                  reverse=True)[:2]
    got = [(s, x) for x, _, _, s in nl.of(0)]
    assert [x for _, x in got] == [b for _, b in want] == [2, 1]
    assert [s for s, _ in got] == pytest.approx([s for s, _ in want], rel=1e-6)


def test_rank_damping_is_checked():
    with pytest.raises(ValueError, match="rank_damping"):
        MineParams(rank_damping=-0.5)
    with pytest.raises(ValueError, match="rank_damping"):
        MineParams(rank_damping=float("nan"))


def test_known_answer_balanced():
    # balanced(a -> b) = max(conf / max conf, lift / max lift) over a's partners,
    # conf = w_ab / (w_a + K), lift = conf / p_b, p_b = (w_b + K) / (W + K).
    # docs/mining.md: added value drops coffee -> milk (both are in most
    # baskets); balanced keeps it, as coffee's best partner by confidence.
    params = MineParams(top_n=2, size_cap=3, shrinkage=1.0, list_rank="balanced")
    nl = mine(5, params, EXAMPLE).neighbour_lists()
    weights, total, k = [3.5, 3.5, 2.5, 0.5, 2.5], 5.5, 1.0
    pair_w = {(0, 1): 2.5, (0, 2): 2.5, (1, 2): 1.5, (1, 4): 1.5}

    def want(a):
        partners = [b for b in range(5) if b != a]
        conf = {b: pair_w.get((min(a, b), max(a, b)), 0.5) / (weights[a] + k) for b in partners}
        lift = {b: conf[b] / ((weights[b] + k) / (total + k)) for b in partners}
        mc, ml = max(conf.values()), max(lift.values())
        return {b: max(conf[b] / mc, lift[b] / ml) for b in partners}

    lists = [[x for x, *_ in nl.of(a)] for a in range(5)]
    assert lists == [[1, 2], [0, 2], [0, 1], [0, 1], [1, 3]]
    for a in range(5):
        scores = want(a)
        assert [s for *_, s in nl.of(a)] == pytest.approx([scores[x] for x in lists[a]],
                                                          rel=1e-6)
    # coffee: milk and sugar tie at 1 (milk on confidence, sugar on lift); cups
    # next, on lift: (0.5/4.5 / (1.5/6.5)) / (2.5/4.5 / (3.5/6.5)) = 7/15
    m3 = mine(5, MineParams(top_n=3, size_cap=3, shrinkage=1.0, list_rank="balanced"), EXAMPLE)
    assert [(x, s) for x, _, _, s in m3.neighbour_lists().of(0)] == \
        [(1, 1.0), (2, 1.0), (3, f32(7 / 15))]


def test_balanced_keeps_the_popular_and_the_specific_partner():
    # A cafe: coffee (0) in most baskets; croissant (1) nearly always with coffee;
    # a rare syrup (2) bought with croissants only. Added value drops
    # croissant -> coffee (coffee is in 80 % of baskets anyway); balanced keeps
    # both coffee (best confidence) and syrup (best lift).
    baskets = [[0, 1]] * 30 + [[0]] * 50 + [[1, 2]] * 3 + [[3]] * 17
    added = mine(4, MineParams(), baskets).neighbour_lists()
    balanced = mine(4, MineParams(list_rank="balanced"), baskets).neighbour_lists()
    assert [x for x, *_ in added.of(1)] == [2]
    assert [(x, s) for x, _, _, s in balanced.of(1)][0] == (0, 1.0)
    assert [x for x, *_ in balanced.of(1)] == [0, 2]
    assert balanced.of(1)[1][3] == 1.0  # syrup: the best lift
    # the reference agrees
    assert reference(4, MineParams(list_rank="balanced"), baskets).neighbour_lists()[1] == \
        balanced.of(1)


def test_list_rank_resolution_and_checks():
    assert MineParams().list_rank == "added-value"
    assert MineParams(rank_damping=0.5).list_rank == "damped"
    assert MineParams(rank_damping=0.5) == MineParams(rank_damping=0.5, list_rank="damped")
    assert MineParams(list_rank="balanced").rank_damping is None
    for kw in [{"list_rank": "lift"}, {"list_rank": "damped"},
               {"list_rank": "balanced", "rank_damping": 0.5},
               {"list_rank": "added-value", "rank_damping": 0.0}]:
        with pytest.raises(ValueError, match="list_rank"):
            MineParams(**kw)
    assert MineParams(list_rank="balanced").to_c().list_rank == lib.POS_RANK_BALANCED
    p = MineParams(rank_damping=0.25).to_c()
    assert (p.list_rank, p.rank_damping) == (lib.POS_RANK_DAMPED, 0.25)
    p = MineParams().to_c()
    assert (p.list_rank, p.rank_damping) == (lib.POS_RANK_ADDED_VALUE, -1.0)


def test_weights_size_and_recency():
    params = MineParams(size_cap=30, half_life_days=2.0, ref_time=T0)
    big = list(range(500))
    m = mine(500, params, [big, [0, 1], [0], [0]], [T0, T0 - 2 * DAY, T0 + 2 * DAY, T0 - 4 * DAY])
    counts, weights = m.item_counts()
    assert counts[0] == 4 and counts[1] == 2 and counts[2] == 1
    assert weights[2] == 29 / 499                     # wholesale basket
    assert weights[1] == 29 / 499 + 0.5               # one half-life old
    assert weights[0] == 29 / 499 + 0.5 + 2.0 + 0.25  # 2.0: a basket after ref_time
    assert m.stats().baskets == 4
    assert m.stats().pairs == 500 * 499 // 2


def test_shrinkage_prefers_evidence():
    # b: 2 of a's 2 baskets; c: 400 of 1,000 baskets of item 3 -- same base rate
    m = Miner(4, MineParams(shrinkage=5.0))
    m.restore_totals(10**9, 1e9)  # base rates ~ 0
    m.add_baskets(*csr([[0, 1], [0, 1]] + [[2, 3]] * 400 + [[3]] * 600))
    (_, _, _, s01), = m.neighbour_lists().of(0)
    (_, _, _, s32), = m.neighbour_lists().of(3)
    assert s01 == pytest.approx(2 / 7, rel=1e-5) and s32 == pytest.approx(400 / 1005, rel=1e-5)
    assert s32 > s01


# ---- inputs, outputs --------------------------------------------------------------

def test_buffer_kinds_agree():
    np = pytest.importorskip("numpy")
    baskets = [[0, 3], [1, 2, 3], [0, 1, 2, 3], [2]]
    times = [T0 - i * DAY for i in range(4)]
    params = MineParams(half_life_days=3.0, ref_time=T0, shrinkage=0.5)
    offsets, items = csr(baskets)
    want = c_state(mine(4, params, baskets, times))
    kinds = [
        (offsets, items, array("q", times)),
        (np.array(offsets, np.int64), np.array(items, np.int32), np.array(times, np.int64)),
        (array("Q", offsets), array("I", items), array("q", times)),
        (ffi.new("int64_t[]", list(offsets)), ffi.new("int32_t[]", list(items)),
         ffi.new("int64_t[]", times)),
    ]
    for o, i, t in kinds:
        m = Miner(4, params)
        m.add_baskets(o, i, t)
        assert c_state(m) == want
    m = Miner(4, params)
    with pytest.raises(TypeError):
        m.add_baskets(np.array(offsets, np.float64), items)
    with pytest.raises(TypeError):
        m.add_baskets(offsets, array("q", items))       # int64 items
    with pytest.raises(TypeError):
        m.add_baskets(np.zeros((2, 3), np.int64), items)
    with pytest.raises(TypeError):
        m.add_baskets(ffi.new("int32_t[]", 3), items)
    with pytest.raises(ValueError):
        m.add_baskets(array("q", [0, 99]), items)       # beyond items
    with pytest.raises(ValueError):
        m.add_baskets(offsets, items, array("q", times[:3]))
    with pytest.raises(ValueError):
        m.add_baskets(array("q"), items)
    assert m.stats().baskets == 0  # nothing was staged


def test_blobs_and_codec():
    m = mine(5, EXAMPLE_PARAMS, EXAMPLE)
    nl = m.neighbour_lists()
    rows = list(nl.blobs())
    assert [(a, n) for a, n, _ in rows] == [(a, nl.count(a)) for a in range(5)]
    assert b"".join(bytes(blob) for _, _, blob in rows) == nl.entries
    assert [a for a, _, _ in nl.blobs(skip_empty=True)] == [0, 1, 2, 4]
    assert len(nl.entries) == ENTRY.size * m.stats().neighbours
    for a in range(5):
        entries = decode_neighbours(nl.blob(a))
        assert encode_neighbours(entries) == nl.blob(a)
    assert decode_neighbours(encode_neighbours([(7, 3, 0.1, 1 / 3)])) == [(7, 3, f32(0.1), f32(1 / 3))]
    with pytest.raises(ValueError):
        decode_neighbours(b"\0" * 15)


def test_progress_from_calling_thread():
    rng = random.Random(3)
    baskets = [sorted(rng.sample(range(300), rng.randint(1, 8))) for _ in range(2000)]
    calls, me = [], threading.get_ident()
    m = Miner(300, MineParams(workers=2))
    m.add_baskets(*csr(baskets), progress=lambda done, total: calls.append(
        (done, total, threading.get_ident())))
    assert calls[0][:2] == (0, 300) and calls[-1][:2] == (300, 300)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    assert {c[2] for c in calls} == {me}


def test_progress_error_stops_the_round():
    m = Miner(50, MineParams(workers=2))

    def progress(done, total):
        if done:
            raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError):
        m.add_baskets(*csr([[i, i + 1] for i in range(49)]), progress=progress)
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[0, 1]]))
    assert status_of(e) == lib.POS_ESTATE


def test_empty_and_single_item_baskets():
    m = mine(0, MineParams(), [])
    assert m.stats().baskets == 0 and len(m.neighbour_lists()) == 0
    m = mine(3, MineParams(), [[0], [1], [], [2]])
    assert (m.stats().baskets, m.stats().weight, m.stats().pairs) == (4, 4.0, 0)
    assert list(m.item_counts()[0]) == [1, 1, 1]
    assert m.stats().neighbours == 0
    m.close()
    with pytest.raises(ValueError):
        m.stats()


# ---- concurrency ------------------------------------------------------------------

def _big_round(seed=7, n_items=600, n_baskets=6000):
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(n_items)]
    baskets = []
    for _ in range(n_baskets):
        k = min(n_items, 1 + int(rng.expovariate(1 / 6)))
        baskets.append(sorted(set(rng.choices(range(n_items), weights, k=k))))
    times = [T0 - rng.randint(0, 200 * DAY) for _ in baskets]
    return n_items, baskets, times


def test_two_workers_equal_one():
    n_items, baskets, times = _big_round()
    results = []
    for workers in (1, 2):
        params = MineParams(workers=workers, top_n=20, half_life_days=30.0, ref_time=T0)
        results.append(c_state(mine(n_items, params, baskets, times)))
    assert results[0] == results[1]
    assert results[0][0][3] > 0


def test_concurrent_count_calls():
    n_items, baskets, times = _big_round(seed=11)
    params = MineParams(workers=2, top_n=15)
    want = c_state(mine(n_items, params, baskets))

    m = Miner(n_items, params)
    offsets, items = csr(baskets)
    offs, its = ffi.from_buffer("int64_t[]", offsets), ffi.from_buffer("int32_t[]", items)
    assert lib.pos_miner_stage(m._m, len(baskets), offs, its, ffi.NULL) == lib.POS_OK
    barrier, statuses = threading.Barrier(2), [None, None]

    def run(worker, lo, hi):
        barrier.wait()
        statuses[worker] = lib.pos_miner_count(m._m, lo, hi, worker)

    # worker 1 takes the popular (expensive) low items, so the two really overlap
    threads = [threading.Thread(target=run, args=(1, 0, 40)),
               threading.Thread(target=run, args=(0, 40, n_items))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [lib.POS_OK, lib.POS_OK]
    assert lib.pos_miner_commit(m._m) == lib.POS_OK
    assert c_state(m) == want


# ---- bad arguments ----------------------------------------------------------------

def c_params(**kw):
    p = MineParams().to_c()
    for k, v in kw.items():
        setattr(p, k, v)
    return p


@pytest.mark.parametrize("field, value", [
    ("top_n", 0), ("size_cap", 1), ("min_count", 0), ("n_workers", 0), ("n_workers", 65),
    ("half_life_days", -1.0), ("half_life_days", float("nan")), ("shrinkage", -0.5),
    ("shrinkage", float("inf")),
    # a beta without POS_RANK_DAMPED (an older caller's params) is refused
    ("rank_damping", 0.5), ("rank_damping", float("nan")), ("list_rank", 3), ("list_rank", -1),
])
def test_new_rejects_bad_params(field, value):
    out = ffi.new("pos_miner **")
    assert lib.pos_miner_new(c_params(**{field: value}), 5, out) == lib.POS_EINVAL
    assert out[0] == ffi.NULL


@pytest.mark.parametrize("list_rank, beta, ok", [
    (0, -1.0, True), (1, 0.0, True), (1, 16.0, True), (2, -1.0, True),
    (1, -1.0, False), (1, 16.5, False), (1, float("nan"), False), (2, 0.0, False),
    (2, float("nan"), False),
])
def test_new_checks_list_rank_with_beta(list_rank, beta, ok):
    out = ffi.new("pos_miner **")
    status = lib.pos_miner_new(c_params(list_rank=list_rank, rank_damping=beta), 5, out)
    assert status == (lib.POS_OK if ok else lib.POS_EINVAL)
    if ok:
        lib.pos_miner_free(out[0])


def test_new_rejects_null_and_negative():
    out = ffi.new("pos_miner **")
    assert lib.pos_miner_new(ffi.NULL, 5, out) == lib.POS_EINVAL
    assert lib.pos_miner_new(c_params(), -1, out) == lib.POS_EINVAL
    assert lib.pos_miner_new(c_params(), 5, ffi.NULL) == lib.POS_EINVAL


@pytest.mark.parametrize("kw", [
    {"top_n": 0}, {"size_cap": 1}, {"min_count": 0}, {"workers": 0}, {"workers": 65},
    {"half_life_days": -1}, {"half_life_days": float("inf")}, {"shrinkage": float("nan")},
    {"ref_time": 2**63}, {"top_n": 2.5}, {"top_n": True},
])
def test_params_validated_in_python(kw):
    with pytest.raises(ValueError):
        MineParams(**kw)


@pytest.mark.parametrize("baskets", [
    [[0, 5]],        # item out of range
    [[-1, 2]],       # negative item
    [[2, 1]],        # unsorted
    [[1, 1]],        # repeated
    [[0], [3, 2]],   # a later basket
])
def test_stage_rejects_bad_baskets(baskets):
    m = mine(5, MineParams(), [[0, 1], [1, 2]])
    before = c_state(m)
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr(baskets))
    assert status_of(e) == lib.POS_EINVAL
    assert c_state(m) == before       # a failed stage changes nothing
    m.add_baskets(*csr([[0, 1]]))     # and the miner is still usable
    assert m.stats().baskets == 3


def test_stage_rejects_bad_offsets():
    m = Miner(5)
    items = ffi.new("int32_t[]", [0, 1, 2, 3])
    for offsets in ([0, 3, 2, 4], [-1, 2], [0, 2, 1]):
        offs = ffi.new("int64_t[]", offsets)
        assert lib.pos_miner_stage(m._m, len(offsets) - 1, offs, items, ffi.NULL) == lib.POS_EINVAL
    offs = ffi.new("int64_t[]", [0, 2])
    assert lib.pos_miner_stage(m._m, -1, offs, items, ffi.NULL) == lib.POS_EINVAL
    assert lib.pos_miner_stage(m._m, 1, ffi.NULL, items, ffi.NULL) == lib.POS_EINVAL
    assert lib.pos_miner_stage(m._m, 1, offs, ffi.NULL, ffi.NULL) == lib.POS_EINVAL
    assert lib.pos_miner_stage(ffi.NULL, 1, offs, items, ffi.NULL) == lib.POS_EINVAL
    assert lib.pos_miner_stage(m._m, 1, offs, items, ffi.NULL) == lib.POS_OK


def test_call_order_and_ranges():
    m = Miner(4, MineParams(workers=2))
    h = m._m
    offs, items = ffi.new("int64_t[]", [0, 2]), ffi.new("int32_t[]", [0, 1])
    entry = ffi.new("pos_neighbour[]", [(1, 1, 1.0, 0.5)])
    assert lib.pos_miner_count(h, 0, 4, 0) == lib.POS_ESTATE
    assert lib.pos_miner_commit(h) == lib.POS_ESTATE
    assert lib.pos_miner_stage(h, 1, offs, items, ffi.NULL) == lib.POS_OK
    assert lib.pos_miner_stage(h, 1, offs, items, ffi.NULL) == lib.POS_ESTATE
    assert lib.pos_miner_restore_item(h, 0, 1, 1.0, entry, 1) == lib.POS_ESTATE
    assert lib.pos_miner_restore_totals(h, 1, 1.0) == lib.POS_ESTATE
    assert lib.pos_miner_neighbours(h, ffi.new("int64_t[]", 5), ffi.NULL) == lib.POS_ESTATE
    assert lib.pos_miner_count(h, 0, 2, 2) == lib.POS_EINVAL     # worker out of range
    assert lib.pos_miner_count(h, 0, 2, -1) == lib.POS_EINVAL
    assert lib.pos_miner_count(h, 0, 5, 0) == lib.POS_ERANGE     # beyond n_items
    assert lib.pos_miner_count(h, 3, 2, 0) == lib.POS_ERANGE
    assert lib.pos_miner_count(h, -1, 2, 0) == lib.POS_ERANGE
    assert lib.pos_miner_count(h, 0, 2, 0) == lib.POS_OK
    assert lib.pos_miner_count(h, 1, 3, 1) == lib.POS_ESTATE     # item 1 counted already
    assert lib.pos_miner_commit(h) == lib.POS_ESTATE             # items 2, 3 not counted
    assert lib.pos_miner_count(h, 2, 4, 1) == lib.POS_OK
    assert lib.pos_miner_commit(h) == lib.POS_OK
    assert lib.pos_miner_commit(h) == lib.POS_ESTATE
    assert lib.pos_miner_restore_item(h, 4, 1, 1.0, ffi.NULL, 0) == lib.POS_ERANGE
    assert lib.pos_miner_restore_item(h, -1, 1, 1.0, ffi.NULL, 0) == lib.POS_ERANGE


@pytest.mark.parametrize("entries, n, count, weight", [
    ([(0, 1, 1.0, 0.5)], 1, 3, 1.0),                       # itself
    ([(9, 1, 1.0, 0.5)], 1, 3, 1.0),                       # out of range
    ([(1, 1, 1.0, 0.5), (1, 1, 1.0, 0.4)], 2, 3, 1.0),     # repeated
    ([(1, 1, 1.0, 0.5), (2, 1, 1.0, 0.2), (1, 1, 1.0, 0.1)], 3, 3, 1.0),  # repeated, apart
    ([(1, 0, 1.0, 0.5)], 1, 3, 1.0),                       # count 0
    ([(1, 4, 1.0, 0.5)], 1, 3, 1.0),                       # more than the item's count
    ([(1, 1, 1.0, 0.2), (2, 1, 1.0, 0.5)], 2, 3, 1.0),     # not ranked
    ([(2, 1, 1.0, 0.5), (1, 1, 1.0, 0.5)], 2, 3, 1.0),     # tie not by item
    ([(1, 1, 1.0, 0.0)], 1, 3, 1.0),                       # score not > 0
    ([(1, 1, -1.0, 0.5)], 1, 3, 1.0),                      # negative weight
    ([(1, 1, float("nan"), 0.5)], 1, 3, 1.0),
    ([(1, 1, 1.0, 0.5)], 1, 3, float("nan")),              # item weight
    ([(1, 1, 1.0, 0.5)], 1, 3, 1e38),
    ([(1, 1, 1.0, 0.5)], -1, 3, 1.0),                      # negative size
    ([(1, 1, 1.0, 0.5), (2, 1, 1.0, 0.4), (3, 1, 1.0, 0.3)], 3, 3, 1.0),  # n > top_n
    (None, 1, 3, 1.0),                                     # NULL entries
])
def test_restore_item_rejects(entries, n, count, weight):
    m = Miner(5, MineParams(top_n=2))
    arr = ffi.NULL if entries is None else ffi.new("pos_neighbour[]", entries)
    assert lib.pos_miner_restore_item(m._m, 0, count, weight, arr, n) == lib.POS_EINVAL
    # nothing restored, and the scratch used for the repeat check is clean again
    assert m.stats().neighbours == 0
    m.restore_item(0, 3, 1.0, [(1, 1, 1.0, 0.5), (2, 1, 1.0, 0.5)])
    assert m.neighbour_lists().of(0) == [(1, 1, 1.0, 0.5), (2, 1, 1.0, 0.5)]


def test_restore_totals_rejects():
    m = Miner(2)
    for baskets, weight in ((-1, 1.0), (1, -1.0), (1, float("inf")), (1, float("nan"))):
        with pytest.raises(NativeError) as e:
            m.restore_totals(baskets, weight)
        assert status_of(e) == lib.POS_EINVAL
    assert lib.pos_miner_restore_totals(ffi.NULL, 1, 1.0) == lib.POS_EINVAL


def test_overflow():
    m = Miner(3)
    m.restore_item(0, 2**32 - 1, 1.0)
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[0, 1]]))
    assert status_of(e) == lib.POS_EOVERFLOW
    assert list(m.item_counts()[0]) == [2**32 - 1, 0, 0]
    m.add_baskets(*csr([[1, 2]]))  # the item at the limit untouched: fine

    m = Miner(3)
    m.restore_totals(2**63 - 1, 1.0)
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[1]]))
    assert status_of(e) == lib.POS_EOVERFLOW

    # ref_time - t overflows int64
    m = Miner(3, MineParams(half_life_days=1.0, ref_time=2**62))
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[1]]), array("q", [-2**62 - 10]))
    assert status_of(e) == lib.POS_EOVERFLOW
    # a basket far after ref_time: infinite weight; an item weight past 1e38
    m = Miner(3, MineParams(half_life_days=0.001, ref_time=0))
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[1]]), array("q", [10**9]))
    assert status_of(e) == lib.POS_EOVERFLOW
    m = Miner(3, MineParams(half_life_days=1.0, ref_time=0))
    with pytest.raises(NativeError) as e:
        m.add_baskets(*csr([[1]]), array("q", [130 * DAY]))  # 2^130 > 1e38
    assert status_of(e) == lib.POS_EOVERFLOW
    m.add_baskets(*csr([[1]]), array("q", [120 * DAY]))      # 2^120 < 1e38
    assert m.item_counts()[1][1] == 2.0**120
    ref = ReferenceMiner(3, MineParams(half_life_days=1.0, ref_time=0))
    with pytest.raises(OverflowError):
        ref.add_baskets(*csr([[1]]), [130 * DAY])
