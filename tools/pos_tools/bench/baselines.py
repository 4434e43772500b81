"""Named baselines the loader's C pair counting is compared with in the load benchmark.

Both count, over the baskets of a dump, how many baskets hold each unordered
pair of distinct skus (a sku repeated in a basket counts once; quantities do
not matter), then keep for every item its ``top_n`` neighbours by count (ties
-> the smaller sku). Basket lines whose sku is not in catalog.csv are left out,
as the loader refuses them.

* ``duckdb_pair_counts``: DuckDB reads the CSV files itself and does it all in
  SQL (dedupe, self-join, GROUP BY, ROW_NUMBER window), materialised as tables.
  DuckDB is a bench extra (``pip install pos[bench]``), imported lazily.
* ``python_pair_counts``: plain Python (csv module, Counter of
  itertools.combinations, heapq), optionally stopped after ``limit_seconds``
  and then extrapolated -- its result says so (``complete=False``).

Both return a ``BaselineResult``; ``return_pairs=True`` adds the raw counts as
``{(sku_a, sku_b): count}`` with ``sku_a < sku_b`` (for small inputs: tests),
``return_neighbours=True`` the per-item lists ``{sku: [(other, count), ...]}``.
"""
from __future__ import annotations

import csv
import gzip
import heapq
import itertools
import os
import shutil
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from pos.dump.csvfile import ByteStream, find, read_header
from pos.errors import DumpError, PosError

__all__ = ["BaselineResult", "BaselineUnavailable", "duckdb_pair_counts", "python_pair_counts"]


class BaselineUnavailable(PosError):
    """A baseline's optional dependency (DuckDB) is not installed."""


@dataclass
class BaselineResult:
    """Timings and sizes of one baseline run."""

    name: str
    #: seconds per phase: "read", "count", "topn"
    phases: dict[str, float] = field(default_factory=dict)
    n_baskets: int = 0
    #: distinct unordered pairs with a count >= 1
    n_pairs: int = 0
    #: rows of the per-item top-n neighbour lists (each pair gives up to two)
    n_neighbour_rows: int = 0
    #: False when stopped by a time limit: the counts cover part of the baskets
    complete: bool = True
    baskets_processed: int = 0
    #: for an incomplete run: estimated seconds for the whole input
    extrapolated_seconds: float | None = None
    note: str = ""
    threads: int | None = None
    pairs: dict[tuple[str, str], int] | None = None
    neighbours: dict[str, list[tuple[str, int]]] | None = None

    @property
    def total_seconds(self) -> float:
        return sum(self.phases.values())

    def summary(self) -> str:
        ph = ", ".join(f"{k} {v:.2f}s" for k, v in self.phases.items())
        s = (f"{self.name}: {self.total_seconds:.2f}s ({ph}); {self.n_baskets} baskets, "
             f"{self.n_pairs} pairs, {self.n_neighbour_rows} neighbour rows")
        if not self.complete:
            est = (f"{self.extrapolated_seconds:.1f}s" if self.extrapolated_seconds is not None
                   else "unknown")
            s += (f"; INCOMPLETE: {self.baskets_processed}/{self.n_baskets} baskets, "
                  f"extrapolated {est}")
        if self.note:
            s += f" [{self.note}]"
        return s


# --------------------------------------------------------------------------
# dump files


def _dump_file(dump_dir: Path, stem: str) -> Path:
    path = find(dump_dir, stem)
    if path is None:
        raise DumpError(f"{dump_dir}: no {stem}.csv or {stem}.csv.gz")
    return path


def _open_text(path: Path):
    if path.name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _header(path: Path) -> tuple[list[str], str]:
    """The normalised column names and the separator of a dump CSV file."""
    with ByteStream(path) as stream:
        header = read_header(path.name, stream.read(1 << 16))
    return list(header.columns), header.delimiter


