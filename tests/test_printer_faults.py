"""The receipt printer's hardware side (issue 20): its status answers to DLE EOT n
read bit by bit and bad bytes refused; PrinterPort over the real printer emulator on
a pty and on a TCP port: the status in each state, a receipt held while the cover
is open or the paper is out and printed when the fault is cleared, unplugged within
the timeout and found again when plugged back in, a printer that never answers its
status; a Hungarian receipt on PC852; the emulator's command line as a subprocess."""
from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from pos.currency import Currency
from pos.i18n import _, set_language
from pos.receipt import StoreFacts, load_printer_profile, receipt_bytes, receipt_from_sale
from pos.receipt.connection import PrinterPort, PrinterUnavailable, send_receipt
from pos.receipt.status import PrinterStatus, StatusByteError, status_request
from pos.till.sale import Sale
from pos_hardware.escpos_paper import EscposParseError, Paper
from pos_hardware.printer_emulator import PrinterEmulator

PAID_AT = 1795000000.0                     # 2026-11-18 11:06 UTC
TIMEOUT = 0.5
SLACK = 0.5                                # a busy 2-core machine's scheduling, on top of the timeout
READY = 0x12                               # an answer with only its fixed bits


def sale_receipt(lang="nb"):
    """A paid Norwegian (or Hungarian) sale's receipt, and its sale."""
    if lang == "hu":
        currency, store = Currency("HUF", 0), StoreFacts("Zöldséges Győr", Currency("HUF", 0), "hu_HU", "hu",
                                                         "Europe/Budapest")
        items = [("Őszibarack befőtt 720 g", 1290, 2), ("Tejföl 20% tűzálló", 459, 1)]
    else:
        currency, store = Currency("NOK", 2), StoreFacts("Nordlys Market", Currency("NOK", 2), "nb_NO", "nb",
                                                         "Europe/Oslo")
        items = [("Melk 1 l", 2190, 2), ("Brød", 3990, 1)]
    sale = Sale(f"t1-{uuid.uuid4().hex}", currency=currency)
    for line, (name, price, qty) in enumerate(items, 1):
        sale.apply({"type": "add", "line": line, "sku": f"S{line}", "item": line, "name": name,
                    "unit": "each", "unit_price": price, "qty": qty})
    sale.apply({"type": "paid", "total": sale.total})
    return receipt_from_sale(sale, store, "t1", PAID_AT), sale


def paper_of(data: bytes, profile) -> Paper:
    paper = Paper(profile.escpos_profile)
    paper.feed(data)
    return paper


# the status bytes


def status_of(printer=READY, cause=READY, paper=READY) -> PrinterStatus:
    return PrinterStatus.from_bytes(printer, cause, paper)


def test_a_ready_printer():
    s = status_of()
    assert s == PrinterStatus(online=True) and s.ready and s.problem is None


@pytest.mark.parametrize("which, bit, expected", [
    ("printer", 3, {"online": False}),
    ("printer", 2, {}), ("printer", 5, {}), ("printer", 6, {}),      # drawer pin, recovery wait, button
    ("cause", 2, {"cover_open": True}),
    ("cause", 3, {}),                                                 # paper fed by the button: no fault
    ("cause", 5, {"paper_out": True}),                                # printing stopped at the paper end
    ("cause", 6, {"error": True}),
    ("paper", 2, {"paper_near_end": True}), ("paper", 3, {"paper_near_end": True}),
    ("paper", 5, {"paper_out": True}), ("paper", 6, {"paper_out": True}),
])
def test_every_status_bit(which, bit, expected):
    s = status_of(**{which: READY | 1 << bit})
    assert s == PrinterStatus(**{"online": True, **expected})
    problems = {"online": "printer offline", "cover_open": "printer cover open",
                "paper_out": "printer out of paper", "error": "printer error"}
    [(field, _value)] = expected.items() if expected else [(None, None)]
    assert s.problem == problems.get(field)
    assert s.ready == (field in (None, "paper_near_end"))         # near its end is a hint, not a fault


