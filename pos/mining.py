"""The miner's Python side: pair counting and neighbour lists over the C core.

`Miner` wraps a `pos_miner` handle (native/miner.c): `add_baskets` stages a
batch of baskets, counts the item range in chunks on `workers` threads (the
core releases the GIL) and commits; `restore_*` reload a previous state for the
incremental path. `neighbour_lists` returns every item's ranked list as CSR,
with one little-endian blob per item (16 bytes per entry: item int32, count
uint32, weight float32, score float32) -- the form the store keeps;
`decode_neighbours` / `encode_neighbours` convert such a blob. The formulas are
in docs/mining.md; tests/oracles/mining_reference.py is the plain-Python twin used by
the tests.
"""
from __future__ import annotations

import math
import queue
import struct
import sys
import threading
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Callable, Iterable, Iterator, Sequence

from .native import check, ffi, lib

ENTRY = struct.Struct("<iIff")
"""The layout of one neighbour entry in a blob (= pos_neighbour, little-endian)."""

CHUNK_ITEMS = 4096
_INT64_MAX = 2**63 - 1
_INT32_MAX = 2**31 - 1
_INT_FORMATS = frozenset("bBhHiIlLqQnN")
_LITTLE = sys.byteorder == "little"
_NATIVE_ORDER = frozenset(("", "@", "=", "<" if _LITTLE else ">"))

Progress = Callable[[int, int], Any]

# a neighbour list as restore_item takes it: a blob (pos_neighbour entries, little-endian)
# or (item, count, weight, score) tuples
NeighbourInput = bytes | bytearray | memoryview | Iterable[tuple[int, int, float, float]]

LIST_RANKS = {"added-value": 0, "damped": 1, "balanced": 2}
"""MineParams.list_rank -> pos_mine_params.list_rank (POS_RANK_*)."""


@dataclass(frozen=True)
class MineParams:
    """How baskets are weighted and lists are kept (docs/mining.md)."""

    top_n: int = 100               # neighbours kept per item
    size_cap: int = 30             # baskets of more items weigh (size_cap-1)/(n-1)
    min_count: int = 1             # a pair must co-occur in at least this many baskets
    half_life_days: float = 0.0    # recency half-life; 0 = no recency weighting
    ref_time: int = 0              # UTC seconds the recency weights are relative to
    shrinkage: float = 5.0         # K in the list score (docs/mining.md)
    workers: int = 2               # threads counting at once
    rank_damping: float | None = None   # beta of list_rank "damped"
    list_rank: str | None = None   # how lists are ranked, with conf = w_ab/(w_a+K) and
                                   # p_b = (w_b+K)/(W+K): "added-value" conf - w_b/W;
                                   # "damped" conf / p_b^beta (beta = rank_damping);
                                   # "balanced" max(conf / max conf, lift / max lift),
                                   # lift = conf / p_b. None: "damped" when rank_damping
                                   # is given, else "added-value" (the value afterwards)

    def __post_init__(self) -> None:
        def integer(name: str, low: int, high: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"MineParams.{name} must be an integer in [{low}, {high}], "
                                 f"not {value!r}")

        def real(name: str) -> None:
            value = getattr(self, name)
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not math.isfinite(value) or value < 0):
                raise ValueError(f"MineParams.{name} must be a finite number >= 0, not {value!r}")

        integer("top_n", 1, _INT32_MAX)
        integer("size_cap", 2, _INT32_MAX)
        integer("min_count", 1, _INT32_MAX)
        integer("ref_time", -_INT64_MAX - 1, _INT64_MAX)
        integer("workers", 1, 64)
        real("half_life_days")
        real("shrinkage")
        if self.rank_damping is not None:
            real("rank_damping")
            if self.rank_damping > 16:
                raise ValueError(f"MineParams.rank_damping must be at most 16, "
                                 f"not {self.rank_damping!r}")
        if self.list_rank is None:
            object.__setattr__(self, "list_rank",
                               "added-value" if self.rank_damping is None else "damped")
        if self.list_rank not in LIST_RANKS:
            raise ValueError(f"MineParams.list_rank must be one of "
                             f"{', '.join(map(repr, LIST_RANKS))}, not {self.list_rank!r}")
        if (self.list_rank == "damped") != (self.rank_damping is not None):
            raise ValueError(f"MineParams.rank_damping (beta) goes with list_rank 'damped' "
                             f"only: list_rank {self.list_rank!r}, "
                             f"rank_damping {self.rank_damping!r}")

    @property
    def rank(self) -> str:
        """list_rank as __post_init__ settled it (never None)."""
        assert self.list_rank is not None
        return self.list_rank

    def to_c(self) -> Any:
        """The parameters as a `pos_mine_params *`."""
        p = ffi.new("pos_mine_params *")
        p.top_n = self.top_n
        p.size_cap = self.size_cap
        p.min_count = self.min_count
        p.n_workers = self.workers
        p.half_life_days = float(self.half_life_days)
        p.ref_time = self.ref_time
        p.shrinkage = float(self.shrinkage)
        p.rank_damping = -1.0 if self.rank_damping is None else float(self.rank_damping)
        p.list_rank = LIST_RANKS[self.rank]
        return p


