"""Quality metrics of ranked suggestion lists against one hidden item per query.

``Metrics.add(ranked, hidden, price, micros)`` records one query;
``Metrics.summary(catalog_size)`` gives:

- ``hit@1``, ``hit@3``, ``hit@5``: share of queries whose hidden item is in the top k;
- ``mrr@5``: mean of 1/rank of the hidden item (0 when it is not in the top 5);
- ``revenue@3``: mean over queries of the hidden item's price when it is in the
  top 3 (0 otherwise), in the currency's major units;
- ``coverage@3``: distinct items ever shown in a top 3 / catalog size;
- ``p50_us``, ``p99_us``: latency percentiles per query (microseconds,
  nearest-rank);
- ``queries``: the number of queries.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["Metrics", "percentile"]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Metrics:
    queries: int = 0
    hits: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 5: 0})
    reciprocal: float = 0.0
    revenue: float = 0.0
    shown3: set = field(default_factory=set)
    micros: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def add(self, ranked: list[str], hidden: str, price: float = 0.0,
            micros: float | None = None) -> None:
        self.queries += 1
        top = ranked[:5]
        rank = top.index(hidden) + 1 if hidden in top else 0
        for k in self.hits:
            if 0 < rank <= k:
                self.hits[k] += 1
        if rank:
            self.reciprocal += 1.0 / rank
        if 0 < rank <= 3:
            self.revenue += price
        self.shown3.update(ranked[:3])
        if micros is not None:
            self.micros.append(micros)

    def error(self, message: str) -> None:
        self.errors += 1
        if not self.first_error:
            self.first_error = message

    def summary(self, catalog_size: int) -> dict[str, float]:
        n = self.queries or 1
        return {
            "hit@1": self.hits[1] / n,
            "hit@3": self.hits[3] / n,
            "hit@5": self.hits[5] / n,
            "mrr@5": self.reciprocal / n,
            "revenue@3": self.revenue / n,
            "coverage@3": len(self.shown3) / catalog_size if catalog_size else 0.0,
            "p50_us": percentile(self.micros, 50),
            "p99_us": percentile(self.micros, 99),
            "queries": self.queries,
        }
