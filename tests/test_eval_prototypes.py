"""The `pos eval --prototypes` rows (pos_tools/research/prototypes.py) on tiny,
hand-checked data."""
from __future__ import annotations

import math

import pytest

from pos.evaluation.baselines import TrainData
from pos_tools.research.prototypes import EnginePersonal, Knn, KnnScorer, Prototypes, blend, repeat_items

# baskets in time order (b0 oldest):
# b0: A B   b1: A C   b2: A B D   b3: C D   b4: E (customer K)   b5: A E (K)
CATALOG = ["A", "B", "C", "D", "E"]


@pytest.fixture()
def data():
    baskets = [(["A", "B"], None, 1), (["A", "C"], None, 2), (["A", "B", "D"], None, 3),
               (["C", "D"], None, 4), (["E"], "K", 5), (["A", "E"], "K", 6)]
    return TrainData(baskets, CATALOG)


def test_knn_scores_by_hand(data):
    # query {A}: baskets holding A: b0, b1, b2, b5; sim = 1 / sqrt(1 * |b|)
    s = KnnScorer(data, m=10, s=10).scores([0])
    r2, r3 = 1 / math.sqrt(2), 1 / math.sqrt(3)
    assert s[0] == 0                                   # the query item itself
    assert s[1] == pytest.approx(r2 + r3)              # B: b0, b2
    assert s[2] == pytest.approx(r2)                   # C: b1
    assert s[3] == pytest.approx(r3)                   # D: b2
    assert s[4] == pytest.approx(r2)                   # E: b5
    # query {A, C}: b1 overlaps 2 -> 2/sqrt(2*2) = 1; b0 1/2; b2 1/sqrt(6); b3 1/2; b5 1/2
    s = KnnScorer(data, m=10, s=10).scores([0, 2])
    assert s[1] == pytest.approx(0.5 + 1 / math.sqrt(6))
    assert s[3] == pytest.approx(1 / math.sqrt(6) + 0.5)
    assert s[4] == pytest.approx(0.5)


def test_knn_recent_and_neighbour_caps(data):
    # m=2: only the 2 newest baskets sharing an item with {A}: b2 and b5
    s = KnnScorer(data, m=2, s=10).scores([0])
    assert s[2] == 0 and s[1] == pytest.approx(1 / math.sqrt(3))
    assert s[4] == pytest.approx(1 / math.sqrt(2))
    # s=1: the most similar of b0, b1, b2, b5 (b0, b1, b5 tie at 1/sqrt 2): the newest, b5
    s = KnnScorer(data, m=10, s=1).scores([0])
    assert s.tolist() == pytest.approx([0, 0, 0, 0, 1 / math.sqrt(2)])


def test_knn_recommend_ties_and_fill(data):
    rec = Knn(KnnScorer(data, m=10, s=10))
    # B first; C and E tie at 1/sqrt 2 -> the more popular (A 4, C 2, E 2, ...: catalog order)
    assert rec.recommend(["A"], 4, None, 0) == ["B", "C", "E", "D"]
    # E alone: b4 (sim 1) and b5 (1/sqrt 2) -> A; then popularity fill B, C ...
    assert rec.recommend(["E"], 3, None, 0) == ["A", "B", "C"]
    # nothing known: popularity
    assert rec.recommend(["zzz"], 2, None, 0) == ["A", "B"]


def test_blend_of_normalised_scores():
    engine = [("X", 4.0), ("Y", 2.0)]
    knn = [("Y", 3.0), ("Z", 1.5)]
    # λ 0.5: X 0.5, Y 0.25 + 0.5 = 0.75, Z 0.25
    assert blend(engine, knn, 0.5, set(), 3) == ["Y", "X", "Z"]
    # λ 0.25: X 0.75, Y 0.375 + 0.25 = 0.625, Z 0.125
    assert blend(engine, knn, 0.25, set(), 3) == ["X", "Y", "Z"]
    assert blend(engine, knn, 0.5, {"Y"}, 3) == ["X", "Z"]


class _FixedEngine:
    def __init__(self, ranked):
        self.ranked = ranked
        self.asked = []

    def recommend(self, basket_items, k, customer=None, now=0):
        self.asked.append(k)
        return [s for s in self.ranked if s not in basket_items][:k]


def test_personal_rerank(data):
    assert {c: [data.skus[i] for i in v] for c, v in repeat_items(data).items()} == {"K": ["E"]}
    engine = _FixedEngine(["B", "E", "C", "D"])
    rec = EnginePersonal(engine, data)
    # K's repeat item E first, then the engine's list without it
    assert rec.recommend(["A"], 3, "K", 0) == ["E", "B", "C"]
    # E already in the basket: the engine's list unchanged
    assert rec.recommend(["E"], 3, "K", 0) == ["B", "C", "D"]
    # anonymous and unknown customers: exactly the engine
    assert rec.recommend(["A"], 3, None, 0) == ["B", "E", "C"]
    assert rec.recommend(["A"], 3, "nobody", 0) == ["B", "E", "C"]


def test_harness_adds_the_prototype_rows(tmp_path):
    from test_eval import _planted_dump

    from pos.evaluation.run import markdown, run_eval

    dump = _planted_dump(tmp_path / "planted", n_baskets=120)
    res = run_eval(dump, mlxtend=False, prototypes=Prototypes, work_dir=tmp_path)
    rows = {r.name: r for r in res.rows}
    if rows["engine"].metrics is None:
        pytest.skip(rows["engine"].note)
    assert [r.name for r in res.rows][-3:] == ["knn", "engine+knn", "engine+personal"]
    assert all(rows[n].kind == "prototype" and rows[n].metrics["queries"] == res.n_queries
               for n in ("knn", "engine+knn", "engine+personal"))
    # λ chosen on the validation slice, among the grid's rows there
    tuning = [r for r in res.validation if r.kind == "tuning"]
    assert [r.name for r in tuning] == ["engine+knn[λ=0.25]", "engine+knn[λ=0.5]",
                                        "engine+knn[λ=0.75]"]
    assert "chosen on validation" in rows["engine+knn"].note
    assert res.chosen in ("popularity", "cooc-sum", "max-confidence", "personal")
    compared = [c.engine for c in res.comparisons]
    assert compared == ["engine", "knn", "engine+knn", "engine+personal"]
    # the planted pairs: knn finds the partner every time
    assert rows["knn"].metrics["hit@1"] > 0.5
    assert "| planted knn |" in markdown([res], "pos eval --prototypes")


def test_cli_flag():
    import argparse

    from pos.cli import eval as eval_cli

    parser = argparse.ArgumentParser(prog="pos")
    eval_cli.add_parser(parser.add_subparsers())
    args = parser.parse_args(["eval", "--prototypes", "--knn-recent", "100"])
    assert args.prototypes and args.knn_recent == 100 and args.knn_neighbours == 500
    assert "--prototypes --knn-recent 100" in eval_cli._args_text(args)
    assert not parser.parse_args(["eval"]).prototypes
