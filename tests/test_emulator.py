"""The scanner emulator (hardware/emulator.py) as a reader sees it: exact bytes on
a real pty (plain os.open and pyserial) and on a TCP socket, for every shipped
profile, AIM on/off, prefix/suffix, every fault, unplug/replug, and the
`pos-scanner-emulator` command run as a subprocess. Waits are polls and queue
reads with timeouts; the only time assertions are lower bounds (pacing, bursts).
"""
from __future__ import annotations

import errno
import json
import os
import queue
import random
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

from pos.scanner.profiles import DeviceProfile, load_profile, shipped_profiles
from pos_hardware.emulator import Emulator
from pos_hardware.emulator_cli import plan, unescape
from pos_hardware.faults import noise_bytes, split_parts
from pos_hardware.framing import (
    bits_per_character,
    frame_bytes,
    guess_aim_identifier,
    seconds_per_byte,
    transmitted_form,
)

EAN13 = "5901234123457"
TIMEOUT = 5.0

# Literal bytes for EAN13 per shipped profile: the framing a real device sends.
EXPECTED_EAN13 = {
    "datalogic-qd2430-usb-com": b"5901234123457\r",
    "generic-cr": b"5901234123457\r",
    "generic-tab-7e1": b"\x025901234123457\t",
    "honeywell-1900-rs232": b"5901234123457\r\n",
    "honeywell-1900-usb-cdc-aim": b"]E05901234123457\r",
    "newland-hr22-lf": b"5901234123457\n",
    "zebra-ds2208-rs232": b"5901234123457\r",
}
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "NONE": b""}


# -- reading the emulator's port --------------------------------------------------

def open_port(path: str) -> int:
    """A reader's plain open of the pty (non-blocking, not our controlling tty)."""
    return os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)


def read_exactly(fd: int, n: int, timeout: float = TIMEOUT) -> bytes:
    return b"".join(read_chunks(fd, n, timeout))


def read_chunks(fd: int, n: int, timeout: float = TIMEOUT) -> list[bytes]:
    """n bytes from fd, as the reads returned them; fails on timeout or EOF."""
    chunks, got = [], 0
    deadline = time.monotonic() + timeout
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while got < n:
        left = deadline - time.monotonic()
        assert left > 0, f"timed out after {got} of {n} bytes: {b''.join(chunks)!r}"
        if not poller.poll(left * 1000):
            continue
        chunk = os.read(fd, n - got)
        assert chunk, f"EOF after {got} of {n} bytes: {b''.join(chunks)!r}"
        chunks.append(chunk)
        got += len(chunk)
    return chunks


def read_to_end(fd: int, timeout: float = TIMEOUT) -> bytes:
    """Everything until the device goes away (EOF or EIO: unplugged or closed)."""
    data = bytearray()
    deadline = time.monotonic() + timeout
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        left = deadline - time.monotonic()
        assert left > 0, f"the device never went away; got {bytes(data)!r}"
        if not poller.poll(left * 1000):
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError as exc:
            assert exc.errno == errno.EIO
            return bytes(data)
        if not chunk:
            return bytes(data)
        data += chunk


def nothing_to_read(fd: int, within: float = 0.1) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return not poller.poll(within * 1000)


def recv_exactly(sock: socket.socket, n: int) -> bytes:
    sock.settimeout(TIMEOUT)
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        assert chunk, f"EOF after {data!r}"
        data += chunk
    return data


@pytest.fixture
def make_emulator(tmp_path):
    """Started emulators on a pty behind tmp_path/scanner (or socket mode), closed at the end."""
    started = []

    def make(profile="generic-cr", **kwargs):
        if "socket_address" not in kwargs:
            kwargs.setdefault("link", tmp_path / "scanner")
        em = Emulator(profile=load_profile(profile) if isinstance(profile, str) else profile, **kwargs)
        started.append(em.start())
        return em

    yield make
    for em in started:
        em.close()


@pytest.fixture
def reader_fds():
    fds = []
    yield fds
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass


