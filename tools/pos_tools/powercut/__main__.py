"""`python -m pos_tools.powercut MOUNTPOINT BACKING`: mounts the power-cut file
system over BACKING and says `ready` on stdout; reads commands on stdin, one a
line, each answered by one line:

    cut            the power goes now: what was not fsynced is dropped, every
                   later call fails with EIO                       -> cut
    cut-after N    the power goes at the N-th call from now that changes
                   something (write, truncate, fsync, create, rename, ...;
                   that call fails)                                -> armed
    count          the calls that changed something so far         -> count N

and says `cut auto` when an armed cut happens. Unmount with `fusermount3 -u
MOUNTPOINT`; at the end of stdin it unmounts itself (lazily)."""
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
        word, *rest = line.split() or [""]
        if word == "cut":
            ops.cut()
            say("cut")
        elif word == "cut-after" and len(rest) == 1 and rest[0].isdigit():
            ops.arm(int(rest[0]))
            say("armed")
        elif word == "count":
            say(f"count {ops.mutations}")
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

    ops = PowerCut(args.backing, on_ready=ready, on_auto_cut=lambda: say("cut auto"))
    guarded(ops)
    # no attribute, entry or page caching in the kernel: every call reaches ops, so
    # every call after a cut fails (the -shm files excepted: fs.PowerCut._opened);
    # hard_remove: a file unlinked while open is gone from the tree at once, and
    # the calls on it come without a path, served by its handle (raw_fi: .fh)
    mfusepy.FUSE(ops, args.mountpoint, raw_fi=True, foreground=True, hard_remove=True,
                 fsname="powercut", subtype="powercut", auto_unmount=True,
                 attr_timeout=0, entry_timeout=0, negative_timeout=0)


if __name__ == "__main__":
    main()
