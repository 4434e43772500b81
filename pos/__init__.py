"""pos: a suggestion terminal for shop tills.

The nightly load (`pos load`) turns a head-office dump into a store; the rest of
the package reads that store.
"""
__version__ = "0.1.0"
