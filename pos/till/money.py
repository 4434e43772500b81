"""Amounts in minor units, shown in the store's currency and locale (Babel).
The exponent (minor units per major unit) comes from Babel's currency data."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency, format_decimal, get_currency_precision


class Money:
    def __init__(self, currency: str, locale: str):
        self.currency = currency
        self.locale = locale
        self.exponent = get_currency_precision(currency)

    def major(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-self.exponent)

    @lru_cache(maxsize=50_000)
    def __call__(self, minor: int) -> str:
        """e.g. 12345 NOK in nb_NO -> 'kr 123,45'."""
        return format_currency(self.major(minor), self.currency, locale=self.locale)

    def step(self, minor: int) -> str:
        """A price step: always signed, '+kr 50,00'."""
        return ("+" if minor >= 0 else "−") + self(abs(minor))

    def weight(self, grams: int) -> str:
        """'0,452 kg' in the store's locale."""
        return format_decimal(Decimal(grams).scaleb(-3), "0.000", locale=self.locale) + " kg"

    def quantity(self, qty: int) -> str:
        return format_decimal(qty, locale=self.locale)