@dataclass(frozen=True)
class MinerStats:
    """Totals after the last round (pos_miner_stats)."""

    baskets: int        # baskets counted, raw (restored ones included)
    weight: float       # their total weight W
    pairs: int          # distinct co-occurring pairs in the last round's baskets
    neighbours: int     # list entries kept, all items


def decode_neighbours(blob: bytes | bytearray | memoryview) -> list[tuple[int, int, float, float]]:
    """A blob's entries as (item, count, weight, score) tuples."""
    if len(blob) % ENTRY.size:
        raise ValueError(f"a neighbour blob is a multiple of {ENTRY.size} bytes, not {len(blob)}")
    return list(ENTRY.iter_unpack(blob))


def encode_neighbours(entries: Iterable[Sequence[float]]) -> bytes:
    """(item, count, weight, score) tuples as a blob (weight, score rounded to float32)."""
    return b"".join(ENTRY.pack(int(i), int(c), w, s) for i, c, w, s in entries)


@dataclass(frozen=True)
class NeighbourLists:
    """Every item's ranked list as CSR: item a's entries are entries[16*offsets[a] : 16*offsets[a+1]]."""

    offsets: array[int]  # 'q', n_items + 1
    entries: bytes      # the entries' blobs end to end

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def count(self, item: int) -> int:
        """Entries in item's list."""
        return self.offsets[item + 1] - self.offsets[item]

    def blob(self, item: int) -> bytes:
        """Item's list as a blob."""
        return self.entries[ENTRY.size * self.offsets[item]:ENTRY.size * self.offsets[item + 1]]

    def of(self, item: int) -> list[tuple[int, int, float, float]]:
        """Item's list decoded."""
        return decode_neighbours(self.blob(item))

    def blobs(self, skip_empty: bool = False) -> Iterator[tuple[int, int, memoryview]]:
        """(item, n_entries, blob) per item; the blobs are views of `entries` (no copy)."""
        view = memoryview(self.entries)
        offsets = self.offsets
        size = ENTRY.size
        for item in range(len(offsets) - 1):
            lo, hi = offsets[item], offsets[item + 1]
            if hi > lo or not skip_empty:
                yield item, hi - lo, view[size * lo:size * hi]


