"""The backtest's evaluation and choice (pos/backtest/choose.py) and the whole
run (pos/backtest/__init__.py run_backtest): HitRate@3 per basket, the paired
interval, the best rule, the choice with ties going to the simpler variant,
Choice's JSON and sentence, the skip reasons, and a run on a small store."""
from __future__ import annotations

import json
import random
import sys
from array import array
from types import SimpleNamespace

import pytest

from pos.backtest import (
    Choice,
    Figures,
    Query,
    SliceFigures,
    choose,
    evaluate,
    evaluate_all,
    paired_interval,
    run_backtest,
    simple_rules,
    summary_line,
    time_order,
)
from pos.mining import MineParams, Miner


def Q(basket: int, hidden: int, *known: int) -> Query:
    return Query(basket, known, hidden, -1, 0)


# ---- evaluate ------------------------------------------------------------------------

def test_hit_rate_per_basket_each_basket_weighs_one():
    queries = [Q(10, 1, 2, 3), Q(10, 2, 1, 3), Q(10, 3, 1, 2), Q(11, 4, 5), Q(11, 5, 4),
               Q(12, 6, 7)]
    def scorer(q):
        return [1, 9, 8, 2, 4, 5]          # only the first 3 count
    assert evaluate(scorer, queries) == [pytest.approx(1 / 3), 0.0, 0.0]
    assert evaluate(lambda q: [q.hidden], queries) == [1.0, 1.0, 1.0]
    assert evaluate(lambda q: [9, 9, 9, q.hidden], queries) == [0.0, 0.0, 0.0]
    assert evaluate(lambda q: [9, 9, 9, q.hidden], queries, k=4) == [1.0, 1.0, 1.0]
    ev = evaluate_all(lambda q: [4, 1], queries, prices=[0, 2.5, 0, 0, 7.0, 0, 0])
    assert ev.baskets == [10, 11, 12]
    assert ev.hit == [pytest.approx(1 / 3), 0.5, 0.0]
    assert ev.revenue == [pytest.approx(2.5 / 3), 3.5, 0.0]
    assert ev.queries == 6 and ev.errors == 0


def test_a_query_that_raises_is_a_miss():
    def scorer(q):
        if q.hidden == 2:
            raise KeyError("boom")
        return [q.hidden]
    ev = evaluate_all(scorer, [Q(1, 1, 2), Q(1, 2, 1), Q(2, 2, 3)])
    assert ev.hit == [0.5, 0.0]
    assert ev.errors == 2 and ev.first_error == "KeyError: 'boom'"


# ---- intervals ------------------------------------------------------------------------

def test_paired_t_interval_by_hand():
    # mean 0.3, sd^2 = (30 * 0.49 + 70 * 0.09) / 99 = 21 / 99, t(0.975, 99) = 1.984217
    half = 1.9842169515 * (21 / 99) ** 0.5 / 10
    mean, low, high = paired_interval([1.0] * 30 + [0.0] * 70)
    assert mean == pytest.approx(0.3)
    assert (low, high) == (pytest.approx(0.3 - half, abs=1e-9), pytest.approx(0.3 + half, abs=1e-9))
    assert paired_interval([0.25]) == (0.25, 0.25, 0.25)
    assert paired_interval([]) == (0.0, 0.0, 0.0)
    assert paired_interval([0.1] * 50) == pytest.approx((0.1, 0.1, 0.1))


def test_the_bootstrap_is_seeded_and_near_the_t_interval():
    rng = random.Random(4)
    diffs = [rng.choice([0.0, 0.0, 1.0, -1.0, 0.5]) for _ in range(600)]
    boot = paired_interval(diffs, "bootstrap", resamples=500, seed=2)
    assert boot == paired_interval(diffs, "bootstrap", resamples=500, seed=2)
    assert boot != paired_interval(diffs, "bootstrap", resamples=500, seed=3)
    t = paired_interval(diffs)
    assert boot[0] == t[0] and boot[1] < t[0] < boot[2]
    assert boot[1] == pytest.approx(t[1], abs=0.01) and boot[2] == pytest.approx(t[2], abs=0.01)
    with pytest.raises(ValueError):
        paired_interval(diffs, "jackknife")


