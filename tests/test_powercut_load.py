"""Power cuts against `pos load` publishing (issue 18, item 2): a real `pos load`
process publishing over a store on the power-cut file system
(tools/pos_tools/powercut), the power cut at a random one of the calls it makes
that change something (or, one time in 8 or so, just after it ends), the file system mounted again:
the published store is the old one or the new one, whole (integrity_check, the
same rows as the store that dump gives), never damaged, never missing once it
was published; and the next load succeeds. The first loads create the store
(pos/store/publish.py: a hard link and a directory fsync), the later ones
replace it (the backup API into the live file), each from the other of two dumps.

POS_POWERCUTS=1000 runs the long set (this test does 12% of it)."""
from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import good_files, powercuts, snapshot, write_dump
from test_publish import renamed_dump

CUTS = powercuts("load")
SEED = int(os.environ.get("POS_CRASH_SEED", "2026"))


def load(dump: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pos", "load", str(dump), "--db", str(db),
                           "--no-backtest", "--quiet"], capture_output=True, text=True)


def store_state(db: Path) -> list[str] | None:
    if not db.exists():
        return None
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], db
    finally:
        conn.close()
    return snapshot(db)


def test_power_cuts_during_pos_load_leave_the_old_store_or_the_new_one(tmp_path, powercut):
    rnd = random.Random(SEED)
    dumps = [write_dump(tmp_path / "dump-a", good_files()), renamed_dump(tmp_path)]
    expected = []
    for i, dump in enumerate(dumps):           # the store each dump gives, on a plain disk
        done = load(dump, tmp_path / f"reference-{i}.db")
        assert done.returncode == 0, done.stderr
        expected.append(snapshot(tmp_path / f"reference-{i}.db"))
    assert expected[0] != expected[1]
    m = powercut()
    db = m.mountpoint / "shop" / "store.db"         # the load makes the directory
    calls = []                                  # a whole load's changing calls: creating, replacing
    for dump in dumps:
        before = m.count()
        assert load(dump, m.mountpoint / "calibrate" / "store.db").returncode == 0
        calls.append(m.count() - before)
    current: int | None = None                  # which dump the published store is from
    inside, outcomes = 0, {"old": 0, "new": 0}
    for _ in range(CUTS):
        new = 0 if current is None else 1 - current
        whole = calls[current is not None]     # one cut in 8 or so just after it ends
        m.cut_after(rnd.randint(1, whole + whole // 8))
        done = load(dumps[new], db)
        m.cut()
        cut_inside = m.auto_cut
        if cut_inside:
            inside += 1
        else:
            assert done.returncode == 0, done.stderr
        m.unmount()
        m = powercut()
        state = store_state(db)
        if not cut_inside:                      # it said it published: it must have
            assert state == expected[new], "a load that ended well is not published"
        if state is None:
            assert current is None, "the published store is gone"
            outcomes["old"] += 1
            continue
        assert state in (expected[new], expected[current] if current is not None else None), \
            "the store is neither the old one nor the new one"
        outcomes["new" if state == expected[new] else "old"] += 1
        if state == expected[new]:
            current = new
    done = load(dumps[0 if current is None else 1 - current], db)     # the next night's load
    assert done.returncode == 0, done.stderr
    print(f"load power cuts: {CUTS} ({inside} during the load of {calls} changing calls), "
          f"the old store after "
          f"{outcomes['old']}, the new one after {outcomes['new']}, damaged: 0")
    assert inside >= CUTS // 2 and outcomes["old"] and outcomes["new"]
