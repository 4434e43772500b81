"""The store: the SQLite file a nightly load builds and the till reads (SQL lives here only)."""
