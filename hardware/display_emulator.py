"""A 2 × 20 customer (pole) display in software, for tests and demos without one.

`DisplayCells` parses what a till sends a display, in one of the two command sets
(as a real display is set to one by its DIP switches) into its 40 character cells:
CD5220 or Epson's ESC/POS for customer displays (pos.display.commands lists both).
The bytes may come in any pieces; a command it does not know raises
DisplayParseError with its offset, so a change in what the till sends is noticed.

    cells = DisplayCells("escpos")
    cells.feed(data)
    cells.lines             # ('Milk 1l     19,90 kr', 'Total       39,80 kr')

`DisplayEmulator` serves it on a pty (optionally behind a stable symlink, as the
scanner and printer emulators do) or on a TCP port (`tcp=("127.0.0.1", 0)`:
socket://127.0.0.1:PORT, one till at a time as the printer's), reads on a thread
of its own (receiving_emulator.py: the port and the thread), and lets a test wait for
a content (`wait_for`: a Condition, no sleeping). Unplugging closes the port as
pulling the cable would; the display takes its power from the same cable, so
plugging it in again finds it blank until the till sends it something.

CD5220 understood: ESC @, ESC DC1/DC2/DC3 (the mode is kept; text is written in
overwrite mode), ESC l x y, ESC [ A/B/C/D/H/L/R/K, ESC _ n, ESC * n, ESC f n,
ESC c n, ESC Q A/B ... CR, ESC = n, CLR, CAN, HOM, BS, HT, LF, CR. The 8-bit table
is the display's own (`code_page`). ESC/POS understood: ESC @, ESC t n (the
DM-D110's tables), US MD1/MD2/MD3, US $ x y, US C n, US X n, US E n, US B, US LF,
US CR, CLR, CAN, HOM, BS, HT, LF, CR.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

from pos.display.commands import ESCPOS_CODE_PAGES, HEIGHT, PROTOCOLS, WIDTH, check

from .receiving_emulator import ReceivingEmulator

ESC, US, CLR, CAN, HOM, BS, HT, LF, CR = 0x1B, 0x1F, 0x0C, 0x18, 0x0B, 0x08, 0x09, 0x0A, 0x0D
_ESCPOS_TABLES = {n: name.lower() for name, n in ESCPOS_CODE_PAGES.items()}
_CD5220_ONE_ARG = {ord("_"), ord("*"), ord("f"), ord("c"), ord("=")}
_CD5220_MODES = {0x11: "overwrite", 0x12: "vertical", 0x13: "horizontal"}


class DisplayParseError(ValueError):
    """Bytes that are not a command this display knows (the message has the offset)."""


@dataclass
class DisplayCells:
    protocol: str = "cd5220"
    code_page: str = "CP437"          # CD5220: the display's own table; ESC/POS: until ESC t
    cells: list[list[str]] = field(default_factory=list)
    x: int = 0                        # the cursor, 0-based
    y: int = 0
    mode: str = "overwrite"
    cursor_on: bool = True
    brightness: int = 4
    _buf: bytes = b""
    _offset: int = 0
    _codec: str = "cp437"

    def __post_init__(self) -> None:
        self._codec = check(self.protocol, self.code_page) if self.protocol == "escpos" \
            else check("cd5220", self.code_page)
        self.reset()

    def reset(self) -> None:
        """Power on / ESC @: blank, the cursor home, overwrite mode."""
        self.cells = [[" "] * WIDTH for _ in range(HEIGHT)]
        self.x = self.y = 0
        self.mode, self.cursor_on, self.brightness = "overwrite", True, 4
        self._codec = self.code_page.lower().replace("_", "-")

    @property
    def lines(self) -> tuple[str, str]:
        return ("".join(self.cells[0]), "".join(self.cells[1]))

    def feed(self, data: bytes) -> None:
        """Parses `data` after what came before; an incomplete command waits for more."""
        self._buf += data
        i = 0
        try:
            while i < len(self._buf):
                used = self._step(i)
                if used == 0:
                    break
                i += used
        except DisplayParseError:
            self._offset += len(self._buf)       # what is left is not read again
            self._buf = b""
            raise
        self._offset += i
        self._buf = self._buf[i:]

    def _error(self, i: int, what: str) -> DisplayParseError:
        return DisplayParseError(f"offset {self._offset + i}: {what} ({self.protocol} display)")

    # ---- one byte or command ------------------------------------------------------------

    def _step(self, i: int) -> int:
        b = self._buf[i]
        if b >= 0x20:
            self._put(bytes([b]).decode(self._codec, errors="replace"))
            return 1
        if b == CLR:
            self.cells = [[" "] * WIDTH for _ in range(HEIGHT)]
            self.x = self.y = 0
            return 1
        if b == CAN:
            self.cells[self.y] = [" "] * WIDTH
            self.x = 0
            return 1
        if b == HOM:
            self.x = self.y = 0
            return 1
        if b == BS:
            self.x = max(0, self.x - 1)
            return 1
        if b == HT:
            self.x = min(WIDTH - 1, self.x + 1)
            return 1
        if b == LF:
            self.y = min(HEIGHT - 1, self.y + 1)
            return 1
        if b == CR:
            self.x = 0
            return 1
        if b == ESC:
            return self._cd5220(i) if self.protocol == "cd5220" else self._escpos_esc(i)
        if b == US and self.protocol == "escpos":
            return self._escpos_us(i)
        raise self._error(i, f"unknown control byte {b:#04x}")

    def _need(self, i: int, n: int) -> bool:
        """True when `n` bytes from `i` are there."""
        return i + n <= len(self._buf)

    def _cd5220(self, i: int) -> int:
        buf = self._buf
        if not self._need(i, 2):
            return 0
        cmd = buf[i + 1]
        if cmd == ord("@"):
            self.reset()
            return 2
        if cmd in _CD5220_MODES:
            self.mode = _CD5220_MODES[cmd]
            return 2
        if cmd == ord("l"):
            if not self._need(i, 4):
                return 0
            self._move(i, buf[i + 2], buf[i + 3])
            return 4
        if cmd == ord("["):
            if not self._need(i, 3):
                return 0
            self._bracket(i, chr(buf[i + 2]))
            return 3
        if cmd in _CD5220_ONE_ARG:
            if not self._need(i, 3):
                return 0
            arg = buf[i + 2]
            if cmd == ord("_"):
                self.cursor_on = bool(arg)
            elif cmd == ord("*"):
                self.brightness = arg
            return 3
        if cmd == ord("Q"):                     # ESC Q A|B text CR: a whole line
            end = buf.find(bytes([CR]), i + 3)
            if not self._need(i, 3) or end < 0:
                return 0
            which = chr(buf[i + 2])
            if which not in "AB":
                raise self._error(i, f"ESC Q {which!r}: only A (upper) and B (lower) are emulated")
            text = buf[i + 3:end].decode(self._codec, errors="replace")[:WIDTH]
            self.cells["AB".index(which)] = list(text.ljust(WIDTH))
            return end + 1 - i
        raise self._error(i, f"unknown command ESC {cmd:#04x}")

    def _bracket(self, i: int, c: str) -> None:
        if c == "A":
            self.y = max(0, self.y - 1)
        elif c == "B":
            self.y = min(HEIGHT - 1, self.y + 1)
        elif c == "C":
            self.x = min(WIDTH - 1, self.x + 1)
        elif c == "D":
            self.x = max(0, self.x - 1)
        elif c == "H":
            self.x = self.y = 0
        elif c == "L":
            self.x = 0
        elif c == "R":
            self.x = WIDTH - 1
        elif c == "K":
            self.x, self.y = 0, HEIGHT - 1
        else:
            raise self._error(i, f"unknown command ESC [ {c!r}")

    def _escpos_esc(self, i: int) -> int:
        buf = self._buf
        if not self._need(i, 2):
            return 0
        cmd = buf[i + 1]
        if cmd == ord("@"):
            self.reset()
            return 2
        if cmd == ord("t"):
            if not self._need(i, 3):
                return 0
            n = buf[i + 2]
            if n not in _ESCPOS_TABLES:
                raise self._error(i, f"ESC t {n}: no such code page on a DM-D110")
            self._codec = _ESCPOS_TABLES[n]
            return 3
        raise self._error(i, f"unknown command ESC {cmd:#04x}")

    def _escpos_us(self, i: int) -> int:
        buf = self._buf
        if not self._need(i, 2):
            return 0
        cmd = buf[i + 1]
        if cmd in (0x01, 0x02, 0x03):           # US MD1/MD2/MD3
            self.mode = ("overwrite", "vertical", "horizontal")[cmd - 1]
            return 2
        if cmd == ord("$"):
            if not self._need(i, 4):
                return 0
            self._move(i, buf[i + 2], buf[i + 3])
            return 4
        if cmd in (ord("C"), ord("X"), ord("E")):
            if not self._need(i, 3):
                return 0
            if cmd == ord("C"):
                self.cursor_on = bool(buf[i + 2])
            elif cmd == ord("X"):
                self.brightness = buf[i + 2]
            return 3
        if cmd == ord("B"):
            self.x, self.y = 0, HEIGHT - 1
            return 2
        if cmd == LF:
            self.y = max(0, self.y - 1)
            return 2
        if cmd == CR:
            self.x = WIDTH - 1
            return 2
        raise self._error(i, f"unknown command US {cmd:#04x}")

    def _move(self, i: int, x: int, y: int) -> None:
        if not (1 <= x <= WIDTH and 1 <= y <= HEIGHT):
            raise self._error(i, f"cursor position ({x}, {y}) outside the display")
        self.x, self.y = x - 1, y - 1

    def _put(self, ch: str) -> None:
        """A character at the cursor, which moves on (overwrite mode: the end of line 1
        goes on at the start of line 2, the end of line 2 at the start of line 1)."""
        self.cells[self.y][self.x] = ch
        self.x += 1
        if self.x == WIDTH:
            self.x, self.y = 0, (self.y + 1) % HEIGHT


class DisplayEmulator(ReceivingEmulator):
    thread_name = "display-emulator"

    def __init__(self, protocol: str = "cd5220", code_page: str = "CP437",
                 link: str | os.PathLike[str] | None = None, tcp: tuple[str, int] | None = None,
                 on_change: Callable[[tuple[str, str]], object] | None = None) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"display protocol {protocol!r}: one of {', '.join(PROTOCOLS)}")
        self.protocol, self.code_page = protocol, code_page
        self.display = DisplayCells(protocol, code_page)
        self.errors: list[DisplayParseError] = []     # what it could not read, in order
        self.on_change = on_change
        super().__init__(link, tcp, "display")

    @property
    def lines(self) -> tuple[str, str]:
        with self._changed:
            return self.display.lines

    def replug(self) -> None:
        """Plugged in again: powered up blank (see the module's docstring)."""
        with self._changed:
            self.display = DisplayCells(self.protocol, self.code_page)
            self._changed.notify_all()
        super().replug()

    def wait_for(self, wanted: tuple[str, str] | Callable[[tuple[str, str]], bool],
                 timeout: float) -> bool:
        """True once the display shows `wanted` (the two lines, or a test of them);
        False after `timeout` seconds or once a parse error was recorded."""
        test = wanted if callable(wanted) else (lambda lines: lines == wanted)
        with self._changed:
            return self._changed.wait_for(lambda: bool(self.errors) or test(self.display.lines),
                                          timeout) and not self.errors

    def new_errors(self, seen: int, timeout: float) -> list[DisplayParseError]:
        """The parse errors after the first `seen`, waiting up to `timeout` for one."""
        with self._changed:
            self._changed.wait_for(lambda: len(self.errors) > seen, timeout)
            return self.errors[seen:]

    def _receive(self, data: bytes) -> None:
        with self._changed:
            before = self.display.lines
            try:
                self.display.feed(data)
            except DisplayParseError as exc:
                self.errors.append(exc)
            after = self.display.lines
            self._changed.notify_all()
        if after != before and self.on_change is not None:
            self.on_change(after)
