"""The engine's side of the nightly backtest: ``build`` and ``refine`` for
``run_backtest``.

``build`` mines the train baskets with the store's own mining
parameters (recency relative to the first test basket), builds one C engine
from the store's catalog arrays with those counts, lists and recent baskets,
and returns a scorer per variant of the family (pos/variants.py) and the simple
rules over the same lists; ``refine`` adds the personal re-rank of the best
variant. Customers' histories come from their train baskets.

With head office's holdout lists (``head_office``: the dump's mined/holdout/
part, mined from the chain's baskets before the cutoff), the lists are built
as the load builds them (``in_force``): "head-office" restores the holdout's
lists (no mining of the store's baskets), "blend" restores them scaled by s
(``prior_weight`` x train baskets / the holdout's baskets) and mines the train
baskets over them, "own" mines the train baskets alone; ``sources`` gives the
chosen variant on the other two (the source variants, run_backtest's compare).
"""
from __future__ import annotations

from array import array
from dataclasses import replace
from typing import Any, Sequence

from .. import variants
from ..chain.lists import MinedLists
from ..chain.part_reader import NativePart
from ..chain.prior import blend_params, restore_lists, scale
from ..engine import Engine
from ..errors import DumpError
from ..mining import MineParams, Miner
from ..native import ffi
from ..store.engine_data import CatalogTexts, EngineData
from .queries import BasketArrays, Query
from .rules import Scorer, bought, customer_baskets, simple_rules

# a core variant's answers: (basket, hidden item) -> the items it ranked
Answers = dict[tuple[int, int], list[int]]

SOURCES = {"own": "lists:own", "head-office": "lists:head-office", "blend": "lists:blend"}
"""The lists' sources -> their variant's name in the backtest (pos.backtest.SOURCES)."""
MINED = {"own": "ignore", "head-office": "use", "blend": "blend"}
"""The lists' sources -> the `pos load --mined` choice that gives them."""


def _copy(values: Any, typecode: str, lo: int, hi: int) -> array[int]:
    """values[lo:hi] as an array: one memory copy for a cffi array (the parser's)."""
    if isinstance(values, array):
        return values[lo:hi]
    out = array(typecode)
    size = out.itemsize
    out.frombytes(ffi.buffer(values)[lo * size:hi * size])
    return out


def subset(offsets: Any, items: Any, times: Any, ids: Sequence[int]
           ) -> tuple[array[int], array[int], array[int]]:
    """The baskets ``ids`` as CSR arrays (offsets from 0, items, times): one copy
    of a slice when ids are a run a..a+m-1 (a dump in time order)."""
    m = len(ids)
    if not m:
        return array("q", [0]), array("i"), array("q")
    a = ids[0]
    if ids[-1] == a + m - 1 and (m < 2 or ids[1] == a + 1):
        if a == 0:
            return (_copy(offsets, "q", 0, m + 1), _copy(items, "i", 0, offsets[m]),
                    _copy(times, "q", 0, m))
        base = offsets[a]
        return (array("q", (o - base for o in offsets[a:a + m + 1])),
                _copy(items, "i", base, offsets[a + m]), _copy(times, "q", a, a + m))
    sub_offsets, sub_items, sub_times = array("q", [0]), array("i"), array("q")
    for b in ids:
        sub_items.extend(items[offsets[b]:offsets[b + 1]])
        sub_offsets.append(len(sub_items))
        sub_times.append(times[b])
    return sub_offsets, sub_items, sub_times


def recent_part(offsets: Sequence[int], items: array[int], last: int) -> tuple[array[int], array[int]]:
    """The last ``last`` baskets of a CSR, as their own CSR."""
    n = len(offsets) - 1
    first = max(0, n - last)
    base = offsets[first]
    return (array("q", (o - base for o in offsets[first:n + 1])),
            _copy(items, "i", base, offsets[n]))


