"""Messages the till's UI posts: a scanner reader event, from the reader's thread."""
from __future__ import annotations

from textual.message import Message

from ..scanner.events import ReaderEvent


class ScannerEvent(Message):
    """One event from the serial reader (ScanRead, ScanRefused, FragmentDropped,
    Connected, Disconnected). Posted from the reader thread: post_message is thread-safe."""

    def __init__(self, event: ReaderEvent) -> None:
        super().__init__()
        self.event = event
