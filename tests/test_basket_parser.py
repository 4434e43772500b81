"""The C basket-history parser through pos.dump.basket_parser: rows, quoting, line
ends, every row problem, chunking, time zones, basket merging, and properties
against a plain-Python reading of the same bytes."""
from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.dump.basket_parser import (
    POS_ROW_CUSTOMER,
    POS_ROW_EMPTY,
    POS_ROW_ENCODING,
    POS_ROW_FIELD_COUNT,
    POS_ROW_QUANTITY,
    POS_ROW_QUANTITY_SIGN,
    POS_ROW_QUOTE,
    POS_ROW_TIMESTAMP,
    POS_ROW_TOO_LONG,
    POS_ROW_UNKNOWN_SKU,
    BasketParser,
    RowProblem,
    tz_table,
)
from pos.errors import DumpError, NativeError
from pos.native import ffi, lib

COLS = {"basket_id": 0, "sku": 1, "quantity": 2, "timestamp": 3, "customer_id": 4}
SKUS = {"A": 0, "B": 1, "C": 2, "PH-X-128": 3, "CASE-X": 4, "BANANA": 5, 'Q"1': 6,
        "A,B": 7, "ABCDEFGH": 8, "ABCDEFGHI": 9, "ABCDEFGHIJKLMNOPQRS": 10, "A\x00": 11,
        "Søt-1": 12}
UTC = timezone.utc
OSLO = ZoneInfo("Europe/Oslo")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(*args) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def make(columns=None, n_columns=5, delimiter=",", timezone="UTC", first_line=2,
         skus=None, **kw) -> BasketParser:
    parser = BasketParser(COLS if columns is None else columns, n_columns, delimiter,
                          first_line, timezone, **kw)
    parser.add_skus((SKUS if skus is None else skus).items())
    return parser


@dataclass
class Result:
    problems: list[RowProblem]
    baskets: list[tuple[str, tuple[int, ...], int, str | None]]
    stats: object


def collect(parser: BasketParser, problems: list[RowProblem]) -> Result:
    arrays = parser.baskets()
    offsets = list(arrays.offsets)
    items = list(arrays.items)
    baskets = []
    for b in range(arrays.n_baskets):
        customer = arrays.customers[b]
        baskets.append((parser.basket_id(b), tuple(items[offsets[b]:offsets[b + 1]]),
                        arrays.times[b], parser.customer_id(customer) if customer >= 0 else None))
    assert offsets[0] == 0 and offsets[-1] == arrays.n_items == len(items)
    return Result(problems, baskets, parser.stats())


def run(data: bytes | str, cuts: list[int] | None = None, **kw) -> Result:
    """Parses `data` fed in pieces ending at `cuts` (one piece when None)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    parser = make(**kw)
    problems: list[RowProblem] = []
    pending = b""
    start = 0
    for cut in [*(cuts or []), len(data)]:
        buffer = pending + data[start:cut]
        final = cut == len(data)
        consumed, found = parser.feed(buffer, final)
        problems += found
        pending = buffer[consumed:]
        start = cut
    assert pending == b""
    return collect(parser, problems)


def one(line: str | bytes, before=(), **kw) -> RowProblem | None:
    """The problem of the last of the lines `before` + `line` (None if accepted)."""
    lines = [x.encode() if isinstance(x, str) else x for x in (*before, line)]
    result = run(b"\n".join(lines) + b"\n", **kw)
    last = len(lines) + 1
    found = [p for p in result.problems if p.line == last]
    assert len(found) <= 1
    return found[0] if found else None


# ---- good rows -------------------------------------------------------------

DOC_EXAMPLE = """\
R-20261121-0001,PH-X-128,1,2026-11-21T10:02:11+01:00,C1001,OSL-1
R-20261121-0001,CASE-X,1,2026-11-21T10:02:11+01:00,C1001,OSL-1
R-20261121-0002,BANANA,"1,25",2026-11-21 10:05,,OSL-1
"""


def test_the_documented_example():
    result = run(DOC_EXAMPLE, n_columns=6, timezone="Europe/Oslo",
                 columns={**COLS, "store_id": 5})
    assert result.problems == []
    assert result.baskets == [
        ("R-20261121-0001", (3, 4), utc(2026, 11, 21, 9, 2, 11), "C1001"),
        ("R-20261121-0002", (5,), utc(2026, 11, 21, 9, 5), None),
    ]
    s = result.stats
    assert (s.lines, s.lines_ok, s.baskets, s.customers, s.items) == (3, 3, 2, 1, 3)
    assert (s.min_time, s.max_time) == (utc(2026, 11, 21, 9, 2, 11), utc(2026, 11, 21, 9, 5))


def test_quoted_fields_with_delimiters_and_doubled_quotes():
    data = ('"R,1",A,1,2026-01-01T00:00:00Z,"C ""x"""\n'
            '"R,1","Q""1","2","2026-01-01T00:00:00Z",\n'
            '"R,1","A,B",1,2026-01-01T00:00:00Z,"C ""x"""\n'
            '"",A,1,2026-01-01,\n'
            '" R2 ",  B  ," 3 ",  2026-01-01T00:00:00Z  ,""\n')
    result = run(data)
    assert [(p.line, p.code) for p in result.problems] == [(5, POS_ROW_EMPTY)]
    assert result.baskets == [("R,1", (0, 6, 7), utc(2026, 1, 1), 'C "x"'),
                              ("R2", (1,), utc(2026, 1, 1), None)]


