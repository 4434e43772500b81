"""Reading a dump's mined/neighbours.csv fast: the C reader (`pos_part_reader_*`,
native/part.c) behind `read_part_native`, which `pos load` uses.

The C reader settles the plainly good rows (and, in a region's or the chain's
part, the rows of skus the store does not carry); every other row it holds for
Python, where the reference row check (pos.chain.part.check_neighbour_row)
accepts it or says what is wrong, with the reading state kept in C
(`_NativeState`). So the messages are the reference's, and the accepted lists
come back as CSR arrays (NativePart) that pos.chain.prior.restore_lists puts
into the miner in one call. item_stats.csv (one row per item) is read in Python.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..dump.catalog import Catalog
from ..dump.csvfile import ByteStream, find, read_header, split_row
from ..dump.problems import ProblemLog
from ..errors import DumpError
from ..mining import MineParams
from ..native import check, ffi, lib
from .lists import Holdout, MinedLists
from .part import (
    NEIGHBOUR_COLUMNS,
    PART,
    PartManifest,
    _not_carried,
    check_neighbour_row,
    read_item_stats,
    read_part_manifest,
    skipped_notes,
)

CHUNK = 8 << 20
_uncleared = ffi.new_allocator(should_clear_after_alloc=False)


@dataclass
class NativePart:
    """A part as read by the C reader: MinedLists' fields, and the lists kept in
    the reader (`reader`, a pos_part_reader): restore_lists takes them from
    there, `lists()` copies them out."""

    scope: str
    name: str
    params: MineParams
    baskets: int
    weight: float
    items: dict[str, tuple[int, float]]
    skus: list[str]          # dense item -> sku
    reader: Any              # the pos_part_reader holding the accepted lists
    entries: int             # how many
    holdout: Holdout | None = None      # as MinedLists: the part's holdout, or the one it is
    held_out: bool = False

    def csr(self) -> tuple[Any, Any]:
        """The lists as CSR cffi arrays: item i's list is entries[offsets[i]:
        offsets[i + 1]] (pos_part_entry), in file order."""
        offsets = ffi.new("int64_t[]", len(self.skus) + 1)
        entries = _uncleared("pos_part_entry[]", max(self.entries, 1))
        check(lib.pos_part_reader_lists(self.reader, offsets, entries), "pos_part_reader_lists")
        return offsets, entries

    def close(self) -> None:
        """Frees the reader's lists now (after they were restored), not at garbage collection."""
        if self.reader is not None:
            ffi.release(self.reader)
            self.reader = None

    def lists(self) -> MinedLists:
        """The same part as MinedLists (Python tuples: for tests and small parts)."""
        neighbours: dict[str, list[tuple[str, int, float, float]]] = {}
        skus = self.skus
        offsets, entries = self.csr()
        for item, sku in enumerate(skus):
            lo, hi = offsets[item], offsets[item + 1]
            if hi > lo:
                neighbours[sku] = [(skus[e.item], e.count, e.weight, e.score)
                                   for e in (entries[j] for j in range(lo, hi))]
        return MinedLists(scope=self.scope, name=self.name, params=self.params,
                          baskets=self.baskets, weight=self.weight, items=dict(self.items),
                          neighbours=neighbours, holdout=self.holdout, held_out=self.held_out)


class _NativeState:
    """check_neighbour_row's ListState, kept in the C reader (carried items) and
    here (sku texts that are not carried items: their rows are always held)."""

    def __init__(self, reader: Any, items: dict[str, int], skus: list[str]):
        self._r = reader
        self._items = items
        self._skus = skus
        self._text: str | None = None           # the current list's text when not an item
        self._started: dict[str, int] = {}      # such texts -> line their list started on
        self._state = ffi.new("pos_part_state *")
        self._item = ffi.new("pos_part_item *")
        self._entry = ffi.new("pos_part_entry *")

    def _read(self) -> Any:
        check(lib.pos_part_reader_state(self._r, self._state), "pos_part_reader_state")
        return self._state

    def _of(self, item: int) -> Any:
        check(lib.pos_part_reader_item(self._r, item, self._item), "pos_part_reader_item")
        return self._item

    def current(self) -> str | None:
        current = int(self._read().current)
        if current >= 0:
            return self._skus[current]
        return self._text if current == -2 else None

    def started(self, text: str) -> int | None:
        item = self._items.get(text)
        if item is None:
            return self._started.get(text)
        line: int = self._of(item).started
        return line or None

    def begin(self, text: str, line: int) -> None:
        item = self._items.get(text)
        if item is None:
            self._started[text] = line
            self._text = text
        check(lib.pos_part_reader_begin(self._r, -2 if item is None else item, line),
              "pos_part_reader_begin")

    def last_score(self) -> float | None:
        state = self._read()
        return float(state.last_score) if state.has_last else None

    def listed(self, partner: str) -> bool:
        item = self._items.get(partner)
        return item is not None and bool(self._of(item).listed)

    def size(self, sku: str) -> int:
        item = self._items.get(sku)
        return 0 if item is None else int(self._of(item).n_entries)

    def add(self, sku: str, entry: tuple[str, int, float, float]) -> None:
        partner, count, weight, score = entry
        e = self._entry
        e.item, e.count, e.weight, e.score = self._items[partner], count, weight, score
        check(lib.pos_part_reader_add(self._r, self._items[sku], e), "pos_part_reader_add")


