"""The real datasets converted to dumps, the synthetic bench dump, and the pair-counting baselines."""
from __future__ import annotations

import csv
import gzip
import json
from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pos.errors import PosError
from pos_tools.bench import baselines, datasets, synthetic


def _shared_data_or_skip() -> Path:
    try:
        return datasets.shared_data_dir()
    except datasets.SharedDataMissing as e:
        pytest.skip(f"real datasets absent: {e}")


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        r = csv.reader(f)
        header = next(r)
        return header, list(r)


def check_dump(d: Path) -> dict:
    """Assert that a dump directory follows docs/dump-format.md; return what it read."""
    header, cat = _rows(d / "catalog.csv")
    assert header[:3] == ["sku", "name", "price"]
    skus = [r[0] for r in cat]
    assert len(set(skus)) == len(skus), "catalog skus must be unique"
    for r in cat:
        assert len(r) == len(header)
        assert r[0] and len(r[0]) <= 64 and r[0] == r[0].strip()
        assert r[1].strip()
        price = Decimal(r[2])
        assert price >= 0 and price.as_tuple().exponent >= -2, r

    header, bas = _rows(d / "baskets.csv")
    assert header[:4] == ["basket_id", "sku", "quantity", "timestamp"]
    col = {h: i for i, h in enumerate(header)}
    known = set(skus)
    cust_of = {}
    for r in bas:
        assert len(r) == len(header), r
        assert r[col["basket_id"]]
        assert r[col["sku"]] in known, f"basket sku {r[col['sku']]!r} not in the catalog"
        assert Decimal(r[col["quantity"]]) > 0
        datetime.fromisoformat(r[col["timestamp"]])
        if "customer_id" in col:
            c = r[col["customer_id"]]
            assert cust_of.setdefault(r[col["basket_id"]], c) == c, "one customer per basket"

    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format_version"] == 1
    for k in ("store_name", "currency", "locale", "timezone", "export_time"):
        assert isinstance(manifest[k], str) and manifest[k]
    datetime.fromisoformat(manifest["export_time"])

    customers = None
    if (d / "customers.csv").exists():
        h, rows = _rows(d / "customers.csv")
        assert h[0] == "customer_id"
        customers = [r[0] for r in rows]
        assert len(set(customers)) == len(customers)
        assert {c for c in cust_of.values() if c} <= set(customers)
    return dict(catalog=cat, baskets=bas, header=header, manifest=manifest, customers=customers)


def _basket_lists(bas, header) -> dict[str, list[str]]:
    col = {h: i for i, h in enumerate(header)}
    out = defaultdict(list)
    for r in bas:
        out[r[col["basket_id"]]].append(r[col["sku"]])
    return out


# ---------------------------------------------------------------- real data


