"""Opening a published store for reading, with a clear error for a missing,
corrupt or older-schema file, and its summary for `pos info`."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..i18n.formats import local_time
from .schema import SCHEMA_VERSION


def open_store(path: Path, check_same_thread: bool = True) -> sqlite3.Connection:
    """A read connection to a published store whose schema this pos understands.
    `check_same_thread=False`: opened on one thread to be handed to another
    (one thread uses it at a time; pos.till.store_swap)."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no store here; build one with `pos load DUMP --db {path}`")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10,
                               check_same_thread=check_same_thread)
        rows = dict(conn.execute("SELECT key, value FROM meta WHERE key = 'schema_version'"))
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: not a pos store or damaged ({exc})") from None
    version = int(rows.get("schema_version", 0))
    if version != SCHEMA_VERSION:
        conn.close()
        raise StoreError(f"{path}: store schema version {version}, this pos reads version "
                         f"{SCHEMA_VERSION}; load the dump again with this pos")
    return conn


def read_meta(conn: sqlite3.Connection) -> dict[str, Any]:
    """The meta table, each value decoded from JSON (kept as text when it is not JSON)."""
    meta: dict[str, Any] = {}
    for key, value in conn.execute("SELECT key, value FROM meta"):
        try:
            meta[key] = json.loads(value)
        except json.JSONDecodeError:
            meta[key] = value
    return meta


def _scorer_line(meta: dict[str, Any]) -> str:
    """Which scorer the till uses on this store and why (the backtest's sentence)."""
    from ..backtest import stored_choice
    from ..variants import DEFAULT
    choice = stored_choice(meta)
    if choice is None:
        return f"{DEFAULT} (the default: no backtest in this store)"
    if choice.skipped or choice.chosen is None:
        return f"{DEFAULT} (the default: {choice.summary_line()})"
    return f"{choice.chosen}: {choice.summary_line()}"


def _lists_line(meta: dict[str, Any]) -> str:
    """Where the store's lists came from (docs/mining.md, "Precomputed lists")."""
    mining = meta.get("mining") or {}
    source = str(mining.get("source", "own baskets"))
    if "scope" not in mining:
        return source
    scale = f", s = {mining['scale']:.4g}" if "over" in source else ""
    line = f"{source} ({mining['scope']} {mining['name']}{scale})"
    from ..backtest import stored_choice
    choice = stored_choice(meta)
    if choice is not None and choice.sources:
        line += "; backtest on head office's holdout: " + ", ".join(
            f"{f.name} {f.hit3:.1%}{' (in force)' if f.name == choice.source else ''}"
            for f in choice.sources.values())
    return line


def store_summary(path: Path) -> dict[str, object]:
    conn = open_store(path)
    try:
        meta = read_meta(conn)
        zone = meta.get("timezone", "UTC")

        def count(table: str) -> int:
            rows: int = conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
            return rows
        return {
            "store_name": meta.get("store_name"),
            "currency": (f"{meta.get('currency')} ({meta.get('currency_exponent')} decimals, "
                         f"from {meta.get('currency_exponent_from') or 'the load'})"),
            "locale": meta.get("locale"),
            "languages": ", ".join(meta.get("languages") or []) or "-",
            "timezone": zone,
            "export_time": local_time(meta["export_time"], zone),
            "history": (f"{local_time(meta['history_from'], zone)} .. "
                        f"{local_time(meta['history_to'], zone)}"),
            "products": count("products"),
            "barcodes": count("barcodes"),
            "customers": count("customers"),
            "baskets": meta.get("baskets"),
            "pairs": meta.get("pairs"),
            "upgrades": count("upgrades"),
            "bundles": count("bundles"),
            "rules": count("rules"),
            "lists": _lists_line(meta),
            "scorer": _scorer_line(meta),
        }
    finally:
        conn.close()
