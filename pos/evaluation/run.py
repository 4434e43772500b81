"""The evaluation harness: split a dump by time, build the train store with
``pos load``'s own code, ask every recommender the same hidden-item queries,
choose the best baseline on a validation slice, compare the engine with it
basket by basket on test, and tabulate (protocol: docs/evaluation.md).

``run_eval`` evaluates one hold-out (the last ``test_fraction`` of the
baskets); ``run_slices`` evaluates rolling slices (test windows of ``window``
of the baskets, the latest first, each trained on everything before it).
"""
from __future__ import annotations

import dataclasses
import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Protocol

from .. import variants
from ..backtest.queries import MAX_HIDDEN  # the every-item protocol's cap, shared
from ..engine_config import EngineConfig
from .baselines import (
    CooccurrenceSum,
    MaxConfidence,
    MlxtendRules,
    MlxtendUnavailable,
    Personal,
    Popularity,
    Recommender,
    TrainData,
)
from .engine_row import EngineRecommender, EngineUnavailable
from .metrics import Metrics
from .split import DumpBaskets, Split, hold_out, read_dump, window_split
from .stats import Comparison, compare

__all__ = [
    "COLUMNS", "Context", "EngineRecommender", "EngineUnavailable", "EvalResult", "Query",
    "RowResult", "ablation_configs", "choose_baseline", "evaluate",
    "make_queries", "markdown", "rich_table", "row_notes", "run_eval", "run_slices",
    "summary_markdown", "validation_line", "verdict",
]

K = 5                       # suggestions asked of every recommender
QUALITY_BAR = 0.05          # the engine's HitRate@3 must beat the best baseline by this much
VALIDATION_FRACTION = 0.2   # the validation slice: the last 20 % of the train baskets
PROTOCOLS = ("every", "one")
#: the row kinds compared with the best baseline (the bar): the engine rows and
#: the --prototypes rows (pos_tools/research/prototypes.py)
COMPARED = ("engine", "prototype")


@dataclass(frozen=True)
class Query:
    basket_id: str
    items: tuple[str, ...]  # the basket without the hidden item, in line order
    hidden: str
    customer: str | None
    now: int


@dataclass
class RowResult:
    name: str
    kind: str               # "baseline" | "engine" | "prototype" | "tuning" | "other"
    metrics: dict | None = None
    note: str = ""
    train_seconds: float = 0.0
    query_seconds: float = 0.0
    #: metric -> its value per test basket (hit@3, revenue@3), for paired comparisons
    per_basket: dict = field(default_factory=dict, repr=False)