def test_missing_shared_data_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("POS_SHARED_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(datasets.SharedDataMissing, match="POS_SHARED_DATA"):
        datasets.shared_data_dir()
    with pytest.raises(PosError):
        datasets.convert("groceries", tmp_path / "out")


def test_unknown_dataset(tmp_path):
    with pytest.raises(PosError, match="unknown dataset"):
        datasets.convert("no-such-set", tmp_path)


def test_product_code_rule():
    for code in ("85123A", "22423", "15056bl", "84030e"):
        assert datasets.is_product_code(code)
    for code in ("POST", "D", "M", "m", "DOT", "BANK CHARGES", "AMAZONFEE", "C2",
                 "gift_0001_20", "DCGS0003", "DCGSSGIRL", ""):
        assert not datasets.is_product_code(code)


@pytest.mark.shared_data
def test_groceries(tmp_path):
    _shared_data_or_skip()
    s = datasets.convert("groceries", tmp_path / "g", limit=300)
    assert s.n_baskets == 300
    d = check_dump(tmp_path / "g")
    assert d["manifest"]["currency"] == "EUR"
    assert any("placeholder" in n for n in d["manifest"]["notes"])
    assert {r[2] for r in d["catalog"]} == {"1.00"}
    names = {r[1] for r in d["catalog"]}
    assert "citrus fruit" in names and all(n == n.strip() for n in names)
    assert ("citrus-fruit", "citrus fruit") in {(r[0], r[1]) for r in d["catalog"]}
    baskets = _basket_lists(d["baskets"], d["header"])
    assert len(baskets) == 300
    assert baskets["G000001"] == ["citrus-fruit", "semi-finished-bread", "margarine", "ready-soups"]
    times = [r[3] for r in d["baskets"]]
    assert times == sorted(times) and times[0].endswith("Z")
    assert d["manifest"]["export_time"] == times[-1]
    # deterministic
    datasets.convert("groceries", tmp_path / "g2", limit=300)
    for f in ("catalog.csv", "baskets.csv", "manifest.json"):
        assert (tmp_path / "g" / f).read_bytes() == (tmp_path / "g2" / f).read_bytes()


@pytest.mark.shared_data
def test_retail_fimi(tmp_path):
    _shared_data_or_skip()
    s = datasets.convert("retail-fimi", tmp_path / "f", limit=500)
    assert s.n_baskets == 500
    d = check_dump(tmp_path / "f")
    baskets = _basket_lists(d["baskets"], d["header"])
    assert baskets["F000001"] == [str(i) for i in range(30)]
    assert ("0", "item 0", "1.00") in {tuple(r) for r in d["catalog"]}
    assert d["manifest"]["currency"] == "EUR"
    times = [r[3] for r in d["baskets"]]
    assert times == sorted(times)


@pytest.mark.shared_data
def test_online_retail(tmp_path):
    src = _shared_data_or_skip() / datasets.DATASETS["online-retail"]
    s = datasets.convert("online-retail", tmp_path / "o", limit=400)
    assert s.n_baskets == 400
    assert s.dropped["cancellation"] > 0 and s.dropped["not a product code"] > 0
    d = check_dump(tmp_path / "o")
    m = d["manifest"]
    assert (m["currency"], m["locale"], m["timezone"]) == ("GBP", "en_GB", "Europe/London")
    col = {h: i for i, h in enumerate(d["header"])}
    bids = {r[col["basket_id"]] for r in d["baskets"]}
    assert len(bids) == 400 and all(b.isdigit() for b in bids), "cancellations dropped"
    for r in d["baskets"]:
        assert datasets.is_product_code(r[col["sku"]]) and r[col["sku"]] == r[col["sku"]].upper()
        assert int(r[col["quantity"]]) > 0
        ts = r[col["timestamp"]]
        assert len(ts) == 19 and "T" in ts, "local time without an offset"
        c = r[col["customer_id"]]
        assert c == "" or c.isdigit()
    assert d["customers"] and all(c.isdigit() for c in d["customers"])
    assert all(Decimal(r[2]) > 0 for r in d["catalog"])
    cat = {r[0]: r for r in d["catalog"]}
    assert cat["85123A"][1] == "WHITE HANGING HEART T-LIGHT HOLDER"

    # against the source: the kept invoices are the first 400 sale invoices,
    # and the catalog price is the most frequent unit price
    first, prices = [], defaultdict(Counter)
    with gzip.open(src, "rt", encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        for row in r:
            inv = row["InvoiceNo"]
            if (inv.isdigit() and int(row["Quantity"]) > 0 and float(row["UnitPrice"]) > 0
                    and datasets.is_product_code(row["StockCode"])):
                if inv not in first:
                    if len(first) == 400:
                        break
                    first.append(inv)
                prices[row["StockCode"].upper()][Decimal(row["UnitPrice"])] += 1
    assert bids == set(first)
    for code, pc in list(prices.items())[:200]:
        best = max(pc.values())
        assert Decimal(cat[code][2]) == min(p for p, n in pc.items() if n == best).quantize(Decimal("0.01"))


# ---------------------------------------------------------------- synthetic


def test_synthetic_deterministic(tmp_path):
    a = synthetic.make_bench_dump(tmp_path / "a", 2000, 300, seed=7)
    synthetic.make_bench_dump(tmp_path / "b", 2000, 300, seed=7)
    synthetic.make_bench_dump(tmp_path / "c", 2000, 300, seed=8)
    for f in ("catalog.csv", "baskets.csv", "customers.csv", "manifest.json"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes()
    assert (tmp_path / "a" / "baskets.csv").read_bytes() != (tmp_path / "c" / "baskets.csv").read_bytes()
    assert a["n_lines"] == sum(1 for _ in open(tmp_path / "a" / "baskets.csv")) - 1


def _gtin_ok(code: str) -> bool:
    digits = [int(c) for c in code]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits[:-1]), start=1))
    return (10 - total % 10) % 10 == digits[-1]


