"""The benchmarks (`pos bench`: commands.py, one *_bench.py per table), and what they
measure against: synthetic dumps, the shared datasets converted to dumps, counting
baselines."""
