"""Evaluation-only prototypes of scorers the engine might grow (issue 15, item 3).

Python (numpy) sketches, measured with ``pos eval --prototypes`` under the
default protocol, to decide what to build in C next; nothing here is used by
the till. Three rows are added to each test window:

``knn``              basket-kNN (session-kNN style: session-rec's V-SKNN,
                     bol.com's Serenade). A postings index item -> train
                     baskets, newest first; for a query basket q, the ``m``
                     most recent train baskets sharing at least one item with
                     q are the candidates, the ``s`` most similar of them by
                     sim(b) = |q ∩ b| / sqrt(|q| · |b|) are the neighbours
                     (ties: the more recent first), and each item not in q
                     scores the sum of the similarities of the neighbours
                     holding it. Ties and short lists: popularity, then
                     catalog order.
``engine+knn``       (1 − λ) · engine score / its largest + λ · knn score /
                     its largest, over the engine's top 20 and knn's top 50;
                     ties by the engine's rank, then knn's; short lists filled
                     by popularity. λ is chosen from ``grid`` on the validation
                     slice (rows ``engine+knn[λ=...]`` there) and applied on
                     test; never tuned on test.
``engine+personal``  for an identified customer, the items they bought in at
                     least two train baskets (most baskets first; ties: the
                     more recently bought, then catalog order) that are not in
                     the query come first, then the engine's list; an
                     anonymous query (or a customer without repeats) gets the
                     engine's list unchanged.

Per call, knn reads at most ``m`` postings per query item and the lines of
``s`` baskets; in C its index would cost one 4-byte entry per train basket line
(the transpose of the basket -> item lists).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pos.evaluation.baselines import TrainData, basket_lines, favourites

__all__ = ["EnginePersonal", "EnginePlusKnn", "Knn", "KnnScorer", "PrototypeConfig",
           "Prototypes", "repeat_items"]

#: the engine's list and knn's list taken into the blend
ENGINE_DEPTH = 20
KNN_DEPTH = 50


def _np():
    import numpy as np
    return np


@dataclass(frozen=True)
class PrototypeConfig:
    m: int = 2500                       # recent baskets sharing an item with the query
    s: int = 500                        # the most similar of them that vote
    grid: tuple[float, ...] = (0.25, 0.5, 0.75)     # λ of engine+knn, chosen on validation


class KnnScorer:
    """Basket-kNN scores over ``TrainData`` (baskets in time order: a higher
    basket number is more recent)."""

    def __init__(self, data: TrainData, m: int = 2500, s: int = 500):
        np = _np()
        self.data = data
        self.m = int(m)
        self.s = int(s)
        self.sizes = np.diff(data.offsets).astype(np.float64)
        self._cache: dict[tuple, tuple] = {}

    def scores(self, known: list[int]):
        """The dense score per item (float64; query items 0)."""
        np = _np()
        d = self.data
        score = np.zeros(d.n_items, dtype=np.float64)
        if not known or d.n_baskets == 0:
            return score
        parts = []
        for a in known:
            lo, hi = int(d.item_offsets[a]), int(d.item_offsets[a + 1])
            parts.append(d.by_item[max(lo, hi - self.m):hi])   # its newest m baskets
        cand = np.concatenate(parts)
        if not len(cand):
            return score
        # the newest m of every item's newest m hold the newest m overall, and
        # their overlaps are complete (a basket among them is among each of its
        # shared items' newest m)
        overlap = np.bincount(cand, minlength=d.n_baskets)
        ids = np.flatnonzero(overlap)[-self.m:]
        ov = overlap[ids].astype(np.float64)
        sim = ov / np.sqrt(len(known) * self.sizes[ids])
        if len(ids) > self.s:
            order = np.lexsort((-ids, -sim))[:self.s]        # most similar, then newest
            ids, sim = ids[order], sim[order]
        gathered, lengths = basket_lines(d.offsets, d.items, ids)
        if len(gathered):
            score = np.bincount(gathered, weights=np.repeat(sim, lengths),
                                minlength=d.n_items)
        score[known] = 0.0
        return score

    def top(self, basket_items, depth: int = KNN_DEPTH) -> tuple[list[int], list[float]]:
        """(items, scores) of the best ``depth`` items with a score > 0, best
        first (ties: popularity, then catalog order); cached per query."""
        key = tuple(basket_items)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        np = _np()
        d = self.data
        score = self.scores(d.known(basket_items))
        cand = np.flatnonzero(score > 0)
        order = np.lexsort((cand, -d.count[cand], -score[cand]))[:depth]
        out = ([int(i) for i in cand[order]], [float(x) for x in score[cand[order]]])
        self._cache[key] = out
        return out


class Knn:
    name = "knn"

    def __init__(self, scorer: KnnScorer):
        self.scorer = scorer
        self.data = scorer.data

    def recommend(self, basket_items, k, customer=None, now=0):
        exclude = set(self.data.known(basket_items))
        ids, _ = self.scorer.top(basket_items)
        return self.data.fill(ids[:k], exclude, k)


class _EngineCache:
    """The engine's top ``ENGINE_DEPTH`` (sku, score) per query, asked once."""

    def __init__(self, engine):
        self.engine = engine            # an engine_row.EngineRecommender
        self._cache: dict[tuple, list] = {}

    def top(self, basket_items, customer, now) -> list[tuple[str, float]]:
        key = (tuple(basket_items), customer, now)
        hit = self._cache.get(key)
        if hit is None:
            hit = [(s.sku, float(s.score)) for s in
                   self.engine.engine.suggest(list(basket_items), k=ENGINE_DEPTH,
                                              customer=customer, now=now)]
            self._cache[key] = hit
        return hit

    def close(self):
        self.engine.close()


