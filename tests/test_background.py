"""pos.background.Background: a function on a thread, its result or its
exception handed back on join."""
from __future__ import annotations

import threading

import pytest

from pos.background import Background


def test_join_returns_the_result_computed_on_another_thread():
    seen = []
    job = Background(lambda a, b: (seen.append(threading.current_thread()), a + b)[1], 2, 3)
    assert job.join() == 5
    assert seen and seen[0] is not threading.current_thread()


def test_join_raises_what_the_function_raised():
    def fail():
        raise OSError(28, "No space left on device")

    job = Background(fail)
    with pytest.raises(OSError, match="No space left"):
        job.join()


def test_a_caller_already_failing_only_waits():
    started, release = threading.Event(), threading.Event()

    def slow_failure():
        started.set()
        release.wait()
        raise RuntimeError("the writer's")

    job = Background(slow_failure)
    started.wait()
    release.set()
    assert job.join(reraise=False) is None   # waited; the caller's own error is the news
