"""Quality metrics of ranked suggestion lists against one hidden item per query.

``Metrics.add(ranked, hidden, price, micros, basket)`` records one query of
test basket ``basket`` (each call its own basket when ``basket`` is None). A
basket's value of a quality metric is the mean over its queries, and the
dataset's value is the mean over baskets (each basket weighs 1, however many
of its items were hidden). ``Metrics.summary(catalog_size)`` gives:

- ``hit@1``, ``hit@3``, ``hit@5``: share of queries whose hidden item is in the
  top k (per basket, then over baskets);
- ``mrr@5``: mean of 1/rank of the hidden item (0 when it is not in the top 5);
- ``revenue@3``: mean of the hidden item's price when it is in the top 3 (0
  otherwise), in the currency's major units;
- ``coverage@3``: distinct items ever shown in a top 3 / catalog size;
- ``p50_us``, ``p99_us``: latency percentiles per query (microseconds,
  nearest-rank);
- ``queries``, ``baskets``: the number of queries and of baskets.

``Metrics.per_basket(key)`` gives one quality metric per basket (in the order
the baskets were first seen), for paired comparisons (``stats``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

__all__ = ["QUALITY", "Metrics", "percentile"]


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of ``values``; 0.0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


#: the quality metrics kept per basket, in the order of ``_Basket`` sums
QUALITY = ("hit@1", "hit@3", "hit@5", "mrr@5", "revenue@3")


@dataclass
class Metrics:
    queries: int = 0
    #: basket key -> [queries, hit@1, hit@3, hit@5, reciprocal rank, revenue@3] sums
    baskets: dict = field(default_factory=dict)
    shown3: set = field(default_factory=set)
    micros: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def add(self, ranked: list[str], hidden: str, price: float = 0.0,
            micros: float | None = None, basket=None) -> None:
        key = ("#query", self.queries) if basket is None else basket
        self.queries += 1
        top = ranked[:5]
        rank = top.index(hidden) + 1 if hidden in top else 0
        sums = self.baskets.get(key)
        if sums is None:
            sums = self.baskets[key] = [0, 0, 0, 0, 0.0, 0.0]
        sums[0] += 1
        if rank:
            sums[1] += rank <= 1
            sums[2] += rank <= 3
            sums[3] += 1
            sums[4] += 1.0 / rank
            if rank <= 3:
                sums[5] += price
        self.shown3.update(ranked[:3])
        if micros is not None:
            self.micros.append(micros)

    def error(self, message: str) -> None:
        self.errors += 1
        if not self.first_error:
            self.first_error = message

    def per_basket(self, key: str) -> list[float]:
        """Metric ``key`` (one of QUALITY) of every basket, in first-seen order."""
        j = QUALITY.index(key) + 1
        return [s[j] / s[0] for s in self.baskets.values()]

    def summary(self, catalog_size: int) -> dict[str, float]:
        n = len(self.baskets) or 1
        out = {key: sum(self.per_basket(key)) / n for key in QUALITY}
        out.update({
            "coverage@3": len(self.shown3) / catalog_size if catalog_size else 0.0,
            "p50_us": percentile(self.micros, 50),
            "p99_us": percentile(self.micros, 99),
            "queries": self.queries,
            "baskets": len(self.baskets),
        })
        return out
