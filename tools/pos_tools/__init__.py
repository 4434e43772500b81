"""pos's development tools, installed beside pos by scripts/bootstrap and never
on a till: the benchmarks (`pos bench`, pos_tools.bench) and the converters of
the shared research datasets (pos_tools.bench.datasets)."""
