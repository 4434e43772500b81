"""pos.chain.part_reader: the C reader of mined/neighbours.csv agrees with the
plain-Python reference (pos.chain.part.read_part) on generated parts, bad rows
included (the same entries accepted, the same problems, counts and notes), reads
numbers to the bits Python's float() gives, and pos_miner_restore_lists restores
a part as the one-item-at-a-time reference did. Runs under ASan too (scripts/test)."""
from __future__ import annotations

import gzip
import math
import struct
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pos.chain.lists import MinedLists, mine_native
from pos.chain.part import read_part, write_part
from pos.chain.part_reader import read_part_native
from pos.chain.prior import restore_lists
from pos.dump.catalog import Catalog
from pos.dump.problems import ProblemLog
from pos.errors import DumpError, NativeError
from pos.mining import MineParams, Miner

CARRIED = ["A", "B", "C", "D", "É"]
POOL = CARRIED + ["GONE", "Z", "", " A", "B "]       # rejected, unknown, empty, spaced
COUNTS = ["1", "2", "3", "0", "-1", "x", "007", "+2", " 2", "99", "1.0", ""]
TEXTS = ["1.5", "0", "-0.0", "nan", "inf", "1e400", "1_0", ".5", "5.", "1e-5", "abc", "",
         "0.30000000000000004", "1E3", "+1", " 2.5", "١"]
RAW = [b"", b"   ", b'"A",B,1,1.0,0.5', b"A,B,1", b"A,B,1,1.0,0.5,x", b"A,\xffB,1,1.0,0.5",
       b"A,B,1,1.0,0.5\r", b'A,"B,1,1.0,0.5', b"\t", b"A,B,1,1.0,\x000.5"]


def numbers() -> st.SearchStrategy[str]:
    floats = st.floats(min_value=0, max_value=1e6, allow_nan=False)
    return st.one_of(
        floats.map(repr),
        floats.map(lambda x: repr(struct.unpack("<f", struct.pack("<f", x))[0])),
        st.sampled_from(TEXTS),
        st.from_regex(r"[0-9]{0,22}(\.[0-9]{0,22})?([eE][+-]?[0-9]{1,3})?", fullmatch=True))


@st.composite
def rows(draw) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.sampled_from(RAW))
    sku = draw(st.sampled_from(POOL))
    partner = draw(st.sampled_from(POOL))
    count = draw(st.sampled_from(COUNTS) if kind == 1 else st.sampled_from(["1", "2", "3"]))
    return ",".join([sku, partner, count, draw(numbers()), draw(numbers())]).encode()


@st.composite
def good_lists(draw) -> list[bytes]:
    """Well-formed lists (scores falling), so that most rows are accepted."""
    out = []
    for sku in draw(st.lists(st.sampled_from(CARRIED), unique=True, max_size=5)):
        partners = draw(st.lists(st.sampled_from(CARRIED + ["Z"]), unique=True, max_size=4))
        score = draw(st.floats(min_value=0.5, max_value=100))
        for p in partners:
            score = score * draw(st.sampled_from([1.0, 0.9, 0.5, 1.1]))
            out.append(f"{sku},{p},{draw(st.sampled_from(['1', '2']))},"
                       f"{draw(numbers())},{score!r}".encode())
    return out


@st.composite
def parts(draw) -> dict:
    lines = draw(good_lists())
    for _ in range(draw(st.integers(0, 6))):
        lines.insert(draw(st.integers(0, len(lines))), draw(rows()))
    columns = ["sku", "partner", "count", "weight", "score"]
    order = draw(st.permutations(columns + (["note"] if draw(st.booleans()) else [])))
    delimiter = draw(st.sampled_from([",", ";"]))

    def reorder(line: bytes) -> bytes:
        fields = line.split(b",")
        if len(fields) != 5:
            return line.replace(b",", delimiter.encode())
        by = dict(zip(columns, fields))
        by["note"] = b"n"
        return delimiter.encode().join(by[c] for c in order)

    body = b"\n".join([delimiter.join(order).encode(), *map(reorder, lines)])
    body += draw(st.sampled_from([b"\n", b"", b"\r\n", b"\n\n"]))
    stats = {s: draw(st.integers(0, 3)) for s in CARRIED if draw(st.integers(0, 4))}
    return {"body": body, "stats": stats, "scope": draw(st.sampled_from(["store", "region"])),
            "top_n": draw(st.integers(1, 3)), "chunk": draw(st.sampled_from([3, 17, 64, 1 << 20])),
            "gzip": draw(st.integers(0, 5)) == 0}


