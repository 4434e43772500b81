"""Everything the suggestion engine reads from a store (all its SQL lives here).

`read_engine_data(conn)` returns the numeric arrays the C scorer is built from
(`EngineData`, also what tests/oracles/engine_reference.py reads) and the texts the
Python side needs to explain a suggestion (`CatalogTexts`). Item indexes are
the store's dense `products.item`. Categories become ids with every prefix of a
path as its own category ("A > B > C" has parents "A > B" and "A"), parents
before children, so a rule on "A > B" also fires for "A > B > C".
"""
from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import StoreError
from ..mining import ENTRY
from .reader import read_meta

INT64_MIN, INT64_MAX = -2**63, 2**63 - 1

FLAG_ACTIVE, FLAG_IN_STOCK, FLAG_AGE_RESTRICTED, FLAG_DURABLE = 1, 2, 4, 8
RULE_KINDS = {"cross": 1, "upsell": 2, "campaign": 3}


@dataclass
class EngineData:
    """The C engine's input (pos_engine_data) as Python arrays."""

    price: array[int] = field(default_factory=lambda: array("q"))
    cost: array[int] = field(default_factory=lambda: array("q"))        # -1 = unknown
    flags: array[int] = field(default_factory=lambda: array("B"))
    family: array[int] = field(default_factory=lambda: array("i"))      # -1 = none
    tier: array[int] = field(default_factory=lambda: array("i"))
    category: array[int] = field(default_factory=lambda: array("i"))    # -1 = none
    count: array[int] = field(default_factory=lambda: array("I"))
    weight: array[float] = field(default_factory=lambda: array("d"))
    category_parent: array[int] = field(default_factory=lambda: array("i"))
    n_baskets: int = 0
    total_weight: float = 0.0
    nb_offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    nb_entries: bytes | bytearray = b""                            # pos_neighbour blobs end to end
    upgrade_from: array[int] = field(default_factory=lambda: array("i"))
    upgrade_to: array[int] = field(default_factory=lambda: array("i"))
    bundle_offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    bundle_items: array[int] = field(default_factory=lambda: array("i"))
    bundle_qty: array[int] = field(default_factory=lambda: array("i"))
    bundle_saving: array[int] = field(default_factory=lambda: array("q"))
    bundle_from: array[int] = field(default_factory=lambda: array("q"))
    bundle_to: array[int] = field(default_factory=lambda: array("q"))
    rule_trigger_item: array[int] = field(default_factory=lambda: array("i"))
    rule_trigger_category: array[int] = field(default_factory=lambda: array("i"))
    rule_item: array[int] = field(default_factory=lambda: array("i"))
    rule_kind: array[int] = field(default_factory=lambda: array("i"))
    rule_priority: array[int] = field(default_factory=lambda: array("i"))
    rule_boost: array[float] = field(default_factory=lambda: array("d"))
    rule_from: array[int] = field(default_factory=lambda: array("q"))
    rule_to: array[int] = field(default_factory=lambda: array("q"))
    # the recent baskets (oldest first) for the similar-baskets term: CSR over items
    recent_offsets: array[int] = field(default_factory=lambda: array("q", [0]))
    recent_items: array[int] = field(default_factory=lambda: array("i"))
    nb_released: bool = False    # nb_entries dropped once the C engine holds its own copy

    def release_neighbours(self) -> None:
        """Drops nb_entries (the engine keeps its own compact copy): ~140 MB on
        the 100k-item benchmark store that Engine.open would otherwise hold twice."""
        self.nb_entries = b""
        self.nb_released = True

    @property
    def n_items(self) -> int:
        return len(self.price)

    def neighbours(self, item: int) -> list[tuple[int, int, float, float]]:
        if self.nb_released:
            raise ValueError("the neighbour lists were handed to the C engine and released "
                             "(Engine.open); read the store again for them")
        lo, hi = self.nb_offsets[item], self.nb_offsets[item + 1]
        return list(ENTRY.iter_unpack(self.nb_entries[ENTRY.size * lo:ENTRY.size * hi]))

    @property
    def n_recent(self) -> int:
        return len(self.recent_offsets) - 1


