"""Problems found in a dump, the reject file, and the bad-row threshold.

Every problem reads `file:line: column: reason`. Rejected rows are copied, with
their problems, to a reject CSV a manager can open, fix and send back.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadRefused

if TYPE_CHECKING:
    from _csv import Writer as _CsvWriter


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column or 'row'}: {self.reason}"


@dataclass
class FileTally:
    rows: int = 0
    rejected: int = 0


@dataclass
class ProblemLog:
    """Collects problems, writes rejected rows, and enforces the bad-row threshold."""

    reject_path: Path
    threshold: float = 0.01
    keep: int = 200                       # problems kept in memory to show
    shown: list[Problem] = field(default_factory=list)
    count: int = 0
    tallies: dict[str, FileTally] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._handle: io.TextIOWrapper | None = None
        self._writer: _CsvWriter | None = None

    def _write(self, problem: Problem, raw: str) -> None:
        if self._writer is None:
            self.reject_path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.reject_path.open("w", newline="", encoding="utf-8",
                                                 errors="backslashreplace")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["file", "line", "column", "reason", "row"])
        self._writer.writerow([problem.file, problem.line, problem.column or "",
                               problem.reason, raw])

    def tally(self, file: str) -> FileTally:
        return self.tallies.setdefault(file, FileTally())

    def reject(self, file: str, line: int, raw: str, problems: list[tuple[str | None, str]]) -> None:
        """One bad row and its problems (column, reason)."""
        self.tally(file).rejected += 1
        for column, reason in problems:
            problem = Problem(file, line, column, reason)
            self.count += 1
            if len(self.shown) < self.keep:
                self.shown.append(problem)
            self._write(problem, raw)

    def check_threshold(self, file: str) -> None:
        """Refuse the load when more than `threshold` of a file's rows were bad."""
        tally = self.tally(file)
        if tally.rows and tally.rejected / tally.rows > self.threshold:
            examples = [str(p) for p in self.shown if p.file == file][:10]
            raise LoadRefused("\n".join([
                f"{file}: {tally.rejected:,} of {tally.rows:,} rows are bad "
                f"({tally.rejected / tally.rows:.1%}, more than the {self.threshold:.1%} allowed), "
                "so the load is refused.", *examples,
                f"Every bad row and its problems: {self.reject_path} "
                "(or allow more with --max-bad-rows)."]))

    @property
    def rejected_rows(self) -> int:
        return sum(t.rejected for t in self.tallies.values())

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._writer = None
