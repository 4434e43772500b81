"""Line ends (issue 14): with a CR, LF or CRLF profile, any of CR, LF and CR LF
ends a read, a CR LF pair split over two reads is one line end however long
the LF takes, and a lone stray CR or LF is never a failed scan. The Framer
alone, then the real serial reader over a real pty fed with os.write, then
`pos scanner check` as store IT runs it."""
import json
import os
import queue
import subprocess
import sys
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.scanner.events import Connected, FragmentDropped, ScanRead, ScanRefused
from pos.scanner.framing import Framer
from pos.scanner.profiles import DeviceProfile, ProfileError, load_profile
from pos.scanner.reader import SerialReader

LINE_PROFILES = ["CR", "LF", "CRLF"]
CODE = b"4006381333931"
OTHER = b"5901234123457"


def only_reads(events):
    """The texts of `events`, which must all be reads (no refusal, no fragment)."""
    assert all(isinstance(e, ScanRead) for e in events), events
    return [e.text for e in events]


@pytest.fixture(params=LINE_PROFILES)
def framer(request):
    return Framer(DeviceProfile("t", terminator=request.param, fragment_timeout=0.3))


# -- the Framer ------------------------------------------------------------------------

@pytest.mark.parametrize("profile", [DeviceProfile("t"), load_profile("generic-cr")],
                         ids=["unnamed-terminator", "generic-cr"])
def test_the_default_profile_accepts_every_line_end(profile):
    assert profile.terminator == "CR" and profile.end_bytes == b"\r\n"
    f = Framer(profile)
    events = f.feed(b"4006381333931\r\n96385074\n5901234123457\r", 0.0)
    assert only_reads(events) == ["4006381333931", "96385074", "5901234123457"]
    assert [e.raw for e in events] == [CODE + b"\r\n", b"96385074\n", OTHER + b"\r"]
    assert f.pending == b"" and f.poll(100.0) == []


def test_crlf_in_one_chunk_is_one_read(framer):
    events = framer.feed(CODE + b"\r\n", 0.0)
    assert only_reads(events) == [CODE.decode()] and events[0].raw == CODE + b"\r\n"
    assert framer.pending == b"" and framer.poll(10.0) == []


def test_cr_and_lf_in_separate_chunks_long_apart_are_one_line_end(framer):
    """The read is reported at the CR (nobody waits for an LF); the LF that
    comes later, even well past the fragment timeout, is nothing."""
    [read] = framer.feed(CODE + b"\r", 0.0)
    assert (read.text, read.raw) == (CODE.decode(), CODE + b"\r")
    assert framer.poll(5.0) == []
    assert framer.feed(b"\n", 5.0) == []
    assert framer.pending == b""
    assert framer.poll(60.0) == []
    assert only_reads(framer.feed(OTHER + b"\r\n", 61.0)) == [OTHER.decode()]


def test_a_lone_lf_or_cr_is_ignored_and_never_times_out(framer):
    for stray in (b"\n", b"\r", b"\n\n", b"\r\r\n"):
        assert framer.feed(stray, 0.0) == []
        assert framer.pending == b""
        assert framer.poll(10.0) == []


def test_lf_cr_is_one_read_too(framer):
    events = framer.feed(CODE + b"\n\r", 0.0) + framer.poll(10.0)
    assert only_reads(events) == [CODE.decode()]


def test_many_reads_in_one_chunk_with_mixed_line_ends(framer):
    codes = [b"4006381333931", b"96385074", b"5901234123457", b"036000291452"]
    wire = codes[0] + b"\r\n" + codes[1] + b"\r" + codes[2] + b"\n" + codes[3] + b"\r\n"
    events = framer.feed(wire, 0.0) + framer.poll(10.0)
    assert only_reads(events) == [c.decode() for c in codes]


def test_a_split_crlf_after_an_overlong_frame_is_quiet(framer):
    events = framer.feed(b"9" * 600 + b"\r", 0.0) + framer.feed(b"\n", 1.0) + framer.poll(10.0)
    assert [type(e) for e in events] == [ScanRefused]
    assert only_reads(framer.feed(CODE + b"\r\n", 11.0)) == [CODE.decode()]


def test_a_fragment_is_still_a_fragment():
    f = Framer(DeviceProfile("t", fragment_timeout=0.3))
    assert f.feed(b"\r\n4006", 0.0) == []
    [e] = f.poll(0.4)
    assert isinstance(e, FragmentDropped) and e.raw == b"4006"


def test_tab_stays_strict():
    """A TAB profile's reads end at TAB only; CR and LF are not data, so refused."""
    f = Framer(DeviceProfile("t", terminator="TAB"))
    events = f.feed(CODE + b"\r\n\t" + OTHER + b"\t", 0.0)
    assert isinstance(events[0], ScanRefused) and "0x0d at position 14" in events[0].reason
    assert only_reads(events[1:]) == [OTHER.decode()]
    [e] = f.feed(CODE + b"\r\n", 1.0) + f.poll(2.0)
    assert isinstance(e, FragmentDropped) and e.raw == CODE + b"\r\n"


