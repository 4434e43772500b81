"""Benchmark reports: the machine's description, and each benchmark's markdown in its
own section of a shared file (docs/benchmarks.md), leaving the other sections as they are."""
from __future__ import annotations

import os
import platform
import re
from pathlib import Path

TITLE = "# Benchmarks\n\nEach section is written by the command it names; rerun it to refresh it.\n"


def write_section(path: Path, name: str, text: str) -> None:
    """Replace (or append) the block marked `<!-- bench:NAME -->` in `path`."""
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else TITLE
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    if pattern.search(current):
        updated = pattern.sub(lambda _: block, current)
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    path.write_text(updated, encoding="utf-8")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        memory = 0
    return (f"{os.cpu_count()} cores ({model}), {memory:.0f} GiB RAM, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def ok(met: bool) -> str:
    """A target's verdict as the tables say it."""
    return "met" if met else "MISSED"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A markdown table; a first cell's leading pairs of spaces (a sub-row) kept as &nbsp;."""
    return "\n".join(["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
                     + ["| " + " | ".join(c.replace("  ", "&nbsp;&nbsp;") if i == 0 else c
                                          for i, c in enumerate(row)) + " |" for row in rows])


def print_tables(console, sections) -> None:
    """Each (title, markdown, facts, [headers, *rows]) as a rich table, then its facts."""
    from rich.table import Table
    for title, _, facts, cells in sections:
        table = Table(title=title)
        for h in cells[0]:
            table.add_column(h, justify="right" if h in cells[0][1:] else "left")
        for row in cells[1:]:
            table.add_row(*row)
        console.print(table)
        console.print(facts)
