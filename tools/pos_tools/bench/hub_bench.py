"""`pos bench hub`: the store hub under 30 tills at a busy Saturday's rate (issue 17,
"Performance"). Not a timed test: a benchmark that prints a table against the
issue's targets, with its baselines measured in the same run.

What runs, all on this machine:

- **The hub**: a real `pos hub serve --data TMP --listen 127.0.0.1:0 --db STORE`
  process (`python -m pos hub serve` of this venv), the tills enrolled on its store
  before it starts (pos.hub.tokens.enroll, what `pos hub enroll` does). Its URL is
  its first line of output; the rest (uvicorn's access log, a line per request as in
  production, and its log) goes to files.
- **The store**: `--db`, by default the demo store (`pos demo`'s generator, 40,000
  baskets, seed 7), generated and loaded once into `--cache`.
- **30 simulated tills**, each with its own two httpx clients as a till has
  (pos.hub.client, pos.hub.follow), the pushers on this process's asyncio loop and
  the followers on another process's (`python -m pos_tools.bench.hub_bench follow`:
  reading 30 answers a sale would make this loop late, and the pushes' timing with it):
  - a *pusher*: `POST /v1/sales`, one sale at a time in the order paid, as a till's
    outbox sends them. The sales are made here in the shape `Journal.hub_sale`
    gives (pos.hub.sale checks them): the lines of one of the store's own recent
    baskets (its real skus and prices, a weighed item with a weight), 0-3 offers
    of other real skus with outcomes (an accepted one is a line too), a customer
    for 30% of them. A sale is paid at its planned time and sent then, or after
    the till's previous push when that is still under way (the wait is reported
    apart: the table's latency is from the send to the answer).
  - a *follower*: `GET /v1/sales?after=CURSOR&wait=20` in a loop, as HubFollower
    asks, noting the time each sale comes in an answer. It is lighter than
    HubFollower (it neither checks the sales nor writes them into a store's sales
    journal), so that 30 of them leave the cores to the hub; the real till below
    runs the real one.
- **Phases**: *steady*, each till pays a sale every `--period` (20) s, its first at
  a random point of the first period, for `--steady-seconds` (60: 90 sales); then a
  *burst*, `--burst-rate` (100) sales/s for `--burst-seconds` (10) over the tills in
  turn (1,000 sales). After each, the followers are given up to `--drain` s to see
  every sale.
- **Measures**: *push acknowledged*, from the request's send to its 201; *seen by
  the other tills*, from the pusher's 201 to the answer that brings the sale to each
  of the other tills' followers (29 per sale; one that came before the 201 counts
  0, and is counted); *hub memory*, VmRSS sampled every 0.2 s and VmHWM (the peak)
  from /proc/PID/status; the hub's CPU time from /proc/PID/stat. Baseline of the
  push: `GET /v1/health` round trips of one more client, 10 a second through the
  same phase (no token, no SQL: the HTTP stack and both event loops alone). How late
  the pushers' loop is (a 5 ms sleep's overshoot) shows what of a push's time is this
  side's; the steady pushes are also split by whether another till's sale was stored
  from 50 ms before them to their answer (the hub then answers every follower's long
  poll: 30 GET /v1/sales at once).
- **`POST /v1/suggest`**: 30 clients, each with a till's token, `--suggest-requests`
  (100) each, `--suggest-pace` (300) ms between an answer and the next request (a
  cashier's pace); the body a `pos suggest --jsonl` request line (`{"basket": [...],
  "customer": ..., "declined": [...]}`), baskets from the store's recent baskets.
  A hub that answers 404 (or 405) has no such route: the row says "not available in
  this build". Baseline: the hub's own suggester (HubSuggester.suggest, on the same
  store and the hub's store sales journal) called in this process on the same requests.
- **The till**: `pos bench till`'s latency run (till_bench.latency_child: the real
  app as `pos till` builds it, the scanner emulator on a pty, `--reads` reads back
  to back, a sale paid every 1-60 lines; the codes of random products as there, but
  no age-restricted one, whose ID check is a dialog of its own), four times on the
  same store with the same codes, as till 30 of the store: without a hub, the other
  tills idle (the baseline); linked to the hub as `pos till` links it (store.toml
  [hub]: pos.hub.link.TillHubLink, the pusher and the follower on their threads)
  while the other 29 tills pay a sale every `--period` s; not linked while they pay
  `--burst-rate` sales/s (the same load on the machine: the baseline of the next);
  and linked while they do. Before its reads the linked till catches up with the
  store's sales so far (its follower reads them, then one Till.take_store_sales), as
  a till that has run all day has; the other tills' sales arriving during the reads
  are fed to its learning and stock on the app's thread (Till.take_store_sales, at
  the next scan or when the follower's message comes: timed apart). When each sale
  reached its store's sales journal (the time
  Journal.add_received gives the rows) is the real follower's *seen* figure.

The simulated tills, the hub and the till share this machine's cores, which a
store's tills and hub do not: the CPU each used is printed with the table.
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from .report import ok
from .till_bench import pct
from .till_child import child_json, ms

TARGET_PUSH_MS = 50.0
TARGET_SEEN_S = 2.0
TARGET_MEMORY_MB = 200.0
TARGET_SUGGEST_MS = 10.0
TARGET_SCAN_MS = 50.0
DEMO_BASKETS = 40_000
DEMO_SEED = 7
MAX_LINES = 60
WAIT = 20                      # a follower's long poll, as HubFollower's
SAMPLE_EVERY = 0.2             # the hub's memory, seconds
PROBE_EVERY = 0.1              # the health baseline, seconds
TICK = 0.005                   # the simulated tills' loop lag is measured by a sleep this long


# ---- the store ------------------------------------------------------------------

def demo_store(cache: Path, say: Callable[[str], object]) -> Path:
    """The demo store (`pos demo`'s generator, seed 7), generated and loaded once."""
    name = f"demo-b{DEMO_BASKETS}-s{DEMO_SEED}"
    db = cache / f"{name}.db"
    if db.exists():
        return db
    cache.mkdir(parents=True, exist_ok=True)
    dump = cache / name
    say(f"the demo store: generating {DEMO_BASKETS:,} baskets and loading them into {db} (once) ...")
    subprocess.run([sys.executable, "-m", "pos.demo", "--out", str(dump), "--baskets",
                    str(DEMO_BASKETS), "--seed", str(DEMO_SEED), "--export-time", "now", "-q"],
                   check=True)
    tmp = db.with_name(db.name + ".tmp")
    subprocess.run([sys.executable, "-m", "pos", "load", str(dump), "--db", str(tmp), "--quiet"],
                   check=True)
    os.replace(tmp, db)
    return db


@dataclass
class StoreData:
    """What the simulated tills sell: the store's skus, prices, weighed items,
    recent baskets (as skus), customers and currency."""
    skus: list[str]
    price: dict[str, int]
    weighed: set[str]
    baskets: list[list[str]]
    customers: list[str]
    currency: str
    exponent: int


def read_store(db: Path, max_baskets: int = 20_000) -> StoreData:
    from pos.store.engine_data import read_recent_baskets
    from pos.store.reader import open_store

    conn = open_store(db)
    try:
        rows = conn.execute("SELECT item, sku, price, unit FROM products WHERE active = 1").fetchall()
        sku_of = {item: sku for item, sku, _, _ in rows}
        offsets, items = read_recent_baskets(conn)
        first = max(0, len(offsets) - 1 - max_baskets)
        baskets = []
        for b in range(first, len(offsets) - 1):
            skus = list(dict.fromkeys(sku_of[i] for i in items[offsets[b]:offsets[b + 1]]
                                      if i in sku_of))
            if skus:
                baskets.append(skus[:MAX_LINES])
        has_customers = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'customers'").fetchone()
        customers = [c for (c,) in conn.execute("SELECT customer FROM customers LIMIT 2000")] \
            if has_customers else []
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    finally:
        conn.close()
    skus = [sku for _, sku, _, _ in rows]
    if not baskets:                 # a store written before recent_baskets: random ones
        rng = random.Random(1)
        baskets = [rng.sample(skus, min(len(skus), rng.randint(1, 20))) for _ in range(2_000)]
    return StoreData(skus=skus, price={sku: int(price) for _, sku, price, _ in rows},
                     weighed={sku for _, sku, _, unit in rows if unit != "each"},
                     baskets=baskets, customers=customers,
                     currency=str(meta.get("currency") or "EUR"),
                     exponent=int(meta.get("currency_exponent") or 2))


def make_sale(rng: random.Random, till: str, store: StoreData, paid_at: float) -> dict[str, Any]:
    """A paid sale of `till` in the shape Journal.hub_sale gives (pos.hub.sale)."""
    basket = rng.choice(store.baskets)
    started = paid_at - rng.uniform(20.0, 180.0)
    lines: list[dict[str, Any]] = []

    def add(sku: str) -> None:
        price = store.price[sku]
        if sku in store.weighed:
            weight = rng.randint(150, 1_500)
            qty, total = 1, round(price * weight / 1000)
        else:
            weight = None
            qty = 1 if rng.random() < 0.85 else rng.randint(2, 4)
            total = price * qty
        lines.append({"line": len(lines) + 1, "sku": sku, "qty": qty, "weight_g": weight,
                      "unit_price": price, "total": total})
    for sku in basket:
        add(sku)
    offers = []
    in_basket = set(basket)
    for position in range(1, rng.choice((0, 1, 1, 2, 3)) + 1):
        sku = rng.choice(store.skus)
        if sku in in_basket:
            continue
        in_basket.add(sku)
        outcome = rng.choice(("accepted", "declined", "ignored", "ignored", None))
        shown = started + rng.uniform(1.0, 15.0)
        price = store.price[sku]
        if outcome == "accepted":
            add(sku)
        offers.append({"sku": sku, "kind": rng.choice(("cross", "cross", "upsell", "bundle")),
                       "position": position, "score": round(rng.random(), 6), "price": price,
                       "anchor": basket[0], "shown_at": shown, "outcome": outcome,
                       "reason": "not today" if outcome == "declined" else None,
                       "outcome_at": shown + rng.uniform(1.0, 5.0) if outcome else None,
                       "revenue": price if outcome == "accepted" else 0, "margin": None})
    return {"sale_id": f"{till}-{uuid.uuid4().hex}", "till": till, "training": False,
            "started_at": started, "paid_at": paid_at, "cashier": f"cashier-{till}",
            "customer": rng.choice(store.customers) if store.customers and rng.random() < 0.3
            else None, "arm": None, "currency": store.currency,
            "currency_exponent": store.exponent, "total": sum(ln["total"] for ln in lines),
            "lines": lines, "offers": offers}


def suggest_request(rng: random.Random, store: StoreData) -> dict[str, Any]:
    """A `pos suggest --jsonl` request: a basket as it stands mid-sale (a prefix of one
    of the store's baskets), a customer for 30%, a declined sku for 20%."""
    basket = rng.choice(store.baskets)
    return {"basket": basket[:rng.randint(1, len(basket))],
            "customer": rng.choice(store.customers) if store.customers and rng.random() < 0.3
            else None,
            "declined": [rng.choice(store.skus)] if rng.random() < 0.2 else []}


# ---- the hub's process ----------------------------------------------------------

def till_ids(n: int) -> list[str]:
    return [f"till{i:02d}" for i in range(1, n + 1)]


def enroll_tills(data: Path, tills: list[str]) -> dict[str, str]:
    """Each till's token, enrolled as `pos hub enroll` does."""
    from pos.hub.store import HubStore
    from pos.hub.tokens import enroll

    store = HubStore(data)
    try:
        return {till: enroll(store, till) for till in tills}
    finally:
        store.close()


def proc_status(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of process `pid`, MB."""
    out = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


def proc_cpu(pid: int | str = "self") -> float:
    """User + system CPU seconds of process `pid`, all its threads."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        fields = f.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class HubProcess:
    """`pos hub serve` on a port the system chooses; its URL is its first line."""

    def __init__(self, data: Path, db: Path, logs: Path):
        self.data, self.db, self.logs = data, db, logs
        self.proc: subprocess.Popen | None = None
        self.url = ""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "pos", "hub", "serve", "--data", str(self.data),
                "--listen", "127.0.0.1:0", "--db", str(self.db)]

    def start(self, timeout: float = 60.0) -> str:
        """Starts it and returns its URL, its first line of output. Its output (then
        uvicorn's access log, a line per request) goes to a file, not a pipe: a pipe
        this process drains late would hold the hub up."""
        out, err = self.logs / "hub.out", self.logs / "hub.err"
        with open(out, "w") as stdout, open(err, "w") as stderr:
            self.proc = subprocess.Popen(self.command(), stdout=stdout, stderr=stderr, text=True)
        deadline = time.monotonic() + timeout
        line = ""
        while self.proc.poll() is None and time.monotonic() < deadline:
            text = out.read_text(encoding="utf-8")
            if "\n" in text:
                line = text.partition("\n")[0]
                break
            time.sleep(0.02)            # the file is polled for the line: no fixed wait
        if "listening on " not in line:
            self.stop()
            raise RuntimeError(f"pos hub serve did not start: {line!r}\n{err.read_text()[-2000:]}")
        self.url = line.split("listening on ")[1].split()[0]
        return self.url

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---- the simulated tills --------------------------------------------------------

@dataclass
class Push:
    till: str
    sale_id: str
    planned: float        # time.monotonic(): paid
    sent: float
    answered: float
    answered_wall: float  # time.time(), to compare with a journal's times
    status: int           # 0: no answer


@dataclass
class Phase:
    name: str
    pushes: list[Push] = field(default_factory=list)
    health: list[float] = field(default_factory=list)
    lag: list[float] = field(default_factory=list)    # this process's event loop, late by
    rss_max: float = 0.0
    hwm: float = 0.0
    rss_end: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)   # CPU seconds: hub, own, followers
    wall: float = 0.0
    answers: int = 0              # GET /v1/sales answers the followers had
    seen: list[float] = field(default_factory=list)
    early: int = 0                # seen before the pusher had its 201
    missing: int = 0
    drained: float | None = None  # seconds after the last push until every sale was seen


