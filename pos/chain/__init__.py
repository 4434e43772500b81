"""Head office at chain scale (issue 19): the whole chain's baskets mined into
neighbour lists per store, per region or for the chain (`lists.MinedLists`), by
the C miner or by the engines in `engines` (DuckDB on one server, Spark on a
cluster). Never imported by a till."""