def _column(names: list[str], want: str, path: Path) -> int:
    try:
        return names.index(want)
    except ValueError:
        raise DumpError(f"{path}: no column {want!r}") from None


# --------------------------------------------------------------------------
# DuckDB


def _duckdb():
    try:
        import duckdb
    except ImportError:
        raise BaselineUnavailable(
            "the DuckDB baseline needs the duckdb package (a bench extra: "
            "pip install 'pos[bench]' or pip install duckdb)") from None
    return duckdb


def _sql_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _read_csv_sql(path: Path) -> tuple[str, list[str]]:
    names, sep = _header(path)
    cols = []
    for i, n in enumerate(names):
        n = n or f"column{i}"
        while n in cols:
            n += "_"
        cols.append(n)
    columns = "{" + ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in cols) + "}"
    return (f"read_csv({_sql_str(str(path))}, header = true, delim = {_sql_str(sep)}, "
            f"quote = '\"', escape = '\"', columns = {columns}, auto_detect = false)"), cols


def duckdb_pair_counts(dump_dir, top_n: int = 100, threads: int | None = None, *,
                       return_pairs: bool = False, return_neighbours: bool = False,
                       memory_limit: str | None = None) -> BaselineResult:
    """Pair counts and top-``top_n`` neighbours of a dump, computed by DuckDB.

    Phases: ``read`` (read catalog.csv and baskets.csv, number the skus in sku
    order, keep distinct (basket, item)), ``count`` (self-join on the basket
    with a < b, GROUP BY the pair), ``topn`` (both directions of every pair,
    ROW_NUMBER() OVER (PARTITION BY item ORDER BY count DESC, other)).
    """
    duckdb = _duckdb()
    dump = Path(dump_dir)
    cat_src, _ = _read_csv_sql(_dump_file(dump, "catalog"))
    bas_path = _dump_file(dump, "baskets")
    bas_src, bas_cols = _read_csv_sql(bas_path)
    for c in ("basket_id", "sku"):
        if c not in bas_cols:
            raise DumpError(f"{bas_path}: no column {c!r}")
    tmpdir = tempfile.mkdtemp(prefix="pos-duckdb-")
    con = duckdb.connect(":memory:", config={"temp_directory": tmpdir})
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute(f"SET memory_limit = {_sql_str(memory_limit)}")
        con.execute("SET preserve_insertion_order = false")
        used_threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        res = BaselineResult("duckdb", threads=int(used_threads))

        t = time.perf_counter()
        con.execute(f"""
            CREATE TABLE items AS
            SELECT sku, (row_number() OVER (ORDER BY sku) - 1)::INTEGER AS item
            FROM (SELECT DISTINCT trim(sku) AS sku FROM {cat_src} WHERE trim(sku) <> '')""")
        con.execute(f"""
            CREATE TABLE lines AS
            SELECT DISTINCT b.basket_id AS basket, i.item
            FROM (SELECT trim(basket_id) AS basket_id, trim(sku) AS sku FROM {bas_src}) b
            JOIN items i USING (sku)""")
        # integer basket ids make the self-join cheaper (row_number() OVER () is
        # cheap; dense_rank() OVER (ORDER BY basket) costs more than it saves)
        con.execute("""
            CREATE TABLE bids AS
            SELECT basket, (row_number() OVER ())::INTEGER AS bid
            FROM (SELECT DISTINCT basket FROM lines)""")
        con.execute("""
            CREATE TABLE bl AS
            SELECT b.bid AS basket, l.item FROM lines l JOIN bids b USING (basket)""")
        res.n_baskets = con.execute("SELECT count(*) FROM bids").fetchone()[0]
        con.execute("DROP TABLE lines")
        con.execute("DROP TABLE bids")
        res.phases["read"] = time.perf_counter() - t

        t = time.perf_counter()
        con.execute("""
            CREATE TABLE pairs AS
            SELECT x.item AS a, y.item AS b, count(*)::INTEGER AS cnt
            FROM bl x JOIN bl y ON x.basket = y.basket AND x.item < y.item
            GROUP BY x.item, y.item""")
        res.n_pairs = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
        res.phases["count"] = time.perf_counter() - t

        t = time.perf_counter()
        con.execute(f"""
            CREATE TABLE top AS
            SELECT item, other, cnt FROM (
                SELECT item, other, cnt,
                       row_number() OVER (PARTITION BY item ORDER BY cnt DESC, other) AS rn
                FROM (SELECT a AS item, b AS other, cnt FROM pairs
                      UNION ALL
                      SELECT b AS item, a AS other, cnt FROM pairs))
            WHERE rn <= {int(top_n)}""")
        res.n_neighbour_rows = con.execute("SELECT count(*) FROM top").fetchone()[0]
        res.phases["topn"] = time.perf_counter() - t
        res.baskets_processed = res.n_baskets

        if return_pairs:
            rows = con.execute("""
                SELECT ia.sku, ib.sku, p.cnt FROM pairs p
                JOIN items ia ON ia.item = p.a JOIN items ib ON ib.item = p.b""").fetchall()
            res.pairs = {(a, b): c for a, b, c in rows}
        if return_neighbours:
            rows = con.execute("""
                SELECT ia.sku, ib.sku, t.cnt FROM top t
                JOIN items ia ON ia.item = t.item JOIN items ib ON ib.item = t.other
                ORDER BY t.item, t.cnt DESC, t.other""").fetchall()
            nb: dict[str, list] = defaultdict(list)
            for a, b, c in rows:
                nb[a].append((b, c))
            res.neighbours = dict(nb)
        return res
    finally:
        con.close()
        shutil.rmtree(tmpdir, ignore_errors=True)


