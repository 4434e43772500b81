"""The serial reader over real ptys and sockets (raw os.write on the master side,
not our emulator): reads, unplug and replug at the same link path, a device that
is absent at start, socket:// and its disconnect, and the keyboard wedge."""
import os
import queue
import socket
import threading
import tty

import pytest

from pos.scanner.events import Connected, Disconnected, FragmentDropped, ScanRead
from pos.scanner.profiles import DeviceProfile, load_profile
from pos.scanner.reader import SerialReader
from pos.scanner.wedge import WedgeInput


class RawPty:
    """A pty whose slave is linked at `link`; unplug closes both ends and removes the link."""

    def __init__(self, link):
        self.link = link
        self.plug()

    def plug(self):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        if os.path.lexists(self.link):
            os.unlink(self.link)
        os.symlink(os.ttyname(self.slave), self.link)

    def unplug(self):
        os.unlink(self.link)
        os.close(self.master)
        os.close(self.slave)

    def write(self, data: bytes):
        os.write(self.master, data)


def next_event(q, kind, timeout=2.0):
    """The next event of `kind`; the others before it are returned too."""
    seen = []
    while True:
        e = q.get(timeout=timeout)
        seen.append(e)
        if isinstance(e, kind):
            return e, seen


@pytest.fixture
def device(tmp_path):
    d = RawPty(str(tmp_path / "scanner"))
    yield d
    try:
        d.unplug()
    except OSError:
        pass


def test_reads_arrive_in_order_with_their_raw_bytes(device):
    q = queue.Queue()
    with SerialReader(device.link, load_profile("honeywell-1900-rs232"), q.put):
        next_event(q, Connected)
        device.write(b"5901234123457\r\n96385074\r\n")
        a, _ = next_event(q, ScanRead)
        b, _ = next_event(q, ScanRead)
    assert (a.text, a.raw, b.text) == ("5901234123457", b"5901234123457\r\n", "96385074")


def test_unplug_is_reported_and_replug_at_the_same_path_reads_again(device):
    q = queue.Queue()
    with SerialReader(device.link, load_profile("generic-cr"), q.put) as reader:
        next_event(q, Connected)
        device.write(b"5901234123457\r590")         # one read, then half of the next
        first, _ = next_event(q, ScanRead)
        device.unplug()
        gone, seen = next_event(q, Disconnected, timeout=1.0)   # the issue: within a second
        assert [e.raw for e in seen if isinstance(e, FragmentDropped)] == [b"590"]
        assert not reader.connected
        device.plug()                                # a new /dev/pts number, same link
        next_event(q, Connected)
        device.write(b"96385074\r")
        again, seen = next_event(q, ScanRead)
    assert first.text == "5901234123457" and again.text == "96385074"
    assert not any(isinstance(e, ScanRead) for e in seen[:-1])   # nothing duplicated


def test_a_scanner_absent_at_start_is_reported_once_and_found_when_plugged(tmp_path):
    link = str(tmp_path / "later")
    q = queue.Queue()
    with SerialReader(link, DeviceProfile("t"), q.put):
        down, _ = next_event(q, Disconnected)
        assert "cannot open" in down.reason
        d = RawPty(link)
        try:
            _, seen = next_event(q, Connected)
            assert sum(isinstance(e, Disconnected) for e in seen) == 0
            d.write(b"96385074\r")
            read, _ = next_event(q, ScanRead)
            assert read.text == "96385074"
        finally:
            d.unplug()


def test_socket_url_reads_and_reports_the_peer_closing():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = queue.Queue()
    threading.Thread(target=lambda: accepted.put(server.accept()[0]), daemon=True).start()
    q = queue.Queue()
    with SerialReader(f"socket://127.0.0.1:{port}", DeviceProfile("t"), q.put):
        next_event(q, Connected)
        conn = accepted.get(timeout=2)
        conn.sendall(b"5901234123457\r")
        read, _ = next_event(q, ScanRead)
        conn.close()
        server.close()
        next_event(q, Disconnected, timeout=1.0)
    assert read.text == "5901234123457"


def test_loop_url_opens():
    q = queue.Queue()
    with SerialReader("loop://", DeviceProfile("t"), q.put):
        connected, _ = next_event(q, Connected)
    assert connected.port


def test_keyboard_wedge_frames_keys_like_serial_bytes():
    w = WedgeInput()
    events = w.text("5901234123457\n", now=0.0)
    assert [e.text for e in events] == ["5901234123457"]
    events = w.key("", "9", 1.0) + w.poll(2.0)      # a lone key, then nothing: not a scan
    assert isinstance(events[-1], FragmentDropped)
    assert [e.text for e in w.text("96385074\r", 3.0)] == ["96385074"]


def test_hwgrep_without_such_a_device_reports_it_and_keeps_trying():
    q = queue.Queue()
    with SerialReader("hwgrep://ffff:fffe", DeviceProfile("t"), q.put) as reader:
        down, _ = next_event(q, Disconnected)
        assert "cannot open" in down.reason and not reader.connected
