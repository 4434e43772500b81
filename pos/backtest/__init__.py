"""The nightly backtest of ``pos load`` (issue 15, item 4): hold out the store's
latest baskets, ask the engine's variants and the simple rules about them with
``pos eval``'s every-item protocol, and choose the variant the store will use.

Modules: ``windows`` (the time order, the slices), ``queries`` (every item of a
test basket hidden in turn), ``rules`` (the simple rules over the mined train
lists), ``choose`` (HitRate@3 per basket, the paired interval, ``Choice``).
``run_backtest`` puts them together; the caller's ``build`` mines a slice's
train baskets and returns the scorers. Plain Python: no numpy, no SQL.
"""
from __future__ import annotations

import math
import time
from typing import Any, Callable, Sequence

from .choose import (
    TIE,
    Choice,
    Evaluation,
    Figures,
    SliceFigures,
    choose,
    evaluate,
    evaluate_all,
    paired_interval,
    summary_line,
)
from .queries import MAX_HIDDEN, BasketArrays, Query, make_queries
from .rules import (
    Scorer,
    TrainCounts,
    cooc_sum,
    customer_baskets,
    favourites,
    max_confidence,
    personal,
    popularity,
    simple_rules,
)
from .windows import MIN_BASKETS, MIN_TEST, Slice, cutoff_slices, make_slices, time_order

__all__ = [
    "backtest_variant", "stored_choice", "MAX_HIDDEN", "MIN_BASKETS", "MIN_TEST", "TIE", "Build",
    "BasketArrays", "Choice", "Evaluation", "Figures",
    "Query", "Scorer", "Slice", "SliceFigures", "TrainCounts", "choose", "cooc_sum",
    "customer_baskets", "cutoff_slices", "evaluate", "evaluate_all", "favourites",
    "make_queries", "make_slices",
    "max_confidence", "paired_interval", "personal", "popularity", "run_backtest",
    "simple_rules", "summary_line", "time_order",
]

#: build(train_ids) -> (variants, rules, order): the scorers trained on the train
#: basket ids (time order) -- the engine's variants, the simple rules (e.g.
#: ``simple_rules(counts, lists.of)``), and the variants' names, simplest first.
Build = Callable[[list[int]], tuple[dict[str, Scorer], dict[str, Scorer], Sequence[str]]]
#: refine(best variant's name) -> more scorers to evaluate (built on it), or {}
Refine = Callable[[str | None], dict[str, Scorer]]
#: compare(chosen variant's name) -> (the name of the lists' source in force, the
#: chosen variant's scorer on each other source's lists): the source variants
Compare = Callable[[str], tuple[str, dict[str, Scorer]]]


