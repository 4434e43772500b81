"""Driving the power-cut file system from a test: mount, cut, unmount, and why
it cannot run here (no libfuse, no /dev/fuse, not root)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
INSTALL = ROOT / "scripts" / "install-fuse"
TIMEOUT = 30


def unavailable() -> str | None:
    """None when FUSE mounts can be made here, else why not. Installs fuse3
    through scripts/install-fuse when it is missing (root with apt-get)."""
    if not os.path.exists("/dev/fuse"):
        return "no /dev/fuse on this machine"
    if shutil.which("fusermount3") is None or not _libfuse():
        done = subprocess.run([str(INSTALL)], capture_output=True, text=True)
        if done.returncode != 0:
            return done.stderr.strip() or "scripts/install-fuse failed"
    if os.geteuid() != 0:
        return "not root: mounting a FUSE file system for the tests needs root"
    return None


def _libfuse() -> bool:
    from ctypes.util import find_library
    return find_library("fuse3") is not None


class Mount:
    """One mount of the power-cut file system: `mountpoint` shows `backing`'s
    durable state plus what was written since; `cut()`, then `unmount()`."""

    def __init__(self, mountpoint: Path, backing: Path, log: Path):
        self.mountpoint, self.backing = mountpoint, backing
        mountpoint.mkdir(parents=True, exist_ok=True)
        backing.mkdir(parents=True, exist_ok=True)
        self.log = log.open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pos_tools.powercut", str(mountpoint), str(backing)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.auto_cut = False
        self._expect("ready")
        self.mounted = True

    def _expect(self, word: str) -> str:
        """The answer starting with `word` (an armed cut's `cut auto` noted on the way)."""
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        while line == "cut auto":
            self.auto_cut = True
            line = self.process.stdout.readline().strip()
        if line.split(" ")[0] != word:
            self.process.kill()
            self.process.wait()
            raise RuntimeError(f"powercut: expected {word!r}, got {line!r} "
                               f"(see {self.log.name})")
        return line

    def _ask(self, command: str, word: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._expect(word)

    def cut(self) -> None:
        """The power goes: from now on every call fails; what was not fsynced is lost."""
        self._ask("cut", "cut")

    def cut_after(self, calls: int) -> None:
        """The power goes at the `calls`-th call from now that changes something;
        `auto_cut` says after the next `cut()` or `count()` whether it went."""
        self._ask(f"cut-after {calls}", "armed")

    def count(self) -> int:
        """How many calls that change something the file system has had."""
        return int(self._ask("count", "count").split()[1])

    def unmount(self) -> None:
        if not self.mounted:
            return
        self.mounted = False
        done = subprocess.run(["fusermount3", "-u", str(self.mountpoint)],
                              capture_output=True, text=True)
        if done.returncode != 0:        # still busy (a process not yet reaped): lazily
            subprocess.run(["fusermount3", "-u", "-z", str(self.mountpoint)], check=True)
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(TIMEOUT)
        assert self.process.stdout is not None
        self.process.stdout.close()
        self.log.close()

    def __enter__(self) -> "Mount":
        return self

    def __exit__(self, *exc: object) -> None:
        self.unmount()
