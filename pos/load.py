"""The nightly load: a head-office dump in, a checked and published store out.

Order of work: take the store's lock; read the manifest, catalog and optional
files (and head office's lists in mined/, pos.chain: used instead of mining, or
blended under the store's baskets); stream baskets.csv through the C parser and
mine pair counts in C, while a thread writes the catalog's tables into a fresh
store file beside the target;
then write the mined lists into it (with the latest baskets, for the
similar-baskets term); backtest the scorers on the latest baskets and keep the
choice in it (pos.backtest; with head office's holdout lists, mined/holdout/,
split at its cutoff and with the lists built as the load built them, plus the
source variants: docs/mining.md); check it; publish it (see store/publish.py).
Any failure before publishing leaves the published store exactly as it was.
"""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .background import Background
from .backtest import Choice, run_backtest, time_order
from .backtest.family import MINED, SOURCES, FamilyBuilder, subset
from .chain.part import PART, read_holdout
from .chain.part_reader import NativePart, read_part_native
from .chain.prior import Blend, blend_params, mode, restore_lists, scale
from .dump.basket_parser import (
    OPTIONAL_COLUMNS,
    POS_ROW_UNKNOWN_SKU,
    REQUIRED_COLUMNS,
    BasketParser,
    Baskets,
    LineLimits,
    LineTooLong,
    ParserStats,
    RowProblem,
)
from .dump.catalog import Catalog, read_catalog
from .dump.csvfile import ByteStream, find, read_header
from .dump.extras import Extras, read_extras
from .dump.manifest import Manifest, read_manifest
from .dump.plausible import Plausibility, check_export_time, line_limits, price_ceiling
from .dump.problems import Problem, ProblemLog
from .errors import DumpError, StoreError
from .history import customer_history
from .mining import MineParams, Miner, MinerStats
from .progress import NullProgress, Progress, no_checkpoint
from .store.engine_data import read_engine_data
from .store.publish import LoadLock, building_path, check_store, publish, remove_database
from .store.writer import MinedData, open_build, recent_chunks, write_dump, write_mined

CHUNK = 8 << 20
MAX_LINE = 16 << 20     # bytes of a line of baskets.csv, at most: a longer one refuses the file


@dataclass
class LoadOptions:
    max_bad_rows: float = 0.01      # fraction of a file's rows that may be rejected
    top_n: int = 100
    half_life_days: float = 180.0   # 0 = no recency weighting
    size_cap: int = 30
    min_count: int = 1
    shrinkage: float = 5.0
    rank_damping: float | None = None  # beta of list_rank "damped"
    list_rank: str | None = None    # "added-value", "damped" or "balanced" (docs/mining.md);
                                    # None: "damped" when rank_damping is given, else added value
    workers: int = 2
    rejects: Path | None = None     # default: STORE.db.rejects.csv beside the store
    currency_exponent: tuple[int, str] | None = None  # (decimals, where) from store.toml
    recent_baskets: int = 200_000   # the latest baskets kept for the similar-baskets term
    backtest: bool = True           # choose the scorer on the latest baskets (pos.backtest)
    backtest_sample: int = 500      # test baskets per backtest slice, at most
    publish_pages: int = 4096       # pages per step of the publishing copy
    plausible: Plausibility = field(default_factory=Plausibility)   # ceilings, time window
    mined: str | None = None        # the dump's mined/ lists: "use", "blend" or "ignore";
                                    # None: use a store's own, blend a region's or the chain's
    prior_weight: float = 1.0       # multiplies s, the blend's scale (docs/mining.md)


@dataclass
class LoadReport:
    db: Path
    outcome: str = ""               # 'created' | 'replaced'
    counts: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)   # file -> rows rejected
    rows: dict[str, int] = field(default_factory=dict)       # file -> rows read
    problems: list[Problem] = field(default_factory=list)    # the first problems, to show
    problem_count: int = 0
    rejects: Path | None = None
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    backtest: Choice | None = None  # the scorer the backtest chose, its figures


def default_rejects(db: Path) -> Path:
    return db.with_name(db.name + ".rejects.csv")


