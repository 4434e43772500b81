"""The demo catalog's departments still written as code: each function adds its
department's products to a `Catalog` (pos/demo/products.py). The others are
data, pos/demo/data/departments/*.toml (pos/demo/assortment.py)."""
from __future__ import annotations

from . import electronics, groceries, nonfood

#: name -> the function that makes that department
CODED = {fn.__name__: fn
         for fn in (*electronics.DEPARTMENTS, *groceries.DEPARTMENTS, *nonfood.DEPARTMENTS)}
