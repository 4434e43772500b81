"""The chain-scale mining engines: `duckdb` (SQL on one server) and `spark`
(DataFrames on any Spark cluster), each `mine(input_path, params, per)` yielding
one `pos.chain.lists.MinedLists` per store, per region or for the chain, with
the C miner's results (docs/chain-engines.md). `common` holds what they share."""
