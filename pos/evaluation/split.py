"""The time-based hold-out of a dump: train dump (written as files) + test baskets.

``split_dump(dump_dir, out_dir, test_fraction=0.2)`` reads a dump, orders its
baskets by time (a basket's time is its earliest line's; ties keep the order
in which the baskets first appear in baskets.csv), makes the last
``test_fraction`` of them the test baskets and writes the rest as a complete
dump into ``out_dir``: the catalog and the optional files (customers, upgrades,
bundles, rules) copied as they are, baskets.csv with the train baskets' lines
only, and manifest.json with ``export_time`` = the last train basket's time.
``pos load`` of that directory builds exactly the store a shop would have had
at the end of the train period.

Lines the loader would reject (unsplittable rows, a missing basket_id or sku,
an unreadable timestamp) are dropped from both sides. Lines whose sku is not in
the catalog stay in the test baskets (they can only be misses) but are left
out of the train baskets.csv (the loader would reject them).

``read_dump`` + ``window_split(data, out_dir, n_train, n_test)`` do the same
for any window of the time order (train = the first ``n_train`` baskets, test
= the ``n_test`` after them): the rolling slices and the validation slice.
"""
from __future__ import annotations

import csv
import json
import math
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from ..dump.csvfile import find, read_rows
from ..dump.fields import FieldError, parse_decimal, parse_time
from ..dump.manifest import read_manifest
from ..errors import DumpError

__all__ = ["Basket", "DumpBaskets", "Split", "hold_out", "read_dump", "read_dump_baskets",
           "split_dump", "time_order", "window_split"]

OPTIONAL_COPIED = ("customers", "upgrades", "bundles", "rules")


@dataclass
class Basket:
    """One sale: its distinct skus in the order of their lines."""

    id: str
    time: int                       # UTC epoch seconds (the earliest line's)
    items: list[str]
    customer: str | None = None
    order: int = 0                  # first appearance in baskets.csv


@dataclass
class Split:
    """The result of ``split_dump``."""

    train_dir: Path
    train: list[Basket]
    test: list[Basket]
    #: sku -> shelf price in the currency's major units (float)
    prices: dict[str, float]
    currency: str
    has_customers: bool
    export_time: int                # the train manifest's export time
    dropped_lines: int = 0          # lines dropped from both sides (unreadable)
    unknown_sku_lines: int = 0      # lines whose sku is not in the catalog
    notes: list[str] = field(default_factory=list)

    @property
    def catalog_size(self) -> int:
        return len(self.prices)