def test_crlf_empty_lines_and_a_last_line_without_terminator():
    data = ("B1,A,1,2026-01-01T00:00:00Z,\r\n\r\n\nB2,B,1,2026-01-01T00:00:01Z,\r\n"
            "\r\nB1,C,1,2026-01-01T00:00:02Z,\r\nB3,X,1,2026-01-01,\r\nB4,A,1,2026-01-01")
    result = run(data, first_line=10)
    assert [(p.line, p.code, p.raw) for p in result.problems] == [
        (16, POS_ROW_UNKNOWN_SKU, b"B3,X,1,2026-01-01,"),
        (17, POS_ROW_FIELD_COUNT, b"B4,A,1,2026-01-01")]
    assert [b[:2] for b in result.baskets] == [("B1", (0, 2)), ("B2", (1,))]
    assert (result.stats.lines, result.stats.lines_ok) == (5, 3)


def test_semicolons_and_decimal_commas():
    data = ("B1;A;1,5;2026-01-01T00:00:00Z;C1\n"
            "B1;B;1.234,50;2026-01-01T00:00:00Z;C1\n"
            "B2;A;0,25;2026-01-02;\n"
            "B3;A;-0,5;2026-01-02;\n")
    result = run(data, delimiter=";")
    assert [(p.line, p.code, p.reason) for p in result.problems] == [
        (5, POS_ROW_QUANTITY_SIGN, "'-0,5' is not more than 0")]
    assert [b[:2] for b in result.baskets] == [("B1", (0, 1)), ("B2", (0,))]


def test_tabs_and_columns_in_another_order():
    columns = {"timestamp": 0, "quantity": 1, "store_id": 2, "sku": 3, "basket_id": 4}
    data = "2026-01-01T00:00:00Z\t1\tS\tA\tB1\nnot-a-time\t1\tS\tNOPE\tB2\n"
    result = run(data, columns=columns, delimiter="\t")
    # the first problem by column wins: the timestamp (column 0) before the sku
    assert [(p.line, p.column, p.code) for p in result.problems] == [
        (3, "timestamp", POS_ROW_TIMESTAMP)]
    assert result.baskets == [("B1", (0,), utc(2026, 1, 1), None)]


def test_non_ascii_ids_and_similar_skus_are_told_apart():
    data = ("Kvittering-Ø,Søt-1,1,2026-01-01,Kåre\n"
            "B,ABCDEFGH,1,2026-01-01,\n"
            "B,ABCDEFGHI,1,2026-01-01,\n"
            "B,ABCDEFGHIJKLMNOPQRS,1,2026-01-01,\n"
            "B,ABCDEFGHIJKLMNOPQRT,1,2026-01-01,\n"
            "B,ABCDEFG,1,2026-01-01,\n"
            "B,A\x00,1,2026-01-01,\n"
            "B,A,1,2026-01-01,\n")
    result = run(data)
    assert [(p.line, p.value) for p in result.problems] == [
        (6, "ABCDEFGHIJKLMNOPQRT"), (7, "ABCDEFG")]
    assert result.baskets == [("Kvittering-Ø", (12,), utc(2026, 1, 1), "Kåre"),
                              ("B", (0, 8, 9, 10, 11), utc(2026, 1, 1), None)]


# ---- every row problem -------------------------------------------------------

GOOD = "B0,A,1,2026-01-01T00:00:00Z,C1"
LONG = "S" * 256

