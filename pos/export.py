"""Sales for head office: the journal's paid sales as a baskets.csv file
(docs/dump-format.md), written so that a crash never loses or corrupts one.

By default the export takes the paid sales not exported yet (training and
abandoned sales never go), notes the file and its sales in the journal (meta
`export_pending`, one transaction), writes them to a temporary file beside the
target, fsyncs it, renames it into place, fsyncs the directory, and only then
marks the sales exported (`sales.exported_at`) and drops the note, in one
transaction. A crash (or a power cut) before the mark leaves the note: the next
export settles it first, marking the sales when the file is there (it was
renamed whole) and forgetting the note when not (the sales go in this export).
So each sale is in exactly one file, unless the file was moved away before the
next export: then its sales are written again under the same basket ids (made
on the till), and `pos load`, which merges lines that share a basket id, still
counts each once. `since` re-exports every paid sale from that time on, marked
or not.

One row per sale line: basket_id, sku, quantity (kg for weighed lines),
timestamp (the payment, ISO 8601 UTC with Z), customer_id, store_id (the till),
then what the loader ignores: line, unit_price and amount (major units with
exactly the decimals of the sale's journaled currency exponent, pos.currency),
basket_total (what the customer paid, after deals), currency and arm (the
sale's experiment arm). Sales journaled before the journal carried a currency
(version 4) take the store's (`fallback`).
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

from .currency import Currency
from .durable import immediate
from .errors import EXIT_STORE, UsageError
from .journal import Journal, JournalError
from .progress import no_checkpoint

COLUMNS = ("basket_id", "sku", "quantity", "timestamp", "customer_id", "store_id",
           "line", "unit_price", "amount", "basket_total", "currency", "arm")


class ExportError(UsageError):
    """The export cannot be made as asked (the file exists, a bad date, no currency)."""


class ExportFailed(ExportError):
    """The journal or the export file cannot be read or written."""
    exit_code = EXIT_STORE


@dataclass(frozen=True)
class ExportResult:
    path: Path | None          # None: nothing to export
    sales: int
    lines: int
    sale_ids: tuple[str, ...]




def parse_since(text: str) -> float:
    """'2026-11-21' (midnight UTC), '2026-11-21T14:00', '...Z' or '...+01:00' -> UTC seconds."""
    try:
        if len(text.strip()) == 10:
            moment = datetime.combine(date.fromisoformat(text.strip()), datetime.min.time())
        else:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ExportError(f"--since: {text!r} is not a date or time like 2026-11-21 or "
                          "2026-11-21T14:00Z") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _quantity(qty: int, weight_g: int | None) -> str:
    return str(qty) if weight_g is None else f"{Decimal(weight_g).scaleb(-3):.3f}"


def default_name(tills: set[str], journal: Path, now: float) -> str:
    who = next(iter(tills)) if len(tills) == 1 else journal.stem
    return f"baskets-{who}-{datetime.fromtimestamp(now, timezone.utc):%Y%m%dT%H%M%SZ}.csv"


def export_sales(journal_path: Path, out: Path | None = None, since: float | None = None,
                 clock: Callable[[], float] = time.time, fallback: Currency | None = None,
                 checkpoint: Callable[[str], None] = no_checkpoint) -> ExportResult:
    """Writes the sales to export to `out` (default: baskets-<till>-<UTC time>.csv in
    the current directory) and marks them exported. Nothing to export: no file.
    `fallback`: the store's currency, given to sales journaled without one.
    `checkpoint("renamed")` is called between the file's rename and the marking
    (the crash tests stop the process there)."""
    journal_path = Path(journal_path)
    if not journal_path.is_file():
        raise ExportFailed(f"{journal_path}: no such sales journal")
    journal = Journal(journal_path, till="export")
    try:
        if fallback is not None:
            journal.adopt_currency(fallback)
        return _export(journal, journal_path, out, since, clock, checkpoint)
    except sqlite3.Error as exc:
        raise JournalError(f"{journal_path}: cannot read the sales journal ({exc})") from None
    finally:
        journal.close()


PENDING = "export_pending"      # meta: {"file", "at", "sales"} of an export not marked yet


def _settle_pending(conn: sqlite3.Connection) -> None:
    """An export stopped between its file's rename and its mark: the mark made
    now when the file is there, else the note dropped (the sales are unmarked,
    the export goes on with them). Without it a power cut after the rename wrote
    those sales into two files (tests/test_powercut_export.py)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (PENDING,)).fetchone()
    if row is None:
        return
    pending = json.loads(row[0])
    with immediate(conn):
        if Path(pending["file"]).is_file():
            conn.executemany("UPDATE sales SET exported_at = ? WHERE sale_id = ?",
                             [(pending["at"], sale_id) for sale_id in pending["sales"]])
        conn.execute("DELETE FROM meta WHERE key = ?", (PENDING,))


