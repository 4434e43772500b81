"""A receipt as ESC/POS bytes: `receipt_bytes(receipt, profile)`.

The commands are python-escpos's (its `Dummy` printer collects the bytes) behind
`ReceiptPrinter`, the few calls a receipt needs; a connection (serial, USB,
network) will only have to send the bytes.

Text goes out in the profile's one code page (ESC t n). Each character is sent as
it is when the code page has it; else a bidi mark is dropped, a currency sign the
code page lacks becomes the currency's code (₪ -> ILS on PC862), an accented letter
its base letter (ő -> o on PC858), '…' '×' '−' '—' and Hebrew's gershayim and
geresh become '.' 'x' '-' '"' "'"; anything else
(Hebrew on a code page without Hebrew letters) is refused with ReceiptError naming
the characters and the profile, rather than printed as '?'.

Right-to-left: a Hebrew receipt on a code page with Hebrew letters (PC862) is sent in
visual order (pos.i18n.visual: python-bidi's UAX #9 reordering), since the printer
draws left to right, and mirrored: the text ends at the right margin, the amount
at the left. Printers that shape or reorder themselves are not handled.
"""
from __future__ import annotations

import textwrap
from typing import Protocol

from ..codepage import fallback_text
from ..i18n import is_rtl, visual
from .layout import justify, receipt_rows
from .model import Receipt, ReceiptError
from .profile import PrinterProfile
from .sale_code import barcode_text, code128_data, module_width

BARCODE_HEIGHT = 80          # dots: 10 mm


class ReceiptPrinter(Protocol):
    """What a receipt needs of a printer."""

    def line(self, text: str, align: str, bold: bool = False, big: bool = False) -> None: ...
    def code128(self, data: str, module: int, height: int) -> None: ...
    def cut(self, mode: str) -> None: ...


class EscposPrinter:
    """ReceiptPrinter on python-escpos's Dummy: the bytes are in `output`."""

    def __init__(self, profile: PrinterProfile) -> None:
        from escpos.printer import Dummy
        self._p = Dummy(profile=profile.escpos_profile)
        self._p.hw("INIT")
        self._p.charcode(profile.code_page)

    def line(self, text: str, align: str, bold: bool = False, big: bool = False) -> None:
        self._p.set(align=align, bold=bold, normal_textsize=not big, double_width=big, double_height=big)
        self._p.textln(text)

    def code128(self, data: str, module: int, height: int) -> None:
        # _hw_barcode: the printer draws it (GS k); barcode() would also print to stdout
        self._p._hw_barcode(data, "CODE128", height=height, width=module, pos="OFF",
                            align_ct=True, function_type="B")
        self._p.set(align="left")
        self._p.ln()

    def cut(self, mode: str) -> None:
        if mode == "none":
            self._p.ln(4)          # to the tear bar
        else:
            self._p.cut(mode="PART" if mode == "partial" else "FULL")

    @property
    def output(self) -> bytes:
        data: bytes = self._p.output
        return data


def printable(text: str, profile: PrinterProfile, currency_code: str, strict: bool = True) -> str:
    """`text` with only characters the profile's code page has (pos.codepage's
    fallbacks), or ReceiptError; not `strict`: '?' for a character without one."""
    out, missing = fallback_text(text, profile.codec, currency_code)
    if missing and strict:
        raise ReceiptError(f"printer profile {profile.name} (code page {profile.code_page}) cannot "
                           f"print {''.join(dict.fromkeys(missing))!r}: use a profile whose code page "
                           "has them")
    return out


def print_receipt(receipt: Receipt, profile: PrinterProfile, printer: ReceiptPrinter,
                  strict: bool = True) -> None:
    """Sends `receipt` to `printer` laid out for `profile` (`strict`: see printable)."""
    width = profile.chars_per_line
    rtl = is_rtl(receipt.store.lang)
    code = receipt.currency.code
    for row in receipt_rows(receipt):
        if row.rule:
            printer.line("-" * width, "left")
            continue
        if row.barcode is not None:                        # the coupon's: fits 58 mm too
            module = module_width(row.barcode, profile.dots_per_line)
            if module is not None:
                printer.code128(code128_data(row.barcode), module, BARCODE_HEIGHT)
            continue
        start, end = (printable(row.start, profile, code, strict),
                      printable(row.end, profile, code, strict))
        if row.wrap and len(start) > width:
            for piece in textwrap.wrap(start, width):
                printer.line(visual(piece) if rtl else piece, row.align if row.align == "center"
                             else ("right" if rtl else "left"), row.bold)
            continue
        if row.align == "center":
            big = row.big and len(start) <= width // 2     # double width only when it fits
            printer.line((visual(start) if rtl else start)[:width], "center", row.bold, big)
        elif rtl:   # mirrored: the text at the right margin, the amount at the left
            printer.line(_mirror(start, end, width), "right", row.bold)
        else:
            printer.line(justify(start, end, width), "left", row.bold)
    scanned = barcode_text(receipt.sale_id)
    module = module_width(scanned, profile.dots_per_line)
    if module is not None:                                 # else too wide: the id in words only
        printer.code128(code128_data(scanned), module, BARCODE_HEIGHT)
    sale_id = printable(receipt.sale_id, profile, code, strict)
    for i in range(0, len(sale_id), width):                # whole, on as many lines as it takes
        printer.line(sale_id[i:i + width], "center")
    printer.cut(profile.cut)


def _mirror(start: str, end: str, width: int) -> str:
    """An RTL row in visual order: the amount at the left, the text ending at the right."""
    if not end:
        return visual(start[:width])
    line = justify(start, end, width)          # logical: start ... end
    cut_start = line[:width - len(end)].rstrip()
    return end + " " * (width - len(end) - len(cut_start)) + visual(cut_start)


def receipt_bytes(receipt: Receipt, profile: PrinterProfile, strict: bool = True) -> bytes:
    """The ESC/POS bytes of `receipt` for a printer of `profile`: ReceiptError for a
    character its code page cannot print, or with `strict` False a '?' for it."""
    printer = EscposPrinter(profile)
    print_receipt(receipt, profile, printer, strict)
    return printer.output
