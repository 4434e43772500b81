"""Framing bytes into reads: every terminator, prefix/suffix, AIM, overlong and
garbage frames, timed-out fragments, and a property test over arbitrary bytes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.scanner.events import FragmentDropped, ScanRead, ScanRefused
from pos.scanner.framing import Framer
from pos.scanner.profiles import DeviceProfile, load_profile, shipped_profiles


def reads(events):
    return [e.text for e in events if isinstance(e, ScanRead)]


@pytest.mark.parametrize("term,sep", [("CR", b"\r"), ("LF", b"\n"), ("CRLF", b"\r\n"), ("TAB", b"\t")])
def test_each_terminator_frames_reads(term, sep):
    f = Framer(DeviceProfile("t", terminator=term))
    events = f.feed(b"5901234123457" + sep + b"96385074" + sep + b"0360", 0.0)
    assert reads(events) == ["5901234123457", "96385074"]
    assert f.pending == b"0360"


def test_a_read_split_over_many_writes_is_one_read():
    f = Framer(DeviceProfile("t"))
    events = []
    for i, ch in enumerate(b"5901234123457\r"):
        events += f.feed(bytes([ch]), i * 0.01)
    assert reads(events) == ["5901234123457"]


def test_prefix_suffix_and_aim_are_removed():
    f = Framer(DeviceProfile("t", prefix="\x02", suffix="#", aim=True, terminator="CRLF"))
    [e] = f.feed(b"\x02]E05901234123457#\r\n", 1.0)
    assert (e.text, e.symbology, e.raw) == ("5901234123457", "]E0", b"\x02]E05901234123457#\r\n")


def test_aim_expected_but_missing_is_refused_and_the_next_read_is_fine():
    f = Framer(DeviceProfile("t", aim=True))
    events = f.feed(b"5901234123457\r]E496385074\r", 0.0)
    assert isinstance(events[0], ScanRefused) and "AIM" in events[0].reason
    assert (events[1].text, events[1].symbology) == ("96385074", "]E4")


def test_gs_separator_passes_other_control_bytes_are_refused():
    f = Framer(DeviceProfile("t"))
    events = f.feed(b"]C10107071234000015\x1d3103001250\r12\x0034\r96385074\r", 0.0)
    assert reads(events)[0] == "]C10107071234000015\x1d3103001250"
    assert isinstance(events[1], ScanRefused) and "0x00 at position 3" in events[1].reason
    assert reads(events)[1] == "96385074"


def test_overlong_frame_is_refused_once_and_the_next_read_is_fine():
    f = Framer(DeviceProfile("t"))
    events = f.feed(b"9" * 300, 0.0) + f.feed(b"9" * 300, 0.01) + f.feed(b"9" * 50 + b"\r", 0.02)
    events += f.feed(b"96385074\r", 0.03)
    refused = [e for e in events if isinstance(e, ScanRefused)]
    assert len(refused) == 1 and "longer than 512 bytes" in refused[0].reason
    assert reads(events) == ["96385074"]


def test_overlong_frame_in_one_write_is_refused():
    f = Framer(DeviceProfile("t"))
    events = f.feed(b"7" * 513 + b"\r96385074\r", 0.0)
    assert isinstance(events[0], ScanRefused) and reads(events) == ["96385074"]


def test_fragment_without_terminator_is_dropped_after_the_timeout():
    f = Framer(DeviceProfile("t", fragment_timeout=0.3))
    assert f.feed(b"]E0590123", 10.0) == []
    assert f.poll(10.29) == []
    [e] = f.poll(10.31)
    assert isinstance(e, FragmentDropped) and e.raw == b"]E0590123" and "0.3 s" in e.reason
    assert reads(f.feed(b"96385074\r", 11.0)) == ["96385074"]


def test_a_late_fragment_is_reported_before_the_next_read():
    f = Framer(DeviceProfile("t", fragment_timeout=0.3))
    f.feed(b"12345", 0.0)
    events = f.feed(b"96385074\r", 5.0)
    assert isinstance(events[0], FragmentDropped) and events[0].raw == b"12345"
    assert reads(events) == ["96385074"]


def test_terminator_none_ends_a_read_by_silence():
    f = Framer(DeviceProfile("t", terminator="NONE", fragment_timeout=0.1))
    assert f.feed(b"5901234123457", 0.0) == []
    assert reads(f.poll(0.2)) == ["5901234123457"]


def test_reset_reports_the_partial_read():
    f = Framer(DeviceProfile("t"))
    f.feed(b"590", 0.0)
    [e] = f.reset(0.1, "scanner disconnected mid-read")
    assert isinstance(e, FragmentDropped) and e.raw == b"590"
    assert f.reset(0.2, "again") == []


@pytest.mark.parametrize("name", shipped_profiles())
def test_every_shipped_profile_frames_its_own_output(name):
    p = load_profile(name)
    wire = (p.prefix + ("]E0" if p.aim else "") + "5901234123457" + p.suffix).encode() + p.terminator_bytes
    f = Framer(p)
    [e] = f.feed(wire, 0.0) + f.poll(p.fragment_timeout)     # poll: a NONE terminator ends by silence
    assert e.text == "5901234123457"


codes = st.text(alphabet="0123456789", min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(garbage=st.binary(max_size=700), code=codes, cut=st.integers(0, 30))
def test_no_byte_string_breaks_framing_and_the_next_clean_read_survives(garbage, code, cut):
    """Whatever bytes come first, the framer never raises, every ScanRead is printable
    and terminator-free, and after a terminator a clean read is read exactly."""
    p = DeviceProfile("t")
    f = Framer(p)
    events = []
    for i in range(0, len(garbage), max(cut, 1)):
        events += f.feed(garbage[i:i + max(cut, 1)], i * 1e-4)
    for e in events:
        if isinstance(e, ScanRead):
            assert "\r" not in e.text and "\n" not in e.text
            assert all(0x20 <= ord(c) < 0x7F or c == "\x1d" for c in e.text)
            assert len(e.raw) <= p.max_frame + 2        # + CR LF
    after = f.feed(b"\r" + code.encode() + b"\r", 1.0)
    assert reads(after)[-1] == code