def make_part(folder: Path, spec: dict) -> None:
    lists = MinedLists(scope=spec["scope"], name="north", params=MineParams(top_n=spec["top_n"]),
                       baskets=5, weight=5.0, items={}, neighbours={})
    out = write_part(lists, folder, "native")
    (out / "item_stats.csv").write_text(
        "sku,baskets,weight\n" + "".join(f"{s},{n},1.0\n" for s, n in spec["stats"].items()),
        encoding="utf-8")
    (out / "neighbours.csv").unlink()
    if spec["gzip"]:
        (out / "neighbours.csv.gz").write_bytes(gzip.compress(spec["body"]))
    else:
        (out / "neighbours.csv").write_bytes(spec["body"])


def catalog() -> Catalog:
    return Catalog(items={s: i for i, s in enumerate(CARRIED)}, rejected={"GONE": 7})


def both(folder: Path, chunk: int = 1 << 20):
    out = []
    for read in (read_part, lambda *a: read_part_native(*a, chunk_size=chunk).lists()):
        log, notes = ProblemLog(folder / "rejects.csv", threshold=1.0), []
        try:
            lists = read(folder, catalog(), log, notes)
        except DumpError as exc:
            out.append(("error", str(exc)))
            continue
        out.append((lists.items, lists.neighbours, [str(p) for p in log.shown],
                    {f: (t.rows, t.rejected) for f, t in log.tallies.items()}, notes))
    return out


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=parts())
def test_the_c_reader_agrees_with_the_reference(tmp_path_factory, spec):
    folder = tmp_path_factory.mktemp("part")
    make_part(folder, spec)
    reference, native = both(folder, spec["chunk"])
    assert native == reference


def test_a_real_part_reads_the_same(tmp_path):
    spec = {"body": b"sku,partner,count,weight,score\n"
                    b"A,B,1,0.5,0.9\nA,C,1,0.5,0.8\nA,C,1,0.5,0.7\nB,A,1,0.5,0.7\n"
                    b"A,D,1,0.5,0.6\nC,A,2,1.286458134651184,0.11076723784208298\n",
            "stats": {"A": 2, "B": 1, "C": 2, "D": 1}, "scope": "store", "top_n": 2,
            "chunk": 5, "gzip": False}
    make_part(tmp_path, spec)
    reference, native = both(tmp_path, 5)
    assert native == reference
    items, neighbours, shown, tallies, _ = native
    assert neighbours["A"] == [("B", 1, 0.5, 0.9), ("C", 1, 0.5, 0.8)]
    assert shown == ["mined/neighbours.csv:4: partner: partner 'C' is listed twice for sku 'A'",
                     "mined/neighbours.csv:6: sku: the rows of sku 'A' are not together "
                     "(its list started on line 2)"]
    assert tallies["mined/neighbours.csv"] == (6, 2)


@settings(max_examples=2000, deadline=None)
@given(text=numbers())
def test_numbers_read_to_pythons_bits(tmp_path_factory, text):
    try:
        value = float(text)
    except ValueError:
        return
    if not (0 < value < math.inf) or "_" in text:
        return
    folder = tmp_path_factory.mktemp("n")
    make_part(folder, {"body": f"sku,partner,count,weight,score\nA,B,1,{text},{text}\n".encode(),
                       "stats": {"A": 1, "B": 1}, "scope": "store", "top_n": 1,
                       "chunk": 1 << 20, "gzip": False})
    part = read_part_native(folder, catalog(), ProblemLog(folder / "r.csv")).lists()
    (_, _, weight, score), = part.neighbours["A"]
    assert struct.pack("<dd", weight, score) == struct.pack("<dd", value, value)


def test_digits_near_a_rounding_midpoint_read_exactly(tmp_path):
    # 17 significant digits around double midpoints (the long double path must give way)
    texts = ["9007199254740993", "9007199254740993.0", "1.0000000000000002220446049250313",
             "0.1000000000000000055511151231257827", "123456789012345678901e-5",
             "2.2250738585072014e-308", "4.9406564584124654e-324", "1e23", "8.589973e9"]
    body = "sku,partner,count,weight,score\n" + "".join(
        f"{s},B,1,{t},1\n" for s, t in zip(["A", "C", "D", "É"], texts))
    for i in range(0, len(texts), 4):
        body = "sku,partner,count,weight,score\n" + "".join(
            f"{s},B,1,{t},1\n" for s, t in zip(["A", "C", "D", "É"], texts[i:i + 4]))
        make_part(tmp_path, {"body": body.encode(), "stats": dict.fromkeys(CARRIED, 1),
                             "scope": "store", "top_n": 1, "chunk": 1 << 20, "gzip": False})
        part = read_part_native(tmp_path, catalog(), ProblemLog(tmp_path / "r.csv")).lists()
        for sku, text in zip(["A", "C", "D", "É"], texts[i:i + 4]):
            assert part.neighbours[sku][0][2] == float(text), text


