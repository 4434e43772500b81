"""The bad-dump corpus (issue 18, item 5): every kind of broken dump we know of,
each loaded over a published store by the real `pos load`.

KINDS is the table: a kind's id, how it breaks the good dump of conftest
(`good_files`), the exit code `pos load` must give and a regex its first line
on stderr must match (`file:line: column: reason`, or `file: reason` for a
whole file). For each refused kind the old store must answer exactly as before:
the same bytes, no build file left beside it, and the same suggestions for a
few baskets. A few kinds (`sub=True`: the 5 MB field, the million-column line
and header, a truncated gzip...) run `python -m pos load` in a subprocess, for
the real exit code, a time limit and a memory ceiling.

ACCEPTED lists what the dump format allows on purpose (a UTF-8 BOM, CRLF, a few
bad rows under the --max-bad-rows threshold): those loads succeed, with their
notes and rejected rows. Implausible values (pos.dump.plausible: times after
the export or too old, huge quantities, an active item at price 0) are in KINDS
like any other.
"""
from __future__ import annotations

import csv
import dataclasses
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from conftest import CATALOG_HEADER, good_files, gtin13, write_dump
from pos.cli import main
from pos.engine import Engine
from pos.errors import EXIT_OK, EXIT_REFUSED
from pos.load import load_dump
from pos.store.publish import building_path

Break = Callable[[Path], None]     # breaks the good dump written in this directory

BASKETS = [["PASTA"], ["PASTA", "SAUCE"], ["PH-64"], ["PH-64", "CASE"], ["WINE", "ITEM9"]]
FIVE_MB = "X" * (5 << 20)
MILLION = "," * 1_000_000
SUBPROCESS_SECONDS = 60          # a refused load is quick; a hang is a bug
SUBPROCESS_MAX_RSS = 400 << 20   # bytes; the interpreter and its imports take ~100 MB, the worst kind 250


# ---- ways to break a dump -------------------------------------------------------