def steady_times(start: float, period: float, offset: float, end: float | None) -> Iterator[float]:
    k = 0
    while end is None or start + offset + k * period < end:
        yield start + offset + k * period
        k += 1


def burst_times(start: float, rate: float, index: int, n: int, end: float | None) -> Iterator[float]:
    k = index
    while end is None or start + k / rate < end:
        yield start + k / rate
        k += n


class FollowerLoop:
    """The simulated tills' followers, in a process of their own (`python -m
    pos_tools.bench.hub_bench follow SPEC`, run by Followers), so that the work of
    reading the answers does not delay the pushers' timing. Takes one JSON command a
    line on stdin and answers one JSON line on stdout."""

    def __init__(self, url: str, tokens: dict[str, str]):
        self.url, self.tokens = url, tokens
        self.clients = {t: httpx.AsyncClient(base_url=url, timeout=WAIT + 10.0) for t in tokens}
        self.seen: dict[str, dict[str, float]] = defaultdict(dict)
        self.cursor: dict[str, int] = dict.fromkeys(tokens, 0)
        self.tasks: dict[str, asyncio.Task] = {}
        self.answers = 0
        self.errors = 0

    async def follow(self, till: str) -> None:
        client, auth = self.clients[till], {"Authorization": f"Bearer {self.tokens[till]}"}
        while True:
            try:
                r = await client.get("/v1/sales", headers=auth,
                                     params={"after": self.cursor[till], "wait": WAIT})
                now = time.monotonic()
                r.raise_for_status()
                body = r.json()
            except (httpx.HTTPError, ValueError):
                self.errors += 1
                await asyncio.sleep(1.0)
                continue
            self.answers += 1
            self.cursor[till] = int(body["cursor"])
            for sale in body["sales"]:
                if sale["till"] != till:
                    self.seen[sale["sale_id"]].setdefault(till, now)

    async def drain(self, expect: list[list[str]], timeout: float) -> float | None:
        """Until every sale of `expect` ([sale_id, its till]) is seen by every other
        following till: when (time.monotonic()), or None at `timeout`."""
        deadline = time.monotonic() + timeout
        unseen = [(sid, till) for sid, pusher in expect for till in self.tasks if till != pusher]
        while True:
            unseen = [(sid, till) for sid, till in unseen if till not in self.seen[sid]]
            if not unseen:
                return time.monotonic()
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.01)

    async def serve(self) -> None:
        for till in self.tokens:
            self.tasks[till] = asyncio.create_task(self.follow(till))
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                break
            order = json.loads(line)
            if order["op"] == "quit":
                break
            if order["op"] == "stop":
                task = self.tasks.pop(order["till"])
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                answer: dict[str, Any] = {}
            elif order["op"] == "drain":
                answer = {"at": await self.drain(order["expect"], order["timeout"])}
            else:                                  # take: what was seen since the last take
                answer = {"seen": self.seen, "answers": self.answers, "errors": self.errors,
                          "cursor": self.cursor}
                self.seen, self.answers = defaultdict(dict), 0
            print(json.dumps(answer), flush=True)
        for task in self.tasks.values():
            task.cancel()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)
        for client in self.clients.values():
            await client.aclose()