def _normalised(scores: list[float]) -> list[float]:
    """Scores / the largest; by reciprocal rank when the largest is not > 0."""
    top = max(scores, default=0.0)
    if top > 0:
        return [max(x, 0.0) / top for x in scores]
    return [1.0 / (r + 1) for r in range(len(scores))]


def blend(engine_list: list[tuple[str, float]], knn_list: list[tuple[str, float]],
          lam: float, exclude: set[str], k: int) -> list[str]:
    """The top ``k`` skus by (1 − lam) · engine / max + lam · knn / max (ties:
    engine rank, then knn rank), query skus excluded."""
    score: dict[str, float] = defaultdict(float)
    e_rank: dict[str, int] = {}
    k_rank: dict[str, int] = {}
    for r, ((sku, _), x) in enumerate(zip(engine_list,
                                          _normalised([s for _, s in engine_list]))):
        if sku not in e_rank:
            e_rank[sku] = r
            score[sku] += (1 - lam) * x
    for r, ((sku, _), x) in enumerate(zip(knn_list, _normalised([s for _, s in knn_list]))):
        if sku not in k_rank:
            k_rank[sku] = r
            score[sku] += lam * x
    big = 1 << 30
    ranked = sorted((s for s in score if s not in exclude),
                    key=lambda s: (-score[s], e_rank.get(s, big), k_rank.get(s, big)))
    return ranked[:k]


class EnginePlusKnn:
    def __init__(self, engine: _EngineCache, scorer: KnnScorer, lam: float,
                 name: str = "engine+knn"):
        self.engine = engine
        self.scorer = scorer
        self.data = scorer.data
        self.lam = lam
        self.name = name
        self.note = ""          # shown in the eval table (how lam was chosen)

    def recommend(self, basket_items, k, customer=None, now=0):
        d = self.data
        ids, scores = self.scorer.top(basket_items)
        knn_list = [(d.skus[i], x) for i, x in zip(ids, scores)]
        engine_list = self.engine.top(basket_items, customer, now)
        out = blend(engine_list, knn_list, self.lam, set(basket_items), k)
        if len(out) < k:                # popularity fill
            exclude = set(d.known(basket_items)) | {d.index[s] for s in out if s in d.index}
            out += d.fill([], exclude, k - len(out))
        return out


def repeat_items(data: TrainData, min_baskets: int = 2) -> dict[str, list[int]]:
    """customer -> the items in at least ``min_baskets`` of their train baskets,
    most baskets first (ties: the more recently bought, then catalog order)."""
    return favourites(data, min_baskets)


