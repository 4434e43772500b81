"""Amounts in minor units, shown in the sale's currency and the store's locale.
How many minor units make a major one is the currency's exponent, fixed in the
store and journaled with each sale (pos.currency); Babel only formats."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from ..currency import Currency


class Money:
    def __init__(self, currency: Currency, locale: str):
        self.currency = currency
        self.locale = locale
        # this till's amounts, formatted once each (a cache per Money: the old
        # store's goes with it when a new store is opened)
        self._formatted = lru_cache(maxsize=50_000)(self._format)

    @property
    def exponent(self) -> int:
        return self.currency.exponent

    def major(self, minor: int) -> Decimal:
        return self.currency.major(minor)

    def __call__(self, minor: int) -> str:
        """e.g. 12345 NOK in nb_NO -> '123,45 kr'."""
        return self._formatted(minor)

    def _format(self, minor: int) -> str:
        return self.currency.format(minor, self.locale)

    def step(self, minor: int) -> str:
        """A price step: always signed, '+kr 50,00'."""
        return ("+" if minor >= 0 else "−") + self(abs(minor))

    def weight(self, grams: int) -> str:
        """'0,452 kg' in the store's locale."""
        return format_decimal(Decimal(grams).scaleb(-3), "0.000", locale=self.locale) + " kg"

    def quantity(self, qty: int) -> str:
        return format_decimal(qty, locale=self.locale)
