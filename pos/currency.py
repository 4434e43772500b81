"""A store's currency: its ISO 4217 code and its exponent (an amount of `m` minor
units is m / 10**exponent major units), the one source of truth for what a stored
amount means, and the formatting of amounts for people.

The exponent is fixed once, when `pos load` builds the store: `currency_exponent`
in the dump's manifest.json, else `[currency] exponent` in the store.toml given to
`pos load --config`, else the currency's minor units in ISO 4217 (the `iso4217`
package, at the version in the project's lock). It is kept in the store's meta
and written with every sale in the journal; the till, the report, the export and
`pos scanner check` read it from there. Babel only formats: it is told how many
decimals to show and never asked how many a currency has (its CLDR data changes
between releases: HUF had 2 decimals in Babel 2.17 and 0 in 2.19).
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    from babel.numbers import NumberPattern

MAX_EXPONENT = 6        # ISO 4217 has 0, 2, 3 and 4; amounts are 64-bit integers


class CurrencyError(ConfigError):
    """A currency code or exponent that cannot be used."""


def iso_exponent(code: str) -> int | None:
    """The minor units of `code` in ISO 4217 (HUF 2, JPY 0, KWD 3; None for a
    code without them, such as gold). CurrencyError for a code not in ISO 4217."""
    from iso4217 import Currency as Iso
    try:
        return Iso(code.upper()).exponent
    except ValueError:
        raise CurrencyError(f"'{code}' is not an ISO 4217 currency code") from None


def check_exponent(value: object, where: str) -> int:
    """`value` as an exponent, or CurrencyError naming `where`."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_EXPONENT:
        raise CurrencyError(f"{where}: an integer from 0 to {MAX_EXPONENT} expected "
                            f"(the currency's decimals), got {value!r}")
    return value


@dataclass(frozen=True)
class Currency:
    code: str           # ISO 4217, upper case
    exponent: int       # decimals of the major unit: 2 for NOK and EUR, 0 for JPY, 3 for KWD

    def __post_init__(self) -> None:
        if not isinstance(self.code, str) or not re.fullmatch(r"[A-Z]{3}", self.code):
            raise CurrencyError(f"currency: a three-letter ISO 4217 code expected, "
                                f"got {self.code!r}")
        check_exponent(self.exponent, f"currency_exponent of {self.code}")

    @classmethod
    def iso(cls, code: str) -> Currency:
        """`code` with its ISO 4217 minor units."""
        exponent = iso_exponent(code)
        if exponent is None:
            raise CurrencyError(f"'{code}' has no minor units in ISO 4217; give "
                                "currency_exponent explicitly")
        return cls(code.upper(), exponent)

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> Currency:
        """The currency of a store, from its meta (pos.store.reader.read_meta): the
        exponent written by `pos load`. A store without a currency is in EUR."""
        code = str(meta.get("currency") or "EUR")
        exponent = meta.get("currency_exponent")
        if exponent is None:            # no pos load has written a store without it
            return cls.iso(code)
        return cls(code, int(exponent))

    def major(self, minor: int) -> Decimal:
        """Minor units -> major units, exact: 123450 HUF (2) -> Decimal('1234.50')."""
        return Decimal(int(minor)).scaleb(-self.exponent)

    def plain(self, minor: int) -> str:
        """Major units with exactly `exponent` decimals and a point, for files:
        '1234.50', '1234' (JPY), '1.250' (KWD)."""
        return f"{self.major(minor):.{self.exponent}f}"

    def format(self, minor: int, locale: str) -> str:
        """The amount for people in `locale`, with exactly `exponent` decimals:
        12345 NOK in nb_NO -> '123,45 kr'."""
        text: str = _pattern(locale, self.exponent).apply(self.major(minor), locale, currency=self.code,
                                                  currency_digits=False)
        return text


@lru_cache(maxsize=64)
def _pattern(locale: str, exponent: int) -> NumberPattern:
    """The locale's standard currency pattern with `exponent` decimals, always shown."""
    from babel import Locale
    pattern: NumberPattern = copy.copy(Locale.parse(locale).currency_formats["standard"])
    pattern.frac_prec = (exponent, exponent)
    return pattern
