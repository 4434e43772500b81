"""Device profiles: a scanner's line settings and transmit format, as data.

A profile is a JSON file; the shipped ones (common scanners' factory defaults)
are under `hardware/profiles/`. `load_profile(NAME)` finds a shipped profile by
name, `load_profile(PATH)` reads any file. Fields and their meaning:
docs/scanners.md.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..profile_files import build_profile, read_profile, shipped_dir, shipped_names

TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "NONE": b""}
LINE_ENDS = ("CR", "LF", "CRLF")    # framed alike: any of CR, LF, CR LF ends a read
PARITIES = {"none": "N", "even": "E", "odd": "O", "mark": "M", "space": "S"}
STOPBITS = (1, 1.5, 2)
BYTESIZES = (5, 6, 7, 8)
MAX_FRAME = 512


class ProfileError(ConfigError):
    """A profile file that is missing, unreadable or has a bad field (the message names it)."""


@dataclass(frozen=True)
class DeviceProfile:
    name: str
    description: str = ""
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "none"            # none, even, odd, mark, space
    stopbits: float = 1
    terminator: str = "CR"          # what the device sends: CR, LF, CRLF (each: a read ends at
                                    # any line end), TAB, or NONE (reads end by fragment_timeout)
    aim: bool = False               # AIM symbology identifiers (]E0 ...) prefix each read
    prefix: str = ""                # stripped from the front of a read when present
    suffix: str = ""                # stripped from the end of a read (before the terminator)
    fragment_timeout: float = 0.3   # seconds: a read without its terminator by then is dropped
    max_frame: int = MAX_FRAME      # bytes: a longer read is refused
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def terminator_bytes(self) -> bytes:
        """The terminator as the device sends it (the emulator sends exactly this)."""
        return TERMINATORS[self.terminator]

    @property
    def end_bytes(self) -> bytes:
        """Every byte that ends a read when framing: CR and LF for a line-end
        terminator (CR, LF, CRLF), else the terminator's own bytes."""
        return b"\r\n" if self.terminator in LINE_ENDS else self.terminator_bytes

    @property
    def serial_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for serial.serial_for_url / serial.Serial."""
        return {"baudrate": self.baudrate, "bytesize": self.bytesize,
                "parity": PARITIES[self.parity], "stopbits": self.stopbits}

    def to_json(self) -> str:
        d = asdict(self)
        d["tags"] = list(self.tags)
        return json.dumps(d, indent=2, ensure_ascii=False) + "\n"


def _check(d: dict[str, Any], source: str) -> DeviceProfile:
    try:
        d = {**d, "tags": tuple(d.get("tags", ()))}
    except TypeError as exc:
        raise ProfileError(f"{source}: {exc}") from None
    p = build_profile(DeviceProfile, d, source, ProfileError)
    checks = [
        ("baudrate", isinstance(p.baudrate, int) and p.baudrate > 0, "a positive integer"),
        ("bytesize", p.bytesize in BYTESIZES, f"one of {BYTESIZES}"),
        ("parity", p.parity in PARITIES, f"one of {', '.join(PARITIES)}"),
        ("stopbits", p.stopbits in STOPBITS, f"one of {STOPBITS}"),
        ("terminator", p.terminator in TERMINATORS, f"one of {', '.join(TERMINATORS)}"),
        ("aim", isinstance(p.aim, bool), "true or false"),
        ("prefix", isinstance(p.prefix, str), "a string"),
        ("suffix", isinstance(p.suffix, str), "a string"),
        ("fragment_timeout", isinstance(p.fragment_timeout, (int, float)) and 0 < p.fragment_timeout <= 10,
         "seconds, above 0 and at most 10"),
        ("max_frame", isinstance(p.max_frame, int) and 8 <= p.max_frame <= MAX_FRAME,
         f"an integer from 8 to {MAX_FRAME}"),
    ]
    for name, ok, want in checks:
        if not ok:
            raise ProfileError(f"{source}: field {name!r} is {getattr(p, name)!r}; expected {want}")
    return p


def profiles_dir() -> Path:
    """Where the shipped profiles live (hardware/profiles)."""
    return shipped_dir("profiles")


def shipped_profiles() -> list[str]:
    return shipped_names("profiles")


def load_profile(name_or_path: str | Path) -> DeviceProfile:
    """A shipped profile by name (e.g. 'zebra-ds2208-rs232'), or a profile file by path."""
    return _check(*read_profile(name_or_path, "profiles", ProfileError))
