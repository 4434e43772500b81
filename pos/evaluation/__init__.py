"""Offline evaluation of suggestions against baselines (`pos eval`).

See docs/evaluation.md for the protocol. Modules: ``split`` (time hold-out of
a dump), ``metrics``, ``baselines`` (the recommenders compared), ``run`` (the
harness and the tables).
"""
from .metrics import Metrics
from .run import (EvalResult, Query, RowResult, ablation_configs, dataset_dump, evaluate,
                  make_queries, markdown, rich_table, run_eval, verdict)
from .split import Basket, Split, split_dump

__all__ = [
    "Basket", "EvalResult", "Metrics", "Query", "RowResult", "Split", "ablation_configs",
    "dataset_dump", "evaluate", "make_queries", "markdown", "rich_table", "run_eval",
    "split_dump", "verdict",
]
