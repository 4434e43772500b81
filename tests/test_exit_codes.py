"""Every command, given a bad input of each kind, exits with the code of the
README's table (pos.errors.EXIT_CODES) and one line on stderr naming the
problem, never a traceback; `pos demo --no-till` runs end to end."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import write_dump
from pos.cli import COMMANDS, main
from pos.errors import EXIT_BUSY, EXIT_CODES, EXIT_CONFIG, EXIT_OK, EXIT_REFUSED, EXIT_STORE, EXIT_USAGE
from pos.store.publish import LoadLock


@pytest.fixture
def paths(tmp_path, published):
    not_sqlite = tmp_path / "garbage.db"
    not_sqlite.write_text("not a database\n")
    bad_toml = tmp_path / "store.toml"
    bad_toml.write_text("[currency]\nexponent = 7\n")
    return {"store": published, "missing": tmp_path / "nowhere" / "x.db",
            "garbage": not_sqlite, "bad_toml": bad_toml,
            "empty_dump": write_dump(tmp_path / "empty-dump", {}),
            "journal": tmp_path / "sales.db"}


CASES = [
    # (command line, with {name} for a path of the fixture, exit code, words of the message)
    ("load {empty_dump} --db {store}", EXIT_REFUSED, "catalog"),
    ("load {missing} --db {store}", EXIT_REFUSED, "no such dump directory"),
    ("load {empty_dump} --db {store} --list-rank damped", EXIT_USAGE, "--rank-damping"),
    ("load {empty_dump} --db {store} --config {bad_toml}", EXIT_CONFIG, "exponent"),
    ("info --db {missing}", EXIT_STORE, "x.db"),
    ("info --db {garbage}", EXIT_STORE, "garbage.db"),
    ("suggest --db {store}", EXIT_USAGE, "skus"),
    ("suggest --db {garbage} A", EXIT_STORE, "garbage.db"),
    ("till --db {missing} --journal {journal}", EXIT_STORE, "x.db"),
    ("till --db {store} --journal {journal} --config {bad_toml}", EXIT_CONFIG, "store.toml"),
    ("till --db {store} --journal {garbage}", EXIT_STORE, "garbage.db"),
    ("eval --dump {missing} --no-mlxtend", EXIT_REFUSED, "dataset x.db"),
    ("eval --dump {empty_dump} --list-rank damped", EXIT_USAGE, "--rank-damping"),
    ("report --journal {missing}", EXIT_STORE, "--journal"),
    ("report --journal {garbage} --from 2026-13-01", EXIT_USAGE, "--from"),
    ("export --journal {missing}", EXIT_STORE, "x.db"),
    ("export --journal {garbage} --since yesterday", EXIT_USAGE, "yesterday"),
    ("scanner check --scanner loop:// --profile no-such-scanner", EXIT_CONFIG, "no-such-scanner"),
    ("scanner check --scanner loop:// --db {missing} --timeout 0", EXIT_STORE, "x.db"),
    ("hub serve --data {missing} --listen nowhere", EXIT_USAGE, "--listen"),
    ("hub revoke till1 --data {missing}", EXIT_STORE, "no hub here"),
    ("hub enroll till1 --data {garbage}", EXIT_STORE, "garbage.db"),
    ("mine --input {missing} --out {missing}", EXIT_REFUSED, "x.db: cannot be read"),
    ("mine --input {garbage} --out {missing}", EXIT_REFUSED, "garbage.db:1: basket_id"),
    ("mine --input {garbage} --out {missing} --list-rank damped", EXIT_USAGE, "--rank-damping"),
]


@pytest.mark.parametrize("line, code, words", CASES, ids=[c[0].split(" {")[0] + f"-{c[1]}"
                                                        for c in CASES])
def test_a_bad_input_gives_its_code_and_one_line(paths, capsys, line, code, words):
    argv = [part.format(**paths) for part in line.split()]
    assert main(argv) == code
    err = capsys.readouterr().err.strip()     # a progress bar leaves an empty line before it
    assert "\n" not in err and err.startswith(f"pos {argv[0]}: "), err
    assert words in err and "Traceback" not in err


def test_every_command_has_a_bad_input_case():
    assert {line.split()[0] for line, _, _ in CASES} | {"bench", "demo"} == set(COMMANDS)


def test_another_load_running_is_busy(paths, good_dump, capsys):
    with LoadLock(paths["store"]):
        assert main(["load", str(good_dump), "--db", str(paths["store"]), "--quiet"]) == EXIT_BUSY
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "another load is writing" in err


@pytest.mark.parametrize("argv", [["load"], ["bench", "nothing"], ["till", "--db", "x"],
                                  ["no-such-command"]])
def test_argparse_usage_errors_exit_with_2(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == EXIT_USAGE
    assert "error:" in capsys.readouterr().err.splitlines()[-1]


def test_the_readme_table_is_the_codes_table():
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"\n| {code} | " in readme, f"exit code {code} is not in the README's table"


def test_a_bug_keeps_its_traceback_and_exits_with_1(tmp_path):
    # not a PosError: a crash in a command is shown as one, for a bug report
    script = ("import sys, pos.cli.info as info\n"
              "def boom(args): raise RuntimeError('boom')\n"
              "info.run = boom\n"
              "from pos.cli import main\n"
              "sys.exit(main(['info', '--db', 'x']))\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == 1 and "Traceback" in proc.stderr and "RuntimeError: boom" in proc.stderr


@pytest.mark.slow
def test_demo_without_the_till_builds_loads_and_shows(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pos", "demo", "--no-till", "--dir",
                           str(tmp_path / "demo"), "--baskets", "1500"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == EXIT_OK, proc.stderr
    assert "Basket:" in proc.stdout and (tmp_path / "demo" / "store.db").is_file()
