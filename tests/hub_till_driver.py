"""A till as a real process, for the hub fault test (tests/test_hub_faults.py): the
till's controller (pos.till.session.Till) on a store, with its journal and its
link to the store hub (pos.hub.link.TillHubLink: the pusher and the follower on
their threads, with short backoff delays so that a hub started again 50 times
does not make the test slow), its clock `--offset` seconds off the real time (a
till whose clock is 5 minutes ahead or behind), driven by commands on stdin, one
a line. Each answer is one line on stdout, written in one write (a SIGKILL never
leaves half a line):

    ready TILL PID none | ready TILL PID resumable SALE LINES    at start
    sell SKU... [+N] [-]   add the skus (+N: accept card N if shown; -: decline the
                           cards shown), pay        -> paid SALE TOTAL
    open SKU...            add the skus, do not pay (a sale in progress)
                                                    -> open SALE LINES
    resume | discard       the unfinished sale found at start
                                                    -> resumed SALE | discarded SALE
    pay                    pay the sale in progress -> paid SALE TOTAL
    sync N [SECONDS]       wait until the outbox is empty and the store's sales journal
                           holds N sales (the hub's count), then feed them to the
                           day's learning and stock  -> synced FED
    state                  -> state {"learned": ..., "sold": ..., "sold_out": ...,
                              "outbox": N, "store_sales": N}
    quit                   stops the link           -> bye

Waiting is on the link's changes (its on_change sets an Event), bounded: a wait
that is over answers `error ...` with what the link says, never a hang.

    python tests/hub_till_driver.py --store STORE.db --journal SALES.db --till ID \
        --url http://127.0.0.1:PORT --token-file FILE [--offset SECONDS] [--wait SECONDS]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pos.hub.client import HubPusher  # noqa: E402
from pos.hub.follow import HubFollower, store_sales_path  # noqa: E402
from pos.hub.link import TillHubLink  # noqa: E402
from pos.journal import Journal  # noqa: E402
from pos.till.config import TillConfig  # noqa: E402
from pos.till.session import Till  # noqa: E402

BASE_DELAY, MAX_DELAY = 0.02, 0.1      # the pusher's and follower's backoff, seconds


def say(text: str) -> None:
    os.write(1, (text + "\n").encode())


class Driver:
    def __init__(self, args: argparse.Namespace) -> None:
        offset = args.offset

        def clock() -> float:
            return time.time() + offset
        token = args.token_file.read_text().strip()
        journal = Journal(args.journal, till=args.till, clock=clock)
        self.changed = threading.Event()
        self.link = TillHubLink(
            HubPusher(args.url, token, journal.path, args.till, timeout=5.0,
                      base_delay=BASE_DELAY, max_delay=MAX_DELAY),
            HubFollower(args.url, token, store_sales_path(journal.path), wait=args.wait,
                        timeout=5.0, base_delay=BASE_DELAY, max_delay=MAX_DELAY))
        self.till = Till(args.store, journal, TillConfig(till_id=args.till, lang="en"), clock,
                         hub=self.link)
        self.link.start(self.changed.set)
        self.journal = journal
        resumable = self.till.resumable
        say(f"ready {args.till} {os.getpid()} " + (
            f"resumable {resumable.sale_id} {len(resumable.lines)}" if resumable else "none"))

    # ---- commands ---------------------------------------------------------------------

    def add(self, words: list[str]) -> None:
        for word in words:
            if word.startswith("+"):
                if self.till.cards:
                    self.till.accept(min(int(word[1:]), len(self.till.cards)))
            elif word == "-":
                if self.till.cards:
                    self.till.decline("not_relevant")
            elif self.till.add_sku(word) is None:
                raise ValueError(f"no sku {word}")

    def pay(self) -> None:
        sale = self.till.pay()
        say(f"paid {sale.sale_id} {sale.total}")

    def store_sales(self) -> tuple[int, int]:
        """(sales, last rowid) of the store's sales journal the follower writes."""
        path = self.link.store_sales
        if not path.is_file():
            return 0, 0
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        try:
            count, last = conn.execute("SELECT count(*), coalesce(max(rowid), 0) "
                                       "FROM sales").fetchone()
            return int(count), int(last)
        except sqlite3.OperationalError:        # made, its tables not yet
            return 0, 0
        finally:
            conn.close()

    def sync(self, want: int, seconds: float) -> None:
        """Waits until the outbox is empty, the store's sales journal holds `want`
        sales and the till has fed them all (the follower counts an arrival just
        after writing it: the till takes it at the change that follows)."""
        begun = time.monotonic()
        deadline, fed, rounds = begun + seconds, 0, 0
        while True:
            rounds += 1
            self.changed.clear()            # before looking: a change after it wakes the wait
            fed += self.till.take_store_sales()
            outbox = self.journal.hub_waiting()[0]
            store, last = self.store_sales()
            if outbox == 0 and store >= want and self.till.store_position == last:
                break
            left = deadline - time.monotonic()
            if left <= 0 or not self.changed.wait(left):
                pusher, follower = self.link.pusher, self.link.follower
                say(f"error sync: after {seconds} s the outbox holds {outbox} "
                    f"(parked {self.journal.parked_for_hub()}), the store's sales {store} of "
                    f"{want}, fed up to {self.till.store_position} of {last}; pusher "
                    f"{pusher.state} ({pusher.failures} failures, {pusher.refusal}), follower "
                    f"{follower.failures} failures ({follower.refused})")
                return
        print(f"synced {want} sales in {time.monotonic() - begun:.2f} s ({rounds} looks)",
              file=sys.stderr, flush=True)
        say(f"synced {fed}")

    def state(self) -> None:
        learned = self.till.engine.learned
        assert learned is not None
        stock = self.till.stock
        say("state " + json.dumps({
            "learned": learned.stats(), "sold": stock.sold, "sold_out": sorted(stock.sold_out),
            "outbox": self.journal.hub_waiting()[0], "store_sales": self.store_sales()[0],
            "store_position": self.till.store_position}))

    def run(self) -> None:
        for text in sys.stdin:
            word, *rest = text.split()
            try:
                if word == "sell":
                    self.add(rest)
                    self.pay()
                elif word == "open":
                    self.add(rest)
                    say(f"open {self.till.sale.sale_id} {len(self.till.sale.lines)}")
                elif word == "resume":
                    sale = self.till.resumable
                    self.till.resume()
                    say(f"resumed {sale.sale_id if sale else None}")
                elif word == "discard":
                    sale = self.till.resumable
                    self.till.discard_unfinished()
                    say(f"discarded {sale.sale_id if sale else None}")
                elif word == "pay":
                    self.pay()
                elif word == "sync":
                    self.sync(int(rest[0]), float(rest[1]) if len(rest) > 1 else 60.0)
                elif word == "state":
                    self.state()
                elif word == "quit":
                    break
                else:
                    say(f"error unknown command {word}")
            except Exception as exc:          # said, so the test fails with it, not a hang
                logging.exception("command %s", text.strip())
                say(f"error {word}: {exc!r}")
        self.link.stop()
        self.till.close()
        self.journal.close()
        say("bye")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--journal", type=Path, required=True)
    parser.add_argument("--till", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--token-file", type=Path, required=True)
    parser.add_argument("--offset", type=float, default=0.0, help="the clock's seconds off")
    parser.add_argument("--wait", type=int, default=2, help="the follower's long poll, seconds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    Driver(args).run()


if __name__ == "__main__":
    main()
