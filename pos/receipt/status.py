"""What a receipt printer says about itself: its answers to the real-time status
request DLE EOT n (0x10 0x04 n), read as Epson's ESC/POS reference defines them,
as one `PrinterStatus`.

    n=1 printer status   bit 3: offline
    n=2 offline cause    bit 2: cover open; bit 3: paper being fed by the button;
                         bit 5: printing stopped at the paper end; bit 6: an error
    n=4 roll paper       bits 2-3: paper near its end; bits 5-6: paper end (none left)

Every answer has bits 1 and 4 set and bits 0 and 7 clear; a byte without them is
not a status answer (a stray byte, another command's answer) and is refused with
StatusByteError. python-escpos reads the same bits (escpos.constants RT_STATUS_*,
RT_MASK_*; Escpos.is_online and paper_status), but only n=1 and n=4 and without
the check.

A printer answers DLE EOT even while offline, out of paper or with its cover open
(that is what the request is for); one that does not answer at all is unplugged,
switched off, or a cheap model without real-time status: pos.receipt.connection
then raises PrinterUnavailable saying there was no status answer.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_

DLE, EOT = 0x10, 0x04
PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER = 1, 2, 3, 4
FIXED_MASK, FIXED_BITS = 0x93, 0x12         # bits 0, 1, 4, 7 and what they must be

OFFLINE = 0x08                               # n=1
COVER_OPEN, FEED_BUTTON, PAPER_END_STOP, ERROR = 0x04, 0x08, 0x20, 0x40   # n=2
NEAR_END, PAPER_END = 0x0C, 0x60             # n=4 (each a pair of sensor bits)

# what the cashier's status bar shows (translated where shown: _(status.problem))
OUT_OF_PAPER = N_("printer out of paper")
COVER_IS_OPEN = N_("printer cover open")
IS_OFFLINE = N_("printer offline")
HAS_ERROR = N_("printer error")


class StatusByteError(ValueError):
    """A byte that is not an answer to DLE EOT n (its fixed bits are wrong)."""


def status_request(n: int) -> bytes:
    """The bytes of DLE EOT n."""
    if n not in (PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER):
        raise ValueError(f"DLE EOT {n}: n must be 1, 2, 3 or 4")
    return bytes((DLE, EOT, n))


def check_status_byte(n: int, byte: int) -> int:
    """`byte` when it is an answer to DLE EOT `n`, else StatusByteError."""
    if not 0 <= byte <= 0xFF or byte & FIXED_MASK != FIXED_BITS:
        raise StatusByteError(f"{byte:#04x} is not an answer to DLE EOT {n} "
                              "(bits 1 and 4 must be set, bits 0 and 7 clear)")
    return byte


@dataclass(frozen=True)
class PrinterStatus:
    online: bool = True
    cover_open: bool = False
    paper_out: bool = False
    paper_near_end: bool = False
    error: bool = False

    @property
    def ready(self) -> bool:
        """It will print what it is sent now."""
        return self.online and not self.paper_out and not self.cover_open and not self.error

    @property
    def problem(self) -> str | None:
        """Why it is not ready, for the status bar (an N_ template: show it as
        _(problem)); None when ready. Paper near its end is a hint, not a problem."""
        if self.paper_out:
            return OUT_OF_PAPER
        if self.cover_open:
            return COVER_IS_OPEN
        if self.error:
            return HAS_ERROR
        if not self.online:
            return IS_OFFLINE
        return None

    @classmethod
    def from_bytes(cls, printer: int, offline_cause: int, paper: int) -> PrinterStatus:
        """The status from the answers to DLE EOT 1, 2 and 4 (StatusByteError for a
        byte that is not one)."""
        printer = check_status_byte(PRINTER, printer)
        offline_cause = check_status_byte(OFFLINE_CAUSE, offline_cause)
        paper = check_status_byte(PAPER, paper)
        return cls(online=not printer & OFFLINE,
                   cover_open=bool(offline_cause & COVER_OPEN),
                   paper_out=bool(paper & PAPER_END or offline_cause & PAPER_END_STOP),
                   paper_near_end=bool(paper & NEAR_END),
                   error=bool(offline_cause & ERROR))

    def to_bytes(self) -> tuple[int, int, int]:
        """The answers a printer in this state gives to DLE EOT 1, 2 and 4 (the
        printer emulator's): offline whenever it cannot print."""
        printer = FIXED_BITS | (0 if self.ready else OFFLINE)
        offline_cause = (FIXED_BITS | (COVER_OPEN if self.cover_open else 0)
                         | (PAPER_END_STOP if self.paper_out else 0) | (ERROR if self.error else 0))
        paper = (FIXED_BITS | (NEAR_END if self.paper_near_end or self.paper_out else 0)
                 | (PAPER_END if self.paper_out else 0))
        return printer, offline_cause, paper

    def describe(self) -> str:
        """One line in English for logs and the emulator's command line."""
        flags = ["online" if self.online else "offline"]
        flags += [name for name, on in (("cover-open", self.cover_open), ("paper-out", self.paper_out),
                                        ("paper-near-end", self.paper_near_end),
                                        ("error", self.error)) if on]
        return " ".join(flags + ["ready" if self.ready else "not-ready"])