PROBLEMS = [
    # (line, lines before it, column, code, reason)
    ("B1,A,1", (), None, POS_ROW_FIELD_COUNT, "expected 5 fields, found 3"),
    ("B1,A,1,2026-01-01,C1,x", (), None, POS_ROW_FIELD_COUNT, "expected 5 fields, found 6"),
    ('B1,"A,1,2026-01-01,', (), "sku", POS_ROW_QUOTE, "a quote is not closed on this line"),
    ('B1,"A"x,1,2026-01-01,', (), "sku", POS_ROW_QUOTE,
     'text after the closing quote (a quote inside a quoted field is written twice: "")'),
    (b"B1,A\xe9,1,2026-01-01,", (), "sku", POS_ROW_ENCODING,
     "not valid UTF-8 (byte 0xe9); export the file as UTF-8"),
    (b"B1,A,1,2026-01-01,C\xc0\xaf", (), "customer_id", POS_ROW_ENCODING,
     "not valid UTF-8 (byte 0xc0); export the file as UTF-8"),
    (b"B\xed\xa0\x80,A,1,2026-01-01,", (), "basket_id", POS_ROW_ENCODING,
     "not valid UTF-8 (byte 0xed); export the file as UTF-8"),
    (b"B1,A,1,2026-01-01,C\xe2\x82", (), "customer_id", POS_ROW_ENCODING,
     "not valid UTF-8 (byte 0xe2); export the file as UTF-8"),
    (b"B1,A,1,2026-01-01,\xf4\x90\x80\x80", (), "customer_id", POS_ROW_ENCODING,
     "not valid UTF-8 (byte 0xf4); export the file as UTF-8"),
    (",A,1,2026-01-01,C1", (), "basket_id", POS_ROW_EMPTY, "basket_id is empty"),
    ("B1,  ,1,2026-01-01,C1", (), "sku", POS_ROW_EMPTY, "sku is empty"),
    ('B1,A,"",2026-01-01,C1', (), "quantity", POS_ROW_EMPTY, "quantity is empty"),
    ("B1,A,1,,C1", (), "timestamp", POS_ROW_EMPTY, "timestamp is empty"),
    (f"B1,{LONG},1,2026-01-01,", (), "sku", POS_ROW_TOO_LONG,
     f"'{'S' * 60}...' is 256 bytes long, more than 255"),
    ('B1,"' + '""' * 256 + '",1,2026-01-01,', (), "sku", POS_ROW_TOO_LONG,
     f"'{chr(34) * 60}...' is 256 bytes long, more than 255"),
    ("B1,ABC-9,1,2026-01-01,", (), "sku", POS_ROW_UNKNOWN_SKU, "unknown sku 'ABC-9'"),
    ("B1,a,1,2026-01-01,", (), "sku", POS_ROW_UNKNOWN_SKU, "unknown sku 'a'"),
    ("B1,A,abc,2026-01-01,", (), "quantity", POS_ROW_QUANTITY, "'abc' is not a number"),
    ("B1,A,NaN,2026-01-01,", (), "quantity", POS_ROW_QUANTITY, "'NaN' is not a number"),
    ("B1,A,inf,2026-01-01,", (), "quantity", POS_ROW_QUANTITY, "'inf' is not a number"),
    ("B1,A,1e3,2026-01-01,", (), "quantity", POS_ROW_QUANTITY, "'1e3' is not a number"),
    ('B1,A,"1,2,3",2026-01-01,', (), "quantity", POS_ROW_QUANTITY, "'1,2,3' is not a number"),
    ("B1,A,-2,2026-01-01,", (), "quantity", POS_ROW_QUANTITY_SIGN, "'-2' is not more than 0"),
    ("B1,A,0,2026-01-01,", (), "quantity", POS_ROW_QUANTITY_SIGN, "'0' is not more than 0"),
    ("B1,A,1,2023-13-45 10:00,", (), "timestamp", POS_ROW_TIMESTAMP,
     "'2023-13-45 10:00' is not an ISO 8601 time"),
    ("B1,A,1,2023-02-29,", (), "timestamp", POS_ROW_TIMESTAMP,
     "'2023-02-29' is not an ISO 8601 time"),
    ("B1,A,1,2026-01-01T24:00,", (), "timestamp", POS_ROW_TIMESTAMP,
     "'2026-01-01T24:00' is not an ISO 8601 time"),
    ("B1,A,1,yesterday,", (), "timestamp", POS_ROW_TIMESTAMP,
     "'yesterday' is not an ISO 8601 time"),
    ("B0,B,1,2026-01-01,C2", (GOOD,), "customer_id", POS_ROW_CUSTOMER,
     "customer 'C2' differs from this basket's earlier customer 'C1'"),
    # the first problem in the line wins, left to right
    ("B1,NOPE,abc,bad,", (), "sku", POS_ROW_UNKNOWN_SKU, "unknown sku 'NOPE'"),
    ("B1,A,abc,bad,", (), "quantity", POS_ROW_QUANTITY, "'abc' is not a number"),
    (",NOPE,abc,bad,", (), "basket_id", POS_ROW_EMPTY, "basket_id is empty"),
    ("B0,NOPE,1,2026-01-01,C2", (GOOD,), "sku", POS_ROW_UNKNOWN_SKU, "unknown sku 'NOPE'"),
]


@pytest.mark.parametrize("line, before, column, code, reason", PROBLEMS)
def test_row_problems(line, before, column, code, reason):
    problem = one(line, before)
    raw = line if isinstance(line, bytes) else line.encode()
    assert problem == RowProblem(2 + len(before), column, code, reason, raw, problem.value)


def test_problem_values_and_whole_row_problems():
    assert one("B1,  ABC-9 ,1,2026-01-01,").value == "ABC-9"
    assert one("B1,A,1").value is None and one("B1,A,1").column is None
    assert one(b'B1,"Q""X",1,2026-01-01,').value == 'Q"X'


