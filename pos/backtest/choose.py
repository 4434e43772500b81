"""Scoring the backtest's queries and choosing the variant the store will use.

``evaluate`` gives a scorer's HitRate@3 per test basket (the mean over the
basket's queries: each basket weighs 1, as in ``pos eval``). ``choose`` takes
those lists for the engine's variants and the simple rules (all slices
concatenated, the same baskets in the same order for every scorer), finds the
best rule (highest mean), puts a paired 95 % interval on each variant's
difference with it, and chooses the variant with the highest lower bound;
lower bounds within ``tie`` (0.002) of the highest go to the simplest variant.

The interval is the paired t interval (mean +- t(0.975, n - 1) * sd / sqrt(n)),
or a basket bootstrap (``method="bootstrap"``, ``pos eval``'s, in plain
Python: about 0.3 s per variant for 1,000 baskets, too slow for the nightly
load's budget; the t interval agrees with it to 0.0005 on the shared data,
docs/evaluation.md). ``Choice`` holds the outcome, goes to and from JSON (the
store keeps it), and says it in one sentence (``summary_line``).
"""
from __future__ import annotations

import json
import math
import random
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from ..report.stats import t_interval
from .queries import Query

__all__ = ["Choice", "Evaluation", "Figures", "SliceFigures", "TIE", "choose", "evaluate",
           "evaluate_all", "paired_interval", "summary_line"]

TIE = 0.002          # lower bounds this close to the highest are a tie
JSON_VERSION = 1

Scorer = Callable[[Query], list[int]]


# ---- scoring ---------------------------------------------------------------------

@dataclass
class Evaluation:
    """One scorer on a list of queries: per test basket, in first-seen order."""

    baskets: list[int] = field(default_factory=list)       # basket ids
    hit: list[float] = field(default_factory=list)         # HitRate@k
    revenue: list[float] | None = None                     # revenue@k (with prices)
    queries: int = 0
    errors: int = 0                                        # queries that raised (misses)
    first_error: str = ""


def evaluate_all(scorer: Scorer, queries: Iterable[Query], k: int = 3,
                 prices: Sequence[float] | None = None) -> Evaluation:
    """Ask ``scorer`` every query; a hit is the hidden item in its first k.

    revenue@k of a query = ``prices[hidden]`` on a hit, else 0 (only with
    ``prices``, indexed by item). A query on which the scorer raises is a miss,
    counted in ``errors``."""
    sums: dict[int, list[float]] = {}   # basket -> [queries, hits, revenue]
    ev = Evaluation()
    for q in queries:
        try:
            top = scorer(q)[:k]
        except Exception as exc:  # noqa: BLE001 - one bad query must not end the backtest
            top = []
            ev.errors += 1
            if not ev.first_error:
                ev.first_error = f"{type(exc).__name__}: {exc}"
        s = sums.get(q.basket)
        if s is None:
            s = sums[q.basket] = [0, 0, 0.0]
        s[0] += 1
        if q.hidden in top:
            s[1] += 1
            if prices is not None:
                s[2] += prices[q.hidden]
        ev.queries += 1
    ev.baskets = list(sums)
    ev.hit = [s[1] / s[0] for s in sums.values()]
    if prices is not None:
        ev.revenue = [s[2] / s[0] for s in sums.values()]
    return ev


def evaluate(scorer: Scorer, queries: Iterable[Query], k: int = 3) -> list[float]:
    """HitRate@k per test basket (the mean over its queries), in the queries' basket order."""
    return evaluate_all(scorer, queries, k).hit


# ---- intervals ---------------------------------------------------------------------

