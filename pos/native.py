"""Access to the compiled C core (`pos._native`) and its status checking.

Every call into the core goes through `check`, which turns a failure status into
a `NativeError` carrying the core's own message. The environment variable
POS_NATIVE_MODULE may name another build of the module (the sanitizer build
the native tests run under).
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

from .errors import NativeError


def _load():
    override = os.environ.get("POS_NATIVE_MODULE")
    if not override:
        from . import _native
        return _native
    loader = importlib.machinery.ExtensionFileLoader("pos._native", override)
    spec = importlib.util.spec_from_file_location("pos._native", override, loader=loader)
    assert spec is not None             # a location and a loader always make one
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    sys.modules["pos._native"] = module
    return module


_native = _load()
ffi = _native.ffi
lib = _native.lib


def check(status: int, call: str = "") -> None:
    """Raise NativeError for any status but POS_OK."""
    if status != lib.POS_OK:
        raise NativeError(status, ffi.string(lib.pos_strerror(status)).decode(), call)