def test_a_rejected_line_leaves_no_trace():
    data = ("B1,NOPE,1,2026-01-01,C9\n"
            "B2,A,1,2020-01-01,C8\n"
            "B2,A,-1,2019-01-01,C7\n"
            "B3,A,1,bad,C6\n")
    result = run(data)
    assert [p.line for p in result.problems] == [2, 4, 5]
    assert result.baskets == [("B2", (0,), utc(2020, 1, 1), "C8")]
    assert result.stats.customers == 1
    assert (result.stats.min_time, result.stats.max_time) == (utc(2020, 1, 1),) * 2


def test_row_ranges_point_into_the_chunk():
    parser = make()
    chunk = b"B1,A,1,2026-01-01,\r\nB1,\"NO\"\"PE\",1,2026-01-01,\r\n"
    consumed, problems = parser.feed(chunk, True)
    assert consumed == len(chunk)
    [problem] = problems
    assert problem.raw == b'B1,"NO""PE",1,2026-01-01,'
    assert problem.value == 'NO"PE'
    assert problem.reason == "unknown sku 'NO\"PE'"


def test_a_repeated_timestamp_is_parsed_once_but_checked_every_time():
    result = run("B1,A,1,2026-02-30,\nB1,B,1,2026-02-30,\nB1,C,1,2026-02-28,\n"
                 "B1,A,1,2026-02-28,\n")
    assert [(p.line, p.code) for p in result.problems] == [(2, POS_ROW_TIMESTAMP),
                                                          (3, POS_ROW_TIMESTAMP)]
    assert result.baskets == [("B1", (0, 2), utc(2026, 2, 28), None)]


# ---- quantities and times ----------------------------------------------------

@pytest.mark.parametrize("text", ["1", "2.5", "2,5", "1.234,50", "1,234.50", "1,234,567",
                                  ".5", "+3", " 7 ", "1 000", "0,001", "1.234.567,8",
                                  "\u00a01\u00a0", "12345678901234567890"])
def test_quantities_accepted(text):
    assert one(f'B1,A,"{text}",2026-01-01,') is None


@pytest.mark.parametrize("text", ["0", "-1", "-0,5", "0.000", "-1,234.5", "+0", "-0"])
def test_quantities_not_more_than_zero(text):
    assert one(f'B1,A,"{text}",2026-01-01,').code == POS_ROW_QUANTITY_SIGN


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "1e3", "1,2,3", "12,34.5",
                                  "1.234.5", "5.", ",", "--1", "1-", "+", "1,23,456", "1..2",
                                  "0x10", "1.2.3,4", "1\t000", "١"])
def test_quantities_refused(text):
    assert one(f'B1,A,"{text}",2026-01-01,').code == POS_ROW_QUANTITY


@pytest.mark.parametrize("text, expected", [
    ("2026-03-04", utc(2026, 3, 4)),
    ("2026-03-04T10:11", utc(2026, 3, 4, 10, 11)),
    ("2026-03-04 10:11:12", utc(2026, 3, 4, 10, 11, 12)),
    ("2026-03-04T10:11:12.999999", utc(2026, 3, 4, 10, 11, 12)),
    ("2026-03-04T10:11:12,5", utc(2026, 3, 4, 10, 11, 12)),
    ("2026-03-04T10:11:12Z", utc(2026, 3, 4, 10, 11, 12)),
    ("2026-03-04T10:11:12+01:00", utc(2026, 3, 4, 9, 11, 12)),
    ("2026-03-04T10:11:12+0100", utc(2026, 3, 4, 9, 11, 12)),
    ("2026-03-04T10:11:12+01", utc(2026, 3, 4, 9, 11, 12)),
    ("2026-03-04T10:11:12-05:30", utc(2026, 3, 4, 15, 41, 12)),
    ("2026-03-04T00:30-01:00", utc(2026, 3, 4, 1, 30)),
    ("2026-03-04+02:00", utc(2026, 3, 3, 22)),
    ("2026-06-30T23:59:60Z", utc(2026, 6, 30, 23, 59, 59)),
    ("2024-02-29", utc(2024, 2, 29)),
    ("2000-02-29T12:00", utc(2000, 2, 29, 12)),
    ("1969-12-31T23:59:59Z", -1),
    ("  2026-03-04T10:11  ", utc(2026, 3, 4, 10, 11)),
])
def test_times_accepted(text, expected):
    result = run(f'B1,A,1,"{text}",\n')
    assert result.problems == []
    assert result.baskets[0][2] == expected


