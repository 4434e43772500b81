"""`pos bench till`: the whole till, driven through the scanner emulator (issue 5).

Not a timed test: a benchmark that prints distributions, against the issue's targets.

- Latency: the real app (`build_app`, as `pos till --scanner PTY` builds it) runs
  in a fresh process on the store with a fresh journal in a temporary directory
  (`--journal-dir`, default the system's), at 120x40, with the emulator on a pty
  as its scanner. Once the reader's Connected event has been handled, `-n` codes
  of random active products (`pos_hardware.basket.basket_codes`, fixed seed) are
  scanned one at a time: send, wait for the app's `on_scan_shown` callback (no
  sleeping), and take `time.monotonic() - read.at`, from the reader seeing the
  terminator byte to the repainted screen. A sale is paid (F10, Enter, through
  the UI) after a number of lines drawn uniformly from 1-60, so baskets span the
  issue's range. The first `--warmup` reads are not counted. Where the time goes
  is taken by wrapping methods of the running app's objects (nothing in the app
  is changed): the controller (`Till.scan`, with the journal's writes and
  `engine.suggest` inside it), the widgets' update (the rest of `TillApp.scan`),
  the layout and the compositor/output of the screen update, and the rest
  (the message hop from the reader thread, the frame timer, other messages).
  The app runs with a driver that renders every frame to terminal escape codes
  as a real terminal driver does, and then drops them instead of writing them
  to a tty (Textual's headless driver skips the rendering); the terminal's own
  drawing is not counted.
- Start to ready-to-scan: a fresh `python` process per run, timed by this
  process from just before it is spawned (so interpreter start-up and every
  import count) to the moment the app has handled the reader's Connected event
  and painted the screen after it.
- Memory: VmRSS and VmHWM (peak) from /proc/self/status of the latency run's
  process after its last read (the emulator lives in that process too, a few MB).
- A store swap: the event loop's longest stall while a newly published store is
  prepared and taken (tools/pos_tools/bench/till_swap_bench.py, its own table). With
  `--runs 0 --starts 0` only the swap table is measured, printed and written
  (to the `till-swap` section).
"""
from __future__ import annotations

import asyncio
import gc
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import till_swap_bench as swap_bench
from .report import markdown_table, ok
from .till_child import SIZE, app_args, child_json, hook, ms, sink_driver

MAX_LINES = 60
TARGET_P99_MS = 50.0
TARGET_START_S = 2.0
TARGET_MEMORY_MB = 300.0

# the phases of one read, in the order the table shows them
PHASES = [
    ("total", "terminator → suggestion panel painted"),
    ("queue", "  reader thread → scan handler (message hop, loop busy)"),
    ("controller", "  controller: Till.scan"),
    ("journal", "    of which journal writes (commit + fsync)"),
    ("engine", "    of which engine.suggest"),
    ("widgets", "  widgets: rest of TillApp.scan (message, redraw)"),
    ("unsent", "    of which journal.unsent() (status bar)"),
    ("layout", "  screen update: layout"),
    ("compose", "  screen update: compositor + escape codes"),
    ("basket", "    of which the basket's rows (BasketView.render_lines)"),
    ("wait", "  rest: frame timer, other messages"),
    ("gc", "  (garbage collection pauses, anywhere above)"),
]


# ---- the app's side (runs in the child processes) -------------------------------

def memory_mb() -> dict[str, float]:
    out = {}
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) / 1024
    return out


class Meter:
    """Time spent inside wrapped methods of live objects, summed per key until taken."""

    def __init__(self):
        self.sums: dict[str, float] = {}
        self.clock = time.perf_counter
        self.active: list[str] = []     # the wrapped calls in progress, outermost first

    def wrap(self, obj, name: str, key: str) -> None:
        """Also sums, as "KEY@OUTER", the time of calls made inside another wrapped call."""
        inner = getattr(obj, name)
        sums, clock, active = self.sums, self.clock, self.active

        def timed(*a, **kw):
            t = clock()
            active.append(key)
            try:
                return inner(*a, **kw)
            finally:
                active.pop()
                d = clock() - t
                sums[key] = sums.get(key, 0.0) + d
                for outer in active:
                    sums[f"{key}@{outer}"] = sums.get(f"{key}@{outer}", 0.0) + d
        setattr(obj, name, timed)

    def take(self) -> dict[str, float]:
        out = dict(self.sums)
        self.sums.clear()
        return out


