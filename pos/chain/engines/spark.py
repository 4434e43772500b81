"""The chain miner on Spark DataFrames (no UDFs, so executors need no pos code):
`mine(input_path, params, per)` yields one MinedLists per store, region or the
chain with the C miner's counts, weights, scores and rankings
(docs/chain-engines.md, docs/mining.md). Runs in the active SparkSession (or
`session`): `local[*]` in the tests, any cluster that spark-submit reaches:

    spark-submit --master URL "$(python -c 'import pos.chain.engines.spark as m; print(m.__file__)')"
        INPUT OUT.jsonl [--per store] [--half-life-days D --ref-time T ...]

(pos and the driver's Python are needed on the driver only; `--master` is the
option's alternative where no spark-submit is at hand:
`python -m pos.chain.engines.spark INPUT OUT.jsonl --master URL`.)"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterator

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

# absolute imports: spark-submit runs this file as a script
from pos.chain.engines import scoring
from pos.chain.engines.common import COLUMNS, assemble, check_per, input_format
from pos.chain.lists import MinedLists
from pos.mining import LIST_RANKS, MineParams


def read(spark: SparkSession, path: Path) -> DataFrame:
    """The input as a DataFrame: a CSV with a header (every column as text) or Parquet."""
    if input_format(path) == "csv":
        return spark.read.csv(str(path), header=True, inferSchema=False)
    return spark.read.parquet(str(path))


def scope_column(per: str) -> Any:
    """The Column naming a line's scope."""
    if per == "chain":
        return F.lit("chain")
    return F.col("store_id" if per == "store" else "region").cast("string")


def tables(spark: SparkSession, input_path: Path, params: MineParams,
           per: str, before: int | None = None) -> tuple[DataFrame, DataFrame, DataFrame, DataFrame]:
    """(totals, items, lists, bi) DataFrames, unsorted; bi (the basket items, which the
    others derive from) is persisted: unpersist it when done. With `before` (a
    holdout): of the baskets whose time (the earliest line's) is before it only."""
    raw = read(spark, input_path)
    need = COLUMNS + (("region",) if per == "region" else ())
    missing = [c for c in need if c not in raw.columns]
    if missing:
        raise ValueError(f"{input_path}: no column {', '.join(missing)} (has {', '.join(raw.columns)})")
    lines = raw.select(
        F.col("store_id").cast("string").alias("store_id"),
        F.col("basket_id").cast("string").alias("basket_id"),
        F.col("sku").cast("string").alias("sku"),
        scope_column(per).alias("scope"),
        F.expr("unix_seconds(CAST(`timestamp` AS TIMESTAMP))").alias("t"))
    baskets = (lines.groupBy("store_id", "basket_id")
               .agg(F.min("scope").alias("scope"), F.min("t").alias("t"),
                    F.countDistinct("sku").alias("n")))
    if before is not None:
        baskets = baskets.where(F.col("t") < int(before))
    baskets = baskets.select("store_id", "basket_id", "scope",
                             F.expr(scoring.basket_weight(params)).alias("w"))
    bi = (lines.select("store_id", "basket_id", "sku").distinct()
          .join(baskets, ["store_id", "basket_id"])
          .persist())
    totals = baskets.groupBy("scope").agg(F.count(F.lit(1)).alias("baskets"), F.sum("w").alias("weight"))
    items = bi.groupBy("scope", "sku").agg(F.count(F.lit(1)).alias("c"), F.sum("w").alias("w"))
    x, y = bi.alias("x"), bi.alias("y")
    half = (x.join(y, (F.col("x.store_id") == F.col("y.store_id"))
                   & (F.col("x.basket_id") == F.col("y.basket_id"))
                   & (F.col("x.sku") < F.col("y.sku")))
            .groupBy(F.col("x.scope").alias("scope"), F.col("x.sku").alias("a"), F.col("y.sku").alias("b"))
            .agg(F.count(F.lit(1)).alias("c"), F.sum("x.w").cast("float").alias("wf"))
            .where(F.col("c") >= params.min_count))
    pairs = half.unionByName(half.select("scope", F.col("b").alias("a"), F.col("a").alias("b"), "c", "wf"))
    ia = items.select("scope", F.col("sku").alias("a"), F.col("w").alias("wa"))
    ib = items.select("scope", F.col("sku").alias("b"), F.col("w").alias("wb"))
    cand = (pairs.join(ia, ["scope", "a"]).join(ib, ["scope", "b"])
            .join(totals.select("scope", F.col("weight").alias("total")), "scope")
            .withColumn("conf", F.expr(scoring.conf(params)))
            .withColumn("pb", F.expr(scoring.base_rate(params)))
            .withColumn("lift", F.expr(scoring.LIFT)))
    per_item = Window.partitionBy("scope", "a")
    if params.rank == "balanced":
        cand = (cand.withColumn("max_conf", F.max("conf").over(per_item))
                .withColumn("max_lift", F.max("lift").over(per_item)))
    scored = cand.withColumn("score", F.expr(scoring.score(params)).cast("float")).where(F.col("score") > 0)
    ranked = scored.withColumn("rk", F.row_number().over(per_item.orderBy(F.desc("score"), F.asc("b"))))
    lists = ranked.where(F.col("rk") <= params.top_n).select("scope", "a", "b", "c", "wf", "score", "rk")
    return totals, items, lists, bi


