"""Plausible dumps (pos.dump.plausible): baskets after the export or before the
earliest time, line quantities and weights above their ceilings, prices above
the ceiling and a price of 0 for an active product are rejected rows with
`file:line: column: reason`, counted toward the refusal threshold; the C
parser's ceiling agrees with the dump's number rule."""
from __future__ import annotations

import csv
import json
import math
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import (
    BASKETS_HEADER,
    CATALOG_HEADER,
    basket_rows,
    catalog_rows,
    good_files,
    snapshot,
    write_dump,
)
from pos.cli import main
from pos.dump.basket_parser import (
    POS_ROW_QUANTITY_MAX,
    POS_ROW_TOO_EARLY,
    POS_ROW_TOO_LATE,
    POS_ROW_UNKNOWN_SKU,
    BasketParser,
    LineLimits,
)
from pos.dump.fields import FieldError, parse_decimal
from pos.errors import EXIT_REFUSED, NativeError
from pos.native import ffi, lib

# the conftest manifest's export is 2026-10-31T23:00:00Z; its zone is Europe/Oslo (+01:00)
WEIGHED = "BANANA,Bananas,24.90,,Groceries > Fruit,,,,1,0,,Bananer,בננות\n"


def dump_with(tmp_path, baskets: list[str] = (), catalog: list[str] = (), manifest: str | None = None):
    files: dict[str, str | bytes] = good_files()
    rows = basket_rows()
    files["baskets.csv"] = BASKETS_HEADER + "".join(rows[:3]) + "".join(baskets) + "".join(rows[3:])
    files["catalog.csv"] = (CATALOG_HEADER.replace("\n", ",unit\n")
                            + "".join(r.replace("\n", ",\n") for r in catalog_rows())
                            + WEIGHED.replace("\n", ",kg\n")
                            + "".join(r.replace("\n", ",\n") for r in catalog))
    if manifest is not None:
        files["manifest.json"] = manifest
    return write_dump(tmp_path / "dump", files)


def load(dump, db, *options: str) -> int:
    return main(["load", str(dump), "--db", str(db), "--quiet", "--max-bad-rows", "100%", *options])


def rejects(db) -> list[dict[str, str]]:
    path = db.with_name(db.name + ".rejects.csv")
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def problems(db) -> list[str]:
    return [f"{r['file']}:{r['line']}: {r['column']}: {r['reason']}" for r in rejects(db)]


def test_baskets_after_the_export_time_are_rejected_and_the_clock_slack_allowed(tmp_path):
    db = tmp_path / "store.db"
    dump = dump_with(tmp_path, [
        "LATE1,PASTA,1,2999-01-01T10:00:00,\n",              # line 5
        "SLACK,PASTA,1,2026-10-31T23:59:00Z,\n",             # 59 min after the export: a till clock ahead
        "LATE2,PARM,1,2026-11-01T00:00:01Z,\n",              # 1 h 1 s after it
    ])
    assert load(dump, db) == 0
    assert problems(db) == [
        "baskets.csv:5: timestamp: '2999-01-01T10:00:00' is after 2026-11-01T01:00:00+01:00, "
        "the dump's export time (manifest.json) plus 60 min for the tills' clocks",
        "baskets.csv:7: timestamp: '2026-11-01T00:00:01Z' is after 2026-11-01T01:00:00+01:00, "
        "the dump's export time (manifest.json) plus 60 min for the tills' clocks",
    ]
    # the history ends at the accepted late basket, not in 2999
    assert _meta(db, "history_to") == 1793491140          # 2026-10-31T23:59:00Z


def _meta(db, key: str):
    conn = sqlite3.connect(db)
    try:
        return json.loads(conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])
    finally:
        conn.close()


def test_clock_slack_zero_rejects_any_basket_after_the_export(tmp_path):
    db = tmp_path / "store.db"
    dump = dump_with(tmp_path, ["SLACK,PASTA,1,2026-10-31T23:00:01Z,\n"])
    assert load(dump, db, "--clock-slack", "0") == 0
    assert problems(db) == ["baskets.csv:5: timestamp: '2026-10-31T23:00:01Z' is after "
                            "2026-11-01T00:00:00+01:00, the dump's export time (manifest.json)"]


def test_baskets_before_the_earliest_time_are_rejected(tmp_path):
    db = tmp_path / "store.db"
    dump = dump_with(tmp_path, ["OLD1,PASTA,1,1970-01-01T00:00:00Z,\n",
                                "OLD2,PASTA,1,2019-12-31T23:59:59,\n"])
    assert load(dump, db) == 0
    assert problems(db) == ["baskets.csv:5: timestamp: '1970-01-01T00:00:00Z' is before "
                            "2000-01-01T00:00:00+01:00, the earliest time allowed (--earliest 2000-01-01)"]
    db2 = tmp_path / "store2.db"
    assert load(dump, db2, "--earliest", "2020-01-01") == 0
    assert [r["line"] for r in rejects(db2)] == ["5", "6"]
    assert "(--earliest 2020-01-01)" in rejects(db2)[1]["reason"]