@pytest.mark.parametrize("text", [
    "2023-02-29", "1900-02-29", "2026-04-31", "2026-00-10", "2026-13-01", "0000-01-01",
    "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T", "2026-01-01T10", "2026-01-01T1:00",
    "2026-01-01T24:00", "2026-01-01T10:60", "2026-01-01T10:00:61", "2026-01-01T10:00:6",
    "2026-01-01T10:00:00.", "2026-01-01T10:00:00+25:00", "2026-01-01T10:00:00+01:60",
    "2026-01-01T10:00:00+1", "2026-01-01T10:00:00+01:0", "2026-01-01T10:00:00ZZ",
    "2026-01-01t10:00", "2026-01-01T10:00z", "2026-01-01 +01:00", "20260101", "now",
    "2026-01-01T10:00:00 Z",
])
def test_times_refused(text):
    problem = one(f'B1,A,1,"{text}",')
    assert (problem.code, problem.column) == (POS_ROW_TIMESTAMP, "timestamp")


@pytest.mark.parametrize("text, expected", [
    ("2026-03-29 01:30", utc(2026, 3, 29, 0, 30)),     # CET
    ("2026-03-29 02:30", utc(2026, 3, 29, 1, 30)),     # in the spring gap: the offset before
    ("2026-03-29 03:30", utc(2026, 3, 29, 1, 30)),     # CEST
    ("2026-10-25 01:59:59", utc(2026, 10, 24, 23, 59, 59)),
    ("2026-10-25 02:30", utc(2026, 10, 25, 0, 30)),    # in the autumn overlap: the first
    ("2026-10-25 03:30", utc(2026, 10, 25, 2, 30)),    # CET again
    ("2026-07-01 12:00", utc(2026, 7, 1, 10)),
    ("2026-03-04", utc(2026, 3, 3, 23)),               # a date alone is local midnight
    ("2026-07-01T12:00Z", utc(2026, 7, 1, 12)),        # an offset wins over the zone
    ("2026-07-01T12:00+05:00", utc(2026, 7, 1, 7)),
    ("1985-07-01 12:00", utc(1985, 7, 1, 10)),
    ("2095-01-15 12:00", utc(2095, 1, 15, 11)),
])
def test_naive_times_in_oslo_across_dst(text, expected):
    result = run(f"B1,A,1,{text},\n", timezone="Europe/Oslo")
    assert result.baskets[0][2] == expected
    if "Z" not in text and "+" not in text:   # the same as Python's zoneinfo (fold=0)
        assert expected == int(datetime.fromisoformat(text).replace(tzinfo=OSLO).timestamp())


def test_tz_table():
    assert tz_table("UTC") == ((), ())
    starts, offsets = tz_table("Europe/Oslo", 2026, 2026)
    assert offsets == (3600, 7200, 3600)
    # from local 03:00 on 29 March (+2) and local 03:00 on 25 October (+1)
    assert starts[1:] == (utc(2026, 3, 29, 3), utc(2026, 10, 25, 3))
    assert list(starts) == sorted(starts)
    assert tz_table("Asia/Tokyo")[1] == (32400,)
    for name in ("Mars/Olympus_Mons", "Europe", ""):
        with pytest.raises(DumpError):
            tz_table(name)


def test_time_range_bounds_the_zone_table():
    parser = make(timezone="Europe/Oslo", time_range=(2026, 2026))
    parser.feed(b"B1,A,1,2026-07-01 12:00,\nB2,A,1,2030-07-01 12:00,\n", True)
    times = list(parser.baskets().times)
    # inside the range the summer offset; outside it the offset at the range's end
    assert times == [utc(2026, 7, 1, 10), utc(2030, 7, 1, 11)]


# ---- baskets -------------------------------------------------------------------

def test_repeated_skus_in_a_basket_are_merged():
    result = run("B1,C,1,2026-01-01,\nB1,A,2,2026-01-01,\nB1,C,1,2026-01-01,\n"
                 "B1,A,1,2026-01-01,\nB2,A,1,2026-01-01,\n")
    assert [b[:2] for b in result.baskets] == [("B1", (0, 2)), ("B2", (0,))]
    assert (result.stats.lines_ok, result.stats.items) == (5, 3)


def test_lines_of_a_basket_need_not_be_adjacent():
    result = run("B1,A,1,2026-01-02T00:00:00Z,\n"
                 "B2,B,1,2026-01-03T00:00:00Z,\n"
                 "B1,C,1,2026-01-01T00:00:00Z,\n"
                 "B2,C,1,2026-01-04T00:00:00Z,\n"
                 "B1,B,1,2026-01-05T00:00:00Z,\n")
    assert result.baskets == [("B1", (0, 1, 2), utc(2026, 1, 1), None),
                              ("B2", (1, 2), utc(2026, 1, 3), None)]


