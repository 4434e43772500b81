"""The backtest's simple rules (pos/backtest/rules.py): hand-computed lists on a
hand-made train part, the personal history, and the same lists as pos eval's
baselines (pos/evaluation/baselines.py, numpy) on random data mined with
complete lists."""
from __future__ import annotations

import random
from array import array

import pytest

from pos.backtest.queries import Query, make_queries
from pos.backtest.rules import (
    TrainCounts,
    cooc_sum,
    customer_baskets,
    favourites,
    max_confidence,
    personal,
    popularity,
    simple_rules,
)
from pos.backtest.windows import time_order
from pos.mining import MineParams, Miner

# ---- a hand-made train part -------------------------------------------------------------
# counts: popularity order 0, 1, 2, 3, 4, 5 (3 and 4 tie at 2: the lower index first)
COUNTS = [5, 4, 3, 2, 2, 1]
LISTS = {   # item -> [(partner, raw count, weight, score)]
    0: [(1, 3, 3.0, 0.5), (4, 2, 2.0, 0.4), (2, 1, 1.0, 0.1)],
    1: [(0, 3, 3.0, 0.5), (3, 2, 2.0, 0.3)],
    2: [(0, 1, 1.0, 0.2), (5, 1, 1.0, 0.2)],
    3: [(1, 2, 2.0, 0.3)],
    4: [(0, 2, 2.0, 0.4)],
    5: [(2, 1, 1.0, 0.2)],
}


def q(*known: int, customer: int = -1, basket: int = 0) -> Query:
    return Query(basket, known, -1, customer, 0)


@pytest.fixture
def rules():
    return simple_rules(COUNTS, LISTS.__getitem__)


def test_popularity(rules):
    pop = rules["popularity"]
    assert pop(q(0)) == [1, 2, 3]
    assert pop(q(1, 2)) == [0, 3, 4]
    assert pop(q(0, 1, 2, 3)) == [4, 5]          # only two items left


def test_cooc_sum(rules):
    cs = rules["cooc-sum"]
    assert cs(q(0)) == [1, 4, 2]                  # 3, 2, 1
    assert cs(q(1, 2, basket=1)) == [0, 3, 5]     # 0: 3 + 1, 3: 2, 5: 1
    # 1: 3, 2: 1 + 1, 4: 2 -- 2 and 4 tie: the more popular (2) first
    assert cs(q(0, 5, basket=2)) == [1, 2, 4]
    # 0: 1 + 2 = 3, 5: 1, then popularity fills the third place
    assert cs(q(2, 4, basket=3)) == [0, 5, 1]
    assert cs(q(3, basket=4)) == [1, 0, 2]        # 1: 2, then popularity


def test_max_confidence(rules):
    mc = rules["max-confidence"]
    assert mc(q(0)) == [1, 4, 2]                  # 3/5, 2/5, 1/5
    assert mc(q(0, 5)) == [2, 1, 4]               # 2: max(1/5, 1/1) = 1 beats 1: 3/5
    assert mc(q(2)) == [0, 5, 1]                  # 0 and 5 tie at 1/3: the more popular
    assert mc(q(1, 2)) == [0, 3, 5]               # 0: max(3/4, 1/3), 3: 2/4, 5: 1/3
    assert mc(q(0, 1, 2, 3)) == [4, 5]


def test_the_rules_never_suggest_a_known_item(rules):
    for scorer in rules.values():
        for known in [(0,), (0, 1), (1, 2, 5), (0, 1, 4), (5, 4, 3, 2)]:
            got = scorer(q(*known, basket=hash(known)))
            assert not set(got) & set(known)
            assert len(got) == len(set(got)) == min(3, 6 - len(known))


def test_k_is_the_length(rules):
    data = TrainCounts(COUNTS, LISTS.__getitem__)
    assert max_confidence(data, k=5)(q(0)) == [1, 4, 2, 3, 5]
    assert cooc_sum(data, k=1)(q(0, 5)) == [1]
    assert popularity(data, k=0)(q(0)) == []


def test_personal_favourites_then_max_confidence(rules):
    mine = {7: [5, 0, 3], 8: [0]}
    pe = personal(mine, rules["max-confidence"])
    assert pe(q(0, customer=7)) == [5, 3, 1]      # then max-confidence's 1 (4, 2 after)
    assert pe(q(0, customer=8)) == [1, 4, 2]      # every favourite is known
    assert pe(q(0, customer=9)) == [1, 4, 2]      # no history
    assert pe(q(0)) == [1, 4, 2]                  # no customer
    assert pe(q(1, customer=7)) == [5, 0, 3]
    assert personal(mine, rules["max-confidence"], k=2)(q(1, customer=7)) == [5, 0]