@dataclass
class EvalResult:
    dataset: str
    n_baskets: int
    n_train: int
    n_test: int
    n_queries: int
    skipped_single: int     # test baskets with fewer than 2 distinct items
    catalog_size: int
    currency: str
    has_customers: bool
    seed: int
    max_test: int | None
    rows: list[RowResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    protocol: str = "every"
    n_baskets_eval: int = 0         # test baskets with queries
    slice_label: str = ""
    #: the validation slice: its train and validation baskets, baskets with queries, rows
    n_val_train: int = 0
    n_val: int = 0
    n_val_baskets: int = 0
    validation: list[RowResult] = field(default_factory=list)
    chosen: str | None = None       # the best baseline (validation HitRate@3)
    chosen_on: str = "validation"   # or "test" when there is no validation slice
    comparisons: list[Comparison] = field(default_factory=list)


@dataclass
class Context:
    """What a recommender factory may use: the split, the train counts, the
    train store, the queries (a test stub may cheat with them)."""

    split: Split
    data: TrainData
    store: Path
    queries: list[Query]


def ablation_configs() -> dict[str, EngineConfig]:
    """For `pos eval --ablation` (docs/evaluation.md), what each part earns: every
    variant of the family forced (pos.variants), then the default formula with
    one part switched off each."""
    base = EngineConfig()
    forced = {f"variant {name}": variants.config_for(name)
              for name in [*variants.names(), "pairwise+personal", "blend-0.5+personal"]}
    return {
        **forced,
        "no shrinkage (K=0)": replace(base, shrinkage=0.0),
        "no popularity damping (beta=0)": replace(base, pop_damping=0.0),
        "stronger damping (beta=0.6)": replace(base, pop_damping=0.6),
        "no personal history (lambda=0)": replace(base, personal_weight=0.0),
        "no category affinity (delta=0)": replace(base, category_affinity=0.0),
        "no margin weight (mu=0)": replace(base, margin_weight=0.0),
        "no diversity caps": replace(base, max_per_family=100, max_per_category=100),
    }


# --------------------------------------------------------------------------
# queries and evaluation


def make_queries(test: list, has_customers: bool, seed: int = 1,
                 max_test: int | None = None,
                 protocol: str = "every") -> tuple[list[Query], int]:
    """(queries, test baskets skipped for having fewer than 2 distinct items).

    Test baskets are taken in time order; with ``max_test`` a seeded sample of
    at most that many of the eligible baskets (kept in time order). Protocol
    ``every``: each of the basket's distinct items is hidden in turn (at most
    ``MAX_HIDDEN``, a seeded sample kept in line order when there are more),
    one query per hidden item. Protocol ``one``: one item per basket, chosen by
    the same seeded generator (the earlier protocol).
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r} (one of {', '.join(PROTOCOLS)})")
    rng = random.Random(seed)
    eligible = [b for b in test if len(b.items) >= 2]
    skipped = len(test) - len(eligible)
    if max_test is not None and len(eligible) > max_test:
        keep = sorted(rng.sample(range(len(eligible)), max_test))
        eligible = [eligible[i] for i in keep]
    queries = []
    for b in eligible:
        n = len(b.items)
        if protocol == "one":
            hide = [rng.randrange(n)]
        elif n > MAX_HIDDEN:
            hide = sorted(rng.sample(range(n), MAX_HIDDEN))
        else:
            hide = list(range(n))
        customer = (b.customer or None) if has_customers else None
        for h in hide:
            rest = tuple(s for i, s in enumerate(b.items) if i != h)
            queries.append(Query(b.id, rest, b.items[h], customer, b.time))
    return queries, skipped


def evaluate(recommender: Recommender, queries: Iterable[Query], prices: dict[str, float],
             catalog_size: int, k: int = K) -> Metrics:
    """Ask ``recommender`` every query; a query that raises counts as an empty list."""
    m = Metrics()
    clock = time.perf_counter_ns
    for q in queries:
        t0 = clock()
        try:
            ranked = list(recommender.recommend(list(q.items), k, q.customer, q.now))
        except Exception as exc:  # noqa: BLE001 - one bad query must not end the run
            ranked = []
            m.error(f"{type(exc).__name__}: {exc}")
        micros = (clock() - t0) / 1000
        m.add(ranked, q.hidden, prices.get(q.hidden, 0.0), micros, q.basket_id)
    return m


Factory = Callable[[Context], Recommender]


class PrototypeRows(Protocol):
    """Evaluation-only rows of one window (`pos eval --prototypes`, given by
    pos_tools.research): tuning rows on the validation slice, a choice made from
    the validation rows, then the rows to test; closed after the window."""

    def validation_factories(self) -> list[tuple[str, Factory]]: ...
    def choose(self, validation_rows: list[RowResult]) -> None: ...
    def test_factories(self, has_customers: bool) -> list[tuple[str, Factory]]: ...
    def close(self) -> None: ...


def _baseline_factories(has_customers: bool, use_mlxtend: bool,
                        min_support: float | None) -> list[tuple[str, Factory]]:
    out: list[tuple[str, Factory]] = [
        ("popularity", lambda c: Popularity(c.data)),
        ("cooc-sum", lambda c: CooccurrenceSum(c.data)),
        ("max-confidence", lambda c: MaxConfidence(c.data)),
    ]
    if has_customers:
        out.append(("personal", lambda c: Personal(c.data)))
    if use_mlxtend:
        out.append(("mlxtend-rules", lambda c: MlxtendRules(c.data, min_support=min_support)))
    return out


def choose_baseline(rows: list[RowResult]) -> RowResult | None:
    """The baseline row with the highest HitRate@3 (ties: the first listed)."""
    best, best_hit = None, 0.0
    for r in rows:
        if r.kind == "baseline" and r.metrics and (best is None or r.metrics["hit@3"] > best_hit):
            best, best_hit = r, r.metrics["hit@3"]
    return best


def _evaluate_rows(factories, ctx: Context, split: Split, queries: list[Query], name: str,
                   log: Callable[[str], None]) -> list[RowResult]:
    rows = []
    for row_name, kind, factory in factories:
        row = RowResult(row_name, kind)
        t = time.perf_counter()
        try:
            rec = factory(ctx)
        except MlxtendUnavailable:
            row.note = "mlxtend not installed"
        except EngineUnavailable as exc:
            row.note = str(exc)
        except Exception as exc:  # noqa: BLE001 - the other rows still run
            row.note = f"failed to start: {type(exc).__name__}: {exc}"
        else:
            row.train_seconds = time.perf_counter() - t
            if isinstance(rec, MlxtendRules):
                row.note = (f"min_support {rec.min_support:.2g}, "
                            f"{rec.n_rules:,} rules")
            elif getattr(rec, "note", ""):
                row.note = rec.note
            t = time.perf_counter()
            m = evaluate(rec, queries, split.prices, split.catalog_size)
            row.query_seconds = time.perf_counter() - t
            row.metrics = m.summary(split.catalog_size)
            row.per_basket = {key: m.per_basket(key) for key in ("hit@3", "revenue@3")}
            if m.errors:
                row.note = (row.note + "; " if row.note else "") + (
                    f"{m.errors:,} queries raised (first: {m.first_error})")
            close = getattr(rec, "close", None)
            if close is not None:
                close()
            del rec
        log(f"{name}: {row_name}: "
            + (row.note if row.metrics is None else
               f"hit@3 {row.metrics['hit@3']:.4f} (train {row.train_seconds:.1f}s, "
               f"queries {row.query_seconds:.1f}s)"))
        rows.append(row)
    return rows


def _prepare(data: DumpBaskets, directory: Path, n_train: int, n_test: int, options,
             seconds: dict, prefix: str = ""):
    """(split, store path, train counts) of one window."""
    from ..load import load_dump

    t = time.perf_counter()
    split = window_split(data, directory / "train", n_train, n_test)
    seconds[prefix + "split"] = time.perf_counter() - t
    t = time.perf_counter()
    store = directory / "train.db"
    load_dump(split.train_dir, store,
              dataclasses.replace(options, rejects=directory / "rejects.csv"))
    seconds[prefix + "load"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = TrainData(split.train, split.prices)
    seconds[prefix + "counts"] = time.perf_counter() - t
    return split, store, counts


def _run_window(data: DumpBaskets, name: str, n_train: int, n_test: int, tmp: Path, *,
                seed: int, max_test: int | None, protocol: str, validation: bool,
                mlxtend: bool, engine: bool, engine_config, ablation: dict | None,
                extra, baselines: bool, min_support: float | None, load_options,
                log: Callable[[str], None], slice_label: str = "",
                resamples: int = 2000,
                prototypes: Callable[[], PrototypeRows] | None = None) -> EvalResult:
    from ..load import LoadOptions

    options = load_options or LoadOptions()
    seconds: dict[str, float] = {"read": data.read_seconds}
    where = f"{name}{' ' + slice_label if slice_label else ''}"
    base_factories = ([(n, "baseline", f) for n, f in
                       _baseline_factories(data.has_customers, mlxtend, min_support)]
                      if baselines else [])
    engine_factory = ("engine", "engine", lambda c: EngineRecommender(c.store, engine_config))
    proto = prototypes() if prototypes is not None else None
    try:
        return _run_window_rows(data, name, n_train, n_test, tmp, seed=seed, max_test=max_test,
                                protocol=protocol, validation=validation, engine=engine,
                                engine_config=engine_config, ablation=ablation, extra=extra,
                                options=options, seconds=seconds, where=where,
                                base_factories=base_factories,
                                engine_factory=engine_factory, proto=proto, log=log,
                                slice_label=slice_label, resamples=resamples)
    finally:
        if proto is not None:
            proto.close()


def _ablation(c: Context, config: EngineConfig, label: str) -> EngineRecommender:
    """The engine with an ablated config (one of ablation_configs)."""
    return EngineRecommender(c.store, config, f"engine[{label}]")


def _run_window_rows(data, name, n_train, n_test, tmp, *, seed, max_test, protocol,
                     validation, engine, engine_config, ablation, extra, options, seconds,
                     where, base_factories, engine_factory, proto, log, slice_label,
                     resamples) -> EvalResult:

    # validation: the last 20 % of the train baskets, trained on the rest
    n_val = hold_out(n_train, VALIDATION_FRACTION) if validation and n_train >= 2 else 0
    val_rows: list[RowResult] = []
    n_val_baskets = 0
    if n_val and base_factories:
        vsplit, vstore, vcounts = _prepare(data, tmp / "val", n_train - n_val, n_val, options,
                                           seconds, "validation ")
        vqueries, _ = make_queries(vsplit.test, vsplit.has_customers, seed, max_test,
                                   protocol)
        n_val_baskets = len({q.basket_id for q in vqueries})
        log(f"{where}: validation {len(vsplit.train):,} train / {n_val:,} baskets, "
            f"{len(vqueries):,} queries")
        vctx = Context(vsplit, vcounts, vstore, vqueries)
        tuning = ([(n, "tuning", f) for n, f in proto.validation_factories()]
                  if proto is not None and engine else [])
        val_rows = _evaluate_rows(base_factories + ([engine_factory] if engine else [])
                                  + tuning, vctx, vsplit, vqueries, where + " validation", log)
        if proto is not None:
            proto.close()
        del vcounts, vctx
        shutil.rmtree(tmp / "val", ignore_errors=True)

    split, store, counts = _prepare(data, tmp / "test", n_train, n_test, options, seconds)
    log(f"{where}: {len(split.train):,} train / {len(split.test):,} test baskets")
    queries, skipped = make_queries(split.test, split.has_customers, seed, max_test, protocol)
    result = EvalResult(name, len(data.ordered), len(split.train), len(split.test),
                        len(queries), skipped, split.catalog_size, split.currency,
                        split.has_customers, seed, max_test, seconds=seconds,
                        protocol=protocol, n_baskets_eval=len({q.basket_id for q in queries}),
                        slice_label=slice_label, n_val_train=n_train - n_val, n_val=n_val,
                        n_val_baskets=n_val_baskets, validation=val_rows)
    if split.unknown_sku_lines:
        result.notes.append(f"{split.unknown_sku_lines:,} basket lines name a sku not in "
                            "the catalog (left out of training; misses when hidden)")
    if split.dropped_lines:
        result.notes.append(f"{split.dropped_lines:,} unreadable basket lines dropped")
    ctx = Context(split, counts, store, queries)

    factories: list[tuple[str, str, Factory]] = list(base_factories)
    if engine:
        factories.append(engine_factory)
        for label, config in (ablation or {}).items():
            factories.append((f"engine[{label}]", "engine",
                              partial(_ablation, config=config, label=label)))
    if proto is not None:
        if engine:
            proto.choose(val_rows)
        factories += [(n, "prototype", f) for n, f in proto.test_factories(split.has_customers)
                      if engine or n == "knn"]
    factories += [(n, "other", f) for n, f in extra]
    result.rows = _evaluate_rows(factories, ctx, split, queries, where, log)

    chosen = choose_baseline(val_rows)
    if chosen is None:
        chosen = choose_baseline(result.rows)
        result.chosen_on = "test"
    if chosen is not None:
        result.chosen = chosen.name
        base = next((r for r in result.rows if r.name == chosen.name), None)
        if base is not None and base.metrics:
            for e in result.rows:
                if e.kind in COMPARED and e.metrics:
                    result.comparisons.append(compare(
                        e.name, base.name, e.per_basket["hit@3"], base.per_basket["hit@3"],
                        e.per_basket["revenue@3"], base.per_basket["revenue@3"],
                        QUALITY_BAR, resamples, seed))
    return result


_DEFAULTS = dict(seed=1, max_test=None, protocol="every", validation=True, mlxtend=True,
                 engine=True, engine_config=None, ablation=None, extra=(), baselines=True,
                 min_support=None, load_options=None, log=None, prototypes=None)


def _read(dump_dir) -> DumpBaskets:
    t = time.perf_counter()
    data = read_dump(dump_dir)
    data.read_seconds = time.perf_counter() - t
    if len(data.ordered) < 2:
        from ..errors import DumpError
        raise DumpError(f"{dump_dir}: {len(data.ordered)} basket(s); a hold-out needs "
                        "at least 2")
    return data


def run_eval(dump_dir, name: str | None = None, *, test_fraction: float = 0.2, work_dir=None,
             **options) -> EvalResult:
    """Evaluate the baselines, the engine (with ``engine_config`` forwarded to
    ``Engine.open``; and with each config of ``ablation``, name -> config) and
    any ``extra`` (name, factory(Context)) recommenders on the last
    ``test_fraction`` of ``dump_dir``'s baskets by time.

    Options: ``seed`` (1), ``max_test`` (None: every eligible test basket),
    ``protocol`` ("every" or "one"), ``validation`` (True: choose the best
    baseline on the last 20 % of the train baskets), ``mlxtend``, ``engine``,
    ``baselines`` (True), ``min_support``, ``load_options`` (a
    pos.load.LoadOptions for the train stores; default: what `pos load` does),
    ``log``, ``prototypes`` (a factory of PrototypeRows, one per window: also
    evaluation-only rows such as those of pos_tools.research.prototypes, knn,
    engine+knn with its λ chosen on validation, engine+personal; compared with
    the best baseline like the engine).
    """
    kw, name, data = _options_and_data(dump_dir, name, options)
    n = len(data.ordered)
    n_test = hold_out(n, test_fraction)
    return _in_temp(work_dir, lambda tmp: _run_window(data, name, n - n_test, n_test, tmp, **kw))


def _options_and_data(dump_dir, name: str | None, options: dict) -> tuple[dict, str, DumpBaskets]:
    """The options with their defaults, the dataset's name and its baskets."""
    kw = {**_DEFAULTS, **options}
    kw["log"] = kw["log"] or (lambda _msg: None)
    dump_dir = Path(dump_dir)
    return kw, name or dump_dir.name, _read(dump_dir)


def _in_temp(work_dir, run):
    """run(a temporary directory), removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="pos-eval-", dir=work_dir))
    try:
        return run(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_slices(dump_dir, name: str | None = None, *, slices: int = 2, window: float = 0.1,
               work_dir=None, **options) -> list[EvalResult]:
    """Rolling slices: slice 1's test window is the last ``window`` of the baskets
    by time, slice 2's the ``window`` before it, and so on; each slice is trained
    on every basket before its window (options as ``run_eval``)."""
    kw, name, data = _options_and_data(dump_dir, name, options)
    n = len(data.ordered)
    n_test = hold_out(n, window)
    results = []
    for i in range(slices):
        end = n - i * n_test
        start = end - n_test
        if start < 2:
            kw["log"](f"{name}: slice {i + 1}: too few baskets before it; stopped")
            break
        label = (f"slice {i + 1}/{slices}" if slices > 1 else "")
        res = _in_temp(work_dir, partial(_run_window, data, name, start, n_test,
                                         slice_label=label, **kw))
        res.notes.insert(0, f"test window: baskets {start + 1:,}-{end:,} of {n:,} by time "
                            f"({start / n:.0%}-{end / n:.0%})")
        results.append(res)
    return results


# --------------------------------------------------------------------------
# datasets


# --------------------------------------------------------------------------
# output

#: (metric key, column header, format)
COLUMNS = [
    ("hit@1", "HitRate@1", "{:.4f}"),
    ("hit@3", "HitRate@3", "{:.4f}"),
    ("hit@5", "HitRate@5", "{:.4f}"),
    ("mrr@5", "MRR@5", "{:.4f}"),
    ("revenue@3", "revenue@3", "{:.3f}"),
    ("coverage@3", "coverage@3", "{:.3f}"),
    ("p50_us", "p50 µs", "{:,.0f}"),
    ("p99_us", "p99 µs", "{:,.0f}"),
    ("queries", "queries", "{:,}"),
]


def _cells(row: RowResult) -> list[str]:
    if row.metrics is None:
        return ["-"] * len(COLUMNS)
    return [fmt.format(row.metrics[key]) for key, _, fmt in COLUMNS]


def _comparison_text(c: Comparison) -> str:
    why = [w for ok, w in ((c.lift_ok, f"lift < +{c.bar:.0%}"),
                           (c.interval_ok, "interval not above 0"),
                           (c.revenue_ok, "revenue@3 below")) if not ok]
    return (f"{c.engine}: HitRate@3 {c.hit3:.4f} vs {c.baseline} {c.base_hit3:.4f}, "
            f"{c.lift:+.1%} (bar +{c.bar:.0%}); difference {c.d_hit3.text()} "
            f"(95% basket bootstrap; paired t [{c.d_hit3_t.low:+.4f}, {c.d_hit3_t.high:+.4f}]); "
            f"revenue@3 {c.revenue3:.3f} {'>=' if c.revenue_ok else '<'} {c.base_revenue3:.3f}"
            f" (difference {c.d_revenue3.text('{:+.3f}')}) -> "
            + ("bar met" if c.met else f"bar NOT met ({', '.join(why)})"))


def verdict(result: EvalResult) -> str:
    """The best baseline (chosen on validation HitRate@3) and how each engine row
    compares with it on test, basket by basket (the quality bar)."""
    if result.chosen is None:
        return "no baseline row"
    source = result.validation if result.chosen_on == "validation" else result.rows
    row = next(r for r in source if r.name == result.chosen)
    assert row.metrics is not None      # a chosen baseline was measured
    text = (f"best baseline on {result.chosen_on} HitRate@3: {result.chosen} "
            f"({row.metrics['hit@3']:.4f})")
    parts = [text]
    for e in (r for r in result.rows if r.kind in COMPARED):
        c = next((c for c in result.comparisons if c.engine == e.name), None)
        parts.append(f"{e.name}: {e.note}" if c is None else _comparison_text(c))
    return "; ".join(parts)


def validation_line(result: EvalResult) -> str:
    """The validation slice's HitRate@3 per row, one line."""
    if not result.validation:
        return "validation: none (the best baseline is chosen on test)"
    cells = ", ".join(f"{r.name} {r.metrics['hit@3']:.4f}" if r.metrics else f"{r.name} -"
                      for r in result.validation)
    return (f"validation ({result.n_val_train:,} train / {result.n_val:,} baskets, "
            f"{result.n_val_baskets:,} with queries), HitRate@3: {cells}")


def _caption(result: EvalResult) -> str:
    eligible = result.n_test - result.skipped_single
    sample = (f" (a sample of the {eligible:,} eligible)"
              if result.max_test and eligible > result.max_test else "")
    hidden = ("every item hidden in turn (at most 10)" if result.protocol == "every"
              else "one item hidden")
    return (f"{result.n_train:,} train / {result.n_test:,} test baskets; "
            f"{result.n_baskets_eval:,} baskets{sample}, {hidden}: {result.n_queries:,} "
            f"queries (seed {result.seed}); {result.skipped_single:,} one-item test baskets "
            f"skipped; catalog {result.catalog_size:,} items; revenue in {result.currency}"
            + ("; customers known" if result.has_customers else ""))


def _title(result: EvalResult) -> str:
    return result.dataset + (f", {result.slice_label}" if result.slice_label else "")


def rich_table(result: EvalResult):
    from rich.table import Table

    table = Table(title=f"pos eval: {_title(result)}", caption=_caption(result))
    table.add_column("recommender")
    for _, header, _ in COLUMNS:
        table.add_column(header, justify="right")
    table.add_column("train s", justify="right")
    table.add_column("query s", justify="right")
    for row in result.rows:
        style = "bold" if row.kind == "engine" else None
        times = ([f"{row.train_seconds:.1f}", f"{row.query_seconds:.1f}"]
                 if row.metrics is not None else ["-", "-"])
        table.add_row(row.name + (" *" if row.note else ""), *_cells(row), *times, style=style)
    return table


def row_notes(result: EvalResult) -> list[str]:
    """'* name: note' for every row with a note (the table marks them with *)."""
    return [f"* {r.name}: {r.note}" for r in result.rows if r.note]


def summary_markdown(results: list[EvalResult]) -> list[str]:
    """One line per (dataset, slice, engine row): the verdict in numbers."""
    out = ["| dataset | slice | best baseline (validation) | its HitRate@3 | engine HitRate@3 "
           "| lift | difference, 95% interval | revenue@3 engine / baseline | bar |",
           "|---|---|---|---:|---:|---:|---|---:|---|"]
    for res in results:
        for c in res.comparisons:
            name = res.dataset + ("" if c.engine == "engine" else f" {c.engine}")
            out.append(
                f"| {name} | {res.slice_label or '-'} | {c.baseline} | {c.base_hit3:.4f} | "
                f"{c.hit3:.4f} | {c.lift:+.1%} | {c.d_hit3.text()} | "
                f"{c.revenue3:.3f} / {c.base_revenue3:.3f} | "
                f"{'met' if c.met else 'NOT met'} |")
    return out


def markdown(results: list[EvalResult], command: str, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    out = [f"Command: `{command}`  ", f"Date: {when.strftime('%Y-%m-%d %H:%M UTC')}", ""]
    if any(r.comparisons for r in results):
        out += summary_markdown(results) + [""]
    head = ["recommender"] + [h for _, h, _ in COLUMNS] + ["train s", "query s", "note"]
    for res in results:
        out += [f"### {_title(res)}", "", _caption(res), ""]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|")
        for row in res.rows:
            times = ([f"{row.train_seconds:.1f}", f"{row.query_seconds:.1f}"]
                     if row.metrics is not None else ["-", "-"])
            cells = [row.name, *_cells(row), *times, row.note.replace("|", "\\|")]
            out.append("| " + " | ".join(cells) + " |")
        out += ["", verdict(res), "", f"- {validation_line(res)}"]
        out += [f"- {n}" for n in res.notes]
        timing = ", ".join(f"{k} {v:.1f}s" for k, v in res.seconds.items())
        out += [f"- preparation: {timing}", ""]
    return "\n".join(out)
