"""The till's controller: one sale at a time against the live store.

It turns a scanner read into a sale line (or a customer, or a message for the
cashier), asks the engine for suggestions after every change and decides which
cards to show (at most `cards`, at most `per_sale` distinct ones per sale,
never one declined in this sale), carries out accept and decline, offers one
last card before payment, and starts the next sale. Every change goes through
the journal first (pos.journal), so what the UI shows is already durable.

A newly published store is noticed at a sale boundary, or whenever the UI
calls `check_store`, and prepared by a StorePreparer (pos.till.store_swap)
through the till's runner: inline by default, so a till without an event loop
swaps at once; the UI gives a worker thread (`prepare_in`), and sales go on
against the old store until the preparation is done. The swap itself happens at
the first sale boundary after that, and only there: the sales paid meanwhile
are fed to the new overlay, then the old store is closed. A store that cannot
be prepared is logged and tried again at the next sale; the till keeps the one
it has.

With a store hub, the till's `hub` link (pos.hub.link.TillHubLink, given by who
builds the till) is woken after each payment is committed; it sends the
journal's outbox on its own thread (docs/hub.md, "The till's side"), and reads
the store's sales into a journal of its own. The other tills' sales found there
are fed to the day's learning and stock on the till's thread, before the next
suggestions (`take_store_sales`).

The day's stock (pos.stock): the store's dump counted, less what this till and
(with a hub) the other tills sold since its export; an item with none left is
never suggested.

Next-visit coupons (pos.coupons, docs/receipts.md): `pay` chooses one for an
identified customer (or any, when [coupons] anonymous) and journals it as a
`coupon_issue` event in the payment's transaction; a coupon's code scanned in a
later sale is checked (this till's journal, the store's sales from the hub and,
with a hub, the hub itself, asked with a short timeout) and applied as a `coupon`
event, or refused with the reason.
"""
from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path
from typing import Any, Protocol

from ..coupons import choose as coupon_choice
from ..coupons.code import new_code, parse_code
from ..coupons.redeem import APPLIED, IN_SALE, SCAN_ITEM, Coupon, FirstUse, HubAnswer, Verdict, decide
from ..engine import Engine, Suggestion
from ..i18n import N_
from ..i18n.formats import local_day
from ..journal import Journal, Statement, coupon_first_use, find_coupon
from ..learning import catch_up, catch_up_store_sales, feed_sale, open_store_sales
from ..receipt.maker import ReceiptMaker
from ..scanner.decode import DecodeConfig, ProductCode, decode
from ..scanner.resolve import resolve
from ..stock import Stock, line_amount, sold_paid
from ..store.barcodes import find_customer
from ..store.catalog import (
    Product,
    StoreIdentity,
    product_by_item,
    product_by_sku,
    search_products,
    stock_of,
    store_identity,
)
from .config import TillConfig
from .experiments import Settings, settings_for
from .money import Money
from .sale import Event, Line, Sale
from .store_swap import PreparedStore, Runner, StorePreparer, export_time, prepare_store, run_inline

DECLINE_REASONS = ("not_relevant", "too_expensive", "already_has")
logger = logging.getLogger(__name__)


class _Offered(Protocol):
    """What an outcome names: a card as shown (Suggestion) or as the sale keeps it (Offer)."""

    @property
    def sku(self) -> str: ...


@dataclass(frozen=True)
class ScanResult:
    """What a read did: added or counted up a `line`, identified a `customer`, or
    nothing, with a `problem` for the cashier (and `warning` beside a line)."""
    line: Line | None = None
    customer: str | None = None
    problem: str | None = None
    warning: str | None = None
    id_check: bool = False       # an age-restricted line, and no ID checked yet in this sale
    coupon: str | None = None    # a coupon's code was read: applied (no problem) or refused
    args: dict[str, object] = field(default_factory=dict)     # the values of {fields} in problem/warning

    def problem_text(self, translate: Callable[[str], str] = lambda s: s) -> str | None:
        """The problem for the cashier: its template translated, then filled in."""
        if self.problem is None:
            return None
        text = translate(self.problem)
        return text.format(**self.args) if self.args else text

    def warning_text(self, translate: Callable[[str], str] = lambda s: s) -> str | None:
        """The warning for the cashier, translated, then filled in."""
        if self.warning is None:
            return None
        text = translate(self.warning)
        return text.format(**self.args) if self.args else text


