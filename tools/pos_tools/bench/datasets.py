"""The three real basket datasets of ``../shared/data``, converted to the dump format.

The data is for tests, benchmarks and evaluation only: it is never copied into
the project. It is found at ``<repo>/../shared/data`` or at the directory named
by the environment variable ``POS_SHARED_DATA``; ``SharedDataMissing`` says so
clearly when it is absent.

``convert(name, out_dir, limit=None)`` writes a dump directory (catalog.csv,
baskets.csv, manifest.json, and customers.csv where the data has customers):

``groceries`` (arules "Groceries": one basket per line, comma-separated names)
    sku = a slug of the name (``citrus fruit`` -> ``citrus-fruit``), name = the
    name with surrounding spaces stripped (two names occur with and without a
    trailing space). Every line has quantity 1.

``retail-fimi`` (FIMI "retail": one basket per line, space-separated integer ids)
    sku = the id, name = ``item <id>``. Every line has quantity 1.

    Both sets have no prices and no times, so:

    * **price is a placeholder: 1.00 for every product** (currency EUR). It
      means nothing; do not evaluate anything price-dependent on these sets.
    * **timestamps are synthesized** and keep the file order: basket *i*
      (0-based, in file order) is at ``SYNTH_BASE_TIME + i minutes``, in UTC
      (written with ``Z``). A hold-out of the last baskets by time is thus the
      last lines of the file.

    The manifest says both in its ``notes``.

``online-retail`` (UCI "Online Retail": invoice lines of a UK gift shop)
    One basket per invoice; basket_id = InvoiceNo. Dropped: cancellations
    (invoices starting with ``C``) and other non-sale invoices (not all
    digits, e.g. the ``A`` bad-debt adjustments), lines with quantity <= 0 or
    unit price <= 0, and stock codes that are not products. A product code is
    digits followed by optional letters (``85123A``); every other code is a
    fee, postage or adjustment (``NON_PRODUCT_CODES`` lists the ones seen:
    POST, D, M, m, DOT, BANK CHARGES, AMAZONFEE, CRUK, PADS, S, B, C2, DCGS...,
    gift_0001_...). Codes are upper-cased (``85123a`` and ``85123A`` are the
    same product). Catalog price = the most frequent UnitPrice of the code
    among the kept lines (ties -> the lower; rounded half-up to pence), name =
    the most frequent non-empty description (stripped; ties -> the
    alphabetically first; falls back to descriptions of dropped lines, then to
    the code). Currency GBP, locale en_GB, timezone Europe/London; timestamps
    are InvoiceDate as local time without an offset (it is UK local time;
    note that this copy of the data is shifted +12 years). customer_id =
    CustomerID as an integer string; customers.csv lists those ids (no card).
    export_time = the last invoice time (converted to UTC). Lines keep their
    file order, repeated (invoice, code) lines included (the format counts a
    sku once per basket).

``limit=N`` keeps only the first N baskets (in file order) -- for quick tests.
The catalog then holds only the products those baskets use. Output is
deterministic: the same input and limit give byte-identical files.
"""
from __future__ import annotations

import csv
import gzip
import json
import os
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from pos.errors import DumpError, UsageError

__all__ = [
    "DATASETS",
    "NON_PRODUCT_CODES",
    "SYNTH_BASE_TIME",
    "ConvertSummary",
    "SharedDataMissing",
    "convert",
    "dataset_path",
    "is_product_code",
    "shared_data_dir",
    "slugify",
]

#: The datasets ``convert`` knows, and each one's file under the shared data directory.
DATASETS: dict[str, str] = {
    "groceries": "groceries/groceries.csv",
    "online-retail": "online-retail/online_retail.csv.gz",
    "retail-fimi": "retail-fimi/retail.dat",
}

#: Stock codes of online-retail that are not products (all seen in the data).
#: ``is_product_code`` also refuses any code that is not digits + optional letters.
NON_PRODUCT_CODES = frozenset({
    "POST", "D", "M", "DOT", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "S",
    "B", "C2", "DCGSSGIRL", "DCGSSBOY",
})

_PRODUCT_CODE = re.compile(r"\d+[A-Za-z]*")

