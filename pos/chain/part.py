"""A dump's `mined/` part: precomputed lists written by `pos mine` and read,
row by row checked, by `pos load` (docs/dump-format.md, "Precomputed lists").

`write_part(lists, directory, engine)` writes DIRECTORY/mined/ (item_stats.csv,
neighbours.csv, manifest.json), or DIRECTORY/mined/holdout/ for a holdout part
(the same files, mined from the baskets before the cutoff);
`read_part(directory, catalog, log)` reads it back as MinedLists (and
`read_holdout` the holdout, checked against the part), the plain-Python
reference of what `pos load` does with pos.chain.part_reader's C reader: a bad
row is rejected into the ProblemLog
(`mined/neighbours.csv:12: count: ...`) and counts toward the bad-row
threshold; a bad manifest refuses the dump (DumpError). Floats are written with
repr, so they read back to the same bits.
"""
from __future__ import annotations

import csv
import json
import math
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol

from ..dump.catalog import Catalog
from ..dump.csvfile import MAX_FIELD, Row, find, read_lines, read_rows, split_row
from ..dump.fields import FieldError, parse_int, parse_time
from ..dump.problems import ProblemLog
from ..dump.rowcheck import RowCheck
from ..errors import DumpError
from ..mining import MineParams
from .lists import SCOPES, Holdout, MinedLists

PART = "mined"
HOLDOUT = "holdout"             # mined/holdout/: the part mined from the baskets before the cutoff
FORMAT_VERSION = 1
ENGINES = ("native", "duckdb", "spark")
NEIGHBOUR_COLUMNS = ("sku", "partner", "count", "weight", "score")
PARAMS = ("top_n", "size_cap", "min_count", "half_life_days", "shrinkage", "list_rank",
          "rank_damping")


def iso_utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def manifest_json(lists: MinedLists, engine: str) -> dict[str, Any]:
    p = lists.params
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION, "scope": lists.scope, "name": lists.name,
        "baskets": lists.baskets, "weight": lists.weight, "ref_time": iso_utc(p.ref_time),
        "engine": engine,
        "params": {"top_n": p.top_n, "size_cap": p.size_cap, "min_count": p.min_count,
                   "half_life_days": float(p.half_life_days), "shrinkage": float(p.shrinkage),
                   "list_rank": p.rank, "rank_damping": p.rank_damping}}
    h = lists.holdout
    if lists.held_out and h is not None:
        data.update(holdout=True, cutoff=iso_utc(h.cutoff), holdout_days=float(h.days))
    elif h is not None:
        data["holdout"] = {"days": float(h.days), "cutoff": iso_utc(h.cutoff), "folder": HOLDOUT}
    return data


