"""The customer display (issue 20): the bytes of both command sets, what each state of
the till shows, the emulator parsing both sets, the link over a real pty and a real
TCP port (the latest frame wins, unplug and replug), and the real till driving the
display emulator."""
from __future__ import annotations

import asyncio
import queue
import re
import subprocess
import sys
import threading

import pytest

from conftest import scan_code
from pos.currency import Currency
from pos.display import DisplayLink, Frame, display_frame
from pos.display import commands as c
from pos.display.commands import DisplayConfigError
from pos.engine import Suggestion
from pos.errors import ConfigError
from pos.i18n import visual
from pos.till.config import DisplayConfig, load_config
from pos.till.money import Money
from pos.till.sale import Sale
from pos_hardware.display_emulator import DisplayCells, DisplayEmulator, DisplayParseError
from till_harness import run_till

TIMEOUT = 10.0
NOK = Money(Currency("NOK", 2), "nb_NO")


def sale_of(*lines: tuple[str, int, int]) -> Sale:
    sale = Sale("t1-x", currency=NOK.currency)
    for number, (name, price, qty) in enumerate(lines, start=1):
        sale.apply({"type": "add", "line": number, "sku": f"S{number}", "item": number, "name": name,
                    "unit": "each", "unit_price": price, "qty": qty, "weight_g": None, "price": None})
    return sale


def suggestion(kind: str = "cross", price: int = 2490, saving: int | None = None) -> Suggestion:
    return Suggestion("S9", "Bella Nonna pesto", kind, 0.82, price,
                      "62% of baskets with pasta also have pesto", pitch="Goes with it",
                      saving=saving)


# ---- the command sets ---------------------------------------------------------------

def test_cd5220_bytes():
    assert c.cd5220_init() == b"\x1b@\x1b\x11\x1b_\x00"          # init, overwrite, cursor off
    assert c.cd5220_move(1, 2) == b"\x1bl\x01\x02"
    assert c.cd5220_charset("G") == b"\x1bfG"
    assert c.clear() == b"\x0c"
    assert c.init_bytes("cd5220", "CP437") == c.cd5220_init()
    with pytest.raises(ValueError, match="outside"):
        c.cd5220_move(21, 1)
    with pytest.raises(DisplayConfigError, match="character set"):
        c.cd5220_charset("Z")


def test_escpos_display_bytes():
    # init, ESC t 19 (PC858), US MD1 overwrite, US C 0 cursor off
    assert c.escpos_init("CP858") == b"\x1b@\x1bt\x13\x1f\x01\x1fC\x00"
    assert c.escpos_move(20, 1) == b"\x1f$\x14\x01"
    assert c.init_bytes("escpos", "CP437") == b"\x1b@\x1bt\x00\x1f\x01\x1fC\x00"
    with pytest.raises(DisplayConfigError, match="DM-D110"):
        c.escpos_init("CP862")
    with pytest.raises(DisplayConfigError, match="protocol"):
        c.init_bytes("aedex", "CP437")


def test_a_frame_is_two_whole_lines_in_the_code_page():
    data = c.frame_bytes("cd5220", ("Brød", "Total  19,90 €"), "cp858", "EUR")
    assert data == (b"\x1bl\x01\x01" + "Brød".encode("cp858").ljust(20)
                    + b"\x1bl\x01\x02" + "Total  19,90 €".encode("cp858").ljust(20))
    # PC437 lacks ø and €: ø has no fallback ('?'), € becomes the currency's code
    assert c.encode_line("Brød 5 €", "cp437", "EUR") == b"Br?d 5 EUR".ljust(20)
    assert c.encode_line("x" * 30, "cp437") == b"x" * 20


# ---- frames -----------------------------------------------------------------------------

def test_idle_welcomes_with_the_store_name():
    frame = display_frame(store_name="Kiwi Majorstuen", sale=None, money=NOK, lang="nb")
    assert frame.kind == "idle"
    assert [ln.strip() for ln in frame.lines] == ["Kiwi Majorstuen", "Velkommen"]
    assert all(len(ln) == c.WIDTH for ln in frame.lines)


def test_sale_shows_the_last_line_and_the_total():
    sale = sale_of(("Melk 1 l", 1990, 1), ("Bella Nonna fusilli 500 g", 2190, 2))
    frame = display_frame(store_name="Kiwi", sale=sale, money=NOK, lang="nb", codec="cp858")
    assert frame.kind == "sale"
    assert frame.lines == ("Bella Nonna 43,80 kr", "Totalt      63,70 kr")   # the long name cut