def test_one_customer_per_basket():
    result = run("B1,A,1,2026-01-01,\n"      # no customer yet
                 "B1,B,1,2026-01-01,C1\n"    # sets it
                 "B1,C,1,2026-01-01,\n"      # an empty customer is fine later
                 "B2,A,1,2026-01-01,C2\n"
                 "B1,A,1,2026-01-01,C2\n"    # conflict: C2 is known, but not B1's
                 "B1,A,1,2026-01-01,C3\n"    # conflict: C3 is unknown
                 "B1,B,1,2026-01-01,C1\n"
                 "B3,B,1,2026-01-01,C1\n")
    assert [(p.line, p.code, p.reason) for p in result.problems] == [
        (6, POS_ROW_CUSTOMER, "customer 'C2' differs from this basket's earlier customer 'C1'"),
        (7, POS_ROW_CUSTOMER, "customer 'C3' differs from this basket's earlier customer 'C1'")]
    assert [(b[0], b[3]) for b in result.baskets] == [("B1", "C1"), ("B2", "C2"), ("B3", "C1")]
    assert result.stats.customers == 2


def test_many_baskets_grow_the_tables():
    rng = random.Random(7)
    lines, expected = [], {}
    for _n in range(6000):
        b = f"B{rng.randrange(2500):05d}"
        sku = rng.choice(list(SKUS)[:6])
        t = utc(2026, 1, 1) + rng.randrange(10 ** 6)
        lines.append(f"{b},{sku},1,{datetime.fromtimestamp(t, UTC):%Y-%m-%dT%H:%M:%SZ},\n")
        items, time = expected.get(b, (set(), t))
        expected[b] = (items | {SKUS[sku]}, min(time, t))
    result = run("".join(lines))
    assert result.baskets == [(b, tuple(sorted(i)), t, None) for b, (i, t) in expected.items()]


def test_ids_and_customers():
    parser = make()
    parser.feed(b"B1,A,1,2026-01-01,C1\nB2,A,1,2026-01-01,C2\nB3,A,1,2026-01-01,C1\n", True)
    assert parser.basket_ids() == ["B1", "B2", "B3"]
    assert parser.customer_ids() == ["C1", "C2"]
    assert list(parser.baskets().customers) == [0, 1, 0]
    with pytest.raises(NativeError) as info:
        parser.basket_id(3)
    assert info.value.status == lib.POS_ERANGE
    with pytest.raises(NativeError):
        parser.customer_id(-1)


def test_no_lines():
    result = run(b"\n\r\n")
    assert result.baskets == [] and result.problems == []
    s = result.stats
    assert (s.lines, s.lines_ok, s.baskets, s.items, s.min_time, s.max_time) == (0, 0, 0, 0, 0, 0)


def test_feeding_after_the_baskets_were_taken_adds_to_them():
    parser = make()
    parser.feed(b"B1,A,1,2026-01-02,\n", True)
    assert parser.stats().items == 1
    parser.feed(b"B1,B,1,2026-01-01,\nB2,A,1,2026-01-01,\n", True)
    result = collect(parser, [])
    assert result.baskets == [("B1", (0, 1), utc(2026, 1, 1), None),
                              ("B2", (0,), utc(2026, 1, 1), None)]


# ---- chunks --------------------------------------------------------------------

SMALL = ('B1,A,1,2026-01-01T10:00:00Z,C1\r\n\n"B,2","Q""1","1,5",2026-01-01 11:00,\n'
         'B1,NOPE,1,2026-01-01,\r\nB3,Søt-1,2,2026-03-29 02:30,Kåre\n'
         'B1,B,1,2026-01-01T09:00:00+01:00,C2\nB4,"A\n'
         'B1,C,1,2026-01-01T08:00:00Z,C1\nB5,A,1,2026-01-01').encode() + b"\xe9\n" + \
    b"B6,B,1,2026-01-01,\n\nB6,A,1,2026-01-01"


def test_every_chunk_boundary_gives_the_same_result():
    whole = run(SMALL, timezone="Europe/Oslo")
    assert len(whole.problems) == 5 and len(whole.baskets) == 4
    for cut in range(len(SMALL) + 1):
        assert run(SMALL, [cut], timezone="Europe/Oslo") == whole, cut


def test_a_line_longer_than_the_chunk_waits_for_more():
    parser = make()
    consumed, problems = parser.feed(b"B1,A,1,2026", False)
    assert (consumed, problems) == (0, [])
    consumed, problems = parser.feed(b"B1,A,1,2026-01-01,\nB2", False)
    assert consumed == len(b"B1,A,1,2026-01-01,\n")
    assert parser.stats().lines == 1


def test_feed_stream():
    data = SMALL * 3
    whole = run(data, timezone="Europe/Oslo")
    parser = make(timezone="Europe/Oslo")
    problems = list(parser.feed_stream(io.BytesIO(data[5:]), chunk_size=7, pending=data[:5]))
    assert collect(parser, problems) == whole


# ---- arguments -------------------------------------------------------------------

def test_bad_arguments():
    parser = make()
    with pytest.raises(NativeError) as info:
        parser.add_skus([("A", 99)])
    assert info.value.status == lib.POS_EINVAL
    for bad in [("", 1), ("X" * 256, 1), ("Y", -1)]:
        with pytest.raises(NativeError):
            parser.add_skus([bad])
    with pytest.raises(ValueError):
        make(delimiter="|")
    with pytest.raises(ValueError):
        make(columns={"basket_id": 0, "sku": 1, "quantity": 2})
    with pytest.raises(ValueError):
        make(columns={**COLS, "customer_id": 5})