class Followers:
    """The follower process, seen from the bench's."""

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.errors = 0

    async def start(self, url: str, tokens: dict[str, str]) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "pos_tools.bench.hub_bench", "follow",
            json.dumps({"url": url, "tokens": tokens}), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, limit=1 << 28)

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def ask(self, order: dict[str, Any]) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin and self.proc.stdout
        self.proc.stdin.write((json.dumps(order) + "\n").encode())
        await self.proc.stdin.drain()
        line = await self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the followers' process ended")
        answer: dict[str, Any] = json.loads(line)
        self.errors += answer.get("errors", 0) if order["op"] == "take" else 0
        return answer

    async def take(self) -> dict[str, Any]:
        return await self.ask({"op": "take"})

    async def close(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.returncode is None and proc.stdin is not None:
                proc.stdin.write(b'{"op": "quit"}\n')
                await proc.stdin.drain()
            await asyncio.wait_for(proc.wait(), 30)
        except (asyncio.TimeoutError, ConnectionError):
            proc.kill()
            await proc.wait()


class Tills:
    """The simulated tills' pushers on this process's asyncio loop, with the health
    probe, a ticker measuring this loop's lag and the hub's memory sampler; their
    followers are in a process of their own (`followers`)."""

    def __init__(self, url: str, tokens: dict[str, str], store: StoreData, hub_pid: int, seed: int,
                 transport: httpx.AsyncBaseTransport | None = None):
        """`transport`: the clients' (tests: an app in this process); default, the network."""
        self.url, self.tokens, self.store, self.hub_pid = url, tokens, store, hub_pid
        self.rng = random.Random(seed)

        def client(timeout: float) -> httpx.AsyncClient:
            return httpx.AsyncClient(base_url=url, timeout=timeout, transport=transport)
        self.push_clients = {t: client(10.0) for t in tokens}
        self.probe = client(10.0)
        self.followers = Followers()
        self.following: list[str] = []
        self.phase: Phase | None = None
        self._sampler: asyncio.Task | None = None

    def auth(self, till: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[till]}"}

    async def close(self) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
            await asyncio.gather(self._sampler, return_exceptions=True)
        await self.followers.close()
        for client in [*self.push_clients.values(), self.probe]:
            await client.aclose()

    # ---- following ---------------------------------------------------------------

    async def start_following(self, tills: list[str], timeout: float = 30.0) -> None:
        """Starts the followers of `tills`, and waits until their long polls wait at
        the hub (GET /v1/health's `following`)."""
        await self.followers.start(self.url, {t: self.tokens[t] for t in tills})
        self.following = list(tills)
        deadline = time.monotonic() + timeout
        while (await self.probe.get("/v1/health")).json()["following"] < len(tills):
            if time.monotonic() > deadline:
                raise RuntimeError(f"fewer than {len(tills)} followers are waiting at the hub")
            await asyncio.sleep(0.05)

    async def stop_following(self, till: str) -> None:
        await self.followers.ask({"op": "stop", "till": till})
        self.following.remove(till)

    # ---- pushing -----------------------------------------------------------------

    async def push(self, till: str, times: Iterator[float], phase: Phase) -> None:
        client, auth = self.push_clients[till], self.auth(till)
        for planned in times:
            delay = planned - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            sale = make_sale(self.rng, till, self.store, time.time())
            sent = time.monotonic()
            try:
                status = (await client.post("/v1/sales", json=sale, headers=auth)).status_code
            except httpx.HTTPError:
                status = 0
            phase.pushes.append(Push(till, sale["sale_id"], planned, sent, time.monotonic(),
                                     time.time(), status))

    def pushers(self, kind: str, tills: list[str], phase: Phase, *, period: float, rate: float,
                seconds: float | None) -> list[asyncio.Task]:
        """The tills' pushers for a steady phase (a sale per till per `period`) or a
        burst (`rate` sales/s over the tills in turn); without `seconds`, until cancelled."""
        start = time.monotonic() + 0.05
        end = None if seconds is None else start + seconds
        tasks = []
        for i, till in enumerate(tills):
            times = steady_times(start, period, self.rng.uniform(0, period), end) \
                if kind == "steady" else burst_times(start, rate, i, len(tills), end)
            tasks.append(asyncio.create_task(self.push(till, times, phase)))
        return tasks

    # ---- measuring around a phase --------------------------------------------------

    async def _sample(self) -> None:
        while True:
            phase = self.phase
            if phase is not None:
                phase.rss_max = max(phase.rss_max, proc_status(self.hub_pid)["VmRSS"])
            await asyncio.sleep(SAMPLE_EVERY)

    async def _lag(self, phase: Phase) -> None:
        while True:
            t = time.monotonic()
            await asyncio.sleep(TICK)
            phase.lag.append(time.monotonic() - t - TICK)

    async def _probe(self, phase: Phase) -> None:
        while True:
            t = time.monotonic()
            try:
                (await self.probe.get("/v1/health")).raise_for_status()
                phase.health.append(time.monotonic() - t)
            except httpx.HTTPError:
                pass
            await asyncio.sleep(PROBE_EVERY)

    async def measured(self, phase: Phase, work: Awaitable[object]) -> None:
        """Runs `work` as `phase`: memory, CPU, the health probe, this loop's lag; the
        followers' answers and sightings are taken at the start and the end."""
        if self._sampler is None:
            self._sampler = asyncio.create_task(self._sample())
        following = self.followers.proc is not None
        if following:
            await self.followers.take()
        self.phase = phase
        pids = {"hub": self.hub_pid, "own": os.getpid(),
                **({"followers": self.followers.pid} if following else {})}
        cpu0 = {k: proc_cpu(pid) for k, pid in pids.items()}
        t0 = time.monotonic()
        probes = [asyncio.create_task(self._probe(phase)), asyncio.create_task(self._lag(phase))]
        try:
            await work
        finally:
            for probe in probes:
                probe.cancel()
            await asyncio.gather(*probes, return_exceptions=True)
            status = proc_status(self.hub_pid)
            phase.rss_max = max(phase.rss_max, status["VmRSS"])
            phase.hwm, phase.rss_end = status["VmHWM"], status["VmRSS"]
            phase.cpu = {k: proc_cpu(pid) - cpu0[k] for k, pid in pids.items()}
            phase.wall = time.monotonic() - t0
            self.phase = None
        if following:
            taken = await self.followers.take()
            phase.answers = taken["answers"]
            self._count_seen(phase, taken["seen"])

    async def run_phase(self, phase: Phase, kind: str, tills: list[str], *, period: float,
                        rate: float, seconds: float, drain: float) -> None:
        """Pushes as `kind` for `seconds`, then waits until every stored sale has been
        seen by every other following till (at most `drain` s), and counts."""
        async def work() -> None:
            await asyncio.gather(*self.pushers(kind, tills, phase, period=period, rate=rate,
                                               seconds=seconds))
            last = max((p.answered for p in phase.pushes), default=time.monotonic())
            at = (await self.followers.ask({"op": "drain", "timeout": drain, "expect": [
                [p.sale_id, p.till] for p in phase.pushes if p.status == 201]}))["at"]
            phase.drained = None if at is None else at - last
        await self.measured(phase, work())

    def _count_seen(self, phase: Phase, seen: dict[str, dict[str, float]]) -> None:
        for p in phase.pushes:
            if p.status != 201:
                continue
            for till in self.following:
                if till == p.till:
                    continue
                at = seen.get(p.sale_id, {}).get(till)
                if at is None:
                    phase.missing += 1
                    continue
                if at < p.answered:
                    phase.early += 1
                phase.seen.append(max(0.0, at - p.answered))

    # ---- POST /v1/suggest ------------------------------------------------------------

    async def suggest(self, tills: list[str], per_client: int, pace: float,
                      phase: Phase) -> tuple[str, list[float], list[dict], Counter]:
        """(what the hub answered a first request: 'ok', or why not; the latencies of
        the 200s; the requests sent; the statuses)."""
        rng = random.Random(1)
        first = await self.push_clients[tills[0]].post(
            "/v1/suggest", json=suggest_request(rng, self.store), headers=self.auth(tills[0]))
        if first.status_code in (404, 405):
            return f"not available in this build ({first.status_code})", [], [], Counter()
        if first.status_code != 200:
            return f"answered {first.status_code}: {first.text[:120]}", [], [], Counter()
        requests = [[suggest_request(rng, self.store) for _ in range(per_client)] for _ in tills]
        latencies: list[float] = []
        statuses: Counter = Counter()

        async def client(till: str, mine: list[dict]) -> None:
            c, auth = self.push_clients[till], self.auth(till)
            await asyncio.sleep(rng.uniform(0, pace))          # not all at once
            for body in mine:
                t = time.monotonic()
                try:
                    r = await c.post("/v1/suggest", json=body, headers=auth)
                    statuses[r.status_code] += 1
                    if r.status_code == 200:
                        latencies.append(time.monotonic() - t)
                except httpx.HTTPError:
                    statuses[0] += 1
                if pace:
                    await asyncio.sleep(pace)

        async def work() -> None:
            await asyncio.gather(*(client(t, r) for t, r in zip(tills, requests)))
        await self.measured(phase, work())
        return "ok", latencies, [b for r in requests for b in r], statuses


def suggester_baseline(db: Path, sales: Path, requests: list[dict]) -> list[float]:
    """The hub's own suggester (pos.hub.suggest.HubSuggester, on the same store and the
    hub's store sales journal: the same learning and stock) called in this process on
    the same requests: the baseline of POST /v1/suggest, all but the HTTP."""
    from pos.hub.suggest import HubSuggester

    suggester = HubSuggester(db, sales=sales, watch=False)
    out = []
    try:
        suggester.suggest(requests[0])            # the first call reads more of the store
        for body in requests:
            t = time.perf_counter()
            suggester.suggest(body)
            out.append(time.perf_counter() - t)
    finally:
        suggester.close()
    return out


# ---- the till -------------------------------------------------------------------

def store_cursor(path: Path) -> int:
    """The hub's seq a till's store's sales journal has read up to (0: none yet)."""
    if not path.is_file():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5.0)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'hub_cursor'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
    return int(str(row[0]).partition(" ")[2]) if row else 0