class EnginePersonal:
    """The customer's repeat items not in the query, then the engine's list."""

    name = "engine+personal"

    def __init__(self, engine, data: TrainData, min_baskets: int = 2):
        self.engine = engine            # anything with recommend(...) (the engine row's)
        self.data = data
        self.repeats = repeat_items(data, min_baskets)

    def recommend(self, basket_items, k, customer=None, now=0):
        d = self.data
        exclude = set(basket_items)
        mine = [d.skus[i] for i in self.repeats.get(customer or "", ())
                if d.skus[i] not in exclude][:k]
        if not mine:
            return list(self.engine.recommend(basket_items, k, customer, now))
        rest = self.engine.recommend(basket_items, k + len(mine), customer, now)
        taken = set(mine)
        return (mine + [s for s in rest if s not in taken])[:k]

    def close(self):
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()


class Prototypes:
    """The prototype rows of one window, sharing a knn scorer and an engine
    cache per train store (``Context.store``)."""

    def __init__(self, config: PrototypeConfig | None = None):
        self.config = config or PrototypeConfig()
        self.lam: float | None = None   # chosen on validation
        self.lam_note = ""
        self._key = None
        self._scorer: KnnScorer | None = None
        self._engine: _EngineCache | None = None

    def _shared(self, ctx):
        from pos.evaluation.engine_row import EngineRecommender

        if self._key != ctx.store:
            if self._engine is not None:
                self._engine.close()
            self._key = ctx.store
            self._scorer = KnnScorer(ctx.data, self.config.m, self.config.s)
            self._engine = None
        if self._engine is None:
            self._engine = _EngineCache(EngineRecommender(ctx.store))
        return self._scorer, self._engine

    def _scorer_only(self, ctx) -> KnnScorer:
        if self._key != ctx.store:
            if self._engine is not None:
                self._engine.close()
            self._key, self._engine = ctx.store, None
            self._scorer = KnnScorer(ctx.data, self.config.m, self.config.s)
        assert self._scorer is not None     # made above for this store, or before
        return self._scorer

    @staticmethod
    def tuning_name(lam: float) -> str:
        return f"engine+knn[λ={lam:g}]"

    def validation_factories(self):
        """(name, factory) of the blend at each λ of the grid (validation only)."""
        out = []
        for lam in self.config.grid:
            def factory(ctx, lam=lam):
                scorer, engine = self._shared(ctx)
                return EnginePlusKnn(engine, scorer, lam, self.tuning_name(lam))
            out.append((self.tuning_name(lam), factory))
        return out

    def choose(self, val_rows) -> None:
        """λ with the best validation HitRate@3 (ties: the first of the grid)."""
        best = None
        for lam in self.config.grid:
            row = next((r for r in val_rows if r.name == self.tuning_name(lam)), None)
            if row is not None and row.metrics and (
                    best is None or row.metrics["hit@3"] > best[1]):
                best = (lam, row.metrics["hit@3"])
        if best is None:
            self.lam = 0.5
            self.lam_note = "λ=0.5 (no validation slice to choose it on)"
        else:
            self.lam = best[0]
            self.lam_note = f"λ={best[0]:g} chosen on validation (HitRate@3 {best[1]:.4f})"

    def test_factories(self, has_customers: bool):
        """(name, factory) of the test rows: knn, engine+knn, engine+personal."""
        from pos.evaluation.engine_row import EngineRecommender

        def knn(ctx):
            return Knn(self._scorer_only(ctx))

        def engine_knn(ctx):
            scorer, engine = self._shared(ctx)
            rec = EnginePlusKnn(engine, scorer, 0.5 if self.lam is None else self.lam)
            rec.note = self.lam_note
            return rec

        def engine_personal(ctx):
            return EnginePersonal(EngineRecommender(ctx.store), ctx.data)

        out = [("knn", knn), ("engine+knn", engine_knn)]
        if has_customers:
            out.append(("engine+personal", engine_personal))
        return out

    def close(self):
        if self._engine is not None:
            self._engine.close()
        self._key = self._scorer = self._engine = None