def rows(frame: DataFrame, *columns: str) -> Iterator[tuple[Any, ...]]:
    """The frame's rows as tuples of `columns`, streamed to the driver a partition at a time."""
    for row in frame.toLocalIterator():
        yield tuple(row[c] for c in columns)


def mine(input_path: Path, params: MineParams, per: str,
         session: SparkSession | None = None, before: int | None = None) -> Iterator[MinedLists]:
    """One MinedLists per scope of `per` ("store", "region", "chain"), by scope name,
    from a CSV or Parquet basket-lines input (with `before`, a holdout: of the
    baskets before that time only), computed in `session` (default: the
    active SparkSession, or a new one as configured by spark-submit / the
    environment). Times are read in UTC (naive times are UTC)."""
    check_per(per)
    spark = session if session is not None else SparkSession.builder.getOrCreate()
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    totals, items, lists, bi = tables(spark, Path(input_path), params, per, before)
    try:
        yield from assemble(
            per, params,
            rows(totals.orderBy("scope"), "scope", "baskets", "weight"),
            rows(items.orderBy("scope", "sku"), "scope", "sku", "c", "w"),
            rows(lists.orderBy("scope", "a", "rk"), "scope", "a", "b", "c", "wf", "score"))
    finally:
        bi.unpersist()


def to_json(mined: MinedLists) -> dict[str, Any]:
    """A MinedLists as one JSON object (the command's output lines)."""
    return {"scope": mined.scope, "name": mined.name, "baskets": mined.baskets, "weight": mined.weight,
            "items": mined.items, "neighbours": mined.neighbours}


def main(argv: list[str] | None = None) -> int:
    """spark-submit's entry: mines INPUT into OUT, one JSON line per scope."""
    parser = argparse.ArgumentParser(prog="pos.chain.engines.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("input", type=Path, help="CSV file or Parquet file/directory of basket lines")
    parser.add_argument("out", type=Path, help="JSON lines output, one MinedLists per scope")
    parser.add_argument("--per", choices=("store", "region", "chain"), default="store")
    parser.add_argument("--master", help="Spark master URL (default: spark-submit's or local[*])")
    parser.add_argument("--top-n", type=int, default=100)
    parser.add_argument("--size-cap", type=int, default=30)
    parser.add_argument("--min-count", type=int, default=1)
    parser.add_argument("--half-life-days", type=float, default=0.0)
    parser.add_argument("--ref-time", type=int, default=0, help="UTC seconds")
    parser.add_argument("--shrinkage", type=float, default=5.0)
    parser.add_argument("--list-rank", choices=tuple(LIST_RANKS), default=None)
    parser.add_argument("--rank-damping", type=float, default=None)
    parser.add_argument("--before", type=int, default=None,
                        help="UTC seconds: mine only the baskets before it (a holdout)")
    args = parser.parse_args(argv)
    params = MineParams(top_n=args.top_n, size_cap=args.size_cap, min_count=args.min_count,
                        half_life_days=args.half_life_days, ref_time=args.ref_time,
                        shrinkage=args.shrinkage, list_rank=args.list_rank,
                        rank_damping=args.rank_damping)
    builder = SparkSession.builder.appName("pos-chain-mine")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    with args.out.open("w", encoding="utf-8") as out:
        for mined in mine(args.input, params, args.per, spark, args.before):
            out.write(json.dumps(to_json(mined)) + "\n")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
