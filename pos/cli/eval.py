"""`pos eval`: offline evaluation of the engine against baselines (docs/evaluation.md).

``add_parser(subparsers)`` adds the subcommand; ``run(args) -> int`` runs it.
"""
from __future__ import annotations

import argparse
import shlex
import sys
import time
from pathlib import Path

from ..errors import EXIT_OK, PosError, UsageError
from .load import add_list_rank_arguments, check_list_rank
from .types import open_fraction, whole_number

DATASET_CHOICES = ("groceries", "online-retail", "retail-fimi", "all")
DEFAULT_CACHE = Path.home() / ".cache" / "pos-eval"
#: test (and validation) baskets per slice: keeps a full run of the three shared
#: datasets, 2 slices, every item hidden, near 10 minutes on 2 cores
DEFAULT_MAX_TEST = 3000


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "eval", help="evaluate suggestions against baselines on held-out baskets",
        description="Time-based hold-out in rolling slices: train on the baskets before a "
                    "test window, hide each item of each test basket in turn and see who "
                    "suggests it; the best baseline is chosen on a validation slice and the "
                    "engine compared with it basket by basket. Protocol: docs/evaluation.md.")
    p.add_argument("--dataset", choices=DATASET_CHOICES, default=None,
                   help="a shared real dataset (../shared/data), or all three "
                        "(default: all, unless --dump is given)")
    p.add_argument("--dump", type=Path, action="append", metavar="DIR",
                   help="evaluate this dump directory (may be repeated)")
    p.add_argument("--max-test", type=whole_number(1), default=DEFAULT_MAX_TEST, metavar="N",
                   help="at most N test baskets per slice, and as many validation baskets "
                        f"(a seeded sample; default {DEFAULT_MAX_TEST:,})")
    p.add_argument("--seed", type=int, default=1, help="seed of the sample, the hidden "
                                                       "items and the bootstrap (default 1)")
    p.add_argument("--protocol", choices=("every", "one"), default="every",
                   help="every: hide each item of a test basket in turn (at most 10), each "
                        "basket weighs 1 (default); one: one random item per basket (the "
                        "earlier protocol)")
    p.add_argument("--slices", type=whole_number(1), default=2, metavar="N",
                   help="rolling test windows, the latest first (default 2)")
    p.add_argument("--window", type=open_fraction, default=0.1, metavar="F",
                   help="each slice's test window, a fraction of the baskets (default 0.1)")
    p.add_argument("--markdown", type=Path, metavar="FILE",
                   help="also write the tables, the command and the date to FILE")
    p.add_argument("--no-mlxtend", action="store_true", help="skip the mlxtend rules baseline")
    p.add_argument("--no-engine", action="store_true", help="baselines only")
    p.add_argument("--ablation", action="store_true",
                   help="also run the engine with each named configuration of "
                        "ablation_configs()")
    p.add_argument("--prototypes", action="store_true",
                   help="also the evaluation-only prototypes (pos_tools/research/prototypes.py): "
                        "knn, engine+knn (its weight chosen on validation), engine+personal")
    p.add_argument("--knn-recent", type=whole_number(1), default=2500, metavar="M",
                   help="--prototypes: recent train baskets sharing an item with the query "
                        "(default 2,500)")
    p.add_argument("--knn-neighbours", type=whole_number(1), default=500, metavar="S",
                   help="--prototypes: the most similar of them that vote (default 500)")
    add_list_rank_arguments(p)         # how the train stores' lists are ranked, as pos load
    p.add_argument("--min-count", type=int, default=1, metavar="N",
                   help="build the train stores with pairs seen in at least N baskets "
                        "(pos load --min-count; default 1)")
    p.add_argument("--min-support", type=float, metavar="S",
                   help="mlxtend min_support (default: a pair seen in max(5, pair "
                        "occurrences / 600,000) train baskets; docs/evaluation.md)")
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE,
                   help=f"where converted datasets are kept (default {DEFAULT_CACHE})")
    p.set_defaults(run=run)
    return p


def _shared_dataset(name: str, cache: Path, log) -> Path:
    """The shared research dataset `name` as a dump (converted once into `cache`):
    a development tool, not on a till."""
    try:
        from pos_tools.bench.datasets import dataset_dump
    except ImportError:
        raise UsageError(f"--dataset {name}: the shared research datasets need pos's development "
                         "tools (scripts/bootstrap installs them); a store's own dump is "
                         "evaluated with --dump DIR") from None
    return dataset_dump(name, cache, log)