def _export(journal: Journal, journal_path: Path, out: Path | None, since: float | None,
            clock: Callable[[], float], checkpoint: Callable[[str], None]) -> ExportResult:
    conn = journal.conn
    _settle_pending(conn)
    which = "exported_at IS NULL" if since is None else "ended_at >= ?"
    conn.execute("BEGIN")                       # one snapshot for the sales and their lines
    try:
        sales = conn.execute(
            "SELECT sale_id, till, ended_at, customer, total, arm, currency, currency_exponent "
            "FROM sales WHERE status = 'paid' "
            f"AND training = 0 AND {which} ORDER BY ended_at, sale_id",
            () if since is None else (since,)).fetchall()
        lines: dict[str, list[tuple[Any, ...]]] = {}
        for sale_id, line, sku, qty, weight_g, unit_price, total in conn.execute(
                "SELECT l.sale_id, line, sku, qty, weight_g, unit_price, l.total FROM sale_lines l "
                f"JOIN sales s USING (sale_id) WHERE s.status = 'paid' AND s.training = 0 AND "
                f"{which} ORDER BY l.sale_id, line", () if since is None else (since,)):
            lines.setdefault(sale_id, []).append((line, sku, qty, weight_g, unit_price, total))
    finally:
        conn.execute("COMMIT")
    sales = [s for s in sales if lines.get(s[0])]     # a paid sale with no lines: no basket
    if not sales:
        return ExportResult(None, 0, 0, ())
    unknown = sum(1 for s in sales if s[6] is None)
    if unknown:
        raise ExportError(f"{unknown} of the sales to export were journaled without their "
                          "currency (before journal version 4): give --db STORE.db, the store "
                          "they were sold from")
    now = clock()
    out = Path(out) if out is not None else Path(default_name({s[1] for s in sales}, journal_path,
                                                             now))
    if out.exists():
        raise ExportError(f"{out}: already exists; give another --out (an export never "
                          "overwrites one)")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    n_lines = 0
    for sale_id, till, ended_at, customer, total, arm, code, exponent in sales:
        when = _utc(ended_at)
        currency = Currency(code, exponent)
        for line, sku, qty, weight_g, unit_price, amount in lines[sale_id]:
            writer.writerow((sale_id, sku, _quantity(qty, weight_g), when, customer or "", till,
                             line, currency.plain(unit_price), currency.plain(amount),
                             currency.plain(total), code, arm or ""))
            n_lines += 1
    ids = tuple(s[0] for s in sales)
    with immediate(conn):
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (PENDING, json.dumps(
            {"file": str(out.resolve()), "at": now, "sales": list(ids)})))
    _write_atomically(out, text.getvalue().encode("utf-8"))
    checkpoint("renamed")
    try:
        with immediate(conn):
            conn.executemany("UPDATE sales SET exported_at = ? WHERE sale_id = ?",
                             [(now, sale_id) for sale_id in ids])
            conn.execute("DELETE FROM meta WHERE key = ?", (PENDING,))
    except sqlite3.Error as exc:
        raise JournalError(f"{journal_path}: {out} is written, but the sales could not be marked "
                           f"exported ({exc}); the next export marks them while {out} is there "
                           "(else writes them again under the same basket ids, which pos load "
                           "counts once)") from None
    return ExportResult(out, len(ids), n_lines, ids)


def _write_atomically(out: Path, data: bytes) -> None:
    """Temp file in the same directory, fsync, rename, fsync the directory: the
    file is there whole or not at all, even after a power cut."""
    directory = out.parent if str(out.parent) else Path(".")
    temp = directory / f".{out.name}.{os.getpid()}.tmp"
    try:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.rename(temp, out)
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportFailed(f"{out}: cannot write the export ({exc.strerror or exc})") from None
