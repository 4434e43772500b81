"""Parsing one field of a dump row: numbers, money, booleans, times, language columns.

Every parser raises FieldError with a reason a store manager understands; the
caller adds the file, line and column.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timezone, tzinfo
from decimal import Decimal, InvalidOperation


class FieldError(ValueError):
    """A field's value is not acceptable; str() is the reason."""


INT64_MAX = (1 << 63) - 1     # the largest integer a store's column holds
NUMBER_MAX_DIGITS = 18        # a number's integer part, at most (stock, boost: 10^18 - 1)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def _too_large(text: str) -> FieldError:
    return FieldError(f"'{_short(text)}' is too large")


_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}([.,]\d{3})+)?([.,]\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """A number with a decimal point or a decimal comma (the last separator is the decimal one)."""
    raw = text.strip().replace(" ", "").replace("\u00a0", "")
    if not raw:
        raise FieldError("empty")
    if not _NUMBER.match(raw) or raw in "+-":
        raise FieldError(f"'{text}' is not a number")
    last = max(raw.rfind("."), raw.rfind(","))
    if last >= 0:
        integer, fraction = raw[:last], raw[last + 1:]
        separator = raw[last]
        other = "," if separator == "." else "."
        if separator in integer:
            # 1,234,567 style: the separator repeats, so it groups thousands
            if len(fraction) == 3:
                integer, fraction = integer.replace(separator, "") + fraction, ""
            else:
                raise FieldError(f"'{text}' is not a number")
        raw = integer.replace(other, "") + ("." + fraction if fraction else "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise FieldError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise FieldError(f"'{text}' is not a number")
    if value and value.adjusted() >= NUMBER_MAX_DIGITS:
        raise _too_large(text)
    return value


_PLAIN_AMOUNT = re.compile(r"^(\d{1,15})(?:[.,](\d{1,4}))?$")


def parse_money(text: str, exponent: int, currency: str) -> int:
    """A non-negative amount in major units -> integer minor units (øre, cent)."""
    plain = _PLAIN_AMOUNT.match(text)
    if plain and len(plain.group(2) or "") <= exponent:   # the common case, without Decimal
        whole, fraction = plain.groups()
        digits: int = int(whole) * 10 ** exponent + int((fraction or "").ljust(exponent, "0") or 0)
        if digits > INT64_MAX:
            raise _too_large(text)
        return digits
    value = parse_decimal(text)
    if value < 0:
        raise FieldError(f"'{text}' is negative")
    minor = value.scaleb(exponent)
    if minor != minor.to_integral_value():
        raise FieldError(f"'{text}' has more than {exponent} decimals for {currency}")
    if minor > INT64_MAX:
        raise _too_large(text)
    return int(minor)


def parse_nonnegative(text: str) -> float:
    value = parse_decimal(text)
    if value < 0:
        raise FieldError(f"'{text}' is negative")
    number = float(value)
    return int(number) if number.is_integer() else number


def parse_int(text: str) -> int:
    raw = text.strip()
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise FieldError(f"'{text}' is not a whole number")
    if len(raw.lstrip("+-").lstrip("0")) > NUMBER_MAX_DIGITS:
        raise _too_large(text)
    return int(raw)


_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


def parse_bool(text: str, default: bool) -> bool:
    raw = text.strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise FieldError(f"'{text}' is not a yes/no value (use 1 or 0)")


_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_time(text: str, local: tzinfo) -> int:
    """An ISO 8601 time (naive = store local time) -> UTC epoch seconds."""
    raw = text.strip()
    match = _TIME.match(raw)
    if not match:
        raise FieldError(f"'{text}' is not an ISO 8601 time")
    year, month, day, hour, minute, second, _fraction, offset = match.groups()
    try:
        if int(second or 0) > 60:
            raise ValueError("second out of range")
        d = date(int(year), int(month), int(day))
        # a leap second (60) is kept as :59, as the C parser does
        t = time(int(hour or 0), int(minute or 0), min(int(second or 0), 59))
    except ValueError:
        raise FieldError(f"'{text}' is not an ISO 8601 time") from None
    if offset is None:
        zone = local
    elif offset == "Z":
        zone = timezone.utc
    else:
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise FieldError(f"'{text}' has an invalid UTC offset")
        from datetime import timedelta
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return int(datetime.combine(d, t, tzinfo=zone).timestamp())


_LANG_COLUMN = re.compile(r"^(name|pitch)_([a-z]{2,3}(?:_[a-z]{2,4})?)$")


def language_column(column: str) -> tuple[str, str] | None:
    """('name', 'nb') for 'name_nb'; None for any other column."""
    match = _LANG_COLUMN.match(column)
    if not match:
        return None
    field, lang = match.groups()
    if "_" in lang:
        base, region = lang.split("_")
        lang = f"{base}_{region.upper() if len(region) == 2 else region.title()}"
    return field, lang


def is_finite_number(value: float) -> bool:
    return not (math.isnan(value) or math.isinf(value))