def test_bad_arguments_in_c():
    out = ffi.new("pos_parser **")
    starts = ffi.new("int64_t[]", [0, 10, 5])
    offsets = ffi.new("int32_t[]", [0, 0, 0])

    def new(**fields) -> int:
        fmt = ffi.new("pos_basket_format *", {
            "delimiter": ord(","), "n_columns": 5, "col_basket": 0, "col_sku": 1,
            "col_quantity": 2, "col_timestamp": 3, "col_customer": 4, "first_line": 2,
            **fields})
        status = lib.pos_parser_new(fmt, out)
        if status == lib.POS_OK:
            lib.pos_parser_free(out[0])
        return status

    assert new() == lib.POS_OK
    assert lib.pos_parser_new(ffi.NULL, out) == lib.POS_EINVAL
    for fields in [{"delimiter": ord("|")}, {"n_columns": 0}, {"col_sku": 5},
                   {"col_sku": 0}, {"col_timestamp": -1}, {"col_customer": -2},
                   {"n_tz": 3, "tz_local_start": starts, "tz_offset": offsets},
                   {"n_tz": 1}, {"n_tz": -1}]:
        assert new(**fields) == lib.POS_EINVAL, fields
    assert new(col_customer=-1) == lib.POS_OK
    assert new(n_tz=2, tz_local_start=starts, tz_offset=offsets) == lib.POS_OK

    parser = make()
    p = parser._p
    n = ffi.new("size_t *")
    assert lib.pos_parser_feed(p, ffi.NULL, 5, 1, n) == lib.POS_EINVAL
    assert lib.pos_parser_feed(p, ffi.NULL, 0, 1, n) == lib.POS_OK and n[0] == 0
    assert lib.pos_parser_errors(p, ffi.NULL, 1, n) == lib.POS_EINVAL
    assert lib.pos_parser_stats_get(ffi.NULL, ffi.new("pos_parser_stats *")) == lib.POS_EINVAL
    assert lib.pos_parser_baskets(p, ffi.NULL, ffi.NULL, ffi.NULL, ffi.NULL) == lib.POS_OK
    assert lib.pos_parser_add_sku(p, ffi.NULL, 1, 0) == lib.POS_EINVAL
    lib.pos_parser_free(ffi.NULL)


def test_close_frees_early():
    parser = make()
    parser.close()
    parser.close()
    assert parser._p is None


# ---- properties --------------------------------------------------------------------

BASKET_IDS = ["B1", "B2", "R-20261121-0001", "a,b", 'q"b', "Ø-7", " sp ", "x;y", "t\tb"]
CUSTOMERS = ["C1", "C2", "Kåre", 'c"q', "c,1"]
QUANTITIES = ["1", "2,5", "1.234,50", "0.5", "+3", " 7 ", "1,234,567", ".25"]
ZONES = ["UTC", "Europe/Oslo", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@st.composite
def timestamps(draw) -> str:
    when = draw(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)))
    form = draw(st.sampled_from(["date", "minutes", "seconds", "fraction"]))
    sep = draw(st.sampled_from("T "))
    text = {"date": f"{when:%Y-%m-%d}", "minutes": f"{when:%Y-%m-%d}{sep}{when:%H:%M}",
            "seconds": f"{when:%Y-%m-%d}{sep}{when:%H:%M:%S}",
            "fraction": f"{when:%Y-%m-%d}{sep}{when:%H:%M:%S}.{when.microsecond:06d}"}[form]
    if form != "date":
        text += draw(st.sampled_from(["", "", "Z", "+01:00", "-0530", "+09", "-11:45"]))
    return text


def python_time(text: str, zone: ZoneInfo) -> int:
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return (moment - EPOCH) // timedelta(seconds=1)


def write_field(value: str, delimiter: str, rng: random.Random) -> str:
    needs = any(c in value for c in (delimiter, '"')) or value != value.strip()
    if needs or rng.random() < 0.3:
        return '"' + value.replace('"', '""') + '"'
    return value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(BASKET_IDS), st.sampled_from(sorted(SKUS)),
                               st.sampled_from(QUANTITIES), timestamps(), st.booleans()),
                     min_size=1, max_size=30),
       delimiter=st.sampled_from([",", ";", "\t"]), zone=st.sampled_from(ZONES),
       crlf=st.booleans(), seed=st.integers(0, 2 ** 32 - 1))