def test_a_zero_decimal_currency_and_a_long_amount():
    huf = Money(Currency("HUF", 0), "hu_HU")
    sale = sale_of(("Kenyér", 129900, 1))
    frame = display_frame(store_name="Bolt", sale=sale, money=huf, lang="hu", codec="cp852")
    assert frame.lines[0].endswith("129 900 Ft") and frame.lines[0].startswith("Kenyér")
    assert frame.lines[1].endswith("129 900 Ft") and "," not in frame.lines[1]


def test_an_offer_shows_the_item_and_its_price_never_the_reason():
    sale = sale_of(("Bella Nonna fusilli 500 g", 2190, 1))
    for kind, price, saving, second in (("cross", 2490, None, "24,90 kr"),
                                        ("upsell", 1200, None, "Oppgraderi +12,00 kr"),
                                        ("bundle", 2490, 500, "Du sparer    5,00 kr")):
        frame = display_frame(store_name="Kiwi", sale=sale, money=NOK, lang="nb",
                              offer=suggestion(kind, price, saving), codec="cp858")
        assert frame.kind == "offer"
        assert frame.lines[0].rstrip() == "Bella Nonna pesto"
        assert frame.lines[1].endswith(second), frame.lines
        text = " ".join(frame.lines)
        assert "%" not in text and "62" not in text and "0.82" not in text and "Goes" not in text


def test_after_payment_thanks_with_the_amount_paid():
    frame = display_frame(store_name="Kiwi", sale=sale_of(), money=NOK, lang="sv", paid=6370)
    assert frame.kind == "paid"
    assert frame.lines[0].strip() == "Tack!"
    assert re.fullmatch(r"Betalt +63,70 kr", frame.lines[1])


def test_hebrew_is_in_visual_order_and_mirrored():
    ils = Money(Currency("ILS", 2), "he_IL")
    sale = sale_of(("חלב 1 ליטר", 590, 1))
    frame = display_frame(store_name="סופר", sale=sale, money=ils, lang="he", codec="cp862")
    first, second = frame.lines
    assert first.startswith("5.90 ILS")                         # the amount at the left (no ₪ in PC862)
    assert first.endswith(visual("חלב 1 ליטר"))                  # the name ends at the right margin
    assert second.startswith("5.90 ILS") and second.endswith(visual('סה"כ'))
    assert all(len(ln) == c.WIDTH for ln in frame.lines)
    for line in frame.lines:                                     # what the display is sent
        assert c.encode_line(line, "cp862", "ILS").decode("cp862") == line


# ---- the emulator's parser ------------------------------------------------------------------

@pytest.mark.parametrize("protocol", ["cd5220", "escpos"])
def test_the_emulator_reads_both_sets_byte_by_byte(protocol):
    lines = ("Brød         19,90 €", "Total        39,80 €")
    data = c.init_bytes(protocol, "CP858") + c.frame_bytes(protocol, lines, "cp858", "EUR")
    cells = DisplayCells(protocol, "CP858")
    for i in range(len(data)):
        cells.feed(data[i:i + 1])
    assert cells.lines == lines
    assert cells.cursor_on is False and cells.mode == "overwrite"
    cells.feed(c.clear())
    assert cells.lines == (" " * 20, " " * 20)


def test_the_emulator_follows_the_cursor_and_wraps():
    cells = DisplayCells("cd5220")
    cells.feed(b"\x1bl\x13\x01abc")              # column 19 of line 1: wraps to line 2
    assert cells.lines == (" " * 18 + "ab", "c" + " " * 19)
    cells.feed(b"\x1bQAupper\r\x0b\x1b[KX")       # ESC Q A: a whole line; ESC [ K: bottom left
    assert cells.lines == ("upper".ljust(20), "X" + " " * 19)
    esc = DisplayCells("escpos")
    esc.feed(b"\x1bt\x02\x1f$\x01\x02\x9b")         # PC850's 0x9B is ø
    assert esc.lines[1][0] == "ø"


@pytest.mark.parametrize("protocol, data, offset", [
    ("cd5220", b"ab\x1bZ", 2), ("cd5220", b"\x1bl\x15\x01", 0), ("escpos", b"x\x1fZ", 1),
    ("escpos", b"\x1bt\x24", 0), ("escpos", b"\x1bl\x01\x01", 0), ("cd5220", b"\x07", 0)])
def test_an_unknown_command_is_an_error_with_its_offset(protocol, data, offset):
    cells = DisplayCells(protocol)
    cells.feed(b"ok")
    with pytest.raises(DisplayParseError, match=f"offset {offset + 2}:"):
        cells.feed(data)


# ---- the link over a real pty and a real TCP port -------------------------------------------

def frame(name: str, total: str = "Total        9,90 kr") -> Frame:
    return Frame((name.ljust(20)[:20], total), "sale")