def text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def put(name: str, content: str | bytes) -> Break:
    """Write `name` as these bytes (no gzip applied: a .gz gets exactly them)."""
    def apply(dump: Path) -> None:
        (dump / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return apply


def remove(name: str) -> Break:
    return lambda dump: (dump / name).unlink()


def edit(name: str, change: Callable[[str], str | bytes], encoding: str = "utf-8") -> Break:
    """Rewrite a text file of the dump through `change`, in `encoding`."""
    def apply(dump: Path) -> None:
        new = change(text(dump / name))
        (dump / name).write_bytes(new.encode(encoding) if isinstance(new, str) else new)
    return apply


def lines(name: str, change: Callable[[str], str], *numbers: int, encoding: str = "utf-8") -> Break:
    """Rewrite the lines `numbers` (1 = the header) of a file through `change`."""
    def rewrite(content: str) -> str:
        rows = content.split("\n")
        for n in numbers:
            rows[n - 1] = change(rows[n - 1])
        return "\n".join(rows)
    return edit(name, rewrite, encoding)


def fields(name: str, values: dict[int, str], *numbers: int, encoding: str = "utf-8") -> Break:
    """Set fields (0-based column -> value) of the lines `numbers` of a comma file."""
    def change(line: str) -> str:
        parts = line.split(",")
        for column, value in values.items():
            parts[column] = value
        return ",".join(parts)
    return lines(name, change, *numbers, encoding=encoding)


def gzipped(name: str, cut: Callable[[bytes], bytes] = lambda b: b, repeat: int = 1) -> Break:
    """Replace `name` by `name`.gz: its text (its data lines `repeat` times over,
    each copy with other basket ids), compressed, then `cut`."""
    def apply(dump: Path) -> None:
        header, *rows = text(dump / name).splitlines(keepends=True)
        body = "".join(f"X{copy}-{row}" if repeat > 1 else row
                       for copy in range(repeat) for row in rows)
        (dump / name).unlink()
        (dump / f"{name}.gz").write_bytes(cut(gzip.compress((header + body).encode(), mtime=0)))
    return apply


def flip_middle(data: bytes) -> bytes:
    """Corrupt a stretch of compressed data in the middle of a gzip."""
    mid = len(data) // 2
    return data[:mid] + bytes(b ^ 0xFF for b in data[mid:mid + 64]) + data[mid + 64:]


def mined(manifest: str | None) -> Break:
    """A mined/ folder (docs/dump-format.md, "Precomputed lists") with empty lists and
    this manifest.json (None: none)."""
    def apply(dump: Path) -> None:
        (dump / "mined").mkdir()
        (dump / "mined" / "item_stats.csv").write_text("sku,baskets,weight\n")
        (dump / "mined" / "neighbours.csv").write_text("sku,partner,count,weight,score\n")
        if manifest is not None:
            (dump / "mined" / "manifest.json").write_text(manifest)
    return apply


MINED_MANIFEST = ('{"format_version": 1, "scope": "store", "name": "S1", "baskets": 60, '
                  '"weight": 60.0, "ref_time": "2026-10-31T23:00:00Z", "engine": "native", '
                  '"params": {"top_n": 0, "size_cap": 30, "min_count": 1, "half_life_days": 180.0, '
                  '"shrinkage": 5.0, "list_rank": "added-value", "rank_damping": null}}')


def make_dir(name: str) -> Break:
    """A directory where the file should be: the file cannot be read."""
    def apply(dump: Path) -> None:
        (dump / name).unlink()
        (dump / name).mkdir()
    return apply


def both(*breaks: Break) -> Break:
    def apply(dump: Path) -> None:
        for b in breaks:
            b(dump)
    return apply


def unreadable(name: str) -> Break:
    def apply(dump: Path) -> None:
        if os.geteuid() == 0:
            pytest.skip("root reads a file of mode 000 (the directory kind covers this as root)")
        (dump / name).chmod(0)
    return apply


# baskets.csv of the good dump: 152 lines after the header, so one bad line is
# under the 1% threshold and two are over it. Lines 10 and 17 are PASTA lines
# of baskets B0003 and B0006; catalog.csv line 2 is PASTA, 5 PH-64, 6 PH-128.
B1, B2 = 10, 17


@dataclass(frozen=True)
class Kind:
    id: str
    breaks: Break
    code: int
    first: str                      # regex the first line of stderr must match (re.search)
    args: tuple[str, ...] = ()      # more options for pos load
    sub: bool = False               # run `python -m pos load` in a subprocess


R = EXIT_REFUSED

KINDS = [
    # -- files missing, empty, header only -----------------------------------------
    Kind("catalog-missing", remove("catalog.csv"), R,
         r"catalog\.csv \(or catalog\.csv\.gz\) is missing"),
    Kind("baskets-missing", remove("baskets.csv"), R,
         r"baskets\.csv \(or baskets\.csv\.gz\) is missing"),
    Kind("catalog-empty", put("catalog.csv", ""), R,
         r"catalog\.csv: the file is empty \(not even a header line\)"),
    Kind("baskets-whitespace-only", put("baskets.csv", "  \t \n"), R,
         r"baskets\.csv:1: header: the first line is empty; it must name the columns"),
    Kind("catalog-header-only", put("catalog.csv", CATALOG_HEADER), R,
         r"catalog\.csv: no products \(the file has only a header\)"),
    Kind("baskets-header-only", put("baskets.csv", "basket_id,sku,quantity,timestamp\n"), R,
         r"baskets\.csv: no basket lines \(the file has only a header\)"),
    Kind("catalog-blank-first-line", edit("catalog.csv", lambda t: "\n" + t), R,
         r"catalog\.csv:1: header: the first line is empty; it must name the columns"),
    Kind("catalog-required-column-missing",
         edit("catalog.csv", lambda t: t.replace("sku,name,price,", "sku,name,cost,", 1)), R,
         r"catalog\.csv:1: price: required column missing \(required: sku, name, price; found: "),
    # -- truncated, damaged or unreadable files -------------------------------------
    Kind("catalog-cut-mid-line", edit("catalog.csv", lambda t: t[:-30]), R,
         r"catalog\.csv:13: row: expected 13 fields, found \d+"),
    Kind("baskets-gzip-truncated", gzipped("baskets.csv", lambda b: b[:len(b) * 2 // 3], 300), R,
         r"baskets\.csv\.gz:\d{4,}: row: truncated gzip: the file ends before its compressed "
         r"data does \(after line [\d,]+", sub=True),
    Kind("catalog-gzip-truncated", gzipped("catalog.csv", lambda b: b[:-40]), R,
         r"catalog\.csv\.gz:\d+: row: truncated gzip"),
    Kind("baskets-gzip-corrupt", gzipped("baskets.csv", flip_middle, 300), R,
         r"baskets\.csv\.gz:\d+: row: not a readable gzip file \("),
    Kind("baskets-gzip-bad-crc", gzipped("baskets.csv", lambda b: b[:-8] + b"\0\0\0\0" + b[-4:]), R,
         r"baskets\.csv\.gz:\d+: row: not a readable gzip file \(CRC check failed"),
    Kind("baskets-gz-not-gzip", both(put("baskets.csv.gz", "basket_id,sku,quantity,timestamp\n"),
                                     remove("baskets.csv")), R,
         r"baskets\.csv\.gz:1: row: not a readable gzip file \(Not a gzipped file"),
    Kind("plain-and-gzip", put("catalog.csv.gz", gzip.compress(b"sku,name,price\n", mtime=0)), R,
         r"catalog\.csv and catalog\.csv\.gz are both in .*: remove one"),
    Kind("catalog-is-a-directory", make_dir("catalog.csv"), R,
         r"catalog\.csv: cannot be read \(Is a directory\)", sub=True),
    Kind("customers-is-a-directory", make_dir("customers.csv"), R,
         r"customers\.csv: cannot be read \(Is a directory\)"),
    Kind("manifest-is-a-directory", make_dir("manifest.json"), R,
         r"manifest\.json: cannot be read \(Is a directory\)"),
    Kind("baskets-no-permission", unreadable("baskets.csv"), R,
         r"baskets\.csv: cannot be read \(Permission denied\)"),
    # -- not text, wrong encoding, BOM, line ends ------------------------------------
    Kind("baskets-zero-filled", put("baskets.csv", bytes(4096)), R,
         r"baskets\.csv:1: header: NUL bytes, not text: the file is binary or was zero-filled",
         sub=True),
    Kind("catalog-is-a-png", put("catalog.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), R,
         r"catalog\.csv:1: header: not valid UTF-8 \(byte 0x89\); export the file as UTF-8"),
    Kind("catalog-control-characters", put("catalog.csv", bytes(range(1, 10)) + b"\n" * 3), R,
         r"catalog\.csv:1: header: control character 0x01: not a CSV text file"),
    Kind("catalog-utf16", edit("catalog.csv", lambda t: t.encode("utf-16")), R,
         r"catalog\.csv:1: header: not valid UTF-8 \(byte 0xff\); export the file as UTF-8"),
    Kind("catalog-latin1-row",
         edit("catalog.csv", lambda t: t.encode().replace(b"Parmesan 150 g", "Rødost".encode("latin-1"))),
         R, r"catalog\.csv:3: name: not valid UTF-8 \(byte 0xf8\); export the file as UTF-8"),
    Kind("baskets-cp1252-rows",
         fields("baskets.csv", {0: "B\u2019003"}, B1, B2, encoding="cp1252"), R,
         r"baskets\.csv: 2 of 152 rows are bad .* baskets\.csv:10: basket_id: not valid UTF-8 "
         r"\(byte 0x92\); export the file as UTF-8"),
    Kind("catalog-double-bom", edit("catalog.csv", lambda t: "\ufeff\ufeff" + t), R,
         r"catalog\.csv:1: sku: required column missing"),
    Kind("catalog-cr-line-ends", edit("catalog.csv", lambda t: t.replace("\n", "\r")), R,
         r"catalog\.csv:1: header: the lines end in CR alone \(an old Mac export\)", sub=True),
    Kind("catalog-utf8-surrogate",
         edit("catalog.csv", lambda t: t.encode().replace(b"Pasta 500 g", b"Pasta\xed\xa0\x80")), R,
         r"catalog\.csv:2: name: not valid UTF-8 \(byte 0xed\); export the file as UTF-8"),
    Kind("baskets-utf8-overlong",
         edit("baskets.csv", lambda t: t.encode().replace(b"B0003,PASTA,", b"B0003,PASTA\xc0\xaf,")
              .replace(b"B0006,PASTA,", b"B0006,PASTA\xc0\xaf,")), R,
         r"baskets\.csv:10: sku: not valid UTF-8 \(byte 0xc0\)"),
    Kind("catalog-nul-in-name", lines("catalog.csv", lambda s: s.replace("Pasta 500 g", "Pasta\0"), 2),
         R, r"catalog\.csv:2: name: a NUL byte \(0x00\): the file is damaged or not text"),
    Kind("baskets-nul-in-sku", fields("baskets.csv", {1: "PAS\0TA"}, B1, B2), R,
         r"baskets\.csv:10: sku: unknown sku 'PAS\\x00TA'"),
    Kind("baskets-stray-cr", fields("baskets.csv", {1: "PAS\rTA"}, B1, B2), R,
         r"baskets\.csv:10: sku: unknown sku 'PAS\\rTA'"),
    # -- wrong delimiter, quotes, field counts ---------------------------------------
    Kind("catalog-pipe-delimiter", edit("catalog.csv", lambda t: t.replace(",", "|")), R,
         r"catalog\.csv:1: sku: required column missing \(required: sku, name, price; "
         r"found: sku\|name\|price"),
    Kind("catalog-rows-semicolons",
         edit("catalog.csv", lambda t: t.split("\n", 1)[0] + "\n" + t.split("\n", 1)[1].replace(",", ";")),
         R, r"catalog\.csv: no products \(every row was rejected; the first: catalog\.csv:2: row: "
            r"expected 13 fields, found 1\)"),
    Kind("baskets-rows-tabs",
         edit("baskets.csv", lambda t: t.split("\n", 1)[0] + "\n" + t.split("\n", 1)[1].replace(",", "\t")),
         R, r"baskets\.csv: 152 of 152 rows are bad \(100\.0%, more than the 1\.0% allowed\), so the "
            r"load is refused\. baskets\.csv:2: row: expected 5 fields, found 1"),
    Kind("catalog-unclosed-quote",
         lines("catalog.csv", lambda s: s.replace("Pasta 500 g", '"Pasta 500 g'), 2), R,
         r"catalog\.csv:2: row: a quote is not closed on this line"),
    Kind("baskets-text-after-quote", fields("baskets.csv", {0: '"B0003"x'}, B1, B2), R,
         r"baskets\.csv:10: basket_id: text after the closing quote"),
    Kind("catalog-unnamed-columns", lines("catalog.csv", lambda s: s + ",,", 1), R,
         r"catalog\.csv:1: column 15: has no name, nor has column 14; every column needs a name"),
    Kind("catalog-duplicate-column",
         lines("catalog.csv", lambda s: s.replace("category", "price"), 1), R,
         r"catalog\.csv:1: price: column named twice in the header"),
    # -- duplicate keys --------------------------------------------------------------
    Kind("catalog-duplicate-sku", fields("catalog.csv", {0: "PASTA", 3: ""}, 3), R,
         r"catalog\.csv:3: sku: duplicate sku 'PASTA' \(first on line 2\)"),
    Kind("catalog-duplicate-barcode", fields("catalog.csv", {3: gtin13(1)}, 3), R,
         rf"catalog\.csv:3: gtin: barcode '{gtin13(1)}' already belongs to sku 'PASTA' \(line 2\)"),
    Kind("customers-duplicate-id", fields("customers.csv", {0: "C0", 1: ""}, 3), R,
         r"customers\.csv:3: customer_id: duplicate customer_id 'C0' \(first on line 2\)"),
    Kind("baskets-two-customers", fields("baskets.csv", {4: "C3"}, 3, 4), R,
         r"baskets\.csv:3: customer_id: customer 'C3' differs from this basket's earlier "
         r"customer 'C0'"),
    # -- numbers: negative, NaN, inf, huge, decimals ---------------------------------
    Kind("catalog-negative-price", fields("catalog.csv", {2: "-19.90"}, 2), R,
         r"catalog\.csv:2: price: '-19\.90' is negative"),
    Kind("catalog-nan-price", fields("catalog.csv", {2: "NaN"}, 2), R,
         r"catalog\.csv:2: price: 'NaN' is not a number"),
    Kind("catalog-inf-price", fields("catalog.csv", {2: "inf"}, 2), R,
         r"catalog\.csv:2: price: 'inf' is not a number"),
    Kind("catalog-huge-price", fields("catalog.csv", {2: "9" * 20 + ".00"}, 2), R,
         r"catalog\.csv:2: price: '9{20}\.00' is too large", sub=True),
    Kind("catalog-huge-stock", fields("catalog.csv", {7: "9" * 400}, 2), R,
         r"catalog\.csv:2: stock: '9{40}\.\.\.' is too large"),
    Kind("catalog-huge-tier", fields("catalog.csv", {6: "9" * 30}, 5), R,
         r"catalog\.csv:5: tier: '9{30}' is too large"),
    Kind("bundles-huge-saving", fields("bundles.csv", {4: "9" * 30}, 2), R,
         r"bundles\.csv:2: saving: '9{30}' is too large"),
    Kind("catalog-three-decimals", fields("catalog.csv", {2: "19.999"}, 2), R,
         r"catalog\.csv:2: price: '19\.999' has more than 2 decimals for NOK"),
    Kind("baskets-negative-quantity", fields("baskets.csv", {2: "-1"}, B1, B2), R,
         r"baskets\.csv:10: quantity: '-1' is not more than 0"),
    Kind("baskets-zero-quantity", fields("baskets.csv", {2: "0"}, B1, B2), R,
         r"baskets\.csv:10: quantity: '0' is not more than 0"),
    Kind("baskets-nan-quantity", fields("baskets.csv", {2: "NaN"}, B1, B2), R,
         r"baskets\.csv:10: quantity: 'NaN' is not a number"),
    Kind("baskets-overflowing-quantity", fields("baskets.csv", {2: "1e999"}, B1, B2), R,
         r"baskets\.csv:10: quantity: '1e999' is not a number"),
    # -- other bad fields ------------------------------------------------------------
    Kind("catalog-empty-name", fields("catalog.csv", {1: ""}, 2), R,
         r"catalog\.csv:2: name: empty, but required"),
    Kind("catalog-3000-digit-barcode", fields("catalog.csv", {3: "1" * 3000}, 2), R,
         r"catalog\.csv:2: gtin: '1{30}\.\.\.' has 3,000 digits; a GTIN has 8, 12, 13 or 14"),
    Kind("catalog-wrong-check-digit",
         fields("catalog.csv", {3: gtin13(1)[:-1] + str((int(gtin13(1)[-1]) + 1) % 10)}, 2), R,
         r"catalog\.csv:2: gtin: '\d{13}': check digit wrong"),
    Kind("baskets-bad-timestamp", fields("baskets.csv", {3: "01/10/2026 10:00"}, B1, B2), R,
         r"baskets\.csv:10: timestamp: '01/10/2026 10:00' is not an ISO 8601 time"),
    Kind("baskets-impossible-date", fields("baskets.csv", {3: "2026-02-30T10:00:00Z"}, B1, B2), R,
         r"baskets\.csv:10: timestamp: '2026-02-30T10:00:00Z' is not an ISO 8601 time"),
    Kind("rules-unknown-sku", fields("rules.csv", {3: "NOPE"}, 2), R,
         r"rules\.csv:2: sku: unknown sku 'NOPE'"),
    Kind("bundles-one-member", fields("bundles.csv", {2: "PASTA"}, 2), R,
         r"bundles\.csv:2: skus: a deal needs at least two units"),
    # -- unknown skus beyond the threshold -------------------------------------------
    Kind("baskets-unknown-skus", fields("baskets.csv", {1: "NOPE"}, B1, B2), R,
         r"baskets\.csv: 2 of 152 rows are bad \(1\.3%, more than the 1\.0% allowed\), so the load "
         r"is refused\. baskets\.csv:10: sku: unknown sku 'NOPE' baskets\.csv:17: sku: unknown sku"),
    # -- huge fields and lines -------------------------------------------------------
    Kind("catalog-5mb-field", fields("catalog.csv", {1: FIVE_MB}, 2), R,
         r"catalog\.csv:2: name: 'X{40}\.\.\.' is 5,242,880 characters long, more than 4,096",
         sub=True),
    Kind("baskets-5mb-field", fields("baskets.csv", {0: FIVE_MB}, B1, B2), R,
         r"baskets\.csv:10: basket_id: 'X{60}\.\.\.' is 5,242,880 bytes long, more than 255",
         sub=True),
    Kind("catalog-million-column-line", lines("catalog.csv", lambda s: s + MILLION, 2), R,
         r"catalog\.csv:2: row: expected 13 fields, found 1000013", sub=True),
    Kind("baskets-million-column-line", lines("baskets.csv", lambda s: s + MILLION, B1, B2), R,
         r"baskets\.csv:10: row: expected 5 fields, found 1000005", sub=True),
    Kind("baskets-million-column-header",
         lines("baskets.csv", lambda s: s + "".join(f",c{i}" for i in range(1_000_000)), 1), R,
         r"baskets\.csv:1: header: 1,000,005 columns, more than the 1,024 a dump file may have",
         sub=True),
    Kind("baskets-40mb-line", lines("baskets.csv", lambda s: s + "X" * (40 << 20), B1), R,
         r"baskets\.csv:10: row: a line longer than 16 MB: the file is damaged or not a baskets "
         r"file", sub=True),
    Kind("catalog-5mb-column-name", lines("catalog.csv", lambda s: FIVE_MB + s[3:], 1), R,
         r"catalog\.csv:1: column 1: 'x{40}\.\.\.' is 5,242,880 characters long, more than 4,096; "
         r"not a header line"),
    Kind("catalog-quoted-5mb-field", fields("catalog.csv", {1: f'"{FIVE_MB}"'}, 2), R,
         r"catalog\.csv:2: name: '\"X{39}\.\.\.' is 5,242,882 characters long, more than 4,096"),
    # -- manifest --------------------------------------------------------------------
    Kind("manifest-bad-json", put("manifest.json", '{"currency": "NOK",'), R,
         r"manifest\.json:1: column 20: Expecting property name enclosed in double quotes"),
    Kind("manifest-nul-in-a-string", edit("manifest.json", lambda t: t.replace("Test", "Te\0st")), R,
         r"manifest\.json:1: column 19: Invalid control character \(the published"),
    Kind("manifest-latin1", edit("manifest.json", lambda t: t.replace("Test", "Tést").encode("latin-1")),
         R, r"manifest\.json: not valid UTF-8"),
    Kind("manifest-future-format",
         edit("manifest.json", lambda t: t.replace("{", '{"format_version": 2, ', 1)), R,
         r"manifest\.json: format_version: 2 is not supported \(this pos reads version 1\)"),
    Kind("manifest-unknown-timezone",
         edit("manifest.json", lambda t: t.replace("Europe/Oslo", "Mars/Olympus")), R,
         r"manifest\.json: timezone: 'Mars/Olympus' is not an IANA time zone"),
    # -- mined/: precomputed lists -----------------------------------------------------
    Kind("mined-manifest-missing", mined(None), R,
         r"mined/manifest\.json: missing \(a dump's mined/ folder needs its manifest\)"),
    Kind("mined-bad-params", mined(MINED_MANIFEST), R,
         r"mined/manifest\.json: params: top_n must be an integer in \[1, 2147483647\], not 0"),
    # -- implausible values (rejected rows, counted by the threshold) ------------------
    Kind("baskets-future-time", fields("baskets.csv", {3: "2027-06-01T10:00:00Z"}, B1, B2), R,
         r"baskets\.csv:10: timestamp: '2027-06-01T10:00:00Z' is after 2026-11-01T01:00:00\+01:00, "
         r"the dump's export time \(manifest\.json\) plus 60 min for the tills' clocks"),
    Kind("baskets-ancient-time", fields("baskets.csv", {3: "1901-01-01T10:00:00Z"}, B1, B2), R,
         r"baskets\.csv:10: timestamp: '1901-01-01T10:00:00Z' is before 2000-01-01T00:00:00\+01:00, "
         r"the earliest time allowed \(--earliest 2000-01-01\)"),
    Kind("baskets-huge-quantity", fields("baskets.csv", {2: "1000000000000"}, B1, B2), R,
         r"baskets\.csv:10: quantity: '1000000000000' is more than 100,000, the most units a line "
         r"may have"),
    Kind("manifest-export-time-year-1",     # was exit 1, the miner's "count overflow"
         edit("manifest.json", lambda t: t.replace("2026-10-31T23:00:00Z", "0001-01-01T00:00:00Z")), R,
         r"manifest\.json: export_time: 0001-01-01T00:\d\d:\d\d\+00:\d\d is before the earliest "
         r"time allowed \(--earliest 2000-01-01\)"),
    Kind("manifest-export-time-9999",       # was exit 0, every recency weight near 0
         edit("manifest.json", lambda t: t.replace("2026-10-31T23:00:00Z", "9999-01-01T00:00:00Z")), R,
         r"manifest\.json: export_time: 9999-01-01T01:00:00\+01:00 is later than this load \(.*\): "
         r"a dump cannot be exported in the future"),
    Kind("catalog-zero-price-active", fields("catalog.csv", {2: "0.00"}, 2), R,
         r"catalog\.csv:2: price: 0 for an active product \(a free item cannot be sold or suggested"),
    Kind("catalog-price-over-the-ceiling", fields("catalog.csv", {2: "1000000000.00"}, 2), R,
         r"catalog\.csv:2: price: '1000000000\.00' is more than 100,000,000\.00 NOK, the highest "
         r"price allowed \(--max-price\)"),
]

#: what the format allows on purpose: (id, break, extra options, regex of the
#: first line on stderr or None for no output, the reject file's (file, line,
#: column) rows)
ACCEPTED = [
    ("utf8-bom", both(edit("catalog.csv", lambda t: "\ufeff" + t),
                      edit("baskets.csv", lambda t: "\ufeff" + t)), (), None, []),
    ("crlf-line-ends", both(edit("catalog.csv", lambda t: t.replace("\n", "\r\n")),
                            edit("baskets.csv", lambda t: t.replace("\n", "\r\n"))), (), None, []),
    ("unknown-column", lines("catalog.csv", lambda s: s.replace(",pitch,", ",colour,"), 1), (),
     r"^note: catalog\.csv: ignored columns: colour$", []),
    ("one-unknown-sku-under-the-threshold", fields("baskets.csv", {1: "NOPE"}, B1), (),
     r"^baskets\.csv:10: sku: unknown sku 'NOPE'$", [("baskets.csv", "10", "sku")]),
    ("baskets-cut-mid-line", edit("baskets.csv", lambda t: t[:-20]), (),
     r"^baskets\.csv:153: row: expected 5 fields, found 4$", [("baskets.csv", "153", "")]),
    ("one-5mb-basket-id-under-the-threshold", fields("baskets.csv", {0: FIVE_MB}, B1), (),
     r"^baskets\.csv:10: basket_id: 'X{60}\.\.\.' is 5,242,880 bytes long, more than 255$",
     [("baskets.csv", "10", "basket_id")]),
    ("baskets-5mb-field-in-an-ignored-column",
     both(lines("baskets.csv", lambda s: s + ",store_id", 1),
          lines("baskets.csv", lambda s: s + ",OSL-1", *range(2, 154)),
          lines("baskets.csv", lambda s: s.replace(",OSL-1", "," + FIVE_MB), B1)), (), None, []),
    ("bad-catalog-row-with-max-bad-rows", fields("catalog.csv", {2: "-149.00"}, 8),
     ("--max-bad-rows", "10%"), r"^catalog\.csv:8: price: '-149\.00' is negative$",
     [("catalog.csv", "8", "price")]),
]


# ---- the store, and how it answers -------------------------------------------------

def answers(db: Path) -> list[list[dict]]:
    """The suggestions for BASKETS, every field of each."""
    engine = Engine.open(db)
    try:
        return [[dataclasses.asdict(s) for s in engine.suggest(basket, k=5)] for basket in BASKETS]
    finally:
        engine.close()


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Store:
    db: Path
    digest: str
    answers: list[list[dict]]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Store:
    """A store published from the good dump, once per module (copied by each case)."""
    base = tmp_path_factory.mktemp("corpus")
    db = base / "store.db"
    load_dump(write_dump(base / "good", good_files()), db)
    probe = base / "probe.db"                  # the engine never opens the template itself
    shutil.copyfile(db, probe)
    return Store(db, digest(db), answers(probe))


def broken_dump(directory: Path, breaks: Break) -> Path:
    dump = write_dump(directory, good_files())
    breaks(dump)
    return dump


def run_subprocess(argv: list[str], tmp_path: Path) -> tuple[int, str, int]:
    """`python -m pos ARGV`: (exit code, stderr, peak memory in bytes), with a time limit."""
    err_path = tmp_path / "stderr.txt"
    with err_path.open("wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "pos", *argv], stdout=subprocess.DEVNULL,
                                stderr=err)
    deadline = time.monotonic() + SUBPROCESS_SECONDS
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            pytest.fail(f"pos {' '.join(argv[:1])} still running after {SUBPROCESS_SECONDS} s")
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err_path.read_text(encoding="utf-8", errors="replace"), usage.ru_maxrss * 1024


def load(kind_args: tuple[str, ...], dump: Path, db: Path, sub: bool, tmp_path: Path,
         capsys) -> tuple[int, list[str]]:
    """Runs `pos load DUMP --db DB --quiet`: (exit code, non-empty stderr lines)."""
    argv = ["load", str(dump), "--db", str(db), "--quiet", *kind_args]
    if sub:
        code, err, peak = run_subprocess(argv, tmp_path)
        assert peak < SUBPROCESS_MAX_RSS, f"pos load took {peak / 1e6:,.0f} MB"
    else:
        code = main(argv)
        err = capsys.readouterr().err
    return code, [line for line in err.splitlines() if line.strip()]


def kind_params():
    for kind in KINDS:
        yield pytest.param(kind, id=kind.id)


# ---- the corpus ----------------------------------------------------------------------

def test_the_corpus_has_at_least_30_refused_kinds():
    refused = [k for k in KINDS if k.code != EXIT_OK]
    assert len(refused) >= 30
    assert len({k.id for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("kind", kind_params())
def test_a_broken_dump_is_refused_with_its_message_and_the_store_answers_as_before(
        kind, store, tmp_path, capsys):
    db = tmp_path / "store.db"
    shutil.copyfile(store.db, db)
    dump = broken_dump(tmp_path / "dump", kind.breaks)
    started = time.monotonic()

    code, err = load(kind.args, dump, db, kind.sub, tmp_path, capsys)

    assert code == kind.code, err
    assert err and "Traceback" not in "\n".join(err), err
    first = err[0]
    assert first.startswith("pos load: ") and first.endswith("(the published store is unchanged)")
    assert re.search(kind.first, first), f"{kind.first!r} not in {first[:2000]!r}"
    assert len(first) < 2000, "a message a manager can read"
    assert time.monotonic() - started < SUBPROCESS_SECONDS
    # the old store answers exactly as before
    assert digest(db) == store.digest
    assert not building_path(db).exists()
    assert answers(db) == store.answers


@pytest.mark.parametrize("case", ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_the_format_allows_loads_with_its_notes_and_rejects(case, store, tmp_path, capsys):
    _, breaks, args, first, rejects = case
    db = tmp_path / "store.db"
    shutil.copyfile(store.db, db)
    dump = broken_dump(tmp_path / "dump", breaks)

    code, err = load(args, dump, db, False, tmp_path, capsys)

    assert code == EXIT_OK, err
    if first is None:
        assert err == []
    else:
        assert err and re.search(first, err[0]), err[:3]
    reject_file = db.with_name("store.db.rejects.csv")
    if rejects:
        limit = csv.field_size_limit(16 << 20)     # the 5 MB row is copied there whole
        try:
            with reject_file.open(newline="", encoding="utf-8") as handle:
                rows = [(r["file"], r["line"], r["column"]) for r in csv.DictReader(handle)]
        finally:
            csv.field_size_limit(limit)
        assert rows == rejects
    else:
        assert not reject_file.exists()
    assert answers(db)[1], "the new store suggests"
