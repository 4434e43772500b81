"""`python -m pos_tools.powercut MOUNTPOINT BACKING`: mounts the power-cut file
system over BACKING and says `ready` on stdout; reads commands on stdin: `cut`
(drop what was not fsynced, fail every later call; answers `cut`). Unmount with
`fusermount3 -u MOUNTPOINT`; at the end of stdin it unmounts itself."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from pathlib import Path

import mfusepy

from .fs import PowerCut, guarded


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def commands(ops: PowerCut, mountpoint: str) -> None:
    for line in sys.stdin:
        if line.strip() == "cut":
            ops.cut()
            say("cut")
        else:
            say(f"unknown command: {line.strip()}")
    subprocess.run(["fusermount3", "-u", "-z", mountpoint], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m pos_tools.powercut")
    parser.add_argument("mountpoint")
    parser.add_argument("backing", type=Path)
    args = parser.parse_args()
    ops: PowerCut

    def ready() -> None:
        threading.Thread(target=commands, args=(ops, args.mountpoint), daemon=True).start()
        say("ready")

    ops = PowerCut(args.backing, on_ready=ready)
    guarded(ops)
    # no attribute, entry or page caching in the kernel: every call reaches ops, so
    # every call after a cut fails (the -shm files excepted: fs.PowerCut._opened)
    mfusepy.FUSE(ops, args.mountpoint, raw_fi=True, foreground=True, hard_remove=True,
                 fsname="powercut", subtype="powercut", auto_unmount=True,
                 attr_timeout=0, entry_timeout=0, negative_timeout=0)


if __name__ == "__main__":
    main()
