"""A seeded synthetic dump for load and scoring benchmarks at scale.

``make_bench_dump(out_dir, n_baskets=1_000_000, n_items=100_000, seed=1)``
writes catalog.csv, baskets.csv, customers.csv and manifest.json:

* catalog: ``n_items`` products, sku ``I000000``..., name ``Product 000000``...,
  a log-normal price (median 3.00, sigma 1, at least 0.10; EUR) and a valid
  GTIN-13 (``400`` + 9 digits of the index + check digit).
* baskets: sizes geometric with mean ``mean_size`` (min 1, at most
  ``max(1, n_items // 2)``); the items of a basket are drawn without replacement
  from a Zipf-like popularity (weight of rank r = r ** -zipf) over the items,
  with a seeded shuffled rank -> item mapping (the most popular item is not
  ``I000000``). Lines of a basket are in sku order. basket_id ``B0000000``...
  in time order; timestamps uniform over one year from ``START`` (UTC, with
  ``Z``); ``customer_share`` of the baskets (30%) carry a customer id
  ``C00001``... drawn uniformly from ``n_customers`` (50,000) customers, all
  of whom are listed in customers.csv.

The same parameters give byte-identical files. ``bench_dump(cache_dir, ...)``
reuses a dump already generated with the same parameters (a marker file
``.bench-params.json`` inside the dump directory, written last, holds them).
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

__all__ = ["START", "GENERATOR_VERSION", "MARKER", "bench_dump", "make_bench_dump"]

START = datetime(2025, 1, 1, tzinfo=timezone.utc)
YEAR_SECONDS = 365 * 24 * 3600
#: bump when the output for given parameters changes, so cached dumps are redone
GENERATOR_VERSION = 1
MARKER = ".bench-params.json"

_CHUNK_BASKETS = 100_000


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) uint8 ASCII digits of non-negative integers, zero-padded."""
    v = values.astype(np.int64)
    out = np.empty((len(v), width), dtype=np.uint8)
    for k in range(width - 1, -1, -1):
        out[:, k] = v % 10 + 48
        v = v // 10
    return out


def _gtin13(index: np.ndarray) -> np.ndarray:
    """(n, 13) uint8 ASCII GTIN-13 codes ``400`` + 9-digit index + check digit."""
    body = np.empty((len(index), 12), dtype=np.uint8)
    body[:, :3] = np.frombuffer(b"400", dtype=np.uint8)
    body[:, 3:] = _digits(index, 9)
    d = body.astype(np.int64) - 48
    weights = np.tile([1, 3], 6)  # GTIN-13: positions from the left weigh 1,3,1,3...
    check = (10 - (d * weights).sum(axis=1) % 10) % 10
    return np.concatenate([body, (check + 48).astype(np.uint8)[:, None]], axis=1)