def attach(em: Emulator, fds: list[int]) -> int:
    fd = open_port(em.url)
    fds.append(fd)
    assert em.wait_connected(TIMEOUT)
    return fd


def custom_profile(tmp_path: Path, **fields) -> DeviceProfile:
    path = tmp_path / f"{fields['name']}.json"
    path.write_text(json.dumps(fields), encoding="utf-8")
    return load_profile(path)


# -- framing: every shipped profile ------------------------------------------------

def expected_from_fields(name: str) -> bytes:
    p = load_profile(name)
    aim = "]E0" if p.aim else ""
    return (p.prefix + aim + EAN13 + p.suffix).encode() + TERMINATORS[p.terminator]


@pytest.mark.parametrize("name", shipped_profiles())
def test_every_shipped_profile_frames_a_read_exactly(name, make_emulator, reader_fds):
    expected = EXPECTED_EAN13.get(name, expected_from_fields(name))
    assert expected == expected_from_fields(name)
    em = make_emulator(name)
    fd = attach(em, reader_fds)
    assert em.scan(EAN13) == expected
    assert read_exactly(fd, len(expected)) == expected
    assert nothing_to_read(fd)
    assert em.sent == [EAN13]


@pytest.mark.parametrize("name", shipped_profiles())
def test_pyserial_reads_every_profile_over_the_link(name, make_emulator):
    em = make_emulator(name)
    profile = load_profile(name)
    with serial.Serial(em.url, timeout=TIMEOUT, exclusive=True, **profile.serial_kwargs) as port:
        assert em.wait_connected(TIMEOUT)
        em.scan(EAN13)
        em.scan("96385074")
        expected = frame_bytes(profile, EAN13) + frame_bytes(profile, "96385074")
        assert port.read(len(expected)) == expected


def test_the_shipped_profiles_include_the_originals():
    assert set(EXPECTED_EAN13) <= set(shipped_profiles())


# -- AIM identifiers, prefix and suffix ----------------------------------------------

@pytest.mark.parametrize("code, symbology, aim", [
    (EAN13, None, "]E0"),
    ("036000291452", None, "]E0"),               # UPC-A
    ("96385074", None, "]E4"),                   # EAN-8
    ("01095011015300033103000450", None, "]C1"),  # GS1 element string: GTIN + net weight
    ("0109501101530003\x1d10ABC123", None, "]C1"),
    ("10ABC123\x1d0109501101530003", None, "]C1"),
    ("HELLO-123", None, "]X0"),
    ("12345678901234", None, "]X0"),             # 14 digits: not one of the guessed shapes
    (EAN13, "]E3", "]E3"),                       # given as an AIM identifier
    ("0109501101530003", "gs1-datamatrix", "]d2"),  # given by name
    (EAN13, "UPCA", "]E0"),
])
def test_aim_identifier_guessed_or_given(code, symbology, aim, tmp_path, make_emulator, reader_fds):
    profile = custom_profile(tmp_path, name="aim-framed", aim=True, prefix="<", suffix=">",
                             terminator="CRLF")
    em = make_emulator(profile)
    fd = attach(em, reader_fds)
    em.scan(code, symbology)
    expected = b"<" + aim.encode() + code.encode() + b">\r\n"
    assert read_exactly(fd, len(expected)) == expected


def test_a_profile_without_terminator_sends_data_as_is(tmp_path, make_emulator, reader_fds):
    # Zebra's factory default ("Standard RS-232" host): 9600 8N1, data as is
    profile = custom_profile(tmp_path, name="zebra-standard", terminator="NONE")
    em = make_emulator(profile)
    fd = attach(em, reader_fds)
    em.scan(EAN13)
    em.noise(3, seed=2)
    em.split_write("96385074", parts=2, gap=0.01)
    got = read_exactly(fd, 13 + 3 + 8)
    assert got[:13] == EAN13.encode() and got[16:] == b"96385074"
    assert em.missing_terminator(EAN13) == EAN13.encode()