def write_part(lists: MinedLists, directory: Path, engine: str) -> Path:
    """Writes DIRECTORY/mined/ from `lists` (made by `engine`), or DIRECTORY/mined/holdout/
    when `lists` is a holdout part; returns that folder. A full part without a
    holdout removes a holdout folder left by an earlier run."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if lists.held_out and lists.holdout is None:
        raise ValueError("a holdout part needs its holdout (days, cutoff)")
    out = Path(directory) / PART / (HOLDOUT if lists.held_out else "")
    out.mkdir(parents=True, exist_ok=True)
    if not lists.held_out and lists.holdout is None and (out / HOLDOUT).is_dir():
        shutil.rmtree(out / HOLDOUT)
    with (out / "item_stats.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("sku", "baskets", "weight"))
        w.writerows((sku, count, repr(float(weight)))
                    for sku, (count, weight) in sorted(lists.items.items()))
    with (out / "neighbours.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(("sku", "partner", "count", "weight", "score"))
        for sku in sorted(lists.neighbours):
            w.writerows((sku, partner, count, repr(float(weight)), repr(float(score)))
                        for partner, count, weight, score in lists.neighbours[sku])
    (out / "manifest.json").write_text(json.dumps(manifest_json(lists, engine), indent=2) + "\n",
                                       encoding="utf-8")
    return out


@dataclass
class PartManifest:
    scope: str
    name: str
    baskets: int
    weight: float
    engine: str
    params: MineParams
    raw: dict[str, Any] = field(default_factory=dict)
    holdout: Holdout | None = None      # the part's holdout, or the holdout this part is
    held_out: bool = False              # a holdout part (mined/holdout/manifest.json)


def read_part_manifest(directory: Path, sub: str = PART) -> PartManifest:
    """mined/manifest.json (`sub`/manifest.json: mined/holdout/ for the holdout),
    checked; DumpError naming the field when it is not right."""
    path = Path(directory) / sub / "manifest.json"
    where = f"{sub}/manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise DumpError(f"{where}: missing (a dump's mined/ folder needs its manifest)") from None
    except UnicodeDecodeError:
        raise DumpError(f"{where}: not valid UTF-8") from None
    except OSError as exc:
        raise DumpError(f"{where}: cannot be read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise DumpError(f"{where}:{exc.lineno}: column {exc.colno}: "
                        f"{exc.msg.removesuffix(' at')}") from None
    if not isinstance(data, dict):
        raise DumpError(f"{where}: must hold one JSON object")

    def get(key: str, kind: type | tuple[type, ...], what: str) -> Any:
        if key not in data:
            raise DumpError(f"{where}: {key}: missing")
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            raise DumpError(f"{where}: {key}: must be {what}, not {value!r}")
        return value

    if data.get("format_version") != FORMAT_VERSION:
        raise DumpError(f"{where}: format_version: {data.get('format_version')!r} is not "
                        f"supported (this pos reads version {FORMAT_VERSION})")
    scope = get("scope", str, "a string")
    if scope not in SCOPES:
        raise DumpError(f"{where}: scope: '{scope}' is not one of {', '.join(SCOPES)}")
    name = get("name", str, "a string").strip()
    if not name:
        raise DumpError(f"{where}: name: must be a non-empty string")
    baskets = get("baskets", int, "a whole number")
    if baskets < 0:
        raise DumpError(f"{where}: baskets: {baskets} is negative")
    weight = float(get("weight", (int, float), "a number"))
    if not math.isfinite(weight) or weight < 0:
        raise DumpError(f"{where}: weight: {weight!r} is not a finite number >= 0")
    engine = get("engine", str, "a string")
    if engine not in ENGINES:
        raise DumpError(f"{where}: engine: '{engine}' is not one of {', '.join(ENGINES)}")
    try:
        ref_time = parse_time(get("ref_time", str, "an ISO 8601 time"), timezone.utc)
    except FieldError as exc:
        raise DumpError(f"{where}: ref_time: {exc}") from None
    params = get("params", dict, "an object")
    for key in PARAMS:
        if key not in params:
            raise DumpError(f"{where}: params: {key}: missing")
    extra = sorted(set(params) - set(PARAMS))
    if extra:
        raise DumpError(f"{where}: params: {extra[0]}: not a mining parameter "
                        f"(they are {', '.join(PARAMS)})")
    try:
        mine_params = MineParams(ref_time=ref_time, **{k: params[k] for k in PARAMS})
    except (ValueError, TypeError) as exc:
        raise DumpError(f"{where}: params: {str(exc).removeprefix('MineParams.')}") from None

    def when(value: Any, key: str) -> int:
        if not isinstance(value, str):
            raise DumpError(f"{where}: {key}: must be an ISO 8601 time, not {value!r}")
        try:
            return parse_time(value, timezone.utc)
        except FieldError as exc:
            raise DumpError(f"{where}: {key}: {exc}") from None

    def days(value: Any, key: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not math.isfinite(value) or value <= 0:
            raise DumpError(f"{where}: {key}: must be a number of days above 0, not {value!r}")
        return float(value)

    holdout, held_out = None, sub != PART
    if held_out:
        if data.get("holdout") is not True:
            raise DumpError(f"{where}: holdout: must be true in a holdout part, "
                            f"not {data.get('holdout')!r}")
        cutoff = when(data.get("cutoff"), "cutoff")
        holdout = Holdout(days(data.get("holdout_days"), "holdout_days"), cutoff)
        if cutoff != ref_time:
            raise DumpError(f"{where}: ref_time: a holdout part's is its cutoff "
                            f"({data['cutoff']}), not {data['ref_time']}")
    elif "holdout" in data:
        record = data["holdout"]
        if not isinstance(record, dict):
            raise DumpError(f"{where}: holdout: must be an object (days, cutoff, folder), "
                            f"not {record!r}")
        holdout = Holdout(days(record.get("days"), "holdout: days"),
                          when(record.get("cutoff"), "holdout: cutoff"))
    return PartManifest(scope, name, baskets, weight, engine, mine_params, data, holdout,
                        held_out)


def _rows(directory: Path, stem: str, required: tuple[str, ...],
          sub: str = PART) -> tuple[str, Iterator[Row]]:
    path = find(Path(directory) / sub, stem)
    if path is None:
        raise DumpError(f"{sub}/{stem}.csv (or {stem}.csv.gz) is missing")
    try:
        header, rows = read_rows(path)
        header.require(*required)
        return f"{sub}/{header.file}", rows
    except DumpError as exc:
        message = str(exc)
        if message.startswith(path.name):
            message = f"{sub}/{message}"
        raise DumpError(message) from None


def _sku(check: RowCheck, column: str, catalog: Catalog) -> str | None:
    sku = check.required(column)
    if not sku:
        return None
    if sku in catalog.items:
        return sku
    if sku in catalog.rejected:
        check.fail(column, f"sku '{sku}' was rejected in the catalog (line {catalog.rejected[sku]})")
    else:
        check.fail(column, f"unknown sku '{sku}'")
    return None


def _count(check: RowCheck, column: str) -> int | None:
    value = check.parse(column, parse_int)
    if check.text(column) == "":
        check.fail(column, "empty, but required")
    elif value is not None and value < 0:
        check.fail(column, f"'{check.text(column)}' is negative")
        return None
    return value


def _real(check: RowCheck, column: str, nonnegative: bool = True) -> float | None:
    text = check.text(column)
    if not text:
        check.fail(column, "empty, but required")
        return None
    try:
        value = float(text) if "_" not in text else math.nan
    except ValueError:
        value = math.nan
    if math.isnan(value) and text.lower().lstrip("+-") not in ("nan",):
        check.fail(column, f"'{text[:40]}' is not a number")
        return None
    if not math.isfinite(value):
        check.fail(column, f"'{text[:40]}' is not a finite number")
        return None
    if nonnegative and value < 0:
        check.fail(column, f"'{text[:40]}' is negative")
        return None
    return value


def _plain_entry(fields: dict[str, str]) -> tuple[str, str, int, float, float] | None:
    """A neighbours row's values when every one is plainly good on its own (a
    count >= 1, finite weight >= 0, finite score > 0), else None (the full check
    then says what is wrong)."""
    count, weight, score = fields["count"], fields["weight"], fields["score"]
    if not (count.isascii() and count.isdigit()) or "_" in weight or "_" in score:
        return None
    try:
        w, sc = float(weight), float(score)
    except ValueError:
        return None
    c = int(count)
    if c < 1 or not (0 <= w < math.inf) or not (0 < sc < math.inf) or not fields["sku"]:
        return None
    return fields["sku"], fields["partner"], c, w, sc


def _not_carried(fields: dict[str, str], columns: tuple[str, ...], catalog: Catalog) -> bool:
    """A row naming a sku the store's catalog does not have at all (not even as
    a rejected row): in a region's or the chain's part, an item this store does
    not carry."""
    return any((sku := fields.get(c, "").strip()) and sku not in catalog.items
               and sku not in catalog.rejected for c in columns)


class ListState(Protocol):
    """What the neighbours.csv row check reads and changes: the list being read
    (its sku text, partners and last score), the line each sku's list started
    on and each list's entries. `_DictState` keeps it in Python (the reference);
    pos.chain.part_reader keeps it in the C reader."""

    def current(self) -> str | None: ...
    def started(self, text: str) -> int | None: ...
    def begin(self, text: str, line: int) -> None: ...
    def last_score(self) -> float | None: ...
    def listed(self, partner: str) -> bool: ...
    def size(self, sku: str) -> int: ...
    def add(self, sku: str, entry: tuple[str, int, float, float]) -> None: ...


class _DictState:
    def __init__(self, neighbours: dict[str, list[tuple[str, int, float, float]]]):
        self.started_at: dict[str, int] = {}    # sku text -> line its list started on
        self.text: str | None = None            # the sku of the list being read
        self.last: float | None = None
        self.partners: set[str] = set()
        self.neighbours = neighbours

    def current(self) -> str | None:
        return self.text

    def started(self, text: str) -> int | None:
        return self.started_at.get(text)

    def begin(self, text: str, line: int) -> None:
        self.started_at[text] = line
        self.text, self.last, self.partners = text, None, set()

    def last_score(self) -> float | None:
        return self.last

    def listed(self, partner: str) -> bool:
        return partner in self.partners

    def size(self, sku: str) -> int:
        return len(self.neighbours.get(sku, ()))

    def add(self, sku: str, entry: tuple[str, int, float, float]) -> None:
        self.neighbours.setdefault(sku, []).append(entry)
        self.partners.add(entry[0])
        self.last = entry[3]


def check_neighbour_row(fields: dict[str, str], line: int, state: ListState,
                        items: dict[str, tuple[int, float]], catalog: Catalog,
                        top_n: int) -> list[tuple[str | None, str]]:
    """One split row of neighbours.csv checked against the catalog, item_stats
    (`items`) and the rows before (`state`): accepted into `state` (no
    problems), or its problems."""
    check = RowCheck(fields)
    text = check.text("sku")
    current = state.current()
    if text != current:
        first = state.started(text)
        if first is not None:
            check.fail("sku", f"the rows of sku '{text}' are not together (its list "
                              f"started on line {first})")
        else:
            state.begin(text, line)
            current = text
    sku = _sku(check, "sku", catalog)
    partner = _sku(check, "partner", catalog)
    count, weight = _count(check, "count"), _real(check, "weight")
    score = _real(check, "score", nonnegative=False)
    if count == 0:
        check.fail("count", "0: a listed pair was in at least one basket")
    if score is not None and score <= 0:
        check.fail("score", f"{score!r}: a listed partner's score is above 0")
    if sku is not None and sku == partner:
        check.fail("partner", "an item is not its own partner")
    if partner is not None and text == current and state.listed(partner):
        check.fail("partner", f"partner '{partner}' is listed twice for sku '{text}'")
    if count is not None:
        for column, item in (("sku", sku), ("partner", partner)):
            if item is not None and count > items.get(item, (0, 0.0))[0]:
                check.fail("count", f"{count} is more than the {items.get(item, (0, 0))[0]} "
                                    f"baskets item_stats.csv gives {column} '{item}'")
                break
    last_score = state.last_score() if text == current else None
    if score is not None and last_score is not None and score > last_score:
        check.fail("score", f"{score!r} is higher than the row before's {last_score!r}: "
                            "a list's rows go best first")
    if (check.ok and sku is not None and partner is not None and count is not None
            and weight is not None and score is not None):
        if state.size(sku) >= top_n:
            check.fail("sku", f"more than top_n = {top_n} partners for sku '{sku}'")
        else:
            state.add(sku, (partner, count, weight, score))
    return check.problems


def read_item_stats(directory: Path, catalog: Catalog, log: ProblemLog, lists: MinedLists,
                    shared: bool, skipped: dict[str, int], sub: str = PART) -> None:
    """mined/item_stats.csv (`sub`/item_stats.csv) into lists.items, bad rows
    rejected into `log`; in a shared part, rows of skus the store does not carry
    counted in `skipped`."""
    path = find(Path(directory) / sub, "item_stats")
    if path is None:
        raise DumpError(f"{sub}/item_stats.csv (or item_stats.csv.gz) is missing")
    try:
        header, lines, suspect = read_lines(path)
        header.require("sku", "baskets", "weight")
    except DumpError as exc:
        message = str(exc)
        raise DumpError(f"{sub}/{message}" if message.startswith(path.name) else message) from None
    file = f"{sub}/{header.file}"
    tally = log.tally(file)
    first_line: dict[str, int] = {}
    known, items, most = catalog.items, lists.items, lists.baskets
    n_columns, delimiter = len(header.columns), header.delimiter
    at_sku, at_baskets, at_weight = (header.index(c) for c in ("sku", "baskets", "weight"))
    for line_no, line in enumerate(lines, start=2):
        if not suspect and '"' not in line and len(line) <= MAX_FIELD and "\x00" not in line:
            fields_ = line.rstrip("\r").split(delimiter)     # the common case, checked plainly
            if len(fields_) == n_columns:
                text, count_text = fields_[at_sku], fields_[at_baskets]
                weight_text = fields_[at_weight]
                if (text in known and text not in first_line and count_text.isascii()
                        and count_text.isdigit() and len(count_text) <= 18
                        and "_" not in weight_text):
                    try:
                        plain = float(weight_text)
                    except ValueError:
                        plain = math.nan
                    baskets = int(count_text)
                    if 0 <= plain < math.inf and baskets <= most:
                        tally.rows += 1
                        first_line[text] = line_no
                        items[text] = (baskets, plain)
                        continue
        row = split_row(header, line_no, line, suspect)
        if row is None:
            continue
        tally.rows += 1
        if row.fields is None:
            log.reject(file, row.line, row.raw, row.problems)
            continue
        fields = row.fields
        if shared and _not_carried(fields, ("sku",), catalog):
            skipped[file] = skipped.get(file, 0) + 1
            continue
        check = RowCheck(fields)
        sku = _sku(check, "sku", catalog)
        count, weight = _count(check, "baskets"), _real(check, "weight")
        if sku is not None and sku in first_line:
            check.fail("sku", f"duplicate sku '{sku}' (first on line {first_line[sku]})")
        if count is not None and count > lists.baskets:
            check.fail("baskets", f"{count} is more than the {lists.baskets} baskets "
                                  "the manifest counts")
        if check.ok and sku is not None and count is not None and weight is not None:
            first_line[sku] = row.line
            lists.items[sku] = (count, weight)
        else:
            log.reject(file, row.line, row.raw, check.problems)
    log.check_threshold(file)


def skipped_notes(skipped: dict[str, int], scope: str) -> list[str]:
    return [f"{name}: {n:,} row{'' if n == 1 else 's'} of skus this store does not "
            f"carry skipped (a {scope} part)" for name, n in skipped.items()]


def read_part(directory: Path, catalog: Catalog, log: ProblemLog,
              notes: list[str] | None = None, sub: str = PART) -> MinedLists:
    """The dump's mined/ part as MinedLists: rows checked against the catalog and
    each other, bad ones rejected into `log` (the threshold applies per file).
    In a region's or the chain's part, rows of skus the store does not carry are
    skipped, counted in a line of `notes`, not rejected: such a part lists the
    whole assortment. `sub`: the folder (mined/holdout/ for the holdout: read_holdout).

    The plain-Python reference of the row check: `pos load` reads neighbours.csv
    with the C reader (pos.chain.part_reader.read_part_native), which settles the
    plainly good rows itself and gives every other row to check_neighbour_row."""
    manifest = read_part_manifest(directory, sub)
    shared = manifest.scope != "store"
    skipped: dict[str, int] = {}
    lists = MinedLists(scope=manifest.scope, name=manifest.name, params=manifest.params,
                       baskets=manifest.baskets, weight=manifest.weight, items={}, neighbours={},
                       holdout=manifest.holdout, held_out=manifest.held_out)
    read_item_stats(directory, catalog, log, lists, shared, skipped, sub)

    file, rows = _rows(directory, "neighbours", NEIGHBOUR_COLUMNS, sub)
    tally = log.tally(file)
    state = _DictState(lists.neighbours)
    top_n = lists.params.top_n
    items, known = lists.items, catalog.items
    for row in rows:
        tally.rows += 1
        fields = row.fields
        if fields is None:
            log.reject(file, row.line, row.raw, row.problems)
            continue
        entry = _plain_entry(fields)        # the common case, checked without RowCheck
        if entry is not None:
            a, b, c, w, sc = entry
            same = a == state.text
            if ((same or a not in state.started_at) and a in known and b in known and a != b
                    and c <= items.get(a, (0, 0.0))[0] and c <= items.get(b, (0, 0.0))[0]
                    and not (same and (b in state.partners or state.last is None
                                       or sc > state.last))
                    and state.size(a) < top_n):
                if not same:
                    state.begin(a, row.line)
                state.add(a, (b, c, w, sc))
                continue
        if shared and _not_carried(fields, ("sku", "partner"), catalog):
            skipped[file] = skipped.get(file, 0) + 1
            continue
        problems = check_neighbour_row(fields, row.line, state, items, catalog, top_n)
        if problems:
            log.reject(file, row.line, row.raw, problems)
    log.check_threshold(file)
    if notes is not None:
        notes.extend(skipped_notes(skipped, manifest.scope))
    return lists


class ReadPart(Protocol):
    """What read_holdout checks a holdout part against: the part's manifest
    fields (MinedLists, or pos.chain.part_reader.NativePart)."""

    scope: str
    name: str
    params: MineParams
    baskets: int
    holdout: Holdout | None


def read_holdout(directory: Path, catalog: Catalog, log: ProblemLog, part: ReadPart,
                 notes: list[str] | None = None,
                 reader: Callable[..., Any] = read_part) -> Any:
    """The dump's mined/holdout/ part, read by `reader` (read_part, or the load's
    pos.chain.part_reader.read_part_native: the same checks) with sub=, or None
    when `part` (the dump's mined/ part, read) has no holdout. DumpError when
    the folder and the part's manifest disagree (one without the other, another
    cutoff, scope, name or mining parameter)."""
    sub = f"{PART}/{HOLDOUT}"
    folder = Path(directory) / sub
    if not folder.is_dir():
        if part.holdout is not None:
            raise DumpError(f"{PART}/manifest.json: holdout: names the folder {sub}/, "
                            "which is missing")
        return None
    if part.holdout is None:
        raise DumpError(f"{sub}/: a holdout, but {PART}/manifest.json names none "
                        "(mined by another run?)")
    held = reader(directory, catalog, log, notes, sub=sub)
    where = f"{sub}/manifest.json"
    assert held.holdout is not None     # read_part_manifest requires it in a holdout part
    if held.holdout.cutoff != part.holdout.cutoff:
        raise DumpError(f"{where}: cutoff: {iso_utc(held.holdout.cutoff)}, but "
                        f"{PART}/manifest.json's holdout has {iso_utc(part.holdout.cutoff)}")
    for key in ("scope", "name"):
        if getattr(held, key) != getattr(part, key):
            raise DumpError(f"{where}: {key}: '{getattr(held, key)}', but {PART}/manifest.json "
                            f"has '{getattr(part, key)}'")
    for key in PARAMS:
        if getattr(held.params, key) != getattr(part.params, key):
            raise DumpError(f"{where}: params: {key}: {getattr(held.params, key)!r}, but "
                            f"{PART}/manifest.json has {getattr(part.params, key)!r}")
    if held.baskets > part.baskets:
        raise DumpError(f"{where}: baskets: {held.baskets}, more than the part's {part.baskets}")
    return held
