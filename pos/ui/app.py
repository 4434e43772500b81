"""The till app: the sale screen and its keys, wired to the till's controller.

Scanner reads arrive as ScannerEvent messages posted by the reader thread; the
handlers call the controller (pos.till.session.Till), which writes the journal
first, and then redraw the basket, the cards and the status bar. Nothing here
blocks on the scanner; the demo key (F8) has the emulator scan in a worker.

Nor on a newly published store: the app gives the controller a Textual thread
worker to prepare it in (`Till.prepare_in`; opening the engine and replaying
the day's learning take about a second on the 1M-basket store) and asks it to
look for one every STORE_CHECK_SECONDS as well as at each sale boundary. Scans
go on against the old store meanwhile; the controller swaps at the first
payment after the preparation is done (pos.till.store_swap).

With a store hub (store.toml [hub]), the controller's hub link (pos.hub.link,
given by pos.ui.launch) is started here and runs on its own threads; it posts
HubChanged when its state or the outbox changes, or the other tills' sales
arrived (the controller takes them into its learning and stock here, on the
event loop), and the status bar shows "Hub: connected" or "Hub: unreachable,
sales waiting: N".

With a receipt printer (store.toml [printer]), the controller's spooler
(pos.receipt.spool, given by pos.ui.launch) prints the receipts the payments
queued in the journal, on its own thread; it posts PrinterChanged when its state
or the receipts waiting change, and the status bar says "Printer: out of paper,
receipts waiting: 2" until they are printed. F7 reprints the last receipt.

With a customer display (store.toml [display] or `pos till --display`), the
display link (pos.display.link, given by pos.ui.launch) runs on its own thread:
after each redraw the app gives it the frame for the till's state
(pos.display.frames: the last line and the total, the thanks after payment, the
store's welcome); F4 offers a suggestion to the customer (card 1 on the display,
F4 again the next card) and the last-call card at payment is offered by itself.
The status bar says "Display: disconnected" only while it is.
"""
from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.events import Key, Resize
from textual.message import Message

from ..display import Frame, display_frame
from ..engine import Suggestion
from ..i18n import N_, _, is_rtl, set_language, visual
from ..i18n.formats import Numbers, local_day, number_locale
from ..journal import JournalError
from ..scanner.events import Connected, Disconnected, FragmentDropped, ScanRead, ScanRefused
from ..scanner.wedge import WedgeInput
from ..till.session import DECLINE_REASONS, Till
from .messages import ScannerEvent
from .screens.confirm import ConfirmScreen, IdCheckScreen
from .screens.customer import CustomerScreen
from .screens.help import HelpScreen
from .screens.manager import ManagerScreen
from .screens.payment import PaymentScreen
from .screens.search import SearchScreen
from .widgets.basket import BasketView
from .widgets.cards import SuggestionPanel
from .widgets.keys import SALE_KEYS, KeyBar
from .widgets.status import MessageLine, StatusBar, TextLine

WEDGE_KEY_GAP = 0.04    # a lone key with no other within this long is the cashier's, not a scan
STORE_CHECK_SECONDS = 2.0   # how often a newly published store is looked for between sales
FULL_COLLECTION_SALES = 50  # sales between two full garbage collections (freeze_heap)
THANKS_SECONDS = 20.0       # the customer display thanks for the payment this long, then welcomes


T = TypeVar("T")


class _Reader(Protocol):
    """The scanner reader start_reader gives (pos.scanner.reader.SerialReader)."""

    def stop(self) -> None: ...

class CustomerDisplay(Protocol):
    """The customer display's link (pos.display.link.DisplayLink)."""

    @property
    def state(self) -> str: ...          # connecting, connected, disconnected

    @property
    def codec(self) -> str: ...          # the code page's Python codec

    def show(self, frame: Frame) -> None: ...     # never blocks

    def start(self, on_change: Callable[[], object]) -> object: ...

    def stop(self) -> None: ...


class DisplayChanged(Message):
    """The customer display link's state changed (posted from its thread)."""


class HubChanged(Message):
    """The hub link's state or the outbox changed, or the store's sales arrived
    (posted from the link's threads)."""


class PrinterChanged(Message):
    """The printer spooler's state or the receipts waiting changed (posted from its thread)."""


