"""Head office at chain scale (issue 19): the whole chain's baskets mined into
precomputed lists (`MinedLists`, pos.chain.lists) that a store's nightly load
takes from its dump's `mined/` part (pos.chain.part) instead of, or under, its
own mining. `pos mine` writes the parts; the native engine is here, the DuckDB
and Spark engines in pos.chain.engines.
"""
