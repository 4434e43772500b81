"""Runs `pos load` or `pos export` in this process with a checkpoint that stops
the process (SIGSTOP) at a named point, after saying so on stderr, so that a
crash test can SIGKILL it there without sleeping:

    python tests/stop_driver.py load POINT DUMP STORE.db
    python tests/stop_driver.py export POINT JOURNAL OUT.csv
"""
from __future__ import annotations

import os
import signal
import sys
from pathlib import Path


def stopper(job: str, point: str):
    def checkpoint(name: str) -> None:
        if name == point:
            print(f"{job}: stopped at {name}", file=sys.stderr, flush=True)
            os.kill(os.getpid(), signal.SIGSTOP)
    return checkpoint


def main(job: str, point: str, source: str, target: str) -> None:
    if job == "load":
        from pos.load import LoadOptions, load_dump
        # stopping mid-copy needs a copy of more than one step: page by page
        options = LoadOptions(publish_pages=1 if point == "publish-mid" else 4096)
        load_dump(Path(source), Path(target), options, checkpoint=stopper("pos-load", point))
    else:
        from pos.export import export_sales
        export_sales(Path(source), Path(target), checkpoint=stopper("pos-export", point))


if __name__ == "__main__":
    main(*sys.argv[1:])
