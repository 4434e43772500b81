"""The scorer family's parts in C, by hand-computed examples (the random
agreement with the reference is in tests/test_engine.py): max aggregation, the
similar-baskets term and its blend, the personal re-rank; and pos.variants."""
from __future__ import annotations

import math
from array import array

import pytest

from oracles.engine_reference import SIMILAR, Reference
from pos import variants
from pos.engine import EngineConfig, _Buffers, _NativeEngine
from pos.errors import NativeError
from pos.mining import ENTRY
from pos.store.engine_data import EngineData
from test_engine import assert_agree, c_score


def store(n: int, lists: dict[int, list[tuple[int, int, float]]] | None = None,
          recent: list[list[int]] = (), family=None) -> EngineData:
    """n items priced 100, weight 10 each, in no category; lists a -> [(c, count, weight)]."""
    d = EngineData()
    for i in range(n):
        d.price.append(100)
        d.cost.append(-1)
        d.flags.append(3)
        d.family.append(family[i] if family else -1)
        d.tier.append(0)
        d.category.append(-1)
        d.count.append(10)
        d.weight.append(10.0)
    d.n_baskets, d.total_weight = 100, 100.0
    blobs = []
    for a in range(n):
        entries = (lists or {}).get(a, [])
        blobs.append(b"".join(ENTRY.pack(c, cnt, w, 1.0) for c, cnt, w in entries))
        d.nb_offsets.append(d.nb_offsets[-1] + len(entries))
    d.nb_entries = b"".join(blobs)
    for basket in recent:
        d.recent_items.extend(sorted(basket))
        d.recent_offsets.append(len(d.recent_items))
    return d


def run(d: EngineData, basket, config: EngineConfig, k: int = 3, history=(), customer_baskets=0):
    native = _NativeEngine(d)
    req = dict(basket=[(a, 1.0) for a in basket], k=k, config=config, history=list(history),
               customer_baskets=customer_baskets)
    got = c_score(native, _Buffers(native, EngineConfig(max_k=10)), **req)
    assert_agree(got, Reference(d).score(**req))
    return got


RECENT = [[0, 1], [0, 2], [0, 1, 3], [4], [0, 1]]


def test_similar_baskets_alone():
    # basket {0}: the recent baskets holding 0 are 0, 1, 2, 4; sim = 1/sqrt(1 x size):
    # 1/sqrt2 for the pairs, 1/sqrt3 for basket 2; item 1 is in 0, 2, 4
    got = run(store(5, recent=RECENT), [0], EngineConfig(knn_weight=1.0))
    assert [r.item for r in got] == [1, 2, 3]
    assert all(r.source == SIMILAR and r.anchor == -1 for r in got)
    assert [(r.pair_count, r.anchor_count) for r in got] == [(3, 4), (1, 4), (1, 4)]
    # no pairwise score: the votes scaled to their largest (C = 1)
    vote1 = 2 / math.sqrt(2) + 1 / math.sqrt(3)
    assert got[1].score == pytest.approx((1 / math.sqrt(2)) / vote1)


def test_neighbours_are_the_most_similar_then_the_newest():
    # S = 1: basket 4 ([0, 1], the newest of the two most similar) alone votes
    got = run(store(5, recent=RECENT), [0], EngineConfig(knn_weight=1.0, knn_neighbours=1))
    assert [(r.item, r.pair_count, r.anchor_count) for r in got] == [(1, 1, 1)]
    # M = 1: each basket item reads only its newest recent basket
    got = run(store(5, recent=RECENT), [0], EngineConfig(knn_weight=1.0, knn_recent=1))
    assert [r.item for r in got] == [1]


#: item 0 is in 5 of the 6 recent baskets, item 1 in one: idf ln(6/5) and ln 6
COMMON_AND_RARE = [[0, 2], [0, 2], [0, 2], [0, 3], [1, 4], [0, 2]]


def test_idf_makes_a_shared_rare_item_count():
    d = store(5, recent=COMMON_AND_RARE)
    # plain overlap: every basket shares one item of [0, 1], all tie, the newest wins
    plain = run(d, [0, 1], EngineConfig(knn_weight=1.0, knn_neighbours=1))
    assert [r.item for r in plain] == [2]
    # idf: the basket sharing the rare item 1 is the most similar
    rare = run(d, [0, 1], EngineConfig(knn_weight=1.0, knn_neighbours=1, knn_idf=True))
    assert [(r.item, r.pair_count, r.anchor_count) for r in rare] == [(4, 1, 1)]
    # all six vote: plain overlap puts item 2 (four baskets) first, idf item 4
    everyone = EngineConfig(knn_weight=1.0, knn_neighbours=6)
    assert [r.item for r in run(d, [0, 1], everyone)][:1] == [2]
    idf0, idf1 = math.log(6 / 5), math.log(6)
    for power in (1, 2, 3):
        got = run(d, [0, 1], EngineConfig(knn_weight=1.0, knn_neighbours=6, knn_idf=True,
                                          knn_power=power))
        assert [r.item for r in got] == [4, 2, 3]
        # each vote sim^p, sim = idf * (1/sqrt 2)^2; scaled to the largest (item 4's)
        assert got[1].score == pytest.approx(4 * (idf0 / idf1) ** power)
        assert got[2].score == pytest.approx((idf0 / idf1) ** power)


def test_a_basket_sharing_only_an_item_every_basket_holds_is_no_neighbour():
    d = store(3, recent=[[0, 1], [0, 2]])
    assert {r.item for r in run(d, [0], EngineConfig(knn_weight=1.0))} == {1, 2}
    assert run(d, [0], EngineConfig(knn_weight=1.0, knn_idf=True)) == []