def _c_array(obj: Any, ctype: str, name: str, writable: bool = False) -> tuple[Any, int]:
    """(cdata, length) for a cffi array of ctype, or any 1-D contiguous buffer of
    integers of ctype's size (array.array, numpy arrays, bytes for blobs)."""
    itemtype = ffi.typeof(ctype)
    if isinstance(obj, ffi.CData):
        t = ffi.typeof(obj)
        if t.kind == "array" and t.item is itemtype:
            return obj, len(obj)
        raise TypeError(f"{name}: expected a cffi {ctype}[] array, not {t.cname}")
    try:
        view = memoryview(obj)
    except TypeError:
        raise TypeError(f"{name}: expected a buffer of {ctype}, not {type(obj).__name__}") from None
    with view:
        fmt = view.format
        order, code = fmt[:-1], fmt[-1:]
        if view.ndim != 1 or not view.c_contiguous:
            raise TypeError(f"{name}: expected a 1-D contiguous buffer")
        if view.itemsize != ffi.sizeof(itemtype) or order not in _NATIVE_ORDER \
                or code not in _INT_FORMATS:
            raise TypeError(f"{name}: expected integers of {ffi.sizeof(itemtype)} bytes "
                            f"({ctype}), got format {fmt!r} of itemsize {view.itemsize}")
        length = len(view)
    return ffi.from_buffer(ctype + "[]", obj, require_writable=writable), length


def _entries_array(neighbours: NeighbourInput) -> tuple[Any, int]:
    """(cdata pos_neighbour[], n) from a blob (bytes-like) or (item, count, weight, score) tuples."""
    if isinstance(neighbours, (bytes, bytearray, memoryview)) and _LITTLE:
        if len(neighbours) % ENTRY.size:
            raise ValueError(f"a neighbour blob is a multiple of {ENTRY.size} bytes")
        n = len(neighbours) // ENTRY.size
        return (ffi.from_buffer("pos_neighbour[]", neighbours) if n else ffi.NULL), n
    entries = (decode_neighbours(neighbours) if isinstance(neighbours, (bytes, bytearray, memoryview))
               else list(neighbours))
    arr = ffi.new("pos_neighbour[]", max(len(entries), 1))
    for slot, (item, count, weight, score) in zip(arr, entries):
        slot.item, slot.count, slot.weight, slot.score = item, count, weight, score
    return arr, len(entries)