def latency_child(spec: dict,
                  before_reads: Callable[[Any], Awaitable[None]] | None = None) -> dict:
    """One latency run (in its own process): the app, the emulator, the reads.
    With `spec["hub"]` the till is linked to store.toml's [hub] as `pos till` links
    it (pos.hub.link), and the time it spends feeding the other tills' sales
    (Till.take_store_sales) is taken too; `before_reads(app)` is awaited once the
    scanner is connected, before the first read (`pos bench hub`: the till catches
    up with the store's sales first)."""
    from pos.ui.launch import build_app
    from pos.ui.screens.confirm import IdCheckScreen
    from pos.ui.screens.payment import PaymentScreen
    from pos_hardware.emulator import Emulator

    rng = random.Random(spec["seed"])
    from pos_hardware.basket import basket_codes
    codes = spec.get("codes") or basket_codes(spec["db"], spec["n"] + spec["warmup"],
                                              seed=spec["seed"])
    max_lines = spec.get("max_lines", MAX_LINES)
    emulator = Emulator(spec["profile"]).start()
    printer = _receipt_config(spec)
    try:
        shown_handler: list = []        # on_shown below, once drive() has defined it
        hub_link = None
        if spec.get("hub"):
            from pos.hub.link import TillHubLink
            hub_link = TillHubLink.for_till
        app = build_app(app_args(spec["db"], spec["journal"], emulator.device, spec["profile"],
                                 spec.get("config")),
                        on_scan_shown=lambda read: shown_handler[0](read), hub_link=hub_link)
        app.driver_class = driver = sink_driver()
        till = app.till
        payments = _time_payments(till)
        meter = Meter()
        meter.wrap(till, "scan", "controller")
        meter.wrap(till.journal, "record", "journal")
        meter.wrap(till.journal, "unsent", "unsent")
        meter.wrap(till.engine, "suggest", "engine")
        if till.hub is not None:
            meter.wrap(till, "take_store_sales", "store_sales")
        marks: dict[str, float] = {}
        app_scan = app.scan

        def scan(*a, **kw):
            marks["in"] = time.monotonic()
            try:
                return app_scan(*a, **kw)
            finally:
                marks["out"] = time.monotonic()
        hook(app, "scan", scan)
        reads: list[dict] = []
        gc_started = [0.0]

        def gc_pause(phase: str, info: dict) -> None:
            if phase == "start":
                gc_started[0] = time.perf_counter()
            else:
                meter.sums["gc"] = meter.sums.get("gc", 0.0) + time.perf_counter() - gc_started[0]
        gc.callbacks.append(gc_pause)

        async def drive() -> None:
            loop = asyncio.get_running_loop()
            connected, shown = asyncio.Event(), asyncio.Event()
            redraw_status = app.redraw_status

            def status_drawn() -> None:
                redraw_status()
                if app.scanner_state == "connected" and not connected.is_set():
                    app.call_after_refresh(connected.set)
            hook(app, "redraw_status", status_drawn)

            def on_shown(read) -> None:
                now = time.monotonic()
                spent = meter.take()
                ctl = spent.get("controller", 0.0)
                scan_s = marks["out"] - marks["in"]
                after = now - marks["out"]
                compose = spent.get("compose", 0.0)       # the layout paints too
                layout = spent.get("layout", 0.0) - spent.get("compose@layout", 0.0)
                reads.append({
                    "total": now - read.at, "queue": marks["in"] - read.at, "controller": ctl,
                    "journal": spent.get("journal", 0.0), "engine": spent.get("engine", 0.0),
                    "widgets": scan_s - ctl, "unsent": spent.get("unsent", 0.0),
                    "layout": layout, "compose": compose, "basket": spent.get("basket", 0.0),
                    "gc": spent.get("gc", 0.0), "store_sales": spent.get("store_sales", 0.0),
                    "wait": max(0.0, after - layout - compose),
                    "lines": len(till.sale.lines), "bytes": driver.written})
                driver.written = 0
                shown.set()
            shown_handler.append(on_shown)

            async with app.run_test(headless=False, size=SIZE) as pilot:
                screen = app.screen_stack[0]
                meter.wrap(screen, "_refresh_layout", "layout")
                meter.wrap(screen, "_compositor_refresh", "compose")
                meter.wrap(app.query_one("#basket"), "render_lines", "basket")
                await asyncio.wait_for(connected.wait(), 10)
                if before_reads is not None:
                    await before_reads(app)
                left = rng.randint(1, max_lines)
                for i, code in enumerate(codes):
                    shown.clear()
                    meter.take()
                    await loop.run_in_executor(None, emulator.scan, code)
                    await asyncio.wait_for(shown.wait(), 10)
                    if isinstance(app.screen, IdCheckScreen):   # age-restricted: the cashier
                        await pilot.press("enter")              # checks the ID (scans wait)
                        await pilot.pause()
                    if spec["pace"]:          # the cashier's pace, not waiting for an event
                        await asyncio.sleep(spec["pace"])
                    left -= 1
                    if left <= 0 and i + 1 < len(codes):
                        await pilot.press("f10")
                        if isinstance(app.screen, PaymentScreen):
                            await pilot.press("enter")
                        await pilot.pause()
                        left = rng.randint(1, max_lines)
                await pilot.pause()
                if printer is not None:     # the last receipts handed to the printer
                    deadline = loop.time() + 10
                    while len(payments["sent"]) < len(payments["paid"]) and loop.time() < deadline:
                        await pilot.pause()
                spec["memory"] = memory_mb()
                spec["sales"] = till.journal.conn.execute(
                    "SELECT count(*) FROM sales WHERE status = 'paid'").fetchone()[0]
                if till.hub is not None:
                    # the hub link's threads post HubChanged until they end, and one handled
                    # while the app closes fails (its StatusBar is gone): none from now on
                    from pos.ui.app import HubChanged
                    post = app.post_message
                    hook(app, "post_message",
                         lambda message: False if isinstance(message, HubChanged) else post(message))
                    await pilot.pause()
        asyncio.run(drive())
    finally:
        emulator.close()
        if printer is not None:
            printer.close()
    return {"reads": reads[spec["warmup"]:], "memory": spec["memory"], "sales": spec["sales"],
            "payments": payments}