def test_aim_off_sends_no_identifier_even_when_given(make_emulator, reader_fds):
    em = make_emulator("generic-cr")
    fd = attach(em, reader_fds)
    em.scan(EAN13, "]E0")
    assert read_exactly(fd, 14) == b"5901234123457\r"


def test_unknown_symbology_is_refused():
    with pytest.raises(ValueError, match="unknown symbology"):
        frame_bytes(load_profile("honeywell-1900-usb-cdc-aim"), EAN13, "ean-14-ish")


def test_guessing_depends_on_shape_only():
    assert guess_aim_identifier("") == "]X0"
    assert guess_aim_identifier("١٢٣٤٥٦٧٨") == "]X0"       # non-ASCII digits are not a barcode
    assert guess_aim_identifier("590123412345") == "]E0"


def test_transmitted_form_strips_the_gtin14_padding():
    assert transmitted_form("05901234123457") == "5901234123457"
    assert transmitted_form("00036000291452") == "036000291452"
    assert transmitted_form("00000096385074") == "96385074"
    assert transmitted_form("15901234123454") == "15901234123454"
    with pytest.raises(ValueError):
        transmitted_form("5901234123457")


# -- pacing ----------------------------------------------------------------------------

def test_line_timing_from_data_parity_and_stop_bits(tmp_path):
    assert bits_per_character(load_profile("generic-cr")) == 10
    assert bits_per_character(load_profile("generic-tab-7e1")) == 10     # 1 + 7 + 1 + 1
    odd_two_stop = custom_profile(tmp_path, name="8o2", parity="odd", stopbits=2)
    assert bits_per_character(odd_two_stop) == 12
    assert seconds_per_byte(odd_two_stop, 1200) == pytest.approx(0.01)
    assert seconds_per_byte(odd_two_stop, 0) == 0


def test_slow_baud_paces_a_read(make_emulator, reader_fds):
    em = make_emulator("generic-cr")
    fd = attach(em, reader_fds)
    em.set_baud(1200)                            # 120 characters per second
    started = time.monotonic()
    em.scan(EAN13)
    elapsed = time.monotonic() - started
    assert elapsed >= 14 / 120 * 0.9
    assert read_exactly(fd, 14) == b"5901234123457\r"
    em.set_baud(0)
    em.scan(EAN13)
    assert read_exactly(fd, 14) == b"5901234123457\r"
    with pytest.raises(ValueError):
        em.set_baud(-1)


# -- faults ------------------------------------------------------------------------------

def test_noise_has_non_printables_and_one_terminator(make_emulator, reader_fds):
    em = make_emulator("honeywell-1900-rs232")         # CRLF
    fd = attach(em, reader_fds)
    sent = em.noise(16, seed=7)
    got = read_exactly(fd, 18)
    assert got == sent
    body, terminator = got[:16], got[16:]
    assert terminator == b"\r\n"
    assert 0x00 in body and 0xFF in body
    assert any(b < 0x20 or b >= 0x7F for b in body if b not in (0x00, 0xFF))
    assert b"\r" not in body and b"\n" not in body
    assert em.noise(16, seed=7) == sent                 # same seed, same noise
    read_exactly(fd, 18)
    unterminated = em.noise(5, terminate=False)
    assert len(unterminated) == 5 and not unterminated.endswith(b"\n")
    assert read_exactly(fd, 5) == unterminated
    assert em.sent == [sent, sent, unterminated]


def test_split_write_arrives_in_pieces_as_one_read(make_emulator, reader_fds):
    em = make_emulator("generic-cr", baud=0)
    fd = attach(em, reader_fds)
    writer = threading.Thread(target=em.split_write, args=(EAN13,), kwargs={"parts": 3, "gap": 0.2})
    writer.start()
    chunks = read_chunks(fd, 14)
    writer.join()
    assert b"".join(chunks) == b"5901234123457\r"
    assert len(chunks) >= 2                     # the reader saw the read in more than one piece
    assert b"\r" not in chunks[0]
    record = em.history[-1]
    assert record.kind == "split" and record.parts == [b"59012", b"34123", b"457\r"]
    assert em.sent == [EAN13]                   # still one logical read