def _quantile(ordered: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default)."""
    pos = q * (len(ordered) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def paired_interval(diffs: Sequence[float], method: str = "t", resamples: int = 2000,
                    seed: int = 1, level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high) of the mean of ``diffs``: the paired t interval
    (``method="t"``; n < 2: the mean only) or a percentile bootstrap of
    ``resamples`` seeded resamples of the baskets (``"bootstrap"``)."""
    if method == "t":
        return t_interval(diffs, level)
    n = len(diffs)
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = math.fsum(diffs) / n
    if method == "bootstrap":
        rng = random.Random(seed)
        d = list(diffs)
        means = sorted(sum(rng.choices(d, k=n)) / n for _ in range(resamples))
        tail = (1 - level) / 2
        return mean, _quantile(means, tail), _quantile(means, 1 - tail)
    raise ValueError(f"unknown interval method {method!r} (t or bootstrap)")


# ---- the choice ---------------------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    """A variant's or rule's backtest: its HitRate@3 and the paired interval of
    its difference with the best rule (per basket, all slices)."""

    name: str
    hit3: float
    diff: float          # mean of (this - best rule)
    low: float           # the interval's lower bound
    high: float
    revenue3: float | None = None


@dataclass(frozen=True)
class SliceFigures:
    number: int          # 1 = the latest window
    train: int           # train baskets
    baskets: int         # test baskets asked (with >= 2 distinct items)
    queries: int


@dataclass
class Choice:
    """The backtest's outcome. ``chosen`` is None when it was skipped (``skipped``
    says why) or there was nothing to choose from."""

    chosen: str | None = None
    best_rule: str | None = None
    variants: dict[str, Figures] = field(default_factory=dict)   # in the given order
    rules: dict[str, Figures] = field(default_factory=dict)
    slices: list[SliceFigures] = field(default_factory=list)
    method: str = "t"
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: str = ""
    notes: list[str] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    # the source variants: the chosen variant on each source of lists (own baskets,
    # head office's holdout, the blend), each against the source in force (``source``)
    sources: dict[str, Figures] = field(default_factory=dict)
    source: str | None = None

    @classmethod
    def skip(cls, reason: str, seconds: dict[str, float] | None = None, **kw: Any) -> "Choice":
        return cls(skipped=reason, seconds=dict(seconds or {}), **kw)

    @property
    def hit3(self) -> float | None:
        """The chosen variant's HitRate@3."""
        return self.variants[self.chosen].hit3 if self.chosen is not None else None

    @property
    def interval(self) -> tuple[float, float, float] | None:
        """(mean, low, high) of the chosen variant's difference with the best rule."""
        if self.chosen is None:
            return None
        f = self.variants[self.chosen]
        return f.diff, f.low, f.high

    @property
    def best_rule_hit3(self) -> float | None:
        return self.rules[self.best_rule].hit3 if self.best_rule is not None else None

    @property
    def baskets(self) -> int:
        return sum(s.baskets for s in self.slices)

    @property
    def queries(self) -> int:
        return sum(s.queries for s in self.slices)

    def to_json(self, timings: bool = True) -> str:
        """The choice as JSON; ``timings=False`` leaves the seconds out (what a
        store keeps: the same dump gives the same store)."""
        return json.dumps({
            "version": JSON_VERSION, "chosen": self.chosen, "best_rule": self.best_rule,
            "variants": [asdict(f) for f in self.variants.values()],
            "rules": [asdict(f) for f in self.rules.values()],
            "slices": [asdict(s) for s in self.slices],
            "method": self.method, "seconds": self.seconds if timings else {},
            "skipped": self.skipped,
            "notes": self.notes, "params": self.params,
            "sources": [asdict(f) for f in self.sources.values()], "source": self.source,
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Choice":
        return cls.from_dict(json.loads(text))

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Choice":
        """The choice from to_json's object, decoded (e.g. by a store's read_meta)."""
        if d.get("version") != JSON_VERSION:
            raise ValueError(f"a backtest choice of version {d.get('version')!r}, "
                             f"not {JSON_VERSION}")
        return cls(chosen=d["chosen"], best_rule=d["best_rule"],
                   variants={f["name"]: Figures(**f) for f in d["variants"]},
                   rules={f["name"]: Figures(**f) for f in d["rules"]},
                   slices=[SliceFigures(**s) for s in d["slices"]],
                   method=d["method"], seconds=dict(d["seconds"]), skipped=d["skipped"],
                   notes=list(d["notes"]), params=dict(d["params"]),
                   sources={f["name"]: Figures(**f) for f in d.get("sources", ())},
                   source=d.get("source"))

    def summary_line(self, percent_fmt: Callable[[float], str] | None = None) -> str:
        return summary_line(self, percent_fmt)


def _percent(x: float) -> str:
    return f"{x:.0%}"


def summary_line(choice: Choice, percent_fmt: Callable[[float], str] | None = None) -> str:
    """The backtest in one sentence for the load summary (``percent_fmt`` formats a
    fraction as a percentage; default ``f"{x:.0%}"``)."""
    pct = percent_fmt or _percent
    if choice.skipped:
        return choice.skipped
    hit3, rule_hit3 = choice.hit3, choice.best_rule_hit3     # None when nothing was chosen
    if choice.chosen is None or hit3 is None:
        return "backtest: nothing to choose from"
    line = f"last night's suggestions would have hit {pct(hit3)} of recent baskets"
    if choice.best_rule is not None and rule_hit3 is not None:
        line += f" (best simple rule: {pct(rule_hit3)}, {choice.best_rule})"
    return line + f"; chosen: {choice.chosen}"


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs) if len(xs) else 0.0


def choose(variants: dict[str, Sequence[float]], rules: dict[str, Sequence[float]],
           order: Sequence[str], seed: int = 1, *, method: str = "t", tie: float = TIE,
           resamples: int = 2000, revenue: Mapping[str, Sequence[float]] | None = None,
           slices: Sequence[SliceFigures] = ()) -> Choice:
    """Choose among ``variants`` (name -> HitRate@3 per basket, all slices
    concatenated; ``rules`` the same, for the same baskets in the same order).

    The best rule is the rule with the highest mean (ties: the first given).
    Each variant (and each rule) gets the paired interval of its per-basket
    difference with the best rule; the chosen variant has the highest lower
    bound, and lower bounds within ``tie`` of it go to the simplest variant:
    the first in ``order`` (simplest first; variants not in it come after, in
    the given order). ``revenue`` (name -> revenue@3 per basket) adds each
    row's mean revenue@3.
    """
    t0 = time.perf_counter()
    if not variants:
        raise ValueError("no variant to choose from")
    if not rules:
        raise ValueError("no simple rule to compare with")
    lengths = {len(v) for v in (*variants.values(), *rules.values())}
    if len(lengths) != 1:
        raise ValueError(f"per-basket lists of different lengths: {sorted(lengths)}")
    means = {name: _mean(v) for name, v in (*rules.items(), *variants.items())}
    best = max(rules, key=lambda name: (means[name], -list(rules).index(name)))
    base = rules[best]

    def figures(name: str, values: Sequence[float]) -> Figures:
        if name == best and values is base:
            d = (0.0, 0.0, 0.0)
        else:
            d = paired_interval([a - b for a, b in zip(values, base)], method, resamples, seed)
        rev = _mean(revenue[name]) if revenue and name in revenue else None
        return Figures(name, means[name], d[0], d[1], d[2], rev)

    rule_figures = {name: figures(name, v) for name, v in rules.items()}
    variant_figures = {name: figures(name, v) for name, v in variants.items()}
    rank = {name: i for i, name in enumerate(order)}
    top_low = max(f.low for f in variant_figures.values())
    tied = [name for name, f in variant_figures.items() if f.low >= top_low - tie - 1e-12]
    given = list(variants)
    chosen = min(tied, key=lambda name: (rank.get(name, len(rank)), given.index(name)))
    return Choice(chosen=chosen, best_rule=best, variants=variant_figures,
                  rules=rule_figures, slices=list(slices), method=method,
                  seconds={"choose": time.perf_counter() - t0})
