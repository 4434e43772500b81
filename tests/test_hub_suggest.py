"""Suggestions from the hub for tills that are not pos (pos.hub.suggest, POST
/v1/suggest; docs/hub.md): the same answer as `pos suggest --jsonl` on the same
store, good requests and bad; 401, 413 and 503; a store published again taken
without holding up requests; `learn` teaching the hub what the till's learning
(pos.learning) teaches it from the same sales; a real `pos hub serve --db`; and
the example client of docs/hub.md run against a real hub."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient
from test_hub_serve import hub_serving, run

from conftest import BASKETS_HEADER, basket_rows, good_files, write_dump
from pos.currency import Currency
from pos.engine import Engine
from pos.hub.app import create_app
from pos.hub.sale import parse_sale
from pos.hub.store import HubStore
from pos.hub.suggest import HubSuggester
from pos.hub.tokens import enroll, revoke
from pos.journal import Journal
from pos.learning import learner_from_journal
from pos.load import load_dump
from pos.till.store_swap import export_time

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "hub_suggest_client.py"

PASTA, MILK, PHONE = "PASTA-BN-FUS-500", "MILK-FG-SKIM-1L", "PH-AU8-128-BLK"
BREAKFAST = ["BREAD-BK-GROV-STD", "BUTTER-FG-SALT-250", "COF-NL-MEDFIL-500"]

# requests as --jsonl lines: plain, quantities, a customer, declines, unknown skus
GOOD = [
    {"basket": [PHONE]},
    {"basket": BREAKFAST},
    {"basket": [MILK]},
    {"basket": ["NAPPY-LB-S4-40"], "declined": ["NAPPY-TU-S2-46"]},
    {"basket": [PASTA], "customer": "C10646"},
    {"basket": [[PASTA, 2], "GHOST"], "customer": "C10646", "declined": ["MILK-FG-WHOLE-175", "NOPE"]},
    {"basket": [PASTA], "customer": "nobody-we-know"},
    {"basket": []},
]
BAD = ['{"basket": [PASTA]}', "[1, 2]", '{"basket": "x"}', '{"basket": ["A"], "k": 2}',
       '{"customer": "C1"}', '{"basket": [["A", 0]]}', '{"basket": [], "declined": "A"}',
       '{"basket": [["A", 1e400]]}', "[" * 100_000]


def jsonl(db: Path, lines: list[str]) -> list[dict]:
    """What the real `pos suggest --jsonl` answers, line by line."""
    proc = subprocess.run([sys.executable, "-m", "pos", "suggest", "--db", str(db), "--jsonl"],
                          input="\n".join(lines) + "\n", capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def suggester(demo_store):
    s = HubSuggester(demo_store, watch=False)
    yield s
    s.close()


def test_the_hub_answers_what_pos_suggest_jsonl_answers(hub, suggester, demo_store):
    token = enroll(hub, "odoo1")
    lines = [json.dumps(r) for r in GOOD] + BAD
    expected = jsonl(demo_store, lines)
    assert all("suggestions" in e for e in expected[:len(GOOD)])
    assert all(set(e) == {"error"} for e in expected[len(GOOD):])
    assert expected[0]["suggestions"] and expected[5]["warnings"] == ["unknown sku: GHOST",
                                                                     "unknown sku: NOPE"]
    with TestClient(create_app(hub, suggester=suggester)) as client:
        got = [client.post("/v1/suggest", content=line, headers=auth(token)) for line in lines]
    assert [r.status_code for r in got] == [200] * len(GOOD) + [400] * len(BAD)
    assert [r.json() for r in got] == expected
    # the function the route calls, on decoded JSON
    assert [suggester.suggest(r) for r in GOOD] == expected[:len(GOOD)]


def test_an_empty_or_non_utf8_body_is_400(hub, suggester):
    token = enroll(hub, "odoo1")
    with TestClient(create_app(hub, suggester=suggester)) as client:
        empty = client.post("/v1/suggest", content=b"", headers=auth(token))
        latin = client.post("/v1/suggest", content='{"basket": ["Å"]}'.encode("latin-1"),
                            headers=auth(token))
    assert empty.status_code == 400 and "not JSON" in empty.json()["error"]
    assert latin.status_code == 400 and latin.json() == {"error": "not JSON: not UTF-8"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic b2RvbzE6eA=="}])
def test_no_valid_token_is_401_and_logged_with_the_address(hub, suggester, caplog, headers):
    enroll(hub, "odoo1")
    with caplog.at_level(logging.WARNING, logger="pos.hub"), \
            TestClient(create_app(hub, suggester=suggester)) as client:
        r = client.post("/v1/suggest", json=GOOD[0], headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert "suggestions" not in r.json()
    assert any("401 from testclient" in m for m in caplog.messages)


def test_a_revoked_client_is_401(hub, suggester):
    token = enroll(hub, "odoo1")
    with TestClient(create_app(hub, suggester=suggester)) as client:
        assert client.post("/v1/suggest", json=GOOD[0], headers=auth(token)).status_code == 200
        revoke(hub, "odoo1")
        assert client.post("/v1/suggest", json=GOOD[0], headers=auth(token)).status_code == 401


def test_a_body_over_the_limit_is_413(hub, suggester):
    token = enroll(hub, "odoo1")
    big = {"basket": [PASTA] * 100}
    with TestClient(create_app(hub, max_body=500, suggester=suggester)) as client:
        declared = client.post("/v1/suggest", json=big, headers=auth(token))
        streamed = client.post("/v1/suggest", headers=auth(token),
                               content=iter([json.dumps(big).encode()[i:i + 100]
                                             for i in range(0, 2000, 100)]))
        small = client.post("/v1/suggest", json=GOOD[0], headers=auth(token))
    assert declared.status_code == 413 and streamed.status_code == 413
    assert "500 bytes" in declared.json()["error"] and small.status_code == 200


def test_a_hub_without_a_store_is_503_once_the_token_is_good(hub):
    token = enroll(hub, "odoo1")
    with TestClient(create_app(hub)) as client:
        without = client.post("/v1/suggest", json=GOOD[0])
        r = client.post("/v1/suggest", json=GOOD[0], headers=auth(token))
    assert without.status_code == 401
    assert r.status_code == 503 and "--db" in r.json()["error"]


# ---- a store published again --------------------------------------------------------

def publish_another(tmp_path: Path, db: Path, export: str | None = None) -> None:
    """`pos load` of a dump whose baskets put ITEM11 with PASTA (exported at `export`:
    ISO UTC, else as the first), over the store at `db`."""
    extra = [f"X{b:04d},{sku},1,2026-10-30T12:00:00+02:00,\n"
             for b in range(40) for sku in ("PASTA", "ITEM11")]
    files = {**good_files(), "baskets.csv": BASKETS_HEADER + "".join(basket_rows() + extra)}
    if export is not None:
        manifest = json.loads(files["manifest.json"])
        files["manifest.json"] = json.dumps({**manifest, "export_time": export})
    load_dump(write_dump(tmp_path / "dump2", files), db)


def receive(hub: HubStore, sale: dict) -> dict:
    """`sale` stored by the hub as POST /v1/sales stores it (the store's sales journal too)."""
    hub.put_sale(parse_sale(sale))
    return sale


def paid_sale(journal: Journal, skus: list[str], declined: list[tuple[str, str]] = (),
              training: bool = False) -> dict:
    """A sale paid on a real journal (its clock fixed for the sale: the declines'
    outcome_at is the payment's time), as the hub receives it."""
    sale = journal.new_sale(currency=Currency("NOK", 2), training=training)
    for line, sku in enumerate(skus, 1):
        journal.record(sale, {"type": "add", "line": line, "sku": sku, "item": line, "name": sku,
                              "unit": "each", "unit_price": 1000})
    for position, (sku, anchor) in enumerate(declined, 1):
        journal.record(sale, {"type": "shown", "sku": sku, "kind": "cross", "position": position,
                              "score": 0.5, "price": 300, "anchor": anchor})
        journal.record(sale, {"type": "outcome", "sku": sku, "outcome": "declined",
                              "reason": "not_relevant"})
    journal.record(sale, {"type": "paid", "total": sale.total})
    return journal.hub_sale(sale.sale_id)


def test_a_store_published_again_is_taken_and_answers_as_pos_suggest_on_it(published, tmp_path):
    line = json.dumps({"basket": ["PASTA"]})
    s = HubSuggester(published, check_every=3600)      # woken by check_now, not by time
    try:
        before = s.suggest(json.loads(line))
        assert before == jsonl(published, [line])[0]
        publish_another(tmp_path, published)
        s.check_now()
        assert s.wait_for_swaps(1, timeout=120)
        after = s.suggest(json.loads(line))
        assert after == jsonl(published, [line])[0] != before
        assert "ITEM11" in [c["sku"] for c in after["suggestions"]]
    finally:
        s.close()


def test_requests_are_answered_from_the_old_store_while_the_new_one_is_prepared(
        published, tmp_path, hub):
    """The preparation held on an event: meanwhile suggest answers at once from the
    old store, and a sale the hub stores then reaches the new overlay too."""
    preparing, release = threading.Event(), threading.Event()
    s = HubSuggester(published, sales=hub.sales_path, check_every=3600)
    journal = Journal(tmp_path / "sales.db", till="odoo1")
    try:
        old_open = s._open

        def slow_open(identity):
            preparing.set()
            assert release.wait(60)
            return old_open(identity)
        s._open = slow_open
        receive(hub, paid_sale(journal, ["PASTA", "PARM"]))
        assert s.learn() == 1
        before = s.suggest({"basket": ["PASTA"]})
        publish_another(tmp_path, published)
        s.check_now()
        assert preparing.wait(60)
        assert s.suggest({"basket": ["PASTA"]}) == before          # the old store, not waiting
        receive(hub, paid_sale(journal, ["SAUCE", "WINE"]))         # during the preparation
        assert s.learn() == 1
        release.set()
        assert s.wait_for_swaps(1, timeout=120)
        assert s.suggest({"basket": ["PASTA"]}) != before
        # both sales are in the new store's overlay, once each
        assert s.engine.learned is not None and s.engine.learned.stats()["baskets"] == 2
    finally:
        release.set()
        s.close()
        journal.close()


def test_a_store_that_cannot_be_prepared_leaves_the_one_in_use(published, tmp_path, caplog):
    s = HubSuggester(published, watch=False)
    try:
        assert s.check() is False              # nothing published since it opened
        before = s.suggest({"basket": ["PASTA"]})
        s._open = lambda identity: (_ for _ in ()).throw(OSError("damaged"))
        publish_another(tmp_path, published)
        with caplog.at_level(logging.ERROR, logger="pos.hub"):
            assert s.check() is False
        assert "preparing the store" in caplog.text
        assert s.check() is False and s.suggest({"basket": ["PASTA"]}) == before
        assert s.swaps == 0
    finally:
        s.close()


# ---- learning -----------------------------------------------------------------------

def test_learn_teaches_what_the_tills_learning_teaches_from_the_same_sales(demo_store,
                                                                         tmp_path, hub):
    """The same sales journaled on a till and received by the hub: the hub's overlay
    and the till's (pos.learning from the journal) hold the same, to the bit; a hub
    started again holds it again (from its store's sales journal)."""
    store_export = export_time(Engine.open(demo_store).meta)
    assert store_export is not None
    day_end = store_export + 3600.0 * 12          # the hub's clock: a fixed "now"
    s = HubSuggester(demo_store, sales=hub.sales_path, watch=False, clock=lambda: day_end)
    engine = s.engine
    now = [0.0]
    journal = Journal(tmp_path / "sales.db", till="till1", clock=lambda: now[0])
    top = s.suggest({"basket": [PASTA]})["suggestions"][0]
    assert top["anchor"] == PASTA
    received = []
    try:
        # a sale paid before the store's export: its lines are in the store already,
        # its decline is recent enough to count
        now[0] = store_export - 86400.0
        received.append(paid_sale(journal, [PASTA, MILK], [(top["sku"], PASTA)]))
        for i in range(6):
            now[0] = store_export + 3600.0 * (i + 1)
            received.append(paid_sale(journal, [PASTA, "AIR-NL-LAV-STD", BREAKFAST[i % 3]],
                                      [(top["sku"], PASTA)] if i % 2 else []))
        now[0] = store_export + 3600.0 * 10
        training = paid_sale(journal, [PASTA, PHONE], [(top["sku"], PASTA)], training=True)
        at = day_end
        baskets = [[PASTA], [PASTA, MILK], BREAKFAST, [PHONE], ["AIR-NL-LAV-STD"]]
        before = [engine.suggest(b, now=at) for b in baskets]

        for sale in [*received, received[0], training]:    # a repeat, and practice
            receive(hub, sale)
        assert s.learn() == 6 and s.learn() == 0     # lines after the export; practice: nothing

        till = learner_from_journal(engine, journal, store_export, now=day_end)
        assert engine.learned is not None and engine.learned.stats() == till.stats()
        assert till.stats()["baskets"] == 6 and till.stats()["declines"] == 4
        after = [engine.suggest(b, now=at) for b in baskets]
        assert after == [engine.suggest(b, now=at, learned=till) for b in baskets]
        assert after != before
        # the suggestion declined with pasta is damped: lower, or gone
        score = {c.sku: c.score for c in after[0]}.get(top["sku"], 0.0)
        assert score < top["score"]
        again = HubSuggester(demo_store, sales=hub.sales_path, watch=False,
                             clock=lambda: day_end)
        try:
            assert again.engine.learned is not None
            assert again.engine.learned.stats() == till.stats()
        finally:
            again.close()
    finally:
        s.close()
        journal.close()


def test_learned_sales_count_on_a_new_store_only_after_its_export(published, tmp_path, hub):
    """As on a till: a new store holds the sales before its export; the hub's overlay
    for it counts only the sales after."""
    first, second = 1793487600.0, 1793487600.0 + 2 * 86400      # 2026-10-31, 11-02 23:00 UTC
    now = [first - 86400.0]
    journal = Journal(tmp_path / "sales.db", till="odoo1", clock=lambda: now[0])
    s = HubSuggester(published, sales=hub.sales_path, watch=False, clock=lambda: now[0])
    try:
        assert export_time(s.engine.meta) == first
        for paid_at in (first - 60.0, first + 60.0, second + 60.0):
            now[0] = paid_at
            receive(hub, paid_sale(journal, ["PASTA", "WINE"]))
        assert s.learn() == 2
        assert s.engine.learned is not None and s.engine.learned.stats()["baskets"] == 2
        publish_another(tmp_path, published, export="2026-11-02T23:00:00Z")
        assert s.check() and export_time(s.engine.meta) == second
        assert s.engine.learned is not None and s.engine.learned.stats()["baskets"] == 1
    finally:
        s.close()
        journal.close()


def test_an_item_the_store_sold_out_is_not_suggested_by_the_hub(published, tmp_path, hub):
    """The dump counted 12 parmesan; the tills sold them: the hub suggests it no more,
    after a restart too."""
    now = 1793487600.0 + 3600
    journal = Journal(tmp_path / "sales.db", till="odoo1", clock=lambda: now)
    s = HubSuggester(published, sales=hub.sales_path, watch=False, clock=lambda: now)
    try:
        assert "PARM" in [c["sku"] for c in s.suggest({"basket": ["PASTA", "SAUCE"]})["suggestions"]]
        receive(hub, paid_sale(journal, ["PARM"] * 12))
        s.learn()
        assert s.stock.sold_out == {"PARM"}
        assert "PARM" not in [c["sku"] for c in s.suggest({"basket": ["PASTA", "SAUCE"]})["suggestions"]]
    finally:
        s.close()
    again = HubSuggester(published, sales=hub.sales_path, watch=False, clock=lambda: now)
    try:
        assert again.stock.sold_out == {"PARM"}
    finally:
        again.close()
        journal.close()


# ---- a real hub ----------------------------------------------------------------------

def test_a_real_hub_with_a_store_answers_suggest(tmp_path, demo_store, suggester):
    data, log = tmp_path / "hub", tmp_path / "hub.log"
    with hub_serving(data, log, "--db", str(demo_store)) as url:
        token = run("enroll", "odoo1", "--data", str(data)).stdout.strip()
        with httpx.Client(base_url=url, timeout=30, headers=auth(token)) as client:
            got = [client.post("/v1/suggest", json=r) for r in GOOD[:5]]
            bad = client.post("/v1/suggest", content=BAD[0])
    assert [r.status_code for r in got] == [200] * 5 and bad.status_code == 400
    assert [r.json() for r in got] == [suggester.suggest(r) for r in GOOD[:5]]


def test_the_example_client_of_the_docs_against_a_real_hub(tmp_path, demo_store):
    """docs/examples/hub_suggest_client.py as the docs run it: its sale, with the
    suggestions shown and their outcomes, is in the hub's record, in the store's
    report with a row for the client, and teaches the hub's suggestions."""
    data, log = tmp_path / "hub", tmp_path / "hub.log"
    with hub_serving(data, log, "--db", str(demo_store)) as url:
        token_file = tmp_path / "odoo1.token"
        token_file.write_text(run("enroll", "odoo1", "--data", str(data)).stdout)
        proc = subprocess.run([sys.executable, str(EXAMPLE), "--hub", url, "--token-file",
                               str(token_file), "--client", "odoo1", "--currency", "NOK",
                               "--accept", "1", "--reason", "too_expensive",
                               f"{PASTA}:2990", f"{MILK}:2190"],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        report = httpx.get(f"{url}/v1/report", params={"format": "json"}, timeout=30,
                           headers=auth(token_file.read_text().strip())).json()["sections"]
    cards = [line for line in proc.stdout.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(cards) == 3, proc.stdout
    [line] = [line for line in proc.stdout.splitlines() if line.startswith("sale ")]
    assert ": 201 " in line
    store = HubStore(data, create=False)
    try:
        sale = json.loads(store.sale_body(line.split()[1].rstrip(":")))
    finally:
        store.close()
    assert [o["outcome"] for o in sale["offers"]] == ["accepted", "declined", "declined"]
    assert all(o["reason"] == "too_expensive" and o["outcome_at"] >= o["shown_at"]
               for o in sale["offers"][1:])
    assert len(sale["lines"]) == 3 or sale["offers"][0]["kind"] == "upsell"
    [summary] = report["summary"]
    assert (summary["sales"], summary["suggestions_shown"], summary["accepted"]) == (1, 3, 1)
    assert [row["group"] for row in report["by_till"]] == ["odoo1"]
    assert report["decline_reasons"] == [{"group": "too_expensive", "declined": 2, "share": 1.0}]
    # what the hub's suggestions learn from it: the two declines, with their anchor
    s = HubSuggester(demo_store, sales=data / "sales.db", watch=False)
    try:
        assert s.engine.learned is not None
        assert s.engine.learned.stats()["declines"] == 2
    finally:
        s.close()


def test_the_engine_the_suggester_holds_is_the_store_choice(demo_store, suggester):
    """As `pos suggest`: Engine.open's defaults (the store's scorer and language)."""
    plain = Engine.open(demo_store)
    assert suggester.engine.config == plain.config and suggester.engine.lang == plain.lang


def test_a_sale_posted_to_the_hub_teaches_its_suggestions(published, tmp_path, hub):
    now = 1793487600.0 + 3600
    journal = Journal(tmp_path / "sales.db", till="odoo1", clock=lambda: now)
    token = enroll(hub, "odoo1")
    s = HubSuggester(published, sales=hub.sales_path, watch=False, clock=lambda: now)
    try:
        with TestClient(create_app(hub, suggester=s)) as client:
            r = client.post("/v1/sales", json=paid_sale(journal, ["PARM"] * 12),
                            headers=auth(token))
            assert r.status_code == 201
            # learned after the answer (a background task), before the next request
            answer = client.post("/v1/suggest", json={"basket": ["PASTA", "SAUCE"]},
                                 headers=auth(token)).json()
        assert s.engine.learned is not None and s.engine.learned.stats()["baskets"] == 1
        assert "PARM" not in [c["sku"] for c in answer["suggestions"]]
    finally:
        s.close()
        journal.close()