class FamilyBuilder:
    """``build(train_ids)`` for run_backtest over one store's baskets."""

    def __init__(self, baskets: BasketArrays, data: EngineData, texts: CatalogTexts,
                 params: MineParams, recent: int, k: int = 3,
                 with_personal: bool | None = None, *, head_office: MinedLists | NativePart | None = None,
                 items: dict[str, int] | None = None, in_force: str = "own",
                 prior_weight: float = 1.0) -> None:
        if in_force not in SOURCES:
            raise ValueError(f"in_force must be one of {', '.join(SOURCES)}, not {in_force!r}")
        if in_force != "own" and (head_office is None or items is None):
            raise ValueError(f"in_force {in_force!r} needs head office's lists and the items")
        self.head_office = head_office
        self.items = items
        self.in_force = in_force
        self.prior_weight = prior_weight
        self.notes: list[str] = []              # sources that could not be built, and why
        self.built: list[tuple[str, int]] = []  # (source, own baskets mined) per build
        self._train_ids: list[int] = []
        self.baskets = baskets
        self.data = data
        self.texts = texts
        self.params = params
        self.recent = recent
        self.k = k
        customers = getattr(baskets, "customers", None)
        has = customers is not None and any(c >= 0 for c in customers[0:baskets.n_baskets])
        self.with_personal = has if with_personal is None else with_personal
        self.order = variants.names()
        self._baskets_of: dict[int, list[int]] | None = None
        # the last build's engine, histories, time and answers (refine)
        self._last: tuple[Engine, _Histories | None, int, dict[str, Answers]] | None = None

    def _engine(self, train_ids: list[int], source: str) -> tuple[Engine, Any, Any, int]:
        """(engine, counts, lists, cut): the engine on the train baskets with the
        lists of `source` ("own", "head-office", "blend"; see the module)."""
        b = self.baskets
        offsets, items, times = subset(b.offsets, b.items, b.times, train_ids)
        held = self.head_office
        cut = b.times[train_ids[-1]] if train_ids else (held.params.ref_time if held else 0)
        if source == "head-office":
            assert held is not None and self.items is not None
            miner = Miner(self.data.n_items, replace(held.params, workers=self.params.workers))
        else:
            miner = Miner(self.data.n_items, replace(self.params, ref_time=cut))
        mined = 0
        try:
            if source != "own":
                assert held is not None and self.items is not None
                s = 1.0 if source == "head-office" else scale(len(train_ids), held.baskets,
                                                                  self.prior_weight)
                restore_lists(miner, held, self.items, s)
            if source != "head-office" and len(offsets) > 1:
                miner.add_baskets(offsets, items, times)
                mined = len(offsets) - 1
            counts, weights = miner.item_counts()
            lists = miner.neighbour_lists()
            stats = miner.stats()
        finally:
            miner.close()
        self.built.append((source, mined))
        rec_offsets, rec_items = recent_part(offsets, items, self.recent)
        data = replace(self.data, count=counts, weight=weights, n_baskets=stats.baskets,
                       total_weight=stats.weight, nb_offsets=lists.offsets,
                       nb_entries=lists.entries, recent_offsets=rec_offsets,
                       recent_items=rec_items, nb_released=False)
        return Engine(data, self.texts), counts, lists, cut

    def __call__(self, train_ids: list[int]
                 ) -> tuple[dict[str, Scorer], dict[str, Scorer], Sequence[str]]:
        b = self.baskets
        self._train_ids = train_ids
        engine, counts, lists, cut = self._engine(train_ids, self.in_force)
        last = (b.times[train_ids[-1]], train_ids[-1]) if train_ids else None
        history = _Histories(self, last) if self.with_personal else None
        answers: dict[str, Answers] = {}   # core variant -> its answer per query (see _scorer)
        scorers = {name: self._scorer(engine, name, history, cut, answers) for name in self.order}
        self._last = (engine, history, cut, answers)
        return scorers, simple_rules(counts, lists.of, self.k), self.order

    def refine(self, best: str | None) -> dict[str, Scorer]:
        """For run_backtest: the personal re-rank of the best variant, when the
        store has customers (scored on the last build's engine)."""
        if not self.with_personal or best is None or self._last is None:
            return {}
        engine, history, cut, answers = self._last
        name = best + variants.PERSONAL_SUFFIX
        return {name: self._scorer(engine, name, history, cut, answers)}

    def sources(self, chosen: str) -> tuple[str, dict[str, Scorer]]:
        """For run_backtest's compare: (the source in force's variant name, the
        chosen variant scored on each other source's lists, trained on the last
        build's train baskets). A blend whose parameters differ from the load's
        is left out, noted in ``notes``."""
        if self.head_office is None or self._last is None:
            return SOURCES[self.in_force], {}
        _, history, _, _ = self._last
        out: dict[str, Scorer] = {}
        for source in SOURCES:
            if source == self.in_force:
                continue
            if source == "blend":
                try:
                    blend_params(self.head_office.params, self.params)
                except DumpError as exc:
                    self.notes.append(f"{SOURCES[source]} not evaluated: {exc}")
                    continue
            engine, _, _, cut = self._engine(self._train_ids, source)
            out[SOURCES[source]] = self._scorer(engine, chosen, history, cut, {})
        return SOURCES[self.in_force], out

    def baskets_of(self) -> dict[int, list[int]]:
        """customer -> their basket ids (every customer; one pass, made once)."""
        if self._baskets_of is None:
            b = self.baskets
            self._baskets_of = customer_baskets(b.customers, b.n_baskets, None)
        return self._baskets_of

    def _scorer(self, engine: Engine, name: str, history: _Histories | None, now: int,
                answers: dict[str, Answers]) -> Scorer:
        """The scorer of variant ``name``. A core variant keeps its answers; its
        personal re-rank differs only for a customer with a history, and takes
        the core's answer for every other query (the core is asked first)."""
        config = variants.config_for(name)
        config = replace(config, max_k=max(config.max_k, self.k))
        core = name.removesuffix(variants.PERSONAL_SUFFIX)
        mine = answers.setdefault(core, {}) if core == name else None
        theirs = answers.setdefault(core, {})
        k = self.k

        def score(q: Query) -> list[int]:
            entries, visits = history.of(q.customer) if history is not None else (None, 0)
            if mine is None and entries is None:
                known = theirs.get((q.basket, q.hidden))
                if known is not None:
                    return known
            found = engine.rank_items(q.known, k, config, entries, visits, q.time or now)
            if mine is not None:
                mine[(q.basket, q.hidden)] = found
            return found
        return score


class _Histories:
    """A slice's customer histories from their train baskets, made on first use:
    basket b is a train basket when (time, b) <= ``last``'s."""

    def __init__(self, builder: FamilyBuilder, last: tuple[int, int] | None) -> None:
        self.builder = builder
        self.cut = (last[0], last[1] + 1) if last is not None else None   # rules.bought's cut
        self.cache: dict[int, tuple[Any, int]] = {}   # customer -> (cdata history or None, visits)

    def of(self, customer: int) -> tuple[Any, int]:
        if customer < 0 or self.cut is None:
            return None, 0
        hit = self.cache.get(customer)
        if hit is None:
            b = self.builder.baskets
            mine, n = bought(self.builder.baskets_of().get(customer, ()), b.offsets, b.items,
                             b.times, self.cut)
            entries = (Engine.customer_entries([(item, c, t) for item, (c, t) in sorted(mine.items())])
                       if mine else None)
            hit = self.cache[customer] = (entries, n)
        return hit