def _receipt_config(spec: dict):
    """`pos bench receipt`'s store.toml, as spec["config"]: with `spec["coupons"]` a
    next-visit coupon for every sale (anonymous ones too), and with `spec["printer"]`
    (a printer profile) the printer emulator on a pty as its [printer] (returned)."""
    if not spec.get("printer") and not spec.get("coupons"):
        return None
    toml = '[coupons]\nanonymous = true\n' if spec.get("coupons") else ""
    printer = None
    if spec.get("printer"):
        from pos_hardware.printer_emulator import PrinterEmulator
        printer = PrinterEmulator(spec["printer"]).start()
        toml += f'[printer]\nurl = "{printer.url}"\nprofile = "{spec["printer"]}"\n'
    config = Path(spec["journal"]).with_suffix(".toml")
    config.write_text(toml, encoding="utf-8")
    spec["config"] = str(config)
    return printer


def _time_payments(till) -> dict[str, list[float]]:
    """Times each payment: when Till.pay was called and how long it took, how long
    building the receipt's bytes took in it, and (with a printer) when the
    spooler's write of each receipt to the printer returned; monotonic seconds."""
    out: dict[str, list[float]] = {"paid": [], "pay": [], "build": [], "sent": []}
    pay = till.pay

    def timed_pay():
        t = time.monotonic()
        try:
            return pay()
        finally:
            out["paid"].append(t)
            out["pay"].append(time.monotonic() - t)
    hook(till, "pay", timed_pay)
    if till.receipts is not None:
        build = till.receipts.sale_receipt

        def timed_build(*a, **kw):
            t = time.monotonic()
            try:
                return build(*a, **kw)
            finally:
                out["build"].append(time.monotonic() - t)
        hook(till.receipts, "sale_receipt", timed_build)
    spooler = till.printer
    if spooler is not None:
        connect = spooler.connect

        def timed_connect(url, timeout):
            port = connect(url, timeout)
            send = port.send

            def timed_send(data: bytes) -> None:
                send(data)
                out["sent"].append(time.monotonic())
            port.send = timed_send
            return port
        spooler.connect = timed_connect
    return out


def startup_child(t_python: float, db: str, journal: str, device: str, profile: str) -> dict:
    """Start the till as `pos till --scanner DEVICE` does and stop once ready to scan."""
    from pos.ui.launch import build_app
    marks: dict[str, object] = {"python": t_python}
    app = build_app(app_args(db, journal, device, profile))
    marks["built"] = time.monotonic()
    app.driver_class = sink_driver()
    display, redraw_status = app._display, app.redraw_status

    def first_paint(screen, renderable):
        display(screen, renderable)
        if renderable is not None and "painted" not in marks:
            marks["painted"] = time.monotonic()
    hook(app, "_display", first_paint)

    def ready() -> None:
        marks["ready"] = time.monotonic()
        marks["memory"] = memory_mb()
        app.exit()

    def status_drawn() -> None:
        redraw_status()
        if app.scanner_state == "connected" and "connected" not in marks:
            marks["connected"] = time.monotonic()
            app.call_after_refresh(ready)
    hook(app, "redraw_status", status_drawn)
    app.run(headless=False, size=SIZE)
    return marks