def settler(spec: dict, marks: dict[str, float]) -> Callable[[Any], Awaitable[None]]:
    """What the linked till does before its reads: its follower reads the store's
    sales up to `spec["settle_seq"]`, then one Till.take_store_sales feeds them
    (`marks["settled_at"]`: when, time.time())."""
    from pos.hub.follow import store_sales_path

    async def settle(app: Any) -> None:
        path = store_sales_path(Path(spec["journal"]))
        deadline = time.monotonic() + 120
        while store_cursor(path) < spec["settle_seq"]:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the till's follower did not catch up ({store_cursor(path)} "
                                   f"of {spec['settle_seq']})")
            await asyncio.sleep(0.05)
        app.till.take_store_sales()
        marks["settled_at"] = time.time()
    return settle


def till_child(spec: dict) -> dict:
    from .till_bench import latency_child
    marks: dict[str, float] = {}
    result = latency_child(spec, before_reads=settler(spec, marks) if spec.get("hub") else None)
    return {**result, **marks}


#: the till's runs: name -> (linked to the hub, how the other tills push meanwhile)
TILL_RUNS: dict[str, tuple[bool, str | None]] = {
    "none": (False, None), "steady": (True, "steady"), "burst-unlinked": (False, "burst"),
    "burst": (True, "burst")}
