"""The demo catalog's data files, pos/demo/data/*.toml, read from the package (so
they work from a wheel), each parsed once. Translations are written
"English|Norwegian|Swedish|Hungarian|Hebrew" and read with `names.X`."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files


@cache
def table(name):
    """The parsed data file pos/demo/data/<name>.toml (`name` may be a/b)."""
    path = files(__package__).joinpath("data", *f"{name}.toml".split("/"))
    return tomllib.loads(path.read_text(encoding="utf-8"))