# ---- choose --------------------------------------------------------------------------

def test_best_rule_and_the_highest_lower_bound():
    rules = {"popularity": [0.2, 0.0, 0.1, 0.1], "max-confidence": [0.5, 0.3, 0.4, 0.2],
             "cooc-sum": [0.5, 0.3, 0.4, 0.2]}        # ties max-confidence: the first given
    variants = {"plain": [0.6, 0.4, 0.5, 0.3],        # +0.1 on every basket: low 0.1
                "blend": [0.9, 0.3, 0.4, 0.2]}        # +0.1 on average, but a wide interval
    c = choose(variants, rules, ["plain", "blend"])
    assert c.best_rule == "max-confidence"
    assert c.best_rule_hit3 == pytest.approx(0.35)
    assert c.chosen == "plain"
    assert c.hit3 == pytest.approx(0.45)
    assert c.interval == pytest.approx((0.1, 0.1, 0.1))
    assert c.variants["blend"].diff == pytest.approx(0.1)
    assert c.variants["blend"].low < 0 < c.variants["blend"].high
    assert c.rules["max-confidence"] == Figures("max-confidence", pytest.approx(0.35), 0, 0, 0)
    assert c.rules["popularity"].diff == pytest.approx(-0.25)
    assert c.rules["popularity"].high < 0
    assert list(c.variants) == ["plain", "blend"] and "choose" in c.seconds


@pytest.mark.parametrize("better, chosen", [(0.0019, "simple"), (0.0021, "fancy"),
                                            (0.0, "simple"), (-0.01, "simple")])
def test_lower_bounds_within_0_002_go_to_the_simplest(better, chosen):
    rules = {"max-confidence": [0.5] * 40}
    variants = {"fancy": [0.6 + better] * 40, "simple": [0.6] * 40, "worse": [0.55] * 40}
    c = choose(variants, rules, ["simple", "worse", "fancy"])
    assert c.chosen == chosen


def test_order_decides_among_equal_variants_and_unlisted_ones_come_last():
    rules = {"popularity": [0.0, 0.5]}
    same = [0.5, 0.5]
    assert choose({"a": same, "b": same, "c": same}, rules, ["b", "a"]).chosen == "b"
    assert choose({"a": same, "b": same, "c": same}, rules, ["c"]).chosen == "c"
    assert choose({"a": same, "b": same}, rules, []).chosen == "a"


def test_choose_needs_paired_lists():
    with pytest.raises(ValueError, match="different lengths"):
        choose({"a": [0.1, 0.2]}, {"r": [0.1]}, ["a"])
    with pytest.raises(ValueError):
        choose({}, {"r": [0.1]}, [])
    with pytest.raises(ValueError):
        choose({"a": [0.1]}, {}, ["a"])


# ---- Choice --------------------------------------------------------------------------

def a_choice() -> Choice:
    c = choose({"blend-0.5": [0.3, 0.2, 0.19], "plain": [0.2, 0.2, 0.1]},
               {"popularity": [0.1, 0.1, 0.1], "max-confidence": [0.2, 0.2, 0.17]},
               ["plain", "blend-0.5"], revenue={"plain": [1.0, 2.0, 0.0]},
               slices=[SliceFigures(1, 900, 2, 7), SliceFigures(2, 800, 1, 3)])
    c.notes = ["backtest on 1 slice of 2: ..."]
    c.params = {"slices": 2, "seed": 1}
    return c


def test_json_round_trip():
    c = a_choice()
    text = c.to_json()
    assert json.loads(text)["chosen"] == c.chosen
    back = Choice.from_json(text)
    assert back == c
    assert back.variants["plain"].revenue3 == 1.0
    assert back.variants["blend-0.5"].revenue3 is None
    assert (back.baskets, back.queries) == (3, 10)
    skipped = Choice.skip("backtest skipped: only 120 baskets", {"total": 0.01})
    assert Choice.from_json(skipped.to_json()) == skipped
    with pytest.raises(ValueError, match="version"):
        Choice.from_json(json.dumps({**json.loads(text), "version": 99}))


