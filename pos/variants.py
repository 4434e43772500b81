"""The engine's family of scorers (issue 15): named EngineConfig variants.

The nightly backtest (pos/backtest) evaluates them on the store's latest
baskets and the store keeps the name it chose; the till builds its EngineConfig
with ``config_for``. ``FAMILY`` lists them simplest first: on a tie the
backtest keeps the simpler. docs/scoring.md, "The family".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from .engine_config import EngineConfig

#: name -> what the variant changes in the default EngineConfig
FAMILY: dict[str, dict[str, Any]] = {
    # the max-confidence rule itself (shrunk): the family is never worse than it
    "shrunk-max-confidence": {"aggregate": "max", "pop_damping": 0.0, "personal_weight": 0.0,
                       "category_affinity": 0.0},
    "pairwise": {},                                  # the default formula (docs/scoring.md)
    "pairwise-max": {"aggregate": "max"},
    "blend-0.25": {"knn_weight": 0.25},
    "blend-0.5": {"knn_weight": 0.5},
    "blend-0.75": {"knn_weight": 0.75},
    "similar-baskets": {"knn_weight": 1.0},
    # similar baskets by shared rare items: idf-weighted overlap, sim^2 votes,
    # fewer, closer neighbours from a longer look back (docs/scoring.md)
    "idf-blend-0.75": {"knn_weight": 0.75, "knn_idf": True, "knn_power": 2,
                       "knn_recent": 1000, "knn_neighbours": 100},
}
DEFAULT = "pairwise"
#: the personal re-rank, added to a variant's name: "+personal" (one slot)
PERSONAL_SUFFIX = "+personal"
PERSONAL_SLOTS = 1


def names(with_personal: bool = False) -> list[str]:
    """The variants' names, simplest first (with their personal re-rank after all
    of them when ``with_personal``)."""
    out = list(FAMILY)
    return out + [n + PERSONAL_SUFFIX for n in FAMILY] if with_personal else out


def is_variant(name: str) -> bool:
    return name.removesuffix(PERSONAL_SUFFIX) in FAMILY


def store_choice(meta: dict[str, Any]) -> str:
    """The variant a store's meta says its backtest chose (DEFAULT when it has no
    choice, or one this version does not know)."""
    from .backtest import backtest_variant
    name = backtest_variant(meta)
    return name if name is not None and is_variant(name) else DEFAULT


def config_for(name: str, base: EngineConfig | None = None) -> EngineConfig:
    """``base`` (default: EngineConfig()) with the variant's changes. ValueError
    for an unknown name."""
    base = base or EngineConfig()
    core = name.removesuffix(PERSONAL_SUFFIX)
    if core not in FAMILY:
        raise ValueError(f"unknown scorer variant {name!r} (one of {', '.join(names())}, "
                         f"each also with {PERSONAL_SUFFIX})")
    changes = dict(FAMILY[core])
    if name.endswith(PERSONAL_SUFFIX):
        changes["personal_slots"] = PERSONAL_SLOTS
    return replace(base, **changes)
