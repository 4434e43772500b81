"""A thread that sends what the journal holds for someone else, in rounds: the
store hub's outbox (pos.hub.client.HubPusher) and the receipts waiting for the
printer (pos.receipt.spool.ReceiptSpooler).

A subclass says what one round does (`send_round`: the seconds before the next
try, or None: wait to be woken); the thread runs a round at start, when woken
(`wake`, after a payment) and when the delay is over, on a journal connection of
its own opened on that thread, and never on the till's event loop.
`on_change()` is called from the thread (the UI posts a message); a failure in it
is logged, not raised.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .background import notify
from .journal import Journal

log = logging.getLogger("pos.journal_sender")


class JournalSender:
    THREAD_NAME = "journal-sender"
    # woken while waiting out a delay: True runs a round at once (a printer is
    # cheap to ask), False keeps the delay (a hub away is not hammered)
    WAKE_ENDS_DELAY = False

    def __init__(self, journal_path: str | Path, till: str,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.journal_path = Path(journal_path)
        self.till = till
        self.clock = clock
        self._journal: Journal | None = None    # opened by the thread that sends
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._on_change: Callable[[], object] = lambda: None

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            self._journal = Journal(self.journal_path, till=self.till)
        return self._journal

    def send_round(self) -> float | None:
        """One round: the seconds to wait before the next, or None (wait to be woken)."""
        raise NotImplementedError

    def before_rounds(self) -> None:
        """Run once on the thread before the first round."""

    def after_round(self) -> None:
        """Run on the thread after each round."""

    def _changed(self) -> None:
        notify(self._on_change)

    def wake(self) -> None:
        """Something was queued: a round starts now (see WAKE_ENDS_DELAY)."""
        self._wake.set()

    def start(self, on_change: Callable[[], object] = lambda: None) -> JournalSender:
        """Sends on a thread of its own until `stop`; `on_change()` from that thread."""
        self._on_change = on_change
        self._thread = threading.Thread(target=self._run, name=self.THREAD_NAME, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.before_rounds()
            retry_at: float | None = None
            while not self._stopping:
                if retry_at is None or self.clock() >= retry_at:
                    self._wake.clear()
                    delay = self.send_round()
                    retry_at = None if delay is None else self.clock() + delay
                    self.after_round()
                if self._stopping:
                    break
                self._wake.wait(None if retry_at is None else max(0.0, retry_at - self.clock()))
                if self._wake.is_set() and self.WAKE_ENDS_DELAY:
                    retry_at = None
                self._wake.clear()
        except Exception:                     # never silently: the status bar stays as it was
            log.exception("%s stopped", self.THREAD_NAME)
        finally:
            if self._journal is not None:
                self._journal.close()
                self._journal = None

    def stop(self, timeout: float = 30.0) -> None:
        """Ends the thread after the round under way."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        elif self._journal is not None:
            self._journal.close()
            self._journal = None
