"""argparse types shared by the commands: each turns a bad value into one line
naming what is wrong (argparse adds the option and exits with 2)."""
from __future__ import annotations

import argparse
from decimal import Decimal, InvalidOperation


def share(text: str) -> float:
    """'1%' or '0.01' -> 0.01; 0 and 100% included."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a fraction like 1% or 0.01") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not between 0% and 100%")
    return value


def open_fraction(text: str) -> float:
    """A number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be between 0 and 1")
    return value


def whole_number(minimum: int):
    """A whole number >= minimum ('1_000' and '1,000' read as 1000)."""
    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", "").replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"'{text}' is below {minimum}")
        return value
    return parse


def positive(text: str) -> float:
    """A number > 0 ('100_000' and '100,000' read as 100000)."""
    try:
        value = float(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number above 0")
    return value


def non_negative(text: str) -> float:
    """A finite number >= 0 (e.g. days, where 0 turns something off)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a number >= 0")
    return value


def amount(text: str) -> Decimal:
    """An amount of money in major units, > 0 ('1000000.00')."""
    try:
        value = Decimal(text.replace("_", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount like 1000000.00") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount above 0")
    return value


def iso_time(text: str) -> str:
    """An ISO 8601 time or date, kept as written (its zone is applied by the caller)."""
    from datetime import timezone

    from ..dump.fields import FieldError, parse_time
    try:
        parse_time(text, timezone.utc)
    except FieldError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text
