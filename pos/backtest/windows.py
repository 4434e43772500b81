"""The backtest's split of the store's baskets: the time order, and the rolling
test windows (slice 1 = the latest), each trained on every basket before it and
tested on a seeded sample of its baskets of at least 2 distinct items.

The windows are those of ``pos eval`` (docs/evaluation.md, "Protocol"): with n
baskets a window is w = ceil(window * n) baskets, slice 1's window is the last
w in time order, slice 2's the w before it, and so on. Too little data gives
fewer slices, or none, with a reason the load summary can show.

With head office's holdout lists (docs/mining.md, "The backtest of head
office's lists"), ``cutoff_slices`` splits at the holdout's cutoff instead:
every slice trains on the baskets before the cutoff, and the baskets after it
make the windows (the same number of slices, the same sample size).
"""
from __future__ import annotations

import bisect
import math
import operator
import random
from dataclasses import dataclass
from itertools import islice
from typing import Sequence

__all__ = ["MIN_BASKETS", "MIN_TEST", "Slice", "cutoff_slices", "make_slices", "time_order"]

MIN_BASKETS = 200   # fewer baskets in the store: no backtest
MIN_TEST = 20       # a slice needs at least this many test baskets (>= min_items items)


def _prefix(values: Sequence[int], n: int) -> list[int]:
    """The first n values as a list (a list, array.array or cffi array)."""
    return list(values[0:n])


def time_order(times: Sequence[int], n_baskets: int) -> list[int]:
    """Basket ids by time; baskets with the same time keep their id (file) order."""
    t = _prefix(times, n_baskets)
    if all(map(operator.le, t, islice(t, 1, None))):
        return list(range(n_baskets))           # already in time order: the usual dump
    return sorted(range(n_baskets), key=t.__getitem__)


@dataclass(frozen=True)
class Slice:
    """One test window: the baskets at positions [train_end, window_end) of the
    time order (from ``window_start`` when it is given: a cutoff's slice); its
    train part is every basket before ``train_end``."""

    number: int              # 1 = the latest window
    train_end: int           # position in the time order where the window starts
    window_end: int          # position just after the window
    eligible: int            # the window's baskets with >= min_items distinct items
    test: tuple[int, ...]    # the sampled test basket ids, in time order
    window_start: int = -1   # a cutoff's slice: where its window starts (-1: train_end)

    @property
    def window(self) -> int:
        return self.window_end - (self.train_end if self.window_start < 0 else self.window_start)

    def train_ids(self, order: Sequence[int]) -> list[int]:
        """The train basket ids (``order`` = ``time_order(...)``), in time order."""
        ids = order[:self.train_end]
        return ids if isinstance(ids, list) else list(ids)


def _distinct_at_least(offsets: Sequence[int], items: Sequence[int], b: int, m: int) -> bool:
    lo, hi = offsets[b], offsets[b + 1]
    return hi - lo >= m and len(set(items[lo:hi])) >= m


