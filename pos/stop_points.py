"""A test hook for the crash tests of long jobs (`pos load`, `pos export`).

With the job's variable set to a point's name, the job stops itself there
(SIGSTOP), so that a test can SIGKILL it at a known point without sleeping.
"""
from __future__ import annotations

import os
import signal
import sys


def stop_point(variable: str, job: str, name: str) -> None:
    """Stop this process at `name` when the environment variable says so."""
    if os.environ.get(variable) == name:
        print(f"{job}: stopped at {name}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGSTOP)
