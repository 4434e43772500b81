"""Reading baskets.csv fast: the C parser (`pos_parser_*`) behind a small Python API.

The caller has read the header (delimiter, column indexes) and feeds the rest of
the decompressed file in chunks; every line is checked in C and each bad line
comes back as a `RowProblem` with its line, column name and a reason a store
manager understands. The accepted lines become baskets: dense basket indexes
in order of first appearance, each basket's items sorted without repeats, its
time (the earliest line's, UTC seconds) and its loyalty customer.

    parser = BasketParser({"basket_id": 0, "sku": 1, "quantity": 2, "timestamp": 3},
                          n_columns=4, delimiter=",", first_line=2,
                          timezone="Europe/Oslo")
    parser.add_skus(catalog_items.items())
    consumed, problems = parser.feed(chunk, final=False)   # feed chunk[consumed:] again
    arrays = parser.baskets()
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any, Callable, Iterable, Iterator, Protocol, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import DumpError
from ..native import check, ffi, lib

POS_ROW_FIELD_COUNT = lib.POS_ROW_FIELD_COUNT
POS_ROW_ENCODING = lib.POS_ROW_ENCODING
POS_ROW_EMPTY = lib.POS_ROW_EMPTY
POS_ROW_UNKNOWN_SKU = lib.POS_ROW_UNKNOWN_SKU
POS_ROW_QUANTITY = lib.POS_ROW_QUANTITY
POS_ROW_QUANTITY_SIGN = lib.POS_ROW_QUANTITY_SIGN
POS_ROW_TIMESTAMP = lib.POS_ROW_TIMESTAMP
POS_ROW_CUSTOMER = lib.POS_ROW_CUSTOMER
POS_ROW_QUOTE = lib.POS_ROW_QUOTE
POS_ROW_TOO_LONG = lib.POS_ROW_TOO_LONG
POS_ROW_TOO_EARLY = lib.POS_ROW_TOO_EARLY
POS_ROW_TOO_LATE = lib.POS_ROW_TOO_LATE
POS_ROW_QUANTITY_MAX = lib.POS_ROW_QUANTITY_MAX

REQUIRED_COLUMNS = ("basket_id", "sku", "quantity", "timestamp")
OPTIONAL_COLUMNS = ("customer_id",)
DELIMITERS = (",", ";", "\t")
FIELD_MAX = 255
DEFAULT_YEARS = (1970, 2100)
CHUNK = 8 << 20
_INT64_MIN = -(1 << 63)
_DAY = 86400
_QUOTE_MAX = 60   # characters of a field quoted in a reason


class LineTooLong(Exception):
    """feed_stream met a line longer than its `max_line` bytes (and read no further)."""


class Readable(Protocol):
    """What feed_stream reads: a binary file, or pos.dump.csvfile.ByteStream."""

    def read(self, size: int, /) -> bytes: ...


@dataclass(frozen=True)
class RowProblem:
    """One rejected line of baskets.csv."""

    line: int            # 1-based line number in the file
    column: str | None   # the column's name; None for a whole-row problem
    code: int            # POS_ROW_*
    reason: str          # a sentence for the store manager
    raw: bytes           # the line, without its terminator
    value: str | None = None  # the offending field's value (unquoted, trimmed)


@dataclass(frozen=True)
class LineLimits:
    """What a plausible line is (pos_basket_limits): its time in [earliest,
    latest] (UTC seconds), its quantity at most `max_quantity`, or `max_weight`
    (kg) for a weighed item. The `*_why` texts end the reason of a rejected line
    ("the dump's export time", "--earliest")."""

    earliest: int
    latest: int
    max_quantity: float
    max_weight: float
    weighed: tuple[int, ...] = ()      # item indexes sold by weight
    earliest_why: str = "the earliest time allowed"
    latest_why: str = "the latest time allowed"


@dataclass(frozen=True)
class ParserStats:
    """Counts over everything fed so far (see pos_parser_stats in pos_core.h)."""

    lines: int       # data lines seen (empty lines not counted)
    lines_ok: int    # lines accepted
    baskets: int
    customers: int
    items: int       # basket-item entries after merging repeated skus
    min_time: int    # UTC seconds over the accepted lines (0 when none)
    max_time: int


@dataclass(frozen=True)
class Baskets:
    """The accepted baskets as CSR cffi arrays (basket b's items are
    items[offsets[b]:offsets[b + 1]], sorted, no repeats)."""

    n_baskets: int
    n_items: int
    offsets: Any     # int64_t[n_baskets + 1]
    items: Any       # int32_t[n_items]
    times: Any       # int64_t[n_baskets], UTC seconds of the earliest line
    customers: Any   # int32_t[n_baskets], dense customer index or -1


@functools.lru_cache(maxsize=32)
def tz_table(timezone: str, first_year: int = DEFAULT_YEARS[0],
             last_year: int = DEFAULT_YEARS[1]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The local-to-UTC table the C parser wants for an IANA zone: (local_start,
    offset) pairs, sorted; from local second local_start[i] on, UTC = local -
    offset[i]. Empty for a zone that is UTC throughout.

    A transition from offset a to b at UTC instant u starts at local u + max(a, b):
    a local time in a gap or an overlap takes the offset before the change,
    which is what Python's zoneinfo does with fold=0. Transitions are found by
    probing the zone once a day over [first_year, last_year] (two changes less
    than a day apart would be missed); outside that range the nearest offset
    in it holds.
    """
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise DumpError(f"unknown time zone {timezone!r} (use an IANA name such as "
                        "'Europe/Oslo')") from None
    if first_year > last_year:
        raise ValueError(f"time range {first_year}-{last_year} is empty")
    start = int(datetime(first_year, 1, 1, tzinfo=dt_timezone.utc).timestamp()) - _DAY
    end = int(datetime(last_year, 12, 31, tzinfo=dt_timezone.utc).timestamp()) + 2 * _DAY

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, zone).utcoffset()
        assert delta is not None            # a time in a ZoneInfo zone is aware
        return int(delta.total_seconds())

    starts, offsets = [_INT64_MIN], [offset(start)]
    t = start
    while t < end:
        nxt = min(t + _DAY, end)
        if offset(nxt) == offsets[-1]:
            t = nxt
            continue
        lo, hi = t, nxt          # offset(lo) is the old one, offset(hi) is not
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if offset(mid) == offsets[-1]:
                lo = mid
            else:
                hi = mid
        new = offset(hi)
        local_start = max(hi + max(offsets[-1], new), starts[-1] + 1)
        starts.append(local_start)
        offsets.append(new)
        t = hi
    if len(starts) == 1 and offsets[0] == 0:
        return (), ()
    return tuple(starts), tuple(offsets)


