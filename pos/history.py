"""Per-customer purchase history from the dump's baskets: what each loyalty customer
bought, in how many baskets, and when last (for personal suggestions)."""
from __future__ import annotations

from typing import Iterator, Sequence

from .native import ffi


def customer_items(offsets, items, times, customers, n_baskets: int,
                   customer_ids: Sequence[str]) -> Iterator[tuple[str, int, int, int]]:
    """(customer, item, baskets, last_time) for every item a customer bought,
    customers in first-appearance order, items ascending."""
    per_customer: dict[int, dict[int, list[int]]] = {}
    owners = ffi.unpack(customers, n_baskets)
    for basket, owner in enumerate(owners):
        if owner < 0:
            continue
        start, end = offsets[basket], offsets[basket + 1]
        when = times[basket]
        bought = per_customer.setdefault(owner, {})
        for item in ffi.unpack(items + start, end - start):
            entry = bought.get(item)
            if entry is None:
                bought[item] = [1, when]
            else:
                entry[0] += 1
                if when > entry[1]:
                    entry[1] = when
    for owner in sorted(per_customer):
        name = customer_ids[owner]
        for item, (baskets, last) in sorted(per_customer[owner].items()):
            yield name, item, baskets, last
