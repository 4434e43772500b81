"""`pos scanner check` as store IT runs it: a subprocess reading a real pty that
this test writes to with plain os.write (not our emulator), against a real store."""
import json
import os
import queue
import subprocess
import sys
import threading

from conftest import gtin13
from pos.errors import EXIT_CONFIG

AIM_PROFILE = "honeywell-1900-usb-cdc-aim"     # 115200 8N1, CR, AIM identifiers on


def run_check(link, *extra):
    proc = subprocess.Popen([sys.executable, "-m", "pos", "scanner", "check", "--scanner", link,
                             "--json", "--timeout", "20", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(json.loads(ln)) for ln in proc.stdout],
                     daemon=True).start()
    return proc, lines


def test_check_prints_each_kind_of_read_with_its_catalog_match(pty_link, published):
    master, link = pty_link
    reads = [
        b"]E0" + gtin13(1).encode(),                                  # PASTA, EAN-13
        b"]C101" + ("0" + gtin13(2)).encode() + b"3103000150" + b"17200101",   # PARM, 150 g, expired
        b"]E0" + gtin13(3)[:-1].encode() + b"0",                      # a wrong check digit
        b"]E0" + gtin13(900).encode(),                                # customer C0's card
        b"]E0" + b"5901234123457",                                    # valid, not in the catalog
        b"]E0\x00\x01garbage",                                        # not a read at all
    ]
    proc, lines = run_check(link, "--profile", AIM_PROFILE, "--db", str(published),
                            "--count", str(len(reads)))
    try:
        assert lines.get(timeout=20)["event"] == "connected"
        os.write(master, b"\r".join(reads) + b"\r")
        out = [lines.get(timeout=20) for _ in reads]
    finally:
        proc.wait(timeout=20)
    pasta, parm, bad, card, unknown, garbage = out
    assert pasta["raw"] == "]E0" + gtin13(1) + "\\r" and pasta["symbology"] == "EAN-13"
    assert pasta["match"]["sku"] == "PASTA" and pasta["match"]["price_minor"] == 1990
    assert (parm["kind"], parm["weight_g"], parm["expired"]) == ("gs1", 150, True)
    assert parm["match"]["sku"] == "PARM"
    assert bad["kind"] == "refused" and bad["reason"] == "check digit wrong — scan again"
    assert (card["kind"], card["customer"]) == ("customer-card", "C0")
    assert unknown["match"] is None
    assert garbage["event"] == "refused" and "0x00" in garbage["reason"]
    assert proc.returncode == 0


def test_check_reports_a_scanner_that_is_not_there(tmp_path):
    proc, lines = run_check(str(tmp_path / "nothing"), "--timeout", "1")
    first = lines.get(timeout=20)
    proc.wait(timeout=20)
    assert first["event"] == "disconnected" and "cannot open" in first["reason"]
    assert proc.returncode == 0


def test_check_refuses_an_unknown_profile(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pos", "scanner", "check", "--scanner",
                           "loop://", "--profile", "no-such-scanner"], capture_output=True, text=True)
    assert proc.returncode == EXIT_CONFIG and "no profile named 'no-such-scanner'" in proc.stderr


EVERY_KIND = [   # (AIM id, data as the scanner sends it, symbology, kind, key, weight_g, price_minor)
    ("]E0", "5901234123457", "EAN-13", "gtin", "05901234123457", None, None),
    ("]E0", "036000291452", "UPC-A", "gtin", "00036000291452", None, None),
    ("]E0", "04252614", "UPC-E", "gtin", "00042100005264", None, None),
    ("]E4", "96385074", "EAN-8", "gtin", "00000096385074", None, None),
    ("]I1", "10012345000017", "ITF-14", "gtin", "10012345000017", None, None),
    ("]E0", "9780306406157", "EAN-13", "isbn", "09780306406157", None, None),
    ("]E0", "2300420012347", "EAN-13", "variable-measure", "02300420000009", 1234, None),
    ("]E0", "2000420024905", "EAN-13", "variable-measure", "02000420000008", None, 2490),
    ("]C1", "0107071234000015\x1d3922" + "04990", "GS1-128", "gs1", "07071234000015", None, 4990),
    ("]e0", "01070712340000153103001250", "GS1 DataBar", "gs1", "07071234000015", 1250, None),
    ("]d2", "0107071234000015392204990", "GS1 DataMatrix", "gs1", "07071234000015", None, 4990),
]


def test_check_decodes_a_table_of_real_codes_of_every_kind(pty_link):
    master, link = pty_link
    proc, lines = run_check(link, "--profile", AIM_PROFILE, "--count", str(len(EVERY_KIND)))
    try:
        assert lines.get(timeout=20)["event"] == "connected"
        os.write(master, b"".join((aim + data).encode() + b"\r" for aim, data, *_ in EVERY_KIND))
        out = [lines.get(timeout=20) for _ in EVERY_KIND]
    finally:
        proc.wait(timeout=20)
    got = [(o["aim"], o["symbology"], o["kind"], o["key"], o["weight_g"], o["price_minor"])
           for o in out]
    assert got == [(aim, *rest) for aim, _, *rest in EVERY_KIND]