def test_missing_terminator_is_a_fragment_then_the_next_read_is_whole(make_emulator, reader_fds):
    em = make_emulator("honeywell-1900-usb-cdc-aim")
    fd = attach(em, reader_fds)
    fragment = em.missing_terminator(EAN13)
    assert fragment == b"]E05901234123457"
    assert read_exactly(fd, len(fragment)) == fragment
    assert nothing_to_read(fd)                  # the terminator never comes
    em.scan("96385074")
    assert read_exactly(fd, 12) == b"]E496385074\r"
    assert em.sent == [fragment, "96385074"]


def test_burst_sends_every_read_in_order_at_the_rate(make_emulator, reader_fds):
    em = make_emulator("generic-cr")
    fd = attach(em, reader_fds)
    codes = [f"{i:08d}" for i in range(10)]
    started = time.monotonic()
    em.burst(codes, rate=50.0)
    elapsed = time.monotonic() - started
    assert elapsed >= 9 / 50 * 0.95             # evenly spaced: never faster than the rate
    got = read_exactly(fd, 90)
    assert got.split(b"\r")[:-1] == [c.encode() for c in codes]
    assert em.sent == codes
    starts = [t.at for t in em.history]
    assert all(at >= started + i / 50 for i, at in enumerate(starts))    # read i not before i/rate


def test_send_raw_is_not_framed(make_emulator, reader_fds):
    em = make_emulator("generic-tab-7e1")
    fd = attach(em, reader_fds)
    em.send_raw(b"\x00\r\n\xff")
    assert read_exactly(fd, 4) == b"\x00\r\n\xff"      # raw mode: CR stays CR, no echo
    assert em.sent == [b"\x00\r\n\xff"]


# -- unplug and replug -------------------------------------------------------------------

def test_unplug_fails_the_open_port_and_replug_reuses_the_link(make_emulator, reader_fds, tmp_path):
    em = make_emulator("generic-cr")
    link = tmp_path / "scanner"
    assert em.link == str(link) and em.url == str(link)
    assert os.path.realpath(link) == em.device
    fd = attach(em, reader_fds)
    em.scan(EAN13)
    assert read_exactly(fd, 14) == b"5901234123457\r"
    old_device = em.device

    em.unplug()
    assert read_to_end(fd) == b""               # EOF or EIO, like a pulled USB cable
    assert not os.path.lexists(link)
    assert em.wait_disconnected(TIMEOUT)
    em.scan(EAN13)                              # scanning into the void: dropped, no error
    assert em.history[-1].dropped == 14

    em.replug()
    assert os.path.islink(link) and os.path.realpath(link) == em.device
    assert em.url == str(link)
    assert not em.wait_connected(0.05)          # the old fd is not attached to the new pty
    fd2 = attach(em, reader_fds)
    em.scan("96385074")
    assert read_exactly(fd2, 9) == b"96385074\r"
    assert old_device.startswith("/dev/pts/") and em.device.startswith("/dev/pts/")


def test_wait_drained_until_the_reader_has_read_everything(make_emulator, reader_fds):
    em = make_emulator("generic-cr", baud=0)
    assert em.wait_drained(0)                   # no reader: nothing to wait for
    fd = attach(em, reader_fds)
    em.scan(EAN13)
    assert not em.wait_drained(0.05)            # 14 bytes wait in the reader's queue
    assert read_exactly(fd, 14) == b"5901234123457\r"
    assert em.wait_drained(TIMEOUT)
    assert em.wait_connected(0)                 # asking did not count as a reader
    os.close(fd)
    reader_fds.remove(fd)
    assert em.wait_disconnected(TIMEOUT)


