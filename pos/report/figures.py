"""The report's figures from a sales journal: the SQL that aggregates sales and
offers, and the roll-up into plain dataclasses (no printing, no UI).

Which sales count: `status = 'paid'`, `training = 0`, paid (`ended_at`) within
the period. Training, abandoned and open sales are left out and counted apart
(`Report.excluded`). Definitions (docs/report.md has the full list):

  sales                 paid sales counted
  ABV                   mean `total` per sale (average basket value), with a t interval
  ABV without           mean of `total` minus what accepted suggestions added (`revenue`)
  suggestions per sale  offers shown / sales
  accept rate           accepted offers / offers shown (by kind, by card position)
  attach rate           sales with at least one accepted suggestion (add-on, upgrade or
                        deal) / sales where at least one suggestion was shown
  upsell take rate      accepted upsells / upsells shown
  suggestion revenue    sum of `revenue` of accepted offers; margin: sum of `margin`
                        where known (accepted offers of unknown cost counted apart)
  coupons (per arm)     next-visit coupons issued in the period (by the arm of the sale
                        that issued them), printed (`printed_at` set), redeemed (used in a
                        paid sale, at any time), redemption rate (redeemed / printed),
                        the discount given, the coupon items' revenue net of it, and the
                        totals of the redeeming sales

One SQL pass over the sales (each carries its offers' totals, written by the
journal when it was paid: no join) groups them by cashier, arm and a UTC time
bucket (an hour, or 15 minutes for zones whose offset is not whole hours); it is
summed per cashier, per arm and per bucket, and per local hour and local day are
rolled up from the buckets in Python. A second pass groups the offers by arm,
kind, card position, outcome and decline reason. The sales pass is cut in two
halves (by rowid) run at once on two connections, the offers pass beside it; see
the comments at the SQL for how they avoid SQLite's sorting GROUP BY.
"""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ..currency import Currency
from ..errors import EXIT_STORE, PosError
from ..journal import JOURNAL_VERSION
from .stats import Interval, Moments, mean_interval, wilson

# the oldest journal the report reads as it is (version 5 added only the hub's outbox)
REPORT_READS_FROM = 4

NO_ARM = "(none)"
NO_CASHIER = "(none)"


class ReportError(PosError):
    """The journal cannot be read for a report."""
    exit_code = EXIT_STORE


@dataclass(frozen=True)
class Period:
    """Local dates, both included; None: open-ended."""
    first: date | None = None
    last: date | None = None

    def utc_bounds(self, zone: ZoneInfo) -> tuple[float, float]:
        start = (datetime.combine(self.first, datetime.min.time(), zone).timestamp()
                 if self.first else float("-inf"))
        end = (datetime.combine(self.last + timedelta(days=1), datetime.min.time(), zone).timestamp()
               if self.last else float("inf"))
        return start, end


@dataclass
class Group:
    """The sale figures of one group (all sales, a cashier, an hour, a day, an arm)."""
    key: str
    sales: int = 0
    basket: Moments = field(default_factory=Moments)          # sale totals
    base: Moments = field(default_factory=Moments)            # totals minus suggestion revenue
    with_shown: int = 0           # sales where at least one suggestion was shown
    attached: int = 0             # ... and at least one was accepted
    shown: int = 0
    accepted: int = 0
    upsells_shown: int = 0
    upsells_accepted: int = 0
    revenue: int = 0              # added by accepted suggestions
    margin: int = 0               # their margin where the cost is known
    margin_unknown: int = 0       # accepted suggestions whose cost is unknown

    def add(self, row: "Group") -> None:
        self.sales += row.sales
        self.basket += row.basket
        self.base += row.base
        for name in ("with_shown", "attached", "shown", "accepted", "upsells_shown",
                     "upsells_accepted", "revenue", "margin", "margin_unknown"):
            setattr(self, name, getattr(self, name) + getattr(row, name))

    @property
    def turnover(self) -> int:
        return int(self.basket.total)

    @property
    def abv(self) -> float | None:
        return self.basket.mean

    @property
    def abv_interval(self) -> Interval | None:
        return mean_interval(self.basket)

    @property
    def abv_without(self) -> float | None:
        return self.base.mean

    @property
    def per_sale(self) -> float | None:
        return self.shown / self.sales if self.sales else None

    @property
    def accept_rate(self) -> float | None:
        return self.accepted / self.shown if self.shown else None

    @property
    def accept_interval(self) -> Interval | None:
        return wilson(self.accepted, self.shown)

    @property
    def attach_rate(self) -> float | None:
        return self.attached / self.with_shown if self.with_shown else None

    @property
    def attach_interval(self) -> Interval | None:
        return wilson(self.attached, self.with_shown)

    @property
    def upsell_rate(self) -> float | None:
        return self.upsells_accepted / self.upsells_shown if self.upsells_shown else None

    @property
    def upsell_interval(self) -> Interval | None:
        return wilson(self.upsells_accepted, self.upsells_shown)


