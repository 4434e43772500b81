"""The chain miner on Spark DataFrames (no UDFs, so executors need no pos code):
`write_parts(input_path, params, per, out)` writes one dump part (mined/) per
store, region or the chain from the executors; `mine(...)` yields the same
lists as MinedLists on the driver (the tests, the benchmark). Both give the C
miner's counts, weights, scores and rankings (docs/chain-engines.md,
docs/mining.md) and run in the active SparkSession (or `session`): `local[*]`
in the tests, any cluster that spark-submit reaches:

    spark-submit --master URL "$(python -c 'import pos.chain.engines.spark as m; print(m.__file__)')"
        INPUT OUT [--per store] [--half-life-days D --ref-time T ...]

(pos and the driver's Python are needed on the driver only; `pos mine --engine
spark --master URL` is the same where no spark-submit is at hand.)"""
from __future__ import annotations

import argparse
import json
import sys
import uuid
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator, cast
from urllib.parse import unquote

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

# absolute imports: spark-submit runs this file as a script
from pos.chain.engines import scoring
from pos.chain.engines.common import COLUMNS, assemble, check_per, input_format
from pos.chain.lists import MinedLists
from pos.mining import LIST_RANKS, MineParams


def read(spark: SparkSession, path: str | Path) -> DataFrame:
    """The input as a DataFrame: a CSV with a header (every column as text) or Parquet.
    A URI (hdfs://, s3a://) is CSV when its name ends in .csv or .csv.gz."""
    text = str(path)
    if "://" in text:
        csv = text.lower().endswith((".csv", ".csv.gz"))
    else:
        csv = input_format(Path(text)) == "csv"
    if csv:
        return spark.read.csv(text, header=True, inferSchema=False)
    return spark.read.parquet(text)


def scope_column(per: str) -> Any:
    """The Column naming a line's scope."""
    if per == "chain":
        return F.lit("chain")
    return F.col("store_id" if per == "store" else "region").cast("string")