class TillApp(App):
    CSS_PATH = "till.tcss"
    TITLE = "pos"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("1", "accept(1)", show=False), Binding("2", "accept(2)", show=False),
        Binding("3", "accept(3)", show=False),
        Binding("0,escape", "decline", show=False),
        Binding("7", "decline('not_relevant')", show=False),
        Binding("8", "decline('too_expensive')", show=False),
        Binding("9", "decline('already_has')", show=False),
        Binding("plus,equals_sign", "quantity(1)", show=False),
        Binding("minus", "quantity(-1)", show=False),
        Binding("delete", "void", show=False),
        Binding("f1", "help", show=False), Binding("f2", "search", show=False),
        Binding("f3", "customer", show=False), Binding("f4", "offer", show=False),
        Binding("f8", "demo_scan", show=False),
        Binding("f10", "pay", show=False), Binding("f9", "report", show=False),
        Binding("f7", "reprint", show=False),
    ]

    def __init__(self, till: Till, *,
                 start_reader: Callable[[Callable[[Any], object]], _Reader] | None = None,
                 wedge: bool = False, demo_scan: Callable[[], object] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_scan_shown: Callable[[ScanRead], object] | None = None,
                 customer_display: CustomerDisplay | None = None) -> None:
        """`on_scan_shown(read)`: called once a read's result is on the screen (the
        benchmarks time reads with it, the tests wait for it). `customer_display`: the
        customer display's link (started and stopped here), or None."""
        self.till = till
        set_language(till.lang)
        super().__init__()
        self.rtl = is_rtl(till.lang)
        self.start_reader = start_reader
        self.reader: _Reader | None = None
        self.wedge = WedgeInput() if wedge else None
        self._wedge_buffer: list[Key] = []
        self.demo_scan_fn = demo_scan
        self.clock = clock
        self.scanner_state = "wedge" if wedge else ("reconnecting" if start_reader else "none")
        self.blocked: str | None = None       # the journal cannot be written
        self._heap_freezes = 0
        self.on_scan_shown = on_scan_shown
        self.customer_display = customer_display
        self.offered: Suggestion | None = None    # on the customer display now
        self.last_paid: int | None = None         # the customer display thanks for it

    # ---- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield TextLine(id="store-name")
            yield TextLine(id="sale-total")
        with Horizontal(id="main"):
            yield BasketView(id="basket")
            yield SuggestionPanel(id="suggestions")
        yield MessageLine(id="message")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        keys = SALE_KEYS + ([("F4", N_("offer"))] if self.customer_display else []) \
            + ([("F8", N_("demo scan"))] if self.demo_scan_fn else [])
        self.query_one(KeyBar).show(keys, self.rtl)
        self.query_one(MessageLine).say(_("Ready: scan an item"))
        self.screen.set_class(self.size.width >= 110, "-wide")
        self.redraw()
        self.call_after_refresh(self.redraw)      # again with the laid-out widths
        self.call_after_refresh(self.freeze_heap)
        self.till.prepare_in(self._prepare_in_worker)
        if self.till.hub is not None:
            self.till.hub.start(lambda: self.post_message(HubChanged()))
        if self.till.printer is not None:
            self.till.printer.start(lambda: self.post_message(PrinterChanged()))
        if self.customer_display is not None:
            self.customer_display.start(lambda: self.post_message(DisplayChanged()))
        self.set_interval(STORE_CHECK_SECONDS, self.till.check_store)
        if self.start_reader is not None:
            self.reader = self.start_reader(lambda event: self.post_message(ScannerEvent(event)))
        if self.till.resumable is not None:
            sale = self.till.resumable
            question = _("An unfinished sale was found ({lines} lines, {total}). Resume it?").format(
                lines=len(sale.lines), total=self.till.money(sale.total))
            self.push_screen(ConfirmScreen(question, _("Resume"), _("Start a new sale")),
                             self._resume_answer)

    def freeze_heap(self) -> None:
        """Moves everything alive now (the catalog, the engine's Python side, Textual)
        out of the garbage collector's sight: a full collection of it takes 45-70 ms
        on the 1M-basket store, a pause the cashier would see after a scan. Done
        again after each sale, so that what a sale leaves alive does not grow the
        collections during the next: the collection then sees only what the sale
        made (a few ms). Cycles that were frozen and have died since (screens and
        cards of earlier sales) are only freed by a full pass over everything
        (unfreeze first), made at start and then once every FULL_COLLECTION_SALES
        sales. (An old store is freed without the collector: pos.till.store_swap.)"""
        if self._heap_freezes % FULL_COLLECTION_SALES == 0:
            gc.unfreeze()
        self._heap_freezes += 1
        gc.collect()
        gc.freeze()

    def _prepare_in_worker(self, work: Callable[[], None]) -> None:
        """Runs the controller's store work (preparing a new store, freeing the old
        one) on a thread; the controller logs its failures."""
        self.run_worker(work, name="prepare-store", group="store", thread=True,
                        exit_on_error=False)

    def _resume_answer(self, resume: bool | None) -> None:
        if resume:
            self.till.resume()
        else:
            self.till.discard_unfinished()
        self.redraw()

    def on_resize(self, event: Resize) -> None:
        self.screen_stack[0].set_class(event.size.width >= 110, "-wide")
        self.call_after_refresh(self.redraw)

    def on_unmount(self) -> None:
        if self.reader is not None:
            self.reader.stop()
        if self.till.hub is not None:
            self.till.hub.stop()
        if self.till.printer is not None:
            self.till.printer.stop()
        if self.customer_display is not None:
            self.customer_display.stop()

    @on(PrinterChanged)
    def printer_changed(self) -> None:
        if self.till.hub is not None:         # a coupon printed: the hub's report counts it
            self.till.hub.wake()
        try:
            self.redraw_status()
        except NoMatches:                     # posted by the spooler while the app closes
            pass

    @on(HubChanged)
    def hub_changed(self) -> None:
        self.till.take_store_sales()          # the other tills' sales: learning and stock
        try:
            self.redraw_status()
        except NoMatches:                     # posted by the link while the app closes
            pass

    @on(DisplayChanged)
    def display_changed(self) -> None:
        try:
            self.redraw_status()
        except NoMatches:                     # posted by the link while the app closes
            pass

    # ---- drawing ---------------------------------------------------------------------

    def redraw(self, focus_line: int | None = None) -> None:
        till, money = self.till, self.till.money
        basket = self.query_one(BasketView)
        basket.rtl = self.rtl
        basket.show(till.sale, money, focus_line)
        self.query_one(SuggestionPanel).show(till.cards, money, self.rtl)
        self.query_one("#sale-total", TextLine).show_text(
            visual(_("Total") + ": " + money(till.sale.total)))
        self.query_one("#store-name", TextLine).show_text(
            visual(str(till.meta.get("store_name") or "")))
        self.redraw_status()
        self.offered = None                   # the sale changed: the display shows it again
        self.show_on_display()

    def show_on_display(self) -> None:
        """Gives the customer display the frame for the till's state (it never waits)."""
        if self.customer_display is None:
            return
        till = self.till
        if till.sale.lines:
            self.last_paid = None
        self.customer_display.show(display_frame(
            store_name=str(till.meta.get("store_name") or ""), sale=till.sale, money=till.money,
            lang=till.lang, offer=self.offered, paid=self.last_paid, codec=self.customer_display.codec))

    def redraw_status(self) -> None:
        till = self.till
        store = local_day(till.export_time, till.zone) if till.export_time else "-"
        hub = None if till.hub is None else (till.hub.state, till.journal.hub_waiting()[0])
        printer = None if till.printer is None else (till.printer.state, till.printer.waiting)
        display = None if self.customer_display is None else self.customer_display.state
        self.query_one(StatusBar).show(scanner=self.scanner_state, store=store,
                                       cashier=till.config.cashier, lang=till.lang,
                                       unsent=till.journal.unsent(), training=till.sale.training,
                                       rtl=self.rtl, hub=hub, printer=printer, display=display)

    def say(self, message: str, kind: str = "info") -> None:
        self.query_one(MessageLine).say(message, kind)

    def _guard(self, action: Callable[[], T]) -> T | None:
        """Runs a till action; a journal that cannot be written stops the till taking scans."""
        try:
            result = action()
        except JournalError as exc:
            self.blocked = str(exc)
            self.say(_("Cannot save the sale — scans stopped: {error}").format(error=exc), "problem")
            return None
        self.blocked = None
        return result

    # ---- scanner -----------------------------------------------------------------------

    @on(ScannerEvent)
    def scanner_event(self, message: ScannerEvent) -> None:
        event = message.event
        if isinstance(event, ScanRead):
            self.scan(event.text, event.symbology)
            if self.on_scan_shown is not None:
                self.call_after_refresh(self.on_scan_shown, event)
        elif isinstance(event, (ScanRefused, FragmentDropped)):
            self.say(_("Scan not read — scan again") + f" ({event.reason})", "problem")
        elif isinstance(event, Connected):
            self.scanner_state = "connected"
            self.say(_("Scanner connected"))
            self.redraw_status()
        elif isinstance(event, Disconnected):
            self.scanner_state = "reconnecting"
            self.say(_("Scanner disconnected ({reason}): check the cable; it reconnects by itself")
                     .format(reason=event.reason), "problem")
            self.redraw_status()

    def scan(self, text: str, symbology: str | None = None) -> None:
        if isinstance(self.screen, IdCheckScreen):
            self.say(_("Answer the ID check first, then scan again"), "problem")
            return
        if isinstance(self.screen, PaymentScreen):
            self.screen.dismiss("back")
        result = self._guard(lambda: self.till.scan(text, symbology))
        if result is None:
            return
        if result.problem:
            self.say(result.problem_text(_) or "", "problem")     # a problem: never None
        elif result.customer:
            self.say(_("Customer identified: {customer}").format(customer=result.customer))
        elif result.warning:
            self.say(result.warning_text(_) or "", "warning")
        elif result.line is not None:
            self.say(result.line.name)
        self.redraw(result.line.line if result.line else None)
        if result.id_check and result.line is not None:
            self.check_id(result.line.line, result.line.name)

    def check_id(self, line: int, name: str) -> None:
        """Asks for the customer's ID; without it the age-restricted line goes."""
        def answered(checked: bool | None) -> None:
            if checked:
                self._guard(lambda: self.till.id_checked(line))
                self.say(_("ID checked: {name}").format(name=name))
            else:
                self._guard(lambda: self.till.void(line))
                self.say(_("Removed, no ID: {name}").format(name=name), "warning")
                self.redraw()
        self.push_screen(IdCheckScreen(name), answered)

    # ---- keyboard-wedge scanner ---------------------------------------------------------

    async def on_key(self, event: Key) -> None:
        """With a wedge scanner, characters typed in a quick run ending in Enter are
        a scan; a lone key press is the cashier's and goes to its binding."""
        if self.wedge is None or self.screen is not self.screen_stack[0]:
            return
        if event.key == "enter" or (event.character and event.character.isprintable()):
            event.prevent_default()
            event.stop()
            if event.key == "enter" and self._wedge_buffer:
                now = self.clock()
                reads = []
                for key in self._wedge_buffer:
                    reads += self.wedge.key(key.key, key.character, now)
                reads += self.wedge.key("enter", None, now)
                self._wedge_buffer.clear()
                for read in reads:
                    self.post_message(ScannerEvent(read))
                return
            self._wedge_buffer.append(event)
            count = len(self._wedge_buffer)
            self.set_timer(WEDGE_KEY_GAP, lambda: self._wedge_timeout(count))

    async def _wedge_timeout(self, count: int) -> None:
        if len(self._wedge_buffer) != count:
            return                         # more keys came: a scan in progress
        keys, self._wedge_buffer = self._wedge_buffer, []
        if len(keys) == 1:
            await self.run_action(self._binding_action(keys[0].key))

    def _binding_action(self, key: str) -> str:
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and key in binding.key.split(","):
                return binding.action
        return ""

    # ---- keys ------------------------------------------------------------------------------

    def _sale_screen(self) -> bool:
        return self.screen is self.screen_stack[0]

    def action_accept(self, position: int) -> None:
        if not self._sale_screen() or self.blocked:
            return
        before = dict(self.till.sale.lines)
        s = self._guard(lambda: self.till.accept(position))
        if s is None:
            return
        added = [n for n in self.till.sale.lines if n not in before]
        what = {"cross": _("Added: {name}"), "upsell": _("Upgraded to {name}"),
                "bundle": _("Deal completed: {name}")}[s.kind]
        self.say(what.format(name=s.name))
        self.redraw(added[0] if added else None)

    def action_decline(self, reason: str | None = None) -> None:
        if not self._sale_screen() or (reason is not None and reason not in DECLINE_REASONS):
            return
        declined = self._guard(lambda: self.till.decline(reason))
        if declined:
            self.say(_("Declined: it will not be suggested again in this sale"))
            self.redraw()

    def action_quantity(self, delta: int) -> None:
        if not self._sale_screen():
            return
        line = self.query_one(BasketView).selected_line()
        if line is None or not self.till.sale.lines[line].countable:
            self.say(_("Select a counted line to change its quantity"), "warning")
            return
        self._guard(lambda: self.till.change_qty(line, delta))
        self.redraw(line)

    def action_void(self) -> None:
        if not self._sale_screen():
            return
        line = self.query_one(BasketView).selected_line()
        if line is None:
            return
        name = self.till.sale.lines[line].name

        def answered(yes: bool | None) -> None:
            if yes:
                self._guard(lambda: self.till.void(line))
                self.say(_("Voided: {name}").format(name=name))
                self.redraw()
        self.push_screen(ConfirmScreen(_("Void this line? {name}").format(name=name)), answered)

    def action_search(self) -> None:
        if not self._sale_screen():
            return
        money, lang = self.till.money, self.till.lang

        def describe(p) -> str:
            return f"{p.name_in(lang)} · {p.sku} · {money(p.price)}"

        def chosen(sku: str | None) -> None:
            if sku:
                line = self._guard(lambda: self.till.add_sku(sku))
                if line is not None:
                    self.say(line.name)
                    self.redraw(line.line)
                    if self.till.needs_id_check(line):
                        self.check_id(line.line, line.name)
        self.push_screen(SearchScreen(self.till.search, describe), chosen)

    def action_customer(self) -> None:
        if not self._sale_screen():
            return

        def entered(text: str | None) -> None:
            if not text:
                return
            customer = self._guard(lambda: self.till.identify(text))
            if customer:
                self.say(_("Customer identified: {customer}").format(customer=customer))
            else:
                self.say(_("No customer with this card or number"), "problem")
            self.redraw()
        self.push_screen(CustomerScreen(), entered)

    def action_offer(self) -> None:
        """F4: the customer display shows card 1; F4 again the next card."""
        if not self._sale_screen():
            return
        if self.customer_display is None:
            self.say(_("No customer display here"), "warning")
            return
        cards = self.till.cards
        if not cards:
            self.say(_("No suggestion to offer"), "warning")
            return
        at = cards.index(self.offered) + 1 if self.offered in cards else 0
        self.offered = cards[at % len(cards)]
        self.say(_("On the customer display: {name}").format(name=self.offered.name))
        self.show_on_display()

    def action_help(self) -> None:
        if self._sale_screen():
            self.push_screen(HelpScreen())

    def action_report(self) -> None:
        """F9: the manager's report (today, the arms, the last two weeks): with a store
        hub, of the whole store (the store's sales the till has read), per till too."""
        if self._sale_screen():
            from ..report.overview import overview
            till = self.till
            zone = till.zone
            numbers = Numbers(number_locale(till.lang, till.meta.get("locale")))
            store = till.hub.store_sales if till.hub is not None else None
            journal = store if store is not None and store.is_file() else till.journal.path
            self.push_screen(ManagerScreen(
                lambda: overview(journal, zone, till.clock()), till.money, self.rtl,
                numbers, till.backtest, whole_store=journal == store))

    def action_pay(self) -> None:
        if not self._sale_screen() or not self.till.sale.lines:
            return
        card = self._guard(self.till.last_call)
        self.push_screen(PaymentScreen(self.till.sale.total, self.till.money, card, self.rtl),
                         self._payment_done)
        if card is not None:                  # the last call is offered to the customer too
            self.offered = card
            self.show_on_display()

    def _payment_done(self, result: str | None) -> None:
        if result == "accept":
            self.action_accept(1)
            return
        if result == "decline":
            self.action_decline()
            self.action_pay()
            return
        if result != "paid":
            self.till.last_call_card = None
            if self.offered is not None:
                self.offered = None
                self.show_on_display()
            return
        swapped_from = self.till.identity
        paid = self._guard(self.till.pay)
        if paid is None or paid.paid is None:     # a sale pay() returns is paid
            return
        self.last_paid = paid.paid
        if self.customer_display is not None:
            self.set_timer(THANKS_SECONDS, self.welcome_again)
        message = _("Paid {total}. Next customer.").format(total=self.till.money(paid.paid))
        if self.till.identity != swapped_from:
            message += " " + _("New store data is live.")
        self.say(message)
        self.redraw()
        self.call_after_refresh(self.freeze_heap)     # between customers, after the paint

    def action_reprint(self) -> None:
        """F7: the last receipt again, under a COPY heading."""
        if not self._sale_screen():
            return
        if self.till.printer is None:
            self.say(_("No receipt printer at this till"), "warning")
            return
        sale_id = self._guard(self.till.reprint_last)
        if sale_id is None:
            if not self.blocked:
                self.say(_("No receipt to print again yet"), "warning")
            return
        self.say(_("Printing a copy of the last receipt"))
        self.redraw_status()

    def welcome_again(self) -> None:
        """THANKS_SECONDS after a payment: the customer display welcomes the next customer."""
        if not self.till.sale.lines and self.last_paid is not None:
            self.last_paid = None
            self.show_on_display()

    def action_demo_scan(self) -> None:
        if self.demo_scan_fn is None:
            self.say(_("No emulated scanner here: scan with the real one"), "warning")
            return
        self._demo_scan()

    @work(thread=True, exclusive=False, group="demo-scan")
    def _demo_scan(self) -> None:
        if self.demo_scan_fn is not None:   # action_demo_scan starts this only then
            self.demo_scan_fn()
