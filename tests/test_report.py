"""pos report: every figure against a hand computation on a small journal
(training and abandoned sales left out, two arms, two cashiers, two local days
and three local hours in Europe/Oslo, UTC+1 in November), the statistics
against textbook values, the arm verdicts, bundle candidates, csv/json
round-trips and the CLI's errors."""
from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from journal_v2 import v2_journal
from pos.cli import main
from pos.currency import Currency
from pos.errors import EXIT_STORE
from pos.journal import Journal, settle_offers
from pos.report import Period, build_report
from pos.report.bundles import candidates
from pos.report.figures import figures, open_journal
from pos.report.render import render, to_csv, to_json, to_table
from pos.report.stats import (
    Moments,
    compare_means,
    compare_proportions,
    mean_interval,
    t_quantile,
    t_two_sided_p,
    two_proportion_z,
    welch_t,
    wilson,
)

OSLO = ZoneInfo("Europe/Oslo")


def at(text: str) -> float:
    """A local Oslo time 'YYYY-MM-DD HH:MM' as UTC seconds."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=OSLO).timestamp()


def make_journal(path, sales, from_v2=False):
    """sales: (sale_id, cashier, arm, training, status, local time, total, offers, skus);
    offers: (sku, kind, position, outcome, reason, revenue, margin). `from_v2`: written
    as a version 2 journal (no offer totals on the sales), then upgraded by the till."""
    if from_v2:
        conn = v2_journal(path)
    else:
        Journal(path).close()
        conn = sqlite3.connect(path)
    with conn:
        for sale_id, cashier, arm, training, status, when, total, offers, skus in sales:
            t = at(when)
            conn.execute("INSERT INTO sales (sale_id, till, cashier, training, started_at, "
                         "ended_at, status, customer, total, store_export, exported_at, arm) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                         (sale_id, "till1", cashier, training, t - 120,
                          None if status == "open" else t, status, None, total, None, None, arm))
            for sku, kind, position, outcome, reason, revenue, margin in offers:
                conn.execute("INSERT INTO offers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             (sale_id, sku, kind, position, 0.5, 1000, t - 60, outcome, reason,
                              t - 30, revenue, arm, None, margin))
            for line, sku in enumerate(skus, 1):
                conn.execute("INSERT INTO sale_lines VALUES (?,?,?,?,?,?,?)",
                             (sale_id, line, sku, 1, None, 1000, 1000))
        if not from_v2:
            settle_offers(conn)     # as the journal does when each is paid
    conn.close()
    if from_v2:
        Journal(path).close()
    return path


SALES = [
    # S1 ann A 09:30 10000: cross#1 accepted (+2000, margin 800), upsell#2 declined too_expensive
    ("S1", "ann", "A", 0, "paid", "2026-11-20 09:30", 10000,
     [("X1", "cross", 1, "accepted", None, 2000, 800),
      ("U1", "upsell", 2, "declined", "too_expensive", 0, None)], ["PASTA", "SAUCE"]),
    # S2 ann A 09:45 5000: cross#1 ignored
    ("S2", "ann", "A", 0, "paid", "2026-11-20 09:45", 5000,
     [("X2", "cross", 1, "ignored", None, 0, None)], ["PASTA", "SAUCE"]),
    # S3 bob B 14:10 20000: upsell#1 accepted (+3000, cost unknown), bundle#2 accepted
    #    (+1500, margin 500), cross#3 declined not_relevant
    ("S3", "bob", "B", 0, "paid", "2026-11-20 14:10", 20000,
     [("U2", "upsell", 1, "accepted", None, 3000, None),
      ("B1", "bundle", 2, "accepted", None, 1500, 500),
      ("X3", "cross", 3, "declined", "not_relevant", 0, None)], ["PASTA", "SAUCE", "MILK"]),
    # S4 bob B 2026-11-21 14:20 8000: nothing shown
    ("S4", "bob", "B", 0, "paid", "2026-11-21 14:20", 8000, [], ["MILK", "BREAD"]),
    # S5 ann B 2026-11-21 17:05 7000: upsell#1 declined, no reason
    ("S5", "ann", "B", 0, "paid", "2026-11-21 17:05", 7000,
     [("U3", "upsell", 1, "declined", None, 0, None)], ["MILK"]),
    # left out: a training sale (with an accepted offer) and an abandoned one
    ("T1", "ann", "A", 1, "paid", "2026-11-20 10:00", 99999,
     [("X9", "cross", 1, "accepted", None, 5000, 100)], ["PASTA", "SAUCE"]),
    ("Z1", "bob", "A", 0, "abandoned", "2026-11-21 12:00", None,
     [("X8", "cross", 1, "accepted", None, 7000, 100)], []),
]


@pytest.fixture(params=["v3", "v2 upgraded"])
def journal(tmp_path, request):
    """The small journal as the till writes it now, and written by the till of version 2
    then upgraded: the same figures."""
    return make_journal(tmp_path / "sales.db", SALES, from_v2=request.param == "v2 upgraded")


@pytest.fixture
def figs(journal):
    conn = open_journal(journal)
    try:
        return figures(conn, Period(), "Europe/Oslo")
    finally:
        conn.close()


def by(groups):
    return {g.key: g for g in groups}


# ---- figures against hand computations ------------------------------------------------------

def test_overall_figures(figs):
    o = figs.overall
    assert o.sales == 5                                  # S1..S5 (T1 training, Z1 abandoned out)
    assert o.turnover == 50000                           # 10000+5000+20000+8000+7000
    assert o.abv == 10000                                # 50000 / 5
    assert o.abv_without == 8700                         # (50000 - 6500) / 5
    assert o.revenue == 6500                             # 2000 + 3000 + 1500
    assert o.margin == 1300 and o.margin_unknown == 1    # 800 + 500; S3's upsell cost unknown
    assert o.shown == 7 and o.per_sale == pytest.approx(1.4)   # 2+1+3+0+1 over 5 sales
    assert o.accepted == 3 and o.accept_rate == pytest.approx(3 / 7)
    assert (o.with_shown, o.attached) == (4, 2)          # S1,S2,S3,S5 shown; S1,S3 accepted
    assert o.attach_rate == 0.5
    assert (o.upsells_shown, o.upsells_accepted) == (3, 1)     # S1#2, S3#1, S5#1; S3 taken
    assert figs.excluded == {"training": 1, "abandoned": 1}


def test_abv_interval_by_hand(figs):
    # deviations from 10000: 0, -5000, 10000, -2000, -3000 -> squares 138e6; s^2 = 138e6 / 4
    # half width = t(0.975, 4) * sqrt(34.5e6 / 5) = 2.7764451 * 2626.785 = 7293.07
    ci = figs.overall.abv_interval
    half = 2.7764451051977934 * math.sqrt(34.5e6 / 5)
    assert ci.low == pytest.approx(10000 - half, abs=1e-3)
    assert ci.high == pytest.approx(10000 + half, abs=1e-3)


def test_by_kind_and_position(figs):
    kind = by(figs.by_kind)
    assert [g.key for g in figs.by_kind] == ["cross", "upsell", "bundle"]
    # cross: S1#1 accepted, S2#1 ignored, S3#3 declined
    assert (kind["cross"].shown, kind["cross"].accepted, kind["cross"].declined,
            kind["cross"].ignored, kind["cross"].revenue, kind["cross"].margin) == (3, 1, 1, 1, 2000, 800)
    # upsell: S1#2 declined, S3#1 accepted (+3000, cost unknown), S5#1 declined
    assert (kind["upsell"].shown, kind["upsell"].accepted, kind["upsell"].declined,
            kind["upsell"].revenue, kind["upsell"].margin_unknown) == (3, 1, 2, 3000, 1)
    assert kind["upsell"].accept_rate == pytest.approx(1 / 3)
    assert (kind["bundle"].shown, kind["bundle"].accepted, kind["bundle"].revenue) == (1, 1, 1500)
    pos = by(figs.by_position)
    # position 1: S1 acc, S2 ign, S3 acc, S5 decl; 2: S1 decl, S3 acc; 3: S3 decl
    assert (pos["1"].shown, pos["1"].accepted, pos["1"].declined, pos["1"].ignored,
            pos["1"].revenue) == (4, 2, 1, 1, 5000)
    assert (pos["2"].shown, pos["2"].accepted, pos["2"].revenue) == (2, 1, 1500)
    assert (pos["3"].shown, pos["3"].accepted) == (1, 0)
    assert figs.declines == {"(none given)": 1, "not_relevant": 1, "too_expensive": 1}


def test_per_arm_cashier_hour_day(figs):
    arm = by(figs.by_arm)
    assert (arm["A"].sales, arm["A"].turnover, arm["A"].with_shown, arm["A"].attached,
            arm["A"].shown, arm["A"].accepted, arm["A"].revenue) == (2, 15000, 2, 1, 3, 1, 2000)
    assert arm["A"].abv == 7500
    assert (arm["B"].sales, arm["B"].turnover, arm["B"].with_shown, arm["B"].attached,
            arm["B"].shown, arm["B"].accepted, arm["B"].revenue) == (3, 35000, 2, 1, 4, 2, 4500)
    cashier = by(figs.by_cashier)
    assert (cashier["ann"].sales, cashier["ann"].turnover) == (3, 22000)     # S1, S2, S5
    assert (cashier["bob"].sales, cashier["bob"].turnover) == (2, 28000)     # S3, S4
    assert cashier["bob"].abv == 14000
    # local hours: 09 (S1, S2; 08 in UTC), 14 (S3, S4), 17 (S5)
    hour = by(figs.by_hour)
    assert sorted(hour) == ["09", "14", "17"]
    assert (hour["09"].sales, hour["14"].sales, hour["17"].sales) == (2, 2, 1)
    assert hour["09"].turnover == 15000
    day = by(figs.by_day)
    assert (day["2026-11-20"].sales, day["2026-11-20"].turnover) == (3, 35000)
    assert (day["2026-11-21"].sales, day["2026-11-21"].turnover) == (2, 15000)


def test_period_is_local_dates_inclusive(journal):
    conn = open_journal(journal)
    try:
        f = figures(conn, Period(date(2026, 11, 21), date(2026, 11, 21)), "Europe/Oslo")
        # a sale at 00:30 local on the 21st is 23:30 UTC on the 20th: counted on the 21st
    finally:
        conn.close()
    assert (f.overall.sales, f.overall.turnover) == (2, 15000)               # S4, S5
    assert f.excluded == {"abandoned": 1}


def test_local_midnight_belongs_to_the_local_day(tmp_path):
    path = make_journal(tmp_path / "j.db", [
        ("M1", "ann", None, 0, "paid", "2026-11-21 00:30", 100, [], []),
        ("M2", "ann", None, 0, "paid", "2026-11-20 23:30", 300, [], [])])
    conn = open_journal(path)
    try:
        f = figures(conn, Period(date(2026, 11, 21), None), "Europe/Oslo")
        g = figures(conn, Period(), "Europe/Oslo")
    finally:
        conn.close()
    assert f.overall.sales == 1 and f.overall.turnover == 100      # M1 only (23:30Z the 20th)
    assert [h.key for h in g.by_hour] == ["00", "23"]
    assert [d.key for d in g.by_day] == ["2026-11-20", "2026-11-21"]


# ---- statistics -------------------------------------------------------------------------------

def test_wilson_textbook():
    # Newcombe (1998), Table I: 8/10 -> 0.4902 to 0.9433
    ci = wilson(8, 10)
    assert (round(ci.low, 4), round(ci.high, 4)) == (0.4902, 0.9433)
    ci = wilson(0, 10)                     # 0/10 -> 0 to 0.2775
    assert ci.low == 0 and round(ci.high, 4) == 0.2775
    assert wilson(0, 0) is None


def test_t_distribution_textbook():
    assert t_quantile(0.975, 1) == pytest.approx(12.7062, abs=1e-4)
    assert t_quantile(0.975, 9) == pytest.approx(2.2622, abs=1e-4)
    assert t_quantile(0.975, 4) == pytest.approx(2.7764, abs=1e-4)
    assert t_two_sided_p(2.0, 1e9) == pytest.approx(0.0455, abs=1e-4)   # ~ normal
    ci = mean_interval(Moments(3, 6, 14))                                # 1, 2, 3
    assert ci.low == pytest.approx(2 - 4.302653 / math.sqrt(3), abs=1e-5)


def test_two_proportion_z_by_hand():
    # p1 = .30, p2 = .45, pooled .375: se = sqrt(.375 * .625 * .02) = .068465; z = 2.19089
    r = two_proportion_z(30, 100, 45, 100)
    assert r.statistic == pytest.approx(2.19089, abs=1e-5)
    assert r.p == pytest.approx(0.028460, abs=1e-5)


def test_welch_t_matches_reference():
    a = Moments(5, 15, 55)           # 1..5: mean 3, s^2 2.5
    b = Moments(5, 30, 220)          # 2,4,..,10: mean 6, s^2 10
    r = welch_t(a, b)
    # scipy.stats.ttest_ind(b-order reversed, equal_var=False): t 1.897367, df 5.882353, p .107531
    assert r.statistic == pytest.approx(1.8973666, abs=1e-6)
    assert r.df == pytest.approx(5.882353, abs=1e-6)
    assert r.p == pytest.approx(0.1075312, abs=1e-6)


def test_verdicts_in_words():
    assert compare_proportions("attach rate", "A", 300, 1000, "B", 360, 1000).text == \
        "B's attach rate is higher than A's (p = 0.004)"
    v = compare_proportions("attach rate", "A", 300, 1000, "B", 310, 1000)
    assert v.text.startswith("no difference shown (p = 0.63)")
    assert "per arm would show a difference this size" in v.text
    small = compare_proportions("attach rate", "A", 3, 10, "B", 5, 10)
    assert not small.enough and small.p is None
    assert small.text == "too few sales to tell: need about 93 per arm"
    assert compare_means("average basket value", "A", Moments(5, 15, 55), "B",
                         Moments(5, 30, 220)).text.startswith("too few sales to tell")


def test_the_small_journal_is_too_small_to_tell(journal):
    report = build_report(journal, timezone="Europe/Oslo", min_support=2)
    assert [v.metric for v in report.verdicts] == ["attach rate", "upsell take rate",
                                                   "average basket value"]
    assert all(v.text.startswith("too few sales to tell") for v in report.verdicts)
    assert all(v.a == "A" and v.b == "B" for v in report.verdicts)


# ---- bundle candidates ------------------------------------------------------------------------

BASKETS = [["PASTA", "SAUCE"], ["PASTA", "SAUCE"], ["PASTA", "SAUCE", "MILK"], ["MILK", "BREAD"],
           ["MILK"], ["BREAD"], ["MILK", "BREAD"], ["BEER"]]


@pytest.fixture
def basket_journal(tmp_path):
    rows = [(f"P{i}", "ann", None, 0, "paid", "2026-11-20 12:00", 1000, [], skus)
            for i, skus in enumerate(BASKETS)]
    rows.append(("TR", "ann", None, 1, "paid", "2026-11-20 12:00", 1000, [], ["BEER", "SAUCE"]))
    return make_journal(tmp_path / "b.db", rows)


def test_bundle_candidates_by_hand(basket_journal):
    # N = 8 paid sales (the training one left out); PASTA 3, SAUCE 3, MILK 4, BREAD 3
    # PASTA+SAUCE: 3 together, lift 3*8/(3*3) = 2.667; BREAD+MILK: 2, lift 2*8/(3*4) = 1.333;
    # PASTA+MILK and SAUCE+MILK: 1 together (below support 2); BEER+SAUCE only in training
    conn = open_journal(basket_journal)
    try:
        found = candidates(conn, min_support=2, min_lift=1.2)
        strict = candidates(conn, min_support=2, min_lift=1.5)
        dealt = candidates(conn, min_support=2, min_lift=1.2,
                           in_deals={frozenset(("PASTA", "SAUCE"))})
    finally:
        conn.close()
    assert [(c.a, c.b, c.support) for c in found] == [("PASTA", "SAUCE", 3), ("BREAD", "MILK", 2)]
    assert found[0].lift == pytest.approx(8 / 3)
    assert found[1].lift == pytest.approx(4 / 3)
    assert found[1].confidence_ab == pytest.approx(2 / 3) and found[1].confidence_ba == 0.5
    assert [(c.a, c.b) for c in strict] == [("PASTA", "SAUCE")]
    assert [(c.a, c.b) for c in dealt] == [("BREAD", "MILK")]


def test_store_deals_names_and_money(basket_journal, published):
    # the test store's deal PASTA-NIGHT holds PASTA, SAUCE and PARM; currency NOK, nb_NO
    report = build_report(basket_journal, published, min_support=2, min_lift=1.2)
    assert [(c.a, c.b) for c in report.bundles] == [("BREAD", "MILK")]
    assert report.figures.timezone == "Europe/Oslo"
    text = to_table(report)
    assert "kr" in text and "minor units" not in text


# ---- rendering --------------------------------------------------------------------------------

def test_table_lists_every_section(journal):
    report = build_report(journal, timezone="Europe/Oslo", min_support=2)
    text = render(report, "table")
    for title in ("Summary", "Suggestions by kind", "Suggestions by card position",
                  "Decline reasons", "Per arm", "Arms compared", "Per cashier",
                  "Per hour (Europe/Oslo)", "Per day (Europe/Oslo)", "Bundle candidates"):
        assert f"\n{title}\n" in text
    assert "amounts in minor units" in text
    assert "50,000" in text and "10,000  [95% CI 2,707 .. 17,293]" in text
    assert "50.0%" in text                      # the attach rate
    usd = render(build_report(journal, timezone="Europe/Oslo", min_support=2,
                              currency=Currency.iso("USD")), "table")
    assert "$500.00" in usd and "minor units" not in usd


def test_csv_round_trip(journal):
    report = build_report(journal, timezone="Europe/Oslo", min_support=2)
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    value = {(r["section"], r["group"], r["metric"]): r["value"] for r in rows}
    assert value[("summary", "all", "sales")] == "5"
    assert value[("summary", "all", "turnover")] == "50000"
    assert float(value[("summary", "all", "attach_rate")]) == 0.5
    assert float(value[("summary", "all", "attach_rate_ci_low")]) == pytest.approx(
        wilson(2, 4).low, abs=1e-6)
    assert value[("by_cashier", "bob", "sales")] == "2"
    assert value[("by_kind", "upsell", "accepted")] == "1"
    assert value[("by_hour", "09", "sales")] == "2"
    assert value[("decline_reasons", "too_expensive", "declined")] == "1"
    assert value[("bundle_candidates", "PASTA+SAUCE", "support")] == "3"
    assert ("arm_tests", "attach rate: B vs A", "verdict") in value


def test_json_round_trip(journal):
    report = build_report(journal, timezone="Europe/Oslo", min_support=2)
    doc = json.loads(to_json(report))
    assert doc["report"]["timezone"] == "Europe/Oslo" and doc["report"]["money"] == "minor units"
    s = doc["sections"]
    assert s["summary"][0]["sales"] == 5 and s["summary"][0]["abv"] == 10000
    assert s["summary"][0]["left_out_training"] == 1
    assert {r["group"]: r["sales"] for r in s["by_arm"]} == {"A": 2, "B": 3}
    assert {r["group"]: r["turnover"] if "turnover" in r else r["sales"]
            for r in s["by_day"]} == {"2026-11-20": 3, "2026-11-21": 2}
    assert s["by_position"][0]["accept_rate_ci"] == pytest.approx(
        [wilson(2, 4).low, wilson(2, 4).high], abs=1e-6)
    assert [(r["a"], r["b"]) for r in s["bundle_candidates"]] == [("PASTA", "SAUCE")]


# ---- the command ------------------------------------------------------------------------------

def test_cli_formats(journal, capsys):
    assert main(["report", "--journal", str(journal), "--timezone", "Europe/Oslo",
                 "--format", "json", "--min-support", "2"]) == 0
    assert json.loads(capsys.readouterr().out)["sections"]["summary"][0]["sales"] == 5
    assert main(["report", "--journal", str(journal), "--from", "2026-11-21",
                 "--to", "2026-11-21", "--timezone", "Europe/Oslo", "--format", "csv"]) == 0
    assert "summary,all,sales,2\n" in capsys.readouterr().out


@pytest.mark.parametrize("extra, field", [
    (["--from", "2026-13-01"], "--from"),
    (["--to", "yesterday"], "--to"),
    (["--from", "2026-11-22", "--to", "2026-11-01"], "--from"),
    (["--timezone", "Mars/Olympus"], "--timezone"),
])
def test_cli_usage_errors(journal, capsys, extra, field):
    assert main(["report", "--journal", str(journal), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pos report: {field}:") and err.count("\n") == 1


def test_cli_missing_or_bad_journal(tmp_path, capsys):
    assert main(["report", "--journal", str(tmp_path / "nope.db")]) == EXIT_STORE
    err = capsys.readouterr().err
    assert err.startswith("pos report: --journal:") and "nope.db" in err and err.count("\n") == 1
    bad = tmp_path / "bad.db"
    bad.write_text("not sqlite")
    assert main(["report", "--journal", str(bad)]) == EXIT_STORE
    assert capsys.readouterr().err.startswith("pos report: --journal:")
    assert main(["report", "--journal", str(bad), "--db", str(tmp_path / "none.db")]) == EXIT_STORE
    capsys.readouterr()
    v2_journal(tmp_path / "v2.db").close()        # read-only: not upgraded by the report
    assert main(["report", "--journal", str(tmp_path / "v2.db")]) == EXIT_STORE
    err = capsys.readouterr().err
    assert err.startswith("pos report: --journal:") and "upgrade it to version 6" in err


def test_open_and_bounded_periods_agree(journal):
    # an open period sums all offers and takes off those of T1 and Z1; a bounded one
    # joins each counted sale to its offers: the same figures
    conn = open_journal(journal)
    try:
        whole = figures(conn, Period(), "Europe/Oslo")
        month = figures(conn, Period(date(2026, 11, 1), date(2026, 11, 30)), "Europe/Oslo")
    finally:
        conn.close()
    assert [(g.key, g.shown, g.accepted, g.declined, g.ignored, g.revenue, g.margin)
            for g in whole.by_kind] == \
        [(g.key, g.shown, g.accepted, g.declined, g.ignored, g.revenue, g.margin)
         for g in month.by_kind]
    assert whole.declines == month.declines and whole.overall.revenue == month.overall.revenue
    assert [(g.key, g.shown) for g in whole.offers_by_arm] == [("A", 3), ("B", 4)]
