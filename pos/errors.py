"""The package's exceptions: every failure a caller may handle has its own type."""


class PosError(Exception):
    """Base of every error the pos package raises on purpose."""


class NativeError(PosError):
    """The C core returned a failure status."""

    def __init__(self, status: int, message: str, call: str = ""):
        self.status = status
        self.call = call
        super().__init__(f"{call}: {message}" if call else message)


class DumpError(PosError):
    """The dump cannot be loaded at all (a missing file or column, a truncated gzip...)."""


class LoadRefused(PosError):
    """The dump was read but the load was refused: too many bad rows, or a check failed."""


class LoadBusy(PosError):
    """Another load holds the store's lock."""


class StoreError(PosError):
    """The store file is missing, corrupt, or of another schema version."""


class ConfigError(PosError, ValueError):
    """A setting with a bad value: store.toml's (the message names the file and
    the field) or a scanner decoder's (the message names the field)."""