def test_a_printer_with_its_cover_open_and_no_paper_says_paper_first():
    s = status_of(printer=0x1A, cause=0x16 | 0x20, paper=0x7E)
    assert (s.online, s.cover_open, s.paper_out, s.paper_near_end) == (False, True, True, True)
    assert s.problem == "printer out of paper" and not s.ready
    assert status_of(printer=0x1A, cause=0x16).problem == "printer cover open"
    assert status_of(printer=0x1A, cause=0x52).problem == "printer error"


@pytest.mark.parametrize("byte", [0x00, 0xFF, 0x13, 0x92, 0x10, 0x02, 0x1E | 0x80, 0x7F, 0x01])
@pytest.mark.parametrize("which", ["printer", "cause", "paper"])
def test_a_byte_with_its_fixed_bits_wrong_is_not_a_status(byte, which):
    with pytest.raises(StatusByteError, match=f"{byte:#04x} is not an answer to DLE EOT"):
        status_of(**{which: byte})


def test_the_emulators_answers_read_back_as_its_state():
    for bits in range(16):
        cover, paper_out, near, error = (bool(bits & 1 << i) for i in range(4))
        state = PrinterStatus(online=not (cover or paper_out or error), cover_open=cover, paper_out=paper_out,
                              paper_near_end=near or paper_out, error=error)
        assert PrinterStatus.from_bytes(*state.to_bytes()) == state
    assert status_request(1) == b"\x10\x04\x01" and status_request(4) == b"\x10\x04\x04"
    with pytest.raises(ValueError):
        status_request(5)


def test_the_problems_are_translated():
    try:
        set_language("hu")
        assert _(status_of(paper=0x72).problem) == "a nyomtatóból kifogyott a papír"
    finally:
        set_language("en")


# PrinterPort on the real emulator, on a pty and on a TCP port


@pytest.fixture(params=["pty", "tcp"])
def emulator(request, tmp_path):
    where = {"link": tmp_path / "printer"} if request.param == "pty" else {"tcp": ("127.0.0.1", 0)}
    with PrinterEmulator("epson-tm-t88v-80mm", out_dir=tmp_path / "paper", **where) as printer:
        yield printer


@pytest.fixture
def port(emulator):
    with PrinterPort(emulator.url, timeout=TIMEOUT) as p:
        yield p


def test_url(emulator, tmp_path):
    if emulator.device is None:
        assert emulator.url.startswith("socket://127.0.0.1:") and not emulator.url.endswith(":0")
    else:
        assert emulator.url == str(tmp_path / "printer") and emulator.device.startswith("/dev/pts/")


def test_status_in_each_state(emulator, port):
    assert port.status() == PrinterStatus() and emulator.queries == [1, 2, 4]
    emulator.paper_near_end()
    s = port.status()
    assert s.paper_near_end and s.ready and s.problem is None
    emulator.cover_open()
    s = port.status()
    assert (s.online, s.cover_open, s.paper_out) == (False, True, False) and s.problem == "printer cover open"
    emulator.paper_out()
    s = port.status()
    assert s.cover_open and s.paper_out and s.problem == "printer out of paper"
    emulator.close_cover()
    s = port.status()
    assert not s.cover_open and s.paper_out and not s.online
    emulator.paper_in()
    assert port.status() == PrinterStatus() and len(emulator.queries) == 18
    assert emulator.paper.lines == [] and emulator.error is None      # the requests print nothing