def test_blend_mixes_pairwise_and_similar_scores():
    lists = {0: [(2, 8, 8.0), (3, 4, 4.0)]}
    d = store(5, lists, RECENT)
    pairwise = run(d, [0], EngineConfig(pop_damping=0.0))
    assert [r.item for r in pairwise] == [2, 3]
    blend = run(d, [0], EngineConfig(pop_damping=0.0, knn_weight=0.5))
    # item 1 (in 3 of the 4 similar baskets) enters, as a similar-baskets suggestion
    assert {r.item for r in blend} == {1, 2, 3}
    one = next(r for r in blend if r.item == 1)
    assert one.source == SIMILAR
    two = next(r for r in blend if r.item == 2)
    assert two.source == 0 and two.anchor == 0   # a mined pair keeps its pairwise reason


def test_max_aggregation_takes_the_strongest_line():
    # item 3 is listed by both basket lines weakly, item 2 by one strongly
    lists = {0: [(2, 6, 6.0), (3, 4, 4.0)], 1: [(3, 4, 4.0)]}
    d = store(4, lists)
    total = run(d, [0, 1], EngineConfig(pop_damping=0.0))
    assert [r.item for r in total] == [3, 2]
    top = run(d, [0, 1], EngineConfig(pop_damping=0.0, aggregate="max"))
    assert [r.item for r in top] == [2, 3]
    assert top[0].score == pytest.approx(6 / 15)


def test_personal_re_rank_puts_a_repeat_item_first():
    lists = {0: [(1, 9, 9.0), (2, 8, 8.0), (3, 7, 7.0)]}
    d = store(6, lists, family=[-1, -1, -1, -1, 5, 5])
    history = [(4, 3, 50), (5, 2, 90), (3, 1, 10)]     # item, baskets, last time
    cf = EngineConfig(personal_weight=0.0, personal_slots=1)
    got = run(d, [0], cf, history=history, customer_baskets=4)
    assert [r.item for r in got] == [4, 1, 2]          # 4: bought in 3 baskets
    assert got[0].personal == 1
    two = run(d, [0], EngineConfig(personal_weight=0.0, personal_slots=2), history=history,
              customer_baskets=4)
    assert [r.item for r in two] == [4, 1, 2]          # 5 shares 4's family: not both
    # an anonymous sale, or a customer with no repeats, gets the list unchanged
    assert [r.item for r in run(d, [0], cf)] == [1, 2, 3]
    assert [r.item for r in run(d, [0], cf, history=[(3, 1, 10)], customer_baskets=1)] == [1, 2, 3]


def test_config_checks():
    with pytest.raises(ValueError, match="aggregate"):
        EngineConfig(aggregate="mean")
    with pytest.raises(ValueError, match="knn_weight"):
        EngineConfig(knn_weight=1.5)
    with pytest.raises(ValueError, match="personal_slots"):
        EngineConfig(personal_slots=9)
    for power in (0, 4, True):
        with pytest.raises(ValueError, match="knn_power"):
            EngineConfig(knn_power=power)
    with pytest.raises(ValueError, match="knn_idf"):
        EngineConfig(knn_idf=1)


def test_the_c_core_refuses_bad_similar_baskets_switches():
    native = _NativeEngine(store(3, recent=[[0, 1]]))
    buffers = _Buffers(native, EngineConfig(max_k=10))
    for field, value in (("knn_power", 0), ("knn_power", 4), ("knn_idf", 2), ("knn_idf", -1)):
        config = EngineConfig(knn_weight=1.0)
        buffers.set_config(config)
        setattr(buffers.req.config, field, value)   # past the Python checks
        with pytest.raises(NativeError):
            c_score(native, buffers, [(0, 1.0)], config=config)


def test_bad_recent_baskets_are_refused():
    d = store(3, recent=[[0, 1]])
    d.recent_items = array("i", [1, 0])                 # not ascending
    with pytest.raises(NativeError):
        _NativeEngine(d)
    d.recent_items = array("i", [0, 7])                 # out of range
    with pytest.raises(NativeError):
        _NativeEngine(d)


def test_variants():
    assert variants.names()[0] == "shrunk-max-confidence"
    assert variants.config_for("blend-0.5").knn_weight == 0.5
    assert variants.config_for("pairwise") == EngineConfig()
    assert variants.config_for("pairwise+personal").personal_slots == 1
    idf = variants.config_for("idf-blend-0.75")
    assert (idf.knn_idf, idf.knn_power, idf.knn_recent, idf.knn_neighbours) == (True, 2, 1000, 100)
    assert variants.store_choice({}) == variants.DEFAULT
    assert variants.store_choice({"backtest": {"chosen": "no-such"}}) == variants.DEFAULT
    with pytest.raises(ValueError, match="unknown scorer variant"):
        variants.config_for("best")


def test_a_big_basket_shares_the_postings_budget():
    # items 0-11 each in an older basket with 12 and a newer one with 13
    recent = [[i, 12] for i in range(12)] + [[i, 13] for i in range(12)]
    d = store(14, recent=recent)
    # 12 basket items share 10 M = 20 postings: 1 each, the newer basket: only 13 votes
    got = run(d, list(range(12)), EngineConfig(knn_weight=1.0, knn_recent=2), k=3)
    assert [(r.item, r.pair_count, r.anchor_count) for r in got] == [(13, 12, 12)]
    # 10 basket items read M = 2 each: both baskets, 12 and 13 both vote
    got = run(d, list(range(10)), EngineConfig(knn_weight=1.0, knn_recent=2), k=3)
    assert sorted(r.item for r in got) == [12, 13]