@pytest.fixture(params=["pty", "tcp"])
def emulator(request, tmp_path):
    kw = {"link": tmp_path / "display"} if request.param == "pty" else {"tcp": ("127.0.0.1", 0)}
    with DisplayEmulator("escpos", "CP858", **kw) as em:
        yield em


def waiter(link: DisplayLink):
    changed = threading.Condition()

    def on_change() -> None:
        with changed:
            changed.notify_all()

    def wait(state: str) -> bool:
        with changed:
            return changed.wait_for(lambda: link.state == state, TIMEOUT)
    return on_change, wait


def test_the_link_shows_frames_and_the_latest_wins(emulator):
    link = DisplayLink(str(emulator.url), "escpos", "CP858", retry_delay=0.05, probe_delay=0.05)
    on_change, wait = waiter(link)
    link.start(on_change)
    try:
        assert wait("connected")
        for n in range(200):                     # faster than a display takes them
            link.show(frame(f"item {n}"))
        assert emulator.wait_for(frame("item 199").lines, TIMEOUT)
        assert link.frames_written < 200         # older frames were dropped, not queued
        assert not emulator.errors
    finally:
        link.stop()


def test_unplug_never_blocks_and_replug_shows_the_current_frame(emulator):
    link = DisplayLink(str(emulator.url), "escpos", "CP858", retry_delay=0.05, probe_delay=0.05)
    on_change, wait = waiter(link)
    link.start(on_change)
    try:
        link.show(frame("Melk"))
        assert emulator.wait_for(frame("Melk").lines, TIMEOUT)
        emulator.unplug()
        assert wait("disconnected")
        done = threading.Event()

        def till() -> None:                      # the till goes on while it is unplugged
            for n in range(50):
                link.show(frame(f"Brød {n}"))
            done.set()
        threading.Thread(target=till).start()
        assert done.wait(TIMEOUT)
        emulator.replug()                        # powered up blank ...
        assert wait("connected")
        assert emulator.wait_for(frame("Brød 49").lines, TIMEOUT)   # ... and given the frame again
    finally:
        link.stop()


def test_a_display_that_is_not_there_is_disconnected(tmp_path):
    link = DisplayLink(str(tmp_path / "no-such-display"), retry_delay=0.05)
    on_change, wait = waiter(link)
    link.start(on_change)
    try:
        link.show(frame("Melk"))
        assert wait("disconnected")
    finally:
        link.stop()


def test_the_emulator_command_prints_each_change():
    """pos-display-emulator: the customer's side in a second terminal."""
    proc = subprocess.Popen([sys.executable, "-m", "pos_hardware.display_emulator_cli",
                             "--protocol", "cd5220", "--socket", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, text=True)
    out: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [out.put(line.rstrip("\n")) for line in proc.stdout], daemon=True).start()

    def next_line(prefix: str) -> str:
        while True:
            line = out.get(timeout=TIMEOUT)
            if line.startswith(prefix):
                return line

    link = None
    try:
        url = next_line("url: ").removeprefix("url: ")
        assert url.startswith("socket://127.0.0.1:")
        link = DisplayLink(url, "cd5220", "CP437").start()
        link.show(Frame(("Milk 1l     19,90 kr", "Total       39,80 kr"), "sale"))
        while True:              # one change a line pair (the bytes may come in pieces)
            first = next_line("display: ")
            if (first, out.get(timeout=TIMEOUT)) == ("display: |Milk 1l     19,90 kr|",
                                                     "         |Total       39,80 kr|"):
                break
    finally:
        if link is not None:
            link.stop()
        proc.terminate()
        assert proc.wait(TIMEOUT) == 0
    assert next_line("closed:") == "closed:"


# ---- store.toml -------------------------------------------------------------------------------

def test_store_toml_display_section(tmp_path):
    toml = tmp_path / "store.toml"
    toml.write_text('[display]\nurl = "socket://10.0.0.9:7001"\nprotocol = "escpos"\ncode_page = "CP858"\n')
    assert load_config(toml).display == DisplayConfig("socket://10.0.0.9:7001", "escpos", "CP858", 9600)
    assert load_config(None).display is None
    for body, message in (('protocol = "cd5220"', "url is needed"),
                          ('url = "/dev/x"\nprotocol = "aedex"', "protocol"),
                          ('url = "/dev/x"\nprotocol = "escpos"\ncode_page = "CP862"', "DM-D110"),
                          ('url = "/dev/x"\ncolour = "blue"', "unknown field 'colour'"),
                          ('url = "/dev/x"\nbaudrate = "fast"', "baudrate: a int")):
        toml.write_text(f"[display]\n{body}\n")
        with pytest.raises(ConfigError, match=message):
            load_config(toml)


# ---- the real till ------------------------------------------------------------------------------