@dataclass
class OfferGroup:
    """Offers of one kind, card position or arm: how they ended."""
    key: str
    shown: int = 0
    accepted: int = 0
    declined: int = 0
    ignored: int = 0
    revenue: int = 0
    margin: int = 0
    margin_unknown: int = 0

    @property
    def accept_rate(self) -> float | None:
        return self.accepted / self.shown if self.shown else None

    @property
    def accept_interval(self) -> Interval | None:
        return wilson(self.accepted, self.shown)


# ---- SQL ------------------------------------------------------------------------------

def _sale_filter(bounded: bool) -> str:
    """The counted sales. `+` keeps SQLite off an index: nearly every sale is paid,
    and over an open-ended period a scan beats the ended_at index (which serves a
    bounded one)."""
    by_time = "s.ended_at" if bounded else "+s.ended_at"
    return (f"+s.status = 'paid' AND s.training = 0 AND {by_time} >= :start "
            f"AND {by_time} < :end AND s.rowid >= :lo AND s.rowid < :hi")


# SQLite's GROUP BY sorts every row, and a temporary table keyed by text columns is
# slow to look up; over a million sales those are the slow parts. So each group is
# numbered (an integer made of the time bucket and the cashier's and arm's numbers,
# or of the offer's arm, kind, position, outcome and reason), the rows are summed
# into a temporary table keyed by that integer (an UPSERT per row), and the two
# passes run at once on two connections (SQLite releases the GIL while it works).
NAMES_SQL = """
SELECT DISTINCT coalesce(s.cashier, '{no_cashier}'), coalesce(s.arm, '{no_arm}'), s.currency,
       s.currency_exponent, s.till
FROM sales s WHERE {sale_filter}
"""

# each sale's offers are summed on its row when it is paid (pos.journal.OFFER_TOTALS):
# a plain scan of the sales, no join (a paid row some other writer left without the
# totals counts as a sale without offers)
SALES_SQL = """
INSERT INTO temp.cube
SELECT ((CAST((s.ended_at - :origin) / :bucket AS INTEGER) * :arms + {arm}) * :tills + {till})
           * :cashiers + {cashier},
       1, s.total, s.total * 1.0 * s.total, coalesce(s.offers_shown > 0, 0),
       coalesce(s.offers_accepted > 0, 0), coalesce(s.offers_shown, 0),
       coalesce(s.offers_accepted, 0), coalesce(s.upsells_shown, 0),
       coalesce(s.upsells_accepted, 0), coalesce(s.offer_revenue, 0),
       coalesce(s.offer_margin, 0), coalesce(s.offers_margin_unknown, 0)
FROM sales s
WHERE {sale_filter}
ON CONFLICT DO UPDATE SET n = n + 1, tot = tot + excluded.tot, tot2 = tot2 + excluded.tot2,
    with_shown = with_shown + excluded.with_shown, attached = attached + excluded.attached,
    shown = shown + excluded.shown, accepted = accepted + excluded.accepted,
    up_shown = up_shown + excluded.up_shown, up_accepted = up_accepted + excluded.up_accepted,
    revenue = revenue + excluded.revenue, margin = margin + excluded.margin,
    margin_unknown = margin_unknown + excluded.margin_unknown
"""

CUBE_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS cube (k INTEGER PRIMARY KEY, n, tot, tot2, with_shown,
    attached, shown, accepted, up_shown, up_accepted, revenue, margin, margin_unknown)
