"""`pos demo` from an installed wheel, run outside the source tree: the demo
generator and its data files (pos/demo/, pos/demo/data/) are package contents."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, build_wheel


def run(argv, **kw):
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=900,
                          stdin=subprocess.DEVNULL, **kw)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.slow
def test_pos_demo_runs_from_an_installed_wheel(tmp_path):
    wheel = build_wheel(tmp_path)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv])
    pip = [venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
           "--no-deps"]
    run([*pip, "--require-hashes", "-r", ROOT / "requirements" / "runtime.txt"])
    run([*pip, wheel])
    [site] = (venv / "lib").glob("python3*/site-packages")
    installed = {p.name for p in site.iterdir()}
    # the till's packages, and no development tools (pos-tools) or test oracles
    assert {"pos", "pos_hardware"} <= installed and "pos_tools" not in installed
    assert not (site / "pos" / "bench").exists() and not (site / "pos" / "engine_reference.py").exists()
    # the scanner emulator's package: the demo without the till must not need it
    shutil.rmtree(site / "pos_hardware")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = run([venv / "bin" / "pos", "demo", "--no-till", "--baskets", "1500", "--dir", "demo"],
              cwd=elsewhere)
    assert (elsewhere / "demo" / "store.db").is_file()
    assert "Basket:" in out
    assert "No demo receipt: the printer emulator is not installed" in out
