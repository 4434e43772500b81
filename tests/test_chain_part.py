"""pos.chain.part: the dump's mined/ part written and read back, and every kind
of bad row or manifest it refuses."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pos.chain.lists import mine_native
from pos.chain.part import read_part, write_part
from pos.dump.catalog import Catalog
from pos.dump.problems import ProblemLog
from pos.errors import DumpError, LoadRefused
from pos.mining import MineParams

SKUS = ["A", "B", "C", "D", "E"]
LINES = [("b1", "A", 100), ("b1", "B", 100), ("b2", "A", 200), ("b2", "B", 200),
         ("b3", "A", 300), ("b3", "C", 300), ("b4", "C", 400), ("b4", "D", 400),
         ("b5", "B", 500), ("b5", "D", 500), ("b6", "A", 600), ("b6", "B", 600)]
LINES += [(f"e{i}", "E", 700) for i in range(8)]


def catalog(skus=SKUS) -> Catalog:
    return Catalog(items={s: i for i, s in enumerate(skus)}, rejected={"GONE": 7})


def mined(scope="region", name="north"):
    return mine_native(LINES, MineParams(half_life_days=3, ref_time=86400, shrinkage=0.5),
                       scope, name)


def log(tmp_path, threshold=0.5) -> ProblemLog:
    return ProblemLog(tmp_path / "rejects.csv", threshold=threshold)


def test_round_trip_is_exact(tmp_path):
    lists = mined()
    folder = write_part(lists, tmp_path / "dump", "native")
    assert sorted(p.name for p in folder.iterdir()) == ["item_stats.csv", "manifest.json",
                                                      "neighbours.csv"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["ref_time"] == "1970-01-02T00:00:00Z" and manifest["engine"] == "native"
    assert manifest["params"]["list_rank"] == "added-value"
    back = read_part(tmp_path / "dump", catalog(), log(tmp_path))
    assert back.params == lists.params
    assert (back.scope, back.name, back.baskets, back.weight) == ("region", "north", 14,
                                                                  lists.weight)
    assert back.items == lists.items            # the same bits: floats written with repr
    assert back.neighbours == lists.neighbours
    assert lists.neighbours


def test_gzipped_files_are_read(tmp_path):
    import gzip
    folder = write_part(mined(), tmp_path / "dump", "duckdb")
    for name in ("item_stats.csv", "neighbours.csv"):
        data = (folder / name).read_bytes()
        (folder / name).unlink()
        (folder / (name + ".gz")).write_bytes(gzip.compress(data))
    assert read_part(tmp_path / "dump", catalog(), log(tmp_path)).neighbours == mined().neighbours


def rewrite(folder: Path, name: str, edit) -> None:
    lines = (folder / name).read_text().splitlines()
    (folder / name).write_text("\n".join(edit(lines)) + "\n")


def problems(tmp_path, edit_name, edit, threshold=0.5, scope="region", notes=None):
    folder = write_part(mined(scope), tmp_path / "dump", "native")
    rewrite(folder, edit_name, edit)
    problem_log = log(tmp_path, threshold)
    lists = read_part(tmp_path / "dump", catalog(), problem_log, notes)
    return [str(p) for p in problem_log.shown], lists


def test_bad_rows_are_rejected_with_file_line_column(tmp_path):
    def edit(lines):
        lines[1] = "A,x,1.0"                    # not a whole number
        lines[2] = "B,-3,1.0"                   # negative count
        lines[3] = "C,1,nan"                    # weight not finite
        return lines
    shown, lists = problems(tmp_path, "item_stats.csv", edit, threshold=1.0)
    assert shown[:3] == ["mined/item_stats.csv:2: baskets: 'x' is not a whole number",
                         "mined/item_stats.csv:3: baskets: '-3' is negative",
                         "mined/item_stats.csv:4: weight: 'nan' is not a finite number"]
    # the lists' rows of items without stats: a pair count over 0
    assert shown[3] == ("mined/neighbours.csv:2: count: 3 is more than the 0 baskets "
                        "item_stats.csv gives sku 'A'")
    assert set(lists.items) == {"D", "E"}


def test_unknown_and_rejected_skus_in_a_stores_own_part(tmp_path):
    def edit(lines):
        return lines + ["ZZZ,1,1.0", "GONE,1,1.0"]
    shown, lists = problems(tmp_path, "item_stats.csv", edit, scope="store")
    assert shown == ["mined/item_stats.csv:7: sku: unknown sku 'ZZZ'",
                     "mined/item_stats.csv:8: sku: sku 'GONE' was rejected in the catalog (line 7)"]
    assert set(lists.items) == set(SKUS)


def test_a_regions_part_skips_the_skus_the_store_does_not_carry(tmp_path):
    """A region's or the chain's part lists the whole assortment: the rows of
    skus this store's catalog does not have are skipped with a note, not
    rejected; a sku the catalog rejected is still a bad row."""
    def edit_items(lines):
        return lines + [f"OTHER{i},1,1.0" for i in range(20)] + ["GONE,1,1.0"]
    notes: list[str] = []
    shown, lists = problems(tmp_path, "item_stats.csv", edit_items, threshold=0.2, notes=notes)
    assert shown == ["mined/item_stats.csv:27: sku: sku 'GONE' was rejected in the catalog (line 7)"]
    assert notes == ["mined/item_stats.csv: 20 rows of skus this store does not carry skipped "
                     "(a region part)"]
    assert set(lists.items) == set(SKUS)

    def edit_pairs(lines):      # a partner the store does not carry, inside A's list
        row = next(i for i, line in enumerate(lines) if line.startswith("A,"))
        return lines[:row + 1] + [lines[row].replace("A,B,", "A,OTHER,", 1)] + lines[row + 1:]
    notes = []
    shown, lists = problems(tmp_path / "pairs", "neighbours.csv", edit_pairs, notes=notes)
    assert shown == []
    assert notes == ["mined/neighbours.csv: 1 row of skus this store does not carry skipped "
                     "(a region part)"]
    assert lists.neighbours == mined().neighbours


def test_too_many_bad_rows_refuse_the_load(tmp_path):
    def edit(lines):
        return [lines[0]] + [f"Z{i},1,1.0" for i in range(4)] + lines[1:]
    with pytest.raises(LoadRefused, match="mined/item_stats.csv: 4 of 9 rows are bad"):
        problems(tmp_path, "item_stats.csv", edit, threshold=0.1, scope="store")


def test_pair_count_over_an_items_count(tmp_path):
    lists = mined()
    a_count = lists.items["A"][0]

    def edit(lines):
        row = next(i for i, line in enumerate(lines) if line.startswith("A,B,"))
        fields = lines[row].split(",")
        fields[2] = str(a_count + 1)
        lines[row] = ",".join(fields)
        return lines
    shown, _ = problems(tmp_path, "neighbours.csv", edit)
    assert shown == [f"mined/neighbours.csv:2: count: {a_count + 1} is more than the {a_count} "
                     "baskets item_stats.csv gives sku 'A'"]


def test_lists_in_score_order_and_together(tmp_path):
    folder = write_part(mined(), tmp_path / "dump", "native")
    (folder / "neighbours.csv").write_text(
        "sku,partner,count,weight,score\n"
        "A,B,1,1.0,0.5\n"
        "A,C,1,1.0,0.6\n"          # higher than the row before
        "B,A,1,1.0,0.5\n"
        "A,D,1,1.0,0.1\n"          # A again, after B
        "B,A,1,1.0,0.4\n"          # A twice in B's list
        "C,C,1,1.0,0.4\n")         # its own partner
    problem_log = log(tmp_path, threshold=0.9)
    lists = read_part(tmp_path / "dump", catalog(), problem_log)
    assert [str(p) for p in problem_log.shown] == [
        "mined/neighbours.csv:3: score: 0.6 is higher than the row before's 0.5: "
        "a list's rows go best first",
        "mined/neighbours.csv:5: sku: the rows of sku 'A' are not together "
        "(its list started on line 2)",
        "mined/neighbours.csv:6: partner: partner 'A' is listed twice for sku 'B'",
        "mined/neighbours.csv:7: partner: an item is not its own partner"]
    assert lists.neighbours == {"A": [("B", 1, 1.0, 0.5)], "B": [("A", 1, 1.0, 0.5)]}


@pytest.mark.parametrize("change, message", [
    ({"format_version": 2}, "mined/manifest.json: format_version: 2 is not supported"),
    ({"scope": "town"}, "mined/manifest.json: scope: 'town' is not one of store, region, chain"),
    ({"baskets": -1}, "mined/manifest.json: baskets: -1 is negative"),
    ({"weight": "x"}, "mined/manifest.json: weight: must be a number"),
    ({"engine": "excel"}, "mined/manifest.json: engine: 'excel' is not one of"),
    ({"ref_time": "yesterday"}, "mined/manifest.json: ref_time: 'yesterday' is not an ISO 8601"),
    ({"params": {"top_n": 0}}, "mined/manifest.json: params: size_cap: missing"),
    ({"params": "top_n"}, "mined/manifest.json: params: must be an object"),
])
def test_bad_manifest_refuses_the_dump(tmp_path, change, message):
    folder = write_part(mined(), tmp_path / "dump", "native")
    data = json.loads((folder / "manifest.json").read_text())
    data.update(change)
    (folder / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(DumpError, match=message.replace("(", r"\(")):
        read_part(tmp_path / "dump", catalog(), log(tmp_path))


def test_bad_params_and_missing_files(tmp_path):
    folder = write_part(mined(), tmp_path / "dump", "native")
    data = json.loads((folder / "manifest.json").read_text())
    data["params"]["top_n"] = 0
    (folder / "manifest.json").write_text(json.dumps(data))
    with pytest.raises(DumpError, match=r"mined/manifest.json: params: top_n must be an integer"):
        read_part(tmp_path / "dump", catalog(), log(tmp_path))
    write_part(mined(), tmp_path / "dump", "native")
    (folder / "neighbours.csv").unlink()
    with pytest.raises(DumpError, match=r"mined/neighbours.csv \(or neighbours.csv.gz\) is missing"):
        read_part(tmp_path / "dump", catalog(), log(tmp_path))
    (folder / "manifest.json").write_text("{")
    with pytest.raises(DumpError, match=r"mined/manifest.json:1: column 2"):
        read_part(tmp_path / "dump", catalog(), log(tmp_path))
    (folder / "item_stats.csv").write_text("sku,weight\nA,1\n")
    write_part(mined(), tmp_path / "other", "native")
    (tmp_path / "other" / "mined" / "item_stats.csv").write_text("sku,weight\nA,1\n")
    with pytest.raises(DumpError, match=r"mined/item_stats.csv:1: baskets: required column missing"):
        read_part(tmp_path / "other", catalog(), log(tmp_path))


def test_odd_numbers_get_the_full_check(tmp_path):
    folder = write_part(mined(), tmp_path / "dump", "native")
    (folder / "neighbours.csv").write_text(
        "sku,partner,count,weight,score\n"
        "A,B,\u00b2,1.0,0.5\n"        # a superscript two
        "A,C,1,1_0,0.4\n"
        "A,D,0,1.0,0.3\n"
        "B,A,1,1.0,-0.1\n"
        "C,A,1,1e400,0.1\n"
        "D,A,1,1.0,0.2\n")
    problem_log = log(tmp_path, threshold=1.0)
    lists = read_part(tmp_path / "dump", catalog(), problem_log)
    assert [str(p) for p in problem_log.shown] == [
        "mined/neighbours.csv:2: count: '\u00b2' is not a whole number",
        "mined/neighbours.csv:3: weight: '1_0' is not a number",
        "mined/neighbours.csv:4: count: 0: a listed pair was in at least one basket",
        "mined/neighbours.csv:5: score: -0.1: a listed partner's score is above 0",
        "mined/neighbours.csv:6: weight: '1e400' is not a finite number"]
    assert lists.neighbours == {"D": [("A", 1, 1.0, 0.2)]}


def with_holdout(tmp_path, cutoff=350):
    """A part with its holdout (the baskets before `cutoff`) written to tmp_path/dump."""
    from dataclasses import replace

    from pos.chain.lists import Holdout
    holdout = Holdout(1.0, cutoff)
    full = mined()
    full.holdout = holdout
    write_part(full, tmp_path / "dump", "native")
    held = mine_native(LINES, replace(full.params, ref_time=cutoff), "region", "north",
                       before=cutoff)
    held.holdout, held.held_out = holdout, True
    folder = write_part(held, tmp_path / "dump", "native")
    return full, held, folder


def test_holdout_round_trip_and_its_checks(tmp_path):
    from pos.chain.part import read_holdout
    full, held, folder = with_holdout(tmp_path)
    assert folder == tmp_path / "dump" / "mined" / "holdout"
    assert held.baskets == 3            # b1, b2, b3: before 350
    part = read_part(tmp_path / "dump", catalog(), log(tmp_path))
    assert part.holdout == full.holdout and not part.held_out
    back = read_holdout(tmp_path / "dump", catalog(), log(tmp_path), part)
    assert back is not None and back.held_out and back.holdout == full.holdout
    assert (back.baskets, back.items, back.neighbours) == (held.baskets, held.items,
                                                           held.neighbours)
    manifest = folder / "manifest.json"
    good = json.loads(manifest.read_text())
    for change, message in (
            ({"holdout": False}, "mined/holdout/manifest.json: holdout: must be true"),
            ({"cutoff": "1970-01-01T00:06:00Z"}, "ref_time: a holdout part's is its cutoff"),
            ({"cutoff": "1970-01-01T00:06:00Z", "ref_time": "1970-01-01T00:06:00Z"},
             "cutoff: 1970-01-01T00:06:00Z, but mined/manifest.json's holdout has "
             "1970-01-01T00:05:50Z"),
            ({"name": "south"}, "name: 'south', but mined/manifest.json has 'north'"),
            ({"holdout_days": -1}, "holdout_days: must be a number of days above 0"),
            ({"baskets": 99}, "baskets: 99, more than the part's 14")):
        manifest.write_text(json.dumps({**good, **change}))
        with pytest.raises(DumpError, match=message):
            read_holdout(tmp_path / "dump", catalog(), log(tmp_path), part)
    # a holdout folder the part's manifest does not name
    write_part(mined(), tmp_path / "other", "native")
    (tmp_path / "other" / "mined" / "holdout").mkdir()
    plain = read_part(tmp_path / "other", catalog(), log(tmp_path))
    with pytest.raises(DumpError, match="mined/holdout/: a holdout, but mined/manifest.json "
                                        "names none"):
        read_holdout(tmp_path / "other", catalog(), log(tmp_path), plain)
    # no holdout anywhere: None
    (tmp_path / "other" / "mined" / "holdout").rmdir()
    assert read_holdout(tmp_path / "other", catalog(), log(tmp_path), plain) is None


def test_a_bad_holdout_row_names_its_folder(tmp_path):
    from pos.chain.part import read_holdout
    _, _, folder = with_holdout(tmp_path)
    path = folder / "item_stats.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([lines[0], "GONE,1,1.0", *lines[1:]]) + "\n")
    part = read_part(tmp_path / "dump", catalog(), log(tmp_path))
    problems = log(tmp_path, threshold=0.9)
    read_holdout(tmp_path / "dump", catalog(), problems, part)
    problems.close()
    assert [str(p) for p in problems.shown] == [
        "mined/holdout/item_stats.csv:2: sku: sku 'GONE' was rejected in the catalog (line 7)"]