# --------------------------------------------------------------------------
# plain Python


def _read_dump_baskets(dump: Path, deadline: float | None) -> tuple[list[list[str]], float]:
    """Baskets of a dump as lists of skus (catalog skus only), and the share of
    baskets.csv read (1.0 unless cut by the deadline; then estimated from the
    file position)."""
    cat_path = _dump_file(dump, "catalog")
    names, sep = _header(cat_path)
    i_sku = _column(names, "sku", cat_path)
    with _open_text(cat_path) as f:
        r = csv.reader(f, delimiter=sep)
        next(r, None)
        known = {row[i_sku].strip() for row in r if len(row) > i_sku}
    known.discard("")

    path = _dump_file(dump, "baskets")
    names, sep = _header(path)
    i_b, i_s = _column(names, "basket_id", path), _column(names, "sku", path)
    need = max(i_b, i_s)
    baskets: dict[str, list[str]] = {}
    share = 1.0
    with _open_text(path) as f:
        r = csv.reader(f, delimiter=sep)
        next(r, None)
        for n, row in enumerate(r):
            if len(row) <= need:
                continue
            sku = row[i_s].strip()
            if sku not in known:
                continue
            b = row[i_b].strip()
            lst = baskets.get(b)
            if lst is None:
                baskets[b] = [sku]
            else:
                lst.append(sku)
            if deadline is not None and n % 65536 == 65535 and time.perf_counter() > deadline:
                raw = getattr(f.buffer, "fileobj", None) or f.buffer  # gzip: compressed position
                share = min(1.0, max(raw.tell(), 1) / max(os.path.getsize(path), 1))
                break
    return list(baskets.values()), share


