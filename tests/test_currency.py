"""The currency's exponent is fixed when the store is built and travels with every
sale: stores in JPY (0 decimals), EUR (2) and KWD (3) from dump to till to report
to export; a HUF store and journal written with 2 decimals read back and export
the same amounts when the installed Babel says HUF has 0; where the exponent is
declared (manifest.json, store.toml, ISO 4217) and what is refused."""
from __future__ import annotations

import csv
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from babel.core import get_global
from babel.numbers import get_currency_precision

from conftest import BASKETS_HEADER, basket_rows, catalog_rows, good_files, scan_code, write_dump
from pos.cli import main as pos_main
from pos.currency import Currency, CurrencyError, iso_exponent
from pos.errors import DumpError, UsageError
from pos.export import ExportError, export_sales
from pos.journal import Journal
from pos.load import LoadOptions, load_dump
from pos.report import build_report
from pos.report.render import to_json, to_table
from pos.scanner.check import Describer
from pos.scanner.decode import DecodeConfig
from pos.store.reader import open_store, read_meta
from pos.till.config import TillConfig
from pos.till.session import Till

EXPORT = datetime(2026, 10, 31, 23, tzinfo=timezone.utc).timestamp()
# minor units per catalog row, whatever the currency
PRICES = {"PASTA": 1990, "PARM": 4990, "SAUCE": 2995, "PH-64": 699000, "PH-128": 799000,
          "CASE": 24900, "WINE": 14900}


def dump_in(directory: Path, currency: Currency, locale: str, **manifest) -> Path:
    """The shared test dump with its prices written with `currency`'s decimals."""
    rows = []
    for row in catalog_rows():
        fields = row.split(",")
        fields[2] = currency.plain(PRICES.get(fields[0], 1000))
        rows.append(",".join(fields))
    files = good_files()
    files["catalog.csv"] = files["catalog.csv"].split("\n", 1)[0] + "\n" + "".join(rows)
    files["bundles.csv"] = ("bundle_id,name,skus,price,saving\n"
                            f"PASTA-NIGHT,Pasta night,PASTA|SAUCE|PARM,,{currency.plain(1000)}\n")
    files["manifest.json"] = json.dumps({"store_name": "Money", "currency": currency.code,
                                         "locale": locale, "timezone": "Europe/Oslo",
                                         "export_time": "2026-10-31T23:00:00Z", **manifest})
    return write_dump(directory, files)


def one_sale(store: Path, journal: Path) -> Till:
    """PASTA twice and SAUCE, paid; the till is returned open."""
    clock = iter(EXPORT + 60 * i for i in range(100))
    till = Till(store, Journal(journal, till="t1", clock=lambda: next(clock)),
                TillConfig(till_id="t1", lang="en"), lambda: EXPORT)
    for sku in ("PASTA", "PASTA", "SAUCE"):
        assert till.scan(scan_code(store, sku)).line is not None
    till.pay()
    return till


def exported(journal: Path, out: Path, **kw) -> list[dict]:
    export_sales(journal, out, since=0.0, **kw)
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def meta_of(store: Path) -> dict:
    conn = open_store(store)
    try:
        return read_meta(conn)
    finally:
        conn.close()


@pytest.fixture
def babel_says(monkeypatch):
    """Makes the installed Babel's currency data give `code` `digits` decimals."""
    def set_digits(code: str, digits: int) -> None:
        monkeypatch.setitem(get_global("currency_fractions"), code, (digits, 0, digits, 0))
        assert get_currency_precision(code) == digits
    return set_digits


