"""What a scanner puts on the wire for one read, and how long the wire takes.

A read is `prefix + AIM identifier (when the profile has AIM on) + data + suffix
+ terminator`. The AIM identifier is given by name or as `]Xm`, or guessed from
the data the way a reader would see it (13/12 digits EAN/UPC, 8 digits EAN-8, a
GS1 element string GS1-128, anything else "other"). Also here: the digits a
scanner sends for a catalog barcode stored as GTIN-14, and the line timing
(bits per character from data bits, parity and stop bits).
"""
from __future__ import annotations

import re

from pos.scanner.events import escape_bytes
from pos.scanner.profiles import DeviceProfile

SYMBOLOGY_IDS = {
    "ean13": "]E0", "upca": "]E0", "upce": "]E0", "ean": "]E0",
    "ean-addon": "]E3", "ean8": "]E4",
    "gs1-128": "]C1", "code128": "]C0",
    "gs1-databar": "]e0", "databar": "]e0",
    "datamatrix": "]d1", "gs1-datamatrix": "]d2",
    "qr": "]Q1", "gs1-qr": "]Q3",
    "code39": "]A0", "itf": "]I0", "interleaved-2of5": "]I0",
    "other": "]X0",
}

_AIM_ID = re.compile(r"\][A-Za-z][0-9A-Za-z]")
# A GS1 element string as scanned from GS1-128/DataBar: AI (01) or (02) and a
# GTIN-14 first, more element strings after it, or any digits-first data with a
# GS separator in it.
_GS1_GTIN_FIRST = re.compile(r"0[12]\d{14}[\x1d!-z]*")
_GS1_WITH_SEPARATOR = re.compile(r"\d{2,4}[\x1d!-z]*\x1d[\x1d!-z]*")


def guess_aim_identifier(code: str) -> str:
    """The AIM identifier a scanner would send for this data (a guess from its shape)."""
    if code.isascii() and code.isdigit():
        if len(code) in (12, 13):
            return "]E0"
        if len(code) == 8:
            return "]E4"
    if _GS1_GTIN_FIRST.fullmatch(code) or _GS1_WITH_SEPARATOR.fullmatch(code):
        return "]C1"
    return "]X0"


def aim_identifier(code: str, symbology: str | None = None) -> str:
    """`symbology` as an AIM identifier: `]E0`-style as is, a name from
    SYMBOLOGY_IDS, or None to guess from the code."""
    if symbology is None:
        return guess_aim_identifier(code)
    if _AIM_ID.fullmatch(symbology):
        return symbology
    try:
        return SYMBOLOGY_IDS[symbology.lower()]
    except KeyError:
        raise ValueError(f"unknown symbology {symbology!r}: give an AIM identifier like ']E0' "
                         f"or one of {', '.join(sorted(SYMBOLOGY_IDS))}") from None


def frame_bytes(profile: DeviceProfile, code: str, symbology: str | None = None,
                terminate: bool = True) -> bytes:
    """The bytes of one read of `code` as `profile`'s scanner sends them (UTF-8 text)."""
    aim = aim_identifier(code, symbology) if profile.aim else ""
    text = profile.prefix + aim + code + profile.suffix
    return text.encode("utf-8") + (profile.terminator_bytes if terminate else b"")


def bits_per_character(profile: DeviceProfile) -> float:
    """Start bit + data bits + parity bit (if any) + stop bits: 10 for 8N1."""
    return 1 + profile.bytesize + (0 if profile.parity == "none" else 1) + profile.stopbits


def seconds_per_byte(profile: DeviceProfile, baud: int) -> float:
    """How long one character takes on the wire at `baud`; 0 when baud is 0 (no pacing)."""
    return bits_per_character(profile) / baud if baud > 0 else 0.0


def transmitted_form(gtin14: str) -> str:
    """The digits a scanner sends for a barcode stored as GTIN-14: EAN-8 (8 digits)
    when it starts with six zeros, UPC-A (12) with two, EAN-13 (13) with one,
    else the GTIN-14 itself."""
    if len(gtin14) != 14 or not gtin14.isdigit():
        raise ValueError(f"not a 14-digit GTIN: {gtin14!r}")
    if gtin14.startswith("000000"):
        return gtin14[6:]
    if gtin14.startswith("00"):
        return gtin14[2:]
    if gtin14.startswith("0"):
        return gtin14[1:]
    return gtin14


def profile_summary(profile: DeviceProfile) -> str:
    """E.g. 'generic-cr 9600 8N1 terminator=CR aim=off'."""
    parity = {"none": "N", "even": "E", "odd": "O", "mark": "M", "space": "S"}[profile.parity]
    stop = f"{profile.stopbits:g}"
    parts = [profile.name, str(profile.baudrate), f"{profile.bytesize}{parity}{stop}",
             f"terminator={profile.terminator}", f"aim={'on' if profile.aim else 'off'}"]
    if profile.prefix:
        parts.append("prefix=" + escape_bytes(profile.prefix.encode("utf-8")))
    if profile.suffix:
        parts.append("suffix=" + escape_bytes(profile.suffix.encode("utf-8")))
    return " ".join(parts)
