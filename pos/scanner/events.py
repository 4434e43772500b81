"""What a scanner reader reports: complete reads, refused or dropped frames, and
connection changes. The serial reader, the keyboard-wedge reader and
`pos scanner check` all speak these; the till turns them into Textual messages."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScanRead:
    """A complete read: `text` is the data with terminator, prefix, suffix and
    AIM identifier removed; `symbology` the AIM identifier (e.g. ']E0') or None."""
    raw: bytes
    text: str
    symbology: str | None
    at: float          # time.monotonic() when the terminator arrived


@dataclass(frozen=True)
class ScanRefused:
    """A terminated frame that is not a read: overlong, or garbage. `reason` is for people."""
    raw: bytes
    reason: str
    at: float


@dataclass(frozen=True)
class FragmentDropped:
    """Bytes that never got their terminator within the profile's fragment timeout."""
    raw: bytes
    reason: str
    at: float


@dataclass(frozen=True)
class Connected:
    port: str          # what was opened: the resolved device or URL
    at: float


@dataclass(frozen=True)
class Disconnected:
    port: str
    reason: str
    at: float


ReaderEvent = ScanRead | ScanRefused | FragmentDropped | Connected | Disconnected
# what framing bytes gives (a port's coming and going is the reader's)
FramedEvent = ScanRead | ScanRefused | FragmentDropped


def escape_bytes(raw: bytes) -> str:
    """Raw bytes for a log line: printable ASCII as is, the rest as \\r \\n \\t \\xNN."""
    out = []
    for b in raw:
        if b == 0x0D:
            out.append("\\r")
        elif b == 0x0A:
            out.append("\\n")
        elif b == 0x09:
            out.append("\\t")
        elif b == 0x5C:
            out.append("\\\\")
        elif 0x20 <= b < 0x7F:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "".join(out)
