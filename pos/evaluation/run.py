"""The evaluation harness: split a dump by time, build the train store with
``pos load``'s own code, ask every recommender the same hidden-item queries,
and tabulate the metrics (protocol: docs/evaluation.md).
"""
from __future__ import annotations

import dataclasses

import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from .baselines import (CooccurrenceSum, MaxConfidence, MlxtendRules, MlxtendUnavailable,
                        Personal, Popularity, Recommender, TrainData)
from .metrics import Metrics
from .split import Split, split_dump

__all__ = [
    "COLUMNS", "Context", "EngineRecommender", "EngineUnavailable", "EvalResult", "Query",
    "RowResult", "ablation_configs", "dataset_dump", "evaluate", "make_queries", "markdown",
    "rich_table", "row_notes", "run_eval", "verdict",
]

K = 5                       # suggestions asked of every recommender
QUALITY_BAR = 0.05          # the engine's HitRate@3 must beat the best baseline by this much


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
    kind: str               # "baseline" | "engine" | "other"
    metrics: dict | None = None
    note: str = ""
    train_seconds: float = 0.0
    query_seconds: float = 0.0


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


@dataclass
class Context:
    """What a recommender factory may use: the split, the train counts, the
    train store, the queries (a test stub may cheat with them)."""

    split: Split
    data: TrainData
    store: Path
    queries: list[Query]


class EngineUnavailable(RuntimeError):
    pass


class EngineRecommender:
    """``pos.engine.Engine`` over the train store."""

    kind = "engine"

    def __init__(self, store: Path, config=None, name: str = "engine"):
        try:
            from ..engine import Engine
        except Exception as exc:  # not written yet, or broken mid-rebuild
            raise EngineUnavailable(f"engine unavailable ({type(exc).__name__}: {exc})") from None
        self.name = name
        self.engine = (Engine.open(store) if config is None
                       else Engine.open(store, config=config))

    def recommend(self, basket_items, k, customer=None, now=0):
        return [s.sku for s in self.engine.suggest(list(basket_items), k=k,
                                                   customer=customer, now=now)]

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()


def ablation_configs() -> dict:
    """Named engine configurations for ``--ablation`` (name -> config).

    Taken from ``pos.engine.ablation_configs()`` when the engine defines it;
    {} when it does not or cannot be imported.
    """
    try:
        from .. import engine
    except Exception:
        return {}
    fn = getattr(engine, "ablation_configs", None)
    if fn is None:
        return {}
    try:
        return dict(fn())
    except Exception:
        return {}


# --------------------------------------------------------------------------
# queries and evaluation


def make_queries(test: list, has_customers: bool, seed: int = 1,
                 max_test: int | None = None) -> tuple[list[Query], int]:
    """(queries, test baskets skipped for having fewer than 2 distinct items).

    Test baskets are taken in time order; with ``max_test`` a seeded sample of
    at most that many of the eligible baskets (kept in time order). One item of
    each is hidden, chosen by the same seeded generator.
    """
    rng = random.Random(seed)
    eligible = [b for b in test if len(b.items) >= 2]
    skipped = len(test) - len(eligible)
    if max_test is not None and len(eligible) > max_test:
        keep = sorted(rng.sample(range(len(eligible)), max_test))
        eligible = [eligible[i] for i in keep]
    queries = []
    for b in eligible:
        h = rng.randrange(len(b.items))
        rest = tuple(s for i, s in enumerate(b.items) if i != h)
        queries.append(Query(b.id, rest, b.items[h],
                             (b.customer or None) if has_customers else None, b.time))
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
        m.add(ranked, q.hidden, prices.get(q.hidden, 0.0), micros)
    return m


Factory = Callable[[Context], Recommender]


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


def run_eval(dump_dir, name: str | None = None, *, seed: int = 1, max_test: int | None = None,
             test_fraction: float = 0.2, mlxtend: bool = True, engine: bool = True,
             engine_config=None, ablation: dict | None = None,
             extra: Iterable[tuple[str, Factory]] = (), baselines: bool = True,
             min_support: float | None = None, work_dir=None, load_options=None,
             log: Callable[[str], None] | None = None) -> EvalResult:
    """Evaluate the baselines, the engine (with ``engine_config`` forwarded to
    ``Engine.open``; and with each config of ``ablation``, name -> config) and
    any ``extra`` (name, factory(Context)) recommenders on ``dump_dir``.
    ``load_options`` (a pos.load.LoadOptions) builds the train store (default:
    what `pos load` does by default)."""
    from ..load import LoadOptions, load_dump

    log = log or (lambda _msg: None)
    dump_dir = Path(dump_dir)
    name = name or dump_dir.name
    tmp = Path(tempfile.mkdtemp(prefix="pos-eval-", dir=work_dir))
    try:
        seconds: dict[str, float] = {}
        t = time.perf_counter()
        split = split_dump(dump_dir, tmp / "train", test_fraction)
        seconds["split"] = time.perf_counter() - t
        log(f"{name}: split {len(split.train):,} train / {len(split.test):,} test baskets "
            f"({seconds['split']:.1f}s)")

        t = time.perf_counter()
        store = tmp / "train.db"
        options = dataclasses.replace(load_options or LoadOptions(), rejects=tmp / "rejects.csv")
        load_dump(split.train_dir, store, options)
        seconds["load"] = time.perf_counter() - t
        log(f"{name}: train store loaded ({seconds['load']:.1f}s)")

        t = time.perf_counter()
        data = TrainData(split.train, split.prices)
        seconds["counts"] = time.perf_counter() - t

        queries, skipped = make_queries(split.test, split.has_customers, seed, max_test)
        result = EvalResult(name, len(split.train) + len(split.test), len(split.train),
                            len(split.test), len(queries), skipped, split.catalog_size,
                            split.currency, split.has_customers, seed, max_test,
                            seconds=seconds)
        if split.unknown_sku_lines:
            result.notes.append(f"{split.unknown_sku_lines:,} basket lines name a sku not in "
                                "the catalog (left out of training; misses when hidden)")
        if split.dropped_lines:
            result.notes.append(f"{split.dropped_lines:,} unreadable basket lines dropped")
        ctx = Context(split, data, store, queries)

        factories: list[tuple[str, str, Factory]] = []
        if baselines:
            factories += [(n, "baseline", f) for n, f in
                          _baseline_factories(split.has_customers, mlxtend, min_support)]
        if engine:
            factories.append(("engine", "engine",
                              lambda c: EngineRecommender(c.store, engine_config)))
            for label, config in (ablation or {}).items():
                factories.append((f"engine[{label}]", "engine",
                                  lambda c, cfg=config, lb=label:
                                  EngineRecommender(c.store, cfg, f"engine[{lb}]")))
        factories += [(n, "other", f) for n, f in extra]

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
                t = time.perf_counter()
                m = evaluate(rec, queries, split.prices, split.catalog_size)
                row.query_seconds = time.perf_counter() - t
                row.metrics = m.summary(split.catalog_size)
                if m.errors:
                    row.note = (row.note + "; " if row.note else "") + (
                        f"{m.errors:,} queries raised (first: {m.first_error})")
                close = getattr(rec, "close", None)
                if close is not None:
                    close()
            log(f"{name}: {row_name}: "
                + (row.note if row.metrics is None else
                   f"hit@3 {row.metrics['hit@3']:.4f} (train {row.train_seconds:.1f}s, "
                   f"queries {row.query_seconds:.1f}s)"))
            result.rows.append(row)
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --------------------------------------------------------------------------
# datasets


