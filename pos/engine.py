"""The suggestion engine: `Engine.open(store)` then `engine.suggest(basket)`.

The scoring runs in the C core (native/scorer.c, docs/scoring.md): the engine
is built once from the store's arrays and is read-only; every thread gets its
own scratch and request buffers (thread-local), and the C call runs without
the GIL. Only lazy loading of a customer's history takes a lock.

Unknown skus in a basket (or in `declined`) are ignored; `suggest_ex` returns
them beside the suggestions, and `suggest` leaves them in `engine.last_unknown`
(per thread).
"""
from __future__ import annotations

import json
import math
import sqlite3
import struct
import threading
import time
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from os import PathLike
from pathlib import Path
from typing import Any, Literal, TypedDict

from .currency import Currency
from .engine_config import EngineConfig
from .history import ENTRY as HISTORY_ENTRY
from .i18n.formats import Numbers, number_locale
from .mining import ENTRY as NEIGHBOUR_ENTRY
from .native import check, ffi, lib
from .reasons import templates as reason_templates
from .store.engine_data import CatalogTexts, EngineData, neighbour_blobs, read_customer, read_engine_data
from .store.reader import open_store

KINDS = {1: "cross", 2: "upsell", 3: "bundle"}
SOURCES = {0: "mined", 1: "rule", 2: "family", 3: "upgrade", 4: "bundle", 5: "similar"}
_BASKET_CAP = 256

# what suggest takes as a basket: skus, (sku, quantity) pairs or {sku: quantity}
Basket = Iterable[str | tuple[str, float]] | Mapping[str, float]


@dataclass(frozen=True)
class Suggestion:
    sku: str
    name: str
    kind: str                  # 'cross' | 'upsell' | 'bundle'
    score: float
    price: int                 # minor units: upsell = the price step; else the item's price
    reason: str
    pitch: str | None = None
    replaces: str | None = None    # upsell: the sku of the line it swaps
    bundle: str | None = None      # bundle: the deal's id
    saving: int | None = None      # bundle: what the deal takes off (minor units)
    source: str = "mined"          # mined | rule | family | upgrade | bundle
    personal: bool = False
    anchor: str | None = None      # the basket sku that explains it (None: none does)


# Building a Suggestion: its generated __init__ (the dataclass is frozen) sets each
# of the thirteen fields through object.__setattr__, about as slow as the C call
# for a small basket; _make_suggestion gives the instance the same __dict__ in
# one step (the same object: ==, hash, repr, pickling, FrozenInstanceError).
_SUGGESTION_FIELDS = tuple(f.name for f in fields(Suggestion))
_new_object = object.__new__
_set_attr = object.__setattr__


def _make_suggestion(*values: object) -> Suggestion:
    s = _new_object(Suggestion)
    _set_attr(s, "__dict__", dict(zip(_SUGGESTION_FIELDS, values)))
    return s


# A pos_suggestion as one tuple (struct.unpack): one call instead of a cffi
# attribute read per field. The layout is checked against the header's.
_OUT = struct.Struct("@iidqiIIiii")
_OUT_FIELDS = ("item", "kind", "score", "price_or_step", "anchor", "anchor_count", "pair_count",
               "source", "index", "personal")


def _check_out_layout() -> None:
    codes = _OUT.format.lstrip("@")
    for i, name in enumerate(_OUT_FIELDS):
        offset = struct.calcsize("@" + codes[:i + 1]) - struct.calcsize(codes[i])
        if ffi.offsetof("pos_suggestion", name) != offset:
            raise ImportError(f"pos_suggestion.{name} is not where pos.engine reads it")
    if ffi.sizeof("pos_suggestion") != _OUT.size:
        raise ImportError("pos_suggestion's size is not what pos.engine reads")


_check_out_layout()


def _array(ctype: str, buf: array[Any]) -> Any:
    return ffi.from_buffer(ctype + "[]", buf) if len(buf) else ffi.NULL


# pos_engine_data's array fields, filled from EngineData's arrays of the same names;
# the C type follows from each array's typecode
ARRAY_FIELDS = ("price", "cost", "flags", "family", "tier", "category", "count", "weight",
                "category_parent", "nb_offsets", "upgrade_from", "upgrade_to",
                "bundle_offsets", "bundle_items", "bundle_qty", "bundle_saving", "bundle_from",
                "bundle_to", "rule_trigger_item", "rule_trigger_category", "rule_item",
                "rule_kind", "rule_priority", "rule_boost", "rule_from", "rule_to",
                "recent_offsets", "recent_items")