STARTUP_CODE = ("import time; t = time.monotonic(); import json, sys; "
                "from pos_tools.bench.till_bench import startup_child; "
                "print('@@' + json.dumps(startup_child(t, *sys.argv[1:])))")


# ---- the benchmark's side -------------------------------------------------------

def _variant_config(workdir: Path, args) -> str | None:
    """A store.toml forcing `--variant` (None: the store's own choice)."""
    if not getattr(args, "variant", None):
        return None
    path = workdir / "store.toml"
    path.write_text(f'[engine]\nvariant = "{args.variant}"\n', encoding="utf-8")
    return str(path)


def run_latency(db: Path, workdir: Path, args, seed: int) -> dict:
    spec = {"db": str(db), "journal": str(workdir / f"journal-{seed}.db"), "n": args.n,
            "warmup": args.warmup, "seed": seed, "profile": args.profile,
            "pace": args.pace / 1000, "config": _variant_config(workdir, args)}
    return child_json([sys.executable, "-m", "pos_tools.bench.till_bench", "latency", json.dumps(spec)],
                       timeout=60 + args.n * 2)


def run_startup(db: Path, workdir: Path, profile: str, i: int) -> dict:
    from pos_hardware.emulator import Emulator
    with Emulator(profile) as emulator:
        t0 = time.monotonic()
        marks = child_json([sys.executable, "-c", STARTUP_CODE, str(db),
                             str(workdir / f"start-{i}.db"), emulator.device, profile], timeout=120)
    marks["t0"] = t0
    return marks


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


@dataclass
class Result:
    runs: list[dict]
    starts: list[dict]
    load_before: tuple
    load_after: tuple


def render(r: Result, args) -> tuple[str, str, list[list[str]]]:
    headers = ["what", "reads", "p50 ms", "p90 ms", "p99 ms", "max ms"]
    rows = []
    pooled = [x for run in r.runs for x in run["reads"]]
    for key, label in PHASES:
        values = [x[key] for x in pooled]
        rows.append([label, f"{len(values):,}", ms(pct(values, .5)), ms(pct(values, .9)),
                     ms(pct(values, .99)), ms(max(values, default=float("nan")))])
    per_run = [[x["total"] for x in run["reads"]] for run in r.runs]
    p99s = [pct(v, .99) for v in per_run]
    p50s = [pct(v, .5) for v in per_run]
    p99 = statistics.median(p99s)
    starts = [s["ready"] - s["t0"] for s in r.starts]
    start = statistics.median(starts)
    python = statistics.median(s["python"] - s["t0"] for s in r.starts)
    built = statistics.median(s["built"] - s["python"] for s in r.starts)
    painted = statistics.median(s["painted"] - s["built"] for s in r.starts)
    connected = statistics.median(s["ready"] - s["painted"] for s in r.starts)
    hwm = statistics.median(run["memory"]["VmHWM"] for run in r.runs)
    rss = statistics.median(run["memory"]["VmRSS"] for run in r.runs)
    start_rss = statistics.median(s["memory"]["VmRSS"] for s in r.starts)
    lines = [x["lines"] for x in pooled]
    kb = statistics.median(x["bytes"] for x in pooled) / 1024
    facts = "\n".join([
        f"- {len(r.runs)} latency runs of {args.n} reads each after {args.warmup} warm-up reads "
        f"(pooled in the table); {sum(run['sales'] for run in r.runs)} sales paid on the way, "
        f"basket lines at each read {min(lines, default=0)}-{max(lines, default=0)} "
        f"(median {statistics.median(lines) if lines else 0:g}); median {kb:.1f} KiB of "
        "escape codes per read; "
        + (f"{args.pace:g} ms between one read's panel and the next read (a cashier's pace)"
           if args.pace else "each read sent as soon as the last one's panel was painted "
           "(back to back)"),
        f"- end to end per run, p50 ms: {', '.join(ms(x) for x in p50s)}; "
        f"p99 ms: {', '.join(ms(x) for x in p99s)}",
        f"- start to ready-to-scan, {len(starts)} runs, s: "
        f"{', '.join(f'{x:.2f}' for x in starts)} (median {start:.2f}: python up {python:.2f}, "
        f"imports + store + engine + journal {built:.2f}, app to first paint {painted:.2f}, "
        f"to scanner connected and painted {connected:.2f})",
        f"- memory after the latency run (median of runs): VmRSS {rss:.0f} MB, peak (VmHWM) "
        f"{hwm:.0f} MB; at ready-to-scan VmRSS {start_rss:.0f} MB",
        f"- load average (1 min) before/after: {r.load_before[0]:.2f} / {r.load_after[0]:.2f} on "
        f"{os.cpu_count()} cores; repeat spread above shows the noise",
        "", "Targets (issue 5):", "",
        f"- terminator → updated suggestion panel p99 <= {TARGET_P99_MS:g} ms: {ms(p99)} ms, "
        f"median of the runs' p99 ({ok(p99 * 1000 <= TARGET_P99_MS)})",
        f"- start to ready-to-scan <= {TARGET_START_S:g} s: {start:.2f} s median "
        f"({ok(start <= TARGET_START_S)})",
        f"- memory of the running till <= {TARGET_MEMORY_MB:g} MB: {rss:.0f} MB VmRSS after the "
        f"run ({ok(rss <= TARGET_MEMORY_MB)}); its peak (VmHWM) {hwm:.0f} MB "
        f"({ok(hwm <= TARGET_MEMORY_MB)})",
    ])
    table_md = markdown_table(headers, rows)
    return table_md, facts, [headers, *rows]