def _shown(s: Suggestion, position: int) -> Event:
    return {"type": "shown", "sku": s.sku, "kind": s.kind, "position": position,
            "score": round(s.score, 6), "price": s.price, "anchor": s.anchor}


def _margin(revenue: int, cost_per_unit: int | None, units: int) -> int | None:
    """What `revenue` leaves over the goods' cost; None when the cost is unknown."""
    return None if cost_per_unit is None else revenue - cost_per_unit * units


class HubLink(Protocol):
    """What sends the paid sales to the store hub and reads the store's sales
    (pos.hub.link.TillHubLink, given by whoever builds the till: the till's package
    never imports an HTTP client)."""

    @property
    def state(self) -> str: ...          # connecting, connected, unreachable, refused

    @property
    def store_sales(self) -> Path: ...   # the store's sales journal it writes

    @property
    def arrivals(self) -> int: ...       # grows when sales were written there

    def wake(self) -> None: ...          # a sale was paid (committed): send it

    def start(self, on_change: Callable[[], object]) -> object: ...

    def stop(self) -> None: ...


class PrintQueue(Protocol):
    """What prints the journal's waiting receipts (pos.receipt.spool.ReceiptSpooler,
    given by whoever builds the till, who starts and stops it)."""

    @property
    def state(self) -> str: ...          # starting, ready, unreachable, or the printer's problem

    @property
    def waiting(self) -> int: ...        # receipts not printed yet

    def wake(self) -> None: ...          # a receipt was queued (committed): print it

    def start(self, on_change: Callable[[], object]) -> object: ...

    def stop(self) -> None: ...


class CouponHub(Protocol):
    """What asks the store hub to hold a coupon for a sale (pos.hub.coupons.HubCoupons;
    a HubLink that has `redeem_coupon` is one). Never raises: an unreachable hub is an
    answer (pos.coupons.redeem)."""

    def redeem_coupon(self, code: str, sale_id: str, till: str) -> HubAnswer: ...


