"""`pos eval`: the time split, the queries of both protocols, the per-basket
metrics, the paired intervals, each baseline on a hand-computed train set, the
validation choice, the harness end to end on a small generated dump, the command."""
from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

import pytest

from pos.evaluation.baselines import (
    CooccurrenceSum,
    MaxConfidence,
    MlxtendRules,
    Personal,
    Popularity,
    TrainData,
)
from pos.evaluation.metrics import Metrics, percentile
from pos.evaluation.run import (
    Query,
    RowResult,
    choose_baseline,
    evaluate,
    make_queries,
    markdown,
    rich_table,
    row_notes,
    run_eval,
    run_slices,
    validation_line,
    verdict,
)
from pos.evaluation.split import Basket, split_dump
from pos.evaluation.stats import bootstrap_interval, compare, paired_t_interval
from pos.load import LoadOptions, load_dump
from pos.store.reader import open_store, read_meta


def _write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def _csv_ids(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as f:
        return [row["basket_id"] for row in csv.DictReader(f)]


# --------------------------------------------------------------------------
# split

SPLIT_BASKETS = """basket_id,sku,quantity,timestamp,customer_id
B01,A,1,2026-10-01T10:00:00Z,
B01,B,1,2026-10-01T10:00:00Z,
B02,A,1,2026-10-01T12:05:00+02:00,C2
B02,C,2,2026-10-01T10:05:00Z,C2
B03,B,1,2026-10-01T09:00:00Z,
B04,C,1,2026-10-01T12:30:00+02:00,
B04,NOPE,1,2026-10-01T10:30:00Z,
B05,A,1,2026-10-01T11:00:00Z,C1
B05,B,1,2026-10-01T11:00:00Z,C1
B06,C,1,2026-10-01T11:00:00Z,
B07,A,1,2026-10-01T10:45:00Z,
B08,B,1,2026-10-01T08:00:00Z,
B09,A,1,2026-10-01 13:30,
B09,D,1,2026-10-01T10:20:00Z,
B10,D,1,2026-10-01T10:50:00Z,C1
"""
SPLIT_CATALOG = "sku,name,price\nA,Apple,2.50\nB,Bread,3.00\nC,Cheese,4.75\nD,Dip,1.00\n"
SPLIT_MANIFEST = json.dumps({"store_name": "Split", "currency": "NOK", "locale": "nb_NO",
                             "timezone": "Europe/Oslo", "export_time": "2026-10-02T00:00:00Z"})


def test_split_by_time_with_ties_and_earliest_line(tmp_path):
    dump = _write(tmp_path / "dump", {
        "catalog.csv": SPLIT_CATALOG, "baskets.csv": SPLIT_BASKETS,
        "customers.csv": "customer_id,segment\nC1,family\nC2,student\n",
        "manifest.json": SPLIT_MANIFEST})
    split = split_dump(dump, tmp_path / "train")
    # times: B08 08:00, B03 09:00, B01 10:00, B02 10:05, B09 10:20 (its earliest line; the
    # other one is 13:30 Oslo = 11:30Z), B04 10:30, B07 10:45, B10 10:50, B05 11:00,
    # B06 11:00 (a tie: B05 comes first in the file). 10 baskets -> 2 test baskets.
    assert [b.id for b in split.train] == ["B08", "B03", "B01", "B02", "B09", "B04", "B07",
                                           "B10"]
    assert [b.id for b in split.test] == ["B05", "B06"]
    assert split.test[0].customer == "C1" and split.test[0].items == ["A", "B"]
    assert split.has_customers and split.currency == "NOK"
    assert split.prices == {"A": 2.5, "B": 3.0, "C": 4.75, "D": 1.0}
    assert split.unknown_sku_lines == 1

    train = split.train_dir
    assert sorted(set(_csv_ids(train / "baskets.csv"))) == [b.id for b in sorted(
        split.train, key=lambda b: b.id)]
    assert "NOPE" not in (train / "baskets.csv").read_text()
    assert (train / "customers.csv").read_text() == "customer_id,segment\nC1,family\nC2,student\n"
    manifest = json.loads((train / "manifest.json").read_text())
    assert manifest["export_time"] == "2026-10-01T10:50:00Z"
    assert manifest["timezone"] == "Europe/Oslo" and manifest["currency"] == "NOK"

    # the train dump is a loadable dump, and the store ends where the train period ends
    store = tmp_path / "train.db"
    report = load_dump(train, store, LoadOptions(rejects=tmp_path / "rejects.csv"))
    assert report.counts["baskets"] == 8
    conn = open_store(store)
    try:
        meta = read_meta(conn)
        assert int(meta["export_time"]) == split.export_time
        assert conn.execute("SELECT count(*) FROM customers").fetchone()[0] == 2
    finally:
        conn.close()


def test_queries_skip_single_items_and_are_seeded():
    """The one-item protocol (the earlier one, ``--protocol one``)."""
    test = [Basket("T1", 10, ["A"], "C1"), Basket("T2", 20, ["A", "B", "C"], "C1"),
            Basket("T3", 30, ["B", "B2"], None), Basket("T4", 40, ["D", "E"], "C9")]
    queries, skipped = make_queries(test, has_customers=True, seed=1, protocol="one")
    assert skipped == 1
    assert [q.basket_id for q in queries] == ["T2", "T3", "T4"]
    for q, b in zip(queries, test[1:]):
        assert q.hidden in b.items and q.hidden not in q.items
        assert sorted(q.items + (q.hidden,)) == sorted(b.items)
        assert q.now == b.time
    assert queries[0].customer == "C1" and queries[1].customer is None
    assert make_queries(test, True, seed=1, protocol="one") == (queries, 1)
    # no customers in the data: none are passed
    assert all(q.customer is None for q in make_queries(test, False, seed=1, protocol="one")[0])
    # other seeds hide other items somewhere
    assert any(make_queries(test, True, seed=s, protocol="one")[0] != queries
               for s in range(2, 12))
    sampled, _ = make_queries(test, True, seed=1, max_test=2, protocol="one")
    assert len(sampled) == 2 and {q.basket_id for q in sampled} <= {"T2", "T3", "T4"}
    assert [q.basket_id for q in sampled] == sorted(q.basket_id for q in sampled)
    with pytest.raises(ValueError):
        make_queries(test, True, protocol="some")


def test_every_item_protocol_hides_each_item_in_turn():
    big = [f"I{i:02d}" for i in range(12)]
    test = [Basket("T1", 10, ["A"], "C1"), Basket("T2", 20, ["A", "B", "C"], "C1"),
            Basket("T3", 30, ["D", "E"], None), Basket("T4", 40, big, None)]
    queries, skipped = make_queries(test, has_customers=True, seed=1)
    assert skipped == 1
    assert [(q.basket_id, q.items, q.hidden) for q in queries[:5]] == [
        ("T2", ("B", "C"), "A"), ("T2", ("A", "C"), "B"), ("T2", ("A", "B"), "C"),
        ("T3", ("E",), "D"), ("T3", ("D",), "E")]
    assert all(q.customer == "C1" and q.now == 20 for q in queries[:3])
    # more than 10 distinct items: a seeded 10 of them, in line order, each hidden once
    t4 = [q for q in queries if q.basket_id == "T4"]
    assert len(t4) == 10 and len({q.hidden for q in t4}) == 10
    assert [q.hidden for q in t4] == [s for s in big if s in {q.hidden for q in t4}]
    assert all(len(q.items) == 11 and q.hidden not in q.items for q in t4)
    assert make_queries(test, True, seed=1) == (queries, 1)
    # --max-test samples baskets, not queries
    sampled, _ = make_queries(test, True, seed=1, max_test=1)
    assert len({q.basket_id for q in sampled}) == 1


def test_every_item_metrics_average_within_each_basket():
    """Each basket weighs 1: T2 has 3 queries, T3 has 2."""
    class Fixed:
        name = "fixed"

        def recommend(self, basket_items, k, customer, now):
            return ["A", "D", "X"]

    test = [Basket("T2", 20, ["A", "B", "C"]), Basket("T3", 30, ["D", "E"])]
    queries, _ = make_queries(test, has_customers=False)
    m = evaluate(Fixed(), queries, {"A": 3.0, "D": 4.0}, catalog_size=10)
    s = m.summary(10)
    # T2: A at rank 1, B and C missed -> hit@1 = hit@3 = 1/3, mrr 1/3, revenue 3/3
    # T3: D at rank 2, E missed -> hit@1 0, hit@3 1/2, mrr (1/2)/2, revenue 4/2
    assert (s["queries"], s["baskets"]) == (5, 2)
    assert s["hit@1"] == pytest.approx((1 / 3 + 0) / 2)
    assert s["hit@3"] == pytest.approx((1 / 3 + 1 / 2) / 2)     # 5/12, not 2/5 per query
    assert s["mrr@5"] == pytest.approx((1 / 3 + 1 / 4) / 2)
    assert s["revenue@3"] == pytest.approx((1.0 + 2.0) / 2)
    assert m.per_basket("hit@3") == pytest.approx([1 / 3, 1 / 2])
    assert m.per_basket("revenue@3") == pytest.approx([1.0, 2.0])


# --------------------------------------------------------------------------
# paired intervals


def test_paired_t_interval_hand_computed():
    # mean 3, sd sqrt(2.5), se sqrt(2.5 / 5) = 0.70711, t(0.975, 4) = 2.77645
    iv = paired_t_interval([1, 2, 3, 4, 5])
    assert iv.mean == 3 and iv.n == 5
    assert (iv.low, iv.high) == pytest.approx((3 - 2.77645 * 0.70711, 3 + 2.77645 * 0.70711),
                                              abs=1e-4)
    assert paired_t_interval([0.5]) .low == 0.5


def test_bootstrap_interval():
    assert bootstrap_interval([0.25] * 40).text() == "+0.2500 [+0.2500, +0.2500]"
    # 0/1 differences, mean 0.5, standard error 0.05: about 0.5 +- 0.098
    iv = bootstrap_interval([0, 1] * 50, resamples=2000, seed=3)
    assert iv.mean == 0.5 and iv.n == 100
    assert iv.low == pytest.approx(0.402, abs=0.02) and iv.high == pytest.approx(0.598, abs=0.02)
    assert bootstrap_interval([0, 1] * 50, resamples=2000, seed=3) == iv   # seeded
    assert bootstrap_interval([]).n == 0


def test_compare_and_the_bar():
    # per basket HitRate@3: engine 0.75 on average, baseline 0.25 -> lift +200 %
    c = compare("engine", "cooc", [1, 1, 0, 1] * 10, [0, 1, 0, 0] * 10,
                [2.0, 2.0, 0, 2.0] * 10, [0, 2.0, 0, 0] * 10)
    assert (c.hit3, c.base_hit3) == (0.75, 0.25) and c.lift == pytest.approx(2.0)
    assert c.d_hit3.mean == pytest.approx(0.5) and c.d_hit3.low > 0
    assert c.d_hit3_t.low > 0 and c.d_revenue3.mean == pytest.approx(1.0)
    assert c.met
    # 4 % better only: the lift misses the bar even though the interval is above 0
    small = compare("engine", "b", [1] * 26 + [0] * 74, [1] * 25 + [0] * 75,
                    [0] * 100, [0] * 100)
    assert small.lift == pytest.approx(0.04) and not small.lift_ok and not small.met
    # revenue below the baseline's fails the bar whatever the hits
    poor = compare("engine", "b", [1, 1, 0, 1] * 10, [0, 1, 0, 0] * 10,
                   [0.1] * 40, [1.0] * 40)
    assert poor.lift_ok and poor.interval_ok and not poor.revenue_ok and not poor.met
    # a noisy lift: 1 basket of 20 better -> the interval reaches 0
    noisy = compare("engine", "b", [1] * 11 + [0] * 9, [1] * 10 + [0] * 10, [0] * 20, [0] * 20)
    assert noisy.lift_ok and noisy.d_hit3.low <= 0 and not noisy.met
    with pytest.raises(ValueError):
        compare("engine", "b", [1], [1, 0], [0], [0])


def test_choose_baseline_on_hit3_baselines_only():
    rows = [RowResult("popularity", "baseline", {"hit@3": 0.1}),
            RowResult("cooc-sum", "baseline", {"hit@3": 0.3}),
            RowResult("max-confidence", "baseline", {"hit@3": 0.3}),   # a tie: the first
            RowResult("mlxtend-rules", "baseline", None, "mlxtend not installed"),
            RowResult("engine", "engine", {"hit@3": 0.9}),
            RowResult("cheat", "other", {"hit@3": 1.0})]
    assert choose_baseline(rows).name == "cooc-sum"
    assert choose_baseline(rows[4:]) is None


# --------------------------------------------------------------------------
# metrics


def test_metrics_hand_computed():
    m = Metrics()
    m.add(["a", "b", "c", "d", "e"], "a", 10.0, 1)     # rank 1
    m.add(["x", "b", "y"], "y", 5.0, 2)                 # rank 3
    m.add(["p", "q", "r", "s", "t"], "t", 7.0, 3)       # rank 5: no revenue@3
    m.add([], "z", 1.0, 100)                            # miss
    s = m.summary(catalog_size=20)
    assert s["queries"] == 4
    assert (s["hit@1"], s["hit@3"], s["hit@5"]) == (0.25, 0.5, 0.75)
    assert s["mrr@5"] == pytest.approx((1 + 1 / 3 + 1 / 5) / 4)
    assert s["revenue@3"] == pytest.approx(15.0 / 4)
    assert s["coverage@3"] == pytest.approx(8 / 20)     # a b c x y p q r
    assert (s["p50_us"], s["p99_us"]) == (2, 100)
    assert percentile([], 50) == 0.0
    assert percentile([5, 1, 3], 100) == 5


def test_evaluate_counts_a_raising_query_as_a_miss():
    class Flaky:
        name = "flaky"

        def recommend(self, basket_items, k, customer, now):
            if basket_items == ["boom"]:
                raise ValueError("nope")
            return ["h"]

    queries = [Query("1", ("x",), "h", None, 0), Query("2", ("boom",), "h", None, 0)]
    m = evaluate(Flaky(), queries, {"h": 2.0}, catalog_size=4)
    s = m.summary(4)
    assert s["hit@1"] == 0.5 and s["revenue@3"] == 1.0
    assert m.errors == 1 and "nope" in m.first_error


# --------------------------------------------------------------------------
# baselines on a hand-computed train set
#
# b1..b4: P Q   b5, b6: P R   b7: S R   b8: U Q (K, t=100)   b9: U R (K, t=300)
# counts: P 6, Q 5, R 4, U 2, S 1; co(P): Q 4, R 2; co(S): R 1; co(Q): P 4, U 1;
# co(R): P 2, S 1, U 1; co(U): Q 1, R 1.

CATALOG = ["P", "Q", "R", "S", "U"]


@pytest.fixture(scope="module")
def train():
    baskets = ([(["P", "Q"], None, 1)] * 4 + [(["P", "R"], None, 2)] * 2
               + [(["S", "R"], None, 3), (["U", "Q"], "K", 100), (["U", "R", "GONE"], "K", 300)])
    return TrainData(baskets, CATALOG)


def test_train_counts(train):
    assert train.count.tolist() == [6, 5, 4, 1, 2]
    assert train.co_row(0).tolist() == [6, 4, 2, 0, 0]
    assert train.co_row(2).tolist() == [2, 0, 4, 1, 1]


def test_popularity(train):
    rec = Popularity(train)
    assert rec.recommend(["P", "S"], 3, None, 0) == ["Q", "R", "U"]
    assert rec.recommend([], 5, None, 0) == ["P", "Q", "R", "U", "S"]


def test_cooccurrence_sum(train):
    rec = CooccurrenceSum(train)
    assert rec.recommend(["S"], 3, None, 0) == ["R", "P", "Q"]        # R 1, then popularity
    assert rec.recommend(["P", "S"], 3, None, 0) == ["Q", "R", "U"]   # Q 4, R 2 + 1
    assert rec.recommend(["U"], 3, None, 0) == ["Q", "R", "P"]        # tie 1-1: Q more popular
    assert rec.recommend(["P", "unknown"], 2, None, 0) == ["Q", "R"]


def test_max_confidence(train):
    rec = MaxConfidence(train)
    # Q: 4/6 from P; R: max(2/6 from P, 1/1 from S)
    assert rec.recommend(["P", "S"], 3, None, 0) == ["R", "Q", "U"]
    assert rec.recommend(["Q"], 2, None, 0) == ["P", "U"]              # 4/5, 1/5


def test_personal(train):
    rec = Personal(train)
    # K: U in 2 baskets; Q and R in 1 each, R more recently -> U, R, Q; then confidence/popularity
    assert rec.recommend(["P"], 4, "K", 0) == ["U", "R", "Q", "S"]
    assert rec.recommend(["P"], 2, "K", 0) == ["U", "R"]
    assert rec.recommend(["U", "P"], 3, "K", 0) == ["R", "Q", "S"]
    # an unknown customer or none: max confidence
    assert rec.recommend(["P", "S"], 3, "nobody", 0) == ["R", "Q", "U"]
    assert rec.recommend(["P", "S"], 3, None, 0) == ["R", "Q", "U"]


def test_mlxtend_rules(train):
    pytest.importorskip("mlxtend")
    rec = MlxtendRules(train, min_support=1 / 9, min_confidence=0.01)
    assert rec.n_rules > 0
    assert rec.recommend(["P", "S"], 3, None, 0) == ["R", "Q", "U"]    # S->R 1.0, P->Q 0.67
    assert rec.recommend(["Q"], 3, None, 0) == ["P", "U", "R"]         # Q->P 0.8, Q->U 0.2
    # a support above every pair's: no rules, popularity only
    none = MlxtendRules(train, min_support=0.5)
    assert none.n_rules == 0
    assert none.recommend(["Q"], 2, None, 0) == ["P", "R"]


# --------------------------------------------------------------------------
# the harness end to end


def _planted_dump(directory: Path, n_baskets: int = 300, customers: bool = True) -> Path:
    """Every basket: one planted pair (A-B, C-D or E-F) plus 0-2 random noise items."""
    rng = random.Random(7)
    skus = [chr(ord("A") + i) for i in range(6)] + [f"N{i:02d}" for i in range(14)]
    catalog = "sku,name,price\n" + "".join(f"{s},Item {s},{1 + i}.50\n"
                                          for i, s in enumerate(skus))
    lines = ["basket_id,sku,quantity,timestamp,customer_id"]
    pairs = [("A", "B"), ("C", "D"), ("E", "F")]
    for b in range(n_baskets):
        items = list(rng.choice(pairs)) + rng.sample(skus[6:], rng.randint(0, 2))
        cust = f"K{b % 7}" if customers and b % 2 else ""
        ts = f"2026-09-{1 + b // 24:02d}T{b % 24:02d}:00:00Z"
        lines += [f"R{b:04d},{s},1,{ts},{cust}" for s in items]
    files = {"catalog.csv": catalog, "baskets.csv": "\n".join(lines) + "\n",
             "manifest.json": json.dumps({"currency": "EUR", "timezone": "UTC"})}
    if customers:
        files["customers.csv"] = "customer_id\n" + "".join(f"K{i}\n" for i in range(7))
    return _write(directory, files)


def test_harness_with_a_cheating_stub_and_all_rows(tmp_path):
    dump = _planted_dump(tmp_path / "planted")

    class Cheat:
        name = "cheat"

        def __init__(self, queries):
            self.queries = queries
            self.answer = {(q.items, q.now): q.hidden for q in queries}
            seen.append(self)

        def recommend(self, basket_items, k, customer, now):
            return [self.answer[tuple(basket_items), now], "N00", "N01"][:k]

    seen: list = []

    res = run_eval(dump, "planted", mlxtend=False, work_dir=tmp_path,
                   extra=[("cheat", lambda ctx: Cheat(ctx.queries))])
    assert (res.n_train, res.n_test) == (240, 60)
    assert res.n_baskets_eval == 60 and res.skipped_single == 0 and res.protocol == "every"
    queries = seen[0].queries           # the cheat runs on test only
    sizes: dict = {}
    for q in queries:
        sizes[q.basket_id] = sizes.get(q.basket_id, 0) + 1
    assert res.n_queries == len(queries) == sum(sizes.values())
    assert all(n == len(q.items) + 1 for q in queries for n in [sizes[q.basket_id]])
    rows = {r.name: r for r in res.rows}
    assert list(rows) == ["popularity", "cooc-sum", "max-confidence", "personal", "engine",
                          "cheat"]
    cheat = rows["cheat"].metrics
    assert cheat["hit@1"] == 1.0 and cheat["mrr@5"] == 1.0 and cheat["baskets"] == 60
    # revenue@3 = the mean over baskets of the mean price of their hidden items
    prices = {chr(ord("A") + i): 1.5 + i for i in range(6)}
    prices.update({f"N{i:02d}": 7.5 + i for i in range(14)})
    per_basket: dict = {}
    for q in queries:
        per_basket.setdefault(q.basket_id, []).append(prices[q.hidden])
    assert cheat["revenue@3"] == pytest.approx(
        sum(sum(v) / len(v) for v in per_basket.values()) / 60)
    # the planted pairs are found by co-occurrence, not by popularity
    assert rows["cooc-sum"].metrics["hit@1"] > rows["popularity"].metrics["hit@1"] + 0.2
    assert rows["max-confidence"].metrics["hit@3"] > rows["popularity"].metrics["hit@3"]
    # the engine row is there either way: metrics, or why not
    assert rows["engine"].metrics is not None or rows["engine"].note
    # the temporary train dump and store are gone
    assert not list(tmp_path.glob("pos-eval-*"))

    # validation: the last 48 of the 240 train baskets, trained on the first 192
    assert (res.n_val_train, res.n_val) == (192, 48)
    assert [r.name for r in res.validation] == ["popularity", "cooc-sum", "max-confidence",
                                                "personal", "engine"]
    assert res.chosen == choose_baseline(res.validation).name and res.chosen_on == "validation"
    text = verdict(res)
    assert f"best baseline on validation HitRate@3: {res.chosen}" in text
    assert "cheat" not in text
    if rows["engine"].metrics is not None:
        (c,) = res.comparisons
        assert c.baseline == res.chosen and c.d_hit3.n == 60
        assert c.hit3 == pytest.approx(rows["engine"].metrics["hit@3"])
        assert c.base_hit3 == pytest.approx(rows[res.chosen].metrics["hit@3"])
        assert ("bar met" in text) == c.met
    assert validation_line(res).startswith("validation (192 train / 48 baskets")
    md = markdown([res], "pos eval --dump planted")
    assert "### planted" in md and "| cheat | 1.0000 |" in md and "pos eval --dump planted" in md
    from rich.console import Console
    console = Console(width=200, record=True)
    console.print(rich_table(res))
    assert "max-confidence" in console.export_text()


def test_the_best_baseline_is_chosen_on_validation_not_test(tmp_path, monkeypatch):
    """Two stub baselines: one perfect on the validation slice only, one on test only."""
    from pos.evaluation import run as run_mod

    dump = _planted_dump(tmp_path / "choice", n_baskets=100, customers=False)

    class Stub:
        def __init__(self, name, ctx, perfect_on_validation):
            self.name = name
            on_validation = len(ctx.split.train) < 80      # validation trains on 64
            self.perfect = on_validation == perfect_on_validation
            self.answer = {(q.items, q.now): q.hidden for q in ctx.queries}

        def recommend(self, basket_items, k, customer, now):
            return [self.answer[tuple(basket_items), now]] if self.perfect else []

    monkeypatch.setattr(run_mod, "_baseline_factories", lambda *a: [
        ("val-star", lambda c: Stub("val-star", c, True)),
        ("test-star", lambda c: Stub("test-star", c, False))])
    res = run_eval(dump, engine=False, work_dir=tmp_path)
    val = {r.name: r.metrics["hit@3"] for r in res.validation}
    test = {r.name: r.metrics["hit@3"] for r in res.rows}
    assert val == {"val-star": 1.0, "test-star": 0.0}
    assert test == {"val-star": 0.0, "test-star": 1.0}
    assert res.chosen == "val-star"
    assert verdict(res) == "best baseline on validation HitRate@3: val-star (1.0000)"
    # without a validation slice the choice is made on test (and says so)
    res = run_eval(dump, engine=False, validation=False, work_dir=tmp_path)
    assert (res.chosen, res.chosen_on, res.validation) == ("test-star", "test", [])


def test_rolling_slices(tmp_path):
    dump = _planted_dump(tmp_path / "slices", n_baskets=100, customers=False)
    res = run_slices(dump, slices=2, window=0.1, mlxtend=False, engine=False,
                     work_dir=tmp_path)
    assert [(r.slice_label, r.n_train, r.n_test) for r in res] == [
        ("slice 1/2", 90, 10), ("slice 2/2", 80, 10)]
    assert [(r.n_val_train, r.n_val) for r in res] == [(72, 18), (64, 16)]
    assert res[0].notes[0] == "test window: baskets 91-100 of 100 by time (90%-100%)"
    assert res[1].notes[0] == "test window: baskets 81-90 of 100 by time (80%-90%)"
    # the one-item protocol: one query per basket
    one = run_slices(dump, slices=1, window=0.2, protocol="one", mlxtend=False, engine=False,
                     work_dir=tmp_path)
    assert len(one) == 1 and one[0].n_queries == one[0].n_baskets_eval == 20
    assert one[0].slice_label == "" and not list(tmp_path.glob("pos-eval-*"))


def test_harness_without_customers_has_no_personal_row(tmp_path):
    dump = _planted_dump(tmp_path / "nocust", n_baskets=100, customers=False)
    res = run_eval(dump, mlxtend=False, engine=False, max_test=5, work_dir=tmp_path)
    assert [r.name for r in res.rows] == ["popularity", "cooc-sum", "max-confidence"]
    assert res.n_baskets_eval == 5 and not res.has_customers
    assert all(r.metrics["baskets"] == 5 and r.metrics["queries"] == res.n_queries
               for r in res.rows)
    assert res.n_val_baskets == 5      # --max-test caps the validation baskets too
    assert row_notes(res) == []
    res.rows[0].note = "a note"
    assert row_notes(res) == ["* popularity: a note"]


def test_engine_config_is_forwarded(tmp_path, monkeypatch):
    """``engine_config`` and each ablation config reach ``Engine.open``."""
    import sys
    import types

    opened = []

    class FakeEngine:
        @classmethod
        def open(cls, path, config=None):
            opened.append(config)
            return cls()

        def suggest(self, basket, k=5, customer=None, now=None):
            return [types.SimpleNamespace(sku="A")]

    fake = types.ModuleType("pos.engine")
    fake.Engine = FakeEngine
    monkeypatch.setitem(sys.modules, "pos.engine", fake)
    import pos
    monkeypatch.setattr(pos, "engine", fake, raising=False)
    dump = _planted_dump(tmp_path / "cfg", n_baskets=50)
    res = run_eval(dump, baselines=False, engine_config={"w": 1},
                   ablation={"no-recency": {"w": 2}}, work_dir=tmp_path)
    assert opened == [{"w": 1}, {"w": 2}]
    assert [r.name for r in res.rows] == ["engine", "engine[no-recency]"]
    assert all(r.kind == "engine" and r.metrics["queries"] == res.n_queries for r in res.rows)


def test_cli_on_a_dump_writes_markdown(tmp_path, capsys):
    from pos.cli import eval as eval_cli

    dump = _planted_dump(tmp_path / "clidump", n_baskets=80)
    parser = argparse.ArgumentParser(prog="pos")
    eval_cli.add_parser(parser.add_subparsers())
    md = tmp_path / "out.md"
    args = parser.parse_args(["eval", "--dump", str(dump), "--no-mlxtend", "--max-test", "10",
                              "--markdown", str(md)])
    assert eval_cli.run(args) == 0
    out = capsys.readouterr().out
    assert "pos eval: clidump, slice 1/2" in out and "slice 2/2" in out
    assert "best baseline on validation HitRate@3" in out and "validation (" in out
    text = md.read_text()
    assert "### clidump, slice 1/2" in text and "| popularity |" in text
    assert "--max-test 10" in text and "| dataset | slice |" in text
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--max-test", "0"])
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--window", "1.5"])
    with pytest.raises(SystemExit):
        parser.parse_args(["eval", "--protocol", "all"])
    # the earlier protocol, one hold-out of 20 %: one query per basket
    args = parser.parse_args(["eval", "--dump", str(dump), "--no-mlxtend", "--no-engine",
                              "--protocol", "one", "--slices", "1", "--window", "0.2"])
    assert eval_cli.run(args) == 0
    out = capsys.readouterr().out
    assert "pos eval: clidump\n" in out or "pos eval: clidump " in out
    assert "16 baskets, one item hidden: 16 queries" in out and "slice 1" not in out


@pytest.mark.slow
@pytest.mark.shared_data
def test_groceries_sample(tmp_path):
    from pos_tools.bench.datasets import SharedDataMissing, convert
    try:
        convert("groceries", tmp_path / "groceries")
    except SharedDataMissing as exc:
        pytest.skip(str(exc))
    res = run_eval(tmp_path / "groceries", "groceries", max_test=500, work_dir=tmp_path)
    rows = {r.name: r for r in res.rows}
    assert res.n_baskets_eval == 500 and res.n_queries > 1000
    assert rows["cooc-sum"].metrics["hit@3"] > rows["popularity"].metrics["hit@3"]


def test_mlxtend_default_support_follows_the_pair_work(train):
    from pos.evaluation.baselines import default_min_count, default_min_support
    # the train splits of the shared sets: groceries, retail-fimi, online-retail
    assert default_min_count(109_068) == 5
    assert default_min_count(5_594_010) == 10
    assert default_min_count(18_610_512) == 32
    assert default_min_support(train) == pytest.approx(5 / 9)   # 9 baskets, 9 pairs
