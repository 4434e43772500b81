"""Bad dumps: each gets a clear `file:line: column: reason` and the published store stays."""
from __future__ import annotations

import csv
import gzip
import re

import pytest

from conftest import (
    BASKETS_HEADER,
    CATALOG_HEADER,
    basket_rows,
    catalog_rows,
    good_files,
    gtin13,
    snapshot,
    write_dump,
)
from pos.cli import main
from pos.errors import EXIT_REFUSED


def with_catalog_row(line: str, position: int = 2) -> dict[str, str | bytes]:
    rows = catalog_rows()
    rows.insert(position, line)
    return {"catalog.csv": CATALOG_HEADER + "".join(rows)}


def with_basket_rows(*lines: str) -> dict[str, str | bytes]:
    rows = basket_rows()
    return {"baskets.csv": BASKETS_HEADER + "".join(rows[:5]) + "".join(lines) + "".join(rows[5:])}


WRONG_CHECK_DIGIT = f"{gtin13(50)[:-1]}{(int(gtin13(50)[-1]) + 1) % 10}"   # gtin13(50), its last digit off

BAD = {
    "empty catalog": ({"catalog.csv": ""}, "catalog.csv: the file is empty"),
    "catalog header only": ({"catalog.csv": CATALOG_HEADER},
                            "catalog.csv: no products (the file has only a header)"),
    "baskets header only": ({"baskets.csv": BASKETS_HEADER}, "baskets.csv: no basket lines"),
    "missing required column": (
        {"catalog.csv": CATALOG_HEADER.replace("price,", "") +
         "".join(r.replace(r.split(",")[2] + ",", "", 1) for r in catalog_rows())},
        "catalog.csv:1: price: required column missing"),
    "missing basket column": (
        {"baskets.csv": "basket_id,sku,quantity\nB1,PASTA,1\n"},
        "baskets.csv:1: timestamp: required column missing"),
    "wrong check digit": (
        with_catalog_row(f"BAD,Bad code,1.00,{WRONG_CHECK_DIGIT},Misc,,,,1,0,,,\n"),
        f"catalog.csv:4: gtin: '{WRONG_CHECK_DIGIT}': check digit wrong"),
    "duplicate sku": (with_catalog_row("PASTA,Pasta again,19.90,,Misc,,,,1,0,,,\n"),
                      "catalog.csv:4: sku: duplicate sku 'PASTA' (first on line 2)"),
    "duplicate barcode": (with_catalog_row(f"NEW,New thing,9.90,{gtin13(1)},Misc,,,,1,0,,,\n"),
                          f"catalog.csv:4: gtin: barcode '{gtin13(1)}' already belongs to sku 'PASTA' "
                          "(line 2)"),
    "negative price": (with_catalog_row("NEG,Negative,-5.00,,Misc,,,,1,0,,,\n"),
                       "catalog.csv:4: price: '-5.00' is negative"),
    "NaN price": (with_catalog_row("NAN,Not a number,NaN,,Misc,,,,1,0,,,\n"),
                  "catalog.csv:4: price: 'NaN' is not a number"),
    "non-UTF-8 catalog bytes": (
        {"catalog.csv": CATALOG_HEADER.encode() + "".join(catalog_rows()[:3]).encode()
         + "LATIN,Rødvin,1.00,,Misc,,,,1,0,,,\n".encode("latin-1")
         + "".join(catalog_rows()[3:]).encode()},
        "catalog.csv:5: name: not valid UTF-8 (byte 0xf8)"),
    "basket line with an unknown sku": (with_basket_rows("B9999,NOPE,1,2026-10-01T10:00:00Z,\n",
                                                         "B9998,NOPE,1,2026-10-01T10:00:00Z,\n"),
                                        "baskets.csv:7: sku: unknown sku 'NOPE'"),
    "unparseable timestamp": (with_basket_rows("B9999,PASTA,1,01/10/2026 10:00,\n",
                                               "B9998,PASTA,1,2026-10-01 25:00,\n"),
                              "baskets.csv:7: timestamp: '01/10/2026 10:00' is not an ISO 8601 time"),
    "non-UTF-8 basket bytes": (
        {"baskets.csv": (BASKETS_HEADER + "".join(basket_rows()[:5])).encode()
         + b"B9999,PASTA\xe9,1,2026-10-01T10:00:00Z,\n" * 2 + "".join(basket_rows()[5:]).encode()},
        "baskets.csv:7: sku: not valid UTF-8"),
    "truncated gzip": (
        {"baskets.csv.gz": b"", "catalog.csv": CATALOG_HEADER + "".join(catalog_rows())},
        "baskets.csv.gz:"),   # the line and "truncated gzip" are checked below
    "both plain and gzip": ({"catalog.csv.gz": CATALOG_HEADER + "".join(catalog_rows())},
                            "catalog.csv and catalog.csv.gz are both in"),
}