def test_favourites_from_the_train_baskets_only():
    offsets, items = [0, 2, 4, 5, 6, 8, 9], [1, 2, 2, 3, 1, 4, 1, 3, 2]
    times = [10, 20, 30, 5, 40, 50]
    customers = [7, 7, 7, 8, 7, -1]
    by = customer_baskets(customers, 6, {7, -1})
    assert by == {7: [0, 1, 2, 4]}
    assert customer_baskets(customers, 6, set()) == {}
    order = time_order(times, 6)                 # 3, 0, 1, 2, 4, 5
    cut = (times[order[4]], order[4])            # train = positions 0..3 (basket 4 is test)
    # item 1: 2 baskets, last at 30; item 2: 2 baskets, last at 20; item 3: 1 basket
    assert favourites(by, offsets, items, times, cut) == {7: [1, 2, 3]}
    # every basket: 1 in 3; 3 in 2, last at 40, before 2 (2 baskets, last at 20)
    assert favourites(by, offsets, items, times) == {7: [1, 3, 2]}
    # a customer without train baskets has no favourites
    assert favourites({8: [3]}, offsets, items, times, (5, 3)) == {}


# ---- against pos eval's baselines ---------------------------------------------------

def random_store(seed: int, n: int = 400, n_items: int = 25):
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(n_items)]
    baskets, times, customers = [], [], []
    for _ in range(n):
        size = rng.choice([1, 2, 2, 3, 3, 4, 5, 7])
        chosen = set(rng.choices(range(n_items), weights, k=size))
        if 3 in chosen and rng.random() < 0.7:
            chosen.add(11)                       # a pair with some structure
        baskets.append(sorted(chosen))
        times.append(rng.randrange(0, 60) * 60)  # many ties
        customers.append(rng.randrange(12) if rng.random() < 0.6 else -1)
    offsets = [0]
    items: list[int] = []
    for b in baskets:
        items.extend(b)
        offsets.append(len(items))
    return baskets, offsets, items, times, customers


def mine(baskets, ids, times, n_items):
    offsets, items, tms = array("q", [0]), array("i"), array("q")
    for b in ids:
        items.extend(baskets[b])
        offsets.append(len(items))
        tms.append(times[b])
    miner = Miner(n_items, MineParams(top_n=n_items, rank_damping=0.0, workers=1))
    miner.add_baskets(offsets, items, tms)
    counts, _ = miner.item_counts()
    return counts, miner.neighbour_lists()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rules_are_the_baselines_with_complete_lists(seed):
    pytest.importorskip("numpy")
    from pos.evaluation.baselines import CooccurrenceSum, MaxConfidence, Personal, Popularity, TrainData
    n_items = 25
    baskets, offsets, items, times, customers = random_store(seed, n_items=n_items)
    order = time_order(times, len(baskets))
    train_end = 300
    train = order[:train_end]
    counts, lists = mine(baskets, train, times, n_items)
    # the lists are complete: every co-occurring pair, with its raw count
    co: dict[tuple[int, int], int] = {}
    for b in train:
        for a in baskets[b]:
            for c in baskets[b]:
                if a != c:
                    co[a, c] = co.get((a, c), 0) + 1
    assert {(a, e[0]): e[1] for a in range(n_items) for e in lists.of(a)} == co

    data = TrainData([(baskets[b], str(customers[b]) if customers[b] >= 0 else None, times[b])
                      for b in train], range(n_items))
    test = order[train_end:]
    queries = make_queries(test, offsets, items, times, customers, seed=seed)
    assert len(queries) > 200
    cut = (times[order[train_end]], order[train_end])
    by = customer_baskets(customers, len(baskets), {x.customer for x in queries})
    mine_fav = favourites(by, offsets, items, times, cut)
    for k in (3, 5):
        ours = simple_rules(counts, lists.of, k)
        ours["personal"] = personal(mine_fav, ours["max-confidence"], k)
        theirs = {"popularity": Popularity(data), "cooc-sum": CooccurrenceSum(data),
                  "max-confidence": MaxConfidence(data), "personal": Personal(data)}
        shuffled = queries[:]
        random.Random(seed).shuffle(shuffled)        # cooc-sum's shared work, any order
        for name, scorer in ours.items():
            for qs in (queries, shuffled):
                for x in qs:
                    want = theirs[name].recommend(list(x.known), k,
                                                  str(x.customer) if x.customer >= 0 else None,
                                                  x.time)
                    assert scorer(x) == want, (name, k, x)
        assert any(mine_fav.get(x.customer) for x in queries)   # personal was tested


def test_a_pair_the_lists_dropped_counts_zero():
    kept = {**LISTS, 0: LISTS[0][:1]}        # 0's list truncated to its first partner
    rules = simple_rules(COUNTS, kept.__getitem__)
    assert rules["cooc-sum"](q(0)) == [1, 2, 3]          # 1: 3, then popularity
    assert rules["max-confidence"](q(0, 5)) == [2, 1, 3]  # 2: 1/1, 1: 3/5, then 3