def python_pair_counts(baskets, top_n: int = 100, limit_seconds: float | None = None, *,
                       return_pairs: bool = False,
                       return_neighbours: bool = False) -> BaselineResult:
    """Pair counts and top-``top_n`` neighbours in plain Python.

    ``baskets`` is a dump directory (str or Path: baskets.csv is read with the
    csv module, lines grouped by basket_id) or an iterable of item lists.
    Skus are numbered, each basket deduplicated and sorted, and
    ``Counter.update(itertools.combinations(basket, 2))`` counts the pairs;
    ``heapq.nsmallest`` picks each item's neighbours.

    With ``limit_seconds``, reading stops after half of it and counting once
    all of it has passed (checked between baskets); the result then has
    ``complete=False``, ``baskets_processed`` (baskets counted) and
    ``extrapolated_seconds``: read time / share of the file read + (count
    time + top-n time on the partial counts) / share of the pair occurrences
    counted -- a linear estimate, and an optimistic one for memory, since the
    full dict of pairs may not fit). n_baskets is then the baskets read.
    """
    t_start = time.perf_counter()
    deadline = t_start + limit_seconds if limit_seconds is not None else None
    res = BaselineResult("python")
    notes = []

    # read: baskets as sorted lists of distinct item numbers
    t = time.perf_counter()
    read_share = 1.0
    if isinstance(baskets, (str, os.PathLike)):
        read_deadline = t_start + limit_seconds / 2 if limit_seconds is not None else None
        raw, read_share = _read_dump_baskets(Path(baskets), read_deadline)
    else:
        raw = baskets
    ids: dict[str, int] = {}
    skus: list[str] = []
    lists: list[list[int]] = []
    for items in raw:
        s = set()
        for it in items:
            i = ids.get(it)
            if i is None:
                i = ids[it] = len(skus)
                skus.append(it)
            s.add(i)
        if s:
            lists.append(sorted(s))
    res.n_baskets = len(lists)
    res.phases["read"] = time.perf_counter() - t

    # count
    t = time.perf_counter()
    counts: Counter = Counter()
    update = counts.update
    combinations = itertools.combinations
    done = 0
    count_complete = True
    for lst in lists:
        if deadline is not None and done % 256 == 0 and time.perf_counter() > deadline:
            count_complete = False
            break
        if len(lst) > 1:
            update(combinations(lst, 2))
        done += 1
    res.phases["count"] = time.perf_counter() - t
    res.baskets_processed = done
    res.n_pairs = len(counts)

    # top-n per item, ties -> the smaller sku
    t = time.perf_counter()
    adj: dict[int, list] = defaultdict(list)
    for (a, b), c in counts.items():
        adj[a].append((-c, skus[b], b))
        adj[b].append((-c, skus[a], a))
    top = {a: heapq.nsmallest(top_n, lst) for a, lst in adj.items()}
    res.n_neighbour_rows = sum(len(v) for v in top.values())
    res.phases["topn"] = time.perf_counter() - t

    if not count_complete or read_share < 1.0:
        res.complete = False
        work_all = sum(len(lst) * (len(lst) - 1) // 2 for lst in lists)
        work_done = sum(len(lst) * (len(lst) - 1) // 2 for lst in lists[:done])
        share = work_done / work_all if work_all else 1.0
        if read_share < 1.0:
            notes.append(f"INCOMPLETE: read about {read_share:.1%} of baskets.csv "
                         f"in {res.phases['read']:.1f}s")
        if share and share * read_share > 0:
            res.extrapolated_seconds = (res.phases["read"] / read_share
                                        + (res.phases["count"] + res.phases["topn"])
                                        / (share * read_share))
        notes.append(
            f"INCOMPLETE: stopped after {limit_seconds:g}s having counted {done} of "
            f"{len(lists)} baskets read ({share:.1%} of their pair occurrences); the pair "
            "and neighbour numbers are of that part; extrapolated_seconds scales the "
            "phase times linearly")
    res.note = "; ".join(notes)

    if return_pairs:
        res.pairs = {}
        for (a, b), c in counts.items():
            sa, sb = skus[a], skus[b]
            res.pairs[(sa, sb) if sa < sb else (sb, sa)] = c
    if return_neighbours:
        res.neighbours = {skus[a]: [(s, -c) for c, s, _ in v]
                          for a, v in sorted(top.items(), key=lambda kv: skus[kv[0]])}
    return res
