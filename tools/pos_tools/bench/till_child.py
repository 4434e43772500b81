"""What the till benchmarks' child processes share: the app's size, a terminal
driver without a terminal, the arguments `pos till` would parse, reading a
child's JSON answer (its `@@` line), and hooking a timer into one of the app's
methods."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (120, 40)


def sink_driver():
    from textual.drivers.headless_driver import HeadlessDriver

    class SinkDriver(HeadlessDriver):
        """A terminal driver without a terminal: the app renders every frame to
        escape codes as with a real tty (Textual's headless mode does not), and
        they are counted and dropped."""
        written = 0

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            SinkDriver.written += len(data)

        def _get_terminal_size(self) -> tuple[int, int]:
            return self._size or SIZE

    return SinkDriver


def app_args(db: str, journal: str, device: str | None, profile: str,
             config: str | None = None):
    """The till's options for a benchmark child: the store, a fresh journal, the
    emulator's device (or none), a profile and a store.toml."""
    from pos.ui.launch import TillOptions
    return TillOptions(db=Path(db), journal=Path(journal), scanner=device, profile=profile,
                       config=Path(config) if config else None)


def child_json(cmd: list[str], timeout: float) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    for line in done.stdout.splitlines():
        if line.startswith("@@"):
            return json.loads(line[2:])
    raise RuntimeError(f"{' '.join(cmd[:4])} ... failed ({done.returncode}):\n"
                       f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def hook(owner: object, name: str, replacement: Callable[..., Any]) -> None:
    """Replaces `owner.name` (a method of this app or till object, or a module's
    function) with `replacement`, which usually calls the original around a timer.
    Only this object changes; what it replaces is read by the caller beforehand."""
    setattr(owner, name, replacement)


def ms(seconds: float) -> str:
    """Seconds as the tables' milliseconds, e.g. '26.0'."""
    return f"{seconds * 1000:,.1f}"