def neighbour_blobs(conn: sqlite3.Connection, n_items: int) -> Iterator[tuple[int, bytes]]:
    """(item, its list as pos_neighbour entries end to end) for every non-empty
    list of an item below ``n_items``; StoreError for a list of broken length."""
    from ..errors import StoreError
    for item, blob in conn.execute("SELECT item, entries FROM neighbours"):
        if 0 <= item < n_items and blob:
            if len(blob) % ENTRY.size:
                raise StoreError(f"the neighbour list of item {item} is damaged: {len(blob)} "
                                 f"bytes, not a multiple of {ENTRY.size}")
            yield item, blob


# a text and its translations as raw JSON, either of them None when the store has none
TextPair = tuple[str | None, str | None]


@dataclass
class CatalogTexts:
    """What explains a suggestion: skus, names, pitches (JSON kept raw until needed)."""

    skus: list[str | None]   # None only for an item number the store skips
    names: list[str | None]
    name_i18n: list[str | None]          # raw JSON or None, per item
    pitch: list[str | None]
    pitch_i18n: list[str | None]
    sku_index: dict[str, int]            # sku -> item
    categories: list[str]                # category id -> path
    bundle_ids: list[str]
    bundle_names: list[str]
    bundle_name_i18n: list[str | None]
    rule_ids: list[str]
    rule_pitch: list[str | None]
    rule_pitch_i18n: list[str | None]
    upgrade_pitch: dict[tuple[int, int], TextPair]   # (from, to) -> (pitch, raw JSON)
    meta: dict[str, Any]
    category_names: dict[str, TextPair] = field(default_factory=dict)   # path -> (name, raw JSON)


def category_ids(paths: Iterable[str]) -> tuple[dict[str, int], array[int]]:
    """Ids for the paths and all their prefixes (parents first) and the parent array."""
    every: set[tuple[str, ...]] = set()
    for path in paths:
        parts = [p.strip() for p in path.split(">")]
        for depth in range(1, len(parts) + 1):
            every.add(tuple(parts[:depth]))
    ordered = sorted(every, key=lambda t: (len(t), t))
    ids = {" > ".join(t): i for i, t in enumerate(ordered)}
    parent = array("i", (ids[" > ".join(t[:-1])] if len(t) > 1 else -1 for t in ordered))
    return ids, parent


def _norm(path: str) -> str:
    return " > ".join(p.strip() for p in path.split(">"))