#: which run each is compared with
TILL_BASELINE = {"none": "none", "steady": "none", "burst-unlinked": "none",
                 "burst": "burst-unlinked"}


def till_label(kind: str, args: Any) -> str:
    others = f"the other {args.tills - 1} tills"
    return {"none": "no hub, the others idle (the baseline)",
            "steady": f"linked, {others} steady",
            "burst-unlinked": f"not linked, {others} at {args.burst_rate:g} sales/s (same load)",
            "burst": f"linked, {others} at {args.burst_rate:g} sales/s"}[kind]


def till_codes(db: Path, n: int, seed: int) -> list[str]:
    """What the till scans: as `pos bench till` (random active products, seeded), but no
    age-restricted item: its scan opens the ID check, a dialog whose painting (about 50
    ms here) is not what the hub changes."""
    from pos.store.reader import open_store
    from pos_hardware.framing import transmitted_form

    conn = open_store(db)
    try:
        codes = [gtin for (gtin,) in conn.execute(
            "SELECT b.gtin FROM barcodes b JOIN products p ON p.item = b.item "
            "WHERE p.active = 1 AND p.age_restricted = 0 ORDER BY b.gtin")]
    finally:
        conn.close()
    rng = random.Random(seed)
    return [transmitted_form(rng.choice(codes)) for _ in range(n)]