C_TYPES = {"B": "uint8_t", "i": "int32_t", "I": "uint32_t", "q": "int64_t", "d": "double"}


class _NativeEngine:
    """Owns the pos_engine handle."""

    def __init__(self, d: EngineData) -> None:
        c = ffi.new("pos_engine_data *")
        keep: list[Any] = []   # the cdata c points into, alive as long as it

        def arr(ctype: str, buf: array[Any]) -> Any:
            a = _array(ctype, buf)
            keep.append(a)
            return a

        c.n_items = d.n_items
        for name in ARRAY_FIELDS:
            buf = getattr(d, name)
            setattr(c, name, arr(C_TYPES[buf.typecode], buf))
        c.n_categories = len(d.category_parent)
        c.n_baskets, c.total_weight = d.n_baskets, d.total_weight
        c.nb_entries = (ffi.from_buffer("pos_neighbour[]", d.nb_entries) if d.nb_entries
                        else ffi.NULL)
        keep.append(c.nb_entries)
        c.n_upgrades = len(d.upgrade_from)
        c.n_bundles = len(d.bundle_saving)
        c.n_rules = len(d.rule_kind)
        c.n_recent = d.n_recent
        out = ffi.new("pos_engine **")
        check(lib.pos_engine_new(c, out), "pos_engine_new")
        self.handle = ffi.gc(out[0], lib.pos_engine_free)
        self.n_items = d.n_items

    def set_neighbours(self, item: int, blob: bytes) -> None:
        """One list of an engine made without its entries (pos_engine_set_neighbours)."""
        check(lib.pos_engine_set_neighbours(self.handle, item,
                                            ffi.from_buffer("pos_neighbour[]", blob),
                                            len(blob) // NEIGHBOUR_ENTRY.size),
              f"pos_engine_set_neighbours(item {item})")


class _Buffers:
    """One thread's scratch and request buffers."""

    def __init__(self, native: _NativeEngine, config: EngineConfig) -> None:
        out = ffi.new("pos_scratch **")
        check(lib.pos_scratch_new(native.handle, out), "pos_scratch_new")
        self.scratch = ffi.gc(out[0], lib.pos_scratch_free)
        self.req = ffi.new("pos_score_request *")
        self.n_out = ffi.new("size_t *")
        self._use(config)
        self.grow_basket(_BASKET_CAP)
        self.declined = ffi.new("int32_t[]", 64)
        self.out = ffi.new("pos_suggestion[]", config.max_k)
        self.req.declined = self.declined

    def set_config(self, config: EngineConfig) -> None:
        if config is not self.config:
            self._use(config)

    def _use(self, config: EngineConfig) -> None:
        config.fill(self.req.config)
        self.config = config
        self.out = ffi.new("pos_suggestion[]", config.max_k)

    def grow_basket(self, n: int) -> None:
        self.cap = n
        self.items = ffi.new("int32_t[]", n)
        self.qty = ffi.new("double[]", n)
        self.req.basket_items = self.items
        self.req.basket_qty = self.qty


REGULAR = 3   # purchases before a reason says "you buy this regularly"


@dataclass
class _Customer:
    entries: Any             # cdata pos_customer_item[] or NULL
    n: int
    baskets: int             # the customer's baskets in the history (visits)
    counts: dict[int, int] = field(default_factory=dict)   # item -> baskets


def _to_seconds(now: datetime | float | None) -> int:
    if now is None:
        return int(time.time())
    if isinstance(now, datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return int(now.timestamp())
    if isinstance(now, bool) or not isinstance(now, (int, float)):
        raise TypeError(f"now must be a datetime or UTC seconds, not {type(now).__name__}")
    return int(now)


class Engine:
    """Suggestions for baskets from one store. Thread-safe."""

    def __init__(self, data: EngineData, texts: CatalogTexts, config: EngineConfig | None = None,
                 lang: str | None = None, path: Path | None = None):
        self.config = config or EngineConfig()
        self.data = data
        self.texts = texts
        self.meta = texts.meta
        self.path = path
        locale = str(self.meta.get("locale") or "en")
        self.locale = locale
        self.lang = lang or locale.split("_")[0]   # names, pitches and reasons
        self.currency = Currency.from_meta(self.meta)
        self._native = _NativeEngine(data)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._customers: dict[str, _Customer | None] = {}
        self._names: dict[int, str] = {}          # item -> name in self.lang
        self._pitches: dict[int, str | None] = {}  # item -> pitch in self.lang
        self._say = reason_templates(self.lang)    # reason templates in self.lang
        self._numbers = Numbers(number_locale(self.lang, locale))   # figures in reasons
        self._categories: dict[int, str | None] = {}   # category -> name in reasons
        # mined cross-sell (anchor, item, anchor count, pair count) -> its "together" reason
        self._together: dict[tuple[int, int, int, int], str] = {}
        self._money_cache: dict[int, str] = {}    # minor units -> formatted amount
        self._conn: sqlite3.Connection | None = None
        self._sku_index = texts.sku_index
        self.learned: Learner | None = None   # the overlay suggest() uses by default

    @classmethod
    def open(cls, path: str | PathLike[str], config: EngineConfig | None = None,
             lang: str | None = None) -> "Engine":
        """Builds the engine from a published store. StoreError when the store is
        missing, not a pos store, damaged, or of another schema version. Without
        a ``config``, the scorer variant the store's nightly backtest chose."""
        from .errors import NativeError, StoreError
        path = Path(path)
        conn = open_store(path)
        try:
            # the lists go into the C engine one at a time, never all held twice
            data, texts = read_engine_data(conn, neighbours=False)
            if config is None:
                from . import variants
                config = variants.config_for(variants.store_choice(texts.meta))
            engine = cls(data, texts, config, lang, path)
            for item, blob in neighbour_blobs(conn, data.n_items):
                engine._native.set_neighbours(item, blob)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a pos store or damaged ({exc})") from None
        except NativeError as exc:
            raise StoreError(f"{path}: damaged neighbour lists or recent baskets ({exc})") from None
        finally:
            conn.close()
        data.release_neighbours()     # the C engine holds the lists
        return engine

    def new_learner(self) -> "Learner":
        """An empty overlay for today's sales and declines (see Learner)."""
        return Learner(self)

    @property
    def memory(self) -> int:
        """Bytes the C engine holds (the neighbour index and the item arrays)."""
        memory: int = lib.pos_engine_memory(self._native.handle)
        return memory

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ---- per call ------------------------------------------------------------

    def _buffers(self) -> _Buffers:
        b = getattr(self._local, "b", None)
        if b is None:
            b = self._local.b = _Buffers(self._native, self.config)
        return b

    def _customer(self, customer: str) -> _Customer | None:
        cached = self._customers.get(customer, False)     # one lookup, no lock
        if not isinstance(cached, bool):
            return cached
        with self._lock:
            if customer in self._customers:
                return self._customers[customer]
            if self.path is None:
                result = None
            else:
                if self._conn is None:
                    self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                                 check_same_thread=False)
                found = read_customer(self._conn, customer)
                result = None if found is None else self._make_customer(*found)
            self._customers[customer] = result
            return result

    def _make_customer(self, visits: int, blob: bytes) -> _Customer:
        n = len(blob) // HISTORY_ENTRY.size
        counts = {item: baskets for item, baskets, _ in
                  HISTORY_ENTRY.iter_unpack(blob[:n * HISTORY_ENTRY.size])}
        if any(not 0 <= i < self.data.n_items for i in counts):
            n, counts = 0, {}
        entries = ffi.new("pos_customer_item[]", n) if n else ffi.NULL
        if n:
            ffi.memmove(entries, blob, n * HISTORY_ENTRY.size)
        return _Customer(entries, n, max(visits, *counts.values(), 0), counts)

    def suggest(self, basket: Basket, k: int = 3, customer: str | None = None,
                declined: Iterable[str] = (), now: datetime | float | None = None,
                config: EngineConfig | None = None,
                learned: Learner | Literal[False] | None = None) -> list[Suggestion]:
        """Ranked suggestions for a basket: skus, (sku, quantity) pairs or {sku: quantity}.
        `learned`: a Learner of this engine (today's sales and declines); None = the
        engine's own `learned` (None by default); False = none."""
        result, unknown = self.suggest_ex(basket, k, customer, declined, now, config, learned)
        self._local.unknown = unknown
        return result

    @property
    def last_unknown(self) -> list[str]:
        """The skus the last `suggest` on this thread ignored (not in the catalog)."""
        return getattr(self._local, "unknown", [])

    def suggest_ex(self, basket: Basket, k: int = 3, customer: str | None = None,
                   declined: Iterable[str] = (), now: datetime | float | None = None,
                   config: EngineConfig | None = None,
                   learned: Learner | Literal[False] | None = None
                   ) -> tuple[list[Suggestion], list[str]]:
        """(suggestions, unknown skus)."""
        cfg = config or self.config
        if isinstance(k, bool) or not isinstance(k, int) or k < 0:
            raise ValueError(f"k must be an integer >= 0, not {k!r}")
        k = min(k, cfg.max_k)
        b = self._buffers()
        b.set_config(cfg)
        req = b.req
        index = self._sku_index
        unknown: list[str] = []
        n = -1
        if type(basket) is list or type(basket) is tuple:
            # the common case, skus that are all known: the items array in one go
            try:
                known = array("i", map(index.__getitem__, basket))
            except Exception:   # an unknown sku, or not only skus: the general path below
                pass
            else:
                n = len(known)
                if n > b.cap:
                    b.grow_basket(n)
                ffi.memmove(b.items, known, 4 * n)
                req.basket_qty = ffi.NULL   # 1 each
        if n < 0:
            n = self._fill_basket(b, basket, unknown)
            req.basket_qty = b.qty
        req.n_basket = n
        nd = 0
        for sku in declined:
            item = index.get(sku)
            if item is None:
                unknown.append(sku)
                continue
            if nd == len(b.declined):
                old = b.declined
                b.declined = ffi.new("int32_t[]", 2 * nd)
                ffi.memmove(b.declined, old, nd * 4)
                req.declined = b.declined
            b.declined[nd] = item
            nd += 1
        req.n_declined = nd
        person = self._customer(customer) if customer is not None else None
        if person is not None and person.n:
            req.history = person.entries
            req.n_history = person.n
            req.customer_baskets = person.baskets
        else:
            req.history = ffi.NULL
            req.n_history = 0
            req.customer_baskets = 0
        req.now = _to_seconds(now)
        req.k = k
        out = b.out
        if learned is None:
            learned = self.learned
        if learned:
            if learned.engine is not self:
                raise ValueError("the Learner was made for another engine")
            with learned.lock:   # no add_sale / add_decline during the call
                req.learned = learned.handle
                status = lib.pos_engine_score(self._native.handle, b.scratch, req, out, len(out),
                                              b.n_out)
                req.learned = ffi.NULL
        else:
            status = lib.pos_engine_score(self._native.handle, b.scratch, req, out, len(out),
                                          b.n_out)
        if status:
            check(status, "pos_engine_score")
        n_out = b.n_out[0]
        if not n_out:
            return [], unknown
        make = self._suggestion
        return [make(row, person)
                for row in _OUT.iter_unpack(ffi.buffer(out, n_out * _OUT.size))], unknown

    def _fill_basket(self, b: _Buffers, basket: Basket, unknown: list[str]) -> int:
        """Writes the basket's known items and quantities into b's arrays (unknown
        skus into `unknown`); returns how many."""
        index = self._sku_index
        if isinstance(basket, Mapping):
            basket = basket.items()
        n = 0
        if isinstance(basket, (list, tuple)) and all(type(s) is str for s in basket):
            # a list of skus, some unknown: the arrays are built in one go
            known = array("i")
            for sku in basket:
                item = index.get(sku)
                if item is None:
                    unknown.append(sku)
                else:
                    known.append(item)
            n = len(known)
            if n > b.cap:
                b.grow_basket(n)
            ffi.memmove(b.items, known, 4 * n)
            ffi.memmove(b.qty, array("d", [1.0]) * n, 8 * n)
            basket = ()
        for entry in basket:
            if isinstance(entry, str):
                sku, qty = entry, 1.0
            else:
                sku, qty = entry
                qty = float(qty)
                if not (qty > 0 and math.isfinite(qty)):
                    raise ValueError(f"quantity of {sku!r} must be > 0, not {qty!r}")
            item = index.get(sku)
            if item is None:
                unknown.append(sku)
                continue
            if n == b.cap:
                old_items, old_qty = b.items, b.qty
                b.grow_basket(2 * b.cap)
                ffi.memmove(b.items, old_items, n * 4)
                ffi.memmove(b.qty, old_qty, n * 8)
            b.items[n] = item
            b.qty[n] = qty
            n += 1
        return n

    def score_raw(self, items: Sequence[int], k: int = 3, learned: Learner | None = None, *,
                  config: EngineConfig | None = None, history: Any = None,
                  customer_baskets: int = 0, now: int = 0) -> int:
        """The bare C call on item indexes (benchmarks, the backtest): the number of
        results written into this thread's buffer (see rank_items). ``history``: a
        cdata pos_customer_item[] (customer_entries) or None."""
        b = self._buffers()
        b.set_config(config or self.config)
        if len(items) > b.cap:
            b.grow_basket(len(items))
        req = b.req
        req.learned = learned.handle if learned is not None else ffi.NULL
        for i, item in enumerate(items):
            b.items[i] = item
            b.qty[i] = 1.0
        req.basket_qty = b.qty
        req.n_basket = len(items)
        req.n_declined = 0
        req.history = history if history is not None else ffi.NULL
        req.n_history = len(history) if history is not None else 0
        req.customer_baskets = customer_baskets
        req.now = now
        req.k = min(k, b.config.max_k)
        status = lib.pos_engine_score(self._native.handle, b.scratch, req, b.out, len(b.out),
                                      b.n_out)
        req.learned = ffi.NULL
        check(status, "pos_engine_score")
        n: int = b.n_out[0]
        return n

    def rank_items(self, items: Sequence[int], k: int = 3, config: EngineConfig | None = None,
                   history: Any = None, customer_baskets: int = 0, now: int = 0) -> list[int]:
        """score_raw's results as item indexes, best first (the backtest's scorers)."""
        n = self.score_raw(items, k, config=config, history=history,
                           customer_baskets=customer_baskets, now=now)
        out = self._buffers().out
        return [out[i].item for i in range(n)]

    @staticmethod
    def customer_entries(entries: Sequence[tuple[int, int, int]]) -> Any:
        """(item, baskets, last_time) triples as a cdata pos_customer_item[]."""
        arr = ffi.new("pos_customer_item[]", len(entries))
        for slot, (item, baskets, last) in zip(arr, entries):
            slot.item, slot.baskets, slot.last_time = item, baskets, last
        return arr

    # ---- explaining --------------------------------------------------------------

    def money(self, minor: int) -> str:
        """An amount in minor units, formatted for the store (memoised: Babel is slow)."""
        text = self._money_cache.get(minor)
        if text is None:
            text = self.currency.format(minor, self.locale)
            if len(self._money_cache) < 100_000:
                self._money_cache[minor] = text
        return text

    def _text(self, base: str | None, raw_json: str | None) -> str | None:
        if raw_json and self.lang:
            texts: dict[str, str]      # {lang: text}
            try:
                texts = json.loads(raw_json)
            except ValueError:
                texts = {}
            text = texts.get(self.lang)
            if text:
                return text
        return base

    def name(self, item: int) -> str:
        """The item's name in the engine's language (memoised: it parses JSON)."""
        text = self._names.get(item)
        if text is None:
            t = self.texts
            # every item of a store has a sku; "" for a number the store skips (never suggested)
            text = self._names[item] = (self._text(t.names[item], t.name_i18n[item]) or t.skus[item]
                                        or "")
        return text

    def _pitch(self, item: int) -> str | None:
        """The item's pitch in the engine's language (memoised: it parses JSON)."""
        try:
            return self._pitches[item]
        except KeyError:
            t = self.texts
            text = self._pitches[item] = self._text(t.pitch[item], t.pitch_i18n[item])
            return text

    def _pct(self, part: int, whole: int) -> str:
        """part / whole as a whole percentage, written for self.lang ("38 %" in nb)."""
        return self._numbers.percent(round(100 * part / whole) / 100 if whole else 0)

    def category_name(self, category: int) -> str | None:
        """A category's name as a reason says it in the engine's language (lower
        case, words in capitals kept), or None when the store has no name for it
        in that language. The paths of the dump are in its own language (the
        manifest's locale): untranslated, they serve that language only."""
        try:
            return self._categories[category]
        except KeyError:
            pass
        path = self.texts.categories[category]
        name, raw = self.texts.category_names.get(path, (None, None))
        text = self._text(None, raw)
        if not text and self.lang == self.locale.split("_")[0]:
            text = name or path.split(" > ")[-1]
        text = self._categories[category] = _in_sentence(text) if text else None
        return text

    def _suggestion(self, row: tuple[Any, ...], person: _Customer | None) -> Suggestion:
        """A Suggestion from a pos_suggestion unpacked by _OUT."""
        item, kind_no, score, price, anchor, anchor_count, pair_count, source_no, index, \
            personal = row
        t, d, say = self.texts, self.data, self._say
        name = self._names.get(item) or self.name(item)
        pitch = self._pitch(item)
        if kind_no == 1 and source_no == 0:   # a mined cross-sell, the common case
            key = (anchor, item, anchor_count, pair_count)
            together = self._together.get(key)
            if together is None:
                together = ""
                if anchor >= 0 and anchor_count:
                    together = say["together"].format(pct=self._pct(pair_count, anchor_count),
                                                      anchor=self.name(anchor), name=name)
                if len(self._together) < 100_000:
                    self._together[key] = together
            bought = person.counts.get(item, 0) if personal and person is not None else 0
            if person is not None and bought >= REGULAR:
                mine = say["personal"].format(count=self._numbers.integer(bought),
                                              visits=self._numbers.integer(person.baskets))
                reason = f"{mine}; {together}" if together else mine
            else:
                reason = together or say["fallback"].format()
            s = _new_object(Suggestion)   # see _make_suggestion
            _set_attr(s, "__dict__", {
                "sku": t.skus[item], "name": name, "kind": "cross", "score": score, "price": price,
                "reason": reason, "pitch": pitch, "replaces": None, "bundle": None,
                "saving": None, "source": "mined", "personal": bool(personal),
                "anchor": t.skus[anchor] if anchor >= 0 else None})
            return s
        kind = KINDS[kind_no]
        source = SOURCES.get(source_no, "mined")
        replaces = bundle = saving = None
        if kind == "upsell":
            replaces = t.skus[anchor]
            c_a, c_u = d.count[anchor], d.count[item]
            pct = self._pct(c_u, c_a + c_u)
            reason = say["upgrade"].format(step=self.money(price), name=name)
            if source == "rule":
                pitch = self._text(t.rule_pitch[index], t.rule_pitch_i18n[index]) or pitch
            else:
                if source == "upgrade":
                    up = t.upgrade_pitch.get((anchor, item))
                    if up:
                        pitch = self._text(*up) or pitch
                reason += (say["upgrade_family"].format(pct=pct) if source == "family"
                           else say["upgrade_item"].format(pct=pct, other=self.name(anchor)))
        elif kind == "bundle":
            bundle = t.bundle_ids[index]
            saving = price
            price = d.price[item]
            deal = self._text(t.bundle_names[index], t.bundle_name_i18n[index])
            reason = say["bundle"].format(deal=deal, saving=self.money(saving))
        elif source == "rule":
            pitch = self._text(t.rule_pitch[index], t.rule_pitch_i18n[index]) or pitch
            tc = d.rule_trigger_category[index]
            category = self.category_name(tc) if tc >= 0 else None
            if category:
                reason = say["rule_category"].format(category=category)
            elif tc >= 0:
                reason = say["rule_category_unnamed"].format()
            elif anchor >= 0:
                reason = say["rule_item"].format(name=self.name(anchor))
            else:
                reason = say["rule_store"].format()
        else:
            parts = []
            bought = person.counts.get(item, 0) if person is not None else 0
            if personal and person is not None and bought >= REGULAR:
                parts.append(say["personal"].format(count=self._numbers.integer(bought),
                                                    visits=self._numbers.integer(person.baskets)))
            if source == "similar" and anchor_count:
                parts.append(say["similar"].format(count=self._numbers.integer(pair_count),
                                                   of=self._numbers.integer(anchor_count),
                                                   name=name))
            elif anchor >= 0 and anchor_count:
                parts.append(say["together"].format(pct=self._pct(pair_count, anchor_count),
                                                    anchor=self.name(anchor), name=name))
            reason = "; ".join(parts) or say["fallback"].format()
        return _make_suggestion(t.skus[item], name, kind, score, price, reason, pitch, replaces,
                                bundle, saving, source, bool(personal),
                                t.skus[anchor] if anchor >= 0 else None)


def _in_sentence(name: str) -> str:
    """A category's name as it reads inside a sentence: "Phones" -> "phones",
    "TV & video" -> "TV & video" (a word with more capitals is kept)."""
    return " ".join(w.lower() if w[1:] == w[1:].lower() else w for w in name.split(" "))


class LearnerStats(TypedDict):
    """Learner.stats(): what the overlay holds (pos_learned_stats)."""
    baskets: int
    weight: float
    pairs: int
    declines: int
    dropped: int


class Learner:
    """What the till learns during the day on top of an engine's mined counts: the
    paid baskets (pair co-counts and item counts, weighted like the nightly
    load's baskets) and the declined suggestions (a decaying damping of the
    pair). The C overlay pos_learned; docs/scoring.md, "Learning during the day".

    Pass it to `engine.suggest(..., learned=...)` or set `engine.learned`. Adding
    and scoring are serialised by `lock` (the C overlay must not change while a
    call reads it). Unknown skus are ignored."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.lock = threading.Lock()
        mining = engine.meta.get("mining")
        mining = mining if isinstance(mining, dict) else {}
        size_cap, top_n = mining.get("size_cap"), mining.get("top_n")
        params = ffi.new("pos_learn_params *")
        params.size_cap = size_cap if isinstance(size_cap, int) and 2 <= size_cap < 2**31 else 30
        params.list_size = top_n if isinstance(top_n, int) and 0 <= top_n < 2**31 else 100
        params.decline_half_life_days = engine.config.decline_half_life_days
        params.min_pair_count = engine.config.learned_pair_min_count
        params.max_pairs = engine.config.learned_max_pairs
        out = ffi.new("pos_learned **")
        check(lib.pos_learned_new(engine._native.handle, params, out), "pos_learned_new")
        self.handle = ffi.gc(out[0], lib.pos_learned_free)
        self._items = ffi.new("int32_t[]", _BASKET_CAP)

    def add_sale(self, skus: Iterable[str]) -> int:
        """One paid basket (its skus; repeats count once). Returns how many were known."""
        index = self.engine._sku_index
        items = array("i", sorted({index[s] for s in skus if s in index}))
        n = len(items)
        if n > len(self._items):
            self._items = ffi.new("int32_t[]", n)
        ffi.memmove(self._items, items, 4 * n)
        with self.lock:
            check(lib.pos_learned_add_basket(self.handle, self._items, n),
                  "pos_learned_add_basket")
        return n

    def add_decline(self, anchor_sku: str | None, sku: str, time: datetime | float) -> bool:
        """A suggestion `sku` explained by `anchor_sku`, declined at `time` (a datetime
        or UTC seconds). False (nothing learned) without a known anchor and sku."""
        index = self.engine._sku_index
        a, c = index.get(anchor_sku) if anchor_sku else None, index.get(sku)
        if a is None or c is None:
            return False
        with self.lock:
            check(lib.pos_learned_add_decline(self.handle, a, c, _to_seconds(time)),
                  "pos_learned_add_decline")
        return True

    def stats(self) -> LearnerStats:
        """baskets, weight, pairs, declines added so far, and the pair updates and
        declines dropped because the overlay was full (learned_max_pairs)."""
        out = ffi.new("pos_learned_stats *")
        check(lib.pos_learned_stats_get(self.handle, out), "pos_learned_stats_get")
        return {"baskets": out.baskets, "weight": out.weight, "pairs": out.pairs,
                "declines": out.declines, "dropped": out.dropped}

    @property
    def memory(self) -> int:
        """Bytes the C overlay holds."""
        memory: int = lib.pos_learned_memory(self.handle)
        return memory
