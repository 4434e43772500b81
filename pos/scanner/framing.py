"""Framing: turns the byte stream of a scanner into reads, by the profile's
terminator, prefix, suffix and AIM identifiers.

Pure logic with an explicit clock (`now` arguments), so that the serial reader,
the keyboard-wedge reader and the property tests share it. Rules:

- a read ends at the terminator; an empty frame (a stray terminator) is ignored;
- bytes that get no terminator within `profile.fragment_timeout` of the last
  byte are dropped and reported (`FragmentDropped`); with terminator NONE that
  silence ends the read instead;
- a frame over `profile.max_frame` bytes is refused once, and everything up to
  the next terminator is discarded with it;
- a frame must be printable ASCII (GS, 0x1D, is allowed: the GS1 separator);
  with AIM identifiers on, it must start with one (`]` + two characters).
"""
from __future__ import annotations

from .events import FragmentDropped, ScanRead, ScanRefused
from .profiles import DeviceProfile

GS = 0x1D


def _refusal_for(frame: bytes) -> str | None:
    for i, b in enumerate(frame):
        if not (0x20 <= b < 0x7F or b == GS):
            return f"garbage: non-printable byte 0x{b:02x} at position {i + 1} — scan again"
    return None


class Framer:
    def __init__(self, profile: DeviceProfile):
        self.profile = profile
        self._term = profile.terminator_bytes
        self._prefix = profile.prefix.encode("latin-1")
        self._suffix = profile.suffix.encode("latin-1")
        self._buf = bytearray()
        self._last = 0.0
        self._skipping = False      # inside an overlong frame: discard up to the next terminator

    @property
    def pending(self) -> bytes:
        return bytes(self._buf)

    def feed(self, data: bytes, now: float) -> list:
        """Events completed by these bytes (a timed-out fragment first, if any)."""
        events = self.poll(now)
        if not data:
            return events
        self._buf += data
        self._last = now
        if self._term:
            while True:
                at = self._buf.find(self._term)
                if at < 0:
                    break
                frame = bytes(self._buf[:at])
                del self._buf[:at + len(self._term)]
                if self._skipping:
                    self._skipping = False
                    continue
                event = self._frame(frame, now)
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

    def poll(self, now: float) -> list:
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
        if not self._term:          # terminator NONE: silence ends the read
            event = self._frame(raw, now)
            return [event] if event is not None else []
        return [FragmentDropped(raw, f"no terminator within {self.profile.fragment_timeout:g} s "
                                     "— fragment dropped, scan again", now)]

    def reset(self, now: float, reason: str) -> list:
        """Drop what is buffered (the port closed); reported when there was something."""
        raw = bytes(self._buf)
        self._buf.clear()
        self._skipping = False
        return [FragmentDropped(raw, reason, now)] if raw else []

    def _frame(self, frame: bytes, now: float):
        raw = frame + self._term
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
