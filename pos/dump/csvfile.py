"""Opening a dump's CSV files: .csv or .csv.gz, BOM, separator detection, header, rows.

A row is one physical line (the dump format does not let a quoted field span
lines), so every problem can name its line. Lines that are not UTF-8 are
reported by the caller as rows with an encoding problem, not as a failed file.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import DumpError

BOM = b"\xef\xbb\xbf"
DELIMITERS = (",", ";", "\t")
_BAD_BYTES = re.compile("[\udc80-\udcff]")
MAX_COLUMNS = 1024          # columns of a header, at most
MAX_FIELD = 4096            # characters of a field of a file read by read_rows, at most
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")   # not text (a tab is a separator)


def find(dump_dir: Path, stem: str) -> Path | None:
    """`stem`.csv or `stem`.csv.gz in the dump; both present is an error."""
    plain, packed = dump_dir / f"{stem}.csv", dump_dir / f"{stem}.csv.gz"
    if plain.exists() and packed.exists():
        raise DumpError(f"{plain.name} and {packed.name} are both in {dump_dir}: "
                        "remove one, the load will not guess which is meant")
    for path in (plain, packed):
        if path.exists():
            return path
    return None


class ByteStream:
    """A dump file's bytes, decompressed when gzipped, read in chunks.

    A gzip file that ends early or is corrupt raises DumpError naming the file
    and the line where the data stops.
    """

    def __init__(self, path: Path):
        self.path = path
        self.name = path.name
        self.bytes_read = 0
        self.lines_read = 0     # complete lines so far (for the truncation message)
        try:
            self._raw: io.BufferedReader = path.open("rb")
        except OSError as exc:      # a directory, no permission: the dump's fault, not the store's
            raise DumpError(f"{path.name}: cannot be read ({exc.strerror})") from None
        self._file: io.BufferedReader | gzip.GzipFile = (
            gzip.GzipFile(fileobj=self._raw) if path.suffix == ".gz" else self._raw)

    def read(self, size: int = 8 << 20) -> bytes:
        """Up to `size` bytes of (decompressed) text; b"" at the end."""
        if self._file is self._raw:
            try:
                chunk = self._raw.read(size)
            except OSError as exc:
                raise DumpError(f"{self.name}:{self.lines_read + 1}: row: cannot be read "
                                f"({exc.strerror})") from None
            self.bytes_read += len(chunk)
            self.lines_read += chunk.count(b"\n")
            return chunk
        parts, got = [], 0
        try:
            # read1 hands over what each compressed block gives, so a truncated
            # file still yields (and counts) the lines before the cut
            while got < size:
                part = self._file.read1(size - got)
                if not part:
                    break
                parts.append(part)
                got += len(part)
                self.bytes_read += len(part)
                self.lines_read += part.count(b"\n")
        except EOFError:
            raise DumpError(f"{self.name}:{self.lines_read + 1}: row: truncated gzip: the file "
                            f"ends before its compressed data does (after line "
                            f"{self.lines_read:,}, {self.bytes_read:,} bytes of text); "
                            "the transfer from head office was probably cut short") from None
        except (gzip.BadGzipFile, zlib.error, OSError) as exc:
            raise DumpError(f"{self.name}:{self.lines_read + 1}: row: not a readable gzip "
                            f"file ({exc})") from None
        return b"".join(parts)

    def readinto(self, buffer: memoryview) -> int:
        """Like read, into `buffer`: how many bytes; 0 at the end. A plain file is
        read without a copy, and its lines are not counted (a read error then
        names no line)."""
        if self._file is not self._raw:
            data = self.read(len(buffer))
            buffer[:len(data)] = data
            return len(data)
        try:
            n = self._raw.readinto(buffer)
        except OSError as exc:
            raise DumpError(f"{self.name}: row: cannot be read ({exc.strerror})") from None
        self.bytes_read += n
        return n

    def read_all(self) -> bytes:
        parts = []
        while chunk := self.read():
            parts.append(chunk)
        return b"".join(parts)

    def compressed_size(self) -> int:
        return self.path.stat().st_size

    def compressed_position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        self._file.close()
        self._raw.close()

    def __enter__(self) -> "ByteStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Header:
    file: str
    columns: tuple[str, ...]   # normalised: stripped, lower case
    delimiter: str
    length: int                # bytes of BOM + header line + its terminator

    def index(self, column: str) -> int:
        return self.columns.index(column) if column in self.columns else -1

    def require(self, *required: str) -> None:
        missing = [c for c in required if c not in self.columns]
        if missing:
            found = ", ".join(self.columns) or "none"
            if len(found) > 300:
                found = found[:300] + "..."
            raise DumpError(f"{self.file}:1: {missing[0]}: required column missing "
                            f"(required: {', '.join(required)}; found: {found})")


def detect_delimiter(line: str) -> str:
    """The separator used most often outside quotes (comma on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_header(name: str, start: bytes) -> Header:
    """The header from the first bytes of a file (which must hold the whole first line)."""
    offset = len(BOM) if start.startswith(BOM) else 0
    end = start.find(b"\n", offset)
    if end < 0:
        if not start[offset:].strip():
            raise DumpError(f"{name}: the file is empty (not even a header line)")
        end = len(start)
    raw = start[offset:end].rstrip(b"\r")
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DumpError(f"{name}:1: header: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                        "export the file as UTF-8") from None
    if not line.strip():
        raise DumpError(f"{name}:1: header: the first line is empty; it must name the columns")
    control = _CONTROL.search(line)
    if control and control.group() == "\r":
        raise DumpError(f"{name}:1: header: the lines end in CR alone (an old Mac export); "
                        "export the file with LF or CRLF line ends")
    if control and control.group() == "\x00":
        raise DumpError(f"{name}:1: header: NUL bytes, not text: the file is binary or was "
                        "zero-filled (a crash or a cut copy)")
    if control:
        raise DumpError(f"{name}:1: header: control character 0x{ord(control.group()):02x}: "
                        "not a CSV text file")
    delimiter = detect_delimiter(line)
    try:
        names = next(csv.reader([line], delimiter=delimiter))
    except csv.Error:       # a name longer than the csv module takes (128 KB): named below
        names = line.split(delimiter)
    columns = tuple(c.strip().lower() for c in names)
    if len(columns) > MAX_COLUMNS:
        raise DumpError(f"{name}:1: header: {len(columns):,} columns, more than the "
                        f"{MAX_COLUMNS:,} a dump file may have")
    seen: dict[str, int] = {}
    for index, column in enumerate(columns):
        if len(column) > MAX_FIELD:
            raise DumpError(f"{name}:1: column {index + 1}: '{column[:40]}...' is {len(column):,} "
                            f"characters long, more than {MAX_FIELD:,}; not a header line")
        if column in seen and not column:
            raise DumpError(f"{name}:1: column {index + 1}: has no name, nor has column "
                            f"{seen[column] + 1}; every column needs a name")
        if column in seen:
            raise DumpError(f"{name}:1: {column}: column named twice in the header")
        seen[column] = index
    return Header(name, columns, delimiter, min(end + 1, len(start)))


@dataclass(frozen=True)
class Row:
    line: int
    fields: dict[str, str] | None   # None when the row could not be split
    raw: str                        # the line as read (undecodable bytes escaped)
    problem: tuple[str | None, str] | None = None  # (column, reason) that prevents reading it

    @property
    def problems(self) -> list[tuple[str | None, str]]:
        """The problem that prevents reading the row, as the reject file lists them."""
        return [] if self.problem is None else [self.problem]


def _field_problem(fields: list[str], header: Header) -> tuple[str | None, str] | None:
    """A NUL byte or an overlong field in a split row (None when there is neither)."""
    for index, value in enumerate(fields):
        column = header.columns[index] if index < len(header.columns) else None
        if "\x00" in value:
            return column, "a NUL byte (0x00): the file is damaged or not text"
        if len(value) > MAX_FIELD:
            return column, (f"'{value[:40]}...' is {len(value):,} characters long, "
                            f"more than {MAX_FIELD:,}")
    return None


def _locate_bad_bytes(fields: list[str], header: Header) -> tuple[str | None, str]:
    for index, value in enumerate(fields):
        match = _BAD_BYTES.search(value)
        if match:
            byte = ord(match.group()) - 0xDC00
            column = header.columns[index] if index < len(header.columns) else None
            return column, f"not valid UTF-8 (byte 0x{byte:02x}); export the file as UTF-8"
    return None, "not valid UTF-8"


def read_lines(path: Path) -> tuple[Header, list[str], bool]:
    """The header, the data lines (split at LF, CRs kept; undecodable bytes
    escaped) of a small dump file (all read at once), and whether any line
    holds undecodable bytes; split_row makes a line a Row."""
    with ByteStream(path) as stream:
        data = stream.read_all()
    header = read_header(path.name, data)
    text = data[header.length:].decode("utf-8", errors="surrogateescape")
    return header, text.split("\n"), bool(_BAD_BYTES.search(text))


def read_rows(path: Path) -> tuple[Header, Iterator[Row]]:
    """The header and every non-empty data row of a small dump file (all read at once)."""
    header, lines, suspect = read_lines(path)

    def rows() -> Iterator[Row]:
        for line_no, line in enumerate(lines, start=2):
            row = split_row(header, line_no, line, suspect)
            if row is not None:
                yield row

    return header, rows()


def split_row(header: Header, line_no: int, line: str, suspect: bool = True) -> Row | None:
    """One line of a dump file (its terminator removed; undecodable bytes
    escaped, as read_rows decodes) as a Row; None for an empty line. `suspect`
    False: the file is known to hold no undecodable bytes."""
    line = line.rstrip("\r")
    if not line.strip():
        return None
    n_columns = len(header.columns)
    if '"' not in line:
        fields = line.split(header.delimiter)
    else:
        try:
            fields = next(csv.reader([line], delimiter=header.delimiter, strict=True))
        except csv.Error:   # or a field longer than the csv module takes (128 KB)
            long = (_field_problem(line.split(header.delimiter), header)
                    if len(line) > MAX_FIELD else None)
            return Row(line_no, None, line, long or (None, "a quote is not closed on this line"))
    if suspect and _BAD_BYTES.search(line):
        return Row(line_no, None, line, _locate_bad_bytes(fields, header))
    if len(fields) != n_columns:
        return Row(line_no, None, line, (None, f"expected {n_columns} fields, found {len(fields)}"))
    if len(line) > MAX_FIELD or "\x00" in line:
        problem = _field_problem(fields, header)
        if problem is not None:
            return Row(line_no, None, line, problem)
    return Row(line_no, dict(zip(header.columns, (f.strip() for f in fields))), line)