def _unquote(raw: bytes) -> bytes:
    if len(raw) >= 2 and raw.startswith(b'"') and raw.endswith(b'"'):
        return raw[1:-1].replace(b'""', b'"')
    return raw


def _quoted(text: str) -> str:
    if len(text) > _QUOTE_MAX:
        text = text[:_QUOTE_MAX] + "..."
    return repr(text)


class BasketParser:
    """The C basket-history parser for one baskets.csv.

    `columns` maps column names to 0-based indexes: basket_id, sku, quantity and
    timestamp are required, customer_id is optional, and any other name only
    names its column in problems (so may `header`, the whole header's names).
    Naive times are local time of `timezone`; `time_range` = (first_year,
    last_year) bounds the years the zone table covers (1970-2100 by default).
    """

    def __init__(self, columns: dict[str, int], n_columns: int, delimiter: str,
                 first_line: int, timezone: str = "UTC",
                 time_range: tuple[int, int] | None = None,
                 header: Sequence[str] | None = None):
        missing = [c for c in REQUIRED_COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"columns: {', '.join(missing)} missing")
        if delimiter not in DELIMITERS:
            raise ValueError(f"delimiter {delimiter!r}: must be one of {DELIMITERS!r}")
        for name, index in columns.items():
            if not 0 <= index < n_columns:
                raise ValueError(f"column {name!r} index {index} out of range 0..{n_columns - 1}")
        self.columns = dict(columns)
        self.n_columns = n_columns
        self.delimiter = delimiter
        self.timezone = timezone
        names = list(header or [])[:n_columns]
        names += [f"column {i + 1}" for i in range(len(names), n_columns)]
        for name, index in columns.items():
            names[index] = name
        self._names = names

        years = tuple(time_range) if time_range is not None else DEFAULT_YEARS
        starts, offsets = tz_table(timezone, *years)
        self._tz_start = ffi.new("int64_t[]", starts or 1)
        self._tz_offset = ffi.new("int32_t[]", offsets or 1)
        fmt = ffi.new("pos_basket_format *")
        fmt.delimiter = ord(delimiter)
        fmt.n_columns = n_columns
        fmt.col_basket = columns["basket_id"]
        fmt.col_sku = columns["sku"]
        fmt.col_quantity = columns["quantity"]
        fmt.col_timestamp = columns["timestamp"]
        fmt.col_customer = columns.get("customer_id", -1)
        fmt.first_line = first_line
        fmt.n_tz = len(starts)
        fmt.tz_local_start = self._tz_start
        fmt.tz_offset = self._tz_offset
        out = ffi.new("pos_parser **")
        check(lib.pos_parser_new(fmt, out), "pos_parser_new")
        self._p = ffi.gc(out[0], lib.pos_parser_free)
        self._n_errors = ffi.new("size_t *")
        self._consumed = ffi.new("size_t *")
        self._errors = ffi.new("pos_row_error[]", 64)
        self._id_buf = ffi.new("char[]", FIELD_MAX + 1)
        self._id_len = ffi.new("size_t *")
        self.limits: LineLimits | None = None
        self._weighed: frozenset[int] = frozenset()

    def set_limits(self, limits: LineLimits) -> None:
        """Rejects the lines fed from now on that fall outside `limits`."""
        out = ffi.new("pos_basket_limits *")
        out.time_min = limits.earliest
        out.time_max = limits.latest
        out.quantity_max = limits.max_quantity
        out.weight_max = limits.max_weight
        weighed = ffi.new("int32_t[]", list(limits.weighed) or 1)
        out.n_weighed = len(limits.weighed)
        out.weighed = weighed
        check(lib.pos_parser_set_limits(self._p, out), "pos_parser_set_limits")
        self.limits = limits
        self._weighed = frozenset(limits.weighed)

    # ---- input ---------------------------------------------------------------

    def add_skus(self, skus: Iterable[tuple[str, int]]) -> None:
        """Registers the catalog: (sku, dense item index) pairs. A sku given
        twice (or empty, or over 255 bytes) raises NativeError (POS_EINVAL)."""
        add = lib.pos_parser_add_sku
        p = self._p
        for sku, item in skus:
            raw = sku.encode("utf-8")
            check(add(p, raw, len(raw), item), f"pos_parser_add_sku({sku!r})")

    def feed(self, chunk: bytes | bytearray | memoryview, final: bool = False
             ) -> tuple[int, list[RowProblem]]:
        """Parses the complete lines at the start of `chunk` (all of it when
        `final`): (bytes consumed, problems of the rejected lines). Feed the
        unconsumed rest again in front of the next chunk."""
        view = memoryview(chunk).cast("B")
        buf = ffi.from_buffer("char[]", view)
        check(lib.pos_parser_feed(self._p, buf, view.nbytes, int(bool(final)),
                                  self._consumed), "pos_parser_feed")
        return self._consumed[0], self._problems(view)

    def feed_stream(self, stream: Readable, chunk_size: int = CHUNK, pending: bytes = b"",
                    on_chunk: Callable[[], object] | None = None,
                    max_line: int | None = None) -> Iterator[RowProblem]:
        """Feeds a whole binary stream (positioned after the header; `pending`
        = bytes already read past it), yielding the problems as they come;
        `on_chunk()` is called after each chunk (progress). A line longer than
        `max_line` bytes raises LineTooLong (not held whole in memory)."""
        while True:
            data = stream.read(chunk_size)
            final = not data
            buffer = pending + data if pending else data
            consumed, problems = self.feed(buffer, final)
            yield from problems
            pending = buffer[consumed:]
            if max_line is not None and len(pending) > max_line:
                raise LineTooLong(len(pending))
            if on_chunk is not None:
                on_chunk()
            if final:
                return

    def _problems(self, view: memoryview) -> list[RowProblem]:
        check(lib.pos_parser_errors(self._p, ffi.NULL, 0, self._n_errors), "pos_parser_errors")
        n = self._n_errors[0]
        if not n:
            return []
        if n > len(self._errors):
            self._errors = ffi.new("pos_row_error[]", n)
        check(lib.pos_parser_errors(self._p, self._errors, n, self._n_errors),
              "pos_parser_errors")
        return [self._problem(self._errors[i], view) for i in range(n)]

    def _problem(self, e: Any, view: memoryview) -> RowProblem:     # e: a cffi pos_row_error
        raw = bytes(view[e.row_start:e.row_end])
        column = self._names[e.column] if 0 <= e.column < self.n_columns else None
        field = bytes(view[e.field_start:e.field_end]) if e.field_start >= 0 else None
        value = None
        if field is not None and e.code not in (POS_ROW_ENCODING, POS_ROW_QUOTE):
            value = _unquote(field).decode("utf-8", "replace").strip()
        code = e.code
        text = value or ""      # the codes that quote it always have a field
        if code == POS_ROW_FIELD_COUNT:
            reason = f"expected {self.n_columns} fields, found {e.detail}"
        elif code == POS_ROW_ENCODING:
            reason = (f"not valid UTF-8 (byte 0x{view[e.detail]:02x}); "
                      "export the file as UTF-8")
        elif code == POS_ROW_QUOTE:
            if e.detail < 0:
                reason = "a quote is not closed on this line"
            else:
                reason = ("text after the closing quote (a quote inside a quoted field "
                          "is written twice: \"\")")
        elif code == POS_ROW_EMPTY:
            reason = f"{column} is empty"
        elif code == POS_ROW_TOO_LONG:
            reason = (f"{_quoted(text)} is {len(text.encode('utf-8')):,} bytes long, "
                      f"more than {FIELD_MAX}")
        elif code == POS_ROW_UNKNOWN_SKU:
            reason = f"unknown sku {_quoted(text)}"
        elif code == POS_ROW_QUANTITY:
            reason = f"{_quoted(text)} is not a number"
        elif code == POS_ROW_QUANTITY_SIGN:
            reason = f"{_quoted(text)} is not more than 0"
        elif code == POS_ROW_TIMESTAMP:
            reason = f"{_quoted(text)} is not an ISO 8601 time"
        elif code in (POS_ROW_TOO_EARLY, POS_ROW_TOO_LATE):
            assert self.limits is not None      # only set limits reject a time
            early = code == POS_ROW_TOO_EARLY
            bound = self.limits.earliest if early else self.limits.latest
            why = self.limits.earliest_why if early else self.limits.latest_why
            reason = (f"{_quoted(text)} is {'before' if early else 'after'} "
                      f"{self._local(bound)}, {why}")
        elif code == POS_ROW_QUANTITY_MAX:
            assert self.limits is not None
            if e.detail in self._weighed:
                reason = (f"{_quoted(text)} kg is more than {self.limits.max_weight:,g} kg, "
                          "the most a line of a weighed item may have")
            else:
                reason = (f"{_quoted(text)} is more than {self.limits.max_quantity:,g}, "
                          "the most units a line may have")
        elif code == POS_ROW_CUSTOMER:
            reason = (f"customer {_quoted(text)} differs from this basket's earlier "
                      f"customer {_quoted(self.customer_id(e.detail))}")
        else:
            reason = f"problem {code}"
        return RowProblem(e.line, column, code, reason, raw, value)

    def _local(self, t: int) -> str:
        """A UTC time in the store's time zone, as the dump writes times."""
        return datetime.fromtimestamp(t, ZoneInfo(self.timezone)).isoformat()

    # ---- results -------------------------------------------------------------

    def stats(self) -> ParserStats:
        """Counts so far (the first call after new lines merges the baskets' repeats)."""
        out = ffi.new("pos_parser_stats *")
        check(lib.pos_parser_stats_get(self._p, out), "pos_parser_stats_get")
        return ParserStats(out.lines, out.lines_ok, out.baskets, out.customers, out.items,
                           out.min_time, out.max_time)

    def baskets(self) -> Baskets:
        """The accepted baskets as fresh CSR arrays."""
        st = self.stats()
        offsets = ffi.new("int64_t[]", st.baskets + 1)
        items = ffi.new("int32_t[]", st.items)
        times = ffi.new("int64_t[]", st.baskets)
        customers = ffi.new("int32_t[]", st.baskets)
        check(lib.pos_parser_baskets(self._p, offsets, items, times, customers),
              "pos_parser_baskets")
        return Baskets(st.baskets, st.items, offsets, items, times, customers)

    def _id(self, fn: Callable[..., int], index: int, call: str) -> str:
        check(fn(self._p, index, self._id_buf, FIELD_MAX + 1, self._id_len), call)
        raw: bytes = ffi.unpack(self._id_buf, self._id_len[0])
        return raw.decode("utf-8")

    def basket_id(self, index: int) -> str:
        """The id of basket `index` (NativeError POS_ERANGE when there is none)."""
        return self._id(lib.pos_parser_basket_id, index, "pos_parser_basket_id")

    def customer_id(self, index: int) -> str:
        """The id of customer `index` (NativeError POS_ERANGE when there is none)."""
        return self._id(lib.pos_parser_customer_id, index, "pos_parser_customer_id")

    def basket_ids(self) -> list[str]:
        """Every basket id, by dense index."""
        fn, p, buf, n = lib.pos_parser_basket_id, self._p, self._id_buf, self._id_len
        out = []
        for i in range(self.stats().baskets):
            check(fn(p, i, buf, FIELD_MAX + 1, n), "pos_parser_basket_id")
            out.append(ffi.unpack(buf, n[0]).decode("utf-8"))
        return out

    def customer_ids(self) -> list[str]:
        """Every customer id, by dense index."""
        fn, p, buf, n = lib.pos_parser_customer_id, self._p, self._id_buf, self._id_len
        out = []
        for i in range(self.stats().customers):
            check(fn(p, i, buf, FIELD_MAX + 1, n), "pos_parser_customer_id")
            out.append(ffi.unpack(buf, n[0]).decode("utf-8"))
        return out

    def close(self) -> None:
        """Frees the C state now rather than at garbage collection."""
        if self._p is not None:
            ffi.release(self._p)
            self._p = None
