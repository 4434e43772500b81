"""The store's catalog as the hub checks received sales against it (`pos hub
serve --db STORE.db`): a sale naming a sku the store does not have is refused.
The store is opened read-only; a store published again by `pos load` is seen at
the next check (the publication rewrites the same file in one transaction)."""
from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from ..store.catalog import unknown_skus
from ..store.reader import open_store


class StoreCatalog:
    """The skus of a published store. Raises StoreError (exit 5) when the store is
    missing or not a pos store."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.conn = open_store(self.path, check_same_thread=False)
        self._lock = threading.Lock()

    def unknown(self, skus: Iterable[str]) -> list[str]:
        with self._lock:
            return unknown_skus(self.conn, skus)

    def close(self) -> None:
        self.conn.close()
