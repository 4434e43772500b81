"""The store hub's faults with real processes (issue 17, item 6): a `pos hub serve`
process and three tills (tests/hub_till_driver.py: the till's controller with its
journal, pusher and follower) on loopback, through a scripted day:

- the hub SIGKILLed and started again KILLS times (50), at varied moments (see
  `the_day`): between sales with every till synced (its long polls cut), as it
  starts, as soon as it has answered one of the sales being paid on the tills (the
  others under way), just after the payments (the sends under way), and before a
  round's sales, kept down until they are paid (they wait in the outboxes);
- till t3 reaches the hub through a TCP proxy that drops its connections and
  refuses new ones for a stretch of the day (its network down), then passes them;
- till t2 SIGKILLed mid-sale twice (the hub down too, its last paid sale still in
  its outbox), started again: the unfinished sale is resumed and paid once, and
  discarded once;
- the tills' clocks are 5 minutes apart: t1 300 s behind, t2 right, t3 300 s ahead;
- items the dump counted are sold beyond their count (they sell out).

After the day (no more faults, every till synced): every paid sale of every till's
journal is in the hub's hub.db exactly once, with the till's content, and in its
store sales journal (sales.db) exactly once; each till's learning and stock equal
what the hub's sales.db gives (pos.learning, pos.stock); and `pos report` on the
hub's sales.db gives the sums of the tills' own reports. The counts (kills, sales,
duplicates found, lost) are printed and written to `fault-counts.json` in the
test's tmp dir.

POS_HUB_KILLS=N changes the number of kills (default 50), POS_HUB_SEED the script.
Nothing sleeps: the test waits for the processes' lines, and the tills for their
link's changes, each wait bounded.
"""
from __future__ import annotations

import json
import os
import queue
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import httpx
import pytest

from pos.engine import Engine
from pos.hub.store import HubStore
from pos.hub.tokens import enroll
from pos.journal import Journal
from pos.learning import replay_store_sales
from pos.stock import Stock, sold

DRIVER = Path(__file__).resolve().parent / "hub_till_driver.py"
KILLS = int(os.environ.get("POS_HUB_KILLS", "50"))
SEED = int(os.environ.get("POS_HUB_SEED", "17"))
ROUNDS = 70                      # a round: one sale on each till at once
EXPORT = datetime(2026, 10, 31, 23, tzinfo=timezone.utc).timestamp()     # the good dump's
TIMEOUT = 60.0                   # the longest any single wait may take before the test fails
OFFSETS = {"t1": -300.0, "t2": 0.0, "t3": 300.0}     # the tills' clocks, seconds off
PROXIED = "t3"                   # the till whose network goes down
DOWN_ROUNDS = range(20, 38)      # ... for these rounds
MID_SALE = {45: "resume", 60: "discard"}             # t2 killed mid-sale at these rounds
# the good dump's store (conftest): PARM (12 counted), PH-64 and PH-128 (5), CASE (0),
# WINE (9), and PASTA (40) and SAUCE (30) sell out during the day; ITEM7.. are not counted
BASKETS = [("PASTA", "SAUCE"), ("PASTA", "SAUCE", "PARM"), ("PARM",), ("PH-64", "CASE"),
           ("PH-64",), ("PH-128", "CASE"), ("ITEM7", "ITEM8"), ("PASTA", "ITEM9"),
           ("SAUCE", "PARM", "ITEM10"), ("WINE", "PASTA")]
SUMMED = ("sales", "turnover", "sales_with_suggestions", "suggestions_shown", "accepted",
          "upsells_shown", "suggestion_revenue", "suggestion_margin", "accepted_cost_unknown")


def hub_port() -> int:
    """A free port below the system's ephemeral range: while the hub is down, no
    till's outgoing connection can take it (or connect to itself on it), so the
    hub started again can always listen there."""
    try:
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for port in random.Random().sample(range(max(1024, low - 12000), low), 200):
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port below the ephemeral range")


