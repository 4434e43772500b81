"""The `pos` command: one module per sub-command, each a thin parser over the
library (it parses its arguments, calls the library, prints the result).

`main` maps what a command raises to its exit code, the same for every command:
a PosError gives its `exit_code` (pos.errors.EXIT_CODES, the README's table)
and one line on stderr, `pos COMMAND: message`; anything else is a bug and
keeps its traceback (exit 1).
"""
from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import EXIT_INTERRUPTED, PosError

COMMANDS = ("load", "info", "demo", "till", "suggest", "eval", "bench", "scanner", "report",
            "export", "hub", "mine")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pos", description="Suggestion terminal for shop tills.",
        epilog="Exit codes (every command): 0 done, 1 bug, 2 usage, 3 input refused, "
               "4 another load running, 5 store or journal not readable or writable, "
               "6 a bad setting, 130 interrupted.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command",
                                required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def error_line(command: str, exc: PosError) -> str:
    """`pos COMMAND: message (note; note)`, on one line."""
    notes = getattr(exc, "__notes__", None)
    text = f"pos {command}: {exc}" + (f" ({'; '.join(notes)})" if notes else "")
    return " ".join(text.split("\n"))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except PosError as exc:
        print(error_line(args.command, exc), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        unchanged = "; the published store is unchanged" if args.command in ("load", "demo") else ""
        print(f"pos {args.command}: interrupted{unchanged}", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