def _draw_baskets(rng, n_baskets, n_items, zipf, mean_size):
    """Basket sizes and their items (sorted within each basket, no repeats)."""
    cap = max(1, n_items // 2)
    sizes = np.minimum(rng.geometric(1.0 / mean_size, size=n_baskets), cap).astype(np.int64)
    weights = np.arange(1, n_items + 1, dtype=np.float64) ** -float(zipf)
    cdf = np.cumsum(weights)
    cdf /= cdf[-1]
    rank_to_item = rng.permutation(n_items).astype(np.int64)

    def draw(n, uniform=False):
        if uniform:
            return rng.integers(0, n_items, size=n, dtype=np.int64)
        ranks = np.searchsorted(cdf, rng.random(n), side="right")
        return rank_to_item[np.minimum(ranks, n_items - 1)]

    n_lines = int(sizes.sum())
    basket = np.repeat(np.arange(n_baskets, dtype=np.int64), sizes)
    keys = basket * n_items + draw(n_lines)
    keys.sort()
    # redraw repeats, working only on the baskets that still have some
    idx = np.arange(n_lines, dtype=np.int64)
    sub = keys
    rounds = 0
    while True:
        d = np.zeros(len(sub), dtype=bool)
        d[1:] = sub[1:] == sub[:-1]
        if not d.any():
            break
        bad = np.zeros(n_baskets, dtype=bool)
        bad[sub[d] // n_items] = True
        still = bad[sub // n_items]
        if rounds:
            keys[idx[~still]] = sub[~still]
        idx, sub, d = idx[still], sub[still], d[still]
        rounds += 1
        sub[d] = (sub[d] // n_items) * n_items + draw(int(d.sum()), uniform=rounds > 50)
        sub.sort()  # each basket keeps its line count, so positions line up
    if rounds:
        keys[idx] = sub
    return sizes, keys % n_items


def make_bench_dump(out_dir, n_baskets: int = 1_000_000, n_items: int = 100_000,
                    seed: int = 1, zipf: float = 1.1, mean_size: float = 10,
                    *, n_customers: int = 50_000, customer_share: float = 0.3,
                    gtin: bool = True) -> dict:
    """Write a seeded synthetic dump into ``out_dir``; return a summary dict.

    The summary has the parameters, n_lines and the seconds it took.
    """
    if n_baskets < 1 or n_items < 1 or mean_size < 1 or n_customers < 1:
        raise ValueError("n_baskets, n_items, n_customers and mean_size must be >= 1")
    t0 = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stem in ("catalog", "baskets", "customers", "upgrades", "bundles", "rules"):
        for ext in (".csv", ".csv.gz"):
            (out / f"{stem}{ext}").unlink(missing_ok=True)
    rng = np.random.default_rng(seed)

    # catalog
    sku_w = max(6, len(str(n_items - 1)))
    prices = np.maximum(np.round(np.exp(rng.normal(np.log(3.0), 1.0, n_items)), 2), 0.10)
    idx = np.arange(n_items, dtype=np.int64)
    skus = (np.char.add("I", np.char.zfill(idx.astype(str), sku_w))).tolist()
    names = (np.char.add("Product ", np.char.zfill(idx.astype(str), sku_w))).tolist()
    price_s = [f"{p:.2f}" for p in prices.tolist()]
    with open(out / "catalog.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        if gtin and n_items <= 10**9:
            gt = _gtin13(idx).view("S13").ravel().astype(str).tolist()
            w.writerow(["sku", "name", "price", "gtin"])
            w.writerows(zip(skus, names, price_s, gt))
        else:
            w.writerow(["sku", "name", "price"])
            w.writerows(zip(skus, names, price_s))

    # baskets
    sizes, items = _draw_baskets(rng, n_baskets, n_items, zipf, mean_size)
    seconds = np.sort(rng.integers(0, YEAR_SECONDS, size=n_baskets, dtype=np.int64))
    has_cust = rng.random(n_baskets) < customer_share
    cust = rng.integers(1, n_customers + 1, size=n_baskets, dtype=np.int64)

    base = np.datetime64(START.replace(tzinfo=None), "s")
    bid_w = max(7, len(str(n_baskets - 1)))
    cust_w = max(5, len(str(n_customers)))
    # line layout: B<bid>,I<sku>,1,<19-char time>Z,C<cust>\n  ("C<cust>" dropped when none)
    fields = [
        ("B", bid_w), (",I", sku_w), (",1,", 19), ("Z,C", cust_w), ("\n", 0),
    ]
    line_w = sum(len(p) + n for p, n in fields)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    header = "basket_id,sku,quantity,timestamp,customer_id\n"
    with open(out / "baskets.csv", "wb") as f:
        f.write(header.encode())
        for b0 in range(0, n_baskets, _CHUNK_BASKETS):
            b1 = min(n_baskets, b0 + _CHUNK_BASKETS)
            l0, l1 = offsets[b0], offsets[b1]
            csz = sizes[b0:b1]
            n = int(l1 - l0)
            bdig = np.repeat(_digits(np.arange(b0, b1), bid_w), csz, axis=0)
            ts = np.datetime_as_string(base + seconds[b0:b1], unit="s").astype("S19")
            tdig = np.repeat(np.frombuffer(ts.tobytes(), np.uint8).reshape(-1, 19), csz, axis=0)
            cdig = np.repeat(_digits(cust[b0:b1], cust_w), csz, axis=0)
            hc = np.repeat(has_cust[b0:b1], csz)
            buf = np.empty((n, line_w), dtype=np.uint8)
            keep = np.ones((n, line_w), dtype=bool)
            pos = 0
            for (lit, width), digits in zip(fields, [bdig, _digits(items[l0:l1], sku_w), tdig, cdig, None]):
                lb = np.frombuffer(lit.encode(), np.uint8)
                buf[:, pos:pos + len(lb)] = lb
                if lit == "Z,C":  # "C<cust>" goes when the basket has no customer
                    keep[~hc, pos + 2:pos + len(lb) + width] = False
                pos += len(lb)
                if digits is not None:
                    buf[:, pos:pos + width] = digits
                    pos += width
            f.write(buf[keep].tobytes())

    # customers
    cw = np.char.add("C", np.char.zfill(np.arange(1, n_customers + 1).astype(str), cust_w))
    with open(out / "customers.csv", "w", encoding="utf-8", newline="") as f:
        f.write("customer_id\n")
        f.write("\n".join(cw.tolist()))
        f.write("\n")

    last = (base + seconds[-1]).astype(datetime).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = dict(n_baskets=n_baskets, n_items=n_items, seed=seed, zipf=zipf,
                  mean_size=mean_size, n_customers=n_customers,
                  customer_share=customer_share, gtin=gtin)
    manifest = {
        "format_version": 1,
        "store_name": f"Synthetic benchmark store (seed {seed})",
        "currency": "EUR",
        "locale": "en",
        "timezone": "UTC",
        "export_time": last,
        "source": "pos_tools.bench.synthetic.make_bench_dump",
        "notes": ["synthetic data: " + ", ".join(f"{k}={v}" for k, v in params.items())],
    }
    with open(out / "manifest.json", "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return dict(params, out_dir=str(out), n_lines=int(offsets[-1]),
                seconds=time.perf_counter() - t0)


def bench_dump(cache_dir, n_baskets: int = 1_000_000, n_items: int = 100_000,
               seed: int = 1, zipf: float = 1.1, mean_size: float = 10, **kw) -> Path:
    """The dump directory for these parameters under ``cache_dir``, generated if needed.

    A dump is reused when its marker file holds exactly these parameters (and
    this generator version); otherwise it is (re)generated into a temporary
    directory and moved into place, the marker written last.
    """
    params = dict(n_baskets=n_baskets, n_items=n_items, seed=seed, zipf=zipf,
                  mean_size=mean_size, **kw, generator_version=GENERATOR_VERSION)
    cache = Path(cache_dir)
    name = f"synth-b{n_baskets}-i{n_items}-s{seed}-z{zipf:g}-m{mean_size:g}"
    if kw:
        name += "-" + "-".join(f"{k}{v}" for k, v in sorted(kw.items()))
    target = cache / name
    marker = target / MARKER
    try:
        if json.loads(marker.read_text()) == params:
            return target
    except (OSError, ValueError):
        pass
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / f".{name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    make_bench_dump(tmp, n_baskets, n_items, seed, zipf, mean_size, **kw)
    (tmp / MARKER).write_text(json.dumps(params, sort_keys=True) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(tmp, target)
    return target