def run_backtest(baskets: BasketArrays, build: Build, *, n_slices: int = 2, window: float = 0.1,
                 sample: int = 500, seed: int = 1, k: int = 3,
                 prices: Sequence[float] | None = None, method: str = "t", tie: float = TIE,
                 min_baskets: int = MIN_BASKETS, min_test: int = MIN_TEST,
                 refine: Refine | None = None, order: Sequence[int] | None = None,
                 progress: Callable[[str], object] | None = None, cutoff: int | None = None,
                 compare: Compare | None = None) -> Choice:
    """Backtest on ``baskets`` (the basket parser's ``Baskets``, or any object with
    ``n_baskets``, ``offsets``, ``items`` (distinct items per basket), ``times``
    and ``customers`` (-1 = none; ``None`` without customer data)).

    ``order`` is the baskets' ``time_order`` when the caller has it already.
    Slices (``make_slices``: ``n_slices`` windows of ``window`` of the baskets,
    at most ``sample`` test baskets each, ``seed``) and their queries. The
    scorers are trained once, by ``build(train_ids)`` on every basket before the
    oldest window (one mining, not one per slice: the nightly load's budget),
    and every scorer is asked every query of every slice (top ``k``; revenue@k
    too with ``prices`` per item). Where the queries have customers and the
    rules have ``max-confidence`` but no ``personal``, the personal rule is
    added (the favourites of the queries' customers in the train baskets, then
    max-confidence). The per-basket lists go to ``choose``; then, with
    ``refine``, ``refine(best)`` gives more scorers built on the variant with
    the best lower bound (the personal re-rank of it), which are evaluated and
    the choice made again among all.

    ``cutoff`` (head office's holdout lists, UTC seconds): the slices are
    ``cutoff_slices``' (trained on the baskets before it, tested after it)
    instead of make_slices'. ``compare(chosen)`` gives the source variants: the
    chosen variant on each other source of lists (own baskets, head office's,
    the blend), evaluated on the same queries; their figures (``sources``) are
    each one's paired interval against the source in force (``source``).

    Returns the Choice, or
    ``Choice.skip(reason)`` when there is no slice; a partial reason (fewer
    slices) goes to ``notes``. ``seconds`` holds each phase's time. ``build``'s
    exceptions propagate; a query on which a scorer raises is a miss, noted.
    """
    clock = time.perf_counter
    start = clock()
    seconds: dict[str, float] = {}
    params: dict[str, object] = {"slices": n_slices, "window": window, "sample": sample, "seed": seed, "k": k}
    if cutoff is not None:
        params["cutoff"] = cutoff

    def phase(name: str, t0: float) -> float:
        t1 = clock()
        seconds[name] = seconds.get(name, 0.0) + (t1 - t0)
        return t1

    def tell(what: str) -> None:
        if progress is not None:
            progress(what)

    n = baskets.n_baskets
    offsets, items, times = baskets.offsets, baskets.items, baskets.times
    customers = getattr(baskets, "customers", None)
    tell("backtest: time order")
    t = clock()
    if order is None:
        order = time_order(times, n)
    t = phase("order", t)
    if cutoff is None:
        slices, reason = make_slices(order, n_slices, window, sample, seed, offsets=offsets,
                                     min_baskets=min_baskets, min_test=min_test)
    else:
        slices, reason = cutoff_slices(order, times, cutoff, n_slices, sample, seed,
                                       offsets=offsets, min_baskets=min_baskets,
                                       min_test=min_test)
    t = phase("slices", t)
    if not slices:
        seconds["total"] = clock() - start
        return Choice.skip(reason, seconds, params=params)
    notes = [reason] if reason else []

    tell("backtest: queries")
    queries = [q for s in slices for q in make_queries(s.test, offsets, items, times, customers,
                                                       seed)]
    t = phase("queries", t)
    oldest = min(slices, key=lambda s: s.train_end)
    tell("backtest: training")
    variants, rules, names_order = build(oldest.train_ids(order))
    t = phase("build", t)
    rules = dict(rules)
    wanted = {q.customer for q in queries if q.customer >= 0}
    if wanted and customers is not None and "max-confidence" in rules and "personal" not in rules:
        baskets_of = customer_baskets(customers, n, wanted)
        cut = (times[order[oldest.train_end]], order[oldest.train_end])
        rules["personal"] = personal(favourites(baskets_of, offsets, items, times, cut),
                                     rules["max-confidence"], k)
        t = phase("history", t)
    slice_figures = []
    for s in slices:
        test = set(s.test)
        slice_figures.append(SliceFigures(s.number, oldest.train_end, len(s.test),
                                          sum(1 for q in queries if q.basket in test)))

    hit: dict[str, list[float]] = {}
    rev: dict[str, list[float]] | None = {} if prices is not None else None

    def ask(scorers: dict[str, Scorer]) -> None:
        for name, scorer in scorers.items():
            tell(f"backtest: {name}, {len(queries):,} queries")
            ev = evaluate_all(scorer, queries, k, prices)
            hit[name] = ev.hit
            if rev is not None and ev.revenue is not None:     # with prices: always
                rev[name] = ev.revenue
            if ev.errors:
                notes.append(f"{name} failed on {ev.errors:,} of {ev.queries:,} queries "
                             f"(the first: {ev.first_error})")

    ask({**variants, **rules})
    t = phase("evaluate", t)
    tell("backtest: choosing")
    if not variants or not rules:
        seconds["total"] = clock() - start
        missing = "engine variant" if not variants else "simple rule"
        return Choice.skip(f"backtest skipped: no {missing} to evaluate", seconds,
                           slices=slice_figures, notes=notes, params=params)

    def decide() -> Choice:
        return choose({name: hit[name] for name in names_order if name in hit},
                      {name: hit[name] for name in rules}, names_order, seed, method=method,
                      tie=tie, revenue=rev, slices=slice_figures)

    choice = decide()
    t = phase("choose", t)
    more = refine(choice.chosen) if refine is not None else {}
    if more:
        ask(more)
        names_order = [*names_order, *more]
        t = phase("evaluate", t)
        choice = decide()
        t = phase("choose", t)
    if compare is not None and choice.chosen is not None:
        in_force, others = compare(choice.chosen)
        tell("backtest: the lists' sources")
        chosen_hit = hit[choice.chosen]
        ask({name: scorer for name, scorer in others.items()})
        hit[in_force] = chosen_hit
        if rev is not None and choice.chosen in rev:
            rev[in_force] = rev[choice.chosen]
        choice.source = in_force
        for name in sorted((in_force, *others), key=source_rank):
            values = hit[name]
            d = (0.0, 0.0, 0.0) if name == in_force else paired_interval(
                [a - b for a, b in zip(values, chosen_hit)], method, seed=seed)
            choice.sources[name] = Figures(
                name, math.fsum(values) / len(values) if values else 0.0, *d,
                revenue3=(math.fsum(rev[name]) / len(rev[name])
                          if rev is not None and rev.get(name) else None))
        phase("sources", t)
    choice.notes = notes
    choice.params = params
    seconds["total"] = clock() - start
    choice.seconds = seconds
    return choice


SOURCES = ("lists:own", "lists:head-office", "lists:blend")
"""The source variants' names: the lists mined from the store's own baskets, head
office's (the holdout part's), and the blend of the two (docs/mining.md)."""


def source_rank(name: str) -> tuple[int, str]:
    return (SOURCES.index(name) if name in SOURCES else len(SOURCES), name)


def stored_choice(meta: dict[str, Any]) -> Choice | None:
    """The choice a store keeps in its meta (key ``backtest``), or None (a store
    loaded without a backtest, or one whose choice cannot be read)."""
    value = meta.get("backtest")
    if value is None:
        return None
    try:
        return Choice.from_json(value) if isinstance(value, str) else Choice.from_dict(value)
    except (ValueError, KeyError, TypeError):
        return None


def backtest_variant(meta: dict[str, Any]) -> str | None:
    """The scorer variant the store's backtest chose, or None."""
    choice = stored_choice(meta)
    return choice.chosen if choice is not None and not choice.skipped else None