def load_dump(dump_dir: Path, db: Path, options: LoadOptions | None = None,
              progress: Progress | None = None,
              checkpoint: Callable[[str], None] = no_checkpoint) -> LoadReport:
    """Loads the dump into a new store and publishes it over `db`; a refused or
    failed load leaves `db` as it was. `checkpoint(name)` is called after each
    step (catalog, baskets, mining, write, check) and between the pages of the
    publishing copy (publish-mid): the crash tests stop the process there."""
    options = options or LoadOptions()
    progress = progress or NullProgress()
    dump_dir, db = Path(dump_dir), Path(db)
    if not dump_dir.is_dir():
        raise DumpError(f"{dump_dir}: no such dump directory")
    report = LoadReport(db=db, seconds=progress.seconds)
    report.rejects = options.rejects or default_rejects(db)
    report.rejects.unlink(missing_ok=True)
    log = ProblemLog(report.rejects, threshold=options.max_bad_rows)
    with LoadLock(db):
        built = building_path(db)
        remove_database(built)          # leftovers of a killed load
        try:
            _load_locked(dump_dir, db, built, options, progress, log, report, checkpoint)
        finally:
            log.close()
            remove_database(built)
            report.problems, report.problem_count = log.shown, log.count
            report.rejected = {f: t.rejected for f, t in log.tallies.items()}
            report.rows = {f: t.rows for f, t in log.tallies.items()}
    return report


def _write_failed(built: Path, exc: sqlite3.Error) -> StoreError:
    free = shutil.disk_usage(built.parent).free
    return StoreError(f"{built}: writing the new store failed: {exc} "
                      f"({free / 1e6:,.1f} MB free on that disk)")


def _write_catalog(store: sqlite_utils.Database, catalog: Catalog, extras: Extras,
                   progress: Progress) -> None:
    with progress.step("writing catalog", len(catalog.products), "rows") as step:
        write_dump(store, catalog, extras, tick=step.advance)


