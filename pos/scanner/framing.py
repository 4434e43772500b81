"""Framing: turns the byte stream of a scanner into reads, by the profile's
terminator, prefix, suffix and AIM identifiers.

Pure logic with an explicit clock (`now` arguments), so that the serial reader,
the keyboard-wedge reader and the property tests share it. Rules:

- a read ends at the terminator; an empty frame (a stray terminator) is ignored;
- with a line-end terminator (CR, LF or CRLF) any line end ends a read: CR LF,
  CR or LF. A CR LF pair is one line end; when its LF comes in a later chunk,
  however late, it is an empty frame, so it is ignored and never buffered. TAB
  and NONE are strict;
- bytes that get no terminator within `profile.fragment_timeout` of the last
  byte are dropped and reported (`FragmentDropped`); with terminator NONE that
  silence ends the read instead;
- a frame over `profile.max_frame` bytes is refused once, and everything up to
  the next terminator is discarded with it;
- a frame must be printable ASCII (GS, 0x1D, is allowed: the GS1 separator);
  with AIM identifiers on, it must start with one (`]` + two characters).
"""
from __future__ import annotations

import re

from .events import FragmentDropped, FramedEvent, ScanRead, ScanRefused
from .profiles import LINE_ENDS, DeviceProfile

GS = 0x1D
LINE_END = re.compile(rb"\r\n?|\n")      # one line end: CR LF, CR or LF


def _end_pattern(profile: DeviceProfile) -> re.Pattern[bytes] | None:
    """What ends a read under `profile`; None for terminator NONE (silence does)."""
    if profile.terminator in LINE_ENDS:
        return LINE_END
    return re.compile(re.escape(profile.terminator_bytes)) if profile.terminator_bytes else None


def _refusal_for(frame: bytes) -> str | None:
    for i, b in enumerate(frame):
        if not (0x20 <= b < 0x7F or b == GS):
            return f"garbage: non-printable byte 0x{b:02x} at position {i + 1} — scan again"
    return None


class Framer:
    def __init__(self, profile: DeviceProfile):
        self.profile = profile
        self._end = _end_pattern(profile)
        self._prefix = profile.prefix.encode("latin-1")
        self._suffix = profile.suffix.encode("latin-1")
        self._buf = bytearray()
        self._last = 0.0
        self._skipping = False      # inside an overlong frame: discard up to the next terminator

    @property
    def pending(self) -> bytes:
        return bytes(self._buf)

    def feed(self, data: bytes, now: float) -> list[FramedEvent]:
        """Events completed by these bytes (a timed-out fragment first, if any)."""
        events = self.poll(now)
        if not data:
            return events
        self._buf += data
        self._last = now
        if self._end is not None:
            while True:
                end = self._end.search(self._buf)
                if end is None:
                    break
                frame, ending = bytes(self._buf[:end.start()]), end.group()
                del self._buf[:end.end()]
                if self._skipping:
                    self._skipping = False
                    continue
                event = self._frame(frame, ending, now)
                if event is not None:
                    events.append(event)
        if len(self._buf) > self.profile.max_frame and not self._skipping:
            events.append(ScanRefused(bytes(self._buf[:64]) + b"...",
                                      f"read longer than {self.profile.max_frame} bytes "
                                      "— scan again", now))
            self._skipping = True
        if self._skipping:
            self._buf.clear()
        return events

    def poll(self, now: float) -> list[FramedEvent]:
        """The fragment that timed out by `now`, if any (call this when no bytes come)."""
        if not self._buf and not self._skipping:
            return []
        if now - self._last < self.profile.fragment_timeout:
            return []
        raw = bytes(self._buf)
        self._buf.clear()
        if self._skipping:
            self._skipping = False
            return []
        if self._end is None:       # terminator NONE: silence ends the read
            event = self._frame(raw, b"", now)
            return [event] if event is not None else []
        return [FragmentDropped(raw, f"no terminator within {self.profile.fragment_timeout:g} s "
                                     "— fragment dropped, scan again", now)]

    def reset(self, now: float, reason: str) -> list[FramedEvent]:
        """Drop what is buffered (the port closed); reported when there was something."""
        raw = bytes(self._buf)
        self._buf.clear()
        self._skipping = False
        return [FragmentDropped(raw, reason, now)] if raw else []

    def _frame(self, frame: bytes, end: bytes, now: float) -> FramedEvent | None:
        """The event for one frame (None when it is empty); `end` is the line end it had."""
        raw = frame + end
        if len(frame) > self.profile.max_frame:
            return ScanRefused(raw[:64] + b"...", f"read longer than {self.profile.max_frame} "
                                                  "bytes — scan again", now)
        body = frame
        if self._prefix and body.startswith(self._prefix):
            body = body[len(self._prefix):]
        if self._suffix and body.endswith(self._suffix):
            body = body[:-len(self._suffix)]
        if not body:
            return None
        reason = _refusal_for(body)
        if reason:
            return ScanRefused(raw, reason, now)
        text = body.decode("ascii")
        symbology = None
        if self.profile.aim:
            if len(text) < 3 or text[0] != "]":
                return ScanRefused(raw, "no AIM identifier although the profile expects one "
                                        "— check the scanner's settings", now)
            symbology, text = text[:3], text[3:]
            if not text:
                return ScanRefused(raw, "empty read after the AIM identifier — scan again", now)
        return ScanRead(raw, text, symbology, now)
