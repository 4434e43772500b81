"""The real reader driven by the emulator over a real pty (and socket://): every
shipped profile, every fault, unplug and replug; and a property test that no
byte stream through framing and decoding yields a product with a wrong key."""
import queue
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.scanner.decode import DecodeConfig, ProductCode, decode
from pos.scanner.events import Connected, Disconnected, FragmentDropped, ScanRead, ScanRefused
from pos.scanner.framing import Framer
from pos.scanner.profiles import DeviceProfile, load_profile, shipped_profiles
from pos.scanner.reader import SerialReader
from pos_hardware.emulator import Emulator

EAN = ["5901234123457", "7071234000015", "4006381333931", "9780306406157"]


class Session:
    """An emulator on a pty behind `link`, and the reader on that link."""

    def __init__(self, tmp_path, profile, socket=False):
        self.events = queue.Queue()
        kw = {"socket_address": ("127.0.0.1", 0)} if socket else {"link": str(tmp_path / "scanner")}
        self.em = Emulator(profile=profile, **kw).start()
        self.reader = SerialReader(self.em.url, self.em.profile, self.events.put).start()
        self.expect(Connected)
        assert self.em.wait_connected(5)

    def expect(self, kind, timeout=5.0):
        """The next event of `kind`, and the events before it."""
        before = []
        while True:
            e = self.events.get(timeout=timeout)
            if isinstance(e, kind):
                return e, before
            before.append(e)

    def close(self):
        self.reader.stop()
        self.em.close()


@pytest.fixture
def session(tmp_path):
    opened = []

    def make(profile="generic-cr", socket=False):
        s = Session(tmp_path, load_profile(profile) if isinstance(profile, str) else profile, socket)
        opened.append(s)
        return s
    yield make
    for s in opened:
        s.close()


@pytest.mark.parametrize("name", shipped_profiles())
def test_every_profile_reads_decode_to_the_codes_sent(session, name):
    s = session(name)
    reads = []
    for code in EAN:        # one at a time: with terminator NONE only silence ends a read
        s.em.scan(code)
        reads.append(s.expect(ScanRead)[0])
    profile = s.em.profile
    assert [r.text for r in reads] == EAN
    assert all(r.symbology == ("]E0" if profile.aim else None) for r in reads)
    assert [decode(r.text, r.symbology).key for r in reads] == ["0" + c for c in EAN]


def test_noise_is_refused_and_the_next_read_is_fine(session):
    s = session()
    s.em.noise(24, seed=3)
    s.em.scan(EAN[0])
    read, before = s.expect(ScanRead)
    assert read.text == EAN[0]
    assert [type(e) for e in before] == [ScanRefused]


def test_a_split_read_is_one_read(session):
    s = session()
    s.em.split_write(EAN[1], parts=4, gap=0.05)
    read, before = s.expect(ScanRead)
    assert (read.text, before) == (EAN[1], [])


def test_a_read_without_terminator_is_dropped_and_reported(session):
    s = session()
    s.em.missing_terminator(EAN[2])
    dropped, _ = s.expect(FragmentDropped)
    s.em.scan(EAN[3])
    read, before = s.expect(ScanRead)
    assert dropped.raw == EAN[2].encode() and read.text == EAN[3] and before == []


def test_slow_baud_still_reads(session):
    s = session()
    s.em.set_baud(1200)             # about 8 ms a byte: slower than the fragment timeout needs
    s.em.scan(EAN[0])
    assert s.expect(ScanRead)[0].text == EAN[0]


def test_a_burst_at_50_reads_a_second_loses_and_duplicates_nothing(session):
    s = session("honeywell-1900-rs232")
    codes = [f"SEQ{n:04d}" for n in range(100)]      # each read distinct: a repeat would show
    s.em.burst(codes, rate=50.0)
    got = [s.expect(ScanRead)[0].text for _ in codes]
    assert got == codes


def test_unplug_is_reported_within_a_second_and_replug_reads_again(session):
    s = session("datalogic-qd2430-usb-com")
    s.em.scan(EAN[0])
    assert s.expect(ScanRead)[0].text == EAN[0]
    s.em.unplug()
    s.expect(Disconnected, timeout=1.0)
    s.em.replug()                   # a new pty behind the same link path
    s.expect(Connected, timeout=3.0)
    assert s.em.wait_connected(5)
    s.em.scan(EAN[1])
    read, before = s.expect(ScanRead)
    assert read.text == EAN[1] and not any(isinstance(e, ScanRead) for e in before)


def test_socket_scanner_unplug_and_replug(session):
    s = session(socket=True)
    s.em.scan(EAN[0])
    assert s.expect(ScanRead)[0].text == EAN[0]
    s.em.unplug()
    s.expect(Disconnected, timeout=1.0)
    s.em.replug()
    s.expect(Connected, timeout=3.0)
    assert s.em.wait_connected(5)
    s.em.scan(EAN[2])
    assert s.expect(ScanRead)[0].text == EAN[2]


def _valid_key(key: str) -> bool:
    digits = [int(c) for c in key]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return len(key) == 14 and (10 - total % 10) % 10 == digits[-1]


@settings(max_examples=400, deadline=None)
@given(stream=st.binary(max_size=300) | st.lists(
    st.sampled_from([b"590123412345", b"7", b"\r", b"]E0", b"]C1", b"01", b"\x1d", b"3103",
                     b"17", b"0", b"2300420", b"\x00", b"98"]), max_size=40).map(b"".join))
def test_no_byte_stream_yields_a_product_with_a_wrong_key(stream):
    """Through framing and decoding, every product read has a 14-digit key whose check
    digit is right: garbage is refused, never turned into some other product."""
    config = DecodeConfig(today=date(2026, 11, 22))
    for aim in (False, True):
        f = Framer(DeviceProfile("t", aim=aim))
        for e in f.feed(stream, 0.0) + f.poll(1.0):
            if isinstance(e, ScanRead):
                d = decode(e.text, e.symbology, config)
                if isinstance(d, ProductCode):
                    assert _valid_key(d.key), (e.text, d)
