"""Offline evaluation of suggestions against baselines (`pos eval`).

See docs/evaluation.md for the protocol. Modules: ``split`` (time hold-out of
a dump), ``metrics``, ``baselines`` (the recommenders compared), ``stats``
(paired intervals), ``run`` (the harness and the tables).
"""
from .metrics import Metrics
from .run import (
                  EvalResult,
                  Query,
                  RowResult,
                  ablation_configs,
                  choose_baseline,
                  evaluate,
                  make_queries,
                  markdown,
                  rich_table,
                  run_eval,
                  run_slices,
                  verdict,
)
from .split import Basket, Split, split_dump
from .stats import Comparison, Interval, bootstrap_interval, compare, paired_t_interval

__all__ = [
    "Basket", "Comparison", "EvalResult", "Interval", "Metrics", "Query", "RowResult", "Split",
    "ablation_configs", "bootstrap_interval", "choose_baseline", "compare",
    "evaluate", "make_queries", "markdown", "paired_t_interval", "rich_table", "run_eval",
    "run_slices", "split_dump", "verdict",
]