#: Basket 0 of the sets without times is at this instant; basket i, i minutes later.
SYNTH_BASE_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)

PLACEHOLDER_PRICE = "1.00"

# Every file name a dump may hold: cleared from out_dir before writing, so a
# stale file of an earlier conversion (or its .csv.gz twin) cannot mix in.
_DUMP_FILES = [
    f"{stem}{ext}"
    for stem in ("catalog", "baskets", "upgrades", "bundles", "rules", "customers")
    for ext in (".csv", ".csv.gz")
] + ["manifest.json"]


class SharedDataMissing(UsageError):
    """The shared real datasets (../shared/data or $POS_SHARED_DATA) are not there."""


@dataclass
class ConvertSummary:
    """What ``convert`` wrote."""

    name: str
    out_dir: Path
    n_baskets: int
    n_lines: int
    n_items: int
    n_customers: int = 0
    #: rows of the source left out, by reason
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        d = asdict(self)
        d["out_dir"] = str(self.out_dir)
        return d


def shared_data_dir() -> Path:
    """The shared data directory: $POS_SHARED_DATA, else ``<repo root>/../shared/data``.

    Raises SharedDataMissing when it does not exist.
    """
    env = os.environ.get("POS_SHARED_DATA")
    if env:
        path = Path(env).expanduser()
        origin = "POS_SHARED_DATA"
    else:
        repo_root = Path(__file__).resolve().parents[3]    # tools/pos_tools/bench/datasets.py
        path = repo_root.parent / "shared" / "data"
        origin = "the repository's ../shared/data"
    if not path.is_dir():
        raise SharedDataMissing(
            f"the shared real datasets are not available: {path} ({origin}) is not a "
            "directory; set POS_SHARED_DATA to the directory holding groceries/, "
            "online-retail/ and retail-fimi/"
        )
    return path


def dataset_path(name: str) -> Path:
    """The source file of dataset ``name``; SharedDataMissing if it is absent."""
    if name not in DATASETS:
        raise UsageError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")
    path = shared_data_dir() / DATASETS[name]
    if not path.is_file():
        raise SharedDataMissing(f"dataset {name!r} is missing: {path} is not a file")
    return path


