"""Per-customer purchase history from the dump's baskets: what each loyalty customer
bought, in how many baskets, and when last (for personal suggestions).

The C core aggregates (pos_history_*); the store keeps one blob per customer,
16 bytes an entry in the little-endian layout of pos_customer_item.
"""
from __future__ import annotations

import struct
from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

from .native import check, ffi, lib

ENTRY = struct.Struct("<iIq")   # item, baskets, last_time (UTC seconds)


@dataclass(frozen=True)
class CustomerHistory:
    offsets: Sequence[int]   # per customer index, into entries
    entries: bytes

    visits: Sequence[int]    # per customer index: baskets in the history

    def blobs(self, customer_ids: Sequence[str]) -> Iterator[tuple[str, int, int, memoryview]]:
        """(customer, visits, n_entries, blob) for every customer with at least one item."""
        view, size = memoryview(self.entries), ENTRY.size
        for index, customer in enumerate(customer_ids):
            lo, hi = self.offsets[index], self.offsets[index + 1]
            if hi > lo:
                yield customer, self.visits[index], hi - lo, view[lo * size:hi * size]


def customer_history(offsets: Any, items: Any, times: Any, customers: Any, n_baskets: int,
                     n_customers: int) -> CustomerHistory:
    """Aggregate baskets (cffi arrays as the basket parser gives them) by customer."""
    handle = ffi.new("pos_history **")
    check(lib.pos_history_new(n_baskets, offsets, items, times, customers, n_customers, handle),
          "pos_history_new")
    history = ffi.gc(handle[0], lib.pos_history_free)
    size = ffi.new("int64_t *")
    check(lib.pos_history_size(history, size), "pos_history_size")
    out_offsets = ffi.new("int64_t[]", n_customers + 1)
    out_entries = ffi.new("pos_customer_item[]", max(size[0], 1))
    check(lib.pos_history_get(history, out_offsets, out_entries), "pos_history_get")
    visits = [0] * n_customers
    for customer, count in Counter(ffi.unpack(customers, n_baskets)).items():
        if customer >= 0:
            visits[customer] = count
    return CustomerHistory(ffi.unpack(out_offsets, n_customers + 1),
                           bytes(ffi.buffer(out_entries, size[0] * ENTRY.size)), visits)


def decode_history(blob: bytes) -> list[tuple[int, int, int]]:
    """[(item, baskets, last_time), ...] from a stored blob."""
    return list(ENTRY.iter_unpack(blob))
