"""Device profiles as JSON files (the scanners' and the printers'): a shipped one
by name from its folder in pos_hardware, or any profile file by path, read into
a dict, then into the caller's dataclass (`build_profile`) for its own checks; a
missing, unreadable or malformed file is the caller's error class, naming the file."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

P = TypeVar("P")


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


def build_profile(cls: type[P], d: dict[str, Any], source: str, error: type[Exception]) -> P:
    """The profile dataclass `cls` from the JSON object `d` read from `source`: an
    unknown field, a missing or empty `name` or a field the dataclass refuses is
    `error`, naming the file (each caller then checks its fields' values)."""
    known = set(cls.__dataclass_fields__)           # type: ignore[attr-defined]
    unknown = sorted(set(d) - known)
    if unknown:
        raise error(f"{source}: unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
    if not isinstance(d.get("name"), str) or not d["name"]:
        raise error(f"{source}: field 'name': a non-empty string is required")
    try:
        return cls(**d)
    except TypeError as exc:
        raise error(f"{source}: {exc}") from None