@pytest.mark.parametrize("code, exponent, locale, shown", [
    ("JPY", 0, "ja_JP", "￥6,975"),
    ("EUR", 2, "de_DE", "69,75\xa0€"),
    ("KWD", 3, "en", "KWD6.975"),
])
def test_dump_to_till_report_and_export_keep_the_exponent(tmp_path, code, exponent, locale, shown):
    currency = Currency(code, exponent)
    store = tmp_path / "store.db"
    load_dump(dump_in(tmp_path / "dump", currency, locale), store)
    meta = meta_of(store)
    assert (meta["currency"], meta["currency_exponent"], meta["currency_exponent_from"]) \
        == (code, exponent, "ISO 4217")
    till = one_sale(store, tmp_path / "sales.db")
    total = 2 * 1990 + 2995
    assert till.money(total) == shown                   # exactly `exponent` decimals, per locale
    till.close()
    till.journal.close()
    conn = sqlite3.connect(tmp_path / "sales.db")
    assert conn.execute("SELECT currency, currency_exponent, total FROM sales "
                        "WHERE status = 'paid'").fetchall() == [(code, exponent, total)]
    conn.close()

    report = build_report(tmp_path / "sales.db", with_bundles=False)   # no store needed
    assert report.currency == currency
    assert json.loads(to_json(report))["report"]["currency_exponent"] == exponent
    assert "minor units (" not in to_table(report)

    rows = exported(tmp_path / "sales.db", tmp_path / "baskets.csv")
    assert [(r["sku"], r["quantity"], r["unit_price"], r["amount"]) for r in rows] == [
        ("PASTA", "2", currency.plain(1990), currency.plain(2 * 1990)),
        ("SAUCE", "1", currency.plain(2995), currency.plain(2995))]
    assert {(r["basket_total"], r["currency"]) for r in rows} == {(currency.plain(total), code)}
    assert {len(r["unit_price"].partition(".")[2]) for r in rows} == {exponent}

    # head office loads the export back with the same catalog
    again = tmp_path / "office"
    dump_in(again, currency, locale)
    (again / "baskets.csv").write_text((tmp_path / "baskets.csv").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    assert load_dump(again, tmp_path / "office.db").counts["baskets"] == 1


def test_a_babel_upgrade_changes_no_amount(tmp_path, babel_says):
    """HUF: 2 decimals in ISO 4217 and older Babel, 0 in Babel 2.19."""
    babel_says("HUF", 2)
    huf = Currency("HUF", 2)
    store = tmp_path / "store.db"
    load_dump(dump_in(tmp_path / "dump", huf, "hu_HU"), store)
    till = one_sale(store, tmp_path / "sales.db")
    before_till = (till.money(2995), till.engine.money(2995))
    till.close()
    till.journal.close()
    before_rows = exported(tmp_path / "sales.db", tmp_path / "before.csv")
    before_report = to_table(build_report(tmp_path / "sales.db", store, with_bundles=False))

    babel_says("HUF", 0)                              # pip install -U babel
    after = Till(store, Journal(tmp_path / "sales.db", till="t1"),
                 TillConfig(till_id="t1", lang="en"), lambda: EXPORT)
    assert (after.money(2995), after.engine.money(2995)) == before_till == ("29,95\xa0Ft",) * 2
    assert after.money.currency == huf and DecodeConfig.from_store(after.meta).currency_exponent == 2
    after.close()
    after.journal.close()
    check = Describer(store)   # pos scanner check
    assert check._money(2995) == "29,95\xa0Ft" and check.config.currency_exponent == 2
    check.conn.close()
    assert exported(tmp_path / "sales.db", tmp_path / "after.csv") == before_rows
    assert {r["unit_price"] for r in before_rows} == {"19.90", "29.95"}
    assert to_table(build_report(tmp_path / "sales.db", store, with_bundles=False)) \
        == before_report

    # a store loaded while Babel says 0 still has ISO's 2
    load_dump(dump_in(tmp_path / "dump2", huf, "hu_HU"), tmp_path / "store2.db")
    assert meta_of(tmp_path / "store2.db")["currency_exponent"] == 2


def v3_journal(path: Path, store: Path) -> None:
    """A journal as this till wrote it before sales carried their currency."""
    till = one_sale(store, path)
    till.close()
    conn = till.journal.conn
    conn.execute("DROP INDEX sales_hub_outbox")          # nor the hub's outbox (version 5)
    for column in ("currency", "currency_exponent", "hub_sent_at", "hub_parked"):
        conn.execute(f"ALTER TABLE sales DROP COLUMN {column}")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'version'")
    till.journal.close()


def test_a_version_3_journal_is_upgraded_and_takes_the_store_currency(tmp_path, published):
    journal = tmp_path / "sales.db"
    v3_journal(journal, published)
    j = Journal(journal)                               # upgraded in place: no currency yet
    assert j.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("6",)
    assert j.currency_pending()
    assert j.conn.execute("SELECT currency FROM sales").fetchall() == [(None,), (None,)]
    j.close()
    with pytest.raises(ExportError, match="1 of the sales to export were journaled without"):
        export_sales(journal, tmp_path / "x.csv")
    report = build_report(journal, with_bundles=False)  # no store: minor units, said so
    assert report.currency is None and "minor units (" in to_table(report)
    assert build_report(journal, published, with_bundles=False).currency == Currency("NOK", 2)

    rows = exported(journal, tmp_path / "a.csv", fallback=Currency("NOK", 2))
    assert {r["currency"] for r in rows} == {"NOK"} and rows[0]["unit_price"] == "19.90"
    j = Journal(journal)
    assert not j.currency_pending()                    # adopted once, for good
    assert j.adopt_currency(Currency("EUR", 2)) == 0
    assert j.conn.execute("SELECT DISTINCT currency, currency_exponent FROM sales").fetchall() \
        == [("NOK", 2)]
    j.close()


def test_the_till_gives_an_old_journal_the_store_currency(tmp_path, published):
    journal = tmp_path / "sales.db"
    v3_journal(journal, published)
    till = Till(published, Journal(journal, till="t1"), TillConfig(till_id="t1"), lambda: EXPORT)
    rows = till.journal.conn.execute("SELECT currency, currency_exponent FROM sales").fetchall()
    assert rows == [("NOK", 2)] * 2           # the old paid sale and the open one it goes on with
    till.close()
    till.journal.close()


def test_a_report_over_two_exponents_is_refused(tmp_path, published):
    journal = tmp_path / "sales.db"
    one_sale(published, journal).journal.close()
    conn = sqlite3.connect(journal)
    conn.execute("INSERT INTO sales (sale_id, till, training, started_at, ended_at, status, "
                 "total, currency, currency_exponent) VALUES "
                 "('t1-x', 't1', 0, ?, ?, 'paid', 500, 'NOK', 0)", (EXPORT, EXPORT + 1))
    conn.commit()
    conn.close()
    with pytest.raises(UsageError, match="NOK with 0 decimals, NOK with 2 decimals"):
        build_report(journal, with_bundles=False)
    assert main_report(journal) == 2


def main_report(journal: Path) -> int:
    return pos_main(["report", "--journal", str(journal), "--no-bundles"])


def test_an_unfinished_sale_in_another_exponent_is_not_resumed(tmp_path, published):
    journal = tmp_path / "sales.db"
    j = Journal(journal, till="t1")
    old = j.new_sale(currency=Currency("NOK", 0))
    j.record(old, {"type": "add", "line": 1, "sku": "PASTA", "item": 1, "name": "Pasta",
                   "unit": "each", "unit_price": 20, "qty": 1})
    j.close()
    till = Till(published, Journal(journal, till="t1"), TillConfig(till_id="t1"), lambda: EXPORT)
    assert till.resumable is None and till.sale.sale_id != old.sale_id
    assert till.sale.currency == Currency("NOK", 2)
    status = till.journal.conn.execute("SELECT status FROM sales WHERE sale_id = ?",
                                       (old.sale_id,)).fetchone()
    assert status == ("abandoned",)                    # kept, with its line, not lost
    till.close()
    till.journal.close()


# ---- where the exponent comes from -----------------------------------------------------

def test_iso_4217_exponents():
    assert [iso_exponent(c) for c in ("HUF", "JPY", "KWD", "NOK", "CLF")] == [2, 0, 3, 2, 4]
    assert iso_exponent("XAU") is None
    with pytest.raises(CurrencyError, match="'KRONER' is not an ISO 4217"):
        iso_exponent("KRONER")
    with pytest.raises(CurrencyError, match="no minor units"):
        Currency.iso("XAU")
    with pytest.raises(CurrencyError, match="from 0 to 6"):
        Currency("NOK", 7)
    assert Currency.from_meta({"currency": "JPY", "currency_exponent": "0"}) == Currency("JPY", 0)
    assert Currency.from_meta({}) == Currency("EUR", 2)


def test_the_manifest_declares_the_exponent(tmp_path):
    store = tmp_path / "store.db"
    load_dump(dump_in(tmp_path / "dump", Currency("HUF", 0), "hu_HU", currency_exponent=0), store)
    meta = meta_of(store)
    assert (meta["currency_exponent"], meta["currency_exponent_from"]) == (0, "manifest.json")
    assert pos_main(["info", "--db", str(store), "--json"]) == 0


def test_store_toml_declares_it_when_the_manifest_does_not(tmp_path, capsys):
    config = tmp_path / "store.toml"
    config.write_text("[till]\nid = \"bp-1\"\n[currency]\nexponent = 0\n", encoding="utf-8")
    dump = dump_in(tmp_path / "dump", Currency("HUF", 0), "hu_HU")
    store = tmp_path / "store.db"
    assert pos_main(["load", str(dump), "--db", str(store), "--quiet",
                     "--config", str(config)]) == 0
    meta = meta_of(store)
    assert meta["currency_exponent"] == 0 and "store.toml" in meta["currency_exponent_from"]
    from pos.till.config import load_config
    assert load_config(config).till_id == "bp-1"       # the till reads the same file

    # a manifest that says otherwise: refused, the store unchanged
    before = store.read_bytes()
    clash = dump_in(tmp_path / "clash", Currency("HUF", 2), "hu_HU", currency_exponent=2)
    capsys.readouterr()
    assert pos_main(["load", str(clash), "--db", str(store), "--quiet",
                     "--config", str(config)]) == 3
    err = capsys.readouterr().err
    assert "currency_exponent: 2 decimals for HUF" in err and "says 0" in err
    assert store.read_bytes() == before


@pytest.mark.parametrize("manifest, message", [
    ({"currency": "KRONER"}, "currency: 'KRONER' is not an ISO 4217 currency code"),
    ({"currency": "NOK", "currency_exponent": "2"}, "currency_exponent: an integer from 0 to 6"),
    ({"currency": "NOK", "currency_exponent": 9}, "currency_exponent: an integer from 0 to 6"),
    ({"currency": "XAU"}, "XAU has no minor units in ISO 4217"),
])
def test_bad_currencies_are_refused(tmp_path, manifest, message):
    files = {"catalog.csv": "sku,name,price\nA,A,1\n", "baskets.csv": BASKETS_HEADER
             + "".join(basket_rows(1)), "manifest.json": json.dumps(manifest)}
    with pytest.raises(DumpError, match=message):
        load_dump(write_dump(tmp_path / "dump", files), tmp_path / "store.db")


def test_store_toml_currency_is_checked(tmp_path):
    from pos.till.config import ConfigError, currency_exponent, load_config
    bad = tmp_path / "store.toml"
    bad.write_text("[currency]\nexponent = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[currency\] exponent: an integer from 0 to 6"):
        currency_exponent(bad)
    with pytest.raises(ConfigError, match=r"\[currency\] exponent"):
        load_config(bad)
    bad.write_text("[currency]\ndecimals = 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown field 'decimals'"):
        currency_exponent(bad)
    bad.write_text("[till]\nid = \"x\"\n", encoding="utf-8")
    assert currency_exponent(bad) is None
    assert LoadOptions().currency_exponent is None