def test_a_receipt_is_printed_and_written_out(emulator, port):
    receipt, sale = sale_receipt()
    data = receipt_bytes(receipt, emulator.profile)
    assert port.status().ready
    port.send(data)
    assert emulator.wait_cuts(1, timeout=5) and emulator.error is None
    expected = paper_of(data, emulator.profile)
    assert emulator.paper.lines == expected.lines and emulator.paper.barcodes == expected.barcodes
    [text] = emulator.receipts
    assert text == expected.receipt_text(0)
    rows = text.splitlines()
    assert rows[0] == "Nordlys Market" and sale.sale_id in rows
    total = receipt.currency.format(sale.total, "nb_NO")
    assert any(r.startswith("Totalt") and r.endswith(total) for r in rows)
    [barcode] = [r for r in rows if r.startswith("[barcode CODE128: ")]
    assert sale.sale_id.endswith(f"{int(barcode[18:-1]):032x}")        # the uuid's 40 digits
    assert (emulator.out_dir / "receipt-0001.txt").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("fault, clear", [("cover_open", "close_cover"), ("paper_out", "paper_in")])
def test_a_receipt_sent_during_a_fault_is_held_then_printed(emulator, port, fault, clear):
    receipt, _sale = sale_receipt()
    data = receipt_bytes(receipt, emulator.profile)
    getattr(emulator, fault)()
    assert not port.status().ready
    before = emulator.received
    port.send(data)                                       # the printer takes it into its buffer
    assert emulator.wait_received(before + len(data), timeout=5)
    assert emulator.paper.cuts == 0 and emulator.receipts == [] and emulator.held >= len(data)
    assert not (emulator.out_dir / "receipt-0001.txt").exists()
    assert not port.status().ready                        # still answered while it holds the receipt
    getattr(emulator, clear)()
    assert emulator.wait_cuts(1, timeout=5) and emulator.error is None and emulator.held == 0
    assert emulator.receipts == [paper_of(data, emulator.profile).receipt_text(0)]
    assert port.status().ready and emulator.paper.cuts == 1         # printed once


def test_unplugged_within_the_timeout_and_found_again(emulator, port):
    receipt, _sale = sale_receipt()
    data = receipt_bytes(receipt, emulator.profile)
    assert port.status().ready
    emulator.unplug()
    # the send first: a connection the printer closed must fail it, not lose the bytes in a buffer
    for call in (lambda: port.send(data), port.status, port.status, port.open):
        started = time.monotonic()
        with pytest.raises(PrinterUnavailable, match=f"printer {emulator.url}: "):
            call()
        assert time.monotonic() - started < TIMEOUT + SLACK
        assert not port.is_open
    with pytest.raises(PrinterUnavailable, match="cannot open"):
        send_receipt(emulator.url, data, timeout=TIMEOUT)
    emulator.replug()
    assert port.status().ready                            # the same PrinterPort opens it again
    port.send(data)
    assert emulator.wait_cuts(1, timeout=5) and len(emulator.receipts) == 1


def test_unplugged_and_back_between_two_calls(emulator, port):
    receipt, _sale = sale_receipt()
    data = receipt_bytes(receipt, emulator.profile)
    assert port.status().ready and port.is_open
    emulator.unplug()
    emulator.replug()                                     # a new pty, or a new listening socket
    port.send(data)                                       # the dead connection is found and opened again
    assert port.status().ready                            # answered after the receipt: the printer has it
    assert emulator.wait_cuts(1, timeout=5) and emulator.receipts == [paper_of(data, emulator.profile)
                                                                      .receipt_text(0)]
    emulator.unplug()
    emulator.replug()
    assert port.status().ready


def test_a_printer_without_realtime_status(tmp_path):
    with PrinterEmulator("epson-tm-t88v-80mm", tcp=("127.0.0.1", 0), realtime_status=False) as printer:
        with PrinterPort(printer.url, timeout=TIMEOUT) as port:
            started = time.monotonic()
            with pytest.raises(PrinterUnavailable, match="no status answer to DLE EOT 1 within 0.5 s"):
                port.status()
            assert TIMEOUT <= time.monotonic() - started < TIMEOUT + SLACK
            receipt, _sale = sale_receipt()
            port.send(receipt_bytes(receipt, printer.profile))     # it still prints
            assert printer.wait_cuts(1, timeout=5) and printer.error is None and printer.queries == []


