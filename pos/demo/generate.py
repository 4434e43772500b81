"""Generating the demo dump: `generate` (catalog, extras, customers, a year of
baskets, the files) and `main`, the command line of scripts/make-demo-store and
`python -m pos.demo`.

The dump follows docs/dump-format.md. The same seed and arguments give
byte-identical files: every random draw comes from seeded random.Random
instances, nothing iterates a set, and every file is written in a sorted order.

What is in the store:
  * ~2,700 products (data/departments/*.toml): electronics with tier ladders
    (phones by storage, earbuds basic/pro, laptops, tablets, TVs by size) and
    their accessories, groceries with natural complements and pack-size ladders,
    beverages (some age restricted), household, health & beauty, baby, a
    Christmas, summer and Easter range, and service plans sold only through
    manager rules.
  * names in en/nb/sv/hu/he composed from the data's translations; pitches on
    about a third of the products; the names of the categories the manager rules
    trigger on (categories.csv), for the rules' reasons.
  * valid GTIN-13 barcodes from made-up Norwegian company prefixes (7049...),
    23-prefixed variable-weight codes for weighed goods, a few items with two
    barcodes (one a UPC-A).
  * a year of baskets up to the export time, simulated from shopping missions
    (pasta night, taco Friday, breakfast, phone + accessories...), weekly,
    daily and seasonal rhythms, and ~2,000 loyalty customers with habits.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from ..errors import PosError
from .catalog import build_catalog, finish_catalog
from .customers import build_customers
from .dates import windows
from .extras import FRUIT_OF_THE_WEEK, build_bundles, build_rules, build_upgrades
from .history import simulate
from .settings import DEFAULT_EXPORT, STORE_NAME, TZ, UTC
from .write import write_dump


def parse_export_time(text):
    if text == "now":
        return dt.datetime.now(UTC).replace(microsecond=0)
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r}") from None
    if t.tzinfo is None:           # no offset: the store's local time, as in the dump format
        t = t.replace(tzinfo=TZ)
    return t.astimezone(UTC).replace(microsecond=0)


def positive(text):
    n = int(text)
    if n <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return n


def protected_skus(upgrades, bundles, rules):
    """The skus deals, rules and upgrades refer to: they stay active and in stock."""
    protected = set(FRUIT_OF_THE_WEEK)
    for _, _, skus, *_ in bundles:
        protected.update(skus.split("|"))
    for r in rules:
        protected.update(x for x in (r[1], r[3]) if x)
    for a, b, _ in upgrades:
        protected.update((a, b))
    return protected


def generate(out, *, seed=7, baskets=40000, export_utc=None, customers=2000):
    """Writes the demo dump to `out` and returns a one-line summary of it. The same
    arguments give byte-identical files; `export_utc` (an aware datetime) defaults to
    DEFAULT_EXPORT."""
    t0 = time.monotonic()
    export_utc = export_utc or parse_export_time(DEFAULT_EXPORT)
    export_local = export_utc.astimezone(TZ)
    start_local = (export_utc - dt.timedelta(days=365)).astimezone(TZ)

    C = build_catalog(seed)
    upgrades = build_upgrades(C)
    W = windows(export_local)
    bundles = build_bundles(C, W)
    rules = build_rules(C, W, export_local)
    finish_catalog(C, seed, protected_skus(upgrades, bundles, rules))
    members = build_customers(C, seed, customers)
    history = simulate(C, members, baskets, seed, start_local, export_local)
    write_dump(out, C, upgrades, bundles, rules, members, history, export_utc)
    lines = sum(len(b[3]) for b in history)
    return (f"{out}: {len(C.products)} products, {len(history)} baskets, "
            f"{lines} lines (mean {lines / len(history):.2f}), {len(members)} customers, "
            f"{len(upgrades)} upgrades, {len(bundles)} bundles, {len(rules)} rules "
            f"in {time.monotonic() - t0:.1f} s")


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="make-demo-store",
        description=f"Write the demo store '{STORE_NAME}' as a head-office dump directory "
                    "(docs/dump-format.md). Same arguments give byte-identical files.")
    ap.add_argument("--out", required=True, metavar="DIR", help="dump directory (created if missing)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--baskets", type=positive, default=40000,
                    help="number of baskets in the year of history (default 40000)")
    ap.add_argument("--export-time", type=parse_export_time, default=DEFAULT_EXPORT,
                    metavar="TIME|now", help=f"end of the history (default {DEFAULT_EXPORT})")
    ap.add_argument("--customers", type=positive, default=2000, help=argparse.SUPPRESS)
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)
    try:
        summary = generate(args.out, seed=args.seed, baskets=args.baskets,
                           export_utc=args.export_time, customers=args.customers)
    except PosError as e:
        print(f"make-demo-store: {e}", file=sys.stderr)
        return e.exit_code
    if not args.quiet:
        print(f"make-demo-store: {summary}", file=sys.stderr)
    return 0