def _load_locked(dump_dir: Path, db: Path, built: Path, options: LoadOptions,
                 progress: Progress, log: ProblemLog, report: LoadReport,
                 stop_point: Callable[[str], None]) -> None:
    manifest, notes = read_manifest(dump_dir, options.currency_exponent)
    check_export_time(options.plausible, manifest)
    report.notes.extend(notes)
    catalog_path = find(dump_dir, "catalog")
    baskets_path = find(dump_dir, "baskets")
    if catalog_path is None or baskets_path is None:
        stem = "catalog" if catalog_path is None else "baskets"
        raise DumpError(f"{dump_dir}: {stem}.csv (or {stem}.csv.gz) is missing")

    with progress.step("catalog", None, "rows") as step:
        catalog = read_catalog(catalog_path, manifest, log, tick=step.advance,
                               max_price=price_ceiling(options.plausible, manifest))
        log.check_threshold(catalog_path.name)
    report.notes.extend(catalog.notes)
    stop_point("catalog")
    with progress.step("optional files", None, "rows"):
        extras = read_extras(dump_dir, catalog, manifest, log)
        for name in extras.files:
            log.check_threshold(name)
    report.notes.extend(extras.notes)
    part = holdout = None
    if options.mined != "ignore" and (dump_dir / PART).is_dir():
        with progress.step("precomputed lists", None, "rows"):
            part = read_part_native(dump_dir, catalog, log, report.notes)
            if options.backtest:
                holdout = read_holdout(dump_dir, catalog, log, part, report.notes,
                                       reader=read_part_native)

    try:
        store = open_build(built)
    except sqlite3.Error as exc:
        raise _write_failed(built, exc) from None
    try:
        # the catalog's tables are written beside the baskets' parsing and mining
        # (SQLite and the C core both run without the GIL): the load's longest steps
        writer = Background(_write_catalog, store, catalog, extras, progress)
        try:
            parser = _read_baskets(baskets_path, catalog, manifest, log, progress,
                                   line_limits(options.plausible, manifest, catalog))
            stop_point("baskets")
            stats = parser.stats()
            arrays = parser.baskets()
            ref_time = manifest.export_time if manifest.export_time is not None else stats.max_time
            params = MineParams(top_n=options.top_n, size_cap=options.size_cap,
                                min_count=options.min_count, half_life_days=options.half_life_days,
                                ref_time=ref_time, shrinkage=options.shrinkage,
                                workers=options.workers, rank_damping=options.rank_damping,
                                list_rank=options.list_rank)
            n_items = len(catalog.products)
            miner, blend = _mine(arrays, part, catalog, params, options, stats, progress)
            if blend is not None and blend.source == "use":
                params = miner.params
                report.notes.append(f"mined/: the lists head office mined ({blend.scope} "
                                    f"{blend.name}) are used instead of mining the baskets")
            elif blend is not None:
                report.notes.append(f"mined/: the {blend.scope} {blend.name}'s lists blended "
                                    f"under this store's baskets, scaled by s = {blend.scale:.4g}")
            mined_stats = miner.stats()
            stop_point("mining")
        except BaseException:
            writer.join(reraise=False)   # this error, not the writer's, is the news
            raise
        writer.join()                    # re-raises what the writer raised

        lists = miner.neighbour_lists()
        order = time_order(arrays.times, arrays.n_baskets)   # the recent baskets', the backtest's
        recent = order[max(0, len(order) - options.recent_baskets):] if options.recent_baskets else []
        recent_offsets, recent_items, _ = subset(arrays.offsets, arrays.items, arrays.times, recent)
        with progress.step("writing lists", n_items, "rows") as step:
            counts, weights = miner.item_counts()
            history = customer_history(arrays.offsets, arrays.items, arrays.times,
                                       arrays.customers, arrays.n_baskets, stats.customers)
            customer_ids = parser.customer_ids()
            write_mined(store, MinedData(
                item_counts=zip(range(n_items), counts, weights),
                neighbour_blobs=lists.blobs(skip_empty=True),
                customer_blobs=history.blobs(customer_ids),
                meta=_meta(manifest, catalog, options, params, stats, mined_stats, ref_time, blend),
                recent=recent_chunks(recent_offsets, recent_items),
            ), tick=step.advance)
        if options.backtest:
            report.backtest = _backtest(store.conn, arrays, order, params, options, progress,
                                        catalog, blend, holdout, report.notes)
            store.table("meta").upsert({"key": "backtest",
                                        "value": report.backtest.to_json(timings=False)}, pk="key")
    except sqlite3.Error as exc:
        raise _write_failed(built, exc) from None
    finally:
        store.conn.close()
    stop_point("write")

    expected = {
        "products": len(catalog.products),
        "barcodes": catalog.barcodes,
        "customers": len(extras.customers),
        "upgrades": len(extras.upgrades),
        "bundles": len(extras.bundles),
        "rules": len(extras.rules),
        "categories": len(extras.categories),
        "item_stats": n_items,
        "neighbours": sum(1 for item in range(n_items) if lists.count(item)),
        "customer_history": sum(1 for _ in history.blobs(customer_ids)),
    }
    with progress.step("checking", None, "steps"):
        check_store(built, expected)
    stop_point("check")

    with progress.step("publishing", None, "pages") as step:
        def published(done: int, total: int) -> None:
            step.update(done, total)
            if done < total:
                stop_point("publish-mid")

        report.outcome = publish(built, db, progress=published, pages=options.publish_pages)
    report.counts = {
        **expected,
        "baskets": stats.baskets,
        "basket lines": stats.lines_ok,
        "pairs": mined_stats.pairs,
        "neighbour entries": mined_stats.neighbours,
        "loyalty customers in history": stats.customers,
    }


