"""`pos bench BENCHMARK`: the benchmarks that print a table against their targets
and named baselines (docs/benchmarks.md holds the latest tables). They are
development tools (pos_tools.bench, installed by scripts/bootstrap): a till
without them says so."""
from __future__ import annotations

from ..errors import UsageError


def add_parser(sub) -> None:
    p = sub.add_parser("bench", help="benchmarks that print a table (load, suggest, learn, "
                                     "scanner, till, journal, report, mine)")
    try:
        from pos_tools.bench.commands import add_benchmarks
    except ImportError:
        p.set_defaults(run=_not_installed)
        return
    add_benchmarks(p.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True))


def _not_installed(args) -> int:
    raise UsageError("the benchmarks are development tools, not installed here "
                     "(scripts/bootstrap installs them with pos-tools)")