def make_slices(order: Sequence[int], n_slices: int = 2, window: float = 0.1,
                sample: int = 500, seed: int = 1, min_items: int = 2, *,
                offsets: Sequence[int], items: Sequence[int] | None = None,
                min_baskets: int = MIN_BASKETS,
                min_test: int = MIN_TEST) -> tuple[list[Slice], str]:
    """(slices, reason): up to ``n_slices`` slices, the latest first.

    A window's eligible baskets are those with at least ``min_items`` distinct
    items: counted from ``offsets`` alone (lines = distinct items, as the
    basket parser's arrays are), or from ``items`` when it is given. A slice's
    test baskets are a seeded sample (``random.Random(seed)``, drawn slice 1
    first) of at most ``sample`` of them, kept in time order.

    ``reason`` is "" when all ``n_slices`` slices were made. Otherwise it says
    why not, for the load summary: "backtest skipped: ..." when there is no
    slice (fewer than ``min_baskets`` baskets, or slice 1 has fewer than
    ``min_test`` eligible baskets or no train basket), "backtest on 1 slice of
    2: ..." when a later slice fell short (the slices stop there).
    """
    if not 0 < window < 1:
        raise ValueError(f"window must be between 0 and 1, not {window}")
    n = len(order)
    too_few = _too_few(n, n_slices, sample, min_baskets)
    if too_few:
        return [], too_few
    w = math.ceil(window * n)
    rng = random.Random(seed)
    slices: list[Slice] = []
    for number in range(1, n_slices + 1):
        start, end = n - number * w, n - (number - 1) * w
        short = None
        if start < 1:
            short = "no baskets before its test window"
        else:
            if items is None:
                eligible = [b for b in islice(order, start, end)
                            if offsets[b + 1] - offsets[b] >= min_items]
            else:
                eligible = [b for b in islice(order, start, end)
                            if _distinct_at_least(offsets, items, b, min_items)]
            if len(eligible) < min_test:
                short = (f"only {len(eligible):,} of its {w:,} baskets have "
                         f"{min_items} or more items (it needs {min_test:,})")
        if short is not None:
            if number == 1:
                return [], f"backtest skipped: the latest {w:,} baskets: {short}"
            done = number - 1
            return slices, (f"backtest on {done} slice{'s' if done > 1 else ''} of {n_slices}: "
                            f"slice {number} ({short})")
        slices.append(Slice(number, start, end, len(eligible), _sample(rng, eligible, sample)))
    return slices, ""


def _too_few(n: int, n_slices: int, sample: int, min_baskets: int) -> str:
    """ValueError for a bad n_slices or sample; the reason to skip when n
    baskets are fewer than min_baskets, else ""."""
    if n_slices < 1:
        raise ValueError(f"n_slices must be at least 1, not {n_slices}")
    if sample < 1:
        raise ValueError(f"sample must be at least 1, not {sample}")
    if n < min_baskets:
        return f"backtest skipped: only {n:,} baskets (it needs {min_baskets:,})"
    return ""


def _sample(rng: random.Random, eligible: list[int], sample: int) -> tuple[int, ...]:
    if len(eligible) > sample:
        keep = sorted(rng.sample(range(len(eligible)), sample))
        return tuple(eligible[i] for i in keep)
    return tuple(eligible)


def cutoff_slices(order: Sequence[int], times: Sequence[int], cutoff: int, n_slices: int = 2,
                  sample: int = 500, seed: int = 1, min_items: int = 2, *,
                  offsets: Sequence[int], min_baskets: int = MIN_BASKETS,
                  min_test: int = MIN_TEST) -> tuple[list[Slice], str]:
    """(slices, reason) split at ``cutoff`` (UTC seconds): every slice trains on
    the baskets before it (``train_end`` = the first position at or after it;
    there may be none), and the baskets from the cutoff on are cut into
    ``n_slices`` equal windows, slice 1 the latest, each tested on a seeded
    sample of at most ``sample`` of its eligible baskets (as ``make_slices``).
    ``reason`` as make_slices' ("backtest skipped: ..." when no slice)."""
    n = len(order)
    too_few = _too_few(n, n_slices, sample, min_baskets)
    if too_few:
        return [], too_few
    t = [times[b] for b in order]
    start = bisect.bisect_left(t, cutoff)
    after = n - start
    if after < 1:
        return [], "backtest skipped: no baskets after the holdout's cutoff"
    w = math.ceil(after / n_slices)
    rng = random.Random(seed)
    slices: list[Slice] = []
    for number in range(1, n_slices + 1):
        lo, hi = max(start, n - number * w), n - (number - 1) * w
        eligible = [b for b in islice(order, lo, hi) if offsets[b + 1] - offsets[b] >= min_items]
        if hi <= lo or len(eligible) < min_test:
            short = (f"only {len(eligible):,} of its {max(0, hi - lo):,} baskets after the "
                     f"holdout's cutoff have {min_items} or more items (it needs {min_test:,})")
            if number == 1:
                return [], f"backtest skipped: {short}"
            done = number - 1
            return slices, (f"backtest on {done} slice{'s' if done > 1 else ''} of {n_slices}: "
                            f"slice {number} ({short})")
        slices.append(Slice(number, start, hi, len(eligible), _sample(rng, eligible, sample),
                            window_start=lo))
    return slices, ""