def _mine(arrays: Baskets, part: NativePart | None, catalog: Catalog, params: MineParams,
          options: LoadOptions, stats: ParserStats, progress: Progress
          ) -> tuple[Miner, Blend | None]:
    """The load's miner: the store's own baskets mined; or the dump's lists used
    instead; or blended under the own baskets (pos.chain.prior, docs/mining.md)."""
    n_items = len(catalog.products)
    how = mode(part, options.mined) if part is not None else None
    if part is not None and how == "use":
        miner = Miner(n_items, replace(part.params, workers=options.workers))
        with progress.step("restoring lists", None, "items"):
            restore_lists(miner, part, catalog.items)
        part.close()                    # the lists are in the miner now
        return miner, Blend("use", part.scope, part.name, 1.0)
    blend = None
    miner = Miner(n_items, params)
    if part is not None:
        blend_params(part.params, params)
        s = scale(stats.baskets, part.baskets, options.prior_weight)
        with progress.step("restoring the prior", None, "items"):
            restore_lists(miner, part, catalog.items, s)
        part.close()
        blend = Blend("blend", part.scope, part.name, s)
    with progress.step("mining pairs", n_items, "items") as step:
        miner.add_baskets(arrays.offsets, arrays.items, arrays.times,
                          progress=lambda done, total: step.update(done, total))
    return miner, blend


def _read_baskets(path: Path, catalog: Catalog, manifest: Manifest, log: ProblemLog,
                  progress: Progress, limits: LineLimits) -> BasketParser:
    with ByteStream(path) as stream:
        first = stream.read(CHUNK)
        header = read_header(path.name, first)
        header.require(*REQUIRED_COLUMNS)
        columns = {c: header.index(c) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
                   if header.index(c) >= 0}
        parser = BasketParser(columns, len(header.columns), header.delimiter, first_line=2,
                              timezone=manifest.timezone)
        parser.add_skus(catalog.items.items())
        parser.set_limits(limits)
        tally = log.tally(path.name)
        with progress.step("baskets", stream.compressed_size(), "bytes") as step:
            problems = parser.feed_stream(
                stream, CHUNK, pending=first[header.length:],
                on_chunk=lambda: step.update(stream.compressed_position()), max_line=MAX_LINE)
            for problem in _no_long_line(problems, stream):
                reason = problem.reason
                if problem.code == POS_ROW_UNKNOWN_SKU and problem.value in catalog.rejected:
                    reason = (f"sku '{problem.value}' was rejected in the catalog "
                              f"(line {catalog.rejected[problem.value]})")
                log.reject(path.name, problem.line, problem.raw.decode("utf-8", "backslashreplace"),
                           [(problem.column, reason)])
    stats = parser.stats()
    tally.rows = stats.lines
    if stats.lines == 0:
        raise DumpError(f"{path.name}: no basket lines (the file has only a header)")
    log.check_threshold(path.name)
    return parser


def _no_long_line(problems: Iterator[RowProblem], stream: ByteStream) -> Iterator[RowProblem]:
    """The parser's problems; a line over MAX_LINE refuses the file (DumpError)."""
    try:
        yield from problems
    except LineTooLong:
        # every line end read so far is before the long line
        raise DumpError(f"{stream.name}:{stream.lines_read + 1}: row: a line longer than "
                        f"{MAX_LINE >> 20} MB: the file is damaged or not a baskets file") from None