def reference_restore(miner: Miner, part: MinedLists, items: dict[str, int], s: float) -> None:
    """pos.chain.prior.restore_lists as it was: one item at a time, Python tuples."""
    def f32(x: float) -> float:
        return float(struct.unpack("<f", struct.pack("<f", x))[0])

    def rnd(count: int) -> int:
        return int(math.floor(count * s + 0.5))

    miner.restore_totals(rnd(part.baskets), part.weight * s)
    for sku, (count, weight) in part.items.items():
        entries = [(items[p], rnd(c), w * s, f32(sc)) for p, c, w, sc in part.neighbours.get(sku, ())
                   if rnd(c) > 0]
        entries.sort(key=lambda e: (-e[3], e[0]))
        miner.restore_item(items[sku], rnd(count), weight * s, entries)


@settings(max_examples=200, deadline=None)
@given(s=st.sampled_from([1.0, 0.5, 0.25, 0.3333, 2.0, 0.0, 0.1]),
       scores=st.lists(st.sampled_from([0.5, 0.50000001, 0.7, 0.25, 1e-9]), min_size=4,
                       max_size=4),
       counts=st.lists(st.integers(1, 9), min_size=4, max_size=4))
def test_restore_lists_as_the_reference(s, scores, counts):
    skus = ["A", "B", "C", "D", "E"]
    items = {k: i for i, k in enumerate(skus)}
    part = MinedLists(scope="region", name="x", params=MineParams(top_n=4), baskets=20,
                      weight=17.5, items={k: (9, 4.25) for k in skus[:4]},
                      neighbours={"A": [(p, c, c * 0.75, sc) for p, c, sc in
                                        zip(["E", "C", "B", "D"], counts, scores)],
                                  "C": [("A", 3, 1.5, 0.125)]})
    got, want = Miner(5, MineParams(top_n=4)), Miner(5, MineParams(top_n=4))
    restore_lists(got, part, items, s)
    reference_restore(want, part, items, s)
    assert got.stats() == want.stats()
    assert got.item_counts() == want.item_counts()
    a, b = got.neighbour_lists(), want.neighbour_lists()
    assert [list(a.of(i)) for i in range(5)] == [list(b.of(i)) for i in range(5)]


def test_restore_lists_refuses_what_restore_item_refuses():
    part = MinedLists(scope="store", name="x", params=MineParams(top_n=2), baskets=3, weight=3.0,
                      items={"A": (1, 1.0), "B": (1, 1.0)},
                      neighbours={"A": [("B", 2, 1.0, 0.5)]})       # count above A's
    with pytest.raises(NativeError):
        restore_lists(Miner(2, MineParams(top_n=2)), part, {"A": 0, "B": 1})


@pytest.mark.parametrize("s", [1.0, 0.37])
def test_a_native_part_restores_as_its_lists_do(tmp_path, s):
    lines = [(f"b{i}", sku, 100 * i) for i in range(40)
             for sku in CARRIED[: 2 + i % 4]] + [("x", "A", 5), ("x", "É", 5)]
    mined = mine_native(lines, MineParams(top_n=3, half_life_days=2, ref_time=4000),
                        "store", "s1")
    write_part(mined, tmp_path, "native")
    native = read_part_native(tmp_path, catalog(), ProblemLog(tmp_path / "r.csv"))
    assert native.lists().neighbours == mined.neighbours and mined.neighbours
    items = catalog().items
    got, want = Miner(5, MineParams(top_n=3)), Miner(5, MineParams(top_n=3))
    restore_lists(got, native, items, s)
    reference_restore(want, mined, items, s)
    a, b = got.neighbour_lists(), want.neighbour_lists()
    assert [list(a.of(i)) for i in range(5)] == [list(b.of(i)) for i in range(5)]
    assert got.item_counts() == want.item_counts() and got.stats() == want.stats()