def test_pyserial_sees_an_unplug_as_serial_exception_and_reopens(make_emulator):
    em = make_emulator("generic-cr")
    port = serial.Serial(em.url, timeout=TIMEOUT)
    try:
        assert em.wait_connected(TIMEOUT)
        em.unplug()
        with pytest.raises(serial.SerialException):
            port.read(1)
    finally:
        port.close()
    em.replug()
    with serial.Serial(em.url, timeout=TIMEOUT) as port:
        assert em.wait_connected(TIMEOUT)
        em.scan(EAN13)
        assert port.read(14) == b"5901234123457\r"


def test_pty_mode_without_link_serves_the_device(make_emulator, reader_fds):
    em = make_emulator("generic-cr", link=None)
    assert em.link is None and em.url == em.device
    fd = attach(em, reader_fds)
    em.scan(EAN13)
    assert read_exactly(fd, 14) == b"5901234123457\r"
    em.replug()
    assert em.url == em.device and os.path.exists(em.device)


def test_wait_connected_follows_the_reader(make_emulator):
    em = make_emulator("generic-cr")
    assert not em.wait_connected(0.05)
    fd = open_port(em.url)
    try:
        assert em.wait_connected(TIMEOUT)
    finally:
        os.close(fd)
    assert em.wait_disconnected(TIMEOUT)


def test_reads_before_pyserial_opens_are_flushed(make_emulator):
    em = make_emulator("generic-cr")
    em.scan(EAN13)                              # buffered in the pty: nobody has it open
    with serial.Serial(em.url, timeout=0.2) as port:    # pyserial's open flushes input
        assert port.read(100) == b""
        em.scan("96385074")
        port.timeout = TIMEOUT
        assert port.read(9) == b"96385074\r"


def test_writes_do_not_block_when_nobody_reads(make_emulator):
    events = []
    em = make_emulator("generic-cr", baud=0, write_timeout=0.1, on_event=events.append)
    em.send_raw(b"x" * 200_000)                 # far more than the pty buffers
    record = em.history[-1]
    assert 0 < record.delivered < 200_000 and record.dropped == 200_000 - record.delivered
    assert any(e.startswith("dropped: ") for e in events)


def test_link_over_a_regular_file_is_refused(tmp_path):
    (tmp_path / "scanner").write_text("not a device")
    em = Emulator(profile=load_profile("generic-cr"), link=tmp_path / "scanner")
    with pytest.raises(FileExistsError, match="not a symlink"):
        em.start()
    assert (tmp_path / "scanner").read_text() == "not a device"


def test_a_stale_link_is_replaced_and_removed_on_close(tmp_path):
    link = tmp_path / "dev" / "scanner"
    link.parent.mkdir()
    os.symlink("/dev/pts/999999", link)
    with Emulator(profile="generic-cr", link=link) as em:
        assert os.path.realpath(link) == em.device
    assert not os.path.lexists(link)


def test_not_started_is_an_error():
    em = Emulator(profile="generic-cr")
    with pytest.raises(RuntimeError, match="not started"):
        em.scan(EAN13)
    with pytest.raises(ValueError):
        Emulator(profile="generic-cr", link="/tmp/x", socket_address=("127.0.0.1", 0))


# -- socket mode ------------------------------------------------------------------------

def test_socket_mode_serves_reads_and_unplugs(make_emulator):
    em = make_emulator("honeywell-1900-rs232", socket_address=("127.0.0.1", 0))
    match = re.fullmatch(r"socket://127\.0\.0\.1:(\d+)", em.url)
    assert match and em.device is None and em.link is None
    port = int(match[1])
    em.scan(EAN13)                              # no client yet: dropped
    assert em.history[-1].dropped == 15
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
        assert em.wait_connected(TIMEOUT)
        em.scan(EAN13)
        em.split_write("96385074", parts=2, gap=0.01)
        assert recv_exactly(client, 25) == b"5901234123457\r\n96385074\r\n"
        em.unplug()
        assert client.recv(10) == b""           # EOF: the cable is out
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    em.replug()
    assert em.url == f"socket://127.0.0.1:{port}"
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
        assert em.wait_connected(TIMEOUT)
        em.noise(4, seed=1)
        assert recv_exactly(client, 6).endswith(b"\r\n")
    assert em.wait_disconnected(TIMEOUT)