def test_synthetic_shape(tmp_path):
    n_b, n_i = 20_000, 2_000
    synthetic.make_bench_dump(tmp_path / "s", n_b, n_i, seed=1)
    d = check_dump(tmp_path / "s")
    assert len(d["catalog"]) == n_i
    assert d["catalog"][123][0] == "I000123"
    assert all(len(r[3]) == 13 and _gtin_ok(r[3]) for r in d["catalog"])
    assert len({r[3] for r in d["catalog"]}) == n_i
    baskets = _basket_lists(d["baskets"], d["header"])
    assert len(baskets) == n_b
    sizes = [len(v) for v in baskets.values()]
    assert min(sizes) == 1
    assert abs(sum(sizes) / n_b - 10) < 0.4
    assert all(len(set(v)) == len(v) for v in baskets.values()), "no repeats within a basket"
    freq = Counter(r[1] for r in d["baskets"])
    counts = sorted((freq.get(r[0], 0) for r in d["catalog"]), reverse=True)
    assert counts[0] > 20 * counts[len(counts) // 2], "Zipf-like popularity"
    top_item = freq.most_common(1)[0][0]
    assert top_item != "I000000", "rank -> item mapping is shuffled"
    # time order = basket order; one year; ~30% with a customer
    first = {}
    cust = {}
    for r in d["baskets"]:
        first.setdefault(r[0], r[3])
        cust[r[0]] = r[4]
    times = [first[b] for b in sorted(first)]
    assert times == sorted(times)
    t0, t1 = datetime.fromisoformat(times[0]), datetime.fromisoformat(times[-1])
    assert (t1 - t0).days >= 360 and t0.year == 2025
    share = sum(1 for c in cust.values() if c) / n_b
    assert 0.27 < share < 0.33
    assert len(d["customers"]) == 50_000


def test_synthetic_tiny_catalog(tmp_path):
    synthetic.make_bench_dump(tmp_path / "t", 500, 3, seed=2, mean_size=5)
    d = check_dump(tmp_path / "t")
    baskets = _basket_lists(d["baskets"], d["header"])
    assert len(baskets) == 500 and all(len(v) == 1 for v in baskets.values())


def test_bench_dump_cache(tmp_path):
    p1 = synthetic.bench_dump(tmp_path, 1000, 100, seed=3)
    marker = json.loads((p1 / synthetic.MARKER).read_text())
    assert marker["n_baskets"] == 1000 and marker["seed"] == 3
    mtime = (p1 / "baskets.csv").stat().st_mtime_ns
    p2 = synthetic.bench_dump(tmp_path, 1000, 100, seed=3)
    assert p2 == p1 and (p2 / "baskets.csv").stat().st_mtime_ns == mtime
    p3 = synthetic.bench_dump(tmp_path, 1000, 100, seed=4)
    assert p3 != p1 and (p3 / "baskets.csv").exists()
    # a dump without its marker (interrupted) is regenerated
    (p1 / synthetic.MARKER).unlink()
    p4 = synthetic.bench_dump(tmp_path, 1000, 100, seed=3)
    assert p4 == p1 and (p4 / synthetic.MARKER).exists()


# ---------------------------------------------------------------- baselines


def _write(path: Path, text: str, gz: bool = False):
    if gz:
        with gzip.open(path, "wt", encoding="utf-8", newline="") as f:
            f.write(text)
    else:
        path.write_text(text, encoding="utf-8")


def _hand_dump(d: Path, sep: str = ",", gz: bool = False) -> Path:
    d.mkdir()
    _write(d / ("catalog.csv.gz" if gz else "catalog.csv"),
           "\n".join(sep.join(r) for r in [["sku", "name", "price"], ["A", "a", "1"],
                     ["B", "b", "2"], ["C", "c", "3"], ["D", '"d; with, sep"', "4"]]) + "\n", gz)
    lines = [
        ("basket_id", "sku", "quantity", "timestamp"),
        ("1", "A", "1", "2026-01-01"), ("1", "B", "2", "2026-01-01"),
        ("2", "B", "1", "2026-01-02"), ("1", "C", "1", "2026-01-01"),  # basket 1 not adjacent
        ("2", "C", "1", "2026-01-02"), ("2", "A", "1", "2026-01-02"),
        ("2", "A", "3", "2026-01-02"),  # repeated sku counts once
        ("3", "D", "1", "2026-01-03"),  # single-item basket: no pairs
        ("4", "A", "1", "2026-01-04"), ("4", "B", "1", "2026-01-04"),
        ("4", "D", "1", "2026-01-04"), ("4", "ZZ", "1", "2026-01-04"),  # ZZ: not in catalog
        ("2", "D", "1", "2026-01-02"),
    ]
    text = "\n".join(sep.join(r) for r in lines) + "\n"
    _write(d / ("baskets.csv.gz" if gz else "baskets.csv"), text, gz)
    return d


# basket 1 = {A,B,C}, 2 = {A,B,C,D}, 3 = {D}, 4 = {A,B,D}
HAND_EXPECTED = {("A", "B"): 3, ("A", "C"): 2, ("B", "C"): 2,
                 ("A", "D"): 2, ("B", "D"): 2, ("C", "D"): 1}


def test_python_counter_hand_dump(tmp_path):
    d = _hand_dump(tmp_path / "h")
    r = baselines.python_pair_counts(d, top_n=2, return_pairs=True, return_neighbours=True)
    assert r.complete and r.n_baskets == 4 and r.pairs == HAND_EXPECTED
    assert r.n_pairs == 6
    assert r.neighbours["A"] == [("B", 3), ("C", 2)]  # C and D tie at 2: the smaller sku
    assert r.neighbours["C"] == [("A", 2), ("B", 2)]
    assert r.n_neighbour_rows == 8
    # the same from item lists
    r2 = baselines.python_pair_counts([["A", "B", "C"], ["B", "C", "A", "A", "D"], ["D"], ["A", "B", "D"]],
                                      return_pairs=True)
    assert r2.pairs == HAND_EXPECTED


def test_python_counter_time_limit(tmp_path):
    d = synthetic.bench_dump(tmp_path, 3000, 200, seed=5)
    r = baselines.python_pair_counts(d, limit_seconds=0.0)
    assert not r.complete and r.baskets_processed < r.n_baskets
    assert "INCOMPLETE" in r.note and "INCOMPLETE" in r.summary()


def test_duckdb_agrees_hand_dump(tmp_path):
    pytest.importorskip("duckdb")
    for name, sep, gz in (("plain", ",", False), ("semi-gz", ";", True)):
        d = _hand_dump(tmp_path / name, sep, gz)
        r = baselines.duckdb_pair_counts(d, top_n=2, threads=1, return_pairs=True,
                                         return_neighbours=True)
        assert r.pairs == HAND_EXPECTED, name
        assert r.n_baskets == 4 and r.n_pairs == 6 and r.n_neighbour_rows == 8
        p = baselines.python_pair_counts(d, top_n=2, return_neighbours=True)
        assert r.neighbours == p.neighbours
        assert set(r.phases) == {"read", "count", "topn"}


def test_duckdb_agrees_synthetic(tmp_path):
    pytest.importorskip("duckdb")
    d = synthetic.bench_dump(tmp_path, 3000, 400, seed=11)
    dk = baselines.duckdb_pair_counts(d, top_n=5, return_pairs=True, return_neighbours=True)
    py = baselines.python_pair_counts(d, top_n=5, return_pairs=True, return_neighbours=True)
    assert dk.pairs == py.pairs and len(dk.pairs) > 1000
    assert dk.neighbours == py.neighbours
    assert (dk.n_baskets, dk.n_pairs, dk.n_neighbour_rows) == (py.n_baskets, py.n_pairs,
                                                                py.n_neighbour_rows)


def test_duckdb_missing_is_a_clear_error(monkeypatch, tmp_path):
    import builtins
    real_import = builtins.__import__

    def no_duckdb(name, *a, **kw):
        if name == "duckdb":
            raise ImportError("no duckdb")
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_duckdb)
    with pytest.raises(baselines.BaselineUnavailable, match="duckdb"):
        baselines.duckdb_pair_counts(tmp_path)


@pytest.mark.slow
@pytest.mark.shared_data
def test_baselines_agree_on_retail_fimi(tmp_path):
    pytest.importorskip("duckdb")
    _shared_data_or_skip()
    datasets.convert("retail-fimi", tmp_path / "f", limit=20_000)
    dk = baselines.duckdb_pair_counts(tmp_path / "f", return_pairs=True)
    py = baselines.python_pair_counts(tmp_path / "f", return_pairs=True)
    assert dk.pairs == py.pairs and dk.n_neighbour_rows == py.n_neighbour_rows