def write_config(path: Path, till: str, hub: tuple[str, str] | None) -> Path:
    text = f'[till]\nid = "{till}"\n'
    if hub is not None:
        text += f'[hub]\nurl = "{hub[0]}"\ntoken = "{hub[1]}"\n'
    path.write_text(text, encoding="utf-8")
    return path


def seen_by_till(path: Path, pushes: list[Push], since: float) -> list[float]:
    """From each push's 201 (after `since`, time.time(): the till's reads began) to the
    time the till's follower wrote the sale into its store's sales journal
    (Journal.add_received stamps hub_sent_at)."""
    if not path.is_file():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        written = dict(conn.execute("SELECT sale_id, hub_sent_at FROM sales").fetchall())
    finally:
        conn.close()
    return [max(0.0, written[p.sale_id] - p.answered_wall) for p in pushes
            if p.status == 201 and p.sale_id in written and p.answered_wall >= since]


# ---- the run --------------------------------------------------------------------

@dataclass
class Result:
    phases: dict[str, Phase]
    idle: dict[str, float]
    suggest: str
    suggest_ms: list[float]
    suggest_statuses: Counter
    suggester_ms: list[float]
    tills: dict[str, dict]          # none / steady / burst: the latency child's answer
    till_seen: dict[str, list[float]]
    till_phases: dict[str, Phase]
    follow_errors: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]
    sales_stored: int


async def bench(args: Any, db: Path, workdir: Path, say: Callable[[str], object]) -> Result:
    tills = till_ids(args.tills)
    store = read_store(db)
    data = workdir / "hub"
    tokens = enroll_tills(data, tills)
    hub = HubProcess(data, db, workdir)
    load_before = os.getloadavg()
    url = hub.start()
    say(f"hub: {url} (pid {hub.pid}), {len(tills)} tills enrolled")
    sim = Tills(url, tokens, store, hub.pid, args.seed)
    phases: dict[str, Phase] = {}
    till_phases: dict[str, Phase] = {}
    runs: dict[str, dict] = {}
    till_seen: dict[str, list[float]] = {}
    try:
        idle = proc_status(hub.pid)
        await sim.start_following(tills)
        for name, kind, seconds in (("steady", "steady", args.steady_seconds),
                                    ("burst", "burst", args.burst_seconds)):
            say(f"{name}: {kind} pushes for {seconds:g} s ...")
            phases[name] = Phase(name)
            await sim.run_phase(phases[name], kind, tills, period=args.period, rate=args.burst_rate,
                                seconds=seconds, drain=args.drain)
        say(f"POST /v1/suggest: {len(tills)} clients x {args.suggest_requests} ...")
        phases["suggest"] = Phase("suggest")
        verdict, suggest_s, requests, statuses = await sim.suggest(
            tills, args.suggest_requests, args.suggest_pace / 1000, phases["suggest"])
        suggester_s = suggester_baseline(db, data / "sales.db", requests) if requests else []
        # the till: till N is the real one; the others push (and follow) as before
        me, others = tills[-1], tills[:-1]
        await sim.stop_following(me)
        cursor = (await sim.followers.take())["cursor"]
        codes = till_codes(db, args.reads + args.warmup, args.seed)
        for kind, (linked, load) in TILL_RUNS.items():
            say(f"the till, {till_label(kind, args)}: {args.reads} reads ...")
            folder = workdir / f"till-{kind}"
            folder.mkdir()
            spec = {"db": str(db), "journal": str(folder / "sales.db"), "n": args.reads,
                    "warmup": args.warmup, "seed": args.seed, "profile": "generic-cr", "pace": 0,
                    "config": str(write_config(folder / "store.toml", me,
                                               (url, tokens[me]) if linked else None)),
                    "hub": linked, "settle_seq": max(cursor[t] for t in others),
                    "codes": codes}
            cmd = [sys.executable, "-m", "pos_tools.bench.hub_bench", "till", json.dumps(spec)]
            phase = till_phases[kind] = Phase(f"till-{kind}")
            tasks = [] if load is None else sim.pushers(load, others, phase, period=args.period,
                                                        rate=args.burst_rate, seconds=None)

            async def child(cmd: list[str] = cmd, kind: str = kind) -> None:
                runs[kind] = await asyncio.to_thread(child_json, cmd, 120 + args.reads * 2)
            try:
                await sim.measured(phase, child())
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            if linked:
                from pos.hub.follow import store_sales_path
                till_seen[kind] = seen_by_till(store_sales_path(folder / "sales.db"),
                                               phase.pushes, runs[kind]["settled_at"])
            cursor = (await sim.followers.take())["cursor"]
        phases["end"] = Phase("end")
        await sim.measured(phases["end"], asyncio.sleep(0))
        stored = sum(1 for ph in [*phases.values(), *till_phases.values()] for p in ph.pushes
                     if p.status == 201)
    finally:
        await sim.close()
        hub.stop()
    return Result(phases, idle, verdict, suggest_s, statuses, suggester_s, runs, till_seen,
                  till_phases, sim.followers.errors, load_before, os.getloadavg(), stored)


# ---- the tables -----------------------------------------------------------------

def _dist(label: str, values: list[float]) -> list[str]:
    """A row of the distribution table: n, p50, p95, p99, max (ms)."""
    if not values:
        return [label, "0", "-", "-", "-", "-"]
    return [label, f"{len(values):,}", ms(pct(values, .5)), ms(pct(values, .95)),
            ms(pct(values, .99)), ms(max(values))]


def _ratio(value: float, base: float) -> str:
    return f"{value / base:.1f}x" if base > 0 else "-"


def _acks(phase: Phase) -> list[float]:
    return [p.answered - p.sent for p in phase.pushes if p.status == 201]


HERD = 0.05     # seconds: the followers' answers after a sale is stored take about this long