def read_part_native(directory: Path, catalog: Catalog, log: ProblemLog,
                     notes: list[str] | None = None, chunk_size: int = CHUNK,
                     sub: str = PART) -> NativePart:
    """The dump's mined/ part (`sub`: mined/holdout/ for the holdout), as
    pos.chain.part.read_part reads it (the same rows accepted, the same problems,
    notes and threshold), with neighbours.csv read by the C reader and the lists
    left in C-ready CSR arrays."""
    manifest = read_part_manifest(directory, sub)
    shared = manifest.scope != "store"
    skipped: dict[str, int] = {}
    lists = MinedLists(scope=manifest.scope, name=manifest.name, params=manifest.params,
                       baskets=manifest.baskets, weight=manifest.weight, items={}, neighbours={})
    read_item_stats(directory, catalog, log, lists, shared, skipped, sub)

    path = find(Path(directory) / sub, "neighbours")
    if path is None:
        raise DumpError(f"{sub}/neighbours.csv (or neighbours.csv.gz) is missing")
    file = f"{sub}/{path.name}"
    try:
        return _read_neighbours(path, file, manifest, lists, catalog, log, skipped, shared,
                                notes, chunk_size)
    except DumpError as exc:
        message = str(exc)
        if message.startswith(path.name):
            raise DumpError(f"{sub}/{message}") from None
        raise


def _read_neighbours(path: Path, file: str, manifest: PartManifest, lists: MinedLists,
                     catalog: Catalog, log: ProblemLog, skipped: dict[str, int], shared: bool,
                     notes: list[str] | None, chunk_size: int) -> NativePart:
    items = catalog.items
    n_items = max(items.values(), default=-1) + 1
    skus = [""] * n_items
    for sku, item in items.items():
        skus[item] = sku
    top_n = manifest.params.top_n
    with ByteStream(path) as stream:
        pending = stream.read(chunk_size)
        while b"\n" not in pending and (more := stream.read(chunk_size)):
            pending += more                       # the header line, whole
        header = read_header(path.name, pending)
        header.require(*NEIGHBOUR_COLUMNS)
        pending = pending[header.length:]
        fmt = ffi.new("pos_part_format *")
        fmt.delimiter = ord(header.delimiter)
        fmt.n_columns = len(header.columns)
        fmt.col_sku, fmt.col_partner, fmt.col_count, fmt.col_weight, fmt.col_score = (
            header.index(c) for c in NEIGHBOUR_COLUMNS)
        fmt.top_n = top_n
        fmt.shared = int(shared)
        fmt.n_items = n_items
        fmt.first_line = 2
        out = ffi.new("pos_part_reader **")
        check(lib.pos_part_reader_new(fmt, out), "pos_part_reader_new")
        reader = ffi.gc(out[0], lib.pos_part_reader_free)
        # the catalog's skus, then the ones it rejected (-1), in one call
        rejected = [s for s in catalog.rejected
                    if s not in items and 0 < len(s.encode("utf-8")) <= 255]
        encoded = [s.encode("utf-8") for s in (*items, *rejected)]
        check(lib.pos_part_reader_add_skus(
            reader, b"".join(encoded),
            ffi.new("int64_t[]", list(accumulate(map(len, encoded))) or [0]),
            ffi.new("int32_t[]", [*items.values(), *([-1] * len(rejected))] or [0]),
            len(encoded)), "pos_part_reader_add_skus")
        baskets = ffi.new("int64_t[]", max(n_items, 1))
        for sku, (count, _) in lists.items.items():
            baskets[items[sku]] = count
        check(lib.pos_part_reader_set_baskets(reader, baskets), "pos_part_reader_set_baskets")

        state = _NativeState(reader, items, skus)
        consumed = ffi.new("size_t *")
        held = ffi.new("pos_part_held *")
        held_rows = 0
        # one buffer, read into (no copies of a plain file's chunks): the unread
        # tail of a chunk moves to its front before the next chunk is read
        buffer = bytearray(max(len(pending), chunk_size) + chunk_size)
        fill = len(pending)
        buffer[:fill] = pending
        final = False
        while not final:
            if len(buffer) < fill + chunk_size:
                buffer.extend(bytes(fill + chunk_size - len(buffer)))
            with memoryview(buffer) as view:
                got = stream.readinto(view[fill:fill + chunk_size])
            final = got == 0
            fill += got
            buf = ffi.from_buffer("char[]", buffer)
            at = 0
            while True:
                check(lib.pos_part_reader_feed(reader, buf + at, fill - at, int(final),
                                               consumed, held), "pos_part_reader_feed")
                if not held.line:
                    at += consumed[0]
                    break
                raw = bytes(buffer[at + held.start:at + held.end])
                line = held.line
                at += held.next
                row = split_row(header, line, raw.decode("utf-8", errors="surrogateescape"))
                if row is None:
                    continue
                held_rows += 1
                if row.fields is None:
                    log.reject(file, row.line, row.raw, row.problems)
                    continue
                if shared and _not_carried(row.fields, ("sku", "partner"), catalog):
                    skipped[file] = skipped.get(file, 0) + 1
                    continue
                problems = check_neighbour_row(row.fields, line, state, lists.items, catalog,
                                               top_n)
                if problems:
                    log.reject(file, row.line, row.raw, problems)
            ffi.release(buf)
            buffer[:fill - at] = buffer[at:fill]
            fill -= at
        st = ffi.new("pos_part_state *")
        check(lib.pos_part_reader_state(reader, st), "pos_part_reader_state")
        log.tally(file).rows += st.rows + held_rows
        if st.skipped:
            skipped[file] = skipped.get(file, 0) + st.skipped
        entries = st.entries
    log.check_threshold(file)
    if notes is not None:
        notes.extend(skipped_notes(skipped, manifest.scope))
    return NativePart(scope=manifest.scope, name=manifest.name, params=manifest.params,
                      baskets=manifest.baskets, weight=manifest.weight, items=lists.items,
                      skus=skus, reader=reader, entries=entries, holdout=manifest.holdout,
                      held_out=manifest.held_out)

