"""cffi builder for the pos native core (API, out-of-line mode).

The declarations come from the public header, `pos_core.h`, so the header is the
one place the C API is written down. setuptools runs this through
`cffi_modules` at install time and produces the private module `pos._native`.

Run directly to build a variant elsewhere, e.g. the sanitizer build CI uses:
    python native/build_native.py --sanitize --out /tmp/asan
"""
from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from cffi import FFI

NATIVE_DIR = Path(__file__).resolve().parent
SOURCES = ["status.c", "parser.c", "miner.c", "history.c", "similar.c", "scorer.c", "part.c"]
WARNINGS = ["-Wall", "-Wextra", "-Werror"]
SANITIZE = ["-O1", "-g", "-fno-omit-frame-pointer", "-fsanitize=address,undefined"]


def header_cdef(path: Path = NATIVE_DIR / "pos_core.h") -> str:
    """The header minus what cffi's cdef cannot parse (includes, guards, comments)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            if re.match(r"#define\s+POS_\w+\s+\d+\s*$", stripped):
                lines.append(stripped)
            continue
        lines.append(line)
    return "\n".join(lines)


def make_builder(extra_compile_args: list[str] | None = None,
                 extra_link_args: list[str] | None = None,
                 replace: dict[str, str] | None = None, absolute: bool = False) -> FFI:
    """A builder for pos._native; `replace` maps a source name to another file.

    setuptools wants source paths relative to the project; a direct
    `ffi.compile` runs in its own directory and needs absolute ones."""
    builder = FFI()
    builder.cdef(header_cdef())
    rel = str(NATIVE_DIR) if absolute else os.path.relpath(NATIVE_DIR, Path.cwd())
    replace = replace or {}
    builder.set_source(
        "pos._native",
        '#include "pos_core.h"',
        sources=[os.path.abspath(replace[s]) if s in replace else os.path.join(rel, s)
                 for s in SOURCES],
        include_dirs=[rel],
        extra_compile_args=["-std=c11", "-O3", *WARNINGS, *(extra_compile_args or [])],
        extra_link_args=extra_link_args or [],
        libraries=["m"],
    )
    return builder


ffibuilder = make_builder()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="directory for the built module")
    parser.add_argument("--sanitize", action="store_true",
                        help="build with AddressSanitizer and UBSan")
    parser.add_argument("--replace", action="append", default=[], metavar="NAME=PATH",
                        help="compile PATH instead of native/NAME (e.g. a stub)")
    args = parser.parse_args()
    flags = SANITIZE if args.sanitize else []
    replace = dict(item.split("=", 1) for item in args.replace)
    builder = make_builder(flags, flags, replace, absolute=True)
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    print(builder.compile(tmpdir=str(out), verbose=False))


if __name__ == "__main__":
    main()