"""

KINDS = ("cross", "upsell", "bundle")
OUTCOMES = ("accepted", "declined", "ignored")          # NULL (still open) counts as ignored
REASONS = ("not_relevant", "too_expensive", "already_has")
OTHER = "(other)"           # a kind or reason this version does not know

# an offer group: (arm, kind, card position, outcome, reason or None)
OfferKey = tuple[str, str, int, str, str | None]
# an offer group and its sums: offers, revenue, margin, offers of unknown cost
OfferRow = tuple[str, str, int, str, str | None, int, int, int, int]
_K = TypeVar("_K", str, float)   # a roll-up's key: a name or a bucket start
MAX_POSITION = 15

# sales first, each one's offers from the covering index offers_sale_outcome
OFFERS_SQL = """
INSERT INTO temp.offer_cube
SELECT (((({arm}) * 4 + {kind}) * 16 + min(max(o.position, 0), {max_position})) * 4 + {outcome})
           * 5 + {reason},
       1, o.revenue, coalesce(o.margin, 0), o.outcome = 'accepted' AND o.margin IS NULL
FROM sales s CROSS JOIN offers o ON o.sale_id = s.sale_id
WHERE {sale_filter} AND true
ON CONFLICT DO UPDATE SET n = n + 1, revenue = revenue + excluded.revenue,
    margin = margin + excluded.margin, margin_unknown = margin_unknown + excluded.margin_unknown
"""

# Over an open-ended period nearly every offer counts: all offers are grouped in
# the order of the covering index offers_cube (by the arm journaled with the offer,
# the sale's; no sort, no temporary table), then those of the sales not counted
# (training, abandoned, open: few) are taken off again.
_OFFER_SUMS = """o.arm, o.kind, o.position, o.outcome, o.reason, count(*), sum(o.revenue),
       coalesce(sum(o.margin), 0),
       count(CASE WHEN o.outcome = 'accepted' AND o.margin IS NULL THEN 1 END)"""
_OFFER_GROUPS = "GROUP BY o.arm, o.kind, o.position, o.outcome, o.reason"

OFFERS_ALL_SQL = f"""
SELECT {_OFFER_SUMS}
FROM offers o
{_OFFER_GROUPS}
"""

OFFERS_NOT_COUNTED_SQL = f"""
SELECT {_OFFER_SUMS}
FROM sales s CROSS JOIN offers o ON o.sale_id = s.sale_id
WHERE s.training OR s.status != 'paid' OR s.ended_at IS NULL
{_OFFER_GROUPS}
"""

OFFER_TABLE = """
CREATE TEMP TABLE IF NOT EXISTS offer_cube (k INTEGER PRIMARY KEY, n, revenue, margin,
    margin_unknown)
"""

EXCLUDED_SQL = """
SELECT CASE WHEN training THEN 'training' ELSE status END, count(*) FROM sales
WHERE coalesce(ended_at, started_at) >= ? AND coalesce(ended_at, started_at) < ?
  AND (training OR status != 'paid')
GROUP BY 1
"""


def open_journal(path: str | PathLike[str]) -> sqlite3.Connection:
    """A read-only connection to a sales journal of version 4 (its paid sales carry
    their offers' totals, pos.journal.OFFER_TOTALS, and their currency)."""
    path = Path(path)
    if not path.is_file():
        raise ReportError(f"{path}: no sales journal here")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10,
                               check_same_thread=False)
        row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ReportError(f"{path}: not a sales journal or damaged ({exc})") from None
    version = int(row[0]) if row else 0
    if version < REPORT_READS_FROM:
        conn.close()
        raise ReportError(f"{path}: a sales journal of version {version}; open it once with "
                          f"`pos till` (or `pos export --db STORE.db`) to upgrade it to "
                          f"version {JOURNAL_VERSION}")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -200000")
    conn.execute("PRAGMA mmap_size = 4294967296")       # pages read in place, not copied
    return conn


