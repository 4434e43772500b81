"""`pos bench hub` end to end on a tiny real store, a few seconds of each phase: a
real hub process, simulated tills pushing and following, the till three times;
the tables and their section are there and the figures are positive (no timing
is asserted). The sales it makes have the journal's shape, and POST /v1/suggest
is measured when a hub has it (an app in this process) and said to be missing
when it answers 404."""
import asyncio
import os
import random
import re

import httpx
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from pos.cli import main
from pos.hub.sale import parse_sale
from pos.store.catalog import unknown_skus
from pos.store.reader import open_store
from pos_tools.bench.hub_bench import Phase, Tills, make_sale, read_store, suggest_request
from test_hub_api import paid_sale

ROWS = ["push acknowledged p99, steady", "push acknowledged p99, burst",
        "sale seen by the other tills p99, steady", "sale seen by the other tills p99, burst",
        "hub memory peak (VmHWM), whole run", "POST /v1/suggest p99, 3 clients",
        "till scan-to-panel p99, no hub, the others idle (the baseline)",
        "till scan-to-panel p99, linked, the other 2 tills steady",
        "till scan-to-panel p99, not linked, the other 2 tills at 20 sales/s (same load)",
        "till scan-to-panel p99, linked, the other 2 tills at 20 sales/s"]


def cells(text: str) -> dict[str, list[str]]:
    return {row[0].replace("&nbsp;", "").strip(): row[1:]
            for line in text.splitlines() if line.startswith("| ") and "---" not in line
            for row in [[c.strip() for c in line.strip("|").split("|")]]}


def test_bench_hub_small_run(published, tmp_path, capsys):
    md = tmp_path / "bench.md"
    assert main(["bench", "hub", "--db", str(published), "--tills", "3", "--steady-seconds", "2",
                 "--period", "1", "--burst-rate", "20", "--burst-seconds", "1",
                 "--suggest-requests", "3", "--suggest-pace", "0", "--reads", "6", "--warmup", "2",
                 "--journal-dir", str(tmp_path), "--markdown", str(md)]) == 0
    out = capsys.readouterr().out
    for row in ROWS:
        assert row in out
    text = md.read_text()
    assert "<!-- bench:hub -->" in text and "<!-- /bench:hub -->" in text
    assert "`.venv/bin/pos bench hub --db" in text and "--tills 3" in text
    table = cells(text)
    for row in ROWS:
        value, target, result = table[row][:3]
        if row.startswith("POST"):
            assert value.startswith("not available in this build") or value.endswith(" ms")
            continue
        assert float(value.split()[0].replace(",", "")) > 0 and result in ("met", "MISSED")
    # every push stored and every sale seen by the other two tills
    steady = table["push acknowledged (send → 201), steady"]
    assert int(steady[0]) == 6                                  # 3 tills, a sale a second, 2 s
    assert int(table["sale seen by the other tills (201 → their answer), steady"][0]) == 12
    assert int(table["sale seen by the other tills (201 → their answer), burst"][0]) == 40
    assert re.search(r"burst: 20 sales pushed .* \(20 stored\); 40 sightings by the other tills, "
                     r"0 missing", text)
    assert table["till scan-to-panel, no hub, the others idle (the baseline)"][0] == "6"
    linked = table["till scan-to-panel p99, linked, the other 2 tills at 20 sales/s"]
    assert linked[3].endswith("x not linked, same load")
    assert "sale seen by the linked till (201 → in its store's sales journal, HubFollower), the " \
           "others burst" in table
    assert list(tmp_path.glob("pos-bench-hub-*")) == []         # the temporary directory is gone


def test_the_sales_made_have_the_journals_shape(published, journal):
    store = read_store(published)
    real = paid_sale(journal)
    rng = random.Random(3)
    conn = open_store(published)
    try:
        for _ in range(50):
            sale = make_sale(rng, "till1", store, 1_795_000_000.0)
            checked = parse_sale(sale)
            assert sale.keys() == real.keys()
            assert all(line.keys() == real["lines"][0].keys() for line in sale["lines"])
            assert all(offer.keys() == real["offers"][0].keys() for offer in sale["offers"])
            assert sale["total"] == sum(line["total"] for line in sale["lines"])
            assert checked.sale_id.startswith("till1-") and unknown_skus(conn, checked.skus) == []
            request = suggest_request(rng, store)
            assert request.keys() == {"basket", "customer", "declined"} and request["basket"]
    finally:
        conn.close()


def suggesting_hub(status: int) -> Starlette:
    async def suggest(request):
        body = await request.json()
        if status != 200:
            return JSONResponse({"error": "no"}, status_code=status)
        return JSONResponse({"suggestions": [{"sku": body["basket"][0]}]})

    async def health(request):
        return JSONResponse({"status": "ok", "following": 0})
    return Starlette(routes=[Route("/v1/suggest", suggest, methods=["POST"]),
                             Route("/v1/health", health, methods=["GET"])])


def test_post_suggest_is_measured_when_the_hub_has_it(published):
    store = read_store(published)

    async def measure(app):
        sim = Tills("http://hub", {"till1": "a", "till2": "b"}, store, os.getpid(), seed=1,
                    transport=httpx.ASGITransport(app=app))
        try:
            return await sim.suggest(["till1", "till2"], 4, 0.0, Phase("suggest"))
        finally:
            await sim.close()
    verdict, latencies, requests, statuses = asyncio.run(measure(suggesting_hub(200)))
    assert verdict == "ok" and len(latencies) == len(requests) == 8 and statuses == {200: 8}
    verdict, latencies, _, _ = asyncio.run(measure(suggesting_hub(404)))
    assert verdict == "not available in this build (404)" and latencies == []
