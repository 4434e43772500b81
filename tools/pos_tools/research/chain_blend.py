"""Head office's lists on real baskets: the UCI Online Retail invoices, one
"store" per country, the chain's part mined from every country (issue 19).

    .venv/bin/python -m pos_tools.research.chain_blend [--countries Germany France EIRE]

Each country's store is the converted dump (pos_tools.bench.datasets: catalog,
customers, manifest) with only that country's baskets, and the chain's part
beside it, mined by `pos mine --per chain` with its holdout (`--holdout-days`,
default 60). Each store is loaded twice, `--mined blend` and `--mined use`;
the load's backtest splits at the holdout's cutoff and reports the three
sources of lists (lists:own, lists:head-office, lists:blend: HitRate@3 on
the store's baskets after the cutoff, and the paired 95 % interval of each
against the one in force). Prints one table; needs ../shared/data.
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from pos.cli import main as pos_main
from pos.load import LoadOptions, load_dump

from ..bench.datasets import dataset_dump, dataset_path


def countries_of_invoices() -> dict[str, str]:
    """InvoiceNo -> Country, from the shared file."""
    with gzip.open(dataset_path("online-retail"), "rt", encoding="utf-8-sig", newline="") as f:
        rows = csv.DictReader(f)
        return {r["InvoiceNo"].strip(): r["Country"].strip() for r in rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pos_tools.research.chain_blend",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--countries", nargs="+", default=["Germany", "France", "EIRE"])
    parser.add_argument("--holdout-days", default="60")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "pos-bench")
    args = parser.parse_args(argv)

    dump = dataset_dump("online-retail", args.cache)
    country = countries_of_invoices()
    manifest = json.loads((dump / "manifest.json").read_text())
    with (dump / "baskets.csv").open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        lines = list(reader)
    at_basket = header.index("basket_id")
    sizes = Counter(country[b] for b in {line[at_basket] for line in lines})

    work = Path(tempfile.mkdtemp(prefix="chain-blend-"))
    try:
        chain = work / "chain-lines.csv"
        with chain.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["basket_id", "sku", "timestamp", "store_id"])
            w.writerows((line[at_basket], line[header.index("sku")],
                         line[header.index("timestamp")], country[line[at_basket]])
                        for line in lines)
        assert pos_main(["mine", "--input", str(chain), "--out", str(work / "parts"),
                         "--per", "chain", "--ref-time", manifest["export_time"],
                         "--holdout-days", args.holdout_days]) == 0
        rows = []
        for name in args.countries:
            store = work / f"store-{name}"
            store.mkdir()
            for file in ("catalog.csv", "customers.csv", "manifest.json"):
                shutil.copy(dump / file, store / file)
            with (store / "baskets.csv").open("w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(header)
                w.writerows(line for line in lines if country[line[at_basket]] == name)
            shutil.copytree(work / "parts" / "chain" / "mined", store / "mined")
            for mode in ("blend", "use"):
                report = load_dump(store, work / f"{name}-{mode}.db", LoadOptions(mined=mode))
                choice = report.backtest
                assert choice is not None and choice.sources, (name, mode, report.notes)
                test = sum(s.baskets for s in choice.slices)
                cells = [name, f"{sizes[name]:,}", f"{test:,}", mode, choice.chosen]
                for source, figures in choice.sources.items():
                    mark = " (in force)" if source == choice.source else (
                        f" ({figures.diff * 100:+.1f} pp [{figures.low * 100:+.1f}, "
                        f"{figures.high * 100:+.1f}])")
                    cells.append(f"{source} {figures.hit3:.1%}{mark}")
                rows.append(cells)
        print("| store (country) | its baskets | test baskets | --mined | variant | sources: HitRate@3 |")
        print("|---|---|---|---|---|---|")
        for cells in rows:
            print("| " + " | ".join(cells[:5]) + " | " + "; ".join(cells[5:]) + " |")
        print(f"\nchain part: {sum(sizes.values()):,} baskets of {len(sizes)} countries")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
