"""The package's exceptions, and the exit code each one gives a command.

Every failure a caller may handle has its own type, and every type a command
can report is a PosError carrying its `exit_code`: pos.cli.main maps an error
to its code and one line on stderr, the same for every command. EXIT_CODES is
the table the README shows.
"""

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_BUSY = 4
EXIT_STORE = 5
EXIT_CONFIG = 6
EXIT_INTERRUPTED = 130

#: code -> what it means, for every `pos` command (the README's table)
EXIT_CODES = {
    EXIT_OK: "done",
    EXIT_BUG: "unexpected internal error: a bug (the traceback is printed; please report it)",
    EXIT_USAGE: "wrong usage: an unknown option, a missing or bad argument, options that "
                "contradict each other, an output file that exists",
    EXIT_REFUSED: "input refused: the dump (a missing file or column, too many bad rows, "
                  "unreadable data); nothing was changed",
    EXIT_BUSY: "another load is running on the same store",
    EXIT_STORE: "a store or journal is missing, damaged, or cannot be written or published "
                "(disk full); the store hub cannot be reached",
    EXIT_CONFIG: "a setting is wrong: store.toml, a scanner profile, a currency; the message "
                 "names the file and the field",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C); a load leaves the published store unchanged",
}


class PosError(Exception):
    """Base of every error the pos package raises on purpose. `exit_code`: what a
    command exits with when this error ends it."""
    exit_code = EXIT_BUG


class UsageError(PosError):
    """A command was asked for something it cannot do as asked: a bad option
    value, options that contradict each other (the message names the option)."""
    exit_code = EXIT_USAGE


class NativeError(PosError):
    """The C core returned a failure status."""

    def __init__(self, status: int, message: str, call: str = ""):
        self.status = status
        self.call = call
        super().__init__(f"{call}: {message}" if call else message)


class DumpError(PosError):
    """The dump cannot be loaded at all (a missing file or column, a truncated gzip...)."""
    exit_code = EXIT_REFUSED


class LoadRefused(PosError):
    """The dump was read but the load was refused: too many bad rows, or a check failed."""
    exit_code = EXIT_REFUSED


class LoadBusy(PosError):
    """Another load holds the store's lock."""
    exit_code = EXIT_BUSY


class StoreError(PosError):
    """The store file is missing, corrupt, or of another schema version."""
    exit_code = EXIT_STORE


class ConfigError(PosError, ValueError):
    """A setting with a bad value: store.toml's (the message names the file and
    the field), a scanner profile's, or a scanner decoder's (the message names
    the field)."""
    exit_code = EXIT_CONFIG
