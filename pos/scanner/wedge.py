"""Keyboard-wedge scanners: the scanner types the code and Enter into the till.

`WedgeInput` takes the key presses the UI receives (a character, or the Enter
key) and frames them exactly like serial bytes, Enter being the terminator, so
that a wedge read is decoded and refused by the same rules as a serial one. A
code typed slower than a scanner types (a person at the keyboard) is not a
scan: its characters time out as a fragment unless `allow_typing` is set.
"""
from __future__ import annotations

from dataclasses import replace

from .events import FramedEvent
from .framing import Framer
from .profiles import DeviceProfile

WEDGE_PROFILE = DeviceProfile("keyboard-wedge", description="scanner as a keyboard: code + Enter",
                              terminator="CR", fragment_timeout=0.5)


class WedgeInput:
    def __init__(self, profile: DeviceProfile = WEDGE_PROFILE, allow_typing: bool = False):
        if profile.terminator != "CR":
            profile = replace(profile, terminator="CR")     # Enter arrives as the terminator
        if allow_typing:
            profile = replace(profile, fragment_timeout=10.0)
        self._framer = Framer(profile)

    def key(self, key: str, character: str | None, now: float) -> list[FramedEvent]:
        """One key press: Textual's `key` name and `character`. Returns the events it completes."""
        if key == "enter":
            return self._framer.feed(b"\r", now)
        if key == "tab":
            return self._framer.feed(b"\x1d", now)   # wedges configured so type the GS1 separator as Tab
        if character is None or len(character) != 1:
            return self._framer.poll(now)
        code = ord(character)
        data = bytes([code]) if code < 0x80 else b"\xff"      # non-ASCII: refused by the framer
        return self._framer.feed(data, now)

    def text(self, typed: str, now: float) -> list[FramedEvent]:
        """A whole string as the wedge would type it ('\\n' or '\\r' = Enter)."""
        events: list[FramedEvent] = []
        for ch in typed:
            events += self.key("enter" if ch in "\r\n" else "", ch, now)
        return events

    def poll(self, now: float) -> list[FramedEvent]:
        return self._framer.poll(now)
