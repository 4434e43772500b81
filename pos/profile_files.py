"""Device profiles as JSON files (the scanners' and the printers'): a shipped one
by name from its folder in pos_hardware, or any profile file by path, read into
a dict for the caller's own checks; a missing, unreadable or malformed file is
the caller's error class, naming the file."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any


def shipped_dir(folder: str) -> Path:
    """pos_hardware's `folder` (profiles, printers): where the shipped profiles live."""
    return Path(str(resources.files("pos_hardware") / folder))


def shipped_names(folder: str) -> list[str]:
    return sorted(p.stem for p in shipped_dir(folder).glob("*.json"))


def read_profile(name_or_path: str | Path, folder: str, error: type[Exception],
                 noun: str = "profile") -> tuple[dict[str, Any], str]:
    """(the profile's JSON object, where it came from): a shipped profile by name,
    or a file by path; `error` (e.g. "no printer profile named ...") otherwise."""
    path = Path(name_or_path)
    if path.suffix != ".json" and not path.exists():
        path = shipped_dir(folder) / f"{name_or_path}.json"
        if not path.exists():
            raise error(f"no {noun} named {str(name_or_path)!r} "
                        f"(shipped: {', '.join(shipped_names(folder))})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}:{exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise error(f"{path}: a JSON object is expected")
    return data, str(path)
