"""A sales journal of version 2, as the till wrote it before offer totals were kept
on the sales row: the real DDL of pos/journal.py at version 2, verbatim, for the
tests that upgrade such a file."""
from __future__ import annotations

import sqlite3

V2_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sales (
    sale_id TEXT PRIMARY KEY, till TEXT NOT NULL, cashier TEXT, training INTEGER NOT NULL,
    started_at REAL NOT NULL, ended_at REAL, status TEXT NOT NULL DEFAULT 'open',
    customer TEXT, total INTEGER, store_export INTEGER, exported_at REAL, arm TEXT);
CREATE TABLE IF NOT EXISTS events (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), seq INTEGER NOT NULL,
    at REAL NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (sale_id, seq));
CREATE TABLE IF NOT EXISTS offers (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), sku TEXT NOT NULL, kind TEXT NOT NULL,
    position INTEGER NOT NULL, score REAL NOT NULL, price INTEGER NOT NULL,
    shown_at REAL NOT NULL, outcome TEXT, reason TEXT, outcome_at REAL,
    revenue INTEGER NOT NULL DEFAULT 0, arm TEXT, anchor TEXT, margin INTEGER,
    PRIMARY KEY (sale_id, sku));
CREATE TABLE IF NOT EXISTS sale_lines (
    sale_id TEXT NOT NULL REFERENCES sales(sale_id), line INTEGER NOT NULL, sku TEXT NOT NULL,
    qty INTEGER NOT NULL, weight_g INTEGER, unit_price INTEGER NOT NULL, total INTEGER NOT NULL,
    PRIMARY KEY (sale_id, line));
CREATE INDEX IF NOT EXISTS sales_status ON sales(status);
CREATE INDEX IF NOT EXISTS sales_ended ON sales(ended_at);
-- for the reports (pos.report): a sale's offers without reading the table
CREATE INDEX IF NOT EXISTS offers_sale_outcome ON offers(sale_id, outcome, kind, position, reason,
                                                         revenue, margin);
CREATE INDEX IF NOT EXISTS sale_lines_sku ON sale_lines(sale_id, sku);
"""


def v2_journal(path) -> sqlite3.Connection:
    """A new version 2 journal at `path` (WAL, as the till made it), open to fill in."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(V2_SCHEMA)
    conn.execute("INSERT INTO meta VALUES ('version', '2')")
    conn.commit()
    return conn