def slugify(name: str) -> str:
    """``'Instant food products'`` -> ``'instant-food-products'``."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "item"


def is_product_code(code: str) -> bool:
    """Whether an online-retail StockCode is a product (not postage, fees...)."""
    return code.upper() not in NON_PRODUCT_CODES and _PRODUCT_CODE.fullmatch(code) is not None


def convert(name: str, out_dir, limit: int | None = None) -> ConvertSummary:
    """Convert dataset ``name`` into a dump directory ``out_dir`` (created if needed).

    ``limit`` keeps only the first ``limit`` baskets. Any dump file already in
    ``out_dir`` is replaced.
    """
    if name not in DATASETS:
        raise UsageError(f"unknown dataset {name!r}; known: {', '.join(sorted(DATASETS))}")
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    src = dataset_path(name)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for fname in _DUMP_FILES:
        (out / fname).unlink(missing_ok=True)
    t0 = time.perf_counter()
    if name == "online-retail":
        summary = _convert_online_retail(src, out, limit)
    else:
        summary = _convert_lines(name, src, out, limit)
    summary.seconds = time.perf_counter() - t0
    return summary


# --------------------------------------------------------------------------
# groceries and retail-fimi: one basket per line, no prices, no times


def _iso_z(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_line_baskets(name: str, src: Path) -> list[list[str]]:
    """The baskets of a one-basket-per-line file, as lists of raw item tokens."""
    baskets = []
    if name == "groceries":
        with open(src, encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                items = [x.strip() for x in row]
                items = [x for x in items if x]
                if items:
                    baskets.append(items)
    else:
        with open(src, encoding="ascii") as f:
            for line in f:
                items = line.split()
                if items:
                    baskets.append(items)
    return baskets


def _convert_lines(name: str, src: Path, out: Path, limit: int | None) -> ConvertSummary:
    baskets = _read_line_baskets(name, src)
    total = len(baskets)
    if limit is not None:
        baskets = baskets[:limit]
    if name == "groceries":
        prefix, store, locale = "G", "Groceries (arules), a German grocery outlet", "de_DE"
    else:
        prefix, store, locale = "F", "FIMI retail, an anonymous Belgian supermarket", "nl_BE"

    # sku of every item token, in order of first appearance
    sku_of: dict[str, str] = {}
    used: set[str] = set()
    for items in baskets:
        for it in items:
            if it in sku_of:
                continue
            if name == "groceries":
                base = slugify(it)[:60]
                sku, k = base, 2
                while sku in used:
                    sku, k = f"{base}-{k}", k + 1
            else:
                sku = it
            sku_of[it] = sku
            used.add(sku)

    width = max(6, len(str(len(baskets))))
    n_lines = dup = 0
    last_time = SYNTH_BASE_TIME
    with open(out / "baskets.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["basket_id", "sku", "quantity", "timestamp"])
        rows = []
        for i, items in enumerate(baskets):
            bid = f"{prefix}{i + 1:0{width}d}"
            last_time = SYNTH_BASE_TIME + timedelta(minutes=i)
            ts = _iso_z(last_time)
            seen = set()
            for it in items:
                if it in seen:
                    dup += 1
                    continue
                seen.add(it)
                rows.append((bid, sku_of[it], "1", ts))
            if len(rows) >= 50_000:
                w.writerows(rows)
                n_lines += len(rows)
                rows.clear()
        w.writerows(rows)
        n_lines += len(rows)

    if name == "groceries":
        catalog = sorted((sku, item) for item, sku in sku_of.items())
    else:
        catalog = sorted(((sku, f"item {sku}") for sku in sku_of.values()),
                         key=lambda r: (len(r[0]), r[0]))
    with open(out / "catalog.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sku", "name", "price"])
        w.writerows((sku, nm, PLACEHOLDER_PRICE) for sku, nm in catalog)

    manifest: dict[str, Any] = {
        "format_version": 1,
        "store_name": store,
        "currency": "EUR",
        "locale": locale,
        "timezone": "UTC",
        "export_time": _iso_z(last_time),
        "source": f"{name} ({DATASETS[name]}), converted by pos_tools.bench.datasets",
        "notes": [
            f"price is a placeholder: every product costs {PLACEHOLDER_PRICE} (the data has no prices)",
            "timestamps are synthesized (the data has no times): basket i of the file is at "
            f"{_iso_z(SYNTH_BASE_TIME)} + i minutes, so time order = file order",
        ],
    }
    if limit is not None:
        manifest["notes"].append(f"limited to the first {len(baskets)} of {total} baskets")
    _write_manifest(out, manifest)
    dropped = {"baskets beyond limit": total - len(baskets)} if limit is not None else {}
    if dup:
        dropped["repeated item in a basket"] = dup
    return ConvertSummary(name, out, len(baskets), n_lines, len(catalog), 0, dropped)


def _write_manifest(out: Path, manifest: dict) -> None:
    with open(out / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")


# --------------------------------------------------------------------------
# online-retail


def _convert_online_retail(src: Path, out: Path, limit: int | None) -> ConvertSummary:
    dropped: Counter = Counter()
    kept: list[tuple] = []  # (invoice, code, quantity, timestamp, customer)
    basket_index: dict[str, int] = {}  # kept invoice -> order of first appearance
    prices: dict[str, Counter] = defaultdict(Counter)
    descs: dict[str, Counter] = defaultdict(Counter)
    fallback_descs: dict[str, Counter] = defaultdict(Counter)
    _customer_ids: dict[str, str] = {}  # CustomerID as read -> integer string
    last_time = ""

    with gzip.open(src, "rt", encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        col = {h: i for i, h in enumerate(header)}
        try:
            i_inv, i_code, i_desc, i_qty, i_date, i_price, i_cust = (
                col[c] for c in ("invoiceno", "stockcode", "description", "quantity",
                                 "invoicedate", "unitprice", "customerid"))
        except KeyError as e:
            raise DumpError(f"{src}: missing column {e.args[0]!r}") from None
        for row in reader:
            if not row:
                continue
            inv = row[i_inv].strip()
            code = row[i_code].strip()
            desc = row[i_desc].strip()
            ucode = code.upper()
            if inv.startswith("C"):
                dropped["cancellation"] += 1
                if desc:
                    fallback_descs[ucode][desc] += 1
                continue
            if not inv.isdigit():
                dropped["not a sale (invoice not all digits)"] += 1
                continue
            if not is_product_code(code):
                dropped["not a product code"] += 1
                continue
            if desc:
                fallback_descs[ucode][desc] += 1
            qty_s = row[i_qty].strip()
            qty = int(qty_s) if qty_s.lstrip("-").isdigit() else int(float(qty_s))
            if qty <= 0:
                dropped["quantity <= 0"] += 1
                continue
            price = row[i_price].strip()
            if float(price) <= 0:
                dropped["unit price <= 0"] += 1
                continue
            b = basket_index.get(inv)
            if b is None:
                if limit is not None and len(basket_index) >= limit:
                    dropped["beyond limit"] += 1
                    continue
                b = basket_index[inv] = len(basket_index)
            cust = row[i_cust].strip()
            if cust:
                cust = _customer_ids.get(cust) or _customer_ids.setdefault(
                    cust, str(int(float(cust))))
            ts = row[i_date].strip().replace(" ", "T")
            if len(ts) == 16:  # no seconds
                ts += ":00"
            if ts > last_time:
                last_time = ts
            kept.append((inv, ucode, str(qty), ts, cust))
            prices[ucode][price] += 1
            if desc:
                descs[ucode][desc] += 1

    cent = Decimal("0.01")
    catalog = []
    for code in sorted(prices):
        pc = prices[code]
        most_often = min(pc, key=lambda p: (-pc[p], Decimal(p)))
        catalog_price = Decimal(most_often).quantize(cent, rounding=ROUND_HALF_UP)
        dc = descs.get(code) or fallback_descs.get(code)
        name = min(dc, key=lambda d: (-dc[d], d)) if dc else code
        catalog.append((code, name, f"{catalog_price:.2f}"))

    with open(out / "catalog.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["sku", "name", "price"])
        w.writerows(catalog)
    with open(out / "baskets.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["basket_id", "sku", "quantity", "timestamp", "customer_id"])
        w.writerows(kept)
    with open(out / "customers.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["customer_id"])
        customers = sorted(set(_customer_ids.values()), key=int)
        w.writerows([c] for c in customers)

    manifest: dict[str, Any] = {
        "format_version": 1,
        "store_name": "Online Retail (UCI), a UK gift retailer",
        "currency": "GBP",
        "locale": "en_GB",
        "timezone": "Europe/London",
        "export_time": _london_to_utc(last_time) if last_time else None,
        "source": f"online-retail ({DATASETS['online-retail']}), converted by pos_tools.bench.datasets",
        "notes": [
            "cancellations, non-sale invoices, quantity <= 0, unit price <= 0 and "
            "non-product stock codes are dropped",
            "catalog price = the most frequent unit price of the code (ties -> the lower)",
            "timestamps are UK local time (InvoiceDate, shifted +12 years in this copy)",
        ],
    }
    if manifest["export_time"] is None:
        del manifest["export_time"]
    if limit is not None:
        manifest["notes"].append(f"limited to the first {len(basket_index)} invoices")
    _write_manifest(out, manifest)
    return ConvertSummary("online-retail", out, len(basket_index), len(kept), len(catalog),
                          len(customers), dict(sorted(dropped.items())))


def _london_to_utc(local: str) -> str:
    """``2023-12-09T12:50:00`` (Europe/London) -> ``2023-12-09T12:50:00Z``."""
    dt = datetime.fromisoformat(local)
    try:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo("Europe/London")
    except Exception:  # no tz database: keep the local time, the loader reads it as local
        return local
    return _iso_z(dt.replace(tzinfo=tz).astimezone(timezone.utc))


def dataset_dump(name: str, cache_dir, log: Callable[[str], None] | None = None) -> Path:
    """The converted dump of shared dataset ``name`` in ``cache_dir/name``
    (converted on first use, reused afterwards)."""
    out = Path(cache_dir).expanduser() / name
    marker = out / ".converted"
    if not marker.exists():
        if log:
            log(f"{name}: converting into {out}")
        convert(name, out)
        marker.write_text("ok\n")
    return out