def read_engine_data(conn: sqlite3.Connection, neighbours: bool = True
                     ) -> tuple[EngineData, CatalogTexts]:
    """The engine's arrays and the catalog's texts. With ``neighbours=False`` the
    lists' offsets are read but not their entries (nb_entries stays empty):
    Engine.open streams them into the C engine with ``neighbour_blobs``."""
    meta = read_meta(conn)
    rows = conn.execute(
        "SELECT item, sku, name, price, cost, stock, active, age_restricted, durable, "
        "category, family, tier, name_i18n, pitch, pitch_i18n FROM products ORDER BY item"
    ).fetchall()
    n = rows[-1][0] + 1 if rows else 0
    d = EngineData()
    skus: list[str | None] = [None] * n
    names: list[str | None] = [None] * n
    name_i18n: list[str | None] = [None] * n
    pitch: list[str | None] = [None] * n
    pitch_i18n: list[str | None] = [None] * n
    d.price = array("q", bytes(8 * n))
    d.cost = array("q", [-1]) * n
    d.flags = array("B", bytes(n))
    d.family = array("i", [-1]) * n
    d.tier = array("i", bytes(4 * n))
    d.category = array("i", [-1]) * n
    rule_categories = [c for (c,) in conn.execute(
        "SELECT trigger_category FROM rules WHERE trigger_category IS NOT NULL")]
    paths = {_norm(c) for c in {r[9] for r in rows if r[9]}} | {_norm(c) for c in rule_categories}
    cat_ids, d.category_parent = category_ids(paths)
    families: dict[str, int] = {}
    category_of: dict[str, int] = {}    # raw path -> id (normalising is the slow part)
    for (item, sku, name, price, cost, stock, active, age, durable, category, family, tier,
         ni18n, p, pi18n) in rows:
        skus[item], names[item], name_i18n[item] = sku, name, ni18n
        pitch[item], pitch_i18n[item] = p, pi18n
        d.price[item] = price
        if cost is not None:
            d.cost[item] = cost
        d.flags[item] = ((FLAG_ACTIVE if active else 0)
                         | (FLAG_IN_STOCK if stock is None or stock > 0 else 0)
                         | (FLAG_AGE_RESTRICTED if age else 0) | (FLAG_DURABLE if durable else 0))
        if family is not None and tier is not None:
            d.family[item] = families.setdefault(family, len(families))
            d.tier[item] = tier
        if category:
            cat = category_of.get(category)
            if cat is None:
                cat = category_of[category] = cat_ids[_norm(category)]
            d.category[item] = cat
    d.count = array("I", bytes(4 * n))
    d.weight = array("d", bytes(8 * n))
    for item, baskets, weight in conn.execute("SELECT item, baskets, weight FROM item_stats"):
        if 0 <= item < n:
            d.count[item] = baskets
            d.weight[item] = weight
    d.n_baskets = int(meta.get("baskets") or 0)
    d.total_weight = float(meta.get("basket_weight") or 0.0)

    # the lists' lengths first (SQLite reads a blob's length without its content),
    # then each blob straight into its place: one copy of the lists at a time
    offsets = array("q", bytes(8 * (n + 1)))
    for item, size in conn.execute("SELECT item, length(entries) FROM neighbours"):
        if 0 <= item < n and size:
            offsets[item + 1] = size // ENTRY.size
    for item in range(n):
        offsets[item + 1] += offsets[item]
    d.nb_offsets = offsets
    if neighbours:
        entries = bytearray(ENTRY.size * offsets[n])
        for item, blob in neighbour_blobs(conn, n):
            lo = ENTRY.size * offsets[item]
            entries[lo:lo + len(blob)] = blob
        d.nb_entries = entries

    upgrade_pitch: dict[tuple[int, int], TextPair] = {}
    for frm, to, p, pi in conn.execute(
            "SELECT from_item, to_item, pitch, pitch_i18n FROM upgrades ORDER BY from_item, to_item"):
        d.upgrade_from.append(frm)
        d.upgrade_to.append(to)
        upgrade_pitch[(frm, to)] = (p, pi)

    bundle_ids: list[str] = []
    bundle_names: list[str] = []
    bundle_name_i18n: list[str | None] = []
    members: dict[str, list[tuple[int, int]]] = {}
    for bundle, item, qty in conn.execute(
            "SELECT bundle, item, quantity FROM bundle_items ORDER BY bundle, item"):
        members.setdefault(bundle, []).append((item, qty or 1))
    for bundle, name, ni18n, price, saving, vfrom, vto in conn.execute(
            "SELECT bundle, name, name_i18n, price, saving, valid_from, valid_to FROM bundles "
            "ORDER BY bundle"):
        its = members.get(bundle, [])
        if not its:
            continue
        bundle_ids.append(bundle)
        bundle_names.append(name)
        bundle_name_i18n.append(ni18n)
        for item, qty in its:
            d.bundle_items.append(item)
            d.bundle_qty.append(qty)
        d.bundle_offsets.append(len(d.bundle_items))
        if saving is None:
            saving = sum(d.price[i] * q for i, q in its) - (price or 0)
        d.bundle_saving.append(saving)
        d.bundle_from.append(INT64_MIN if vfrom is None else vfrom)
        d.bundle_to.append(INT64_MAX if vto is None else vto)

    rule_ids: list[str] = []
    rule_pitch: list[str | None] = []
    rule_pitch_i18n: list[str | None] = []
    for (rule, t_item, t_cat, item, kind, priority, boost, vfrom, vto, p, pi) in conn.execute(
            "SELECT rule, trigger_item, trigger_category, item, kind, priority, boost, "
            "valid_from, valid_to, pitch, pitch_i18n FROM rules ORDER BY rule"):
        if kind not in RULE_KINDS:
            continue
        rule_ids.append(rule)
        rule_pitch.append(p)
        rule_pitch_i18n.append(pi)
        d.rule_trigger_item.append(-1 if t_item is None else t_item)
        d.rule_trigger_category.append(cat_ids[_norm(t_cat)] if t_cat else -1)
        d.rule_item.append(item)
        d.rule_kind.append(RULE_KINDS[kind])
        d.rule_priority.append(priority or 0)
        d.rule_boost.append(1.0 if boost is None else float(boost))
        d.rule_from.append(INT64_MIN if vfrom is None else vfrom)
        d.rule_to.append(INT64_MAX if vto is None else vto)

    d.recent_offsets, d.recent_items = read_recent_baskets(conn)

    categories = [""] * len(cat_ids)
    for path, i in cat_ids.items():
        categories[i] = path
    texts = CatalogTexts(
        skus=skus, names=names, name_i18n=name_i18n, pitch=pitch, pitch_i18n=pitch_i18n,
        sku_index={s: i for i, s in enumerate(skus) if s is not None}, categories=categories,
        bundle_ids=bundle_ids, bundle_names=bundle_names, bundle_name_i18n=bundle_name_i18n,
        rule_ids=rule_ids, rule_pitch=rule_pitch, rule_pitch_i18n=rule_pitch_i18n,
        upgrade_pitch=upgrade_pitch, meta=meta, category_names=read_category_names(conn))
    return d, texts


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def read_recent_baskets(conn: sqlite3.Connection) -> tuple[array[int], array[int]]:
    """The recent baskets as one CSR (offsets from 0, items); none for a store
    written before the recent_baskets table. StoreError on a chunk whose sizes
    do not add up (the C engine checks the items themselves)."""
    offsets, items = array("q", [0]), array("i")
    if not _has_table(conn, "recent_baskets"):
        return offsets, items
    for chunk, baskets, offs_blob, items_blob in conn.execute(
            "SELECT chunk, baskets, offsets, items FROM recent_baskets ORDER BY chunk"):
        offs, its = array("q"), array("i")
        try:
            offs.frombytes(offs_blob)
            its.frombytes(items_blob)
        except (TypeError, ValueError):
            offs = array("q")
        if sys.byteorder != "little":
            offs.byteswap()
            its.byteswap()
        if len(offs) != baskets + 1 or not offs or offs[0] != 0 or offs[-1] != len(its):
            raise StoreError(f"recent_baskets chunk {chunk} is damaged")
        base = len(items)
        items.extend(its)
        offsets.extend(o + base for o in offs[1:])
    return offsets, items


def read_category_names(conn: sqlite3.Connection) -> dict[str, TextPair]:
    """path -> (name or None, translations as raw JSON or None); empty for a store
    written before the categories table."""
    if not _has_table(conn, "categories"):
        return {}
    return {_norm(path): (name, ni18n)
            for path, name, ni18n in conn.execute("SELECT path, name, name_i18n FROM categories")}


def read_customer(conn: sqlite3.Connection, customer: str) -> tuple[int, bytes] | None:
    """The customer's visits and history blob (pos_customer_item entries), or None
    when the customer is unknown."""
    row = conn.execute("SELECT visits, entries FROM customer_history WHERE customer = ?",
                       (customer,)).fetchone()
    if row is not None:
        return row[0], bytes(row[1] or b"")
    known = conn.execute("SELECT 1 FROM customers WHERE customer = ?", (customer,)).fetchone()
    return (0, b"") if known else None