def test_none_stays_strict():
    f = Framer(DeviceProfile("t", terminator="NONE", fragment_timeout=0.1))
    [e] = f.feed(CODE + b"\r\n", 0.0) + f.poll(0.2)
    assert isinstance(e, ScanRefused) and "0x0d" in e.reason


@pytest.mark.parametrize("value", ["CR LF", "crlf", "LINE", "\r\n"])
def test_a_profile_terminator_is_still_checked_strictly(tmp_path, value):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"name": "x", "terminator": value}))
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    assert str(err.value) == (f"{path}: field 'terminator' is {value!r}; "
                              "expected one of CR, LF, CRLF, TAB, NONE")


ENDS = [b"\r", b"\n", b"\r\n", b"\n\r"]


@settings(max_examples=300, deadline=None)
@given(term=st.sampled_from(LINE_PROFILES),
       reads=st.lists(st.tuples(st.text("0123456789", min_size=1, max_size=14),
                                st.sampled_from(ENDS), st.sampled_from([b"", b"\n", b"\r"])),
                      min_size=1, max_size=8),
       cuts=st.lists(st.integers(1, 40), max_size=40))
def test_any_mix_of_line_ends_any_chunking_any_pause_after_a_line_end(term, reads, cuts):
    """Codes each ended by CR, LF, CR LF or LF CR (and perhaps a stray CR or LF),
    in chunks cut anywhere, with a pause past the fragment timeout at every cut
    right after a line-end byte: exactly the codes, in order, and nothing else."""
    f = Framer(DeviceProfile("t", terminator=term, fragment_timeout=0.3))
    wire = b"".join(code.encode() + end + stray for code, end, stray in reads)
    events, now, at = [], 0.0, 0
    for size in cuts + [len(wire)]:
        chunk, at = wire[at:at + size], at + size
        if not chunk:
            break
        events += f.feed(chunk, now)
        now += 5.0 if chunk[-1:] in (b"\r", b"\n") else 0.01
        events += f.poll(now)
    events += f.poll(now + 100.0)
    assert only_reads(events) == [code for code, _, _ in reads]


# -- the real serial reader over a real pty ----------------------------------------------

class ManualClock:
    """The reader's clock, moved by the test: time passes without sleeping."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def until_read(q, timeout=5.0):
    """The next ScanRead, and every other event before it."""
    before = []
    while True:
        e = q.get(timeout=timeout)
        if isinstance(e, ScanRead):
            return e, before
        before.append(e)


@pytest.mark.parametrize("name", ["generic-cr", "newland-hr22-lf", "honeywell-1900-rs232"])
def test_reader_over_a_pty_reads_each_code_once_whatever_the_line_end(pty_link, name):
    """Each piece is one os.write; after each, once the read it completes (if
    any) has come, the reader's clock jumps far past the fragment timeout. One
    ScanRead per code, and no refusal, fragment or second read from any CR or LF."""
    master, link = pty_link
    pieces = [CODE + b"\r\n",                   # CR LF whole
              OTHER + b"\r", b"\n",              # CR, then the LF late
              b"96385074\n",                     # LF alone
              CODE + b"\n\r",                    # LF CR
              b"\n", b"\r", OTHER + b"\r",       # stray LF and CR before a read
              b"96385074\r"]                     # last: any stray above is read by now
    q, clock = queue.Queue(), ManualClock()
    got, others = [], []
    with SerialReader(link, load_profile(name), q.put, clock=clock):
        assert isinstance(q.get(timeout=5), Connected)
        for piece in pieces:
            os.write(master, piece)
            if piece.strip(b"\r\n"):              # a code: wait until it is read whole
                read, before = until_read(q)
                got.append(read)
                others += before
            clock.now += 10.0
    assert [r.text for r in got] == [p.strip(b"\r\n").decode() for p in pieces if p.strip(b"\r\n")]
    assert got[0].raw in (CODE + b"\r\n", CODE + b"\r")    # the LF in the same os.read, or not
    assert others == []


# -- pos scanner check -----------------------------------------------------------------

def test_scanner_check_with_the_default_profile_reports_no_fragment_for_crlf(pty_link):
    master, link = pty_link
    proc = subprocess.Popen([sys.executable, "-m", "pos", "scanner", "check", "--scanner", link,
                             "--json", "--timeout", "20", "--count", "4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(json.loads(ln)) for ln in proc.stdout],
                     daemon=True).start()
    codes = [CODE, OTHER, b"96385074", CODE]
    try:
        assert lines.get(timeout=20)["event"] == "connected"
        out = []
        for code in codes[:3]:                      # one at a time: CR LF, the LF in its own write
            os.write(master, code + b"\r")
            os.write(master, b"\n")
            out.append(lines.get(timeout=20))
        os.write(master, codes[3] + b"\r\n")
        out.append(lines.get(timeout=20))
    finally:
        proc.wait(timeout=20)
    assert [o["event"] for o in out] == ["read"] * 4          # no fragment, no refusal
    assert all(o["raw"] in (c.decode() + "\\r", c.decode() + "\\r\\n") for o, c in zip(out, codes))
    assert [o["key"].lstrip("0") for o in out] == [c.decode().lstrip("0") for c in codes]
    assert proc.returncode == 0
