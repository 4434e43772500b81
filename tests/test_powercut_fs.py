"""The power-cut file system itself (tools/pos_tools/powercut): what was fsynced
is there after a cut and a new mount, what was not is gone, as after a power
loss; file contents by the file's fsync, names by their directory's; and every
call after a cut fails."""
from __future__ import annotations

import errno
import os
import sqlite3

import pytest


def fsync_dir(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write(path, data: bytes, sync: bool) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        if sync:
            os.fsync(f.fileno())


def again(m, mount):
    """Cut, unmount, mount again over the same backing directory."""
    m.cut()
    m.unmount()
    return mount()


def test_content_is_durable_only_once_fsynced(powercut):
    m = powercut()
    p = m.mountpoint
    write(p / "synced", b"one", sync=True)
    write(p / "unsynced", b"one", sync=True)
    fsync_dir(p)
    write(p / "synced", b"two, longer", sync=True)
    write(p / "unsynced", b"two, longer", sync=False)
    assert (p / "unsynced").read_bytes() == b"two, longer"      # the live view has it
    m = again(m, powercut)
    assert (p / "synced").read_bytes() == b"two, longer"
    assert (p / "unsynced").read_bytes() == b"one"
    # a write in the middle of a synced file, not synced: the old bytes come back
    with open(p / "synced", "r+b") as f:
        f.seek(5)
        f.write(b"XX")
    assert (p / "synced").read_bytes() == b"two, XXnger"
    m = again(m, powercut)
    assert (p / "synced").read_bytes() == b"two, longer"


def test_a_new_file_needs_its_directory_fsynced(powercut):
    m = powercut()
    p = m.mountpoint
    write(p / "new", b"data", sync=True)                # content synced, name not
    (p / "sub").mkdir()
    write(p / "sub" / "inner", b"x", sync=True)
    fsync_dir(p / "sub")                                # the entry inside, not sub itself
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == []
    write(p / "new", b"data", sync=True)
    (p / "sub").mkdir()
    write(p / "sub" / "inner", b"x", sync=True)
    fsync_dir(p / "sub")
    fsync_dir(p)
    named = p / "named-only"
    write(named, b"never synced", sync=False)
    fsync_dir(p)                                        # its name is durable, its content not
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == ["named-only", "new", "sub"]
    assert (p / "new").read_bytes() == b"data"
    assert (p / "sub" / "inner").read_bytes() == b"x"
    assert named.read_bytes() == b""


def test_rename_and_unlink_follow_the_directory_fsync(powercut):
    m = powercut()
    p = m.mountpoint
    write(p / "target", b"old", sync=True)
    write(p / "gone", b"g", sync=True)
    fsync_dir(p)
    write(p / ".target.tmp", b"new", sync=True)
    os.rename(p / ".target.tmp", p / "target")
    os.unlink(p / "gone")
    assert sorted(os.listdir(p)) == ["target"]
    m = again(m, powercut)                              # the directory was not synced
    assert sorted(os.listdir(p)) == ["gone", "target"]
    assert (p / "target").read_bytes() == b"old"
    write(p / ".target.tmp", b"new", sync=True)
    os.rename(p / ".target.tmp", p / "target")
    os.unlink(p / "gone")
    fsync_dir(p)
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == ["target"]
    assert (p / "target").read_bytes() == b"new"


def test_hard_links(powercut):
    m = powercut()
    p = m.mountpoint
    write(p / "built", b"store", sync=True)
    fsync_dir(p)
    os.link(p / "built", p / "live")
    assert os.stat(p / "live").st_nlink == 2
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == ["built"]
    os.link(p / "built", p / "live")
    fsync_dir(p)
    os.unlink(p / "built")
    fsync_dir(p)
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == ["live"] and (p / "live").read_bytes() == b"store"


def test_truncate_and_ftruncate(powercut):
    m = powercut()
    p = m.mountpoint
    data = bytes(range(256)) * 40                       # 10,240 bytes, three pages
    write(p / "f", data, sync=True)
    fsync_dir(p)
    os.truncate(p / "f", 100)
    os.truncate(p / "f", 9000)                          # what was cut off reads as zeros
    assert (p / "f").read_bytes() == data[:100] + bytes(8900)
    m = again(m, powercut)
    assert (p / "f").read_bytes() == data
    with open(p / "f", "r+b") as f:
        f.truncate(5000)
        f.seek(6000)
        f.write(b"end")
        f.flush()
        os.fsync(f.fileno())
    m = again(m, powercut)
    assert (p / "f").read_bytes() == data[:5000] + bytes(1000) + b"end"
    with open(p / "f", "r+b") as f:
        os.ftruncate(f.fileno(), 0)
    assert (p / "f").read_bytes() == b""
    m = again(m, powercut)
    assert len((p / "f").read_bytes()) == 6003


def test_sqlite_in_wal_keeps_what_it_committed(powercut):
    m = powercut()
    p = m.mountpoint
    conn = sqlite3.connect(p / "j.db", isolation_level=None)
    assert conn.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, body TEXT)")
    for i in range(200):
        conn.execute("INSERT INTO t VALUES (?, ?)", (i, "x" * 300))
    reader = sqlite3.connect(p / "j.db")                # a second connection: -shm, fcntl locks
    assert reader.execute("SELECT count(*) FROM t").fetchone() == (200,)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("BEGIN")
    conn.execute("INSERT INTO t VALUES (1000, 'not committed')")
    m.cut()
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("COMMIT")
    conn.close()
    reader.close()
    m.unmount()
    m = powercut()
    conn = sqlite3.connect(p / "j.db")
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("SELECT count(*), max(x) FROM t").fetchone() == (200, 199)
    conn.close()


