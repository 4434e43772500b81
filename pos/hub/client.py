"""The till's side of the hub (docs/hub.md, "The till's side"): a pusher that sends
the journal's outbox (pos.journal: the paid sales the hub has not acknowledged)
to `POST /v1/sales`, one sale at a time, in the order paid, on a thread of its
own with a journal connection of its own: never on the till's event loop, never
before a sale is committed, never in the cashier's way.

What each answer does:

  201, 200      the hub has the sale (stored, or a repeat): marked sent
  400, 409,     the hub refuses this sale, and retrying does not mend it: parked in
  413, 422      the journal with the hub's reason (logged), still counted as waiting;
                parked sales are tried again once, when the till next starts
  other 4xx     (401 a wrong or revoked token, 403 another till's id, 404 not a hub):
                the till's setup is wrong, not the sale: logged, and nothing more is
                sent until the till starts again (the sales stay waiting)
  5xx, 408, 429 the hub is away or busy: tried again after a delay that doubles from
  no answer     `base_delay` up to `max_delay` (60 s), back to `base_delay` once it answers

After the sales, the round tells the hub which of this till's coupons were printed
since their sale reached it (`POST /v1/coupons/{code}/printed`, for the store's
report): 200 told; 401 as above; another 4xx logged and not sent again; 5xx, 408,
429 or no answer: the round fails as for a sale.

`push_once` does one round and says how long to wait before the next; the
thread (`start`) runs rounds when woken (`wake`, after each payment) or when the
delay is over. The tests drive `push_once` with a fake clock: no sleeping.
"""
from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from ..journal import JournalError
from ..journal_sender import JournalSender

log = logging.getLogger("pos.hub.client")

PARK = frozenset({400, 409, 413, 422})      # the sale's own fault: for a person to look at
RETRY = frozenset({408, 429})               # 4xx that mean "later"

# the pusher's states, for the status bar
CONNECTING, CONNECTED, UNREACHABLE, REFUSED = "connecting", "connected", "unreachable", "refused"


def backoff(base: float, cap: float, failures: int) -> float:
    """The delay after `failures` rounds failed in a row: `base` doubled each time, up to `cap`."""
    return float(min(cap, base * 2 ** (failures - 1)))


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
        error = body.get("error") if isinstance(body, dict) else None
    except ValueError:
        error = None
    return f"{response.status_code}: {error or response.text[:200] or response.reason_phrase}"


class HubPusher(JournalSender):
    """Sends the outbox of the journal at `journal_path` (till `till`) to the hub
    at `url` with `token`. `client`: the httpx client to send with (tests: one on
    the hub's app in-process); by default one with `timeout` seconds per request,
    checking an https hub's certificate with `verify` (HubConfig.verify)."""

    def __init__(self, url: str, token: str, journal_path: str | Path, till: str, *,
                 client: httpx.Client | None = None, timeout: float = 10.0,
                 clock: Callable[[], float] = time.monotonic,
                 base_delay: float = 1.0, max_delay: float = 60.0,
                 verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(journal_path, till, clock)
        self.url = url
        self.base_delay, self.max_delay = base_delay, max_delay
        self.client = client or httpx.Client(base_url=url, timeout=timeout, verify=verify)
        self._auth = {"Authorization": f"Bearer {token}"}
        self.state = CONNECTING
        self.refusal: str | None = None         # why the hub refused this till (REFUSED)
        self.failures = 0                       # rounds failed in a row (the backoff's exponent)

    # ---- one round ---------------------------------------------------------------

    def push_once(self) -> float | None:
        """Sends the waiting sales one by one until none is left or one cannot be;
        the seconds to wait before the next round (the hub is away), or None
        (nothing left, or the hub refuses this till: wait to be woken)."""
        if self.state == REFUSED:
            return None
        try:
            sent_any = False
            while True:
                pending = self.journal.pending_for_hub(limit=1)
                if not pending:
                    break
                if not self._send(pending[0]):
                    return self._failed()
                sent_any = True
            for code, printed_at in self.journal.coupons_printed_for_hub():
                if not self._send_printed(code, printed_at):
                    return self._failed()
                sent_any = True
            if not sent_any and self.state != CONNECTED:
                self.client.get("/v1/health").raise_for_status()   # is it there at all?
        except httpx.HTTPError as exc:
            return self._failed(exc)
        except JournalError as exc:           # the till shows its own journal's trouble
            log.error("hub: cannot read or mark the outbox: %s", exc)
            return self._failed()
        self._now(CONNECTED)
        self.failures = 0
        return None

    def _send(self, sale_id: str) -> bool:
        """True when the sale left the line (acknowledged or parked)."""
        response = self.client.post("/v1/sales", json=self.journal.hub_sale(sale_id),
                                    headers=self._auth)
        status = response.status_code
        if status in (200, 201):
            self.journal.mark_sent(sale_id)
            self._now(CONNECTED)
            return True
        if status in PARK:
            reason = _reason(response)
            log.warning("hub: sale %s refused (%s): parked, tried again at the next start",
                        sale_id, reason)
            self.journal.park_for_hub(sale_id, reason)
            self._now(CONNECTED)
            return True
        if 400 <= status < 500 and status not in RETRY:
            self.refusal = _reason(response)
            log.error("hub %s refuses this till (%s): nothing more is sent until the till "
                      "starts again; check [hub] in store.toml and `pos hub enroll`",
                      self.url, self.refusal)
            self._now(REFUSED)
            raise _Refused
        log.warning("hub: sale %s not taken (%s): tried again later", sale_id, _reason(response))
        return False

    def _send_printed(self, code: str, printed_at: float) -> bool:
        """Tells the hub that coupon `code` was printed (its report counts it); True
        when that is done (told, or refused for good: logged, not sent again)."""
        response = self.client.post(f"/v1/coupons/{code}/printed",
                                    json={"till": self.till, "printed_at": printed_at},
                                    headers=self._auth)
        status = response.status_code
        if status == 401:                     # the till's token: as for a sale
            self.refusal = _reason(response)
            self._now(REFUSED)
            raise _Refused
        if status == 200 or (400 <= status < 500 and status not in RETRY):
            if status != 200:                 # (a hub without coupons answers 404)
                log.warning("hub: coupon %s printed, not taken (%s): not sent again", code,
                            _reason(response))
            self.journal.mark_coupon_printed_sent(code)
            return True
        return False

    def _failed(self, exc: Exception | None = None) -> float | None:
        if self.state == REFUSED:
            return None
        if exc is not None and not isinstance(exc, _Refused):
            log.warning("hub %s unreachable (%s): tried again later", self.url, exc)
        self.failures += 1
        self._now(UNREACHABLE)
        return backoff(self.base_delay, self.max_delay, self.failures)

    def _now(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._changed()

    # ---- the thread (pos.journal_sender) ------------------------------------------

    THREAD_NAME = "hub-pusher"

    def send_round(self) -> float | None:
        return self.push_once()

    def before_rounds(self) -> None:
        unparked = self.journal.unpark_for_hub()
        if unparked:
            log.info("hub: %d parked sales are tried again", unparked)

    def after_round(self) -> None:
        self._changed()

    def stop(self, timeout: float = 30.0) -> None:
        """Ends the thread (after the request under way, bounded by the client's
        timeout) and closes the client."""
        super().stop(timeout)
        self.client.close()


class _Refused(httpx.HTTPError):
    """The hub refuses this till (not one sale): push_once stops the round."""

    def __init__(self) -> None:
        super().__init__("refused")