def test_without_an_export_time_the_load_clock_bounds_the_baskets(tmp_path):
    from pos.dump.plausible import Plausibility
    from pos.load import LoadOptions, load_dump

    manifest = '{"store_name": "T", "currency": "NOK", "timezone": "UTC"}'
    dump = dump_with(tmp_path, ["FUTURE,PASTA,1,2026-11-05T12:00:00Z,\n"], manifest=manifest)
    now = 1793491200                                   # 2026-11-01T00:00:00Z
    report = load_dump(dump, tmp_path / "store.db", LoadOptions(
        max_bad_rows=1.0, plausible=Plausibility(now=now, clock_slack_s=0)))
    assert [str(p) for p in report.problems] == [
        "baskets.csv:5: timestamp: '2026-11-05T12:00:00Z' is after 2026-11-01T00:00:00+00:00, "
        "the time of this load (manifest.json gives no export_time)"]


def test_quantities_and_weights_above_their_ceilings_are_rejected(tmp_path):
    db = tmp_path / "store.db"
    dump = dump_with(tmp_path, [
        "Q1,PASTA,100000000000000000000,2026-10-02T10:00:00,\n",   # 10^20 units
        "Q2,PASTA,\"100.000,5\",2026-10-02T10:00:00,\n",           # 100,000.5 units: just over
        "Q3,PASTA,100000,2026-10-02T10:00:00,\n",                  # exactly the ceiling: fine
        "Q4,BANANA,\"10 000,001\",2026-10-02T10:00:00,\n",         # kg, over 10,000
        "Q5,BANANA,9999.5,2026-10-02T10:00:00,\n",                 # kg, fine
    ])
    assert load(dump, db) == 0
    assert problems(db) == [
        "baskets.csv:5: quantity: '100000000000000000000' is more than 100,000, "
        "the most units a line may have",
        "baskets.csv:6: quantity: '100.000,5' is more than 100,000, the most units a line may have",
        "baskets.csv:8: quantity: '10 000,001' kg is more than 10,000 kg, the most a line of a "
        "weighed item may have",
    ]
    db2 = tmp_path / "store2.db"
    assert load(dump, db2, "--max-quantity", "1e21", "--max-weight", "20000") == 0
    assert problems(db2) == []


def test_a_price_of_0_for_an_active_product_and_prices_above_the_ceiling_are_rejected(tmp_path):
    db = tmp_path / "store.db"
    dump = dump_with(tmp_path, catalog=[
        "FREE,Free bag,0.00,,Misc,,,,1,0,,,\n",                         # line 15: active, price 0
        "GONE,Old bag,0,,Misc,,,,0,0,,,\n",                             # inactive: a price of 0 is fine
        "HUGE,Huge,100000000.01,,Misc,,,,1,0,,,\n",                     # above 100,000,000.00
        "BIG,Big,100000000.00,,Misc,,,,1,0,,,\n",                       # the ceiling itself: fine
    ])
    assert load(dump, db) == 0
    assert problems(db) == [
        "catalog.csv:15: price: 0 for an active product (a free item cannot be sold or "
        "suggested: give its price, or make it inactive)",
        "catalog.csv:17: price: '100000000.01' is more than 100,000,000.00 NOK, the highest "
        "price allowed (--max-price)",
    ]
    db2 = tmp_path / "store2.db"
    assert load(dump, db2, "--max-price", "50000000") == 0
    assert [r["line"] for r in rejects(db2)] == ["15", "17", "18"]
    assert "more than 50,000,000.00 NOK" in rejects(db2)[2]["reason"]


def test_implausible_rows_count_toward_the_threshold_and_leave_the_store(tmp_path, published, capsys):
    before = snapshot(published)
    dump = dump_with(tmp_path, [f"F{i},PASTA,1,2999-0{1 + i % 9}-01T00:00:00Z,\n" for i in range(5)])
    code = main(["load", str(dump), "--db", str(published), "--quiet"])
    assert code == EXIT_REFUSED
    err = capsys.readouterr().err
    assert "baskets.csv: 5 of 157 rows are bad" in err
    assert "baskets.csv:5: timestamp: '2999-01-01T00:00:00Z' is after" in err
    assert snapshot(published) == before