def _backtest(conn: sqlite3.Connection, arrays: Baskets, order: list[int], params: MineParams,
              options: LoadOptions, progress: Progress, catalog: Catalog,
              blend: Blend | None, holdout: NativePart | None, notes: list[str]) -> Choice:
    """The nightly backtest (pos.backtest) on the store being built. With head
    office's holdout lists: split at its cutoff, the lists built as the load
    built them (`blend`: used, blended, or the own baskets'), and the source
    variants compared; a note when the source in force lost (docs/mining.md,
    "The backtest of head office's lists"). Without: the latest baskets against
    the store's own mining, and, with a part, a note that it was not evaluated."""
    data, texts = read_engine_data(conn, neighbours=False)
    prices = [float(p) for p in data.price]
    with progress.step("backtest", None, "steps") as step:
        if holdout is not None and holdout.holdout is not None:
            in_force = ("own" if blend is None else
                        "head-office" if blend.source == "use" else "blend")
            build = FamilyBuilder(arrays, data, texts, params, options.recent_baskets,
                                  head_office=holdout, items=catalog.items, in_force=in_force,
                                  prior_weight=options.prior_weight)
            choice = run_backtest(arrays, build, sample=options.backtest_sample, prices=prices,
                                  refine=build.refine, order=order,
                                  progress=lambda what: step.advance(1),
                                  cutoff=holdout.holdout.cutoff, compare=build.sources)
            if not choice.skipped:
                choice.notes.extend(build.notes)
                notes.extend(_source_notes(choice, holdout))
                return choice
            notes.append(f"mined/holdout/: head office's lists were not evaluated "
                         f"({choice.skipped}); the backtest ran on the latest baskets")
        elif blend is not None:
            notes.append("mined/: head office's lists were not evaluated: the part has no "
                         "holdout (mined/holdout/; pos mine --holdout-days)")
        build = FamilyBuilder(arrays, data, texts, params, options.recent_baskets)
        return run_backtest(arrays, build, sample=options.backtest_sample, prices=prices,
                            refine=build.refine, order=order,
                            progress=lambda what: step.advance(1))


def _source_notes(choice: Choice, holdout: NativePart) -> list[str]:
    """A note when the source of lists in force lost to another with the whole
    95% interval of the difference above 0 (naming the --mined choice to load
    with), else one line with the sources' figures."""
    if choice.source is None or not choice.sources:
        return []
    assert holdout.holdout is not None
    by_name = {name: source for source, name in SOURCES.items()}
    mine = choice.sources[choice.source]
    cutoff = datetime.fromtimestamp(holdout.holdout.cutoff, timezone.utc).strftime("%Y-%m-%d")
    better = [f for name, f in choice.sources.items() if name != choice.source and f.low > 0]
    if better:
        best = max(better, key=lambda f: (f.low, f.diff))
        return [f"backtest: the lists of --mined {MINED[by_name[choice.source]]} "
                f"({choice.source}, in force) hit {mine.hit3:.1%} of the baskets after "
                f"{cutoff}, {best.name} {best.hit3:.1%} (difference {best.diff:+.3f}, 95% "
                f"interval [{best.low:+.3f}, {best.high:+.3f}]): load with --mined "
                f"{MINED[by_name[best.name]]}"]
    return ["backtest of head office's lists (after " + cutoff + "): " + ", ".join(
        f"{name} {f.hit3:.1%}" for name, f in choice.sources.items()) +
        f"; {choice.source} (in force) is not beaten"]


def _meta(manifest: Manifest, catalog: Catalog, options: LoadOptions, params: MineParams,
          stats: ParserStats, mined_stats: MinerStats, export_time: int,
          blend: Blend | None) -> dict[str, object]:
    source: dict[str, object] = (
        {"source": "own baskets"} if blend is None else
        {"source": {"use": "head office's lists", "blend": "own baskets over head office's "
                    "lists"}[blend.source], "scope": blend.scope, "name": blend.name,
         "scale": blend.scale})
    return {
        "store_name": manifest.store_name,
        "currency": manifest.currency,
        "currency_exponent": manifest.exponent,
        "currency_exponent_from": manifest.exponent_from,
        "locale": manifest.locale,
        "timezone": manifest.timezone,
        "export_time": export_time,
        "languages": list(catalog.languages),
        "history_from": stats.min_time,
        "history_to": stats.max_time,
        "baskets": stats.baskets,
        "basket_lines": stats.lines_ok,
        "basket_weight": mined_stats.weight,
        "pairs": mined_stats.pairs,
        "mining": {"top_n": params.top_n, "size_cap": params.size_cap,
                   "min_count": params.min_count, "half_life_days": params.half_life_days,
                   "shrinkage": params.shrinkage, "ref_time": params.ref_time,
                   "measure": {"added-value": "shrunk added value",
                               "damped": f"damped confidence (beta {params.rank_damping})",
                               "balanced": "balanced: max of shrunk confidence and lift, "
                                           "each relative to the item's best partner"
                               }[params.rank], **source},
    }
