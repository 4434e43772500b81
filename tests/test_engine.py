"""The scorer: C against the plain-Python reference, the C API's errors,
Engine.open errors, threads."""
from __future__ import annotations

import sqlite3
import struct
import threading
from array import array
from dataclasses import replace
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracles.engine_reference import Reference, is_close
from pos.engine import Engine, EngineConfig, Suggestion, _Buffers, _NativeEngine
from pos.errors import NativeError, StoreError
from pos.mining import ENTRY
from pos.native import ffi, lib
from pos.store.engine_data import INT64_MAX, INT64_MIN, EngineData

F32 = struct.Struct("<f")
SUGGESTION_FIELDS = [name for name, _ in ffi.typeof("pos_suggestion").fields]


def f32(x: float) -> float:
    return F32.unpack(F32.pack(x))[0]


def c_score(native, buffers, basket, declined=(), history=(), customer_baskets=0, now=0, k=3,
            config=None):
    cfg = config or EngineConfig()
    buffers.set_config(cfg)
    req = buffers.req
    items = ffi.new("int32_t[]", [a for a, _ in basket] or [0])
    qty = ffi.new("double[]", [q for _, q in basket] or [0.0])
    dec = ffi.new("int32_t[]", list(declined) or [0])
    hist = ffi.new("pos_customer_item[]", max(len(history), 1))
    for slot, (item, baskets, last) in zip(hist, history):
        slot.item, slot.baskets, slot.last_time = item, baskets, last
    req.n_basket, req.basket_items, req.basket_qty = len(basket), items, qty
    req.n_declined, req.declined = len(declined), dec
    req.n_history, req.history = len(history), hist
    req.customer_baskets, req.now, req.k = customer_baskets, now, k
    out = ffi.new("pos_suggestion[]", max(k, 1))
    n = ffi.new("size_t *")
    status = lib.pos_engine_score(native.handle, buffers.scratch, req, out, max(k, 1), n)
    if status:
        raise NativeError(status, "", "pos_engine_score")
    # copies: out[i] does not keep `out` alive, and its memory is reused once freed
    return [SimpleNamespace(**{f: getattr(out[i], f) for f in SUGGESTION_FIELDS})
            for i in range(n[0])]


# ---- random engines --------------------------------------------------------------

PARENTS = array("i", [-1, 0, 0, 1, -1])   # 0 > {1, 2}, 1 > 3; 4 alone