def _prototypes(m: int, s: int):
    """A factory of the research prototypes' rows, one per window: a development
    tool, not on a till."""
    try:
        from pos_tools.research.prototypes import PrototypeConfig, Prototypes
    except ImportError:
        raise UsageError("--prototypes: the research prototypes are development tools "
                         "(scripts/bootstrap installs them)") from None
    config = PrototypeConfig(m=m, s=s)
    return lambda: Prototypes(config)


def run(args) -> int:
    from rich.console import Console

    from ..evaluation.run import (
        ablation_configs,
        markdown,
        rich_table,
        row_notes,
        run_slices,
        validation_line,
        verdict,
    )

    err = Console(stderr=True, soft_wrap=True)
    out = Console(soft_wrap=True)
    if not out.is_terminal:
        out = Console(soft_wrap=True, width=160)

    def log(msg: str) -> None:
        err.print(f"[dim]{time.strftime('%H:%M:%S')}[/] {msg}", highlight=False)

    targets: list[tuple[str, Path | None]] = []
    dataset = args.dataset or (None if args.dump else "all")
    if dataset == "all":
        targets += [(n, None) for n in DATASET_CHOICES if n != "all"]
    elif dataset:
        targets.append((dataset, None))
    targets += [(d.name, d) for d in (args.dump or [])]

    ablation = ablation_configs() if args.ablation else None

    from ..load import LoadOptions

    check_list_rank(args.rank_damping, args.list_rank)

    prototypes = _prototypes(args.knn_recent, args.knn_neighbours) if args.prototypes else None

    results = []
    for name, dump in targets:
        try:
            if dump is None:
                dump = _shared_dataset(name, args.cache, log)
            slices = run_slices(dump, name, slices=args.slices, window=args.window,
                                seed=args.seed, max_test=args.max_test,
                                protocol=args.protocol, mlxtend=not args.no_mlxtend,
                                engine=not args.no_engine, ablation=ablation,
                                prototypes=prototypes,
                                min_support=args.min_support, log=log,
                                load_options=LoadOptions(rank_damping=args.rank_damping,
                                                         list_rank=args.list_rank,
                                                         min_count=args.min_count))
        except PosError as exc:
            exc.add_note(f"dataset {name}")
            raise
        for res in slices:
            results.append(res)
            out.print(rich_table(res))
            for line in row_notes(res):
                out.print(line, highlight=False, markup=False)
            out.print(validation_line(res), highlight=False, markup=False)
            out.print(verdict(res), highlight=False, markup=False)
            for note in res.notes:
                out.print(f"note: {note}", highlight=False, markup=False)
            out.print()
    if args.markdown:
        command = ("pos " + " ".join(shlex.quote(a) for a in sys.argv[1:])
                   if sys.argv and Path(sys.argv[0]).name == "pos"
                   else f"pos eval {_args_text(args)}".strip())
        args.markdown.write_text(markdown(results, command), encoding="utf-8")
        err.print(f"wrote {args.markdown}")
    return EXIT_OK


def _args_text(args) -> str:
    parts = []
    if args.dataset:
        parts += ["--dataset", args.dataset]
    for d in args.dump or []:
        parts += ["--dump", str(d)]
    if args.max_test != DEFAULT_MAX_TEST:
        parts += ["--max-test", str(args.max_test)]
    if args.seed != 1:
        parts += ["--seed", str(args.seed)]
    if args.protocol != "every":
        parts += ["--protocol", args.protocol]
    if args.slices != 2:
        parts += ["--slices", str(args.slices)]
    if args.window != 0.1:
        parts += ["--window", str(args.window)]
    if args.no_mlxtend:
        parts.append("--no-mlxtend")
    if args.no_engine:
        parts.append("--no-engine")
    if args.ablation:
        parts.append("--ablation")
    if args.prototypes:
        parts.append("--prototypes")
    if args.knn_recent != 2500:
        parts += ["--knn-recent", str(args.knn_recent)]
    if args.knn_neighbours != 500:
        parts += ["--knn-neighbours", str(args.knn_neighbours)]
    if args.rank_damping is not None:
        parts += ["--rank-damping", str(args.rank_damping)]
    if args.list_rank is not None:
        parts += ["--list-rank", args.list_rank]
    if args.min_count != 1:
        parts += ["--min-count", str(args.min_count)]
    if args.min_support is not None:
        parts += ["--min-support", str(args.min_support)]
    if args.markdown:
        parts += ["--markdown", str(args.markdown)]
    return " ".join(shlex.quote(p) for p in parts)