def split_by_herd(phase: Phase) -> tuple[list[float], list[float]]:
    """The pushes' latencies (send → 201): those with another sale stored from HERD s
    before their send to their answer (the hub answering every follower's long poll
    meanwhile), and the others."""
    stored = sorted(p.answered for p in phase.pushes if p.status == 201)
    herd: list[float] = []
    alone: list[float] = []
    for p in phase.pushes:
        if p.status != 201:
            continue
        near = bisect_right(stored, p.answered) - bisect_left(stored, p.sent - HERD)
        (herd if near > 1 else alone).append(p.answered - p.sent)
    return herd, alone


def render(r: Result, args: Any) -> tuple[list[list[str]], list[list[str]], str]:
    """(the targets table, the distributions table, the facts below them)."""
    steady, burst = r.phases["steady"], r.phases["burst"]
    targets = [["measure", "value", "target", "result", "vs baseline"]]
    for ph in (steady, burst):
        acks, health = _acks(ph), ph.health
        p99 = pct(acks, .99)
        targets.append([f"push acknowledged p99, {ph.name}", f"{ms(p99)} ms",
                        f"<= {TARGET_PUSH_MS:g} ms", ok(p99 * 1000 <= TARGET_PUSH_MS),
                        f"{_ratio(p99, pct(health, .99))} GET /v1/health p99"])
    for ph in (steady, burst):
        p99 = pct(ph.seen, .99)
        targets.append([f"sale seen by the other tills p99, {ph.name}", f"{ms(p99)} ms",
                        f"<= {TARGET_SEEN_S:g} s",
                        ok(p99 <= TARGET_SEEN_S and ph.missing == 0) +
                        (f" ({ph.missing} never seen)" if ph.missing else ""), "-"])
    idle = r.idle["VmRSS"]
    for name, label in (("steady", "after steady"), ("burst", "after the burst"),
                        ("end", "whole run")):
        hwm = r.phases[name].hwm
        targets.append([f"hub memory peak (VmHWM), {label}", f"{hwm:.0f} MB",
                        f"<= {TARGET_MEMORY_MB:g} MB", ok(hwm <= TARGET_MEMORY_MB),
                        f"{_ratio(hwm, idle)} idle hub ({idle:.0f} MB)"])
    if r.suggest == "ok":
        p99 = pct(r.suggest_ms, .99)
        targets.append([f"POST /v1/suggest p99, {args.tills} clients", f"{ms(p99)} ms",
                        f"<= {TARGET_SUGGEST_MS:g} ms", ok(p99 * 1000 <= TARGET_SUGGEST_MS),
                        f"{_ratio(p99, pct(r.suggester_ms, .99))} HubSuggester.suggest p99"])
    else:
        targets.append([f"POST /v1/suggest p99, {args.tills} clients", r.suggest,
                        f"<= {TARGET_SUGGEST_MS:g} ms", "-", "-"])
    scans = {kind: [x["total"] for x in run["reads"]] for kind, run in r.tills.items()}
    for kind, values in scans.items():
        p99 = pct(values, .99)
        base = TILL_BASELINE[kind]
        targets.append([f"till scan-to-panel p99, {till_label(kind, args)}", f"{ms(p99)} ms",
                        f"<= {TARGET_SCAN_MS:g} ms" + (", unchanged" if TILL_RUNS[kind][0] else ""),
                        ok(p99 * 1000 <= TARGET_SCAN_MS),
                        "1.0x" if base == kind else
                        f"{_ratio(p99, pct(scans[base], .99))} "
                        + ("no hub, others idle" if base == "none" else "not linked, same load")])

    dist = [["what", "n", "p50 ms", "p95 ms", "p99 ms", "max ms"]]
    for ph in (steady, burst):
        dist.append(_dist(f"push acknowledged (send → 201), {ph.name}", _acks(ph)))
        if ph is steady:
            herd, alone = split_by_herd(ph)
            dist.append(_dist(f"  of which with another sale stored from {HERD * 1000:g} ms "
                              "before to its 201", herd))
            dist.append(_dist("  of which the others", alone))
        dist.append(_dist("  baseline: GET /v1/health round trip, same time", ph.health))
        dist.append(_dist("  paid → sent (behind the till's previous push)",
                          [p.sent - p.planned for p in ph.pushes]))
        dist.append(_dist("  the simulated tills' event loop, late by", ph.lag))
    for ph in (steady, burst):
        dist.append(_dist(f"sale seen by the other tills (201 → their answer), {ph.name}", ph.seen))
    for kind, seen in r.till_seen.items():
        dist.append(_dist(f"sale seen by the linked till (201 → in its store's sales journal, "
                          f"HubFollower), the others {TILL_RUNS[kind][1]}", seen))
    if r.suggest == "ok":
        dist.append(_dist(f"POST /v1/suggest, {args.tills} clients", r.suggest_ms))
        dist.append(_dist("  baseline: the hub's HubSuggester.suggest in process, same requests",
                          r.suggester_ms))
        dist.append(_dist("  GET /v1/health round trip, same time", r.phases["suggest"].health))
        dist.append(_dist("  the clients' event loop, late by", r.phases["suggest"].lag))
    for kind, run in r.tills.items():
        reads = run["reads"]
        dist.append(_dist(f"till scan-to-panel, {till_label(kind, args)}",
                          [x["total"] for x in reads]))
        parts = [("queue", "reader thread → scan handler (the loop busy)"),
                 ("controller", "controller: Till.scan"),
                 ("store_sales", "feeding the other tills' sales (Till.take_store_sales)"),
                 ("layout", "screen update: layout"),
                 ("compose", "screen update: compositor + escape codes"),
                 ("wait", "rest: frame timer, other messages")]
        for key, label in parts:
            if key != "store_sales" or TILL_RUNS[kind][0]:
                dist.append(_dist(f"  {label}", [x[key] for x in reads]))

    def cpu(ph: Phase) -> str:
        names = {"hub": "hub", "own": "pushers", "followers": "followers"}
        return "CPU " + ", ".join(f"{names[k]} {v:.1f} s ({100 * v / ph.wall:.0f}% of a core)"
                                  for k, v in ph.cpu.items())

    facts = []
    for ph in (steady, burst):
        stored = sum(p.status == 201 for p in ph.pushes)
        other = Counter(p.status for p in ph.pushes if p.status != 201)
        facts.append(
            f"- {ph.name}: {len(ph.pushes):,} sales pushed in {ph.wall:.1f} s "
            f"({stored:,} stored{', other answers ' + str(dict(other)) if other else ''}); "
            f"{len(ph.seen):,} sightings by the other tills, {ph.missing} missing, {ph.early:,} "
            f"before the pusher's 201; "
            + (f"every sale seen {ph.drained:.2f} s after the last push's 201; "
               if ph.drained is not None else "not every sale seen after the drain; ") +
            f"{ph.answers:,} GET /v1/sales answers ({ph.answers / max(1, stored):.1f} a sale); "
            f"{cpu(ph)}; hub VmRSS up to {ph.rss_max:.0f} MB")
    if r.suggest == "ok":
        facts.append(f"- POST /v1/suggest: answers {dict(r.suggest_statuses)}; "
                     f"{cpu(r.phases['suggest'])}")
    for kind, run in r.tills.items():
        reads = run["reads"]
        fed = sum(1 for x in reads if x["store_sales"] > 0.0005)
        ph = r.till_phases[kind]
        line = (f"- the till, {till_label(kind, args).split(' (')[0]}: {len(reads)} reads after "
                f"{args.warmup} warm-up, {run['sales']} sales paid, VmRSS "
                f"{run['memory']['VmRSS']:.0f} MB; {sum(p.status == 201 for p in ph.pushes):,} "
                f"sales of the others stored in the {ph.wall:.1f} s of the run")
        if TILL_RUNS[kind][0]:
            line += f", {fed} reads fed some of them (over 0.5 ms)"
        line += f"; {cpu(ph)}"
        facts.append(line)
    facts.append(f"- hub: VmRSS {r.idle['VmRSS']:.0f} MB idle after start, "
                 f"{r.phases['end'].rss_end:.0f} MB at the end with {r.sales_stored:,} sales "
                 f"stored; the followers' failed rounds: {r.follow_errors}")
    facts.append("- a p99 of fewer than 100 values is their maximum (the steady pushes: "
                 f"{len(steady.pushes)})")
    facts.append(f"- load average (1 min) before/after: {r.load_before[0]:.2f} / "
                 f"{r.load_after[0]:.2f} on {os.cpu_count()} cores, shared by the hub, the "
                 "simulated tills and the till")
    return targets, dist, "\n".join(facts)