@st.composite
def engine_data(draw, min_items: int = 1, max_items: int = 12, categories=None,
                min_list: int = 0, max_list: int = 6, flags=None, families=None) -> EngineData:
    """A random engine; ``categories``, ``flags`` and ``families`` (strategies) draw
    each item's category (default: any of PARENTS' or none), flags and family."""
    n = draw(st.integers(min_items, max_items))
    category = categories if categories is not None else st.integers(-1, len(PARENTS) - 1)
    d = EngineData()
    for _ in range(n):
        price = draw(st.sampled_from([0, 100, 120, 140, 149, 200, 1000]))
        d.price.append(price)
        d.cost.append(draw(st.sampled_from([-1, 0, price // 2, price, price + 10])))
        d.flags.append(draw(flags if flags is not None else st.sampled_from([3, 3, 3, 3, 11, 1, 2, 7, 0])))
        fam = draw(families if families is not None else st.integers(-1, 2))
        d.family.append(fam)
        d.tier.append(draw(st.integers(0, 3)))
        d.category.append(draw(category))
        count = draw(st.integers(0, 60))
        d.count.append(count)
        d.weight.append(count * draw(st.sampled_from([1.0, 0.5, 0.9, 1.3])))
    d.category_parent = PARENTS
    d.n_baskets = 200
    d.total_weight = draw(st.sampled_from([200.0, 150.5, 0.0]))
    blobs = []
    for a in range(n):
        others = draw(st.lists(st.integers(0, n - 1).filter(lambda c, a=a: c != a),
                               unique=True, min_size=min(min_list, n - 1), max_size=max_list))
        entries = []
        for c in others:
            cnt = draw(st.integers(1, 40))
            entries.append((c, cnt, f32(cnt * draw(st.sampled_from([1.0, 0.7, 0.33]))),
                            f32(draw(st.floats(0.01, 1)))))
        blobs.append(b"".join(ENTRY.pack(*e) for e in entries))
        d.nb_offsets.append(d.nb_offsets[-1] + len(entries))
    d.nb_entries = b"".join(blobs)
    for _ in range(draw(st.integers(0, 4))):
        d.upgrade_from.append(draw(st.integers(0, n - 1)))
        d.upgrade_to.append(draw(st.integers(0, n - 1)))
    for _ in range(draw(st.integers(0, 3))):
        members = draw(st.lists(st.integers(0, n - 1), unique=True, min_size=1, max_size=4))
        for m in members:
            d.bundle_items.append(m)
            d.bundle_qty.append(draw(st.integers(1, 2)))
        d.bundle_offsets.append(len(d.bundle_items))
        d.bundle_saving.append(draw(st.integers(0, 500)))
        d.bundle_from.append(draw(st.sampled_from([INT64_MIN, 0, 50])))
        d.bundle_to.append(draw(st.sampled_from([INT64_MAX, 100, 40])))
    for _ in range(draw(st.integers(0, 5))):
        trig = draw(st.integers(0, 2))
        d.rule_trigger_item.append(draw(st.integers(0, n - 1)) if trig == 1 else -1)
        d.rule_trigger_category.append(draw(st.integers(0, len(PARENTS) - 1)) if trig == 2 else -1)
        d.rule_item.append(draw(st.integers(0, n - 1)))
        d.rule_kind.append(draw(st.integers(1, 3)))
        d.rule_priority.append(draw(st.integers(-5, 10)))
        d.rule_boost.append(draw(st.sampled_from([1.0, 1.5, 3.0, 0.5])))
        d.rule_from.append(draw(st.sampled_from([INT64_MIN, 0, 50])))
        d.rule_to.append(draw(st.sampled_from([INT64_MAX, 100, 40])))
    for _ in range(draw(st.integers(0, 15))):   # recent baskets: the similar-baskets term
        d.recent_items.extend(sorted(draw(st.sets(st.integers(0, n - 1), min_size=1,
                                                  max_size=5))))
        d.recent_offsets.append(len(d.recent_items))
    return d


@st.composite
def requests(draw, n: int, k=st.integers(0, 8), max_rules=st.just(1), min_basket: int = 0):
    item = st.integers(0, n - 1)
    basket = draw(st.lists(st.tuples(item, st.sampled_from([1.0, 2.0, 0.5])), min_size=min_basket,
                           max_size=6))
    declined = draw(st.lists(item, max_size=2))
    history = draw(st.lists(st.tuples(item, st.integers(1, 9), st.sampled_from([-10**8, 0, 5, 100])),
                            unique_by=lambda h: h[0], max_size=4))
    config = EngineConfig(
        shrinkage=draw(st.sampled_from([0.0, 1.0, 5.0])),
        pop_damping=draw(st.sampled_from([0.0, 0.3, 1.0])),
        personal_weight=draw(st.sampled_from([0.0, 0.5, 2.0])),
        category_affinity=draw(st.sampled_from([0.0, 0.1])),
        margin_weight=draw(st.sampled_from([0.0, 0.05])),
        upsell_cap=draw(st.sampled_from([0.5, 10.0])),
        durable_days=draw(st.sampled_from([0.0, 365.0])),
        max_per_family=draw(st.integers(1, 2)), max_per_category=draw(st.integers(1, 3)),
        max_rules=draw(max_rules),
        aggregate=draw(st.sampled_from(["sum", "max"])),
        knn_weight=draw(st.sampled_from([0.0, 0.0, 0.25, 0.5, 1.0])),
        knn_recent=draw(st.sampled_from([1, 2, 3, 2500])),
        knn_neighbours=draw(st.sampled_from([1, 2, 4, 500])),
        knn_idf=draw(st.booleans()), knn_power=draw(st.integers(1, 3)),
        personal_slots=draw(st.sampled_from([0, 0, 1, 2])))
    return dict(basket=basket, declined=declined, history=history,
                customer_baskets=draw(st.integers(0, 12)), now=draw(st.integers(0, 120)),
                k=draw(k), config=config)


def assert_agree(got, want) -> None:
    assert [(r.item, r.kind) for r in got] == [(w.item, w.kind) for w in want]
    for r, w in zip(got, want):
        assert is_close(r.score, w.score), (r.score, w.score)
        assert (r.price_or_step, r.anchor, r.anchor_count, r.pair_count, r.source, r.index,
                r.personal) == (w.price_or_step, w.anchor, w.anchor_count, w.pair_count,
                                w.source, w.index, w.personal)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_c_matches_reference(data):
    d = data.draw(engine_data())
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig(max_k=10))
    ref = Reference(d)
    for _ in range(3):
        req = data.draw(requests(d.n_items))
        assert_agree(c_score(native, buffers, **req), ref.score(**req))


# every item in one category (a catch-all such as "uncategorized"), most of them
# in one, or in none: the category cap's fill; with up to 40 items in 3 families,
# few of them without one (the family cap bites, also on the fill), rules (the
# rules cap, 0-2), more candidates than the C ranking's first selection holds
# (its "need more" path) and k beyond it (k = 30: the heap of all candidates)
SHARED_CATEGORIES = st.sampled_from([
    st.just(3), st.sampled_from([3, 3, 3, 3, 3, -1, 0, 4]), st.sampled_from([3, 3, 4]),
    st.just(-1)])
FEW_FAMILIES = st.sampled_from([st.integers(-1, 2), st.sampled_from([0, 0, 0, 1, 1, 2, -1])])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_c_matches_reference_with_shared_categories(data):
    d = data.draw(engine_data(min_items=12, max_items=40, categories=data.draw(SHARED_CATEGORIES),
                              min_list=4, max_list=12, flags=st.sampled_from([3] * 8 + [11, 1, 7]),
                              families=data.draw(FEW_FAMILIES)))
    native = _NativeEngine(d)
    buffers = _Buffers(native, EngineConfig(max_k=10))
    ref = Reference(d)
    for _ in range(3):
        req = data.draw(requests(d.n_items, k=st.sampled_from([1, 2, 3, 3, 4, 5, 8, 30]),
                                 max_rules=st.integers(0, 2), min_basket=1))
        got, want = c_score(native, buffers, **req), ref.score(**req)
        assert_agree(got, want)
        cf = req["config"]
        for fam in {d.family[r.item] for r in got} - {-1}:   # the strict caps hold
            assert sum(d.family[r.item] == fam for r in got) <= cf.max_per_family
        assert sum(r.source == 1 for r in got) <= cf.max_rules
        assert len({r.item for r in got}) == len(got)


def one_category(families: list[int], categories: list[int] | None = None) -> EngineData:
    """Item 0 and its partners 1..n, ranked in that order, all in category 0 (or
    in ``categories``)."""
    d = EngineData()
    for fam, cat in zip([-1] + families, [0] + (categories or [0] * len(families))):
        d.price.append(100)
        d.cost.append(-1)
        d.flags.append(3)
        d.family.append(fam)
        d.tier.append(0)
        d.category.append(cat)
        d.count.append(50)
        d.weight.append(50.0)
    d.category_parent = array("i", [-1] * (max(d.category) + 1))
    d.n_baskets, d.total_weight = 200, 200.0
    n = len(families)
    d.nb_entries = b"".join(ENTRY.pack(c, 45 - c, 45.0 - c, 0.5) for c in range(1, n + 1))
    d.nb_offsets = array("q", [0] + [n] * (n + 1))
    return d


def ranked(d: EngineData, k: int, config: EngineConfig) -> list[int]:
    """The items C ranks for basket {0}, checked against the reference."""
    native = _NativeEngine(d)
    got = c_score(native, _Buffers(native, EngineConfig(max_k=10)), [(0, 1.0)], k=k, config=config)
    assert_agree(got, Reference(d).score([(0, 1.0)], k=k, config=config))
    return [r.item for r in got]


@pytest.mark.parametrize("margin", [0.0, 0.05])
@pytest.mark.parametrize("k", [3, 30])
def test_category_fill_from_beyond_the_first_selection(k, margin):
    # margin_weight 0: exact scores equal their bounds, so C's first selection (the
    # best 8 + 2k candidates) runs out; 0.05: it stops at a candidate that ranks
    # below its worst (the floor). k = 30: no first selection.
    one = EngineConfig(max_per_category=1, max_per_family=1, margin_weight=margin)
    two = replace(one, max_per_category=2)
    # partners 1..18 are variants of one product (family 0), 19 another, 20-21 none:
    # the first selection gives 1 alone and sets nothing aside; the fill takes 19
    # and 20 from beyond it
    assert ranked(one_category([0] * 18 + [1, -1, -1]), k, one) == [1, 19, 20, 21][:k]
    # no families: the fill comes from the first selection alone
    assert ranked(one_category([-1] * 21), k, one) == list(range(1, 22))[:k]
    # the last partner in another category: taken before any fill
    assert ranked(one_category([-1] * 21, [0] * 20 + [1]), k, two) == (
        [1, 2, 21] + list(range(3, 21)))[:k]
    # ... or in a category short of its cap (1 of 2), with k + 1
    assert ranked(one_category([-1] * 21, [1] + [0] * 19 + [1]), k + 1, two) == (
        [1, 2, 3, 21] + list(range(4, 21)))[:k + 1]


def tiny() -> EngineData:
    d = EngineData()
    for price in (100, 200):
        d.price.append(price)
        d.cost.append(-1)
        d.flags.append(3)
        d.family.append(-1)
        d.tier.append(0)
        d.category.append(-1)
        d.count.append(5)
        d.weight.append(5.0)
    d.n_baskets, d.total_weight = 10, 10.0
    d.nb_offsets = array("q", [0, 1, 2])
    d.nb_entries = ENTRY.pack(1, 3, 3.0, 0.1) + ENTRY.pack(0, 3, 3.0, 0.1)
    return d


def streamed(d: EngineData, order) -> _NativeEngine:
    """The C engine made without its lists, then given them one by one in ``order``
    (pos_engine_set_neighbours), as Engine.open streams them from the store."""
    entries, d.nb_entries = d.nb_entries, b""
    try:
        native = _NativeEngine(d)
    finally:
        d.nb_entries = entries
    for a in order:
        lo, hi = d.nb_offsets[a], d.nb_offsets[a + 1]
        if hi > lo:
            native.set_neighbours(a, entries[ENTRY.size * lo:ENTRY.size * hi])
    return native


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_lists_given_one_by_one_score_as_lists_given_at_once(data):
    d = data.draw(engine_data())
    order = data.draw(st.permutations(range(d.n_items)))
    at_once, one_by_one = _NativeEngine(d), streamed(d, order)
    assert lib.pos_engine_memory(one_by_one.handle) == lib.pos_engine_memory(at_once.handle)
    a, b = _Buffers(at_once, EngineConfig(max_k=10)), _Buffers(one_by_one, EngineConfig(max_k=10))
    for _ in range(3):
        req = data.draw(requests(d.n_items))
        got = c_score(one_by_one, b, **req)
        assert [(r.item, r.kind, r.score, r.anchor, r.pair_count) for r in got] == [
            (r.item, r.kind, r.score, r.anchor, r.pair_count) for r in c_score(at_once, a, **req)]


def test_lists_given_one_by_one_errors():
    d = tiny()
    native = streamed(d, [])
    b = _Buffers(native, EngineConfig())
    with pytest.raises(NativeError) as e:     # no scoring while a list is missing
        c_score(native, b, [(0, 1.0)])
    assert e.value.status == lib.POS_ESTATE
    learned = ffi.new("pos_learned **")
    params = ffi.new("pos_learn_params *", {"size_cap": 2, "min_pair_count": 1,
                                            "decline_half_life_days": 1.0})
    assert lib.pos_learned_new(native.handle, params, learned) == lib.POS_ESTATE
    one, two = ENTRY.pack(1, 3, 3.0, 0.1), ENTRY.pack(0, 3, 3.0, 0.1)
    for item, blob, status in [(2, one, lib.POS_ERANGE), (-1, one, lib.POS_ERANGE),
                               (0, one + two, lib.POS_EINVAL),          # not its length
                               (0, ENTRY.pack(9, 3, 3.0, 0.1), lib.POS_EINVAL)]:  # no such item
        with pytest.raises(NativeError) as e:
            native.set_neighbours(item, blob)
        assert e.value.status == status
    native.set_neighbours(0, one)
    with pytest.raises(NativeError) as e:     # each list once
        native.set_neighbours(0, one)
    assert e.value.status == lib.POS_ESTATE
    native.set_neighbours(1, two)
    assert [r.item for r in c_score(native, b, [(0, 1.0)])] == [1]
    with pytest.raises(NativeError) as e:     # an engine made with its lists takes none
        _NativeEngine(tiny()).set_neighbours(0, one)
    assert e.value.status == lib.POS_ESTATE


def test_worked_example_from_the_docs():
    # docs/scoring.md: basket {0}; rel(0 -> 1) = 3/(5+5) * ((5+5)/(10+5))^-0.3
    native = _NativeEngine(tiny())
    got = c_score(native, _Buffers(native, EngineConfig()), [(0, 1.0)], k=3)
    assert len(got) == 1 and got[0].item == 1 and got[0].kind == 1
    assert got[0].score == pytest.approx(0.3 * (10 / 15) ** -0.3)
    assert (got[0].anchor, got[0].anchor_count, got[0].pair_count, got[0].price_or_step) == (0, 5, 3, 200)


def test_c_api_errors():
    native = _NativeEngine(tiny())
    b = _Buffers(native, EngineConfig())
    with pytest.raises(NativeError) as e:
        c_score(native, b, [(7, 1.0)])
    assert e.value.status == lib.POS_ERANGE
    with pytest.raises(NativeError) as e:
        c_score(native, b, [(0, -1.0)])
    assert e.value.status == lib.POS_EINVAL
    n = ffi.new("size_t *")
    out = ffi.new("pos_suggestion[]", 1)
    b.req.k = 2
    b.req.n_basket = b.req.n_declined = b.req.n_history = 0
    assert lib.pos_engine_score(native.handle, b.scratch, b.req, out, 1, n) == lib.POS_ESPACE
    other = _Buffers(_NativeEngine(tiny()), EngineConfig())
    assert lib.pos_engine_score(native.handle, other.scratch, b.req, out, 2, n) == lib.POS_EINVAL
    bad = tiny()
    bad.nb_entries = ENTRY.pack(5, 3, 3.0, 0.1) + ENTRY.pack(0, 3, 3.0, 0.1)   # item out of range
    with pytest.raises(NativeError):
        _NativeEngine(bad)
    bad = tiny()
    bad.category_parent = array("i", [0])   # its own parent
    with pytest.raises(NativeError):
        _NativeEngine(bad)
    with pytest.raises(ValueError):
        EngineConfig(shrinkage=-1)
    with pytest.raises(ValueError):
        EngineConfig(max_per_family=0)


def test_many_calls_wrap_nothing():
    # the same request many times gives the same answer (stamps, caches)
    native = _NativeEngine(tiny())
    b = _Buffers(native, EngineConfig())
    first = [(r.item, r.score) for r in c_score(native, b, [(0, 1.0)])]
    for i in range(300):
        cfg = EngineConfig(pop_damping=0.3 if i % 2 else 0.5)
        c_score(native, b, [(1, 1.0)], config=cfg)
    assert [(r.item, r.score) for r in c_score(native, b, [(0, 1.0)])] == first


# ---- Engine.open --------------------------------------------------------------------

def test_open_missing_file(tmp_path):
    with pytest.raises(StoreError, match="no store here"):
        Engine.open(tmp_path / "nope.db")


def test_open_not_a_database(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a pos store"):
        Engine.open(bad)


def test_open_older_schema(published):
    conn = sqlite3.connect(published)
    conn.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 0"):
        Engine.open(published)


def test_open_damaged_neighbour_list(published):
    def rewrite(change):
        conn = sqlite3.connect(published)
        (first, blob), = conn.execute("SELECT item, entries FROM neighbours ORDER BY item LIMIT 1")
        conn.execute("UPDATE neighbours SET entries = ? WHERE item = ?", (change(blob), first))
        conn.commit()
        conn.close()
        return first

    first = rewrite(lambda blob: blob + b"\0")
    with pytest.raises(StoreError, match=f"neighbour list of item {first} is damaged: .* not a "
                                         f"multiple of {ENTRY.size}"):
        Engine.open(published)
    rewrite(lambda blob: ENTRY.pack(10**6, 3, 3.0, 0.1))    # an item the store does not have
    with pytest.raises(StoreError, match=f"damaged neighbour lists .*item {first}"):
        Engine.open(published)


def test_open_and_suggest_on_the_test_store(published):
    engine = Engine.open(published)
    assert engine.lang == "nb"
    got = engine.suggest(["PASTA", "SAUCE"], k=3, now=1793487600)
    assert got and all(isinstance(s, Suggestion) for s in got)
    assert got[0].sku == "PARM" and got[0].name == "Parmesan"      # Norwegian name
    assert [s.sku for s in Engine.open(published, lang="he").suggest(
        ["PASTA", "SAUCE"], now=1793487600)][:1] == ["PARM"]
    assert Engine.open(published, lang="he").suggest(["PASTA", "SAUCE"], now=1793487600)[0].name == "פרמזן"
    # basket forms: skus, pairs, dict
    a = engine.suggest([("PASTA", 1), ("SAUCE", 2)], now=1793487600)
    b = engine.suggest({"PASTA": 1, "SAUCE": 2}, now=1793487600)
    assert a == b
    with pytest.raises(ValueError):
        engine.suggest([("PASTA", 0)])
    with pytest.raises(ValueError):
        engine.suggest(["PASTA"], k=-1)
    assert engine.suggest(["PASTA"], k=0) == []
    assert len(engine.suggest(["PASTA", "PH-64"], k=50)) <= engine.config.max_k


def test_threads_give_the_same_results(published):
    engine = Engine.open(published)
    skus = list(engine.texts.sku_index)
    baskets = [[skus[(i * 7 + j) % len(skus)] for j in range(1 + i % 4)] for i in range(60)]
    customers = [None, "C0", "C1", "C3"]
    want = [engine.suggest(b, k=4, customer=customers[i % 4], now=1793487600)
            for i, b in enumerate(baskets)]
    results: dict[int, list] = {}

    def work(t: int) -> None:
        mine = []
        for _ in range(20):
            mine.append([engine.suggest(b, k=4, customer=customers[i % 4], now=1793487600)
                         for i, b in enumerate(baskets)])
        results[t] = mine

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for mine in results.values():
        for got in mine:
            assert got == want
