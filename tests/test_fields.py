"""Field parsers of the dump: numbers with either decimal mark, money, booleans, times."""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from pos.dump.fields import FieldError, language_column, parse_bool, parse_decimal, parse_money, parse_time

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("text, value", [
    ("12.50", "12.50"), ("12,50", "12.50"), ("1.234,50", "1234.50"), ("1,234.50", "1234.50"),
    ("1,234,567", "1234567"), ("7", "7"), (" 3 ", "3"), ("-2.5", "-2.5"), ("0,5", "0.5"),
])
def test_decimal_point_or_comma(text, value):
    assert str(parse_decimal(text)) == value


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-Infinity", "1e5", "12.5.3,1", "abc", "+", ""])
def test_not_numbers(text):
    with pytest.raises(FieldError):
        parse_decimal(text)


def test_money_in_minor_units():
    assert parse_money("24,90", 2, "NOK") == 2490
    assert parse_money("6990", 2, "NOK") == 699000
    assert parse_money("1500", 0, "JPY") == 1500
    with pytest.raises(FieldError, match="more than 2 decimals for EUR"):
        parse_money("1.999", 2, "EUR")
    with pytest.raises(FieldError, match="negative"):
        parse_money("-1.00", 2, "EUR")


@pytest.mark.parametrize("text, value", [("1", True), ("yes", True), ("TRUE", True), ("0", False),
                                         ("n", False), ("", None)])
def test_booleans(text, value):
    assert parse_bool(text, None) is value if value is None else parse_bool(text, None) == value


def test_boolean_garbage():
    with pytest.raises(FieldError, match="not a yes/no value"):
        parse_bool("maybe", True)


def utc(*args):
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


@pytest.mark.parametrize("text, expected", [
    ("2026-11-21T10:02:11+01:00", utc(2026, 11, 21, 9, 2, 11)),
    ("2026-11-21T09:02:11Z", utc(2026, 11, 21, 9, 2, 11)),
    ("2026-11-21 10:02:11", utc(2026, 11, 21, 9, 2, 11)),      # naive = Oslo local (CET)
    ("2026-07-01 10:00", utc(2026, 7, 1, 8, 0)),               # summer time (CEST)
    ("2026-11-21", utc(2026, 11, 20, 23, 0)),                  # date alone = local midnight
    ("2026-11-21T10:02:11.250+0100", utc(2026, 11, 21, 9, 2, 11)),
])
def test_times_to_utc(text, expected):
    assert parse_time(text, OSLO) == expected


@pytest.mark.parametrize("text", ["2026-13-01", "2026-02-30 10:00", "21/11/2026", "2026-11-21T25:00",
                                  "2026-11-21T10:00:61", "yesterday", "2026-11-21T10:00+25:00"])
def test_bad_times(text):
    with pytest.raises(FieldError, match="ISO 8601|offset"):
        parse_time(text, OSLO)


def test_language_columns():
    assert language_column("name_nb") == ("name", "nb")
    assert language_column("pitch_he") == ("pitch", "he")
    assert language_column("pitch_pt_br") == ("pitch", "pt_BR")
    assert language_column("names") is None
