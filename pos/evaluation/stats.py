"""Paired comparison of two recommenders over the same test baskets.

The unit is the basket: ``diffs[i]`` = engine's metric on basket i − the
baseline's on basket i (each a mean over that basket's queries). Intervals:

- ``bootstrap_interval(diffs)``: the mean difference with the 2.5 and 97.5
  percentiles of the means of ``resamples`` (default 2000) seeded resamples of
  the baskets with replacement (numpy's ``default_rng(seed)``);
- ``paired_t_interval(diffs)``: mean ± t(0.975, n − 1) · sd / √n.

``compare(engine, baseline, ...)`` applies them to HitRate@3 and revenue@3 and
says whether the quality bar is met: HitRate@3 lift (engine / baseline − 1) at
least ``bar``, the bootstrap interval of the HitRate@3 difference above zero,
and revenue@3 not below the baseline's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..report.stats import t_interval

__all__ = ["Comparison", "Interval", "bootstrap_interval", "compare", "paired_t_interval"]

@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float
    n: int

    def text(self, fmt: str = "{:+.4f}") -> str:
        return f"{fmt.format(self.mean)} [{fmt.format(self.low)}, {fmt.format(self.high)}]"


def _mean(xs) -> float:
    return sum(xs) / len(xs) if len(xs) else 0.0


def paired_t_interval(diffs) -> Interval:
    """Mean of ``diffs`` ± t(0.975, n − 1) · standard error (n < 2: the mean only)."""
    d = list(diffs)
    return Interval(*t_interval(d), len(d))


def bootstrap_interval(diffs, resamples: int = 2000, seed: int = 1,
                       level: float = 0.95) -> Interval:
    """Percentile bootstrap of the mean of ``diffs`` over resampled baskets."""
    import numpy as np

    d = np.asarray(diffs, dtype=np.float64)
    n = len(d)
    if n == 0:
        return Interval(0.0, 0.0, 0.0, 0)
    rng = np.random.default_rng(seed)
    means = np.empty(resamples, dtype=np.float64)
    chunk = max(1, 2_000_000 // n)          # bounded memory: chunk × n indices at a time
    for start in range(0, resamples, chunk):
        stop = min(resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = d[idx].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return Interval(float(d.mean()), float(low), float(high), n)


@dataclass(frozen=True)
class Comparison:
    """An engine row against the chosen baseline on the same test baskets."""

    engine: str
    baseline: str
    hit3: float                 # engine's HitRate@3
    base_hit3: float
    lift: float                 # hit3 / base_hit3 − 1
    d_hit3: Interval            # bootstrap interval of the per-basket difference
    d_hit3_t: Interval          # paired t interval of the same
    revenue3: float
    base_revenue3: float
    d_revenue3: Interval        # bootstrap
    bar: float

    @property
    def lift_ok(self) -> bool:
        return self.lift >= self.bar

    @property
    def interval_ok(self) -> bool:
        return self.d_hit3.low > 0

    @property
    def revenue_ok(self) -> bool:
        return self.revenue3 >= self.base_revenue3

    @property
    def met(self) -> bool:
        return self.lift_ok and self.interval_ok and self.revenue_ok


def compare(engine: str, baseline: str, engine_hit3, base_hit3, engine_rev3, base_rev3,
            bar: float = 0.05, resamples: int = 2000, seed: int = 1) -> Comparison:
    """Compare per-basket HitRate@3 and revenue@3 lists (same baskets, same order)."""
    if len(engine_hit3) != len(base_hit3) or len(engine_rev3) != len(base_rev3):
        raise ValueError("paired lists of different lengths")
    d3 = [a - b for a, b in zip(engine_hit3, base_hit3)]
    dr = [a - b for a, b in zip(engine_rev3, base_rev3)]
    e3, b3 = _mean(engine_hit3), _mean(base_hit3)
    lift = e3 / b3 - 1 if b3 else (math.inf if e3 else 0.0)
    return Comparison(engine, baseline, e3, b3, lift,
                      bootstrap_interval(d3, resamples, seed), paired_t_interval(d3),
                      _mean(engine_rev3), _mean(base_rev3),
                      bootstrap_interval(dr, resamples, seed), bar)
