"""Customer history in C (pos_history_*) against a plain-Python aggregation."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.errors import NativeError
from pos.history import customer_history, decode_history
from pos.native import ffi


def arrays(baskets, times, customers):
    offsets = [0]
    for basket in baskets:
        offsets.append(offsets[-1] + len(basket))
    flat = [i for b in baskets for i in b]
    return (ffi.new("int64_t[]", offsets), ffi.new("int32_t[]", max(len(flat), 1)),
            ffi.new("int64_t[]", times), ffi.new("int32_t[]", customers), flat)


def reference(baskets, times, customers, n_customers):
    history = [dict() for _ in range(n_customers)]
    for basket, when, customer in zip(baskets, times, customers):
        if customer < 0:
            continue
        for item in basket:
            count, last = history[customer].get(item, (0, when))
            history[customer][item] = (count + 1, max(last, when))
    return [sorted((i, c, t) for i, (c, t) in h.items()) for h in history]


baskets_strategy = st.integers(1, 6).flatmap(lambda n_customers: st.tuples(
    st.just(n_customers),
    st.lists(st.tuples(st.sets(st.integers(0, 20), max_size=8).map(sorted),
                       st.integers(0, 10**9), st.integers(-1, n_customers - 1)), max_size=40)))


@settings(max_examples=200, deadline=None)
@given(baskets_strategy)
def test_matches_plain_python(case):
    n_customers, rows = case
    baskets = [b for b, _, _ in rows]
    times = [t for _, t, _ in rows]
    customers = [c for _, _, c in rows]
    offsets, items, times_c, customers_c, flat = arrays(baskets, times, customers)
    for index, item in enumerate(flat):
        items[index] = item

    history = customer_history(offsets, items, times_c, customers_c, len(baskets), n_customers)

    expected = reference(baskets, times, customers, n_customers)
    names = [f"C{i}" for i in range(n_customers)]
    got = {name: decode_history(bytes(blob)) for name, _, _, blob in history.blobs(names)}
    assert got == {names[i]: e for i, e in enumerate(expected) if e}
    visits = {name: v for name, v, _, _ in history.blobs(names)}
    assert visits == {names[i]: customers.count(i) for i, e in enumerate(expected) if e}


def test_customer_out_of_range_is_refused():
    offsets, items, times, customers, _ = arrays([[1, 2]], [0], [3])
    with pytest.raises(NativeError, match="invalid argument"):
        customer_history(offsets, items, times, customers, 1, 2)


def test_no_customers_at_all():
    offsets, items, times, customers, _ = arrays([[1, 2], [2]], [5, 6], [-1, -1])
    history = customer_history(offsets, items, times, customers, 2, 0)
    assert list(history.blobs([])) == []