def run(args) -> int:
    from rich.console import Console

    from .report import machine, print_tables, write_section
    console = Console(width=None if Console().is_terminal else 200)
    from .suggest_bench import bench_store
    args.db = bench_store(args, console, need_dump=False)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="pos-bench-till-", dir=args.journal_dir) as tmp:
        workdir = Path(tmp)
        runs, starts = [], []
        for i in range(args.runs):
            console.print(f"latency run {i + 1}/{args.runs}: {args.n} reads ...")
            runs.append(run_latency(args.db, workdir, args, args.seed + i))
        for i in range(args.starts):
            console.print(f"start to ready-to-scan {i + 1}/{args.starts} ...")
            starts.append(run_startup(args.db, workdir, args.profile, i))
        console.print(f"store swaps: {swap_bench.SWAPS} publishes ...")
        swaps = swap_bench.run_swaps(args.db, workdir, args, _variant_config(workdir, args))
    only_swaps = not runs and not starts
    sections = [] if only_swaps else [
        ("pos till: scanner to screen", *render(Result(runs, starts, load_before, os.getloadavg()),
                                                args))]
    sections.append(("pos till: a store swap", *swap_bench.render(swaps)))
    print_tables(console, sections)
    if args.markdown:
        command = (".venv/bin/pos bench till" + (f" --db {args.db}" if args.db else "")
                   + f" --runs {args.runs} -n {args.n} --starts {args.starts}"
                   + (f" --pace {args.pace:g}" if args.pace else "")
                   + (f" --variant {args.variant}" if args.variant else ""))
        scorer = args.variant or "the store's choice"
        name = ("till-swap" if only_swaps else ("till-paced" if args.pace else "till")
                + (f"-{args.variant}" if args.variant else ""))
        heading = ("## Till benchmark, a store swap" if only_swaps else
                   "## Till benchmark at a cashier's pace" if args.pace else "## Till benchmark")
        tables = "\n\n".join(f"{md}\n\n{facts}" for _, md, facts, _ in sections)
        write_section(args.markdown, name,
            heading + f", scorer: {scorer}\n\n" +
            f"Command: `{command} --markdown {args.markdown}` (store: `{args.db.name}`, "
            f"{args.db.stat().st_size / 1e6:,.0f} MB; the app as `pos till` builds it, at "
            f"{SIZE[0]}x{SIZE[1]}, rendering each frame to escape codes that are then dropped; "
            f"the emulator on a pty with profile {args.profile}; codes of random active products, "
            f"seeds {args.seed}-{args.seed + args.runs - 1}; a sale paid through F10 + Enter "
            f"every 1-{MAX_LINES} lines; journal: fresh, on {_fs(args.journal_dir)})  \n"
            f"Machine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n\n{tables}\n")
        console.print(f"written to {args.markdown}")
    return 0


def _fs(directory) -> str:
    path = Path(directory or tempfile.gettempdir()).resolve()
    best, kind = "", "?"
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    except OSError:
        pass
    return f"{path} ({kind})"


def main(argv: list[str]) -> int:
    if argv[:1] == ["latency"]:
        print("@@" + json.dumps(latency_child(json.loads(argv[1]))))
        return 0
    raise SystemExit("usage: python -m pos_tools.bench.till_bench latency SPEC (run by `pos bench till`)")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
