"""`pos suggest`: the table, --json, --jsonl with good and bad lines, exit codes."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from pos.cli import main
from pos.engine import Engine
from pos.suggest_json import answer_line, load_request, run_jsonl


def test_table_names_the_kinds(published, capsys):
    assert main(["suggest", "--db", str(published), "--k", "5", "PASTA", "SAUCE", "PH-64"]) == 0
    out = capsys.readouterr().out
    assert "PARM" in out and "upsell" in out and "cross" in out
    assert "PH-128" in out and "Oppgrader" in out     # the store's language: nb


def test_json(published, capsys):
    assert main(["suggest", "--db", str(published), "--json", "PASTA", "NOPE"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["warnings"] == ["unknown sku: NOPE"]
    first = out["suggestions"][0]
    assert first["sku"] in {"PARM", "SAUCE"} and {"sku", "name", "kind", "score", "price",
                                                  "reason"} <= set(first)


def test_missing_store_exits_5(tmp_path, capsys):
    assert main(["suggest", "--db", str(tmp_path / "x.db"), "A"]) == 5
    assert "no store here" in capsys.readouterr().err


def test_jsonl_one_line_out_per_line_in(published):
    engine = Engine.open(published)
    lines = [
        '{"basket": ["PASTA", "SAUCE"]}',
        "not json",
        "[1, 2]",
        '{"basket": "PASTA"}',
        '{"basket": ["PASTA"], "colour": "red"}',
        '{"customer": "C1"}',
        '{"basket": [["PASTA", 2], "GHOST"], "customer": "C1", "declined": ["PARM", "NOPE"]}',
        '{"basket": [["PASTA", 0]]}',
        '{"basket": ["PASTA"], "declined": "PARM"}',
        "",
    ]
    out = io.StringIO()
    run_jsonl(engine, 3, io.StringIO("\n".join(lines) + "\n"), out)
    got = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(got) == len(lines)
    assert [s["sku"] for s in got[0]["suggestions"]][0] == "PARM"
    assert got[0]["suggestions"][0]["kind"] == "cross"   # its cross score beats the bundle's
    for i in (1, 2, 3, 4, 5, 7, 8, 9):
        assert set(got[i]) == {"error"}, got[i]
    assert "not JSON" in got[1]["error"] and "colour" in got[4]["error"]
    assert "basket" in got[5]["error"]
    assert got[6]["warnings"] == ["unknown sku: GHOST", "unknown sku: NOPE"]
    assert "PARM" not in [s["sku"] for s in got[6]["suggestions"]]


def test_jsonl_through_the_command(published):
    proc = subprocess.run([sys.executable, "-m", "pos", "suggest", "--db", str(published),
                           "--k", "2", "--jsonl"], input='{"basket": ["PH-64"]}\nbad\n',
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])["suggestions"]
    assert any(s["kind"] == "upsell" and s["sku"] == "PH-128" for s in first)
    # each suggestion says which basket sku explains it (an upsell: the line it upgrades)
    assert [s["anchor"] for s in first if s["kind"] == "upsell"] == ["PH-64"]
    assert "error" in json.loads(lines[1])


def test_jsonl_a_line_nested_too_deep_or_not_utf8_is_an_error_line(published):
    engine = Engine.open(published)
    out = io.StringIO()
    run_jsonl(engine, 3, io.StringIO("[" * 100_000 + "\n"), out)
    assert json.loads(out.getvalue()) == {"error": "not JSON: nested too deep"}
    assert answer_line(engine, 3, '{"basket": [["PASTA", 1e400]]}')["error"].startswith(
        "quantity of 'PASTA'")
    with pytest.raises(ValueError, match="not UTF-8"):
        load_request(b'{"basket": ["\xff"]}')