def test_summary_line():
    c = a_choice()
    assert c.chosen == "blend-0.5"
    assert c.summary_line() == ("last night's suggestions would have hit 23% of recent baskets "
                                "(best simple rule: 19%, max-confidence); chosen: blend-0.5")
    assert summary_line(c, lambda x: f"{100 * x:.1f} %") == (
        "last night's suggestions would have hit 23.0 % of recent baskets "
        "(best simple rule: 19.0 %, max-confidence); chosen: blend-0.5")
    skipped = Choice.skip("backtest skipped: only 120 baskets")
    assert skipped.summary_line() == "backtest skipped: only 120 baskets"
    assert skipped.hit3 is None and skipped.interval is None and skipped.chosen is None


# ---- run_backtest ----------------------------------------------------------------------

N_ITEMS = 30


def store(n: int = 600, seed: int = 7, with_customers: bool = True):
    rng = random.Random(seed)
    weights = [1 / (i + 1) for i in range(N_ITEMS)]
    offsets, items, times, customers = [0], [], [], []
    for _ in range(n):
        chosen = set(rng.choices(range(N_ITEMS), weights, k=rng.choice([1, 2, 3, 4, 6])))
        if 4 in chosen:
            chosen.add(17)
        items.extend(sorted(chosen))
        offsets.append(len(items))
        times.append(rng.randrange(10_000))                 # not in file order
        customers.append(rng.randrange(40) if with_customers and rng.random() < 0.5 else -1)
    return SimpleNamespace(n_baskets=n, offsets=array("q", offsets), items=array("i", items),
                           times=array("q", times),
                           customers=array("i", customers) if with_customers else None)


def builder(b, variants_of=None, calls=None):
    def build(train_ids):
        if calls is not None:
            calls.append(list(train_ids))
        offsets, items, tms = array("q", [0]), array("i"), array("q")
        for x in train_ids:
            items.extend(b.items[b.offsets[x]:b.offsets[x + 1]])
            offsets.append(len(items))
            tms.append(b.times[x])
        miner = Miner(N_ITEMS, MineParams(workers=1))
        miner.add_baskets(offsets, items, tms)
        counts, _ = miner.item_counts()
        lists = miner.neighbour_lists()
        rules = simple_rules(counts, lists.of)
        again = simple_rules(counts, lists.of)
        variants = (variants_of(again, len(calls or ())) if variants_of else
                    {"plain": again["max-confidence"], "cooc": again["cooc-sum"]})
        return variants, rules, list(variants)
    return build


def test_a_run_on_a_small_store():
    b = store()
    calls: list[list[int]] = []
    seen: list[str] = []
    c = run_backtest(b, builder(b, calls=calls), sample=40, progress=seen.append)
    order = time_order(b.times, b.n_baskets)
    # one training, on the baskets before the older window: the first 480 by time
    assert calls == [order[:480]]
    assert [(s.number, s.train) for s in c.slices] == [(1, 480), (2, 480)]
    assert all(s.baskets == 40 and s.queries > 80 for s in c.slices)
    assert set(c.rules) == {"popularity", "cooc-sum", "max-confidence", "personal"}
    assert set(c.variants) == {"plain", "cooc"}
    # the variants are the rules themselves: equal figures, zero difference
    assert c.variants["plain"].hit3 == c.rules["max-confidence"].hit3
    assert c.variants["cooc"].hit3 == c.rules["cooc-sum"].hit3
    best = max(c.rules.values(), key=lambda f: f.hit3)
    assert c.best_rule == best.name == "popularity"     # the random baskets have little else
    assert c.rules["popularity"].diff == 0
    for variant, rule in [("plain", "max-confidence"), ("cooc", "cooc-sum")]:
        assert c.variants[variant] == Figures(variant, *list(vars(c.rules[rule]).values())[1:])
    assert c.variants["plain"].low > c.variants["cooc"].low
    assert c.chosen == "plain" and c.interval == (c.variants["plain"].diff,
                                                  c.variants["plain"].low,
                                                  c.variants["plain"].high)
    assert c.notes == [] and c.skipped == ""
    assert c.params == {"slices": 2, "window": 0.1, "sample": 40, "seed": 1, "k": 3}
    assert {"order", "slices", "queries", "history", "build", "evaluate", "choose",
            "total"} <= set(c.seconds)
    assert c.seconds["total"] >= c.seconds["build"] >= 0
    assert seen[0] == "backtest: time order" and seen[-1] == "backtest: choosing"
    assert Choice.from_json(c.to_json()) == c
    # the same run again: the same figures (seeded)
    again = run_backtest(b, builder(b), sample=40)
    assert again.variants == c.variants and again.rules == c.rules


