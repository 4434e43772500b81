"""Writes the small seed corpora of the parser and miner fuzz targets.

    python3 native/fuzz/make_corpus.py   (rewrites native/fuzz/corpus/{parser,miner}/)

Each seed follows its target's byte layout (see the comments in fuzz_parser.c
and fuzz_miner.c): a few header bytes for the options, then the data.
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent


def parser_seed(mode, n_columns, swaps, n_tz, tz, n_skus, sizes, text, limits=(0, 0, 0, 0, 0, 0)):
    """mode % 3 picks the delimiter (0 ',', 1 ';', 2 tab); bit 0x20: no customer column;
    swaps: the column permutation's draws (all i-th from the last: identity); limits:
    (1 = set them, time_min step + 2, window steps, 4 x quantity ceiling - 1,
    4 x weight ceiling - 1, weighed sku mask), the time steps of 20,000,000 s."""
    head = bytes([mode, n_columns - 4, *swaps, 0, n_tz, *tz, n_skus, len(sizes) - 1, *sizes, *limits])
    return head + text.encode()


CSV = (
    "b1,A,1,2024-03-01T10:00:00,c1\n"
    "b1,B,2,2024-03-01T10:00:05,c1\r\n"
    "b2,sku-3,1.5,2024-03-02T09:00:00+01:00,\n"
    "\n"
    "b2,A,0,2024-03-02 09:00:01,\n"
    "\"b3\",\"\"\"q\"\"\",1,2024-03-03T08:00:00Z,c2\n"
    "b4,unknown,1,2024-03-03T08:00:00,c2\n"
    "b4,B,x,not-a-time,c2,extra\n"
    "b5,\"x;y\",3,2024-02-30T00:00:00,\"c\"3\"\n"
)


def miner_seed(top_n, size_cap, min_count, workers, rank, n_items, baskets, times=True):
    head = [top_n, size_cap - 1, min_count, workers, 7, 0, 32, 5, 0, rank + 1,
            0 if rank != 1 else 5, 0, n_items + 1, 0, 0]
    body = [len(baskets)]
    for day, basket in enumerate(baskets):
        body += [len(basket), basket[0] + 1 if basket else 0]
        for a, b in zip(basket, basket[1:] + [basket[-1] + 1] if basket else []):
            body += [1, b - a - 1]
        body += [day % 40 + 5, day % 24]
    body += [0, 0, 1 if times else 0]
    body += [2, 1] * n_items   # count ranges of 3, worker 1
    return bytes(head + body)


def main():
    parser = HERE / "corpus" / "parser"
    miner = HERE / "corpus" / "miner"
    for d in (parser, miner):
        d.mkdir(parents=True, exist_ok=True)
        for f in d.iterdir():
            f.unlink()
    seeds = {
        "comma": parser_seed(0, 5, [4, 3, 2, 1], 0, [], 6, [7, 13, 31], CSV),
        "semicolon": parser_seed(1, 5, [4, 3, 2, 1], 0, [], 6, [64],
                                 CSV.replace(",", ";").replace("x;y", "x,y")),
        "tab_tz": parser_seed(2, 5, [4, 3, 2, 1], 2, [30, 7, 0, 33, 6, 0], 6, [1, 2, 3],
                              CSV.replace(",", "\t")),
        "no_customer": parser_seed(0x21, 4, [3, 2, 1], 0, [], 3, [5],
                                   "".join(",".join(line.split(",")[:4]) + "\n"
                                           for line in CSV.splitlines())),
        # 2024-03: from 85 x 20,000,000 s on for 1 step; ceilings 2 units and 1.5 kg, "B" weighed
        "limits": parser_seed(0, 5, [4, 3, 2, 1], 0, [], 6, [17], CSV, limits=(1, 87, 1, 7, 5, 2)),
        "shuffled": parser_seed(0, 6, [0, 1, 3, 0, 1], 1, [2, 5, 0], 6, [0, 9],
                                "z,c1,b1,2024-01-01T00:00:00,A,1\nz,c1,b1,2024-01-01T00:00:09,B,2\n"),
    }
    for name, data in seeds.items():
        (parser / name).write_bytes(data)
    miners = {
        "added_value": miner_seed(3, 5, 1, 2, 0, 8, [[0, 1, 2], [1, 2], [0, 2, 5, 7], [3, 4], [1, 2, 6]]),
        "damped": miner_seed(5, 2, 1, 1, 1, 6, [[0, 1], [0, 1, 2, 3, 4, 5], [2, 3]]),
        "balanced": miner_seed(2, 3, 2, 3, 2, 10, [[0, 1, 2], [0, 1], [0, 1, 9], [4, 5]], times=False),
        "empty": miner_seed(1, 2, 1, 1, 0, 0, []),
    }
    for name, data in miners.items():
        (miner / name).write_bytes(data)


if __name__ == "__main__":
    main()