def test_pyserial_reads_socket_mode(make_emulator):
    em = make_emulator("honeywell-1900-usb-cdc-aim", socket_address=("127.0.0.1", 0))
    with serial.serial_for_url(em.url, timeout=TIMEOUT) as port:
        assert em.wait_connected(TIMEOUT)
        em.scan("01095011015300033103000450")
        assert port.read(30) == b"]C101095011015300033103000450\r"


# -- pieces ------------------------------------------------------------------------------

@given(st.binary(min_size=1, max_size=64), st.integers(1, 10))
def test_split_parts_keep_every_byte(data, parts):
    pieces = split_parts(data, parts)
    assert b"".join(pieces) == data
    assert len(pieces) == min(parts, len(data)) and all(pieces)


@given(st.integers(0, 64), st.integers(0, 2 ** 32))
def test_noise_never_holds_the_terminator(n, seed):
    data = noise_bytes(n, random.Random(seed), exclude=b"\r\n")
    assert len(data) == n and b"\r" not in data and b"\n" not in data
    if n >= 2:
        assert 0x00 in data and 0xFF in data


def test_plan_puts_each_fault_after_the_first_read():
    actions = plan(["A", "B", "C", "D"], ["noise", "split", "no-terminator", "burst", "unplug-replug"],
                   burst_count=3)
    assert actions == [("scan", "A"), ("noise",), ("split", "B"), ("no-terminator", "C"),
                       ("scan", "C"), ("burst", ["D", "A", "B"]), ("unplug-replug",)]
    assert plan(["A"], []) == [("scan", "A")]
    assert unescape(r"01\x1d10AB\\x\t") == "01\x1d10AB\\x\t"


# -- the command --------------------------------------------------------------------------

