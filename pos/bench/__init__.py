"""Benchmarks and evaluation helpers: datasets, synthetic dumps, baselines."""