def test_the_simplest_of_equal_variants_and_a_clear_winner():
    b = store()

    def variants(rules, _):
        return {"fancy": rules["max-confidence"], "simple": rules["max-confidence"],
                "cheat": lambda q: [q.hidden]}
    c = run_backtest(b, builder(b, lambda r, n: {k: v for k, v in variants(r, n).items()
                                                 if k != "cheat"}), sample=40)
    assert c.chosen == "fancy"          # the first in the order given by build
    c = run_backtest(b, builder(b, variants), sample=40)
    assert c.chosen == "cheat" and c.hit3 == 1.0 and c.interval[1] > 0.3


def test_personal_only_with_customers_and_prices_give_revenue():
    b = store(with_customers=False)
    prices = [1.0 + i for i in range(N_ITEMS)]
    c = run_backtest(b, builder(b), sample=40, prices=prices)
    assert set(c.rules) == {"popularity", "cooc-sum", "max-confidence"}
    assert all(f.revenue3 is not None and f.revenue3 >= f.hit3 for f in c.rules.values())


def test_errors_are_noted_and_refine_adds_scorers():
    b = store()

    def variants(rules, call):
        return {"plain": rules["max-confidence"], "broken": lambda q: 1 / 0}
    asked = []

    def refine(best):
        asked.append(best)
        return {best + "+cheat": lambda q: [q.hidden]}
    c = run_backtest(b, builder(b, variants, calls=[]), sample=40, refine=refine)
    assert any(n.startswith("broken failed on") and "ZeroDivisionError" in n for n in c.notes)
    assert c.variants["broken"].hit3 == 0.0
    assert asked == ["plain"]                       # built on the first choice
    assert c.chosen == "plain+cheat" and c.variants["plain+cheat"].hit3 == 1.0
    c = run_backtest(b, builder(b, variants), sample=40, refine=lambda best: {})
    assert c.chosen == "plain" and set(c.variants) == {"plain", "broken"}


def test_skips():
    b = store(n=120)
    c = run_backtest(b, builder(b))
    assert c.chosen is None and c.skipped == "backtest skipped: only 120 baskets (it needs 200)"
    assert c.summary_line() == c.skipped and c.slices == []
    b = store(n=300)
    c = run_backtest(b, builder(b), min_test=200)
    assert c.chosen is None and c.skipped.startswith("backtest skipped: the latest 30 baskets")
    c = run_backtest(b, lambda ids: ({}, simple_rules([1] * N_ITEMS, lambda a: []), []))
    assert c.skipped == "backtest skipped: no engine variant to evaluate"
    assert len(c.slices) == 2


def test_fewer_slices_are_noted():
    b = store(n=400)
    c = run_backtest(b, builder(b), n_slices=5, window=0.25)
    assert [s.number for s in c.slices] == [1, 2, 3]
    assert c.notes == ["backtest on 3 slices of 5: slice 4 (no baskets before its test window)"]


def test_no_numpy_or_textual_at_import():
    import subprocess
    code = ("import sys, pos.backtest; bad = {'numpy', 'textual'} & set(sys.modules);"
            "print(sorted(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
