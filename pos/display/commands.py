"""The two command sets of a 2 × 20 customer (pole) display, as bytes.

CD5220 (Partner Tech's command set, which most pole displays speak; the "CD5220
standard mode" table of the CD5220 user's manual, also in Epson-made displays'
manuals as "CD5220 Standard Mode Command List"):

    ESC @        1B 40        initialize: clear, cursor home, modes reset
    ESC DC1      1B 11        overwrite mode (the cursor wraps: line 1 -> 2 -> 1)
    ESC l x y    1B 6C x y    cursor to column x (1-20), line y (1-2)
    ESC _ n      1B 5F n      cursor off (0) / on (1)
    CLR          0C           clear both lines, cursor home
    ESC f n      1B 66 n      international character set: n a letter of the manual's
                              table (A U.S.A., G Germany, W Sweden, D Denmark I, ...):
                              7-bit national variants of a few ASCII positions
    ESC c n      1B 63 n      the font: ASCII, JIS (J), Russian (R), Slavonic (L)

The CD5220 set has no code page command: the upper half (0x80-0xFF) is the
display's own table, set by its DIP switches or fixed (store.toml's `code_page`
says which; PC437 by default). pos sends neither ESC f nor ESC c: the display's
power-on set (U.S.A., plain ASCII) is what the text is encoded for.

Epson's ESC/POS for customer displays (DM-D110, DM-D210; Epson's "ESC/POS
Command Reference for Customer Display"; LCDproc's serialPOS driver sends the same):

    ESC @        1B 40        initialize
    ESC t n      1B 74 n      code page n (DM-D110: 0 PC437, 2 PC850, 3 PC860, 4 PC863,
                              5 PC865, 16 WPC1252, 17 PC866, 18 PC852, 19 PC858)
    US MD1       1F 01        overwrite mode
    US C n       1F 43 n      cursor off (0) / on (1)
    US $ x y     1F 24 x y    cursor to column x, line y (1-based)
    CLR          0C           clear, cursor home

A frame is written as two whole lines, each from its first column (no clear
between frames, so the display does not flicker): `frame_bytes`. Text goes out in
the code page through pos.codepage's fallbacks; a character with none shows as
'?' (a display never refuses a sale's text).
"""
from __future__ import annotations

import codecs

from ..codepage import fallback_text
from ..errors import ConfigError

WIDTH, HEIGHT = 20, 2
ESC, US, CLR = 0x1B, 0x1F, 0x0C
PROTOCOLS = ("cd5220", "escpos")
# ESC t n of Epson's customer displays (the DM-D110 specification's range: 0-5, 16-19)
ESCPOS_CODE_PAGES = {"CP437": 0, "CP850": 2, "CP860": 3, "CP863": 4, "CP865": 5, "CP1252": 16,
                     "CP866": 17, "CP852": 18, "CP858": 19}
# ESC f n of the CD5220 manual's international character sets
CD5220_CHARSETS = "AGIJUFSWDELR"


class DisplayConfigError(ConfigError):
    """A display protocol or code page pos cannot drive (the message says which)."""


def check(protocol: str, code_page: str) -> str:
    """The Python codec of `code_page` for `protocol`, or DisplayConfigError."""
    if protocol not in PROTOCOLS:
        raise DisplayConfigError(f"display protocol {protocol!r}: one of {', '.join(PROTOCOLS)}")
    if protocol == "escpos" and code_page not in ESCPOS_CODE_PAGES:
        raise DisplayConfigError(f"display code page {code_page!r}: an ESC/POS display (DM-D110) has "
                                 f"{', '.join(ESCPOS_CODE_PAGES)}")
    codec = code_page.lower().replace("_", "-")
    try:
        codecs.lookup(codec)
    except LookupError:
        raise DisplayConfigError(f"display code page {code_page!r}: Python cannot encode it") from None
    return codec


# ---- CD5220 ---------------------------------------------------------------------------

def cd5220_init() -> bytes:
    return bytes([ESC, 0x40, ESC, 0x11, ESC, 0x5F, 0])


def cd5220_move(x: int, y: int) -> bytes:
    _check_position(x, y)
    return bytes([ESC, 0x6C, x, y])


def cd5220_charset(letter: str) -> bytes:
    """ESC f n: an international character set of the manual's table (not sent by pos)."""
    if len(letter) != 1 or letter not in CD5220_CHARSETS:
        raise DisplayConfigError(f"CD5220 character set {letter!r}: one of {', '.join(CD5220_CHARSETS)}")
    return bytes([ESC, 0x66, ord(letter)])


# ---- ESC/POS (Epson customer displays) -------------------------------------------------

def escpos_init(code_page: str) -> bytes:
    check("escpos", code_page)
    return bytes([ESC, 0x40, ESC, 0x74, ESCPOS_CODE_PAGES[code_page], US, 0x01, US, 0x43, 0])


def escpos_move(x: int, y: int) -> bytes:
    _check_position(x, y)
    return bytes([US, 0x24, x, y])


def clear() -> bytes:
    """CLR: the same byte in both sets."""
    return bytes([CLR])


def _check_position(x: int, y: int) -> None:
    if not (1 <= x <= WIDTH and 1 <= y <= HEIGHT):
        raise ValueError(f"display position ({x}, {y}) is outside 1-{WIDTH} x 1-{HEIGHT}")


# ---- both -------------------------------------------------------------------------------

def init_bytes(protocol: str, code_page: str) -> bytes:
    """What a display is sent first (and again after it was unplugged)."""
    check(protocol, code_page)
    return cd5220_init() if protocol == "cd5220" else escpos_init(code_page)


def display_text(text: str, codec: str, currency_code: str = "") -> str:
    """`text` in characters the code page has (pos.codepage's fallbacks; '?' for a
    character without one). Whitespace of any kind (Babel's no-break spaces) is a space."""
    parts = []
    for ch in text:
        if ch.isspace():
            parts.append(" ")
            continue
        out, missing = fallback_text(ch, codec, currency_code)
        parts.append("?" if missing else out)
    return "".join(parts)


def encode_line(text: str, codec: str, currency_code: str = "") -> bytes:
    """One line of exactly WIDTH bytes in the code page: cut or padded with spaces."""
    return display_text(text, codec, currency_code).encode(codec)[:WIDTH].ljust(WIDTH, b" ")


def frame_bytes(protocol: str, lines: tuple[str, str], codec: str, currency_code: str = "") -> bytes:
    """The two lines written over what the display shows, each from its first column."""
    move = cd5220_move if protocol == "cd5220" else escpos_move
    return b"".join(move(1, y) + encode_line(text, codec, currency_code)
                    for y, text in enumerate(lines, start=1))