def dataset_dump(name: str, cache_dir, log: Callable[[str], None] | None = None) -> Path:
    """The converted dump of shared dataset ``name`` in ``cache_dir/name``
    (converted on first use, reused afterwards)."""
    from ..bench.datasets import convert

    out = Path(cache_dir).expanduser() / name
    marker = out / ".converted"
    if not marker.exists():
        if log:
            log(f"{name}: converting into {out}")
        convert(name, out)
        marker.write_text("ok\n")
    return out


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


def verdict(result: EvalResult) -> str:
    """The best baseline on HitRate@3 and how the engine compares (the quality bar)."""
    base = [r for r in result.rows if r.kind == "baseline" and r.metrics]
    if not base:
        return "no baseline row"
    best = max(base, key=lambda r: r.metrics["hit@3"])
    best_rev = max(base, key=lambda r: r.metrics["revenue@3"])
    b3 = best.metrics["hit@3"]
    text = f"best baseline on HitRate@3: {best.name} ({b3:.4f})"
    engines = [r for r in result.rows if r.kind == "engine"]
    if not engines:
        return text
    parts = [text]
    for e in engines:
        if e.metrics is None:
            parts.append(f"{e.name}: {e.note}")
            continue
        e3, er = e.metrics["hit@3"], e.metrics["revenue@3"]
        rel = (e3 - b3) / b3 if b3 else float("inf") if e3 else 0.0
        rev_ok = er >= best_rev.metrics["revenue@3"]
        met = rel >= QUALITY_BAR and rev_ok
        parts.append(
            f"{e.name}: HitRate@3 {e3:.4f}, {rel:+.1%} vs {best.name} (bar +{QUALITY_BAR:.0%}); "
            f"revenue@3 {er:.3f} {'>=' if rev_ok else '<'} best baseline's "
            f"{best_rev.metrics['revenue@3']:.3f} ({best_rev.name}) -> "
            f"{'bar met' if met else 'bar NOT met'}")
    return "; ".join(parts)


def _caption(result: EvalResult) -> str:
    sample = f", sampled (max {result.max_test:,})" if result.max_test else ""
    return (f"{result.n_train:,} train / {result.n_test:,} test baskets; "
            f"{result.n_queries:,} queries{sample} (seed {result.seed}), "
            f"{result.skipped_single:,} one-item test baskets skipped; catalog "
            f"{result.catalog_size:,} items; revenue in {result.currency}"
            + ("; customers known" if result.has_customers else ""))


def rich_table(result: EvalResult):
    from rich.table import Table

    table = Table(title=f"pos eval: {result.dataset}", caption=_caption(result))
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


def markdown(results: list[EvalResult], command: str, when: datetime | None = None) -> str:
    when = when or datetime.now(timezone.utc)
    out = [f"Command: `{command}`  ", f"Date: {when.strftime('%Y-%m-%d %H:%M UTC')}", ""]
    head = ["recommender"] + [h for _, h, _ in COLUMNS] + ["train s", "query s", "note"]
    for res in results:
        out += [f"### {res.dataset}", "", _caption(res), ""]
        out.append("| " + " | ".join(head) + " |")
        out.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 2) + ["---"]) + "|")
        for row in res.rows:
            times = ([f"{row.train_seconds:.1f}", f"{row.query_seconds:.1f}"]
                     if row.metrics is not None else ["-", "-"])
            cells = [row.name, *_cells(row), *times, row.note.replace("|", "\\|")]
            out.append("| " + " | ".join(cells) + " |")
        out += ["", verdict(res), ""]
        out += [f"- {n}" for n in res.notes]
        timing = ", ".join(f"{k} {v:.1f}s" for k, v in res.seconds.items())
        out += [f"- preparation: {timing}", ""]
    return "\n".join(out)
