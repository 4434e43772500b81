"""The `pos` command and the cron script: help, info, exit codes, one log line per run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import CATALOG_HEADER, good_files, write_dump
from pos.cli import build_parser, main
from pos.errors import EXIT_REFUSED, EXIT_STORE

ROOT = Path(__file__).resolve().parents[1]
NIGHTLY = ROOT / "scripts" / "nightly-load"


def test_help_lists_every_subcommand_with_a_line():
    result = subprocess.run([sys.executable, "-m", "pos", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    subcommands = build_parser()._subparsers._group_actions[0].choices
    for name, _parser in subcommands.items():
        line = next(ln for ln in result.stdout.splitlines() if ln.strip().startswith(name + " "))
        assert len(line.split(None, 1)[1]) > 10, f"{name} has no help line"


def test_info_shows_the_store(published, capsys):
    assert main(["info", "--db", str(published), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"store_name": "Test Store"' in out and '"products": 12' in out
    assert '"export_time": "2026-11-01 00:00 CET"' in out     # 23:00 UTC, shown in Oslo time


def test_info_on_a_missing_store(tmp_path, capsys):
    assert main(["info", "--db", str(tmp_path / "nope.db")]) == EXIT_STORE
    assert "no store here" in capsys.readouterr().err


def test_info_on_a_file_that_is_not_a_store(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert main(["info", "--db", str(junk)]) == EXIT_STORE
    assert "not a pos store or damaged" in capsys.readouterr().err


def nightly(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(NIGHTLY), *map(str, args)], capture_output=True, text=True)


def test_nightly_load_logs_one_line_per_run(tmp_path, good_dump):
    db, log = tmp_path / "store.db", tmp_path / "load.log"
    assert nightly(good_dump, db, log).returncode == 0
    bad = write_dump(tmp_path / "bad", {**good_files(), "catalog.csv": CATALOG_HEADER})
    assert nightly(bad, db, log).returncode == EXIT_REFUSED
    assert nightly(tmp_path / "missing", db, log).returncode == EXIT_REFUSED
    lines = log.read_text().splitlines()
    assert len(lines) == 3
    assert " status=ok " in lines[0] and "products=12" in lines[0] and "baskets=60" in lines[0]
    assert " status=refused " in lines[1] and "catalog.csv: no products" in lines[1]
    assert "no such dump directory" in lines[2]


def test_nightly_load_usage(tmp_path):
    result = nightly()
    assert result.returncode == 2 and "usage:" in result.stderr
