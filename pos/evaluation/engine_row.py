"""The engine as one row of `pos eval`: pos.engine.Engine over a train store,
answering like the baselines (pos/evaluation/baselines.py)."""
from __future__ import annotations

from pathlib import Path


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
        if config is None:   # the variant the train store's nightly backtest chose
            from ..variants import store_choice
            self.note = f"scorer {store_choice(self.engine.meta)} (chosen by the load's backtest)"

    def recommend(self, basket_items, k, customer=None, now=0):
        return [s.sku for s in self.engine.suggest(list(basket_items), k=k,
                                                   customer=customer, now=now)]

    def close(self) -> None:
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()
