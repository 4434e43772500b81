"""The scoring formula's parameters, as the till, the load's backtest and the
variants (pos/variants.py) set them, and how they fill the C core's
pos_score_config (docs/scoring.md, "Parameters")."""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

AGGREGATES = {"sum": 0, "max": 1}    # POS_AGGREGATE_*


@dataclass(frozen=True)
class EngineConfig:
    """The scoring formula's parameters (docs/scoring.md)."""

    shrinkage: float = 5.0            # K
    pop_damping: float = 0.3          # beta: 0 = shrunk confidence, 1 = shrunk lift
    personal_weight: float = 0.5      # lambda
    category_affinity: float = 0.1    # delta
    margin_weight: float = 0.05       # mu
    upsell_cap: float = 0.5           # max price step as a fraction of the line's price
    upsell_weight: float = 0.8
    bundle_weight: float = 0.9
    durable_days: float = 365.0
    max_per_family: int = 1
    max_per_category: int = 2
    max_rules: int = 1                # manager-pinned suggestions shown at once (0 = none)
    aggregate: str = "sum"            # "sum" or "max" of rel(a -> c) over the basket
    knn_weight: float = 0.0           # the similar-baskets term's share, in [0, 1]
    knn_recent: int = 500             # M: per basket item, its newest M recent baskets
    knn_neighbours: int = 200         # S: the most similar of them that vote
    knn_idf: bool = False             # the overlap weighs each shared item by its idf
    knn_power: int = 1                # each neighbour votes sim^power (1-3)
    personal_slots: int = 0           # the customer's repeat items put first (0-8)
    max_k: int = 10
    decline_half_life_days: float = 3.0   # a decline learned today halves this often (> 0)
    learned_pair_min_count: int = 2       # a pair new today is used once seen this often
    learned_max_pairs: int = 2_000_000    # the day's overlay holds at most this many pairs
                                          # (about 80 bytes each; 0 = no limit)

    def __post_init__(self) -> None:
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"EngineConfig.aggregate must be one of {', '.join(AGGREGATES)}, "
                             f"not {self.aggregate!r}")
        if not (isinstance(self.knn_weight, (int, float)) and 0 <= self.knn_weight <= 1):
            raise ValueError(f"EngineConfig.knn_weight must be in [0, 1], not {self.knn_weight!r}")
        if self.knn_power not in (1, 2, 3) or isinstance(self.knn_power, bool):
            raise ValueError(f"EngineConfig.knn_power must be 1, 2 or 3, not {self.knn_power!r}")
        if not isinstance(self.knn_idf, bool):
            raise ValueError(f"EngineConfig.knn_idf must be true or false, not {self.knn_idf!r}")
        if self.personal_slots not in range(9):
            raise ValueError("EngineConfig.personal_slots must be an integer 0-8, "
                             f"not {self.personal_slots!r}")
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type in ("str", "bool"):
                continue
            if f.type == "int":
                low = 0 if f.name in ("max_rules", "learned_max_pairs", "personal_slots") else 1
                if isinstance(value, bool) or not isinstance(value, int) or not low <= value < 2**31:
                    raise ValueError(f"EngineConfig.{f.name} must be an integer >= {low}, "
                                     f"not {value!r}")
            elif (isinstance(value, bool) or not isinstance(value, (int, float))
                  or not math.isfinite(value) or value < 0):
                raise ValueError(f"EngineConfig.{f.name} must be a finite number >= 0, not {value!r}")
        if not self.decline_half_life_days > 0:
            raise ValueError("EngineConfig.decline_half_life_days must be > 0, "
                             f"not {self.decline_half_life_days!r}")

    def fill(self, c: Any) -> None:       # c: a cffi pos_engine_config (untyped)
        """Writes the values into a pos_score_config (every field but max_k, which
        only bounds k on the Python side, and the three a Learner takes when it
        is made)."""
        for f in fields(self):
            if f.name not in _NOT_IN_C:
                value = getattr(self, f.name)
                setattr(c, f.name, AGGREGATES[value] if f.name == "aggregate" else
                        int(value) if f.type == "bool" else value)


_NOT_IN_C = ("max_k", "decline_half_life_days", "learned_pair_min_count",
             "learned_max_pairs")   # the Learner's
