"""The bytes of the faults a real scanner line shows: line noise, and one read
arriving in several pieces. (Missing terminators, bursts and unplugging are
timing and device matters: see emulator.py.)"""
from __future__ import annotations

import random

FAULT_NAMES = ("noise", "split", "no-terminator", "burst", "unplug-replug")

# Always in the noise when there is room: NUL, 0xFF, and non-printable controls.
_MUST_HAVE = (0x00, 0xFF, 0x1B, 0x07, 0x80)


def noise_bytes(n: int, rng: random.Random, exclude: bytes = b"") -> bytes:
    """n random bytes that always include NUL and 0xFF (and more non-printables
    when n allows), never any byte in `exclude` (the profile's terminator, so
    that noise plus one terminator is exactly one frame)."""
    if n < 0:
        raise ValueError("noise length must be 0 or more")
    allowed = [b for b in range(256) if b not in exclude]
    must = [b for b in _MUST_HAVE if b not in exclude][:n]
    rest = [rng.choice(allowed) for _ in range(n - len(must))]
    out = must + rest
    rng.shuffle(out)
    return bytes(out)


def split_parts(data: bytes, parts: int) -> list[bytes]:
    """`data` in `parts` non-empty pieces of near-equal size (fewer if data is shorter)."""
    if parts < 1:
        raise ValueError("parts must be 1 or more")
    parts = max(1, min(parts, len(data)))
    size, extra = divmod(len(data), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(data[start:end])
        start = end
    return out
