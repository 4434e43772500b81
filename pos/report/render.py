"""The report as text: an aligned plain-text table per section, CSV or JSON.

Every format comes from the same sections (`sections(report)`): a title, typed
columns and rows of raw values. Money is minor units (formatted with the store's
currency and locale in the table only), rates are fractions, intervals are 95%.

CSV is one long table, `section,group,metric,value`: one row per figure, an
interval giving two rows (`<metric>_low`, `<metric>_high`); the `group` of a
single-row section (summary) is `all`. JSON is
`{"report": {...period, timezone, currency...}, "sections": {name: [row, ...]}}`
with each row an object of the section's columns (intervals as [low, high]).
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from . import Report
from .figures import Group, OfferGroup
from .stats import Interval

MONEY, INT, RATE, NUMBER, TEXT, INTERVAL, P = ("money", "int", "rate", "number", "text",
                                              "interval", "p")


@dataclass
class Section:
    name: str                         # machine name (csv/json)
    title: str                        # heading in the table
    columns: list[tuple[str, str]]    # (name, type)
    rows: list[list[Any]]
    note: str | None = None


GROUP_COLUMNS = [("sales", INT), ("abv", MONEY), ("abv_ci", INTERVAL),
                 ("suggestions_per_sale", NUMBER), ("accept_rate", RATE),
                 ("attach_rate", RATE), ("attach_rate_ci", INTERVAL),
                 ("upsell_take_rate", RATE), ("suggestion_revenue", MONEY),
                 ("suggestion_margin", MONEY)]

OFFER_COLUMNS = [("shown", INT), ("accepted", INT), ("declined", INT), ("ignored", INT),
                 ("accept_rate", RATE), ("accept_rate_ci", INTERVAL), ("revenue", MONEY),
                 ("margin", MONEY)]


# minor units (a figure may be a mean) -> text
MoneyFormat = Callable[[float], str]


def _group_row(g: Group) -> list[Any]:
    return [g.key, g.sales, g.abv, g.abv_interval, g.per_sale, g.accept_rate, g.attach_rate,
            g.attach_interval, g.upsell_rate, g.revenue, g.margin]


def _offer_row(g: OfferGroup) -> list[Any]:
    return [g.key, g.shown, g.accepted, g.declined, g.ignored, g.accept_rate, g.accept_interval,
            g.revenue, g.margin]


def sections(report: Report) -> list[Section]:
    f = report.figures
    o = f.overall
    summary = Section("summary", "Summary", [("group", TEXT), ("sales", INT), ("turnover", MONEY),
                      ("abv", MONEY), ("abv_ci", INTERVAL),
                      ("abv_without_suggestions", MONEY), ("sales_with_suggestions", INT),
                      ("suggestions_shown", INT), ("suggestions_per_sale", NUMBER),
                      ("accepted", INT), ("accept_rate", RATE), ("accept_rate_ci", INTERVAL),
                      ("attach_rate", RATE), ("attach_rate_ci", INTERVAL),
                      ("upsells_shown", INT), ("upsell_take_rate", RATE),
                      ("upsell_take_rate_ci", INTERVAL), ("suggestion_revenue", MONEY),
                      ("suggestion_margin", MONEY), ("accepted_cost_unknown", INT),
                      ("left_out_training", INT), ("left_out_abandoned", INT),
                      ("left_out_open", INT)],
                      [["all", o.sales, o.turnover, o.abv, o.abv_interval, o.abv_without,
                        o.with_shown, o.shown, o.per_sale, o.accepted, o.accept_rate,
                        o.accept_interval, o.attach_rate, o.attach_interval, o.upsells_shown,
                        o.upsell_rate, o.upsell_interval, o.revenue, o.margin, o.margin_unknown,
                        f.excluded.get("training", 0), f.excluded.get("abandoned", 0),
                        f.excluded.get("open", 0)]],
                      note="suggestion margin: accepted suggestions of known cost only")
    out = [summary]
    offer_cols = [("group", TEXT)] + OFFER_COLUMNS
    out.append(Section("by_kind", "Suggestions by kind", offer_cols,
                       [_offer_row(g) for g in f.by_kind]))
    out.append(Section("by_position", "Suggestions by card position", offer_cols,
                       [_offer_row(g) for g in f.by_position]))
    declined = sum(f.declines.values())
    out.append(Section("decline_reasons", "Decline reasons",
                       [("group", TEXT), ("declined", INT), ("share", RATE)],
                       [[r, n, n / declined] for r, n in f.declines.items()]))
    cols = [("group", TEXT)] + GROUP_COLUMNS
    out.append(Section("by_arm", "Per arm", cols, [_group_row(g) for g in f.by_arm]))
    out.append(Section("coupons_by_arm", "Next-visit coupons per arm",
                       [("group", TEXT), ("issued", INT), ("printed", INT), ("redeemed", INT),
                        ("redemption_rate", RATE), ("discount", MONEY), ("item_revenue", MONEY),
                        ("redeeming_sales_total", MONEY)],
                       [[g.key, g.issued, g.printed, g.redeemed, g.redemption_rate, g.discount,
                         g.revenue, g.sales_total] for g in f.coupons_by_arm],
                       note="issued in the period, by the arm of the sale that issued them; "
                            "redemption rate: redeemed / printed"))
    out.append(Section("arm_tests", "Arms compared",
                       [("metric", TEXT), ("a", TEXT), ("b", TEXT), ("value_a", NUMBER),
                        ("value_b", NUMBER), ("p", P), ("verdict", TEXT)],
                       [[v.metric, v.a, v.b, v.value_a, v.value_b, v.p, v.text]
                        for v in report.verdicts],
                       note=None if report.verdicts else "fewer than two arms: nothing to compare"))
    out.append(Section("by_cashier", "Per cashier", cols, [_group_row(g) for g in f.by_cashier]))
    out.append(Section("by_till", "Per till", cols, [_group_row(g) for g in f.by_till]))
    out.append(Section("by_hour", f"Per hour ({f.timezone})", cols,
                       [_group_row(g) for g in f.by_hour]))
    out.append(Section("by_day", f"Per day ({f.timezone})", cols,
                       [_group_row(g) for g in f.by_day]))
    if report.bundles is not None:
        names = report.store.names if report.store else {}
        out.append(Section("bundle_candidates", "Bundle candidates",
                           [("a", TEXT), ("name_a", TEXT), ("b", TEXT), ("name_b", TEXT),
                            ("support", INT), ("lift", NUMBER), ("confidence_ab", RATE),
                            ("confidence_ba", RATE)],
                           [[c.a, names.get(c.a, ""), c.b, names.get(c.b, ""), c.support,
                             c.lift, c.confidence_ab, c.confidence_ba] for c in report.bundles],
                           note=(f"counted over the latest {report.bundle_sales:,} of "
                                 f"{f.overall.sales:,} sales"
                                 if report.bundle_sales < f.overall.sales else None)))
    return out


# ---- table ----------------------------------------------------------------------------

def money_formatter(report: Report) -> tuple[MoneyFormat, str | None]:
    """minor units -> text, and a note when there is no currency to show."""
    if report.currency is not None:
        from ..till.money import Money
        money = Money(report.currency, report.store.locale if report.store else "en")
        return (lambda v: money(int(round(v)))), None
    return ((lambda v: f"{int(round(v)):,}"),
            "amounts in minor units (sales journaled without a currency, and no --db or "
            "--currency given)")


def _cell(value: Any, kind: str, money: MoneyFormat) -> str:
    if value is None:
        return "-"
    if kind == MONEY:
        return money(value)
    if kind == INT:
        return f"{value:,}"
    if kind == RATE:
        return f"{100 * value:.1f}%"
    if kind == NUMBER:
        return f"{value:,.2f}" if isinstance(value, float) else str(value)
    if kind == INTERVAL:
        return "-"
    if kind == P:
        return "<0.001" if value < 0.001 else f"{value:.3f}"
    return str(value)


def _interval(value: Interval | None, kind: str, money: MoneyFormat) -> str:
    if value is None:
        return "-"
    if kind == MONEY:
        return f"{money(value.low)} .. {money(value.high)}"
    return f"{100 * value.low:.1f}-{100 * value.high:.1f}%"


# shorter headings in the table (CSV and JSON keep the column names)
HEADS = {"group": "", "suggestions_per_sale": "sugg/sale", "accept_rate": "accept",
         "attach_rate": "attach", "upsell_take_rate": "upsell take",
         "suggestion_revenue": "sugg revenue", "suggestion_margin": "sugg margin",
         "value_a": "A", "value_b": "B", "confidence_ab": "conf a>b",
         "confidence_ba": "conf b>a", "redemption_rate": "redeem rate",
         "redeeming_sales_total": "redeeming sales"}


FIRST = {"by_kind": "kind", "by_position": "card", "decline_reasons": "reason", "by_arm": "arm",
         "coupons_by_arm": "arm",
         "by_cashier": "cashier", "by_till": "till", "by_hour": "hour", "by_day": "day"}


def _table_cells(section: Section, money: MoneyFormat) -> tuple[list[str], list[list[str]]]:
    """Headers and cells; an interval column is shown as '[low .. high]' after the
    figure it belongs to (the column before it)."""
    heads: list[str] = []
    rows: list[list[str]] = [[] for _ in section.rows]
    for i, (name, kind) in enumerate(section.columns):
        if name == "group" and section.name in FIRST:
            heads.append(FIRST[section.name])
            for r, row in enumerate(section.rows):
                rows[r].append(str(row[i]))
        elif section.name == "arm_tests" and name in ("value_a", "value_b"):
            heads.append(HEADS[name])
            for r, row in enumerate(section.rows):
                rows[r].append(_cell(row[i], MONEY if row[0] == "average basket value"
                                     else RATE, money))
        elif kind == INTERVAL:
            of = section.columns[i - 1][1]
            heads.append("95% CI")
            for r, row in enumerate(section.rows):
                rows[r].append(_interval(row[i], of, money))
        else:
            heads.append(HEADS.get(name, name.replace("_", " ")) if section.name != "summary"
                         else name.replace("_", " "))
            for r, row in enumerate(section.rows):
                rows[r].append(_cell(row[i], kind, money))
    return heads, rows


def _aligned(heads: list[str], rows: list[list[str]], kinds: list[str]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(heads)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if k == TEXT else c.rjust(w)
                         for c, w, k in zip(cells, widths, kinds)).rstrip()
    return [line(heads), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def header(report: Report) -> list[str]:
    f = report.figures
    store = report.store.name if report.store and report.store.name else None
    first = f.period.first.isoformat() if f.period.first else "first sale"
    last = f.period.last.isoformat() if f.period.last else "last sale"
    return [f"Sales report{' - ' + store if store else ''}: {first} .. {last} "
            f"(local time, {f.timezone}); training, abandoned and open sales left out"]


def to_table(report: Report) -> str:
    money, note = money_formatter(report)
    out = header(report)
    if note:
        out.append(note)
    for section in sections(report):
        out += ["", section.title, "=" * len(section.title)]
        if section.name == "summary":
            heads, rows = _table_cells(section, money)
            pairs: list[list[str]] = []
            for i, (_name, kind) in enumerate(section.columns):
                if kind == INTERVAL:
                    pairs[-1][1] += f"  [95% CI {rows[0][i]}]"
                else:
                    pairs.append([heads[i], rows[0][i]])
            width = max(len(k) for k, _ in pairs)
            out += [f"{k.ljust(width)}  {v}" for k, v in pairs[1:]]
        elif not section.rows:
            out.append("(none)")
        else:
            heads, rows = _table_cells(section, money)
            kinds = [k for _, k in section.columns]
            out += _aligned(heads, rows, kinds)
        if section.note:
            out.append(f"({section.note})")
    return "\n".join(out) + "\n"


# ---- csv and json -----------------------------------------------------------------------

def _raw(value: object) -> object:
    if isinstance(value, float):
        return round(value, 6)
    return value


def to_csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "group", "metric", "value"])
    for section in sections(report):
        keyed = section.columns[0][1] == TEXT and section.name not in ("arm_tests", "summary")
        for r, row in enumerate(section.rows):
            group = (row[0] if keyed else "all" if section.name == "summary"
                     else f"{row[0]}: {row[2]} vs {row[1]}" if section.name == "arm_tests"
                     else str(r + 1))
            if section.name == "bundle_candidates":
                group = f"{row[0]}+{row[2]}"
            for (name, kind), value in zip(section.columns, row):
                if name == "group" or (section.name == "bundle_candidates" and name in ("a", "b")):
                    continue
                if kind == INTERVAL:
                    w.writerow([section.name, group, f"{name}_low", "" if value is None
                                else _raw(value.low)])
                    w.writerow([section.name, group, f"{name}_high", "" if value is None
                                else _raw(value.high)])
                else:
                    w.writerow([section.name, group, name, "" if value is None else _raw(value)])
    return buf.getvalue()


def to_json(report: Report) -> str:
    f = report.figures
    info = report.store
    by_section: dict[str, list[dict[str, Any]]] = {}
    doc = {"report": {"from": f.period.first.isoformat() if f.period.first else None,
                      "to": f.period.last.isoformat() if f.period.last else None,
                      "timezone": f.timezone,
                      "store": info.name if info else None,
                      "currency": report.currency.code if report.currency else None,
                      "currency_exponent": (report.currency.exponent if report.currency
                                            else None),
                      "money": "minor units"},
           "sections": by_section}
    for section in sections(report):
        by_section[section.name] = [
            {name: ([_raw(v.low), _raw(v.high)] if isinstance(v, Interval) else _raw(v))
             for (name, _), v in zip(section.columns, row)} for row in section.rows]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render(report: Report, fmt: str = "table") -> str:
    if fmt == "csv":
        return to_csv(report)
    if fmt == "json":
        return to_json(report)
    return to_table(report)