def tables(spark: SparkSession, input_path: str | Path, params: MineParams,
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
          .join(baskets, ["store_id", "basket_id"]))
    if per == "store":
        # each store's basket items in one partition: with `configured`'s setting the
        # self-join, the pair and item sums, their joins and the top-N window
        # then need no shuffle of their own (docs/chain.md, "How the job runs")
        bi = bi.repartition("scope")
    bi = bi.persist()
    totals = baskets.groupBy("scope").agg(F.count(F.lit(1)).alias("baskets"), F.sum("w").alias("weight"))
    items = bi.groupBy("scope", "sku").agg(F.count(F.lit(1)).alias("c"), F.sum("w").alias("w"))
    x, y = bi.alias("x"), bi.alias("y")
    half = (x.join(y, (F.col("x.scope") == F.col("y.scope"))
                   & (F.col("x.store_id") == F.col("y.store_id"))
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


@contextmanager
def configured(spark: SparkSession, per: str) -> Iterator[SparkSession]:
    """The session set for the job while it runs: UTC; for `per` "store", joins of
    frames already partitioned by scope need not shuffle again on all their keys
    (spark.sql.requireAllClusterKeysForCoPartition false; adaptive execution off,
    as it would plan the persisted frame anew and lose its partitioning). The
    settings are put back afterwards."""
    settings = {"spark.sql.session.timeZone": "UTC"}
    if per == "store":
        settings["spark.sql.requireAllClusterKeysForCoPartition"] = "false"
        # adaptive execution plans the persisted basket items anew, losing their partitioning
        settings["spark.sql.adaptive.enabled"] = "false"
    before = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield spark
    finally:
        for key, old in before.items():
            if old is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, old)


def rows(frame: DataFrame, *columns: str) -> Iterator[tuple[Any, ...]]:
    """The frame's rows as tuples of `columns`, streamed to the driver a partition at a time."""
    for row in frame.toLocalIterator():
        yield tuple(row[c] for c in columns)


def mine(input_path: str | Path, params: MineParams, per: str,
         session: SparkSession | None = None, before: int | None = None) -> Iterator[MinedLists]:
    """One MinedLists per scope of `per` ("store", "region", "chain"), by scope name,
    from a CSV or Parquet basket-lines input (with `before`, a holdout: of the
    baskets before that time only), computed in `session` (default: the
    active SparkSession, or a new one as configured by spark-submit / the
    environment). Times are read in UTC (naive times are UTC)."""
    check_per(per)
    spark = session if session is not None else SparkSession.builder.getOrCreate()
    with configured(spark, per):
        totals, items, lists, bi = tables(spark, input_path, params, per, before)
        try:
            yield from assemble(
                per, params,
                rows(totals.orderBy("scope"), "scope", "baskets", "weight"),
                rows(items.orderBy("scope", "sku"), "scope", "sku", "c", "w"),
                rows(lists.orderBy("scope", "a", "rk"), "scope", "a", "b", "c", "wf", "score"))
        finally:
            bi.unpersist()


CSV_OPTIONS = {"header": "true", "quote": '"', "escape": '"', "ignoreLeadingWhiteSpace": "false",
               "ignoreTrailingWhiteSpace": "false", "lineSep": "\n", "encoding": "UTF-8"}
"""RFC 4180 CSV as the dump's reader reads it: quotes doubled, values not trimmed."""


class Files:
    """The output's file system, through Hadoop's FileSystem (a local disk, HDFS or
    object storage alike), as the driver sees it."""

    def __init__(self, spark: SparkSession, root: str) -> None:
        self.jvm: Any = cast(Any, spark.sparkContext._jvm)
        fs = self.path(root).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
        # a local disk's checksummed file system would leave .crc files beside the part
        checksummed = self.jvm.org.apache.hadoop.fs.ChecksumFileSystem
        self.fs = fs.getRawFileSystem() if checksummed._java_lang_class.isInstance(fs) else fs

    def path(self, text: str) -> Any:
        return self.jvm.org.apache.hadoop.fs.Path(text)

    def children(self, folder: str) -> dict[str, str]:
        """name -> full path of the entries of `folder` ({} when it does not exist)."""
        if not self.fs.exists(self.path(folder)):
            return {}
        return {st.getPath().getName(): st.getPath().toString()
                for st in self.fs.listStatus(self.path(folder))}

    def move(self, source: str, target: str) -> None:
        self.fs.mkdirs(self.path(target).getParent())
        self.fs.delete(self.path(target), False)
        if not self.fs.rename(self.path(source), self.path(target)):
            raise OSError(f"cannot move {source} to {target}")

    def write(self, target: str, data: bytes) -> None:
        stream = self.fs.create(self.path(target), True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def remove(self, folder: str) -> None:
        self.fs.delete(self.path(folder), True)


def session(master: str | None = None) -> SparkSession:
    """The active SparkSession, or a new one ("pos-chain-mine") on `master`
    (default: spark-submit's, or local[*])."""
    builder = SparkSession.builder.appName("pos-chain-mine")
    if master:
        active = SparkSession.getActiveSession()
        if active is not None and active.sparkContext.master != master:
            raise ValueError(f"a Spark session on {active.sparkContext.master} is running; "
                             f"cannot start one on {master} beside it")
        builder = builder.master(master)
    return builder.getOrCreate()


def write_parts(input_path: str | Path, params: MineParams, per: str, out: str | Path,
                session: SparkSession | None = None,
                holdout_days: float = 0.0) -> Iterator[tuple[str, int, bool]]:
    """Mines as `mine` does and writes each scope's part, OUT/<name>/mined/, from the
    executors: the item rows and the list rows are repartitioned by scope, sorted,
    and written partitioned by scope, so each scope's rows are one task's one CSV
    file, which the driver then moves into place beside the manifest it writes
    from the scope's totals. Nothing but the totals comes to the driver. With
    `holdout_days`, each part's holdout (mined/holdout/) is mined and written the
    same way after the parts (pos.cli.mine.mine_parts: the other engines' path).
    Yields (name, baskets, is a holdout) per part as it is in place."""
    from pos.chain.lists import Holdout, holdout_cutoff

    check_per(per)
    spark = session if session is not None else SparkSession.builder.getOrCreate()
    root = str(out).rstrip("/")     # as Spark reads paths: a URI, or on the default file system
    files = Files(spark, root)
    holdout = (Holdout(holdout_days, holdout_cutoff(params.ref_time, holdout_days))
               if holdout_days > 0 else None)
    names = []
    for name, baskets in _write_scopes(spark, files, input_path, params, per, root, holdout):
        names.append(name)
        yield name, baskets, False
    if holdout is None:
        return
    held = replace(params, ref_time=holdout.cutoff)
    missing = set(names)
    for name, baskets in _write_scopes(spark, files, input_path, held, per, root, holdout, True):
        missing.discard(name)
        yield name, baskets, True
    for name in sorted(missing):      # no basket before the cutoff: an empty holdout
        _write_scope(files, f"{root}/{name}", MinedLists(per, name, held, 0, 0.0, {}, {},
                                                         holdout=holdout, held_out=True), {})
        yield name, 0, True


HEADERS = {"item_stats": "sku,baskets,weight\n", "neighbours": "sku,partner,count,weight,score\n"}


def _write_scopes(spark: SparkSession, files: Files, input_path: str | Path, params: MineParams,
                  per: str, root: str, holdout: Any, held_out: bool = False
                  ) -> Iterator[tuple[str, int]]:
    """One `write_parts` run: the parts, or (held_out) their holdouts."""
    from pos.chain.native_input import check_name

    staging = f"{root}/_staging-{uuid.uuid4().hex}"
    before = holdout.cutoff if held_out else None
    with configured(spark, per):
        totals, items, lists, bi = tables(spark, input_path, params, per, before)
        try:
            scopes = [(str(r["scope"]), int(r["baskets"]), float(r["weight"]))
                      for r in totals.orderBy("scope").collect()]
            for name, _, _ in scopes:
                check_name(name)
            (items.select("scope", "sku", F.col("c").alias("baskets"), F.col("w").alias("weight"))
             .repartition("scope").sortWithinPartitions("scope", "sku")
             .write.partitionBy("scope").options(**CSV_OPTIONS).csv(f"{staging}/item_stats"))
            (lists.select("scope", F.col("a").alias("sku"), F.col("b").alias("partner"),
                          F.col("c").alias("count"), F.col("wf").alias("weight"), "score", "rk")
             .repartition("scope").sortWithinPartitions("scope", "sku", "rk").drop("rk")
             .write.partitionBy("scope").options(**CSV_OPTIONS).csv(f"{staging}/neighbours"))
        finally:
            bi.unpersist()
    written = {stem: {unquote(name.removeprefix("scope=")): folder
                      for name, folder in files.children(f"{staging}/{stem}").items()
                      if name.startswith("scope=")}
               for stem in HEADERS}
    try:
        for name, baskets, weight in scopes:
            totals_only = MinedLists(per, name, params, baskets, weight, {}, {}, holdout=holdout,
                                     held_out=held_out)
            _write_scope(files, f"{root}/{name}", totals_only,
                         {stem: written[stem].get(name) for stem in HEADERS})
            yield name, baskets
    finally:
        files.remove(staging)


def _write_scope(files: Files, folder: str, lists: MinedLists, staged: dict[str, str | None]) -> None:
    """FOLDER/mined/ (or mined/holdout/): each staged file moved in (the header alone
    where a scope has no rows), then the manifest; a part without a holdout
    removes an earlier run's holdout folder."""
    from pos.chain.part import HOLDOUT, PART, manifest_json

    part = f"{folder}/{PART}" + (f"/{HOLDOUT}" if lists.held_out else "")
    if not lists.held_out and lists.holdout is None:
        files.remove(f"{part}/{HOLDOUT}")
    for stem, header in HEADERS.items():
        source = staged.get(stem)
        csvs = [p for n, p in files.children(source).items() if n.endswith(".csv")] if source else []
        if len(csvs) > 1:
            raise RuntimeError(f"Spark wrote {len(csvs)} files of {stem} for scope '{lists.name}' "
                               "where the repartition by scope gives one")
        if csvs:
            files.move(csvs[0], f"{part}/{stem}.csv")
        else:
            files.write(f"{part}/{stem}.csv", header.encode())
    manifest = manifest_json(lists, "spark")
    files.write(f"{part}/manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())


def main(argv: list[str] | None = None) -> int:
    """spark-submit's entry: mines INPUT into one part per scope, OUT/<name>/mined/."""
    parser = argparse.ArgumentParser(prog="pos.chain.engines.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="CSV file or Parquet file/directory of basket lines")
    parser.add_argument("out", help="where the parts go (a local path, hdfs://, s3a://, ...)")
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
    parser.add_argument("--holdout-days", type=float, default=0.0,
                        help="also mine each part's holdout, of the baskets before ref-time "
                             "minus these days (mined/holdout/; pos mine's default is 60)")
    args = parser.parse_args(argv)
    params = MineParams(top_n=args.top_n, size_cap=args.size_cap, min_count=args.min_count,
                        half_life_days=args.half_life_days, ref_time=args.ref_time,
                        shrinkage=args.shrinkage, list_rank=args.list_rank,
                        rank_damping=args.rank_damping)
    spark = session(args.master)
    for name, baskets, held_out in write_parts(args.input, params, args.per, args.out, spark,
                                               args.holdout_days):
        print(f"{args.out}/{name}/mined{'/holdout' if held_out else ''}: {args.per} {name}: "
              f"{baskets:,} baskets")
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
