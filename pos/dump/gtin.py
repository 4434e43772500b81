"""GTIN barcodes as the catalog lists them: check digits, UPC-E expansion, GTIN-14 form.

The store keeps every barcode as 14 digits (zero-padded GTIN-14), the form a
till looks a scanned code up in.
"""
from __future__ import annotations


class BarcodeError(ValueError):
    """A barcode that is not a valid GTIN; the message says why."""


def check_digit(body: str) -> int:
    """The GS1 mod-10 check digit for `body` (the digits before the check digit)."""
    # weights 3, 1, 3, ... from the rightmost digit
    total = 3 * sum(map(int, body[::-2])) + sum(map(int, body[-2::-2]))
    return (10 - total % 10) % 10


def has_valid_check_digit(code: str) -> bool:
    return code.isdigit() and len(code) >= 2 and check_digit(code[:-1]) == int(code[-1])


def expand_upce(code: str) -> str:
    """The 12-digit UPC-A a UPC-E code (8 digits: number system, 6 data, check) stands for."""
    if len(code) != 8 or not code.isdigit() or code[0] not in "01":
        raise BarcodeError(f"'{code}' is not a UPC-E code")
    ns, d, check = code[0], code[1:7], code[7]
    last = d[5]
    if last in "012":
        body = d[0:2] + last + "0000" + d[2:5]
    elif last == "3":
        body = d[0:3] + "00000" + d[3:5]
    elif last == "4":
        body = d[0:4] + "00000" + d[4]
    else:
        body = d[0:5] + "0000" + last
    return ns + body + check


def normalize_gtin(code: str) -> str:
    """The GTIN-14 form of a catalog barcode, or BarcodeError saying what is wrong."""
    code = code.strip()
    if not code:
        raise BarcodeError("empty barcode")
    shown = code if len(code) <= 30 else code[:30] + "..."     # in a message
    if not code.isdigit():
        raise BarcodeError(f"'{shown}' has characters other than digits")
    if len(code) == 8:
        if has_valid_check_digit(code):
            return code.zfill(14)
        if code[0] in "01":
            upca = expand_upce(code)
            if has_valid_check_digit(upca):
                return upca.zfill(14)
            raise BarcodeError(f"'{code}': check digit wrong (as GTIN-8 and as UPC-E)")
        raise BarcodeError(f"'{code}': check digit wrong, expected {check_digit(code[:-1])}")
    if len(code) not in (12, 13, 14):
        raise BarcodeError(f"'{shown}' has {len(code):,} digits; a GTIN has 8, 12, 13 or 14")
    if not has_valid_check_digit(code):
        raise BarcodeError(f"'{code}': check digit wrong, expected {check_digit(code[:-1])}")
    return code.zfill(14)