def test_every_call_after_a_cut_fails(powercut):
    m = powercut()
    p = m.mountpoint
    write(p / "f", b"data", sync=True)
    fsync_dir(p)
    held = open(p / "f", "r+b")
    m.cut()
    calls = {
        "stat": lambda: os.stat(p / "f"),
        "listdir": lambda: os.listdir(p),
        "open": lambda: open(p / "f", "rb"),
        "create": lambda: open(p / "new", "wb"),
        "mkdir": lambda: os.mkdir(p / "d"),
        "unlink": lambda: os.unlink(p / "f"),
        "rename": lambda: os.rename(p / "f", p / "g"),
        "read": lambda: os.pread(held.fileno(), 4, 0),
        "write": lambda: os.pwrite(held.fileno(), b"x", 0),
        "fsync": lambda: os.fsync(held.fileno()),
        "ftruncate": lambda: os.ftruncate(held.fileno(), 0),
    }
    for name, call in calls.items():
        with pytest.raises(OSError) as error:
            call()
        assert error.value.errno == errno.EIO, (name, error.value)
    try:
        held.close()
    except OSError:
        pass
    m.unmount()
    m = powercut()
    assert (p / "f").read_bytes() == b"data"


def test_an_armed_cut_goes_at_the_nth_change(powercut):
    m = powercut()
    p = m.mountpoint
    before = m.count()
    write(p / "f", b"one", sync=True)                   # create, write, fsync
    assert m.count() - before == 3
    m.cut_after(2)
    fsync_dir(p)                                        # 1: the name is durable
    with pytest.raises(OSError) as error:
        write(p / "f", b"two", sync=True)               # the truncate of "wb": the cut
    assert error.value.errno == errno.EIO
    m.cut()
    assert m.auto_cut
    m.unmount()
    m = powercut()
    assert (p / "f").read_bytes() == b"one"


def test_directories_made_by_make_dirs_survive_a_cut(powercut):
    """pos.durable.make_dirs (the hub's data directory, the store's directory):
    each directory it makes is fsynced into its parent; a plain mkdir is not."""
    from pos.durable import make_dirs

    m = powercut()
    p = m.mountpoint
    make_dirs(p / "durable" / "a" / "b")
    make_dirs(p / "durable" / "a" / "b")                # there already: nothing to do
    (p / "plain" / "a").mkdir(parents=True)
    m = again(m, powercut)
    assert sorted(os.listdir(p)) == ["durable"]
    assert (p / "durable" / "a" / "b").is_dir()
