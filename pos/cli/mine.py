"""`pos mine --engine native --input BASKETS.csv --out DIR --per store|region|chain`:
head office mines the chain's basket lines into one dump part (mined/) per
store, per region or for the whole chain (pos.chain; docs/dump-format.md,
"Precomputed lists"). The DuckDB and Spark engines are imported only when
asked for (the chain extra)."""
from __future__ import annotations

import importlib
from datetime import timezone
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from .load import add_mining_arguments, check_list_rank
from .types import iso_time

ENGINES = ("native", "duckdb", "spark")


def add_parser(sub) -> None:
    p = sub.add_parser("mine", help="mine the chain's baskets into dump parts (mined/) for the "
                                    "stores' loads",
                       description="Mine basket lines (basket_id, sku, timestamp, store_id "
                                   "[, region]) per store, per region or for the chain, and "
                                   "write one mined/ part each: OUT/<store_id>/mined/, "
                                   "OUT/<region>/mined/ or OUT/chain/mined/.")
    p.add_argument("--engine", choices=ENGINES, default="native",
                   help="native: the C miner, in memory (default); duckdb or spark: the "
                        "chain extra's engines")
    p.add_argument("--input", required=True, metavar="BASKETS_CSV",
                   help="the basket lines: columns basket_id, sku, timestamp, store_id "
                        "and, for --per region, region (others ignored); times without an "
                        "offset are UTC")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="where the parts go, one folder per store, region or chain (Spark: "
                        "also hdfs://, s3a://, ... as its cluster reads them)")
    p.add_argument("--per", choices=("store", "region", "chain"), default="store",
                   help="one part per store (default), per region or one for the chain")
    p.add_argument("--master", metavar="URL",
                   help="--engine spark: the Spark master (default: the active session's, "
                        "spark-submit's, or local[*])")
    add_mining_arguments(p, "--ref-time")
    p.add_argument("--ref-time", type=iso_time, metavar="TIME",
                   help="the time recency counts back from, ISO 8601 (no offset: UTC); "
                        "default: the input's latest time (native engine only)")
    p.set_defaults(run=run)


def engine_module(name: str):
    """pos.chain.engines.NAME, or UsageError saying how to get it."""
    try:
        return importlib.import_module(f"pos.chain.engines.{name}")
    except ImportError as exc:
        raise UsageError(f"--engine {name}: not available: pip install the chain extra "
                         f"(pip install 'pos[chain]'; {exc})") from None


def run(args) -> int:
    from ..chain import native_input
    from ..chain.part import write_part
    from ..dump.fields import parse_time
    from ..mining import MineParams

    check_list_rank(args.rank_damping, args.list_rank)
    ref_time = parse_time(args.ref_time, timezone.utc) if args.ref_time else None
    try:
        params = MineParams(top_n=args.top_n, size_cap=args.size_cap, min_count=args.min_count,
                            half_life_days=args.half_life, ref_time=ref_time or 0,
                            rank_damping=args.rank_damping, list_rank=args.list_rank)
    except ValueError as exc:
        raise UsageError(str(exc).removeprefix("MineParams.")) from None
    if args.master and args.engine != "spark":
        raise UsageError("--master is Spark's: use it with --engine spark")
    if args.engine != "native" and ref_time is None and args.half_life:
        raise UsageError(f"--engine {args.engine} needs --ref-time (or --half-life 0); "
                         "only the native engine finds the latest time itself")
    written = 0
    if args.engine == "spark":
        spark = engine_module("spark")
        for name, baskets in spark.write_parts(args.input, params, args.per, args.out,
                                               spark.session(args.master)):
            written += 1
            print(f"{args.out.rstrip('/')}/{name}/mined: {args.per} {name}: {baskets:,} baskets")
    else:
        out = Path(args.out)
        source = Path(args.input)
        parts = (native_input.mine(source, params, args.per, ref_time) if args.engine == "native"
                 else engine_module(args.engine).mine(source, params, args.per))
        for lists in parts:
            folder = write_part(lists, out / native_input.check_name(lists.name), args.engine)
            written += 1
            print(f"{folder}: {lists.scope} {lists.name}: {lists.baskets:,} baskets, "
                  f"{len(lists.items):,} items, {sum(map(len, lists.neighbours.values())):,} "
                  "list entries")
    print(f"{written} part{'s' if written != 1 else ''} written to {args.out}")
    return EXIT_OK
