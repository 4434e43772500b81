"""The shared pitches products carry (storage, cases, organic ...)."""
from __future__ import annotations

from .names import translations
from .tables import table

PITCH = translations(table("pitches")["pitches"])
