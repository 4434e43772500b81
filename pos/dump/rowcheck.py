"""Collecting every problem of one dump row while its fields are parsed."""
from __future__ import annotations

from typing import Callable, TypeVar, overload

from .fields import FieldError

T = TypeVar("T")


class RowCheck:
    """Parses fields of one row; a bad field is noted (column, reason) and gives None."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        self.problems: list[tuple[str | None, str]] = []

    def text(self, column: str) -> str:
        return self.fields.get(column, "")

    def required(self, column: str) -> str:
        value = self.fields.get(column, "")
        if not value:
            self.fail(column, "empty, but required")
        return value

    @overload
    def parse(self, column: str, parser: Callable[[str], T]) -> T | None: ...
    @overload
    def parse(self, column: str, parser: Callable[[str], T], default: T) -> T: ...

    def parse(self, column: str, parser: Callable[[str], T], default: T | None = None) -> T | None:
        value = self.fields.get(column, "")
        if not value:
            return default
        try:
            return parser(value)
        except FieldError as exc:
            self.fail(column, str(exc))
            return default

    def fail(self, column: str | None, reason: str) -> None:
        self.problems.append((column, reason))

    @property
    def ok(self) -> bool:
        return not self.problems
