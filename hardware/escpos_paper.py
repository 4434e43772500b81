"""What an ESC/POS printer would put on paper, read back from the bytes it is sent:
text lines (in the code page selected by ESC t, with their alignment, bold and size)
and barcodes (GS k, the data decoded back as a scanner reads it: Code128 sets A, B
and C), and cuts. A status request (DLE EOT n) in the stream prints nothing (the
printer emulator answers it as it arrives). For the printer emulator and the
receipt tests.

    paper = Paper("TM-T88V")        # python-escpos's model profile: ESC t numbers
    paper.feed(data)                 # any number of chunks; a command may span two
    paper.lines[0].text, paper.barcodes[0].text, paper.cuts

A command it does not know raises EscposParseError with its offset: a renderer that
starts sending something new is noticed, not skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

ESC, GS, LF, CR, NUL, DLE, EOT = 0x1B, 0x1D, 0x0A, 0x0D, 0x00, 0x10, 0x04

# commands that take a fixed number of argument bytes: (prefix, command byte) -> count
_ARGS = {
    (ESC, ord("@")): 0, (ESC, ord("t")): 1, (ESC, ord("!")): 1, (ESC, ord("E")): 1,
    (ESC, ord("a")): 1, (ESC, ord("d")): 1, (ESC, ord("-")): 1, (ESC, ord("M")): 1,
    (ESC, ord("2")): 0, (ESC, ord("3")): 1, (ESC, ord("G")): 1, (ESC, ord("{")): 1,
    (ESC, ord("J")): 1, (GS, ord("!")): 1, (GS, ord("h")): 1, (GS, ord("w")): 1,
    (GS, ord("f")): 1, (GS, ord("H")): 1, (GS, ord("B")): 1, (GS, ord("b")): 1,
}
ALIGN = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center", 50: "right"}
# GS k m (function B, m >= 65): the symbology of each m
SYMBOLOGY = {65: "UPC-A", 66: "UPC-E", 67: "EAN13", 68: "EAN8", 69: "CODE39", 70: "ITF",
             71: "CODABAR", 72: "CODE93", 73: "CODE128", 74: "GS1-128"}


class EscposParseError(ValueError):
    """Bytes that are not ESC/POS this parser knows (the message has the offset)."""


@dataclass(frozen=True)
class PrintedLine:
    text: str
    align: str = "left"
    bold: bool = False
    big: bool = False


@dataclass(frozen=True)
class PrintedBarcode:
    symbology: str
    text: str                  # what a scanner reads
    module: int                # dots a module (GS w)
    after_line: int            # how many text lines were printed before it


@dataclass
class Paper:
    escpos_profile: str = "default"
    lines: list[PrintedLine] = field(default_factory=list)
    barcodes: list[PrintedBarcode] = field(default_factory=list)
    cuts: int = 0
    # at each cut: how many lines and barcodes were printed before it (receipts() splits by them)
    cut_marks: list[tuple[int, int]] = field(default_factory=list)
    _buf: bytes = b""
    _offset: int = 0           # of _buf's first byte in the whole stream
    _text: bytearray = field(default_factory=bytearray)
    _codec: str = "cp437"
    _align: str = "left"
    _bold: bool = False
    _big: bool = False
    _module: int = 3

    @property
    def texts(self) -> list[str]:
        return [ln.text for ln in self.lines]

    def receipt_text(self, k: int) -> str:
        """The `k`-th cut piece of paper (0-based) as text: its lines, and each barcode as
        `[barcode CODE128: ...]` where it was printed."""
        l0, b0 = self.cut_marks[k - 1] if k else (0, 0)
        l1, b1 = self.cut_marks[k]
        rows: list[str] = []
        barcodes = self.barcodes[b0:b1]
        for i in range(l0, l1 + 1):
            rows += [f"[barcode {b.symbology}: {b.text}]" for b in barcodes if b.after_line == i]
            if i < l1:
                rows.append(self.lines[i].text)
        return "\n".join(rows) + "\n"

    def feed(self, data: bytes) -> None:
        """Parses `data` after what came before; an incomplete command waits for more."""
        self._buf += data
        i = 0
        while i < len(self._buf):
            used = self._step(i)
            if used == 0:          # incomplete: keep it for the next chunk
                break
            i += used
        self._offset += i
        self._buf = self._buf[i:]

    def _step(self, i: int) -> int:
        """Consumes one byte or command at `i`: its length, 0 when it is not complete."""
        buf, b = self._buf, self._buf[i]
        if b == LF:
            self._end_line()
            return 1
        if b == CR:
            return 1
        if b == DLE:                               # DLE EOT n: a status request, nothing printed
            if i + 2 >= len(buf):
                return 0
            if buf[i + 1] != EOT or buf[i + 2] not in (1, 2, 3, 4):
                raise EscposParseError(f"offset {self._offset + i}: unknown command DLE "
                                       f"{buf[i + 1]:#04x} {buf[i + 2]:#04x}")
            return 3
        if b not in (ESC, GS):
            self._text.append(b)
            return 1
        if i + 1 >= len(buf):
            return 0
        key = (b, buf[i + 1])
        if key == (GS, ord("k")):
            return self._barcode(i)
        if key == (GS, ord("V")):
            if i + 2 >= len(buf):
                return 0
            m = buf[i + 2]
            self._end_line(only_if_text=True)
            self.cuts += 1
            self.cut_marks.append((len(self.lines), len(self.barcodes)))
            return 4 if m in (65, 66) else 3
        if key not in _ARGS:
            raise EscposParseError(f"offset {self._offset + i}: unknown command "
                                   f"{'ESC' if b == ESC else 'GS'} {buf[i + 1]:#04x}")
        n = _ARGS[key]
        if i + 2 + n > len(buf):
            return 0
        arg = buf[i + 2] if n else 0
        self._apply(key, arg)
        return 2 + n

    def _apply(self, key: tuple[int, int], arg: int) -> None:
        prefix, cmd = key[0], chr(key[1])
        if prefix == ESC and cmd == "@":
            self._codec, self._align, self._bold, self._big = "cp437", "left", False, False
        elif prefix == ESC and cmd == "t":
            self._codec = _codec(self.escpos_profile, arg)
        elif prefix == ESC and cmd == "!":
            self._bold, self._big = bool(arg & 0x08), bool(arg & 0x30 == 0x30)
        elif prefix == ESC and cmd == "E":
            self._bold = bool(arg & 1)
        elif prefix == ESC and cmd == "a":
            self._align = ALIGN.get(arg, "left")
        elif prefix == ESC and cmd == "d":
            self._end_line(only_if_text=True)
        elif prefix == GS and cmd == "!":
            self._big = arg == 0x11
        elif prefix == GS and cmd == "w":
            self._module = arg

    def _end_line(self, only_if_text: bool = False) -> None:
        if only_if_text and not self._text:
            return
        self.lines.append(PrintedLine(self._text.decode(self._codec).rstrip(), self._align, self._bold,
                                      self._big))
        self._text.clear()

    def _barcode(self, i: int) -> int:
        buf = self._buf
        if i + 2 >= len(buf):
            return 0
        m = buf[i + 2]
        if m <= 6:                                 # function A: data ends with NUL
            end = buf.find(bytes([NUL]), i + 3)
            if end < 0:
                return 0
            data, used = buf[i + 3:end], end + 1 - i
            symbology = SYMBOLOGY.get(m + 65, str(m))
        else:
            if i + 3 >= len(buf):
                return 0
            n = buf[i + 3]
            if i + 4 + n > len(buf):
                return 0
            data, used = buf[i + 4:i + 4 + n], 4 + n
            if m not in SYMBOLOGY:
                raise EscposParseError(f"offset {self._offset + i}: GS k with unknown symbology {m}")
            symbology = SYMBOLOGY[m]
        text = code128_text(data) if symbology in ("CODE128", "GS1-128") else data.decode("ascii")
        self.barcodes.append(PrintedBarcode(symbology, text, self._module, len(self.lines)))
        return used


def code128_text(data: bytes) -> str:
    """The text a scanner reads from ESC/POS Code128 data: '{A', '{B', '{C' choose the
    code set ('{{' is a '{'); in set C each byte is a pair of digits."""
    if len(data) < 2 or data[0] != ord("{") or chr(data[1]) not in "ABC":
        raise EscposParseError(f"Code128 data must start with {{A, {{B or {{C: {data[:2]!r}")
    out, codeset, i = [], "", 0
    while i < len(data):
        if data[i] == ord("{") and i + 1 < len(data):
            sel = chr(data[i + 1])
            if sel in "ABC":
                codeset = sel
            elif sel == "{":
                out.append("{")
            i += 2                                 # FNC1..4 and SHIFT ({1 .. {S}: not text
            continue
        if codeset == "C":
            if data[i] > 99:
                raise EscposParseError(f"Code128 set C value {data[i]} above 99")
            out.append(f"{data[i]:02d}")
        else:
            out.append(chr(data[i]))
        i += 1
    return "".join(out)


def _codec(escpos_profile: str, number: int) -> str:
    """The Python codec of code page `number` (ESC t) on the model `escpos_profile`."""
    from escpos.capabilities import get_profile
    name = get_profile(escpos_profile).profile_data["codePages"].get(str(number))
    if name is None or name == "Unknown":
        raise EscposParseError(f"ESC t {number}: no known code page on {escpos_profile}")
    return str(name).lower().replace("_", "-")
