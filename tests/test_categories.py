"""categories.csv: category names in the store's languages, loaded with row checks,
and the category rule's reason in each language: the translation, the dump's own
name in the dump's language, and otherwise a reason that names no category."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import good_files, write_dump
from pos.cli import main
from pos.engine import Engine
from pos.load import load_dump

NOW = 1793487600 + 86400     # a day after the good dump's export
RULES = ("rule_id,trigger_sku,trigger_category,sku,kind,priority\n"
         "PARM-FOR-PHONES,,Electronics > Phones,PARM,cross,5\n")
NAMES = ("category,name,name_sv,name_he\n"
         "Electronics>Phones ,,Mobiltelefoner,טלפונים ניידים\n"
         "Groceries,Dagligvarer,,\n")


def load(tmp_path, categories: str | None, manifest_locale: str = "nb_NO", name: str = "s"):
    files = good_files()
    files["rules.csv"] = RULES
    if categories is not None:
        files["categories.csv"] = categories
    files["manifest.json"] = files["manifest.json"].replace("nb_NO", manifest_locale)
    db = tmp_path / f"{name}.db"
    report = load_dump(write_dump(tmp_path / f"{name}-dump", files), db)
    return db, report


def rule_reason(db, lang: str) -> str:
    """The reason of the rule on "Electronics > Phones" (PARM for PH-64)."""
    got = Engine.open(db, lang=lang).suggest(["PH-64"], k=5, now=NOW)
    return next(s.reason for s in got if s.source == "rule")


def test_the_names_are_stored_by_their_path(tmp_path):
    db, report = load(tmp_path, NAMES)
    assert report.counts["categories"] == 2
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT path, name, name_i18n FROM categories ORDER BY path").fetchall()
    conn.close()
    assert rows == [("Electronics > Phones", None,
                     json.dumps({"he": "טלפונים ניידים", "sv": "Mobiltelefoner"},
                                ensure_ascii=False, sort_keys=True)),
                    ("Groceries", "Dagligvarer", None)]


@pytest.mark.parametrize("lang, reason", [
    ("sv", "Rekommenderas med mobiltelefoner"),        # name_sv, in lower case
    ("he", "מומלץ עם טלפונים ניידים"),                   # name_he
    ("nb", "Anbefales sammen med phones"),              # the dump's language: its own path
    ("en", "Recommended with an item in your basket"),  # no name in English: none named
    ("hu", "Ajánlott a kosárban lévő egyik termékhez"),
])
def test_the_rule_reason_in_each_language(tmp_path, lang, reason):
    db, _ = load(tmp_path, NAMES)
    assert rule_reason(db, lang) == reason


def test_the_dump_languages_own_name_comes_before_the_path(tmp_path):
    db, _ = load(tmp_path, "category,name,name_sv\nElectronics > Phones,Mobile phones,\n",
                 manifest_locale="en_GB")
    assert rule_reason(db, "en") == "Recommended with mobile phones"
    assert rule_reason(db, "sv") == "Rekommenderas med en vara i korgen"


def test_words_in_capitals_stay(tmp_path):
    db, _ = load(tmp_path, "category,name_nb,name_sv\nElectronics > Phones,TV-er og PC-er,"
                           "TV och Mobiler\n")
    assert rule_reason(db, "nb") == "Anbefales sammen med TV-er og PC-er"
    assert rule_reason(db, "sv") == "Rekommenderas med TV och mobiler"


def test_without_the_file(tmp_path):
    db, report = load(tmp_path, None)
    assert report.counts["categories"] == 0
    assert rule_reason(db, "nb") == "Anbefales sammen med phones"
    assert rule_reason(db, "sv") == "Rekommenderas med en vara i korgen"


def test_a_store_written_before_the_table_still_opens(tmp_path):
    db, _ = load(tmp_path, NAMES)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE categories")
    conn.commit()
    conn.close()
    assert rule_reason(db, "sv") == "Rekommenderas med en vara i korgen"
    assert rule_reason(db, "nb") == "Anbefales sammen med phones"


def test_bad_rows_name_file_line_and_column(tmp_path, capsys):
    files = good_files()
    files["categories.csv"] = ("category,name_nb\n"
                               "Electronics > Phones,Mobiltelefoner\n"
                               ",Tom\n"
                               "Electronics >  > Phones,Feil\n"
                               "Electronics>Phones,Igjen\n"
                               "Toys > Lego,Lego\n"
                               "Groceries > Pasta,Pasta\n")
    dump = write_dump(tmp_path / "dump", files)
    db = tmp_path / "store.db"
    code = main(["load", str(dump), "--db", str(db), "--max-bad-rows", "100%"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "categories.csv:3: category: empty, but required" in err
    assert "categories.csv:4: category: 'Electronics >  > Phones' has an empty level" in err
    assert ("categories.csv:5: category: duplicate category 'Electronics > Phones' "
            "(first on line 2)") in err
    conn = sqlite3.connect(db)
    paths = [p for (p,) in conn.execute("SELECT path FROM categories ORDER BY path")]
    conn.close()
    assert paths == ["Electronics > Phones", "Groceries > Pasta", "Toys > Lego"]


def test_a_category_no_product_is_in_is_kept_with_a_note(tmp_path):
    _, report = load(tmp_path, "category,name_nb\nToys > Lego,Lego\nGroceries,Dagligvarer\n")
    assert report.counts["categories"] == 2
    assert any("categories.csv: 1 category that no product is in, kept (first: line 2: "
               "'Toys > Lego')" in note for note in report.notes)


def test_too_many_bad_rows_refuse_the_load(tmp_path, capsys):
    files = good_files()
    files["categories.csv"] = "category,name_nb\n,Tom\nGroceries,Dagligvarer\n"
    dump = write_dump(tmp_path / "dump", files)
    code = main(["load", str(dump), "--db", str(tmp_path / "store.db"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 3 and "categories.csv:2: category: empty, but required" in err