def test_a_printer_that_stops_reading_fails_the_send_within_the_timeout():
    # a TCP listener nobody reads from: the kernel's buffers fill, then send() must give up
    import socket
    with socket.create_server(("127.0.0.1", 0)) as server:
        url = f"socket://127.0.0.1:{server.getsockname()[1]}"
        with PrinterPort(url, timeout=TIMEOUT) as port:
            started = time.monotonic()
            with pytest.raises(PrinterUnavailable, match="not all sent"):
                port.send(b"x" * 64_000_000)
            assert time.monotonic() - started < TIMEOUT + SLACK
            with pytest.raises(PrinterUnavailable, match="no status answer"):
                port.status()


def test_a_bad_url_cannot_be_opened():
    for url in ("socket://127.0.0.1", "socket://:9100", "/nonexistent/printer"):
        with pytest.raises(PrinterUnavailable, match=f"printer {url}: cannot open"):
            PrinterPort(url, timeout=TIMEOUT).open()


# Hungarian on PC852


def test_a_hungarian_receipt_on_pc852():
    receipt, sale = sale_receipt("hu")
    pc852 = load_printer_profile("epson-tm-t88v-80mm-pc852")
    assert pc852.code_page_number() == 18                 # ESC t 18 on the TM-T88V
    data = receipt_bytes(receipt, pc852)
    assert b"\x1bt\x12" in data and "ő".encode("cp852") in data
    texts = paper_of(data, pc852).texts
    assert texts[0] == "Zöldséges Győr" and texts[2] == "Pénztár t1"
    assert any(t.startswith("Őszibarack befőtt 720 g") and t.endswith("2\xa0580\xa0Ft") for t in texts)
    assert any(t.startswith("Tejföl 20% tűzálló") for t in texts)
    assert any(t.startswith("Összesen") for t in texts)
    pc858 = paper_of(receipt_bytes(receipt, load_printer_profile("epson-tm-t88v-80mm")), pc852).texts
    assert pc858 != texts                                 # PC858 has ö but not ő: "Gyor" there


# the command line


