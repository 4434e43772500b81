"""The list score of docs/mining.md as SQL expression text, shared by the DuckDB
and Spark engines (both read the same ANSI CASE/ GREATEST/ POWER/ CAST syntax).

The candidate rows carry `wf` (the pair weight rounded to float32, as the C miner
stores it before scoring), `wa`, `wb` (the items' weights) and `total` (W); the
score is rounded to float32 once, and kept when > 0, as in native/miner.c."""
from __future__ import annotations

from ...mining import MineParams


def conf(params: MineParams) -> str:
    """conf = w_ab / (w_a + K), 0 when w_a + K is 0."""
    k = repr(float(params.shrinkage))
    return f"CASE WHEN wa + {k} > 0 THEN CAST(wf AS DOUBLE) / (wa + {k}) ELSE 0.0 END"


def base_rate(params: MineParams) -> str:
    """p_b = (w_b + K) / (W + K), 0 when W + K is 0 (damped and balanced)."""
    k = repr(float(params.shrinkage))
    return f"CASE WHEN total + {k} > 0 THEN (wb + {k}) / (total + {k}) ELSE 0.0 END"


def score(params: MineParams) -> str:
    """The unrounded score of a candidate with columns conf, pb, lift and (balanced) the
    window maxima max_conf, max_lift; `lift` and `pb` are only read where defined."""
    rank = params.rank
    if rank == "added-value":
        return "conf - CASE WHEN total > 0 THEN wb / total ELSE 0.0 END"
    if rank == "damped":
        beta = repr(float(params.rank_damping or 0.0))
        return f"conf * CASE WHEN pb > 0 THEN POWER(pb, -{beta}) ELSE 1.0 END"
    return ("GREATEST(CASE WHEN max_conf > 0 THEN conf / max_conf ELSE 0.0 END, "
            "CASE WHEN max_lift > 0 THEN lift / max_lift ELSE 0.0 END)")


LIFT = ("LEAST(CASE WHEN pb > 0 THEN conf / pb ELSE conf END, 1.7976931348623157e308)")
"""shrunk lift = conf / p_b (conf when p_b is 0), capped at DBL_MAX."""


def basket_weight(params: MineParams) -> str:
    """w = r(t) * s(n) over columns t (UTC seconds) and n (distinct items)."""
    cap = params.size_cap
    size = f"CASE WHEN n > {cap} THEN CAST({cap - 1} AS DOUBLE) / CAST(n - 1 AS DOUBLE) ELSE 1.0 END"
    if params.half_life_days > 0:
        span = repr(float(params.half_life_days) * 86400.0)
        recency = f"POWER(2.0, -CAST({int(params.ref_time)} - t AS DOUBLE) / {span})"
        return f"{recency} * {size}"
    return size
