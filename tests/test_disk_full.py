"""A full disk during a load: a clear error, exit 5, and the published store untouched.

The disk is a real one: a small tmpfs mounted for the test (root only; skipped
with the reason otherwise).
"""
from __future__ import annotations

from conftest import CATALOG_HEADER, catalog_rows, good_files, snapshot, write_dump
from pos.cli import main
from pos.errors import EXIT_STORE
from pos.load import load_dump


def test_full_disk_leaves_the_published_store(tmp_path, small_disk, good_dump, capsys):
    db = small_disk / "store.db"
    load_dump(good_dump, db)                      # about 140 kB: fits
    before = snapshot(db)
    files = good_files()
    files["catalog.csv"] = CATALOG_HEADER + "".join(catalog_rows(6000))   # about 1.9 MB: does not
    bigger = write_dump(tmp_path / "bigger", files)

    code = main(["load", str(bigger), "--db", str(db), "--quiet"])

    err = capsys.readouterr().err
    assert code == EXIT_STORE, err
    assert "writing the new store failed: database or disk is full" in err
    assert "MB free on that disk" in err and "the published store is unchanged" in err
    assert snapshot(db) == before
    assert sorted(p.name for p in small_disk.iterdir()) == ["store.db", "store.db.lock"]
