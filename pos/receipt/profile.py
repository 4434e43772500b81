"""Printer profiles: a receipt printer's paper, code page and cutter, as data.

A profile is a JSON file; the shipped ones are under `hardware/printers/` (installed
with pos_hardware, as the scanner's profiles are). `load_printer_profile(NAME)`
finds a shipped profile by name, `load_printer_profile(PATH)` reads any file.

    paper_mm        58 or 80: gives the characters per line of font A (32 or 48) and
                    the printable dots (384 or 576 at 203 dpi)
    code_page       the one code page text is sent in (ESC t n), a name of
                    python-escpos's capability database: CP858, CP852, CP862 (Hebrew) ...
    cut             full, partial or none (a printer without a cutter)
    escpos_profile  python-escpos's model profile ("TM-T88V", "default"): which ESC t
                    number each code page has on that model
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..profile_files import build_profile, read_profile, shipped_names

# font A (12 x 24 dots) on the paper's printable width at 203 dpi
PAPER = {58: (32, 384), 80: (48, 576)}
CUTS = ("full", "partial", "none")


class PrinterProfileError(ConfigError):
    """A printer profile that is missing, unreadable or has a bad field (the message names it)."""


@dataclass(frozen=True)
class PrinterProfile:
    name: str
    description: str = ""
    paper_mm: int = 80
    code_page: str = "CP858"
    cut: str = "partial"
    escpos_profile: str = "default"

    @property
    def chars_per_line(self) -> int:
        return PAPER[self.paper_mm][0]

    @property
    def dots_per_line(self) -> int:
        return PAPER[self.paper_mm][1]

    @property
    def codec(self) -> str:
        """The Python codec of the code page ('cp858')."""
        return self.code_page.lower().replace("_", "-")

    def code_page_number(self) -> int:
        """n of ESC t n for the code page on this model (python-escpos's capability data)."""
        from escpos.capabilities import get_profile
        pages: dict[str, str] = get_profile(self.escpos_profile).profile_data["codePages"]
        for number, name in pages.items():
            if name == self.code_page:
                return int(number)
        raise PrinterProfileError(f"printer profile {self.name}: the model {self.escpos_profile} "
                                  f"has no code page {self.code_page}")


def _check(d: dict[str, Any], source: str) -> PrinterProfile:
    p = build_profile(PrinterProfile, d, source, PrinterProfileError)
    if p.paper_mm not in PAPER:
        raise PrinterProfileError(f"{source}: field 'paper_mm' is {p.paper_mm!r}; expected 58 or 80")
    if p.cut not in CUTS:
        raise PrinterProfileError(f"{source}: field 'cut' is {p.cut!r}; expected one of {', '.join(CUTS)}")
    try:
        codecs.lookup(p.codec)
    except LookupError:
        raise PrinterProfileError(f"{source}: field 'code_page' is {p.code_page!r}, "
                                  "which Python cannot encode") from None
    try:
        p.code_page_number()
    except Exception as exc:   # an unknown model (escpos raises its own error) or code page
        raise PrinterProfileError(f"{source}: {exc}") from None
    return p


def shipped_printer_profiles() -> list[str]:
    return shipped_names("printers")


def load_printer_profile(name_or_path: str | Path) -> PrinterProfile:
    """A shipped profile by name (e.g. 'epson-tm-t88v-80mm'), or a profile file by path."""
    return _check(*read_profile(name_or_path, "printers", PrinterProfileError, "printer profile"))
