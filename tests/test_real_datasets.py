"""`pos load` on the three real datasets of ../shared/data, converted on the fly.

Skipped, with the reason, where ../shared/data is absent. Nothing derived from
the data is written into the repository: everything goes to tmp dirs.
"""
from __future__ import annotations

import pytest

from pos.errors import PosError
from pos.load import load_dump
from pos.store.reader import open_store, read_meta
from pos_tools.bench import baselines, datasets


@pytest.fixture(scope="module")
def shared():
    try:
        return datasets.shared_data_dir()
    except PosError as exc:
        pytest.skip(f"real datasets absent: {exc}")


def meta(db, key):
    conn = open_store(db)
    try:
        return read_meta(conn)[key]
    finally:
        conn.close()


@pytest.mark.shared_data
@pytest.mark.parametrize("name, baskets, products", [
    ("groceries", 9_835, 169),
    ("retail-fimi", 88_162, 16_470),
    ("online-retail", 19_773, 3_791),
])
def test_real_dataset_loads_without_rejects(tmp_path, shared, name, baskets, products):
    dump = tmp_path / name
    datasets.convert(name, dump)

    report = load_dump(dump, tmp_path / "store.db")

    assert report.problem_count == 0, [str(p) for p in report.problems[:5]]
    assert report.counts["baskets"] == baskets
    assert report.counts["products"] == products
    if name == "online-retail":
        assert report.counts["customer_history"] == 4_334
        assert meta(tmp_path / "store.db", "currency") == "GBP"
    # an independent count of the distinct pairs: DuckDB, or plain Python on the small one
    other = (baselines.python_pair_counts(dump) if name == "groceries"
             else baselines.duckdb_pair_counts(dump))
    assert report.counts["pairs"] == other.n_pairs
