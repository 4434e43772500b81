"""The lock (requirements/*.txt, docs/dependencies.md): every dependency pyproject.toml
names is pinned, within its range, with hashes; the dev lock keeps the runtime
lock's pins; and the environment the tests run in is the one the lock describes
(skipped by `scripts/test --latest`, which runs on purpose with newer versions)."""
from __future__ import annotations

import os
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)==(\S+)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})+)",
                 re.M)


def pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    found = {canonicalize_name(n): v for n, v, _ in PIN.findall(text)}
    requirement_lines = [line for line in text.splitlines() if line and line[0].isalnum()]
    assert len(found) == len(requirement_lines), f"{name}: a line without == or hashes"
    return found


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("lock, extras", [("runtime.txt", ()), ("dev.txt", ("test", "bench", "check"))])
def test_every_dependency_is_pinned_within_its_range(lock, extras):
    locked = pins(lock)
    meta = project()
    wanted = [*meta["project"]["dependencies"], *meta["build-system"]["requires"]]
    for extra in extras:
        wanted += meta["project"]["optional-dependencies"][extra]
    for text in wanted:
        req = Requirement(text)
        pinned = locked.get(canonicalize_name(req.name))
        assert pinned is not None, f"{req.name} is not in requirements/{lock}: run scripts/lock"
        assert req.specifier.contains(pinned, prereleases=True), \
            f"requirements/{lock} pins {req.name} {pinned}, outside {req.specifier}"


def test_the_dev_lock_keeps_the_runtime_pins():
    runtime, dev = pins("runtime.txt"), pins("dev.txt")
    assert {n: dev.get(n) for n in runtime} == runtime


@pytest.mark.skipif(os.environ.get("POS_TEST_LATEST") == "1",
                    reason="scripts/test --latest runs with newer versions on purpose")
def test_the_environment_is_the_lock():
    differ = {}
    for name, pinned in pins("dev.txt").items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert not differ, f"installed packages differ from requirements/dev.txt: {differ}; " \
                       "run scripts/bootstrap"
