"""The till's printer spooler: prints the receipts waiting in the journal (pos.journal,
version 6), in the order queued, on a thread of its own with a journal connection
of its own: never on the till's event loop, never in the cashier's way.

A round opens the printer (pos.receipt.connection.PrinterPort: a serial device or
socket://host:9100), asks its status (DLE EOT) unless the profile says it does not
answer, and sends the receipts one by one, each marked printed in the journal as
soon as the printer has taken all its bytes. What stops a round:

  the printer cannot be opened,      state `unreachable`: tried again every `retry` seconds
  or the bytes were not all taken    (the receipt stays waiting, its attempt counted)
  it answers offline, cover open,    state: the status's problem (`offline`, `cover open`,
  out of paper, error                `out of paper`, `error`): tried again every `retry` seconds

The printer is looked at when the spooler starts and, after a fault, every `retry`
seconds even with nothing waiting, so the status bar shows a fault before the next
sale, and shows it mended when it is.

so a receipt is printed once, when the printer is back: a receipt is marked
printed only after the printer took it, and never sent again after that. (A power
cut between the printer taking it and the journal's mark prints it again at the
next start: once more at most, never lost.) A printer that runs out of paper in the
middle of a receipt keeps the rest in its buffer and prints it when the paper is
in, as ESC/POS printers do: that receipt counts as taken.

`wake()` (after a payment or a reprint) starts a round now, even while a fault's
delay runs (pos.journal_sender: the thread); `print_once` is one round, for the
tests and the benchmarks to drive without the thread.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..background import notify
from ..journal import JournalError
from ..journal_sender import JournalSender
from .connection import PrinterPort, PrinterUnavailable
from .status import PrinterStatus

log = logging.getLogger("pos.receipt.spool")

# the spooler's states (the status bar's words are pos.ui's)
STARTING, READY, UNREACHABLE = "starting", "ready", "unreachable"


class Port(Protocol):
    """What the spooler needs of a printer connection (PrinterPort)."""

    def open(self) -> None: ...

    def status(self) -> PrinterStatus: ...

    def send(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class ReceiptSpooler(JournalSender):
    """Prints the journal's waiting receipts (journal at `journal_path`, till `till`)
    to the printer at `url`. `status`: ask the printer's status before sending.
    `connect(url, timeout)`: opens a port (tests may give another PrinterPort maker)."""

    def __init__(self, url: str, journal_path: str | Path, till: str, *,
                 timeout: float = 2.0, status: bool = True, retry: float = 2.0,
                 clock: Callable[[], float] = time.monotonic,
                 connect: Callable[[str, float], Port] = PrinterPort) -> None:
        super().__init__(journal_path, till, clock)
        self.url = url
        self.timeout, self.ask_status, self.retry = timeout, status, retry
        self.connect = connect
        self.state = STARTING
        self.waiting = 0                # receipts not printed yet, as of the last round
        self.printed = 0                # receipts printed by this spooler
        self.last_error: str | None = None

    # ---- one round -------------------------------------------------------------------

    def print_once(self) -> float | None:
        """Prints what is waiting until nothing is or the printer cannot take more;
        the seconds before the next try, or None (nothing waits: wait to be woken).
        The receipts' bytes are read one at a time, as they are sent: a printer that
        is away costs a count each try, not a read of every receipt waiting."""
        try:
            waiting = self.journal.receipts_waiting_count()
        except JournalError as exc:
            log.error("printer: cannot read the receipts waiting: %s", exc)
            return self.retry
        if not waiting and self.state == READY:
            self._set(READY, 0)
            return None             # else (starting, or a fault) the printer is looked at
        port = self.connect(self.url, self.timeout)
        try:
            port.open()
            if self.ask_status:
                status = port.status()
                if not status.ready:
                    self.last_error = status.problem
                    self._set(status.problem or UNREACHABLE, waiting)
                    return self.retry
            self._set(READY, waiting)
            while next_one := self.journal.receipts_waiting(limit=1):
                [(receipt_id, sale_id, body)] = next_one
                try:
                    port.send(body)
                except PrinterUnavailable as exc:
                    self._failed(receipt_id, str(exc))
                    return self.retry
                self.journal.mark_receipt_printed(receipt_id)
                self.printed += 1
                log.info("printer: receipt %d of sale %s printed", receipt_id, sale_id)
                self._set(READY, max(self.waiting - 1, 0))
        except PrinterUnavailable as exc:
            self.last_error = str(exc)
            log.warning("printer %s: %s; tried again in %g s", self.url, exc, self.retry)
            self._set(UNREACHABLE, waiting)
            return self.retry
        except JournalError as exc:
            log.error("printer: cannot mark a receipt printed: %s", exc)
            return self.retry
        finally:
            port.close()
        return None

    def _failed(self, receipt_id: int, error: str) -> None:
        self.last_error = error
        log.warning("printer %s: receipt %d not taken (%s); tried again in %g s",
                    self.url, receipt_id, error, self.retry)
        try:
            self.journal.receipt_failed(receipt_id, error)
        except JournalError as exc:
            log.error("printer: cannot note the failed receipt: %s", exc)
        self._set(UNREACHABLE, self.waiting)

    def _set(self, state: str, waiting: int) -> None:
        if (state, waiting) != (self.state, self.waiting):
            self.state, self.waiting = state, waiting
            notify(self._on_change)

    @property
    def problem(self) -> str | None:
        """What keeps receipts from printing (a state other than ready), or None."""
        return None if self.state in (STARTING, READY) else self.state

    # ---- the thread (pos.journal_sender) --------------------------------------------

    THREAD_NAME = "printer-spooler"
    WAKE_ENDS_DELAY = True               # a new receipt: ask the printer again at once

    def send_round(self) -> float | None:
        return self.print_once()
