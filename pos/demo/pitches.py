"""The shared pitches products carry (storage, cases, organic ...)."""
from __future__ import annotations

from .names import X
from .tables import table

PITCH = {key: X(text) for key, text in table("pitches")["pitches"].items()}
