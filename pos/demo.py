"""The main job until the till exists: generate the demo dump, load it, show the store."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "scripts" / "make-demo-store"


def run_demo(directory: Path, baskets: int) -> int:
    from .cli import main as pos_main

    dump, db = directory / "dump", directory / "store.db"
    print(f"Generating the demo dump in {dump} ...", flush=True)
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(dump), "--baskets", str(baskets),
                    "--export-time", "now"], check=True)
    code = pos_main(["load", str(dump), "--db", str(db)])
    if code:
        return code
    return pos_main(["info", "--db", str(db)])
