"""Journal version 3: a paid sale carries its offers' totals on its `sales` row,
written with its `paid` event; a version 2 journal (the real old DDL) is upgraded
in place in one transaction with the totals of its paid sales filled and gives
the same report; a failed upgrade leaves the file as it was; a journal newer
than this code is refused."""
import sqlite3

import pytest

import pos.journal
from journal_v2 import v2_journal
from pos.journal import JOURNAL_VERSION, OFFER_TOTALS, Journal, JournalError
from pos.report.figures import ReportError, figures, open_journal

TOTALS = ", ".join(OFFER_TOTALS)


def add(line, sku, price=1000):
    return {"type": "add", "line": line, "sku": sku, "item": line, "name": sku, "unit": "each",
            "unit_price": price}


def shown(sku, kind, position, price=500):
    return {"type": "shown", "sku": sku, "kind": kind, "position": position, "score": 0.5,
            "price": price, "anchor": "PASTA"}


def outcome(sku, result, revenue=0, margin=None, reason=None):
    return {"type": "outcome", "sku": sku, "outcome": result, "reason": reason,
            "revenue": revenue, "margin": margin}


def totals(conn, sale_id):
    return conn.execute(f"SELECT {TOTALS} FROM sales WHERE sale_id = ?", (sale_id,)).fetchone()


def test_paid_sale_carries_its_offers_totals(tmp_path):
    j = Journal(tmp_path / "sales.db")
    sale = j.new_sale(arm="B")
    j.record(sale, add(1, "PASTA", 2000), shown("PARM", "cross", 1), shown("PH-128", "upsell", 2),
             shown("DEAL", "bundle", 3), shown("WINE", "upsell", 4))
    j.record(sale, outcome("PARM", "accepted", revenue=500, margin=200))
    j.record(sale, outcome("PH-128", "accepted", revenue=1000))           # cost unknown
    j.record(sale, outcome("DEAL", "declined", reason="too_expensive"))
    assert totals(j.conn, sale.sale_id) == (None,) * 7                  # not final yet
    j.record(sale, {"type": "paid", "total": sale.total})               # WINE left open
    # shown 4, accepted 2, upsells shown 2 (PH-128, WINE) and accepted 1, revenue 1500,
    # margin 200 (PARM's), 1 accepted of unknown cost (PH-128)
    assert totals(j.conn, sale.sale_id) == (4, 2, 2, 1, 1500, 200, 1)

    bare = j.new_sale()
    j.record(bare, add(1, "MILK"))
    j.record(bare, {"type": "paid", "total": bare.total})
    assert totals(j.conn, bare.sale_id) == (0, 0, 0, 0, 0, 0, 0)
    dropped = j.new_sale()
    j.record(dropped, add(1, "MILK"), shown("PARM", "cross", 1))
    j.record(dropped, outcome("PARM", "accepted", revenue=500, margin=200))
    j.abandon(dropped)
    assert totals(j.conn, dropped.sale_id) == (None,) * 7
    j.close()

    conn = open_journal(tmp_path / "sales.db")
    try:
        o = figures(conn).overall
    finally:
        conn.close()
    assert (o.sales, o.turnover, o.shown, o.accepted, o.with_shown, o.attached) \
        == (2, 3000, 4, 2, 1, 1)
    assert (o.upsells_shown, o.upsells_accepted, o.revenue, o.margin, o.margin_unknown) \
        == (2, 1, 1500, 200, 1)


def fill_v2(path):
    """S1 paid: cross accepted (+2000, margin 800), upsell declined; S2 paid, nothing
    shown; T1 training, paid, a cross accepted; Z1 abandoned and O1 open, each with an
    offer accepted (+7000)."""
    conn = v2_journal(path)
    with conn:
        for sale_id, training, status, ended, total in [
                ("S1", 0, "paid", 100.0, 10000), ("S2", 0, "paid", 200.0, 5000),
                ("T1", 1, "paid", 300.0, 99999), ("Z1", 0, "abandoned", 400.0, None),
                ("O1", 0, "open", None, None)]:
            conn.execute("INSERT INTO sales VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         (sale_id, "till1", "ann", training, 50.0, ended, status, None, total,
                          None, None, "A"))
        for sale_id, sku, kind, result, reason, revenue, margin in [
                ("S1", "X1", "cross", "accepted", None, 2000, 800),
                ("S1", "U1", "upsell", "declined", "too_expensive", 0, None),
                ("T1", "X9", "cross", "accepted", None, 5000, 100),
                ("Z1", "X8", "cross", "accepted", None, 7000, 100),
                ("O1", "X7", "cross", "accepted", None, 7000, 100)]:
            conn.execute("INSERT INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                         (sale_id, sku, kind, 1, 0.5, 1000, 60.0, result, reason, 70.0, revenue,
                          "A", None, margin))
    conn.close()


def dump(path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_version_2_journal_is_upgraded_with_offer_totals(tmp_path):
    path = tmp_path / "sales.db"
    fill_v2(path)
    with pytest.raises(ReportError, match="version 2.*upgrade it to version 6"):
        open_journal(path)                     # the report reads it only once upgraded
    j = Journal(path)
    assert j.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone() == ("6",)
    assert totals(j.conn, "S1") == (2, 1, 1, 0, 2000, 800, 0)
    assert totals(j.conn, "S2") == (0, 0, 0, 0, 0, 0, 0)
    assert totals(j.conn, "T1") == (1, 1, 0, 0, 5000, 100, 0)          # paid, if training
    assert totals(j.conn, "Z1") == totals(j.conn, "O1") == (None,) * 7
    assert j.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'offers_cube'").fetchone()
    j.close()

    # the figures the report gave over the version 2 journal: S1 and S2 counted
    conn = open_journal(path)
    try:
        f = figures(conn)
    finally:
        conn.close()
    o = f.overall
    assert (o.sales, o.turnover, o.shown, o.accepted, o.with_shown, o.attached) \
        == (2, 15000, 2, 1, 1, 1)
    assert (o.upsells_shown, o.upsells_accepted, o.revenue, o.margin, o.margin_unknown) \
        == (1, 0, 2000, 800, 0)
    assert [(g.key, g.shown, g.accepted, g.declined, g.revenue) for g in f.by_kind] \
        == [("cross", 1, 1, 0, 2000), ("upsell", 1, 0, 1, 0)]
    assert f.declines == {"too_expensive": 1}
    assert f.excluded == {"training": 1, "abandoned": 1, "open": 1}


def test_failed_upgrade_leaves_the_journal_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "sales.db"
    fill_v2(path)
    before = dump(path)

    def fail(conn, sale_id=None):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(pos.journal, "settle_offers", fail)
    with pytest.raises(JournalError, match="disk I/O error"):
        Journal(path)
    assert dump(path) == before                # no column, no index, still version 2
    monkeypatch.undo()
    j = Journal(path)                          # and the next start upgrades it
    assert totals(j.conn, "S1") == (2, 1, 1, 0, 2000, 800, 0)
    j.close()


def test_journal_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "sales.db"
    Journal(path).conn.execute("UPDATE meta SET value = ? WHERE key = 'version'",
                               (str(JOURNAL_VERSION + 1),))
    before = dump(path)
    with pytest.raises(JournalError, match=f"version {JOURNAL_VERSION + 1}, newer than this "
                                           f"till's \\({JOURNAL_VERSION}\\)"):
        Journal(path)
    assert dump(path) == before