class Till:
    def __init__(self, store_path: str | PathLike[str], journal: Journal,
                 config: TillConfig | None = None, clock: Callable[[], float] = time.time,
                 run: Runner = run_inline, hub: HubLink | None = None,
                 printer: PrintQueue | None = None) -> None:
        """`clock`: UTC seconds now, for campaign and deal validity (tests fix it).
        `run`: how a newly published store is prepared (see `prepare_in`).
        `hub`: woken after each payment (None: no hub; whoever made it starts and stops it).
        `printer`: woken after each receipt queued (store.toml [printer]; None: the
        receipts wait in the journal until a till with a printer prints them)."""
        self.clock = clock
        self.hub = hub
        self.printer = printer
        self.store_path = Path(store_path)
        self.journal = journal
        self.config = config or TillConfig()
        self.engine: Engine
        self.conn: sqlite3.Connection
        self.meta: dict[str, Any]
        self.identity: StoreIdentity
        self.lang: str
        self.money: Money
        self.decode_config: DecodeConfig
        self.preparer = StorePreparer(self._prepare, run, what=f"the store {self.store_path}")
        self.store: PreparedStore | None = None      # the one sold on
        self.stock: Stock
        self.store_position = 0                      # the store's sales fed so far
        self._arrivals_seen = -1
        self._store_sales: sqlite3.Connection | None = None
        self._adopt(self._prepare())
        self.receipts: ReceiptMaker | None = None
        if self.config.printer is not None:
            self.receipts = ReceiptMaker(self.config.printer.profile, self.config.till_id)
            self.receipts.warm_up()
        journal.adopt_currency(self.money.currency)     # sales journaled before version 4
        self.cards: list[Suggestion] = []     # what the suggestions panel shows, in order
        self.last_call_card: Suggestion | None = None
        unfinished = journal.unfinished()
        if unfinished is not None and unfinished.currency not in (None, self.money.currency):
            # its prices are in another currency or exponent than the store's: kept, not resumed
            logger.warning("sale %s is in %s, the store in %s: not resumed (marked abandoned)",
                           unfinished.sale_id, unfinished.currency, self.money.currency)
            journal.abandon(unfinished)
            unfinished = None
        # an unfinished sale with lines is offered for resumption; an empty one just goes on
        self.resumable: Sale | None = unfinished if unfinished and unfinished.lines else None
        self.sale: Sale = unfinished or self._fresh_sale()
        self.refresh()

    # ---- the store ---------------------------------------------------------------

    def _prepare(self) -> PreparedStore:
        return prepare_store(self.store_path, self.config, self.journal.path, self.clock(),
                             self.hub.store_sales if self.hub is not None else None)

    def _store_sales_conn(self) -> sqlite3.Connection | None:
        """A read connection to the hub's store sales journal, once the link made it."""
        if self._store_sales is None and self.hub is not None:
            self._store_sales = open_store_sales(self.hub.store_sales)
        return self._store_sales

    def _adopt(self, store: PreparedStore) -> None:
        """Sells on `store` from now on: the sales paid since its journal replay (and
        the store's sales received since) are fed to its overlay first, its day's
        stock is counted, and the store it replaces is closed (and freed) through
        the runner, off the till's thread."""
        learned = store.engine.learned
        assert learned is not None          # prepare_store replayed the journal into one
        since, now, me = export_time(store.meta), self.clock(), self.config.till_id
        catch_up(learned, self.journal, store.journal_position, since, now)
        stock = store.stock
        stock.add(sold_paid(self.journal.conn, since, store.journal_position))
        position = store.store_position
        store_sales = self._store_sales_conn()
        if store_sales is not None:
            self._arrivals_seen = self.hub.arrivals if self.hub is not None else -1
            _, position = catch_up_store_sales(learned, store_sales, position, me, since, now,
                                               stock=stock)
        self.stock, self.store_position = stock, position
        old, self.store = self.store, store
        self.conn, self.meta, self.identity = store.conn, store.meta, store.identity
        self.config, self.backtest, self.lang = store.config, store.backtest, store.lang
        self.engine, self.money, self.decode_config = store.engine, store.money, store.decode_config
        if old is not None:
            self.preparer.retire(old)

    def prepare_in(self, run: Runner) -> None:
        """Prepares newly published stores through `run` from now on: it is given a
        function to call, e.g. on a worker thread (the UI's; pos.till.store_swap)."""
        self.preparer.run = run

    def check_store(self, retry: bool = False) -> None:
        """Starts preparing a newly published store, unless one is being prepared or
        waits for the sale boundary. After a failed preparation only with `retry`
        (at the next sale boundary), so a broken store is tried once a sale."""
        preparer = self.preparer
        if preparer.pending or (preparer.failed and not retry):
            return
        if self.store_changed():
            preparer.start()

    def _swap_store(self) -> bool:
        """Takes the prepared store, if one is ready."""
        store = self.preparer.take()
        if store is None:
            return False
        self._adopt(store)
        return True

    def store_changed(self) -> bool:
        """A newer store was published since this one was opened."""
        try:
            return store_identity(self.conn) != self.identity
        except sqlite3.Error:
            return False

    @property
    def export_time(self) -> int | None:
        return export_time(self.meta)

    def take_store_sales(self) -> int:
        """Feeds the other tills' sales the hub link wrote since the last call to
        the day's learning and stock; how many sales. A store's sales journal that
        cannot be read is logged and read again at the next arrival: the sale goes on."""
        hub = self.hub
        if hub is None or hub.arrivals == self._arrivals_seen:
            return 0
        seen = hub.arrivals
        learned = self.engine.learned
        since, me = self.export_time, self.config.till_id
        try:
            conn = self._store_sales_conn()
            if conn is None or learned is None:
                return 0
            fed, upto = catch_up_store_sales(learned, conn, self.store_position, me, since,
                                             self.clock(), stock=self.stock)
        except sqlite3.Error as exc:
            logger.warning("%s: the store's sales cannot be read (%s); read again at the next "
                           "arrival", hub.store_sales, exc)
            return 0
        self.store_position, self._arrivals_seen = upto, seen
        return fed

    # ---- the sale ---------------------------------------------------------------

    def _fresh_sale(self) -> Sale:
        experiment = self.config.experiment
        return self.journal.new_sale(training=self.config.training, cashier=self.config.cashier,
                                     store_export=self.export_time,
                                     arm=experiment.assign if experiment else None,
                                     currency=self.money.currency)

    def _record(self, *events: Event, cards: bool = False) -> None:
        """Journals `events`; with `cards`, the suggestion cards they bring are
        worked out and journaled in the same transaction."""
        if not cards:
            self.journal.record(self.sale, *events)
            return
        self.take_store_sales()            # before the transaction: the other tills' sales
        previous = self.cards
        try:
            self.journal.record(self.sale, *events, more=self._plan_cards)
        except BaseException:
            self.cards = previous
            raise

    def resume(self) -> None:
        """Goes on with the unfinished sale found at start."""
        self.resumable = None

    def discard_unfinished(self) -> None:
        """Drops the unfinished sale found at start (kept in the journal, marked) for a new one."""
        if self.resumable is not None:
            self.journal.abandon(self.resumable)
            self.resumable = None
            self.sale = self._fresh_sale()
            self.cards = []

    def scan(self, text: str, symbology: str | None = None) -> ScanResult:
        coupon = parse_code(text)
        if coupon is not None:
            return self.redeem(coupon)
        decoded = decode(text, symbology, self.decode_config)
        found = resolve(self.conn, decoded, text)
        if found.customer is not None:
            self.identify(found.customer)
            return ScanResult(customer=found.customer)
        if found.problem is not None:
            return ScanResult(problem=found.problem)
        code = found.decoded
        assert isinstance(code, ProductCode) and found.product is not None
        if code.expired:
            return ScanResult(problem=N_("expired on {date} — do not sell, take it off the shelf"),
                              args={"date": f"{code.expiry:%Y-%m-%d}"})
        product = product_by_item(self.conn, found.product.item)
        assert product is not None          # resolve() found it in this store
        line = self._add(product, code)
        check = product.age_restricted and not self.sale.id_checked
        warning = N_("age-restricted: check the customer's age") if check else None
        return ScanResult(line=line, warning=warning, id_check=check)

    def needs_id_check(self, line: Line) -> bool:
        """Whether `line` is age-restricted and no ID was checked yet in this sale."""
        if self.sale.id_checked:
            return False
        product = product_by_sku(self.conn, line.sku)
        return product is not None and bool(product.age_restricted)

    def add_sku(self, sku: str) -> Line | None:
        """A product chosen by hand (search); None when there is no such sku."""
        product = product_by_sku(self.conn, sku)
        return None if product is None else self._add(product, None)

    def _add(self, product: Product, code: ProductCode | None) -> Line:
        weight = code.weight_g if code else None
        price = code.price_minor if code else None
        qty = code.quantity if code and code.quantity else 1
        last = self.sale.lines[max(self.sale.lines)] if self.sale.lines else None
        if (weight is None and price is None and last is not None and last.sku == product.sku
                and last.countable):
            self._record({"type": "qty", "line": last.line, "qty": last.qty + qty}, cards=True)
            return last
        number = self.sale.next_line
        self._record({"type": "add", "line": number, "sku": product.sku, "item": product.item,
                      "name": product.name_in(self.lang), "unit": product.unit,
                      "unit_price": product.price, "qty": qty, "weight_g": weight,
                      "price": price}, cards=True)
        return self.sale.lines[number]

    def change_qty(self, line: int, delta: int) -> None:
        current = self.sale.lines[line]
        if current.qty + delta < 1:
            return
        self._record({"type": "qty", "line": line, "qty": current.qty + delta})
        self.refresh()

    def id_checked(self, line: int) -> None:
        """The cashier checked the customer's ID for the age-restricted `line`: it
        is journaled, and the sale's later age-restricted lines need no check."""
        self._record({"type": "id_check", "line": line})

    def void(self, line: int) -> None:
        self._record({"type": "void", "line": line})
        self.refresh()

    def identify(self, customer_or_card: str) -> str | None:
        """A customer id, or a card code as scanned or typed; the id, or None if unknown."""
        customer = find_customer(self.conn, customer_or_card.strip())
        if customer is None and self.engine._customer(customer_or_card.strip()) is not None:
            customer = customer_or_card.strip()
        if customer is None:
            return None
        if customer != self.sale.customer:
            self._record({"type": "customer", "customer": customer})
            self.refresh()
        return customer

    def search(self, query: str, limit: int = 20) -> list[Product]:
        return search_products(self.conn, query, limit)

    # ---- suggestions ----------------------------------------------------------

    @property
    def settings(self) -> Settings:
        """What this sale's suggestions follow: store.toml with its experiment arm's overrides."""
        return settings_for(self.config, self.sale.arm)

    def _ask(self, k: int) -> list[Suggestion]:
        settings = self.settings
        if not self.sale.lines or not settings.suggestions:
            return []
        declined = self.sale.declined
        if self.stock.sold_out:
            declined = [*declined, *self.stock.sold_out]
        found = self.engine.suggest(self.sale.basket(), k=k, customer=self.sale.customer,
                                    declined=declined, now=self.clock(),
                                    config=settings.engine)
        return found if settings.pitch else [replace(s, pitch=None) for s in found]

    def refresh(self) -> list[Suggestion]:
        """Recomputes the cards after a change and journals the new ones."""
        self._record(cards=True)
        return self.cards

    def _plan_cards(self) -> list[Event]:
        """Sets the cards for the sale as it is now: the engine's best, in its
        order; a suggestion not offered before in this sale takes one of the sale's
        `per_sale` offers, and when none are left only already-offered ones show.
        Returns the `shown` events of the cards new in this sale."""
        settings = self.settings
        wanted = self._ask(settings.cards + settings.per_sale)
        offers = self.sale.offers
        left = settings.per_sale - len(offers)
        cards: list[Suggestion] = []
        shown: list[Event] = []
        for s in wanted:
            if len(cards) == settings.cards:
                break
            offer = offers.get(s.sku)
            if offer is not None and offer.outcome is not None:
                continue
            if offer is None:
                if left <= 0:
                    continue
                left -= 1
                shown.append(_shown(s, len(cards) + 1))
            cards.append(s)
        self.cards = cards
        return shown

    def _outcome(self, s: _Offered, outcome: str, reason: str | None = None,
                 revenue: int = 0, margin: int | None = None) -> Event:
        return {"type": "outcome", "sku": s.sku, "outcome": outcome, "reason": reason,
                "revenue": revenue, "margin": margin}

    def accept(self, position: int) -> Suggestion | None:
        """Takes card `position` (1-based): adds the item, upgrades the line it
        replaces, or completes the deal. None if there is no such card."""
        pool = [self.last_call_card] if self.last_call_card else self.cards
        if not 1 <= position <= len(pool):
            return None
        s = pool[position - 1]
        product = product_by_sku(self.conn, s.sku)
        if product is None:
            return None
        line = self.sale.line_of(s.replaces) if s.kind == "upsell" and s.replaces else None
        if line is not None:
            step = (product.price - line.unit_price) * line.qty
            old = product_by_sku(self.conn, line.sku)
            margin = (None if product.cost is None or old is None or old.cost is None
                      else step - (product.cost - old.cost) * line.qty)
            self._record(self._outcome(s, "accepted", revenue=step, margin=margin),
                         {"type": "upgrade", "line": line.line, "sku": product.sku,
                          "item": product.item, "name": product.name_in(self.lang),
                          "unit_price": product.price})
        else:
            number = self.sale.next_line
            revenue = product.price - (s.saving or 0)
            events = [self._outcome(s, "accepted", revenue=revenue,
                                    margin=_margin(revenue, product.cost, 1)),
                      {"type": "add", "line": number, "sku": product.sku, "item": product.item,
                       "name": product.name_in(self.lang), "unit": product.unit,
                       "unit_price": product.price, "qty": 1, "weight_g": None, "price": None}]
            if s.kind == "bundle" and s.saving:
                events.append({"type": "deal", "line": number, "bundle": s.bundle,
                               "name": s.reason, "saving": s.saving})
            self._record(*events)
        self.last_call_card = None
        self.refresh()
        return s

    def decline(self, reason: str | None = None) -> list[Suggestion]:
        """Declines every card shown (0 / Esc); they do not come back in this sale."""
        if reason is not None and reason not in DECLINE_REASONS:
            raise ValueError(f"decline reason must be one of {DECLINE_REASONS}, not {reason!r}")
        pool = [self.last_call_card] if self.last_call_card else self.cards
        if pool:
            self._record(*(self._outcome(s, "declined", reason) for s in pool))
        self.last_call_card = None
        self.refresh() if pool else None
        return pool

    def last_call(self) -> Suggestion | None:
        """Before payment: one strong suggestion not shown yet in this sale, if any
        (and if the sale's offers are not used up). It is recorded as shown."""
        settings = self.settings
        if not settings.last_call or len(self.sale.offers) >= settings.per_sale:
            return None
        self.take_store_sales()
        for s in self._ask(settings.cards + len(self.sale.offers)):
            if s.sku in self.sale.offers:
                continue
            if s.score < settings.last_call_min_score:
                continue            # the list is not always in score order (category fill)
            self._record(_shown(s, 1))
            self.last_call_card = s
            return s
        return None

    # ---- next-visit coupons -----------------------------------------------------

    @property
    def zone(self) -> str:
        """The store's time zone (IANA), where stored UTC times are shown."""
        return str(self.meta.get("timezone") or "UTC")

    def _in_stock(self, sku: str) -> bool:
        if sku in self.stock.sold_out:
            return False
        left = self.stock.left(sku)
        if left is None:
            left = stock_of(self.conn, [sku]).get(sku)
        return left is None or left > 1e-9

    def _coupon_item(self, sku: str) -> coupon_choice.Item | None:
        p = product_by_sku(self.conn, sku)
        return None if p is None else coupon_choice.Item(p.sku, p.item, p.name_in(self.lang),
                                                         p.active, p.age_restricted)

    def _coupon_issue(self) -> Event | None:
        """The `coupon_issue` event of the sale being paid, or None: not for training,
        nor when [coupons] (or the sale's arm) is off, nor for a customer not identified
        unless [coupons] anonymous; else the first candidate that may be offered
        (pos.coupons.choose). A failure is logged and gives no coupon: a coupon never
        stops a payment."""
        try:
            return self._choose_coupon()
        except Exception:          # noqa: BLE001
            logger.exception("sale %s: no coupon (choosing it failed)", self.sale.sale_id)
            return None

    def _choose_coupon(self) -> Event | None:
        sale, config = self.sale, self.config.coupons
        if sale.training or not self.settings.coupons or not sale.lines:
            return None
        if sale.customer is None and not config.anonymous:
            return None
        suggested: list[tuple[str, str, str | None]] = []
        try:
            found = self.engine.suggest(sale.basket(), k=5, customer=sale.customer,
                                        declined=sorted(self.stock.sold_out), now=self.clock(),
                                        config=self.settings.engine)
            suggested = [(s.sku, s.kind, s.anchor) for s in found]
        except Exception:          # noqa: BLE001 — a coupon never stops a payment
            logger.exception("coupon: the engine's suggestions failed; declined items only")
        basket = {ln.sku for ln in sale.lines.values()}
        choice = coupon_choice.choose(coupon_choice.candidates(sale.declined, suggested), basket,
                                      self._coupon_item, self._in_stock)
        if choice is None:
            return None
        code = new_code()
        while self.journal.coupon_code_taken(code):    # 1 in 10^13: drawn again
            code = new_code()
        start, end = coupon_choice.window(self.clock(), self.zone, config.starts_days,
                                          config.valid_days)
        return {"type": "coupon_issue", "code": code, "sku": choice.sku, "item": choice.item,
                "name": choice.name, "percent": config.percent, "amount": config.amount,
                "why": choice.why, "anchor": choice.anchor, "valid_from": start, "valid_to": end}

    def _known_coupon(self, code: str) -> tuple[Coupon | None, FirstUse | None]:
        """(the coupon as this till knows it, its first use in another sale) from the
        till's journal and the store's sales the hub follower wrote."""
        coupon = self.journal.coupon(code)
        use = self.journal.coupon_first_use(code, but=self.sale.sale_id)
        store_sales = None
        try:
            store_sales = self._store_sales_conn()
        except sqlite3.Error:
            store_sales = None
        if store_sales is not None:
            coupon = coupon or find_coupon(store_sales, code)
            use = use or coupon_first_use(store_sales, code, but=self.sale.sale_id)
        return coupon, use

    def _refused(self, verdict: Verdict, code: str) -> ScanResult:
        """A refused coupon for the cashier, its dates as the store's local days."""
        args: dict[str, object] = {
            k: local_day(float(v), self.zone)     # type: ignore[arg-type]
            for k, v in verdict.args.items()}
        return ScanResult(problem=verdict.problem, args=args, coupon=code)

    def redeem(self, code: str) -> ScanResult:
        """A coupon's code read in this sale: applied (a `coupon` event), or refused
        with why (pos.coupons.redeem). With a hub that can be asked, the hub holds it
        for this sale first."""
        if self.sale.coupon(code) is not None:
            return ScanResult(problem=IN_SALE, coupon=code)
        coupon, use = self._known_coupon(code)
        if coupon is not None:           # refused on what the till knows: the hub not asked
            early = decide(coupon, use, self.clock(), None)
            if early.problem is not None:
                return self._refused(early, code)
        answer = None
        ask = getattr(self.hub, "redeem_coupon", None) if self.hub is not None else None
        if ask is not None and not self.sale.training:
            answer = ask(code, self.sale.sale_id, self.config.till_id)
        verdict = decide(coupon, use, self.clock(), answer)
        if verdict.problem is not None:
            return self._refused(verdict, code)
        coupon = coupon or (answer.coupon if answer is not None else None)
        assert coupon is not None
        self._record({"type": "coupon", "code": code, "sku": coupon.sku, "name": coupon.name,
                      "percent": coupon.percent, "amount": coupon.amount, "hub": verdict.hub})
        offer = coupon_choice.offer_text(
            coupon.name, coupon.percent,
            None if coupon.amount is None else self.money(coupon.amount), self.lang)
        in_basket = self.sale.line_of(coupon.sku) is not None
        return ScanResult(warning=APPLIED if in_basket else SCAN_ITEM, args={"offer": offer},
                          coupon=code)

    def pay(self) -> Sale:
        """Completes the sale (open cards count as ignored), with its next-visit coupon
        if it gets one, and starts the next one, on a newly published store if there is
        one. Returns the paid sale. With a printer, its receipt (the coupon on it) is
        queued in the journal in the same transaction."""
        events = [self._outcome(o, "ignored") for o in self.sale.open_offers]
        issue = self._coupon_issue()
        if issue is not None:
            events.append(issue)
        self.journal.record(self.sale, *events, {"type": "paid", "total": self.sale.total},
                            then=None if self.receipts is None else self._receipt_row)
        paid = self.sale
        if self.hub is not None and not paid.training:   # committed: in the hub's outbox
            self.hub.wake()
        if self.receipts is not None and self.printer is not None:
            self.printer.wake()
        if self.engine.learned is not None:   # learning from the store's own sales
            feed_sale(self.engine.learned, self.journal, paid, self.export_time, self.clock())
        if not paid.training:
            self.stock.add((ln.sku, line_amount(ln.qty, ln.weight_g)) for ln in paid.lines.values())
        self.next_sale()
        return paid

    def _receipt_row(self, sale: Sale, paid_at: float) -> list[Statement]:
        """The statement queueing paid `sale`'s receipt, in the payment's transaction."""
        assert self.receipts is not None
        body = self.receipts.sale_receipt(sale, self.meta, self.lang, paid_at)
        return [Journal.receipt_row(sale.sale_id, body, paid_at)]

    def reprint_last(self) -> str | None:
        """F7: queues a copy of this till's last receipt (under a COPY heading); the
        sale id, or None when there is no printer or no receipt yet."""
        last = self.journal.last_receipt() if self.receipts is not None else None
        if self.receipts is None or last is None:
            return None
        sale_id, body = last
        self.journal.queue_receipt(sale_id, self.receipts.copy(body, self.lang,
                                                               self.money.currency.code), copy=True)
        if self.printer is not None:
            self.printer.wake()
        return sale_id

    def next_sale(self) -> None:
        """The sale boundary: the store prepared meanwhile goes live here, else a
        newer one starts being prepared (inline: and goes live now)."""
        if not self._swap_store():
            self.check_store(retry=True)
            self._swap_store()
        self.sale = self._fresh_sale()
        self.cards = []
        self.last_call_card = None

    def close(self) -> None:
        if self._store_sales is not None:
            self._store_sales.close()
        self.preparer.discard()
        if self.store is not None:
            self.store.close()
