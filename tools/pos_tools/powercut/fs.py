"""The power-cut file system's operations: the backing directory holds the
durable state, memory holds what was written since the last fsync (each file's
pages and size, each directory's entries), and a cut throws that away and fails
every later call with EIO."""
from __future__ import annotations

import errno
import functools
import os
import shutil
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import mfusepy

BLOCK = 4096
HIDDEN = ".powercut-fs"         # in the backing directory: synced files not (yet) named anywhere
F = TypeVar("F", bound=Callable[..., Any])


def fail(code: int) -> mfusepy.FuseOSError:
    return mfusepy.FuseOSError(code)


class Node:
    """A file or a directory of the live view."""

    def __init__(self, number: int, mode: int):
        self.number = number
        self.mode = mode
        self.links = 1
        self.mtime = time.time_ns()


class File(Node):
    """Durable content in `store` (a hard link in the hidden directory, so renames
    never move it), the first `base` bytes of which are still the file's; the
    pages written since the last fsync in `dirty`; the live size in `size`."""

    def __init__(self, number: int, mode: int, store: Path | None):
        super().__init__(number, mode)
        self.store = store
        self.size = store.stat().st_size if store is not None else 0
        self.base = self.size
        self.dirty: dict[int, bytearray] = {}
        self.fd: int | None = None

    def _fd(self) -> int:
        if self.fd is None:
            assert self.store is not None
            self.fd = os.open(self.store, os.O_RDWR)
        return self.fd

    def _base_page(self, index: int) -> bytearray:
        page = bytearray(BLOCK)
        start = index * BLOCK
        if self.store is not None and start < self.base:
            data = os.pread(self._fd(), min(BLOCK, self.base - start), start)
            page[:len(data)] = data
        return page

    def read(self, size: int, offset: int) -> bytes:
        end = min(offset + size, self.size)
        out = bytearray()
        position = offset
        while position < end:
            index, within = divmod(position, BLOCK)
            page = self.dirty.get(index)
            if page is None:
                page = self._base_page(index)
            take = min(BLOCK - within, end - position)
            out += page[within:within + take]
            position += take
        return bytes(out)

    def write(self, data: bytes, offset: int) -> None:
        position, view = offset, memoryview(data)
        while view:
            index, within = divmod(position, BLOCK)
            page = self.dirty.get(index)
            if page is None:
                page = self.dirty[index] = self._base_page(index)
            take = min(BLOCK - within, len(view))
            page[within:within + take] = view[:take]
            view = view[take:]
            position += take
        self.size = max(self.size, offset + len(data))
        self.mtime = time.time_ns()

    def truncate(self, length: int) -> None:
        if length < self.size:
            for index in [i for i in self.dirty if i * BLOCK >= length]:
                del self.dirty[index]
            index, within = divmod(length, BLOCK)
            if within and index in self.dirty:
                self.dirty[index][within:] = bytes(BLOCK - within)
            self.base = min(self.base, length)
        self.size = length
        self.mtime = time.time_ns()

    def sync(self, hidden: Path) -> None:
        """fsync: the content as it is now becomes the durable one."""
        if self.store is None:
            self.store = hidden / f"file-{self.number}"
            os.close(os.open(self.store, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        fd = self._fd()
        if self.base < os.fstat(fd).st_size:
            os.ftruncate(fd, self.base)
        for index, page in sorted(self.dirty.items()):
            start = index * BLOCK
            if start < self.size:
                os.pwrite(fd, page[:min(BLOCK, self.size - start)], start)
        os.ftruncate(fd, self.size)
        os.fchmod(fd, stat.S_IMODE(self.mode))
        os.fsync(fd)
        self.dirty.clear()
        self.base = self.size

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Dir(Node):
    """Live entries and the durable ones (what the backing directory holds); a
    directory never synced into its parent keeps its durable entries in the
    hidden directory until it is."""

    def __init__(self, number: int, mode: int, backing: Path | None):
        super().__init__(number, mode)
        self.links = 2
        self.backing = backing
        self.live: dict[str, Node] | None = None        # None: not read from the backing yet
        self.durable: dict[str, Node] = {}


class PowerCut(mfusepy.Operations):
    """The operations; one mutex makes each call atomic with respect to a cut (not
    named `lock`: that is FUSE's POSIX-lock call, which the kernel answers itself
    when the file system has none, as here: SQLite's fcntl locks work across
    processes)."""

    use_ns = True       # times in nanoseconds

    def __init__(self, backing: Path, on_ready: Callable[[], None] = lambda: None,
                 on_auto_cut: Callable[[], None] = lambda: None):
        self.backing = backing.resolve()
        self.hidden = self.backing / HIDDEN
        shutil.rmtree(self.hidden, ignore_errors=True)      # the orphans of the last run
        self.hidden.mkdir()
        self.mutex = threading.Lock()
        self.numbers = 0
        self.dead = False
        self.handles: dict[int, Node] = {}
        self.next_handle = 1
        self.root = Dir(self._number(), stat.S_IFDIR | 0o755, self.backing)
        self.on_ready = on_ready
        self.on_auto_cut = on_auto_cut
        self.mutations = 0                  # calls that changed something, so far
        self.countdown: int | None = None   # arm(): the call that cuts

    # -- the cut ---------------------------------------------------------------

    def cut(self) -> None:
        """Power is gone: nothing more reaches the backing directory, every call fails."""
        with self.mutex:
            self.cut_locked()

    def arm(self, calls: int) -> None:
        """The power goes at the `calls`-th call that changes something from now."""
        with self.mutex:
            self.countdown = calls

    def cut_locked(self) -> None:
        if not self.dead:
            self.dead = True
            for node in list(self.handles.values()):
                if isinstance(node, File):
                    node.close()
            self._close_all(self.root)
            self.handles.clear()

    def _close_all(self, directory: Dir) -> None:
        for node in (directory.live or {}).values():
            if isinstance(node, File):
                node.close()
            elif isinstance(node, Dir):
                self._close_all(node)

    # -- the tree ----------------------------------------------------------------

    def _number(self) -> int:
        self.numbers += 1
        return self.numbers

    def _entries(self, directory: Dir) -> dict[str, Node]:
        if directory.live is None:
            directory.live = {}
            if directory.backing is not None:
                for entry in os.scandir(directory.backing):
                    if directory is self.root and entry.name == HIDDEN:
                        continue
                    info = entry.stat(follow_symlinks=False)
                    node: Node
                    if stat.S_ISDIR(info.st_mode):
                        node = Dir(self._number(), info.st_mode, Path(entry.path))
                    elif stat.S_ISREG(info.st_mode):
                        number = self._number()
                        store = self.hidden / f"file-{number}"
                        os.link(entry.path, store)
                        node = File(number, info.st_mode, store)
                    else:
                        continue                      # symlinks, devices: not modelled
                    node.mtime = info.st_mtime_ns
                    directory.live[entry.name] = node
            directory.durable = dict(directory.live)
        return directory.live

    def _lookup(self, path: str) -> Node:
        node: Node = self.root
        for part in path.strip("/").split("/"):
            if not part:
                continue
            if not isinstance(node, Dir):
                raise fail(errno.ENOTDIR)
            found = self._entries(node).get(part)
            if found is None:
                raise fail(errno.ENOENT)
            node = found
        return node

    def _parent(self, path: str) -> tuple[Dir, str]:
        head, _, name = path.rstrip("/").rpartition("/")
        parent = self._lookup(head or "/")
        if not isinstance(parent, Dir):
            raise fail(errno.ENOTDIR)
        if parent is self.root and name == HIDDEN:
            raise fail(errno.EPERM)
        return parent, name

    def _node(self, path: str | None, fh: Any) -> Node:
        fh = getattr(fh, "fh", fh)              # raw_fi: the fuse_file_info itself
        if fh:
            node = self.handles.get(fh)
            if node is None:
                raise fail(errno.EBADF)
            return node
        if path is None:
            raise fail(errno.EBADF)
        return self._lookup(path)

    def _file(self, path: str | None, fh: Any) -> File:
        node = self._node(path, fh)
        if not isinstance(node, File):
            raise fail(errno.EISDIR)
        return node

    def _handle(self, node: Node) -> int:
        fh = self.next_handle
        self.next_handle += 1
        self.handles[fh] = node
        return fh

    def _sync_dir(self, directory: Dir) -> None:
        """fsync of a directory: its entries as they are now become the durable ones."""
        live = self._entries(directory)
        if directory.backing is None:
            directory.backing = self.hidden / f"dir-{directory.number}"
            directory.backing.mkdir()
        for name, node in list(directory.durable.items()):
            if live.get(name) is not node:
                target = directory.backing / name
                if isinstance(node, Dir):
                    shutil.rmtree(target)
                else:
                    target.unlink()
                del directory.durable[name]
        for name, node in live.items():
            if directory.durable.get(name) is node:
                continue
            target = directory.backing / name
            if isinstance(node, File):
                if node.store is None:          # named durably, its content never synced: empty
                    node.store = self.hidden / f"file-{node.number}"
                    os.close(os.open(node.store, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
                    node.base = 0
                os.link(node.store, target)
            else:
                assert isinstance(node, Dir)
                if node.backing is None:
                    target.mkdir(stat.S_IMODE(node.mode))
                else:                           # synced before its parent: moved into place
                    node.backing.rename(target)
                node.backing = target
                self._rebase(node)
            directory.durable[name] = node
        fd = os.open(directory.backing, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def _rebase(self, directory: Dir) -> None:
        """After a directory moved into place, its durable subdirectories' paths."""
        assert directory.backing is not None
        for name, node in directory.durable.items():
            if isinstance(node, Dir):
                node.backing = directory.backing / name
                self._rebase(node)

    # -- the operations ------------------------------------------------------------

    def init(self, path: str) -> None:
        self.on_ready()

    def getattr(self, path: str | None, fh: Any = None) -> dict[str, Any]:
        node = self._node(path, fh)
        size = node.size if isinstance(node, File) else 4096
        return {"st_mode": node.mode, "st_nlink": node.links, "st_size": size,
                "st_uid": os.getuid(), "st_gid": os.getgid(), "st_ino": node.number,
                "st_blocks": (size + 511) // 512, "st_blksize": BLOCK,
                "st_mtime": node.mtime, "st_ctime": node.mtime, "st_atime": node.mtime}

    def readdir(self, path: str, fh: int) -> list[str]:
        directory = self._node(path, fh if fh in self.handles else None)
        if not isinstance(directory, Dir):
            raise fail(errno.ENOTDIR)
        return [".", "..", *self._entries(directory)]

    def opendir(self, path: str) -> int:
        directory = self._lookup(path)
        if not isinstance(directory, Dir):
            raise fail(errno.ENOTDIR)
        return self._handle(directory)

    def releasedir(self, path: str | None, fh: int) -> int:
        self.handles.pop(fh, None)
        return 0

    def fsyncdir(self, path: str | None, datasync: int, fh: int) -> int:
        directory = self._node(path, fh)
        if not isinstance(directory, Dir):
            raise fail(errno.ENOTDIR)
        self._sync_dir(directory)
        return 0

    def mkdir(self, path: str, mode: int) -> int:
        parent, name = self._parent(path)
        if name in self._entries(parent):
            raise fail(errno.EEXIST)
        node = Dir(self._number(), stat.S_IFDIR | stat.S_IMODE(mode), None)
        node.live = {}
        parent.live[name] = node    # type: ignore[index]
        parent.links += 1
        return 0

    def rmdir(self, path: str) -> int:
        parent, name = self._parent(path)
        node = self._entries(parent).get(name)
        if node is None:
            raise fail(errno.ENOENT)
        if not isinstance(node, Dir):
            raise fail(errno.ENOTDIR)
        if self._entries(node):
            raise fail(errno.ENOTEMPTY)
        del parent.live[name]       # type: ignore[union-attr]
        parent.links -= 1
        return 0

    def _opened(self, name: str, node: Node, info: Any) -> int:
        """Direct I/O (every read and write reaches this process, none is answered
        from the kernel's page cache, so none succeeds after a cut), except for
        SQLite's -shm files: mmapped by every connection, which needs the page
        cache; never synced, and rebuilt from the WAL after a crash."""
        info.fh = self._handle(node)
        info.direct_io = not name.endswith("-shm")
        return 0

    def create(self, path: str, mode: int, info: Any) -> int:
        flags = info.flags
        parent, name = self._parent(path)
        entries = self._entries(parent)
        node = entries.get(name)
        if node is None:
            node = entries[name] = File(self._number(), stat.S_IFREG | stat.S_IMODE(mode), None)
        elif flags & os.O_EXCL:
            raise fail(errno.EEXIST)
        elif isinstance(node, File) and flags & os.O_TRUNC:
            node.truncate(0)
        return self._opened(name, node, info)

    def open(self, path: str, info: Any) -> int:
        node = self._lookup(path)
        if isinstance(node, File) and info.flags & os.O_TRUNC:
            node.truncate(0)
        return self._opened(path.rpartition("/")[2], node, info)

    def release(self, path: str | None, fh: Any) -> int:
        node = self.handles.pop(getattr(fh, "fh", fh), None)
        if isinstance(node, File) and node.links == 0 and node not in self.handles.values():
            node.close()
        return 0

    def read(self, path: str | None, size: int, offset: int, fh: Any) -> bytes:
        return self._file(path, fh).read(size, offset)

    def write(self, path: str | None, data: bytes, offset: int, fh: Any) -> int:
        self._file(path, fh).write(data, offset)
        return len(data)

    def truncate(self, path: str | None, length: int, fh: Any = None) -> int:
        self._file(path, fh).truncate(length)
        return 0

    def fsync(self, path: str | None, datasync: int, fh: Any) -> int:
        node = self._node(path, fh)
        if isinstance(node, File):
            node.sync(self.hidden)
        elif isinstance(node, Dir):
            self._sync_dir(node)
        return 0

    def flush(self, path: str | None, fh: Any) -> int:
        return 0

    def unlink(self, path: str) -> int:
        parent, name = self._parent(path)
        node = self._entries(parent).get(name)
        if node is None:
            raise fail(errno.ENOENT)
        if isinstance(node, Dir):
            raise fail(errno.EISDIR)
        del parent.live[name]       # type: ignore[union-attr]
        node.links -= 1
        return 0

    def rename(self, old: str, new: str) -> int:
        old_parent, old_name = self._parent(old)
        new_parent, new_name = self._parent(new)
        node = self._entries(old_parent).get(old_name)
        if node is None:
            raise fail(errno.ENOENT)
        if isinstance(node, Dir):
            raise fail(errno.EXDEV)         # directories are not renamed here (docs/power-cuts.md)
        replaced = self._entries(new_parent).get(new_name)
        if replaced is node:
            return 0
        if isinstance(replaced, Dir):
            raise fail(errno.EISDIR)
        if replaced is not None:
            replaced.links -= 1
        del old_parent.live[old_name]       # type: ignore[union-attr]
        new_parent.live[new_name] = node    # type: ignore[index]
        return 0

    def link(self, target: str, source: str) -> int:
        node = self._lookup(source)
        if isinstance(node, Dir):
            raise fail(errno.EPERM)
        parent, name = self._parent(target)
        if name in self._entries(parent):
            raise fail(errno.EEXIST)
        parent.live[name] = node    # type: ignore[index]
        node.links += 1
        return 0

    def chmod(self, path: str | None, mode: int) -> int:
        node = self._lookup(path or "/")
        node.mode = stat.S_IFMT(node.mode) | stat.S_IMODE(mode)
        return 0

    def chown(self, path: str | None, uid: int, gid: int) -> int:
        return 0

    def utimens(self, path: str | None, times: tuple[int, int] | None = None) -> int:
        node = self._lookup(path or "/")
        node.mtime = times[1] if times else time.time_ns()
        return 0

    def access(self, path: str, amode: int) -> int:
        self._lookup(path)
        return 0

    def statfs(self, path: str) -> dict[str, int]:
        info = os.statvfs(self.backing)
        return {key: getattr(info, key) for key in (
            "f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
            "f_favail", "f_flag", "f_namemax")}


MUTATING = frozenset(("write", "truncate", "fsync", "fsyncdir", "create", "mkdir", "unlink",
                      "rmdir", "rename", "link"))


def guarded(ops: PowerCut) -> None:
    """Every operation under the mutex, and EIO once the power is cut; the calls
    that change something are counted, and the one `ops.countdown` names cuts
    the power instead of running (a cut at an exact point of a process's work)."""
    for name in ("getattr", "readdir", "opendir", "releasedir", "fsyncdir", "mkdir", "rmdir",
                 "create", "open", "release", "read", "write", "truncate", "fsync", "flush",
                 "unlink", "rename", "link", "chmod", "chown", "utimens", "access", "statfs"):
        method = getattr(ops, name)

        @functools.wraps(method)
        def call(*args: Any, _method: Callable[..., Any] = method, _name: str = name,
                 **kwargs: Any) -> Any:
            with ops.mutex:
                if ops.dead:
                    raise fail(errno.EIO)
                if _name in MUTATING:
                    ops.mutations += 1
                    if ops.countdown is not None:
                        ops.countdown -= 1
                        if ops.countdown <= 0:
                            ops.cut_locked()
                            ops.on_auto_cut()
                            raise fail(errno.EIO)
                return _method(*args, **kwargs)
        setattr(ops, name, call)