class Command:
    """`python -m pos_hardware.emulator ARGS` with its stdout followed line by line."""

    def __init__(self, *args: str, stdin: bool = False):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pos_hardware.emulator", *map(str, args)],
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._queue: queue.Queue = queue.Queue()
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self):
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def expect(self, prefix: str, timeout: float = TIMEOUT) -> str:
        """The next line starting with prefix (lines before it are kept in self.lines)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} line within {timeout} s; saw {self.lines}") from None
            if line is None:
                raise AssertionError(f"exited before a {prefix!r} line; saw {self.lines}; "
                                     f"stderr: {self.proc.stderr.read()}")
            self.lines.append(line)
            if line.startswith(prefix):
                return line

    def finish(self, timeout: float = TIMEOUT) -> tuple[int, list[str], str]:
        rc = self.proc.wait(timeout)
        while (line := self._queue.get(timeout=timeout)) is not None:
            self.lines.append(line)
        return rc, self.lines, self.proc.stderr.read()

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def command():
    started = []

    def run(*args, stdin=False):
        started.append(Command(*args, stdin=stdin))
        return started[-1]

    yield run
    for c in started:
        c.kill()


def test_command_prints_the_device_then_sends_the_codes(command, tmp_path, reader_fds):
    link = tmp_path / "scanner"
    cmd = command("--link", link, "--profile", "honeywell-1900-rs232", "--wait-reader",
                  "--interval", "0", "--hold", "0", EAN13, "96385074")
    first = cmd.expect("device: ")
    assert cmd.lines == [first] and re.fullmatch(r"device: /dev/pts/\d+", first)
    assert cmd.expect("link: ") == f"link: {link}"
    cmd.expect("waiting: ")
    fd = open_port(str(link))
    reader_fds.append(fd)
    assert read_exactly(fd, 25) == b"5901234123457\r\n96385074\r\n"
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr
    assert f"scan: {EAN13} bytes={EAN13}\\r\\n" in lines
    assert "done: 2 reads, 0 other transmissions, 0 bytes dropped" in lines
    assert lines[-1] == f"closed: {link}"
    assert not os.path.lexists(link)


def test_command_faults_reach_the_reader_across_a_replug(command, tmp_path, reader_fds):
    link = tmp_path / "scanner"
    cmd = command("--link", link, "--wait-reader", "--interval", "0", "--hold", "0", "--seed", "5",
                  "--unplug-seconds", "0.05", "--burst-count", "3",
                  "--fault", "unplug-replug", "--fault", "noise", "--fault", "split",
                  "--fault", "no-terminator", "--fault", "burst", "A1", "B2", "C3", "D4")
    cmd.expect("waiting: ")
    fd = open_port(str(link))
    reader_fds.append(fd)
    assert read_to_end(fd) == b"A1\r"           # then the cable is pulled
    replug = cmd.expect("replug: ")
    assert re.fullmatch(rf"replug: device=/dev/pts/\d+ link={re.escape(str(link))}", replug)
    fd2 = open_port(str(link))
    reader_fds.append(fd2)
    rest = read_to_end(fd2)                     # until the command closes the device
    noise, reads = rest[:17], rest[17:]
    assert noise.endswith(b"\r") and 0x00 in noise and 0xFF in noise and b"\r" not in noise[:16]
    assert reads == b"B2\rC3C3\rD4\rA1\rB2\r"
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr
    kinds = [line.split(":")[0] for line in lines if not line.startswith(("reader", "waiting"))]
    assert kinds[kinds.index("scan"):] == [
        "scan", "unplug", "replug", "noise", "split", "no-terminator", "scan",
        "burst", "scan", "scan", "scan", "done", "holding", "closed"]


def test_command_scans_a_basket_from_a_real_store(command, tmp_path, published, reader_fds):
    from pos.store.barcodes import sample_barcodes
    from pos.store.reader import open_store

    conn = open_store(published)
    try:
        stored = sample_barcodes(conn, 6, seed=3)
        catalog = {row[0] for row in conn.execute("SELECT gtin FROM barcodes")}
    finally:
        conn.close()
    expected = [transmitted_form(g) for g in stored]
    assert all(len(code) == 13 and code.zfill(14) in catalog for code in expected)

    link = tmp_path / "scanner"
    cmd = command("--link", link, "--basket", "6", "--db", published, "--seed", "3",
                  "--wait-reader", "--interval", "0", "--hold", "0")
    cmd.expect("waiting: ")
    fd = open_port(str(link))
    reader_fds.append(fd)
    got = read_exactly(fd, 14 * 6)
    assert got.split(b"\r")[:-1] == [c.encode() for c in expected]
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr
    assert [ln.split()[1] for ln in lines if ln.startswith("scan: ")] == expected


def test_command_reads_stdin_as_it_arrives(command, tmp_path, reader_fds):
    link = tmp_path / "scanner"
    cmd = command("--link", link, "--stdin", "--wait-reader", "--interval", "0", "--hold", "0",
                  stdin=True)
    cmd.expect("waiting: ")
    fd = open_port(str(link))
    reader_fds.append(fd)
    cmd.proc.stdin.write(f"{EAN13}\n")
    cmd.proc.stdin.flush()
    assert read_exactly(fd, 14) == b"5901234123457\r"      # before stdin ends
    cmd.proc.stdin.write("# a comment\n\n0109501101530003\\x1d10AB\n")
    cmd.proc.stdin.close()
    assert read_exactly(fd, 22) == b"0109501101530003\x1d10AB\r"
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr


def test_command_interactive(command, tmp_path, reader_fds):
    link = tmp_path / "scanner"
    cmd = command("--link", link, "--interactive", "--wait-reader", "--interval", "0", stdin=True)
    cmd.expect("waiting: ")
    fd = open_port(str(link))
    reader_fds.append(fd)
    cmd.expect("reader: connected")
    cmd.proc.stdin.write("\n".join([
        EAN13, ":noise 4", ":nocr 123", ":split 96385074 2", ":baud 0", r":raw \x02hi\r",
        ":burst 3", ":bogus", ":status", ":unplug", ":replug", ":status", ":quit", "never sent"]) + "\n")
    cmd.proc.stdin.flush()
    data = read_to_end(fd)                      # :unplug lets the reader read everything first
    assert data.startswith(b"5901234123457\r") and data[14 + 4:14 + 5] == b"\r"
    assert data[19:] == b"12396385074\r\x02hi\r" + b"96385074\r" * 3
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr
    assert "error: unknown command ':bogus' (:help lists them)" in stderr
    assert "split: 96385074 in 2 writes bytes=96385074\\r" in lines
    statuses = [ln for ln in lines if ln.startswith("status: ")]
    assert statuses[0].startswith("status: plugged") and "reader=connected" in statuses[0]
    assert "reader=none" in statuses[1]
    assert any(ln.startswith("replug: device=/dev/pts/") for ln in lines)
    assert not any("never sent" in ln for ln in lines)
    assert "holding: " not in "\n".join(lines)          # :quit exits at once


def test_command_socket_mode_and_code_file(command, tmp_path):
    codes = tmp_path / "codes.txt"
    codes.write_text(f"# till 3\n{EAN13}\n\n  96385074  \n", encoding="utf-8")
    cmd = command("--socket", "127.0.0.1:0", "--file", codes, "--profile", "newland-hr22-lf",
                  "--wait-reader", "--interval", "0", "--hold", "0")
    url = cmd.expect("url: ")
    assert cmd.lines[0] == url
    port = int(re.fullmatch(r"url: socket://127\.0\.0\.1:(\d+)", url)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as client:
        assert recv_exactly(client, 23) == b"5901234123457\n96385074\n"
        rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr


def test_command_sigterm_removes_the_link(command, tmp_path):
    link = tmp_path / "scanner"
    cmd = command("--link", link, "--hold", "inf", "--interval", "0", EAN13)
    cmd.expect("holding: until Ctrl-C")
    assert os.path.islink(link)
    cmd.proc.send_signal(signal.SIGTERM)
    rc, lines, stderr = cmd.finish()
    assert rc == 0, stderr
    assert lines[-1] == f"closed: {link}" and not os.path.lexists(link)


@pytest.mark.parametrize("args, rc, message", [
    (["--profile", "no-such-scanner", "123"], 1, "error: no profile named 'no-such-scanner'"),
    (["--basket", "3"], 2, "--basket needs --db"),
    ([], 2, "nothing to scan"),
    (["--fault", "split", "--stdin"], 2, "need codes"),
    (["--socket", "nowhere", "1"], 2, "expected HOST:PORT"),
    (["--basket", "2", "--db", "missing.db"], 1, "no store here"),
])
def test_command_errors(args, rc, message, tmp_path):
    result = subprocess.run([sys.executable, "-m", "pos_hardware.emulator", *args], cwd=tmp_path,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == rc
    assert message in result.stderr


def test_command_refuses_to_replace_a_real_file(tmp_path):
    (tmp_path / "scanner").write_text("keep me")
    result = subprocess.run([sys.executable, "-m", "pos_hardware.emulator", "--link", tmp_path / "scanner",
                             "--hold", "0", "1"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "not a symlink" in result.stderr
    assert (tmp_path / "scanner").read_text() == "keep me"


def test_console_script_lists_the_profiles():
    script = Path(sys.executable).parent / "pos-scanner-emulator"
    if not script.exists():
        pytest.skip(f"{script} is not installed (pip install -e . installs it)")
    result = subprocess.run([script, "--list-profiles"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0
    listed = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert listed == shipped_profiles()
    assert re.search(r"^honeywell-1900-rs232 +115200 +8N1 +CRLF +off +Honeywell", result.stdout, re.M)
    assert re.search(r"^generic-tab-7e1 +9600 +7E1 +TAB +off ", result.stdout, re.M)