def _markdown(cells: list[list[str]]) -> str:
    head, *rows = cells
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                     + ["| " + " | ".join(c.replace("  ", "&nbsp;&nbsp;") if i == 0 else c
                                          for i, c in enumerate(row)) + " |" for row in rows])


def command_line(args: Any) -> str:
    parts = [".venv/bin/pos bench hub"]
    if args.db is not None:
        parts.append(f"--db {args.db}")
    defaults = {"tills": 30, "steady_seconds": 60.0, "period": 20.0, "burst_rate": 100.0,
                "burst_seconds": 10.0, "suggest_requests": 100, "suggest_pace": 300.0,
                "reads": 300, "warmup": 20, "seed": 1}
    for name, default in defaults.items():
        value = getattr(args, name)
        if value != default:
            parts.append(f"--{name.replace('_', '-')} {value:g}" if isinstance(value, float)
                         else f"--{name.replace('_', '-')} {value}")
    return " ".join(parts)


def run(args: Any) -> int:
    from rich.console import Console
    from rich.table import Table

    from .report import machine, write_section
    console = Console(width=None if Console().is_terminal else 200)
    if args.tills < 2:
        raise SystemExit("pos bench hub: --tills must be at least 2")
    db = Path(args.db) if args.db is not None else demo_store(args.cache, console.print)
    with tempfile.TemporaryDirectory(prefix="pos-bench-hub-", dir=args.journal_dir) as tmp:
        result = asyncio.run(bench(args, db, Path(tmp), console.print))
    targets, dist, facts = render(result, args)
    for title, cells in (("pos hub: targets", targets), ("pos hub: distributions", dist)):
        table = Table(title=title)
        for i, h in enumerate(cells[0]):
            table.add_column(h, justify="left" if i == 0 else "right")
        for row in cells[1:]:
            table.add_row(*row)
        console.print(table)
    console.print(facts)
    if args.markdown:
        command = command_line(args)
        write_section(args.markdown, "hub",
            "## Hub benchmark\n\n"
            f"Command: `{command} --markdown {args.markdown}` (store: `{db.name}`; a real "
            f"`pos hub serve` on loopback, {args.tills} tills enrolled; {args.tills} simulated "
            f"tills, each pushing its sales (from this process) and following the store's (from "
            f"another); steady: a sale per till every {args.period:g} s for "
            f"{args.steady_seconds:g} s; burst: {args.burst_rate:g} sales/s for "
            f"{args.burst_seconds:g} s; POST /v1/suggest: {args.tills} clients x "
            f"{args.suggest_requests}, {args.suggest_pace:g} ms apart; the till: `pos bench "
            f"till`'s app and emulator, {args.reads} reads back to back of random products but "
            f"no age-restricted one, seed {args.seed}, as till {args.tills} of the store; how each "
            "figure is taken: tools/pos_tools/bench/hub_bench.py)  \n"
            f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n"
            f"{_markdown(targets)}\n\n{_markdown(dist)}\n\n{facts}\n")
        console.print(f"written to {args.markdown}")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["till"]:
        print("@@" + json.dumps(till_child(json.loads(argv[1]))))
        return 0
    if argv[:1] == ["follow"]:
        spec = json.loads(argv[1])
        asyncio.run(FollowerLoop(spec["url"], spec["tokens"]).serve())
        return 0
    raise SystemExit("usage: python -m pos_tools.bench.hub_bench till|follow SPEC (run by "
                     "`pos bench hub`)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