def _second(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Another read connection to the same journal (for a pass run at once)."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    return open_journal(path)


def bucket_seconds(zone: ZoneInfo, start: float, end: float) -> int:
    """An hour, or 15 minutes when the zone's offset is not whole hours."""
    now = datetime.now(zone).timestamp()
    points = [t for t in (start, end, now) if abs(t) != float("inf")]
    for t in points:
        delta = datetime.fromtimestamp(t, zone).utcoffset()
        assert delta is not None            # a time in a ZoneInfo zone is aware
        if delta.total_seconds() % 3600:
            return 900
    return 3600


@dataclass
class Cube:
    """Sale figures per UTC bucket start, per cashier, per till and per arm."""
    by_bucket: list[tuple[float, Group]]
    by_cashier: list[tuple[str, Group]]
    by_till: list[tuple[str, Group]]
    by_arm: list[tuple[str, Group]]


def _case(column: str, values: list[str], prefix: str, params: dict[str, object], default: int) -> str:
    """A CASE numbering `column`'s values (bound as parameters) 0, 1, ...."""
    if not values:
        return str(default)
    whens = []
    for i, value in enumerate(values):
        params[f"{prefix}{i}"] = value
        whens.append(f"WHEN :{prefix}{i} THEN {i}")
    return f"CASE {column} {' '.join(whens)} ELSE {default} END"


def _filter_of(start: float, end: float) -> str:
    return _sale_filter(start != float("-inf") or end != float("inf"))


def names(conn: sqlite3.Connection, start: float, end: float
          ) -> tuple[list[str], list[str], list[Currency | None], list[str]]:
    """The cashiers, arms, currencies (None: journaled without one, before version
    4) and tills of the counted sales, sorted."""
    rows = conn.execute(NAMES_SQL.format(sale_filter=_filter_of(start, end), no_arm=NO_ARM,
                                         no_cashier=NO_CASHIER),
                        {"start": start, "end": end, "lo": ALL_ROWS[0],
                         "hi": ALL_ROWS[1]}).fetchall()
    currencies = {None if code is None else Currency(code, exponent)
                  for _, _, code, exponent, _ in rows}
    return (sorted({r[0] for r in rows}), sorted({r[1] for r in rows}),
            sorted(currencies, key=lambda c: (c is not None, str(c))), sorted({r[4] for r in rows}))


ALL_ROWS = (-2**63, 2**63 - 1)


# the cube's rows summed along one of its dimensions (few thousand rows: quick)
CUBE_ROLL_SQL = """
SELECT {dimension}, sum(n), sum(tot), sum(tot2), sum(with_shown), sum(attached), sum(shown),
       sum(accepted), sum(up_shown), sum(up_accepted), sum(revenue), sum(margin),
       sum(margin_unknown)
FROM temp.cube GROUP BY 1
"""


def _group(row: Sequence[Any]) -> Group:
    (n, tot, tot2, with_shown, attached, shown, accepted, up_shown, up_acc, revenue, margin,
     unknown) = row
    return Group("", n, Moments(n, tot, tot2), Moments(n, tot - revenue, 0.0), with_shown,
                 attached, shown, accepted, up_shown, up_acc, int(revenue), int(margin), unknown)


def sale_cube(conn: sqlite3.Connection, start: float, end: float, bucket: int,
              cashiers: list[str], arms: list[str], tills: list[str],
              rows: tuple[int, int] = ALL_ROWS) -> Cube:
    """The sales of rowids rows[0] <= rowid < rows[1] (a share of the work)."""
    n_arms, n_cashiers, n_tills = max(1, len(arms)), max(1, len(cashiers)), max(1, len(tills))
    params: dict[str, object] = {"origin": 0.0, "bucket": bucket, "start": start, "end": end,
                                 "lo": rows[0], "hi": rows[1], "arms": n_arms,
                                 "cashiers": n_cashiers, "tills": n_tills}
    sql = SALES_SQL.format(arm=_case(f"coalesce(s.arm, '{NO_ARM}')", arms, "a", params, 0),
                           till=_case("s.till", tills, "t", params, 0),
                           cashier=_case(f"coalesce(s.cashier, '{NO_CASHIER}')", cashiers, "c",
                                         params, 0),
                           sale_filter=_filter_of(start, end))
    conn.execute(CUBE_TABLE)
    conn.execute("DELETE FROM temp.cube")
    conn.execute(sql, params)

    def roll(dimension: str) -> list[tuple[int, Group]]:
        return [(k, _group(row)) for k, *row in conn.execute(CUBE_ROLL_SQL.format(
            dimension=dimension))]
    # keys are not negative (times after 1970): SQLite's / and % are Python's // and %
    per_arm = n_cashiers * n_tills
    cube = Cube(by_bucket=[(b * bucket, g) for b, g in roll(f"k / {per_arm * n_arms}")],
                by_cashier=[(cashiers[c], g) for c, g in roll(f"k % {n_cashiers}")],
                by_till=[(tills[t], g) for t, g in roll(f"k / {n_cashiers} % {n_tills}")],
                by_arm=[(arms[a], g) for a, g in roll(f"k / {per_arm} % {n_arms}")])
    conn.execute("DELETE FROM temp.cube")
    return cube


def _offer_key(arms: list[str], arm: str | None, kind: str, position: int, outcome: str | None,
               reason: str | None) -> OfferKey:
    """An offer's group: an arm of `arms` (the first for one not there), a kind of
    KINDS or OTHER, the card position (0..MAX_POSITION), an outcome of OUTCOMES (NULL
    or unknown: ignored), a reason of REASONS, None or OTHER."""
    arm = NO_ARM if arm is None else arm
    return (arm if arm in arms else arms[0] if arms else NO_ARM,
            kind if kind in KINDS else OTHER,
            min(max(position, 0), MAX_POSITION),
            outcome if outcome in OUTCOMES else "ignored",
            reason if reason is None or reason in REASONS else OTHER)


def offer_rows(conn: sqlite3.Connection, start: float, end: float, arms: list[str],
               rows: tuple[int, int] = ALL_ROWS) -> list[OfferRow]:
    """(arm, kind, position, outcome, reason or None, offers, revenue, margin, cost
    unknown) of the counted sales of rowids rows[0] <= rowid < rows[1]; over an
    open-ended period, of all counted sales (`rows` is not used)."""
    if start == float("-inf") and end == float("inf"):
        return merge_offers(all_offers(conn) + offers_taken_off(conn), arms)
    params: dict[str, object] = {"start": start, "end": end, "lo": rows[0], "hi": rows[1]}
    parts = dict(
        arm=_case(f"coalesce(s.arm, '{NO_ARM}')", arms, "a", params, 0),
        kind=_case("o.kind", list(KINDS), "k", params, len(KINDS)),
        outcome=_case("o.outcome", list(OUTCOMES), "o", params, OUTCOMES.index("ignored")),
        reason=(f"CASE WHEN o.reason IS NULL THEN {len(REASONS)} ELSE "
                f"{_case('o.reason', list(REASONS), 'r', params, len(REASONS) + 1)} END"),
        max_position=MAX_POSITION, sale_filter=_filter_of(start, end))
    conn.execute(OFFER_TABLE)
    conn.execute("DELETE FROM temp.offer_cube")
    conn.execute(OFFERS_SQL.format(**parts), params)
    kinds = list(KINDS) + [OTHER]
    reasons = list(REASONS) + [None, OTHER]
    found: list[OfferRow] = []
    for k, n, revenue, margin, unknown in conn.execute("SELECT * FROM temp.offer_cube "
                                                       "WHERE n != 0"):
        k, reason = divmod(k, 5)
        k, outcome = divmod(k, 4)
        k, position = divmod(k, 16)
        arm, kind = divmod(k, 4)
        found.append((arms[arm] if arms else NO_ARM, kinds[kind], position, OUTCOMES[outcome],
                      reasons[reason], n, revenue, margin, unknown))
    conn.execute("DELETE FROM temp.offer_cube")
    return found


def all_offers(conn: sqlite3.Connection) -> list[OfferRow]:
    """Every offer of the journal summed per (arm, kind, position, outcome, reason) as
    journaled: (those five, offers, revenue, margin, cost unknown)."""
    return conn.execute(OFFERS_ALL_SQL).fetchall()


def offers_taken_off(conn: sqlite3.Connection) -> list[OfferRow]:
    """The offers of the sales not counted over an open-ended period, as all_offers
    gives them but with counts and sums negative."""
    return [(*key, -n, -revenue, -margin, -unknown)
            for *key, n, revenue, margin, unknown in conn.execute(OFFERS_NOT_COUNTED_SQL)]


def merge_offers(raw: list[OfferRow], arms: list[str]) -> list[OfferRow]:
    """Rows of all_offers and offers_taken_off summed per group (_offer_key) as
    offer_rows gives them, leaving out groups with no offer left."""
    found: dict[OfferKey, list[int]] = {}
    for arm, kind, position, outcome, reason, *sums in raw:
        key = _offer_key(arms, arm, kind, position, outcome, reason)
        total = found.setdefault(key, [0, 0, 0, 0])
        for i, value in enumerate(sums):
            total[i] += value
    return [key + (sums[0], sums[1], sums[2], sums[3])
            for key, sums in sorted(found.items(), key=_order) if sums[0] != 0]


def _order(item: tuple[OfferKey, list[int]]) -> tuple[str, int, int, int, int]:
    arm, kind, position, outcome, reason = item[0]
    kinds, reasons = list(KINDS) + [OTHER], list(REASONS) + [None, OTHER]
    return (arm, kinds.index(kind), position, OUTCOMES.index(outcome), reasons.index(reason))


def _halves(conn: sqlite3.Connection, table: str) -> list[tuple[int, int]]:
    """The table's rowids cut in two ranges (rowids are dense in a journal)."""
    lo, hi = conn.execute(f"SELECT min(rowid), max(rowid) FROM {table}").fetchone()
    if lo is None:
        return [ALL_ROWS, (0, 0)]
    mid = (lo + hi) // 2 + 1
    return [(ALL_ROWS[0], mid), (mid, ALL_ROWS[1])]


def excluded(conn: sqlite3.Connection, start: float, end: float) -> dict[str, int]:
    return dict(conn.execute(EXCLUDED_SQL, (start, end)).fetchall())


# the uses drive the join (CROSS JOIN keeps that order): they are few, where the
# paid sales a plain join would start from are every sale of the journal
COUPONS_SQL = """
SELECT coalesce(c.arm, '(none)'), count(*), count(c.printed_at), count(u.code),
       coalesce(sum(u.discount), 0), coalesce(sum(u.revenue), 0), coalesce(sum(u.total), 0)
FROM coupons c LEFT JOIN (
    SELECT u.code AS code, sum(u.discount) AS discount, sum(u.revenue) AS revenue,
           sum(s.total) AS total
    FROM coupon_uses u CROSS JOIN sales s ON s.sale_id = u.sale_id
    WHERE u.paid_at IS NOT NULL AND s.status = 'paid' AND s.training = 0
    GROUP BY u.code) u ON u.code = c.code
WHERE c.issued_at >= ? AND c.issued_at < ?
GROUP BY 1 ORDER BY 1
"""


@dataclass
class CouponGroup:
    """The next-visit coupons of one arm (docs/report.md)."""
    key: str
    issued: int = 0
    printed: int = 0
    redeemed: int = 0
    discount: int = 0            # minor units taken off by the redeemed ones
    revenue: int = 0             # the coupon items' lines in the redeeming sales, net of it
    sales_total: int = 0         # the redeeming sales' totals

    @property
    def redemption_rate(self) -> float | None:
        return self.redeemed / self.printed if self.printed else None


def coupon_groups(conn: sqlite3.Connection, start: float, end: float) -> list[CouponGroup]:
    """The coupons issued in [start, end) per arm; none in a journal of before version 6."""
    try:
        rows = conn.execute(COUPONS_SQL, (start, end)).fetchall()
    except sqlite3.OperationalError:          # no coupon tables yet
        return []
    return [CouponGroup(*row) for row in rows]


# ---- roll-up --------------------------------------------------------------------------

@dataclass
class Figures:
    """Everything the report shows but the bundle candidates and the arm tests."""
    period: Period
    timezone: str
    overall: Group
    by_cashier: list[Group]
    by_till: list[Group]          # the tills whose sales the journal holds (a hub's: every till)
    by_hour: list[Group]          # local hours 00..23 that had sales
    by_day: list[Group]           # local dates (ISO) with sales, in order
    by_arm: list[Group]
    by_kind: list[OfferGroup]
    by_position: list[OfferGroup]
    offers_by_arm: list[OfferGroup]
    declines: dict[str, int]      # reason (or "(none given)") -> declined offers
    excluded: dict[str, int]      # training / abandoned / open -> sales left out
    currencies: list[Currency | None] = field(default_factory=list)  # of the sales counted
    coupons_by_arm: list[CouponGroup] = field(default_factory=list)  # next-visit coupons


def _roll(rows: list[tuple[_K, Group]], key: Callable[[_K], str]) -> list[Group]:
    """(name or bucket start, Group) rows summed per key(name or bucket start)."""
    groups: dict[str, Group] = {}
    for name, g in rows:
        k = key(name)
        groups.setdefault(k, Group(k)).add(g)
    return [groups[k] for k in sorted(groups)]


def _offers(rows: list[OfferRow], index: int, name: Callable[[Any], str] = str) -> list[OfferGroup]:
    groups: dict[Any, OfferGroup] = {}    # keyed by the row's field `index` (one type each)
    for row in rows:
        k = row[index]
        g = groups.setdefault(k, OfferGroup(name(k)))
        outcome, count = row[3], row[5]
        g.shown += count
        if outcome == "accepted":
            g.accepted += count
            g.revenue += int(row[6])
            g.margin += int(row[7])
            g.margin_unknown += row[8] or 0
        elif outcome == "declined":
            g.declined += count
        else:
            g.ignored += count
    return [groups[k] for k in sorted(groups)]


NO_REASON = "(none given)"


def figures(conn: sqlite3.Connection, period: Period = Period(), timezone: str = "UTC",
            timings: dict[str, float] | None = None) -> Figures:
    """The figures of `period` (local dates of `timezone`). `timings`, when given,
    gets the seconds each query took."""
    zone = ZoneInfo(timezone)
    start, end = period.utc_bounds(zone)
    bucket = bucket_seconds(zone, start, end)
    t0 = time.perf_counter()
    cashiers, arms, currencies, tills = names(conn, start, end)
    spent: dict[str, float] = {"names": time.perf_counter() - t0}
    # two workers on two connections, each half of the sales; over an open-ended
    # period the first also groups all offers, the second those to take off
    open_ended = start == float("-inf") and end == float("inf")
    halves = _halves(conn, "sales")

    def work(i: int, db: sqlite3.Connection) -> tuple[Cube, list[OfferRow], dict[str, int]]:
        t = time.perf_counter()
        cube = sale_cube(db, start, end, bucket, cashiers, arms, tills, halves[i])
        spent[f"sales pass {i + 1}"] = time.perf_counter() - t
        t = time.perf_counter()
        if open_ended:
            offers = all_offers(db) if i == 0 else offers_taken_off(db)
        else:
            offers = offer_rows(db, start, end, arms, halves[i])
        left_out = excluded(db, start, end) if i == 1 else {}
        spent[f"offers pass {i + 1}"] = time.perf_counter() - t
        return cube, offers, left_out

    other = _second(conn)
    try:
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(work, 1, other)
            cube, offers, _ = work(0, conn)
            cube2, offers2, left_out = pending.result()
    finally:
        other.close()
    offers = merge_offers(offers + offers2, arms) if open_ended else offers + offers2
    t3 = time.perf_counter()

    local: dict[float, datetime] = {}

    def local_of(when: float) -> datetime:
        if when not in local:
            local[when] = datetime.fromtimestamp(when, zone)
        return local[when]

    buckets = cube.by_bucket + cube2.by_bucket
    by_arm = _roll(cube.by_arm + cube2.by_arm, str)
    overall = Group("all")
    for g in by_arm:
        overall.add(g)
    declines: dict[str, int] = {}
    for row in offers:
        if row[3] == "declined":
            reason = row[4] or NO_REASON
            declines[reason] = declines.get(reason, 0) + row[5]
    kind_order = {k: i for i, k in enumerate(KINDS)}
    by_kind = _offers(offers, 1)
    by_kind.sort(key=lambda g: (kind_order.get(g.key, 9), g.key))
    result = Figures(
        period=period, timezone=timezone, overall=overall,
        by_cashier=_roll(cube.by_cashier + cube2.by_cashier, str),
        by_till=_roll(cube.by_till + cube2.by_till, str),
        by_hour=_roll(buckets, lambda w: f"{local_of(w).hour:02d}"),
        by_day=_roll(buckets, lambda w: local_of(w).date().isoformat()),
        by_arm=by_arm,
        by_kind=by_kind,
        by_position=_offers(offers, 2),
        offers_by_arm=_offers(offers, 0),
        declines=dict(sorted(declines.items(), key=lambda kv: (-kv[1], kv[0]))),
        excluded=left_out, currencies=currencies,
        coupons_by_arm=coupon_groups(conn, start, end))
    if timings is not None:
        timings.update({"cashiers and arms (SQL)": spent["names"],
                        "sales + offers, first half (SQL)":
                            spent["sales pass 1"] + spent["offers pass 1"],
                        "sales + offers, second half (SQL, at the same time)":
                            spent["sales pass 2"] + spent["offers pass 2"],
                        "all SQL passes (wall)": t3 - t0,
                        "roll-up": time.perf_counter() - t3})
    return result