@pytest.mark.parametrize("option, value, reason", [
    ("--max-quantity", "0", "'0' is not a number above 0"),
    ("--max-weight", "-1", "'-1' is not a number above 0"),
    ("--max-price", "abc", "'abc' is not an amount like 1000000.00"),
    ("--clock-slack", "-5", "'-5' is below 0"),
    ("--earliest", "last year", "'last year' is not an ISO 8601 time"),
])
def test_bad_bounds_are_usage_errors(tmp_path, option, value, reason, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["load", str(tmp_path), "--db", str(tmp_path / "s.db"), option, value])
    assert exc.value.code == 2
    assert f"{option}: {reason}" in capsys.readouterr().err


# ---- the C parser directly ----------------------------------------------------

COLS = {"basket_id": 0, "sku": 1, "quantity": 2, "timestamp": 3}


def parse(text: str, limits: LineLimits):
    parser = BasketParser(COLS, 4, ",", 1, "UTC")
    parser.add_skus([("A", 0), ("K", 1)])
    parser.set_limits(limits)
    _, found = parser.feed(text.encode(), final=True)
    return found


LIMITS = LineLimits(earliest=0, latest=10**10, max_quantity=1000, max_weight=10, weighed=(1,))


def test_a_ceiling_is_checked_once_the_item_is_known_and_before_later_columns():
    found = parse("b,A,5000,not-a-time\nb,K,11,2026-01-01\nb,X,5000,2026-01-01\n"
                  "b,A,999,2026-01-01\nb,K,10,2026-01-01\n", LIMITS)
    assert [(p.line, p.code, p.column) for p in found] == [
        (1, POS_ROW_QUANTITY_MAX, "quantity"), (2, POS_ROW_QUANTITY_MAX, "quantity"),
        (3, POS_ROW_UNKNOWN_SKU, "sku")]


def test_time_problems_carry_the_time_and_the_bounds_are_inclusive():
    limits = LineLimits(earliest=100, latest=200, max_quantity=1, max_weight=1)
    found = parse("a,A,1,1970-01-01T00:01:40Z\nb,A,1,1970-01-01T00:03:20Z\n"
                  "c,A,1,1970-01-01T00:01:39Z\nd,A,1,1970-01-01T00:03:21Z\n", limits)
    assert [(p.line, p.code) for p in found] == [(3, POS_ROW_TOO_EARLY), (4, POS_ROW_TOO_LATE)]


@pytest.mark.parametrize("limits", [
    dict(time_min=5, time_max=4, quantity_max=1.0, weight_max=1.0),
    dict(time_min=0, time_max=0, quantity_max=0.0, weight_max=1.0),
    dict(time_min=0, time_max=0, quantity_max=1.0, weight_max=math.nan),
    dict(time_min=0, time_max=0, quantity_max=1.0, weight_max=1.0, n_weighed=-1),
    dict(time_min=0, time_max=0, quantity_max=1.0, weight_max=1.0, n_weighed=2),   # NULL list
])
def test_bad_limits_are_refused(limits):
    parser = BasketParser(COLS, 4, ",", 1, "UTC")
    out = ffi.new("pos_basket_limits *", limits)
    assert lib.pos_parser_set_limits(parser._p, out) == lib.POS_EINVAL
    with pytest.raises(NativeError):
        parser.set_limits(LineLimits(earliest=1, latest=0, max_quantity=1, max_weight=1))


NUMBERS = st.one_of(
    st.decimals(min_value=0, max_value=10**25, places=3, allow_nan=False).map(lambda d: f"{d:f}"),
    st.integers(0, 10**22).map(lambda n: f"{n:,}"),                              # 1,234,567
    st.integers(0, 10**12).map(lambda n: f"{n:,}".replace(",", ".") + ",5"),     # 1.234,5
    st.integers(0, 10**6).map(str),
)


@given(text=NUMBERS, ceiling=st.sampled_from([1.0, 999.5, 1000.0, 100_000.0, 1e20]),
       weighed=st.booleans())
def test_the_c_ceiling_agrees_with_the_dump_number_rule(text, ceiling, weighed):
    """Python's parse_decimal is the reference: a line is over the ceiling exactly
    when the number it reads is (away from the last bits of a double)."""
    try:
        value = parse_decimal(text)
    except FieldError:
        return
    if value <= 0 or abs(float(value) - ceiling) <= ceiling * 1e-12:
        return
    limits = LineLimits(earliest=0, latest=10**10, max_quantity=ceiling if not weighed else 1e30,
                        max_weight=ceiling if weighed else 1e30, weighed=(1,))
    found = parse(f'b,{"K" if weighed else "A"},"{text}",2026-01-01\n', limits)
    assert [p.code for p in found] == ([POS_ROW_QUANTITY_MAX] if float(value) > ceiling else [])