def truncated_baskets() -> bytes:
    """A gzip of many deflate blocks, cut at two thirds: the lines before the cut decode."""
    text = BASKETS_HEADER + "".join(f"X{copy}-{row}" for copy in range(300) for row in basket_rows())
    packed = gzip.compress(text.encode(), mtime=0)
    return packed[: len(packed) * 2 // 3]


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_dump_is_refused_and_store_unchanged(tmp_path, published, case, capsys):
    files, message = BAD[case]
    files = dict(files)
    if case == "truncated gzip":
        files["baskets.csv.gz"] = truncated_baskets()
    dump_files = good_files()
    if "baskets.csv.gz" in files:
        del dump_files["baskets.csv"]
    dump_files.update(files)
    dump = tmp_path / "bad"
    write_dump(dump, {k: v for k, v in dump_files.items() if not k.endswith(".gz")})
    for name, content in dump_files.items():
        if name.endswith(".gz"):   # already compressed bytes, or text to compress
            data = content if isinstance(content, bytes) else gzip.compress(content.encode(), mtime=0)
            (dump / name).write_bytes(data)
    before = snapshot(published)

    code = main(["load", str(dump), "--db", str(published), "--quiet"])

    err = capsys.readouterr().err
    assert code == EXIT_REFUSED, err
    assert message in err
    if case == "truncated gzip":   # names the line where the data stops
        found = re.search(r"baskets\.csv\.gz:(\d+): row: truncated gzip: .*after line ([\d,]+)", err)
        assert found and int(found.group(1)) > 1000
    assert "the published store is unchanged" in err
    assert snapshot(published) == before


def test_rows_under_the_threshold_are_rejected_and_the_rest_loads(tmp_path, published, capsys):
    files = good_files()
    files.update(with_catalog_row("NEG,Negative,-5.00,,Misc,,,,1,0,,,\n"))
    files.update(with_basket_rows("B9999,NOPE,1,2026-10-01T10:00:00Z,\n",
                                  "B9998,PASTA,-2,2026-10-01T10:00:00Z,\n"))
    dump = write_dump(tmp_path / "dump2", files)

    code = main(["load", str(dump), "--db", str(published), "--quiet", "--max-bad-rows", "20%"])

    err = capsys.readouterr().err
    assert code == 0, err
    assert "catalog.csv:4: price: '-5.00' is negative" in err
    assert "baskets.csv:7: sku: unknown sku 'NOPE'" in err
    assert "baskets.csv:8: quantity:" in err
    with open(published.with_name("store.db.rejects.csv"), newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert [(r["file"], r["line"], r["column"]) for r in rejects] == [
        ("catalog.csv", "4", "price"), ("baskets.csv", "7", "sku"), ("baskets.csv", "8", "quantity")]
    assert rejects[0]["row"] == "NEG,Negative,-5.00,,Misc,,,,1,0,,,"


def test_basket_of_a_rejected_product_names_the_catalog_line(tmp_path, published, capsys):
    files = good_files()
    rows = catalog_rows()
    rows[2] = rows[2].replace("29.90", "29.9.9")   # SAUCE, catalog line 4, becomes bad
    files["catalog.csv"] = CATALOG_HEADER + "".join(rows)
    dump = write_dump(tmp_path / "dump3", files)

    code = main(["load", str(dump), "--db", str(published), "--quiet", "--max-bad-rows", "100%"])

    err = capsys.readouterr().err
    assert code == 0, err
    assert "baskets.csv:3: sku: sku 'SAUCE' was rejected in the catalog (line 4)" in err


def test_bad_rows_over_the_threshold_are_refused(tmp_path, published, capsys):
    files = good_files()
    rows = basket_rows()
    rows[10:14] = [r.replace("2026-10-", "2026-1O-") for r in rows[10:14]]
    files["baskets.csv"] = BASKETS_HEADER + "".join(rows)
    dump = write_dump(tmp_path / "dump4", files)
    before = snapshot(published)

    code = main(["load", str(dump), "--db", str(published), "--quiet"])

    err = capsys.readouterr().err
    assert code == EXIT_REFUSED
    assert "baskets.csv: 4 of" in err and "rows are bad" in err and "more than the 1.0% allowed" in err
    assert "baskets.csv:12: timestamp:" in err
    assert snapshot(published) == before
    # the same dump passes when the manager allows more bad rows
    assert main(["load", str(dump), "--db", str(published), "--quiet", "--max-bad-rows", "5%"]) == 0