def _iso(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_catalog_prices(dump_dir: Path) -> dict[str, float]:
    """sku -> price (major units) of every readable catalog row."""
    path = find(dump_dir, "catalog")
    if path is None:
        raise DumpError(f"{dump_dir}: no catalog.csv or catalog.csv.gz")
    header, rows = read_rows(path)
    header.require("sku", "price")
    prices: dict[str, float] = {}
    for row in rows:
        if row.fields is None or not row.fields["sku"]:
            continue
        try:
            price = parse_decimal(row.fields["price"])
        except (FieldError, ValueError, ArithmeticError):
            price = Decimal(0)
        prices.setdefault(row.fields["sku"], float(price))
    return prices


def read_dump_baskets(dump_dir: Path):
    """(header columns, {basket_id: [rows' field dicts]}, baskets, dropped lines).

    ``baskets`` are in file order of first appearance (``Basket.order``).
    """
    dump_dir = Path(dump_dir)
    manifest, _ = read_manifest(dump_dir)
    zone = manifest.zone
    path = find(dump_dir, "baskets")
    if path is None:
        raise DumpError(f"{dump_dir}: no baskets.csv or baskets.csv.gz")
    header, rows = read_rows(path)
    header.require("basket_id", "sku", "timestamp")
    has_customer = "customer_id" in header.columns
    lines: dict[str, list[dict]] = {}
    baskets: dict[str, Basket] = {}
    seen_items: dict[str, set] = {}
    dropped = 0
    time_cache: dict[str, int] = {}
    for row in rows:
        f = row.fields
        if f is None or not f["basket_id"] or not f["sku"]:
            dropped += 1
            continue
        ts = f["timestamp"]
        t = time_cache.get(ts)
        if t is None:
            try:
                t = parse_time(ts, zone)
            except FieldError:
                dropped += 1
                continue
            time_cache[ts] = t
        bid = f["basket_id"]
        b = baskets.get(bid)
        if b is None:
            b = baskets[bid] = Basket(bid, t, [], None, len(baskets))
            lines[bid] = []
            seen_items[bid] = set()
        elif t < b.time:
            b.time = t
        lines[bid].append(f)
        sku = f["sku"]
        if sku not in seen_items[bid]:
            seen_items[bid].add(sku)
            b.items.append(sku)
        if has_customer and b.customer is None and f.get("customer_id"):
            b.customer = f["customer_id"]
    return list(header.columns), lines, list(baskets.values()), dropped


def time_order(baskets: list[Basket]) -> list[Basket]:
    """Baskets by time; ties by first appearance in the file."""
    return sorted(baskets, key=lambda b: (b.time, b.order))


@dataclass
class DumpBaskets:
    """A dump read once (``read_dump``): its baskets in time order and what
    writing a train dump of any prefix of them needs."""

    dump_dir: Path
    prices: dict[str, float]
    currency: str
    has_customers: bool
    columns: list[str]
    lines: dict[str, list[dict]]
    ordered: list[Basket]           # time order (ties: first appearance in the file)
    dropped: int
    read_seconds: float = 0.0


def read_dump(dump_dir) -> DumpBaskets:
    """Read ``dump_dir``'s catalog prices and baskets (ordered by time)."""
    dump_dir = Path(dump_dir)
    manifest, _ = read_manifest(dump_dir)
    prices = read_catalog_prices(dump_dir)
    columns, lines, baskets, dropped = read_dump_baskets(dump_dir)
    has_customers = (find(dump_dir, "customers") is not None
                     or any(b.customer for b in baskets))
    return DumpBaskets(dump_dir, prices, manifest.currency, has_customers, columns, lines,
                       time_order(baskets), dropped)


def hold_out(n: int, fraction: float) -> int:
    """How many of ``n`` baskets a hold-out of ``fraction`` takes: ceil(n * fraction),
    at least 1 and at most n - 1."""
    if not 0 < fraction < 1:
        raise ValueError("the hold-out fraction must be between 0 and 1")
    return min(n - 1, max(1, math.ceil(n * fraction)))


def window_split(data: DumpBaskets, out_dir, n_train: int, n_test: int) -> Split:
    """Train = the first ``n_train`` baskets by time (written as a dump into
    ``out_dir``), test = the ``n_test`` baskets after them."""
    ordered = data.ordered
    if n_train < 1 or n_test < 1 or n_train + n_test > len(ordered):
        raise DumpError(f"{data.dump_dir}: cannot take {n_train} train and {n_test} test "
                        f"baskets of {len(ordered)}")
    train, test = ordered[:n_train], ordered[n_train:n_train + n_test]
    dump_dir, out = data.dump_dir, Path(out_dir)
    prices, lines, columns = data.prices, data.lines, data.columns

    out.mkdir(parents=True, exist_ok=True)
    for existing in out.iterdir():
        if existing.is_file():
            existing.unlink()
    catalog = find(dump_dir, "catalog")
    if catalog is None:
        raise DumpError(f"{dump_dir}: catalog.csv (or catalog.csv.gz) is missing")
    shutil.copyfile(catalog, out / catalog.name)
    for stem in OPTIONAL_COPIED:
        src = find(dump_dir, stem)
        if src is not None:
            shutil.copyfile(src, out / src.name)

    unknown = 0
    with open(out / "baskets.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for b in sorted(train, key=lambda b: b.order):   # the file's own order
            for f in lines[b.id]:
                if f["sku"] not in prices:
                    unknown += 1
                    continue
                w.writerow([f.get(c, "") for c in columns])
    for b in test:
        unknown += sum(1 for f in lines[b.id] if f["sku"] not in prices)

    export_time = train[-1].time
    manifest: dict = {}
    src_manifest = dump_dir / "manifest.json"
    if src_manifest.exists():
        manifest = json.loads(src_manifest.read_text(encoding="utf-8-sig"))
    manifest["export_time"] = _iso(export_time)
    manifest.setdefault("notes", [])
    if isinstance(manifest["notes"], list):
        manifest["notes"].append(f"pos eval: train split, the first {len(train)} of "
                                 f"{len(ordered)} baskets by time")
    with open(out / "manifest.json", "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return Split(out, train, test, prices, data.currency, data.has_customers, export_time,
                 data.dropped, unknown)


def split_dump(dump_dir, out_dir, test_fraction: float = 0.2) -> Split:
    """Split ``dump_dir`` by time and write the train dump into ``out_dir``
    (created if needed; files already in it are removed first).

    The test set is the last ``ceil(n * test_fraction)`` baskets by time
    (at least one when there are two baskets or more; none of them when there is one).
    """
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be between 0 and 1")
    data = read_dump(dump_dir)
    n = len(data.ordered)
    if n < 2:
        raise DumpError(f"{dump_dir}: {n} basket(s); a hold-out needs at least 2")
    n_test = hold_out(n, test_fraction)
    return window_split(data, out_dir, n - n_test, n_test)
