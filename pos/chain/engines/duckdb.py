"""The chain miner in DuckDB SQL, on one server: `mine(input_path, params, per)`
yields one MinedLists per store, region or the chain with the C miner's counts,
weights, scores and rankings (docs/chain-engines.md, docs/mining.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import duckdb

from ...mining import MineParams
from ..lists import MinedLists
from . import scoring
from .common import COLUMNS, assemble, check_per, input_format

FETCH = 10_000
"""Result rows fetched at a time."""


def source(path: Path) -> str:
    """The SQL table function reading the input at path (CSV as text, or Parquet)."""
    quoted = "'" + str(path).replace("'", "''") + "'"
    if input_format(path) == "csv":
        return f"read_csv({quoted}, header = true, all_varchar = true)"
    if path.is_dir():
        quoted = "'" + str(path / "**" / "*.parquet").replace("'", "''") + "'"
    return f"read_parquet({quoted})"


def scope_column(per: str) -> str:
    """The SQL expression naming a line's scope."""
    return {"store": "CAST(store_id AS VARCHAR)", "region": "CAST(region AS VARCHAR)",
            "chain": "'chain'"}[per]


def lists_query(params: MineParams) -> str:
    """Scored, filtered, ranked list entries from the tables pairs, items and totals."""
    window = ""
    if params.rank == "balanced":
        window = (", max(conf) OVER (PARTITION BY scope, a) AS max_conf, "
                  "max(lift) OVER (PARTITION BY scope, a) AS max_lift")
    return f"""
        WITH cand AS (
            SELECT p.scope, p.a, p.b, p.c, p.wf, ia.w AS wa, ib.w AS wb, t.weight AS total
            FROM pairs p
            JOIN items ia ON ia.scope = p.scope AND ia.sku = p.a
            JOIN items ib ON ib.scope = p.scope AND ib.sku = p.b
            JOIN totals t ON t.scope = p.scope),
        c1 AS (SELECT *, {scoring.conf(params)} AS conf FROM cand),
        c2 AS (SELECT *, {scoring.base_rate(params)} AS pb FROM c1),
        c3 AS (SELECT *, {scoring.LIFT} AS lift{window} FROM c2),
        scored AS (SELECT *, CAST({scoring.score(params)} AS FLOAT) AS score FROM c3),
        ranked AS (SELECT *, row_number() OVER (PARTITION BY scope, a ORDER BY score DESC, b ASC) AS rk
                   FROM scored WHERE score > 0)
        SELECT scope, a, b, c, wf, score FROM ranked WHERE rk <= {params.top_n}
        ORDER BY scope, a, rk"""


def having(before: int | None) -> str:
    """The baskets' filter of a holdout: their time (the earliest line's) before `before`."""
    return "" if before is None else f" HAVING min(t) < {int(before)}"


def stream(con: duckdb.DuckDBPyConnection, query: str) -> Iterator[tuple[Any, ...]]:
    """The query's rows, fetched FETCH at a time on a cursor of its own."""
    cur = con.cursor()
    cur.execute(query)
    while rows := cur.fetchmany(FETCH):
        yield from rows
    cur.close()


def prepare(con: duckdb.DuckDBPyConnection, input_path: Path, params: MineParams, per: str,
            before: int | None = None) -> None:
    """Creates the tables lines, baskets, bi (basket items), totals, items and pairs;
    with `before` (a holdout), of the baskets whose time is before it only."""
    src = source(input_path)
    have = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    need = COLUMNS + (("region",) if per == "region" else ())
    missing = [c for c in need if c not in have]
    if missing:
        raise ValueError(f"{input_path}: no column {', '.join(missing)} (has {', '.join(sorted(have))})")
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"""CREATE TABLE lines AS SELECT
        CAST(store_id AS VARCHAR) AS store_id, CAST(basket_id AS VARCHAR) AS basket_id,
        CAST(sku AS VARCHAR) AS sku, {scope_column(per)} AS scope,
        CAST(floor(epoch_us(CAST("timestamp" AS TIMESTAMPTZ)) / 1000000.0) AS BIGINT) AS t
        FROM {src}""")
    con.execute(f"""CREATE TABLE baskets AS SELECT store_id, basket_id, scope,
        {scoring.basket_weight(params)} AS w
        FROM (SELECT store_id, basket_id, min(scope) AS scope, min(t) AS t, count(DISTINCT sku) AS n
              FROM lines GROUP BY store_id, basket_id{having(before)})""")
    con.execute("""CREATE TABLE bi AS SELECT b.scope, b.store_id, b.basket_id, l.sku, b.w
        FROM (SELECT DISTINCT store_id, basket_id, sku FROM lines) l
        JOIN baskets b ON b.store_id = l.store_id AND b.basket_id = l.basket_id""")
    con.execute("DROP TABLE lines")
    con.execute("""CREATE TABLE totals AS SELECT scope, count(*) AS baskets, sum(w) AS weight
        FROM baskets GROUP BY scope""")
    con.execute("""CREATE TABLE items AS SELECT scope, sku, count(*) AS c, sum(w) AS w
        FROM bi GROUP BY scope, sku""")
    con.execute(f"""CREATE TABLE pairs AS
        WITH half AS (
            SELECT x.scope, x.sku AS a, y.sku AS b, count(*) AS c, CAST(sum(x.w) AS FLOAT) AS wf
            FROM bi x JOIN bi y
              ON x.store_id = y.store_id AND x.basket_id = y.basket_id AND x.sku < y.sku
            GROUP BY x.scope, x.sku, y.sku HAVING count(*) >= {params.min_count})
        SELECT scope, a, b, c, wf FROM half UNION ALL SELECT scope, b, a, c, wf FROM half""")


def mine(input_path: Path, params: MineParams, per: str,
         connection: duckdb.DuckDBPyConnection | None = None,
         before: int | None = None) -> Iterator[MinedLists]:
    """One MinedLists per scope of `per` ("store", "region", "chain"), by scope name,
    from a CSV or Parquet basket-lines input; with `before` (a holdout), of the
    baskets before that time only. `connection`: a DuckDB connection to
    work in (its settings, e.g. threads or memory_limit, apply); default a new
    in-memory database."""
    check_per(per)
    con = connection if connection is not None else duckdb.connect(":memory:")
    try:
        prepare(con, Path(input_path), params, per, before)
        yield from assemble(
            per, params,
            stream(con, "SELECT scope, baskets, weight FROM totals ORDER BY scope"),
            stream(con, "SELECT scope, sku, c, w FROM items ORDER BY scope, sku"),
            stream(con, lists_query(params)))
    finally:
        if connection is None:
            con.close()
        else:
            for table in ("pairs", "items", "totals", "bi", "baskets", "lines"):
                con.execute(f"DROP TABLE IF EXISTS {table}")
