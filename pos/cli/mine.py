"""`pos mine --engine native --input BASKETS.csv --out DIR --per store|region|chain`:
head office mines the chain's basket lines into one dump part (mined/) per
store, per region or for the whole chain (pos.chain; docs/dump-format.md,
"Precomputed lists"). The DuckDB and Spark engines are imported only when
asked for (the chain extra). With --holdout-days D (default 60) each engine
mines the input a second time, from the baskets before the cutoff
ref_time - D days, into OUT/<name>/mined/holdout/: what a store's backtest
evaluates head office's lists on (docs/chain.md, "The holdout")."""
from __future__ import annotations

import importlib
from datetime import timezone
from pathlib import Path

from ..errors import EXIT_OK, UsageError
from ..mining import MineParams
from .load import add_mining_arguments, check_list_rank
from .types import iso_time, non_negative

ENGINES = ("native", "duckdb", "spark")
HOLDOUT_DAYS = 60.0     # docs/chain.md, "The holdout": why 60


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
    p.add_argument("--holdout-days", type=non_negative, default=HOLDOUT_DAYS, metavar="D",
                   help="also mine the baskets before ref_time - D days into "
                        "mined/holdout/, for the stores' backtest of head office's lists "
                        f"(default {HOLDOUT_DAYS:g}; 0: no holdout)")
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
    if args.engine != "native" and ref_time is None and (args.half_life or args.holdout_days):
        raise UsageError(f"--engine {args.engine} needs --ref-time (or --half-life 0 "
                         "--holdout-days 0); only the native engine finds the latest "
                         "time itself")
    written = 0
    if args.engine == "spark":      # the executors write the parts (pos.chain.engines.spark)
        spark = engine_module("spark")
        try:
            session = spark.session(args.master)
        except ValueError as exc:
            raise UsageError(f"--master: {exc}") from None
        for name, baskets, held_out in spark.write_parts(args.input, params, args.per, args.out,
                                                         session, args.holdout_days):
            written += not held_out
            print(f"{args.out.rstrip('/')}/{name}/mined{'/holdout' if held_out else ''}: "
                  f"{args.per} {name}: {baskets:,} baskets")
        print(f"{written} part{'s' if written != 1 else ''} written to {args.out}")
        return EXIT_OK
    source, out = Path(args.input), Path(args.out)
    if args.engine == "native":
        scopes, latest = native_input.read_lines(source, args.per)   # read once

        def mine(p: MineParams, before: int | None):
            return native_input.mine_lines(scopes, latest, p, args.per,
                                           ref_time if before is None else before, before)
    else:
        module = engine_module(args.engine)

        def mine(p: MineParams, before: int | None):
            if before is None:
                return module.mine(source, p, args.per)
            return module.mine(source, p, args.per, before=before)
    for lists in mine_parts(mine, params, args.holdout_days):
        folder = write_part(lists, out / native_input.check_name(lists.name), args.engine)
        written += not lists.held_out
        print(f"{folder}: {lists.scope} {lists.name}{' (holdout)' if lists.held_out else ''}: "
              f"{lists.baskets:,} baskets, {len(lists.items):,} items, "
              f"{sum(map(len, lists.neighbours.values())):,} list entries")
    print(f"{written} part{'s' if written != 1 else ''} written to {args.out}")
    return EXIT_OK
    print(f"{written} part{'s' if written != 1 else ''} written to {args.out}")
    return EXIT_OK


def mine_parts(mine, params: MineParams, holdout_days: float):
    """The parts `mine(params, before)` yields (before None), each with its holdout
    when holdout_days > 0; then, when there is one, each holdout part:
    `mine(params with ref_time = cutoff, before=cutoff)`, cutoff = the parts'
    ref_time - holdout_days days (an empty holdout part for a scope with no
    basket before it). The engines' shared path (docs/chain.md, "The holdout")."""
    from dataclasses import replace

    from ..chain.lists import Holdout, MinedLists, holdout_cutoff

    names: list[MinedLists] = []
    holdout = None
    for lists in mine(params, None):
        if holdout_days > 0:
            holdout = Holdout(holdout_days, holdout_cutoff(lists.params.ref_time, holdout_days))
            lists.holdout = holdout
            names.append(replace(lists, items={}, neighbours={}))
        yield lists
    if holdout is None:
        return
    held_params = replace(names[0].params, ref_time=holdout.cutoff)
    missing = {m.name: m for m in names}
    for lists in mine(held_params, holdout.cutoff):
        missing.pop(lists.name, None)
        yield replace(lists, params=held_params, holdout=holdout, held_out=True)
    for name in sorted(missing):
        yield MinedLists(missing[name].scope, name, held_params, 0, 0.0, {}, {},
                         holdout=holdout, held_out=True)
