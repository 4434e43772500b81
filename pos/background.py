"""Threads beside the caller: `Background`, one function run on a thread, its
exception handed back on join (for work that spends its time outside the GIL,
SQLite and the C core, so that two steps of a load overlap on a machine with more
than one core); and `notify`, how a long-lived thread (the hub's pusher, the
printer's spooler, the display's link) calls the UI's on_change.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Callable

log = logging.getLogger("pos.background")


def notify(on_change: Callable[[], object]) -> None:
    """Calls a thread's on_change; a failure (the UI closing) is logged, not raised:
    what the thread did stands whatever the UI does with it."""
    try:
        on_change()
    except Exception:
        log.debug("on_change failed", exc_info=True)


class Background:
    """Runs ``fn(*args)`` on a new thread at once; ``join()`` waits for it and
    raises what it raised (its result otherwise); ``join(reraise=False)`` only
    waits, for a caller that is already failing."""

    def __init__(self, fn: Callable[..., Any], *args: Any, name: str | None = None):
        self._result: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, args),
                                        name=name or getattr(fn, "__name__", "background"),
                                        daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple) -> None:
        try:
            self._result = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the joining thread
            self._error = exc

    def join(self, reraise: bool = True) -> Any:
        self._thread.join()
        if self._error is not None and reraise:
            error, self._error = self._error, None
            raise error
        return self._result