PASTA = "PASTA-BN-FUS-500"


def on_display(text: str) -> str:
    """`text` as the display shows it: Babel's no-break spaces are spaces."""
    return "".join(" " if ch.isspace() else ch for ch in text).replace("−", "-")


def test_the_till_drives_the_display(demo_store, tmp_path):
    with DisplayEmulator("cd5220", "CP437", link=tmp_path / "display") as em:
        async def flow(h):
            money, till = h.till.money, h.till
            assert "Display" not in h.status()
            assert await asyncio.to_thread(em.wait_for, lambda ls: "Welcome" in ls[1], TIMEOUT)
            await h.scan(scan_code(demo_store, PASTA))
            line = till.sale.lines[max(till.sale.lines)]
            total = on_display(money(till.sale.total))
            assert await asyncio.to_thread(
                em.wait_for, lambda ls: ls[0].startswith(line.name[:8]) and ls[1].endswith(total)
                and ls[1].startswith("Total"), TIMEOUT), em.lines
            card = till.cards[0]
            await h.press("f4")                                  # offer card 1
            assert card.name[:10] in h.message()
            price = on_display(money.step(card.price) if card.kind == "upsell" else
                               money(card.saving) if card.kind == "bundle" and card.saving else
                               money(card.price))
            assert await asyncio.to_thread(
                em.wait_for, lambda ls: ls[0].startswith(card.name[:10]) and ls[1].endswith(price),
                TIMEOUT), em.lines
            shown = " ".join(em.lines)
            assert "%" not in shown and "basket" not in shown
            if len(till.cards) > 1:                              # F4 again: the next card
                await h.press("f4")
                second = till.cards[1].name[:10]
                assert await asyncio.to_thread(em.wait_for, lambda ls: ls[0].startswith(second),
                                               TIMEOUT), em.lines
            paid = till.sale.total
            await h.press("f10")
            await h.press("enter")
            assert till.sale.lines == {}
            thanks = on_display(money(paid))
            assert await asyncio.to_thread(
                em.wait_for, lambda ls: ls[0].strip() == "Thank you!" and ls[1].endswith(thanks),
                TIMEOUT), em.lines
            em.unplug()                                          # the status bar says so
            await h.until(lambda: "Display: disconnected" in h.status(), "the display's state")
            em.replug()
            await h.until(lambda: "Display" not in h.status(), "the display back")
            assert await asyncio.to_thread(em.wait_for, lambda ls: ls[0].strip() == "Thank you!",
                                           TIMEOUT), em.lines
            assert not em.errors
        run_till(demo_store, tmp_path / "sales.db", flow, display=str(em.url))


def test_the_last_call_at_payment_is_offered_and_the_welcome_comes_back(demo_store, tmp_path):
    config = tmp_path / "store.toml"          # one card at a time: the last call is one unseen
    config.write_text('[suggestions]\ncards = 1\nlast_call_min_score = 0.0\n'
                      '[display]\nurl = "/nowhere"\nprotocol = "escpos"\ncode_page = "CP858"\n')
    with DisplayEmulator("escpos", "CP858", tcp=("127.0.0.1", 0)) as em:
        async def flow(h):
            till = h.till
            await h.scan(scan_code(demo_store, PASTA))
            await h.press("f10")
            card = till.last_call_card
            assert card is not None and card.sku not in [c.sku for c in till.cards]
            assert await asyncio.to_thread(em.wait_for, lambda ls: ls[0].startswith(card.name[:10]),
                                           TIMEOUT), em.lines
            await h.press("escape")                              # back to the sale: the sale again
            assert await asyncio.to_thread(em.wait_for, lambda ls: ls[1].startswith("Total"),
                                           TIMEOUT), em.lines
            await h.press("f10", "enter")
            assert await asyncio.to_thread(em.wait_for, lambda ls: ls[0].strip() == "Thank you!",
                                           TIMEOUT), em.lines
            h.app.welcome_again()                                # THANKS_SECONDS later
            assert await asyncio.to_thread(em.wait_for, lambda ls: ls[1].strip() == "Welcome",
                                           TIMEOUT), em.lines
            assert not em.errors
        # --display replaces store.toml's url; its protocol and code page stay
        run_till(demo_store, tmp_path / "sales.db", flow, config=config, display=str(em.url))


def test_without_a_display_f4_says_so_and_the_key_bar_has_no_f4(demo_store, tmp_path):
    async def flow(h):
        assert "F4" not in str(h.app.query_one("#keys").render())
        await h.scan(scan_code(demo_store, PASTA))
        await h.press("f4")
        assert "No customer display here" in h.message()
    app = run_till(demo_store, tmp_path / "sales.db", flow)
    assert app.customer_display is None
