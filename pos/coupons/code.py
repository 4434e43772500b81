"""A coupon's code: 16 decimal digits, `99` + 13 random digits + a Luhn check digit.

16 digits are 8 symbols of Code128 set C: 143 modules with the quiet zones, 286
dots at 2 dots a module, so the barcode fits 58 mm paper (384 dots) as well as 80
mm. The 13 digits come from `secrets` (10^13 codes: a store that printed a
million coupons has one chance in ten million that a guessed code is one of
them), not from a counter, so a code says nothing about the next one and two
tills never need to agree on one; the journal's primary key (and the hub's)
refuses the improbable repeat, and the till draws again. `99` is GS1's
"company internal" application identifier: no product barcode starts so at 16
digits, and the till tells a coupon from any other read by its shape and check
digit (`parse_code`) before decoding it as a product.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable

PREFIX = "99"
LENGTH = 16
_AIM = re.compile(r"^\][A-Za-z][0-9A-Za-z]")


def luhn_digit(body: str) -> str:
    """The Luhn check digit of the decimal `body` (every single-digit error and
    most swaps of neighbours change it)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:          # doubled: the digit next to the check digit first
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def new_code(randbelow: Callable[[int], int] = secrets.randbelow) -> str:
    """A fresh random coupon code (`randbelow`: tests may pass their own)."""
    draw = randbelow(10 ** (LENGTH - len(PREFIX) - 1))
    body = f"{PREFIX}{draw:0{LENGTH - len(PREFIX) - 1}d}"
    return body + luhn_digit(body)


def is_valid(code: str) -> bool:
    """`code` has a coupon's shape and its check digit is right."""
    return (len(code) == LENGTH and code.isascii() and code.isdigit()
            and code.startswith(PREFIX) and luhn_digit(code[:-1]) == code[-1])


def parse_code(text: str) -> str | None:
    """The coupon code a scanner read is (an AIM identifier in front and spaces are
    dropped: the code is told by its shape, whatever symbology read it), or None
    when the read is no coupon."""
    read = _AIM.sub("", text.strip()).replace(" ", "")
    return read if is_valid(read) else None


def in_words(code: str) -> str:
    """The code as printed under its barcode and typed by hand: groups of four."""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))