class Miner:
    """Pair counting and neighbour lists for `n_items` dense items.

    Not thread-safe itself: one thread drives it (add_baskets spreads the
    counting over its own worker threads). After a failed add_baskets the round
    cannot be completed and further rounds raise NativeError(POS_ESTATE).
    """

    def __init__(self, n_items: int, params: MineParams | None = None) -> None:
        if isinstance(n_items, bool) or not isinstance(n_items, int) or not 0 <= n_items <= _INT32_MAX:
            raise ValueError(f"n_items must be an integer in [0, {_INT32_MAX}], not {n_items!r}")
        self.n_items = n_items
        self.params = params if params is not None else MineParams()
        out = ffi.new("pos_miner **")
        check(lib.pos_miner_new(self.params.to_c(), n_items, out), "pos_miner_new")
        self._m = ffi.gc(out[0], lib.pos_miner_free)

    def close(self) -> None:
        """Frees the core's state now (otherwise when the object is collected)."""
        if self._m is not None:
            ffi.release(self._m)
            self._m = None

    def __enter__(self) -> "Miner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def _handle(self) -> Any:
        if self._m is None:
            raise ValueError("the miner is closed")
        return self._m

    # ---- incremental path -------------------------------------------------

    def restore_totals(self, baskets: int, weight: float) -> None:
        """Restores the basket total N and weight total W a previous load stored."""
        check(lib.pos_miner_restore_totals(self._handle, baskets, weight), "pos_miner_restore_totals")

    def restore_item(self, item: int, count: int, weight: float,
                     neighbours: NeighbourInput = b"") -> None:
        """Restores one item's count, weight and list (a blob, or (item, count,
        weight, score) tuples, ranked as stored)."""
        arr, n = _entries_array(neighbours)
        check(lib.pos_miner_restore_item(self._handle, item, count, weight, arr, n),
              "pos_miner_restore_item")

    def restore_lists(self, baskets: int, weight: float, s: float, counts: Any, weights: Any,
                      first: Any, lengths: Any, entries: Any) -> None:
        """A precomputed part in one call (pos_miner_restore_lists: pos_core.h):
        cffi arrays counts int64_t[n_items] (-1: not in the part), weights
        double[n_items], item i's list entries[first[i]:first[i] + lengths[i]]
        (pos_part_entry); counts and weights scaled by s."""
        check(lib.pos_miner_restore_lists(self._handle, baskets, weight, s, counts, weights,
                                          first, lengths, entries), "pos_miner_restore_lists")

    def restore_reader(self, reader: Any, baskets: int, weight: float, s: float, counts: Any,
                       weights: Any) -> None:
        """restore_lists over the lists a pos_part_reader holds (no copy)."""
        check(lib.pos_part_reader_restore(reader, self._handle, baskets, weight, s, counts,
                                          weights), "pos_part_reader_restore")

    def restore(self, baskets: int, weight: float,
                items: Iterable[tuple[int, int, float, NeighbourInput]]) -> None:
        """restore_totals(baskets, weight), then restore_item for each
        (item, count, weight, neighbours) row."""
        self.restore_totals(baskets, weight)
        for item, count, item_weight, neighbours in items:
            self.restore_item(item, count, item_weight, neighbours)

    # ---- a round ------------------------------------------------------------

    def add_baskets(self, offsets: Any, items: Any, times: Any = None,
                    progress: Progress | None = None) -> MinerStats:
        """Counts the baskets (CSR: offsets int64[n+1], items int32, times int64[n]
        or None) into the items' counts and lists: stage, count, commit.
        progress(items_done, n_items) is called from this thread as chunks finish."""
        m = self._handle
        offs, n_off = _c_array(offsets, "int64_t", "offsets")
        if n_off < 1:
            raise ValueError("offsets needs n_baskets + 1 entries (at least one)")
        n_baskets = n_off - 1
        its, n_its = _c_array(items, "int32_t", "items")
        if offs[n_baskets] > n_its:
            raise ValueError(f"offsets end at {offs[n_baskets]} but items has {n_its} entries")
        if times is None:
            tms = ffi.NULL
        else:
            tms, n_tms = _c_array(times, "int64_t", "times")
            if n_tms != n_baskets:
                raise ValueError(f"times has {n_tms} entries for {n_baskets} baskets")

        before = self._costs_before()
        check(lib.pos_miner_stage(m, n_baskets, offs, its if n_its else ffi.NULL, tms),
              "pos_miner_stage")
        chunks = self._plan(before)
        self._count_chunks(chunks, progress)
        check(lib.pos_miner_commit(m), "pos_miner_commit")
        return self.stats()

    def _costs_before(self) -> list[int]:
        """Per item, before staging: its stored list's length - 8 x its count (so
        that after staging 8 x count + this = 8 x new baskets + list length)."""
        n = self.n_items
        offs = ffi.new("int64_t[]", n + 1)
        check(lib.pos_miner_neighbours(self._handle, offs, ffi.NULL), "pos_miner_neighbours")
        counts = ffi.new("uint32_t[]", max(n, 1))
        check(lib.pos_miner_item_counts(self._handle, counts, ffi.NULL), "pos_miner_item_counts")
        lengths = ffi.unpack(offs, n + 1)
        return [hi - lo - 8 * c for lo, hi, c in zip(lengths, lengths[1:], ffi.unpack(counts, n))]

    def _plan(self, before: list[int]) -> list[tuple[int, int]]:
        """Item ranges of about equal work (8 per new basket holding the item,
        1 per stored entry, 1 per item), at most CHUNK_ITEMS items each."""
        n = self.n_items
        if n == 0:
            return []
        counts = ffi.new("uint32_t[]", n)
        check(lib.pos_miner_item_counts(self._handle, counts, ffi.NULL), "pos_miner_item_counts")
        cum = list(accumulate(8 * c + b + 1 for c, b in zip(ffi.unpack(counts, n), before)))
        target = max(cum[-1] // (self.params.workers * 16), 1)
        chunks, lo = [], 0
        while lo < n:
            done = cum[lo - 1] if lo else 0
            hi = min(bisect_left(cum, done + target, lo) + 1, lo + CHUNK_ITEMS, n)
            chunks.append((lo, hi))
            lo = hi
        return chunks

    def _count_chunks(self, chunks: list[tuple[int, int]], progress: Progress | None) -> None:
        m, n = self._handle, self.n_items
        if progress:
            progress(0, n)
        workers = min(self.params.workers, len(chunks))
        if workers <= 1:
            done = 0
            for lo, hi in chunks:
                check(lib.pos_miner_count(m, lo, hi, 0), "pos_miner_count")
                done += hi - lo
                if progress:
                    progress(done, n)
            return

        lock = threading.Lock()
        results: queue.SimpleQueue[int | BaseException | None] = queue.SimpleQueue()
        state = {"next": 0, "stop": False}

        def work(worker_id: int) -> None:
            while True:
                with lock:
                    if state["stop"] or state["next"] >= len(chunks):
                        break
                    lo, hi = chunks[state["next"]]
                    state["next"] += 1
                try:
                    check(lib.pos_miner_count(m, lo, hi, worker_id), "pos_miner_count")
                except BaseException as exc:  # handed to the calling thread
                    results.put(exc)
                    break
                results.put(hi - lo)
            results.put(None)  # this worker has finished

        threads = [threading.Thread(target=work, args=(i,), name=f"pos-miner-{i}", daemon=True)
                   for i in range(workers)]
        for t in threads:
            t.start()
        done, running, error = 0, workers, None
        try:
            while running:
                got = results.get()
                if got is None:
                    running -= 1
                elif isinstance(got, BaseException):
                    error = error or got
                    with lock:
                        state["stop"] = True
                else:
                    done += got
                    if progress and error is None:
                        progress(done, n)
        except BaseException:
            with lock:
                state["stop"] = True
            raise
        finally:
            for t in threads:
                t.join()
        if error is not None:
            raise error

    # ---- results ---------------------------------------------------------------

    def stats(self) -> MinerStats:
        out = ffi.new("pos_miner_stats *")
        check(lib.pos_miner_stats_get(self._handle, out), "pos_miner_stats_get")
        return MinerStats(out.baskets, out.weight, out.pairs, out.neighbours)

    def item_counts(self) -> tuple[array[int], array[float]]:
        """(counts, weights) per item: array('I') of raw basket counts, array('d') of weights."""
        n = self.n_items
        counts = ffi.new("uint32_t[]", max(n, 1))
        weights = ffi.new("double[]", max(n, 1))
        check(lib.pos_miner_item_counts(self._handle, counts, weights), "pos_miner_item_counts")
        c, w = array("I"), array("d")
        assert c.itemsize == 4
        c.frombytes(ffi.buffer(counts, 4 * n))
        w.frombytes(ffi.buffer(weights, 8 * n))
        return c, w

    def neighbour_lists(self) -> NeighbourLists:
        """Every item's list (ranked by score descending, then item ascending)."""
        n = self.n_items
        total = self.stats().neighbours
        offs = ffi.new("int64_t[]", n + 1)
        entries = ffi.new("pos_neighbour[]", max(total, 1))
        check(lib.pos_miner_neighbours(self._handle, offs, entries), "pos_miner_neighbours")
        offsets = array("q")
        offsets.frombytes(ffi.buffer(offs))
        raw = ffi.buffer(entries, ENTRY.size * total)[:]
        if not _LITTLE:  # the blobs are little-endian whatever the host
            raw = b"".join(ENTRY.pack(e.item, e.count, e.weight, e.score)
                           for e in entries[0:total])
        return NeighbourLists(offsets, raw)
