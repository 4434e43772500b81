"""Numbers and percentages in the till's language, through Babel (CLDR): "38 %"
in nb and sv (a no-break space before the sign), "38%" in en, hu and he,
"1 234" or "1,234", "66,7 %"; and a stored UTC time (or its date) in the store's zone. Amounts
of money are pos.till.money's.

    numbers = Numbers(number_locale("nb", "nb_NO"))
    numbers.percent(0.38)  ->  "38 %"        numbers.percent(2 / 3, 1)  ->  "66,7 %"

No Textual here: the engine's reasons and the F9 screen both use it.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from babel import Locale


def local_time(seconds: int, zone: str) -> str:
    """A stored UTC time as the store's local time, e.g. '2026-11-22 00:00 CET'."""
    return datetime.fromtimestamp(int(seconds), ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


def local_day(seconds: float, zone: str) -> str:
    """The store's local date (ISO) of a stored UTC time, e.g. '2026-11-22'."""
    return datetime.fromtimestamp(seconds, ZoneInfo(zone)).date().isoformat()


def number_locale(lang: str | None, store_locale: str | None) -> str:
    """The locale numbers are written in: the store's when it is of language `lang`
    (nb_NO for nb), otherwise `lang`'s own (a Norwegian store's till in Hebrew: he)."""
    store = str(store_locale or "en")
    lang = (lang or store).split("_")[0]
    return store if store.split("_")[0] == lang else lang


class Numbers:
    """Formats numbers for one locale (memoised: Babel is slow; its locale data is
    read at the first number)."""

    def __init__(self, locale: str = "en"):
        self.name = locale or "en"
        self._locale: Locale | None = None
        self._memo: dict[tuple, str] = {}

    @property
    def locale(self) -> Locale:
        """The Babel Locale (English for a locale Babel does not know)."""
        if self._locale is None:
            from babel import Locale, UnknownLocaleError
            try:
                self._locale = Locale.parse(self.name)
            except (UnknownLocaleError, ValueError):
                self._locale = Locale.parse("en")
        return self._locale

    def percent(self, fraction, decimals: int = 0) -> str:
        """A fraction (0.38) as a percentage with `decimals` decimals ("38 %")."""
        key = ("%", fraction, decimals)
        text = self._memo.get(key)
        if text is None:
            from babel.numbers import parse_pattern
            pattern = parse_pattern(self.locale.percent_formats[None].pattern)
            pattern.frac_prec = (decimals, decimals)
            text = self._keep(key, pattern.apply(_decimal(fraction), self.locale))
        return text

    def integer(self, value: int) -> str:
        """A whole number with the locale's grouping ("1 234")."""
        key = ("i", value)
        text = self._memo.get(key)
        if text is None:
            from babel.numbers import format_decimal
            text = self._keep(key, format_decimal(value, locale=self.locale))
        return text

    def decimal(self, value, decimals: int) -> str:
        """A number with exactly `decimals` decimals ("0,034")."""
        key = ("d", value, decimals)
        text = self._memo.get(key)
        if text is None:
            from babel.numbers import format_decimal
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            text = self._keep(key, format_decimal(_decimal(value), pattern, locale=self.locale))
        return text

    def _keep(self, key: tuple, text: str) -> str:
        if len(self._memo) < 100_000:
            self._memo[key] = text
        return text


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