class Lines:
    """A child's stdout read on a thread, line by line, for waits with a timeout;
    each line is also appended to `copy` when given."""

    def __init__(self, proc: subprocess.Popen, what: str, log: Path, copy: Path | None = None):
        self.proc, self.what, self.log, self.copy = proc, what, log, copy
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        out = open(self.copy, "a") if self.copy is not None else None
        try:
            for line in self.proc.stdout:
                self.queue.put(line.rstrip("\n"))
                if out is not None:
                    out.write(line)
        finally:
            if out is not None:
                out.close()
            self.queue.put(None)

    def next(self, timeout: float = TIMEOUT) -> str:
        try:
            line = self.queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"{self.what} said nothing for {timeout} s; its log:\n"
                                 f"{tail(self.log)}") from None
        assert line is not None, f"{self.what} ended ({self.proc.poll()}); its log:\n{tail(self.log)}"
        assert not line.startswith("error"), f"{self.what}: {line}; its log:\n{tail(self.log)}"
        return line


def tail(path: Path, lines: int = 40) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


class Hub:
    """`pos hub serve` on a fixed port, started again after each kill. Its stderr
    goes to `log`, its stdout (uvicorn's access log) to `access`: read all along,
    so that a full pipe never stops it."""

    def __init__(self, data: Path, store: Path, port: int, log: Path, access: Path) -> None:
        self.data, self.store, self.port, self.log, self.access = data, store, port, log, access
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self.lines: Lines | None = None
        self.kills = self.starts = 0

    @property
    def up(self) -> bool:
        return self.proc is not None

    def start(self, serving: bool = True) -> None:
        """Starts it and waits until it listens, and with `serving` until it answers."""
        for log in (self.log, self.access):
            with open(log, "a") as out:
                out.write(f"==== start {self.starts + 1}\n")
        with open(self.log, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pos", "hub", "serve", "--data", str(self.data),
                 "--db", str(self.store), "--listen", f"127.0.0.1:{self.port}"],
                stdout=subprocess.PIPE, stderr=err, text=True)
        self.starts += 1
        self.lines = Lines(self.proc, "the hub", self.log, self.access)
        line = self.lines.next()
        assert f"listening on {self.url}" in line, (line, tail(self.log))
        # it listens before uvicorn runs: the answer says it serves (a kill from now on
        # cuts what it is doing, not its start)
        if serving:
            assert httpx.get(f"{self.url}/v1/health", timeout=TIMEOUT).status_code == 200

    def wait_for(self, text: str) -> None:
        """Until this run of the hub logs a line with `text` (uvicorn logs a request
        as its answer starts)."""
        while text not in self.lines.next():
            pass

    def kill(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, tail(self.log)
        self.proc.kill()                       # SIGKILL, by its id
        self._ended()
        self.kills += 1

    def _ended(self) -> None:
        self.proc.wait()
        self.lines.thread.join(TIMEOUT)       # its output read to the end
        self.proc.stdout.close()
        self.proc = None

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self._ended()


class Proxy:
    """A TCP proxy on loopback to `upstream`: while `passing`, each connection is
    relayed to the upstream port; `down()` drops every open connection and refuses
    (resets) new ones until `up()`: a till's network gone, then back."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.passing = True
        self.lock = threading.Condition()
        self.open: list[tuple[socket.socket, socket.socket]] = []
        self.relayed = self.dropped = self.refused = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:                       # closed: the test is over
                return
            if not self.passing:
                self.refused += 1
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream), timeout=5)
            except OSError:                       # the hub is down: so is the connection
                self._reset(client)
                continue
            upstream.settimeout(None)
            pair = (client, upstream)
            with self.lock:
                if not self.passing:
                    self.refused += 1
                    self._reset(client)
                    upstream.close()
                    continue
                self.open.append(pair)
                self.relayed += 1
                self.lock.notify_all()
            done = threading.Barrier(2, action=lambda p=pair: self._close(p))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b, pair, done), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: tuple[socket.socket, socket.socket],
              done: threading.Barrier) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        self._shut(pair)              # one side ended: both are (HTTP needs no half-close)
        done.wait()                   # the second pump to end closes both sockets

    @staticmethod
    def _shut(pair: tuple[socket.socket, socket.socket]) -> None:
        for sock in pair:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _close(self, pair: tuple[socket.socket, socket.socket]) -> None:
        with self.lock:
            if pair in self.open:
                self.open.remove(pair)
        for sock in pair:
            sock.close()

    def wait_open(self) -> None:
        """Until a connection is being relayed (the till is talking to the hub)."""
        with self.lock:
            assert self.lock.wait_for(lambda: self.open, TIMEOUT), "no connection came"

    def down(self) -> None:
        with self.lock:
            self.passing = False
            dropping = list(self.open)
        self.dropped += len(dropping)
        for pair in dropping:
            self._shut(pair)

    def up(self) -> None:
        self.passing = True

    def close(self) -> None:
        self.down()
        self.server.shutdown(socket.SHUT_RDWR)      # wakes the accept (close alone does not)
        self.thread.join(TIMEOUT)
        self.server.close()


class TillProcess:
    """tests/hub_till_driver.py for one till; started again after a kill."""

    def __init__(self, till: str, store: Path, tmp: Path, url: str, token: str) -> None:
        self.till, self.store, self.url = till, store, url
        self.journal = tmp / f"{till}.db"
        self.token_file = tmp / f"{till}.token"
        self.token_file.write_text(token)
        self.log = tmp / f"{till}.log"
        self.proc: subprocess.Popen | None = None
        self.lines: Lines | None = None
        self.ready = ""
        self.paid: list[str] = []          # the sales it said it paid, in order
        self.totals: dict[str, int] = {}

    def start(self) -> None:
        with open(self.log, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(DRIVER), "--store", str(self.store), "--journal",
                 str(self.journal), "--till", self.till, "--url", self.url, "--token-file",
                 str(self.token_file), "--offset", str(OFFSETS[self.till])],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1)
        self.lines = Lines(self.proc, f"till {self.till}", self.log)
        self.ready = self.lines.next()
        assert self.ready.startswith(f"ready {self.till} "), self.ready

    def send(self, command: str) -> None:
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()

    def answer(self, word: str) -> list[str]:
        line = self.lines.next()
        got, *rest = line.split()
        assert got == word, (self.till, line)
        if word == "paid":
            self.paid.append(rest[0])
            self.totals[rest[0]] = int(rest[1])
        return rest

    def ask(self, command: str, word: str) -> list[str]:
        self.send(command)
        return self.answer(word)

    def kill(self) -> None:
        self.proc.kill()                   # SIGKILL, by its id
        self.proc.wait()
        self.proc.stdin.close()

    def quit(self) -> None:
        """After `send("quit")`: the till stops its link and ends."""
        self.answer("bye")
        assert self.proc.wait(TIMEOUT) == 0, tail(self.log)
        self.proc.stdin.close()

    def end(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def basket(rnd: random.Random) -> str:
    """A sale's words for the driver: its skus, maybe a card accepted or declined."""
    skus = list(rnd.choice(BASKETS))
    roll = rnd.random()
    decision = ["+1"] if roll < 0.3 else ["-"] if roll < 0.5 else []
    return " ".join([skus[0], *decision, *skus[1:]])


MOMENTS = {"before": 1, "starting": 2, "in_flight": 1, "after": 1, "down": 1}   # kills each


def kill_plan(rnd: random.Random, kills: int) -> dict[int, list[str]]:
    """round -> the moments of its kills (see `the_day`), `kills` kills in all."""
    plan: dict[int, list[str]] = {}
    while kills:
        moments = plan.setdefault(rnd.randrange(ROUNDS), [])
        moment = rnd.choice(list(MOMENTS))
        if moment == "in_flight" and moment in moments:     # once a round
            moment = "after"
        if MOMENTS[moment] > kills:
            moment = "before"
        moments.append(moment)
        kills -= MOMENTS[moment]
    return plan


def sync(tills: dict[str, TillProcess]) -> None:
    """Until every till has sent its sales and read the store's (all that were paid)."""
    paid = sum(len(till.paid) for till in tills.values())
    for till in tills.values():
        till.send(f"sync {paid} {TIMEOUT}")
    for till in tills.values():
        till.answer("synced")


def restart_mid_sale(till: TillProcess, hub: Hub, rnd: random.Random, then: str) -> str:
    """The hub down, `till` pays a sale (it stays in the outbox) and starts another,
    is SIGKILLed mid-sale and started again, with the hub: the unfinished sale is
    offered, and resumed and paid, or discarded. The unfinished sale's id."""
    hub.kill()
    till.ask(f"sell {basket(rnd)}", "paid")
    sale, lines = till.ask("open PASTA SAUCE", "open")
    till.kill()
    till.start()
    hub.start()
    assert till.ready.split()[3:] == ["resumable", sale, lines], (till.ready, sale)
    if then == "resume":
        assert till.ask("resume", "resumed") == [sale]
        assert till.ask("sell PARM", "paid")[0] == sale       # the resumed sale, paid
    else:
        assert till.ask("discard", "discarded") == [sale]
    return sale


def the_day(hub: Hub, tills: dict[str, TillProcess], proxy: Proxy,
            rnd: random.Random) -> tuple[dict[str, str], Counter[str]]:
    """The scripted day: ROUNDS rounds of one sale on each till at once, the hub
    SIGKILLed (and started again at once, unless said) at these moments of a round:

      before     before the round's sales, between sales: once every till has sent
                 and read every sale (the hub idle, the long polls waiting); while
                 t3's network is down, at once
      starting   before the round's sales, and once more as soon as it listens again
                 (its start cut: uvicorn starting, the tills' connections waiting)
      in_flight  the sales sent to the tills, as soon as the hub has answered one of
                 them (logged as its answer starts): the others are being paid and sent
      after      just after the payments, once this run of the hub has answered a sale:
                 the tills are sending
      down       before the round's sales, started again after them: they wait in the
                 tills' outboxes

    Till t3's network is down for DOWN_ROUNDS (cut with a request under way), and
    t2 is killed mid-sale at the MID_SALE rounds. Returns the sales unfinished at
    t2's restarts with what became of them (resume, discard), and the kills by moment."""
    plan = kill_plan(rnd, KILLS - len(MID_SALE))
    kills_at = Counter({"till_mid_sale": len(MID_SALE)})
    for moment in (m for moments in plan.values() for m in moments):
        kills_at[moment] += MOMENTS[moment]
    unfinished: dict[str, str] = {}

    def running() -> None:
        if not hub.up:
            hub.start()

    for r in range(ROUNDS):
        if r == DOWN_ROUNDS.stop:
            proxy.up()
        if r in MID_SALE:
            unfinished[restart_mid_sale(tills["t2"], hub, rnd, MID_SALE[r])] = MID_SALE[r]
        moments = plan.get(r, [])
        for moment in moments:
            if moment in ("before", "starting", "down"):
                running()                      # two kills before the round: it runs meanwhile
                if moment == "before" and proxy.passing:
                    sync(tills)
                hub.kill()
                if moment == "starting":
                    hub.start(serving=False)
                    hub.kill()
                if moment != "down":
                    hub.start()
        for till in tills.values():
            till.send(f"sell {basket(rnd)}")
        # t1's and t2's sales of this round go to the hub running now, unless it is
        # killed after they were sent: until then, waiting for it to answer a sale is
        # waiting for something certain
        sales_coming = True
        if r == DOWN_ROUNDS.start:
            running()
            proxy.wait_open()
            proxy.down()
        if "in_flight" in moments:
            running()
            hub.wait_for('"POST /v1/sales')
            hub.kill()
            sales_coming = False
            hub.start()
        for till in tills.values():
            till.answer("paid")
        for moment in moments:
            if moment == "after":
                running()
                if sales_coming:
                    hub.wait_for('"POST /v1/sales')
                hub.kill()
                sales_coming = False
                hub.start()
        running()                              # kept down for the round
    return unfinished, kills_at


def journal_paid(path: Path) -> dict[str, tuple[float, int]]:
    """sale id -> (paid at, total) of a journal's paid sales (not training)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {s: (at, total) for s, at, total in conn.execute(
            "SELECT sale_id, ended_at, total FROM sales WHERE status = 'paid' AND training = 0")}
    finally:
        conn.close()


def report_summary(journal: Path) -> dict:
    """`pos report --journal JOURNAL --format json`: its summary, offers by kind and
    decline reasons (the other sections are per hour, day, cashier or arm)."""
    run = subprocess.run([sys.executable, "-m", "pos", "report", "--journal", str(journal),
                          "--format", "json", "--no-bundles"],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 0, run.stderr
    sections = json.loads(run.stdout)["sections"]
    [summary] = sections["summary"]
    by_kind = {row["group"]: {k: v for k, v in row.items() if k in
                              ("shown", "accepted", "declined", "ignored", "revenue", "margin")}
               for row in sections["by_kind"]}
    reasons = {row["group"]: row["declined"] for row in sections["decline_reasons"]}
    return {"summary": {k: summary[k] for k in SUMMED}, "by_kind": by_kind, "reasons": reasons}


def added(reports: list[dict]) -> dict:
    """The sums of the tills' reports, shaped as one."""
    out: dict = {"summary": {}, "by_kind": {}, "reasons": {}}
    for report in reports:
        for key, value in report["summary"].items():
            out["summary"][key] = out["summary"].get(key, 0) + (value or 0)
        for kind, row in report["by_kind"].items():
            into = out["by_kind"].setdefault(kind, {})
            for key, value in row.items():
                into[key] = into.get(key, 0) + (value or 0)
        for reason, n in report["reasons"].items():
            out["reasons"][reason] = out["reasons"].get(reason, 0) + n
    return out


def zeroed(report: dict) -> dict:
    """None (no margin known) as 0, as the sums count it."""
    return {"summary": {k: v or 0 for k, v in report["summary"].items()},
            "by_kind": {kind: {k: v or 0 for k, v in row.items()}
                        for kind, row in report["by_kind"].items()},
            "reasons": report["reasons"]}


@pytest.mark.slow
def test_a_day_of_hub_kills_a_dropped_network_and_a_till_killed_mid_sale_loses_nothing(
        tmp_path, published):
    started = time.monotonic()
    rnd = random.Random(SEED)
    data = tmp_path / "hub"
    hub_store = HubStore(data)
    tokens = {till: enroll(hub_store, till) for till in OFFSETS}
    hub_store.close()
    hub = Hub(data, published, hub_port(), tmp_path / "hub.log", tmp_path / "hub-access.log")
    proxy = Proxy(hub.port)
    tills = {till: TillProcess(till, published, tmp_path,
                               f"http://127.0.0.1:{proxy.port}" if till == PROXIED else hub.url,
                               tokens[till]) for till in OFFSETS}
    try:
        hub.start()
        for till in tills.values():
            till.start()
        unfinished, kills_at = the_day(hub, tills, proxy, rnd)
        seconds = {"day": time.monotonic() - started}
        # the day is over: no more faults; every till sends and reads everything
        sync(tills)
        paid = sum(len(till.paid) for till in tills.values())
        seconds["synced"] = time.monotonic() - started
        states = {name: till_state(till) for name, till in tills.items()}
        hub.stop()                  # first: its long polls answer at once, the tills end sooner
        for till in tills.values():
            till.send("quit")
        for till in tills.values():
            till.quit()
    finally:
        for till in tills.values():
            till.end()
        proxy.close()
        if hub.up:
            hub.proc.kill()
            hub._ended()

    # every paid sale of every till's journal, as the tills said they paid them
    journals = {name: journal_paid(till.journal) for name, till in tills.items()}
    for name, till in tills.items():
        assert sorted(journals[name]) == sorted(till.paid), f"{name}: a payment said is lost"
        assert len(set(till.paid)) == len(till.paid)
        assert {s: t for s, (_, t) in journals[name].items()} == till.totals
    paid_ids = {s: name for name, sales in journals.items() for s in sales}
    assert len(paid_ids) == paid
    t2 = sqlite3.connect(tills["t2"].journal)
    status = dict(t2.execute("SELECT sale_id, status FROM sales"))
    t2.close()
    assert {s: status[s] for s in unfinished} == {
        s: "paid" if then == "resume" else "abandoned" for s, then in unfinished.items()}

    # ... is in the hub's record exactly once, with the till's content
    hub_db = sqlite3.connect(data / "hub.db")
    received = Counter(s for (s,) in hub_db.execute("SELECT sale_id FROM received"))
    bodies = dict(hub_db.execute("SELECT sale_id, body FROM received"))
    hub_db.close()
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    lost = [s for s in paid_ids if s not in received]
    extra = [s for s in received if s not in paid_ids]
    for name, till in tills.items():
        journal = Journal(till.journal, till=name)
        for sale_id in journals[name]:
            if sale_id in bodies:
                assert json.loads(bodies[sale_id]) == journal.hub_sale(sale_id), sale_id
        journal.close()
    # ... and in the store's sales journal exactly once, paid when and for what the till says
    store_db = sqlite3.connect(data / "sales.db")
    store_sales = Counter(s for (s,) in store_db.execute("SELECT sale_id FROM sales"))
    store_paid = {s: (at, total) for s, at, total in store_db.execute(
        "SELECT sale_id, ended_at, total FROM sales WHERE status = 'paid' AND training = 0")}
    hub_sold = dict(sold(store_db, EXPORT))
    store_db.close()
    store_duplicates = sum(n - 1 for n in store_sales.values() if n > 1)
    store_lost = [s for s in paid_ids if s not in store_sales]

    seconds["counted"] = time.monotonic() - started
    counts = {"hub_kills": hub.kills, "hub_kills_at": dict(kills_at), "hub_starts": hub.starts,
              "sales_paid": paid,
              "sales_per_till": {name: len(till.paid) for name, till in tills.items()},
              "duplicates_found": duplicates + store_duplicates,
              "lost": len(lost) + len(store_lost), "extra_in_hub": len(extra),
              "till_restarts_mid_sale": len(unfinished), "clock_offsets": OFFSETS,
              "proxy": {"relayed": proxy.relayed, "dropped": proxy.dropped,
                        "refused": proxy.refused},
              "repeats_acknowledged": hub_log_count(hub.access, '"POST /v1/sales HTTP/1.1" 200'),
              "sold_out": sorted(states["t1"]["sold_out"]),
              "seconds": {k: round(v, 1) for k, v in seconds.items()}}
    (tmp_path / "fault-counts.json").write_text(json.dumps(counts, indent=2) + "\n")
    print(f"hub kills: {hub.kills}, sales paid: {paid}, duplicates found: "
          f"{counts['duplicates_found']}, lost: {counts['lost']} ({json.dumps(counts)})")
    assert hub.kills == KILLS == sum(kills_at.values())
    assert (duplicates, lost, extra) == (0, [], [])
    assert (store_duplicates, store_lost, len(store_sales)) == (0, [], paid)
    assert store_paid == {s: v for sales in journals.values() for s, v in sales.items()}
    assert proxy.dropped and proxy.refused, "the proxied till's network was never cut"

    # each till's learning and stock are the hub's
    engine = Engine.open(published)
    try:
        learner = engine.new_learner()
        replay_store_sales(learner, data / "sales.db", None, int(EXPORT), time.time())
        hub_learned = learner.stats()
        stock = Stock(engine_store(published))
        stock.add(hub_sold.items())
        hub_sold_out = sorted(stock.sold_out)
        stock.conn.close()
    finally:
        engine.close()
    assert hub_learned["baskets"] == paid and hub_learned["declines"] > 0
    assert {"PARM", "PH-64"} <= set(hub_sold_out), hub_sold_out
    for name, state in states.items():
        learned = state["learned"]
        assert {k: v for k, v in learned.items() if k != "weight"} == \
            {k: v for k, v in hub_learned.items() if k != "weight"}, name
        assert learned["weight"] == pytest.approx(hub_learned["weight"], rel=1e-9), name
        assert state["sold"] == pytest.approx(hub_sold), name
        assert state["sold_out"] == hub_sold_out, name
        assert state["outbox"] == 0 and state["store_sales"] == paid, name

    # the report on the hub's sales journal is the sum of the tills' own
    hub_report = report_summary(data / "sales.db")
    till_reports = [report_summary(till.journal) for till in tills.values()]
    assert hub_report["summary"]["sales"] == paid
    assert hub_report["summary"]["suggestions_shown"] > 0 and hub_report["summary"]["accepted"] > 0
    assert zeroed(hub_report) == added(till_reports)


def till_state(till: TillProcess) -> dict:
    """The till's learning, stock and outbox, as it says them."""
    till.send("state")
    line = till.lines.next()
    assert line.startswith("state "), line
    return json.loads(line[len("state "):])


def engine_store(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def hub_log_count(log: Path, text: str) -> int:
    return sum(text in line for line in log.read_text(errors="replace").splitlines())
