"""The README's layout section names every module and package of pos/, every
script and every folder of the repository, so that it matches the tree."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def layout() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.search(r"## Layout\n\n```\n(.*?)```", readme, re.S).group(1)


def tracked() -> list[Path]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [Path(line) for line in out.stdout.splitlines()]


def test_every_part_of_the_tree_is_in_the_layout():
    text, files = layout(), tracked()
    wanted = {f"{p.parts[0]}/" for p in files if len(p.parts) > 1}          # top-level folders
    wanted |= {p.name if p.suffix == ".py" else f"{p.name}/"                 # pos's modules and packages
               for p in (ROOT / "pos").iterdir()
               if (p.suffix == ".py" and not p.name.startswith("__")) or (p / "__init__.py").exists()}
    wanted |= {p.name for p in files if p.parts[0] == "scripts" and len(p.parts) == 2}
    missing = sorted(name for name in wanted if not re.search(rf"(?<![\w./-]){re.escape(name)}", text))
    assert not missing, f"README's layout does not name: {', '.join(missing)}"
