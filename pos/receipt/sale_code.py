"""The sale id as a Code128 barcode that fits on the paper.

A sale id is `<till>-<32 hex digits>` (pos.journal: a uuid4, unique by itself).
In Code128 set B its 35 characters are 420 modules: 840 dots at the narrowest
module ESC/POS printers take (2 dots), wider than 80 mm paper (576 dots). So the
barcode carries the uuid alone, as the 40 decimal digits of its number in set C
(two digits a symbol): 255 modules, 510 dots, which fits 80 mm paper but not 58
mm (384 dots; the receipt then prints the id as text only). A scanner reads the
40 digits; `sale_uuid(digits)` gives the uuid back, and the journal's sale is the
one whose id ends in `-<uuid>`. A sale id of another shape (tests, old journals)
is carried as it is in set B when it fits.
"""
from __future__ import annotations

import re

UUID_DIGITS = 40            # 2**128 has 39 decimal digits; set C takes pairs
_UUID_TAIL = re.compile(r"-([0-9a-f]{32})$")
QUIET_MODULES = 10          # the quiet zone Code128 wants on each side


def barcode_text(sale_id: str) -> str:
    """What a scanner reads from the receipt's barcode of `sale_id`."""
    m = _UUID_TAIL.search(sale_id)
    if m is None:
        return sale_id
    return f"{int(m.group(1), 16):0{UUID_DIGITS}d}"


def sale_uuid(text: str) -> str:
    """The uuid (32 hex digits) a barcode read of `barcode_text` form carries, or the read
    itself when it is not 40 digits (a sale id carried as it is)."""
    if len(text) == UUID_DIGITS and text.isdigit():
        return f"{int(text):032x}"
    return text


def code128_data(text: str) -> str:
    """The data of ESC/POS GS k 73 for `text`: '{C' and a byte a digit pair when it is an
    even number of digits, else '{B' and the text (printable ASCII only)."""
    if text.isdigit() and len(text) % 2 == 0:
        return "{C" + "".join(chr(int(text[i:i + 2])) for i in range(0, len(text), 2))
    if not all(" " <= ch <= "~" for ch in text) or "{" in text:
        raise ValueError(f"{text!r} cannot be carried in Code128 set B here")
    return "{B" + text


def code128_modules(data: str) -> int:
    """Width in modules of the symbol for GS k data `data` (start, symbols, check, stop)
    plus its quiet zones."""
    symbols = len(data) - 2
    return 11 * (symbols + 2) + 13 + 2 * QUIET_MODULES


MODULE_WIDTHS = (3, 2)       # dots a module, widest first (ESC/POS GS w takes 2 to 6)


def module_width(text: str, dots: int) -> int | None:
    """The widest module (dots) at which the barcode of `text` fits in `dots`, or None."""
    modules = code128_modules(code128_data(text))
    return next((m for m in MODULE_WIDTHS if modules * m <= dots), None)


def code128_text_fits(text: str, dots: int) -> bool:
    return module_width(text, dots) is not None
