"""pos: a suggestion terminal for shop tills.

The nightly load (`pos load`) turns a head-office dump into a store; the rest of
the package reads that store.
"""
__version__ = "0.1.0"


def __getattr__(name):   # Engine and Suggestion without importing the C core up front
    if name in ("Engine", "Suggestion", "EngineConfig"):
        from . import engine
        return getattr(engine, name)
    raise AttributeError(f"module 'pos' has no attribute {name!r}")
