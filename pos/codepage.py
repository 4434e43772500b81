"""Text for a device that draws one single-byte code page (a receipt printer, a pole
display): each character the code page has goes as it is; otherwise a bidi mark is
dropped, a currency sign the code page lacks becomes the currency's code (₪ -> ILS
on PC862), an accented letter its base letter (ő -> o on PC858), and '…' '×' '−' '–'
and Hebrew's gershayim and geresh become '.' 'x' '-' '-' '"' "'". What is left is
returned as missing: the receipt refuses it (pos.receipt.escpos_out.printable), the
customer display shows '?' (pos.display.commands).
"""
from __future__ import annotations

import unicodedata

PLAIN = {"…": ".", "×": "x", "−": "-", "–": "-", "—": "-", "״": "\"", "׳": "'"}


def encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def fallback_text(text: str, codec: str, currency_code: str) -> tuple[str, list[str]]:
    """(`text` with the fallbacks above and '?' for a character that has none, the
    characters that have none, in order)."""
    out: list[str] = []
    missing: list[str] = []
    for ch in text:
        if encodable(ch, codec):
            out.append(ch)
            continue
        category = unicodedata.category(ch)
        if category == "Cf":                               # bidi marks
            continue
        if category == "Sc":
            out.append(currency_code)
            continue
        if ch in PLAIN:
            out.append(PLAIN[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if base and encodable(base, codec):
            out.append(base)
            continue
        missing.append(ch)
        out.append("?")
    return "".join(out), missing