def test_valid_rows_read_like_the_csv_module(rows, delimiter, zone, crlf, seed):
    rng = random.Random(seed)
    # one customer per basket (or none on some of its lines)
    owner = {b: rng.choice(CUSTOMERS + [""]) for b in BASKET_IDS}
    text_lines = []
    for basket, sku, quantity, when, with_customer in rows:
        customer = owner[basket] if with_customer else ""
        fields = [basket, sku, quantity, when, customer, "extra"]
        text_lines.append(delimiter.join(write_field(f, delimiter, rng) for f in fields))
        if rng.random() < 0.1:
            text_lines.append("")
    data = (("\r\n" if crlf else "\n").join(text_lines) + rng.choice(["", "\n"])).encode()
    cuts = sorted(rng.sample(range(len(data) + 1), k=min(len(data) + 1, rng.randrange(4))))

    result = run(data, cuts, n_columns=6, delimiter=delimiter, timezone=zone,
                 columns={**COLS, "store_id": 5})

    tz = ZoneInfo(zone)
    expected: dict[str, list] = {}
    lines = data.decode().split("\n")
    for line in lines:
        line = line.removesuffix("\r")
        if not line:
            continue
        [fields] = list(csv.reader([line], delimiter=delimiter))
        basket, sku, _quantity, when, customer, _ = (f.strip() for f in fields)
        entry = expected.setdefault(basket, [set(), python_time(when, tz), None])
        entry[0].add(SKUS[sku])
        entry[1] = min(entry[1], python_time(when, tz))
        entry[2] = entry[2] or customer or None
    assert result.problems == []
    assert result.baskets == [(b, tuple(sorted(i)), t, c) for b, (i, t, c) in expected.items()]
    assert result.stats.lines_ok == len(rows)


PIECES = [b",", b";", b'"', b'""', b"\n", b"\r\n", b"\r", b" ", b"A", b"B1", b"1", b"-1",
          b"2026-01-01", b"T10:00", b"+01:00", b"\xe9", b"\xc3\xa9", b"\xed\xa0\x80", b"C1",
          b"Q", b"\x00", b"\t"]


@settings(max_examples=200, deadline=None)
@given(data=st.one_of(st.binary(max_size=300),
                      st.lists(st.sampled_from(PIECES), max_size=80).map(b"".join)),
       cuts=st.lists(st.integers(0, 300), max_size=4))
def test_arbitrary_bytes_give_only_problems(data, cuts):
    cuts = sorted({c for c in cuts if c <= len(data)})
    result = run(data, cuts)
    assert run(data) == result
    lines = [line.removesuffix(b"\r") for line in data.split(b"\n")]
    numbered = {n: line for n, line in enumerate(lines, start=2) if line}
    assert result.stats.lines == len(numbered)
    assert result.stats.lines_ok + len(result.problems) == result.stats.lines
    assert [p.line for p in result.problems] == sorted({p.line for p in result.problems})
    for problem in result.problems:
        assert problem.raw == numbered[problem.line]
        assert problem.reason


try:
    from pos.dump.fields import FieldError, parse_decimal, parse_time
except ImportError:  # pragma: no cover - the other files' field rules are not there
    parse_decimal = parse_time = None


def verdicts(make_line, values: list[str]) -> tuple[list[int], Result]:
    """The parser's problem code per value (0: accepted), line i made by make_line(i, value)."""
    result = run("".join(make_line(i, v) + "\n" for i, v in enumerate(values)))
    codes = {p.line: p.code for p in result.problems}
    return [codes.get(i + 2, 0) for i in range(len(values))], result


def csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@pytest.mark.skipif(parse_decimal is None, reason="pos.dump.fields is not there")
@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.text(alphabet="0123456789.,+- \u00a0", max_size=12), min_size=1,
                       max_size=40))
def test_quantities_follow_the_dump_number_rule(values):
    codes, _ = verdicts(lambda i, v: f"B{i},A,{csv_field(v)},2026-01-01,", values)
    for value, code in zip(values, codes):
        try:
            number = parse_decimal(value)
        except FieldError:
            expected = POS_ROW_EMPTY if not value.strip() else POS_ROW_QUANTITY
        else:
            expected = 0 if number > 0 else POS_ROW_QUANTITY_SIGN
        assert code == expected, value


@pytest.mark.skipif(parse_time is None, reason="pos.dump.fields is not there")
@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.one_of(
    timestamps(),
    st.text(alphabet="0123456789-:T Z+.,", min_size=8, max_size=26),
    st.tuples(timestamps(), st.integers(0, 25)).map(lambda t: t[0][:-t[1] or None]),
), min_size=1, max_size=40))
def test_times_follow_the_dump_time_rule(values):
    # fields.parse_time clamps seconds 61-99 to 59; the parser refuses them
    values = [v for v in values if not re.search(r":(6[1-9]|[7-9]\d)(\D|$)", v)]
    codes, result = verdicts(lambda i, v: f"B{i},A,1,{csv_field(v)},", values)
    times = {b[0]: b[2] for b in result.baskets}
    for i, (value, code) in enumerate(zip(values, codes)):
        try:
            expected = parse_time(value, timezone.utc)
        except FieldError:
            assert code in (POS_ROW_TIMESTAMP, POS_ROW_EMPTY), value
        else:
            assert code == 0, value
            assert times[f"B{i}"] == expected, value