class Cli:
    """`python -m pos_hardware.printer_emulator_cli ARGS`, its stdout followed line by line."""

    def __init__(self, *args):
        command = [sys.executable, "-m", "pos_hardware.printer_emulator_cli", *map(str, args)]
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")

    def expect(self, prefix: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if line.startswith(prefix):
                return line
            if line == "" and self.proc.poll() is not None:
                break
            seen.append(line)
        raise AssertionError(f"no {prefix!r} line; saw {seen}")

    def command(self, text: str) -> None:
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()


def test_the_command_line(tmp_path):
    out = tmp_path / "receipts"
    cli = Cli("--profile", "epson-tm-t88v-80mm", "--tcp", "127.0.0.1:0", "--out", out)
    try:
        url = cli.expect("url: ").removeprefix("url: ")
        assert url.startswith("socket://127.0.0.1:")
        receipt, sale = sale_receipt()
        data = receipt_bytes(receipt, load_printer_profile("epson-tm-t88v-80mm"))
        with PrinterPort(url, timeout=2) as port:
            assert port.status().ready
            assert cli.expect("status-query: DLE EOT 1 -> 0x12")
            port.send(data)
            line = cli.expect("receipt: ")
            assert line.endswith(f"{out / 'receipt-0001.txt'}")
            assert sale.sale_id in (out / "receipt-0001.txt").read_text(encoding="utf-8").splitlines()
            cli.command(":paper-out")
            cli.expect("paper: out")
            assert port.status().problem == "printer out of paper"
            port.send(data)
            cli.command(":status")
            assert "held=" in cli.expect("status: ") and not (out / "receipt-0002.txt").exists()
            cli.command(":paper-in")
            assert cli.expect("receipt: ").endswith("receipt-0002.txt")
            cli.command(":cover-open")
            cli.expect("cover: open")
            assert port.status().cover_open
            cli.command(":cover-close")
            cli.expect("cover: closed")
            cli.command(":unplug")
            cli.expect("unplug:")
            with pytest.raises(PrinterUnavailable):
                port.status()
            cli.command(":replug")
            cli.expect("replug:")
            assert port.status().ready
        cli.command(":help")
        assert cli.expect("help: :cover-open ")
        cli.command(":quit")
        cli.expect("closed:")
        assert cli.proc.wait(timeout=10) == 0
    finally:
        if cli.proc.poll() is None:
            cli.proc.kill()
            cli.proc.wait()


def test_the_command_line_on_a_pty_link(tmp_path):
    link = tmp_path / "printer"
    cli = Cli("--link", link)
    try:
        assert cli.expect("device: /dev/pts/")
        assert cli.expect("url: ") == f"url: {link}"
        receipt, _sale = sale_receipt()
        send_receipt(str(link), receipt_bytes(receipt, load_printer_profile("epson-tm-t88v-80mm")))
        assert cli.expect("receipt: ").startswith("receipt: ")
        cli.proc.stdin.close()                               # end of input: it closes
        cli.expect("closed:")
        assert cli.proc.wait(timeout=10) == 0 and not Path(link).exists()
    finally:
        if cli.proc.poll() is None:
            cli.proc.kill()
            cli.proc.wait()


def test_the_command_line_refuses_a_bad_address():
    result = subprocess.run([sys.executable, "-m", "pos_hardware.printer_emulator_cli", "--tcp", "nowhere"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "HOST:PORT" in result.stderr


def test_the_parser_skips_status_requests_and_refuses_other_dle():
    paper = Paper()
    for piece in (b"ab\x10", b"\x04", b"\x02cd\n"):            # a request split over writes
        paper.feed(piece)
    assert paper.texts == ["abcd"]
    with pytest.raises(EscposParseError, match="offset 1: unknown command DLE 0x05 0x01"):
        Paper().feed(b"a\x10\x05\x01")


def test_a_request_split_over_two_writes_is_answered_once_and_stray_bytes_are_not_answers():
    import socket
    with PrinterEmulator("epson-tm-t88v-80mm", tcp=("127.0.0.1", 0)) as printer:
        host, port = printer.url.removeprefix("socket://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            printer.paper_out()
            sock.sendall(b"\x10")
            assert printer.wait_received(1, timeout=5) and printer.queries == []
            sock.sendall(b"\x04\x04")
            assert sock.recv(1) == bytes([0x7E])                 # near end and paper end, fixed bits
            assert printer.queries == [4] and printer.paper.lines == []
        with PrinterPort(printer.url, timeout=TIMEOUT) as p:
            p.status()                                           # connected: the emulator serves it now
            printer.paper_in()
            # a byte the till did not ask for (a printer's unsolicited status) is not an answer
            assert printer.emit(b"\xff") == 1
            assert p.status().ready


def test_a_barcode_whose_data_looks_like_a_request_prints_whole():
    # Code128 set C "160401" is the bytes 10 04 01: a real printer answers them as DLE EOT 1
    # (Epson's reference says so); the emulator does too, and still prints the barcode whole
    data = b"\x1b@\x1dkI\x05{C\x10\x04\x01sale\n\x1dVA\x00"
    with PrinterEmulator("epson-tm-t88v-80mm", tcp=("127.0.0.1", 0)) as printer:
        with PrinterPort(printer.url, timeout=TIMEOUT) as port:
            port.send(data)
            assert printer.wait_cuts(1, timeout=5) and printer.error is None
            assert [b.text for b in printer.paper.barcodes] == ["160401"] and printer.queries == [1]
            assert printer.receipts == ["[barcode CODE128: 160401]\nsale\n"]
            assert port.status().ready and printer.queries == [1, 1, 2, 4]   # the stray answer dropped
