"""Tills pushing to a hub, end to end. A real `pos hub serve` process on a port
the system chooses, and the till's controller with its pusher on its thread:
two sales paid, each sent after its payment (waited for with an Event, never
the clock), and the hub's store holds both exactly once. And the till app's
status bar with a hub (in-process): "Hub: connected" once the sale is sent; and
F9 with a hub: the whole store's figures, a row per till."""
from __future__ import annotations

import threading
import time

import pytest
from starlette.testclient import TestClient
from test_hub_serve import hub_serving, run
from test_report_manager import open_report, shown

from conftest import scan_code
from pos.hub.app import create_app
from pos.hub.client import HubPusher
from pos.hub.follow import HubFollower, store_sales_path
from pos.hub.link import TillHubLink
from pos.hub.store import HubStore
from pos.hub.tokens import enroll
from pos.journal import Journal
from pos.till.config import TillConfig
from pos.till.session import Till
from test_hub_api import paid_sale
from till_harness import EXPORT, run_till

PASTA, CHOC = "PASTA-BN-FUS-500", "CHOC-NS-DARK-60"


@pytest.fixture
def hub_process(tmp_path):
    data = tmp_path / "hub"
    with hub_serving(data, tmp_path / "hub.log") as url:
        yield url, data


def test_a_till_pushes_its_paid_sales_to_a_real_hub_exactly_once(tmp_path, demo_store,
                                                                 hub_process):
    url, data = hub_process
    token = run("enroll", "t1", "--data", str(data)).stdout.strip()
    journal = Journal(tmp_path / "sales.db", till="t1")
    pusher = HubPusher(url, token, journal.path, "t1", timeout=30)
    link = TillHubLink(pusher, HubFollower(url, token, store_sales_path(journal.path)))
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), lambda: EXPORT,
                hub=link)
    changed = threading.Event()
    link.start(changed.set)
    paid = []
    try:
        for sku in (PASTA, CHOC):
            till.scan(scan_code(demo_store, sku))
            paid.append(till.pay().sale_id)
        while journal.pending_for_hub():            # each round ends with on_change
            assert changed.wait(30), "the pusher sent nothing"
            changed.clear()
        assert pusher.state == "connected"
    finally:
        link.stop()
        till.close()
    assert journal.hub_waiting() == (0, 0)
    journal.close()
    store = HubStore(data, create=False)
    try:
        assert store.sale_count() == 2 and store.sale_count("t1") == 2
        assert all(store.sale_body(sale_id) is not None for sale_id in paid)
    finally:
        store.close()


def in_process_link(hub: HubStore):
    """A hub_link factory (pos.ui.launch) whose pusher and follower talk to `hub`'s
    app in-process, and the clients it made (to close)."""
    clients: list[TestClient] = []

    def hub_link(hub_config, journal_path, till):
        client = TestClient(create_app(hub), base_url=hub_config.url)
        clients.append(client)
        return TillHubLink(
            HubPusher(hub_config.url, hub_config.token, journal_path, till, client=client),
            HubFollower(hub_config.url, hub_config.token, store_sales_path(journal_path),
                        client=client, wait=0))
    return hub_link, clients


def test_the_status_bar_shows_the_hub(tmp_path, demo_store):
    hub = HubStore(tmp_path / "hub")
    token = enroll(hub, "t1")
    config = tmp_path / "store.toml"
    config.write_text(f'[till]\nid = "t1"\n[hub]\nurl = "http://hub"\ntoken = "{token}"\n')
    hub_link, clients = in_process_link(hub)

    async def flow(h):
        await h.until(lambda: "Hub: connected" in h.status(), "the hub's state")
        await h.scan(scan_code(demo_store, PASTA))
        await h.press("f10")
        if h.till.last_call_card is not None:
            await h.press("0")
        await h.press("enter")
        await h.until(lambda: not h.till.journal.pending_for_hub(), "the sale sent")
        await h.until(lambda: h.status().endswith("Hub: connected"), "the status bar")

    try:
        app = run_till(demo_store, tmp_path / "sales.db", flow, size=(160, 30), config=config,
                       hub_link=hub_link)
        assert hub.sale_count("t1") == 1
        app.hub_changed()          # a change the link posted as the app closed: no crash
    finally:
        for client in clients:
            client.close()
        hub.close()


def test_f9_shows_the_whole_store_with_a_row_per_till(tmp_path, demo_store):
    hub = HubStore(tmp_path / "hub")
    token = enroll(hub, "t1")
    other = Journal(tmp_path / "t2.db", till="t2")
    with TestClient(create_app(hub)) as client:           # till t2 sold twice meanwhile
        t2 = enroll(hub, "t2")
        for _ in range(2):
            sale = paid_sale(other, skus=(PASTA,), declined=CHOC)
            client.post("/v1/sales", json=sale, headers={"Authorization": f"Bearer {t2}"})
    other.close()
    config = tmp_path / "store.toml"
    config.write_text(f'[till]\nid = "t1"\n[hub]\nurl = "http://hub"\ntoken = "{token}"\n')
    hub_link, clients = in_process_link(hub)

    async def flow(h):
        await h.until(lambda: h.till.hub.arrivals > 0, "the store's sales read")
        screen, text = await open_report(h)
        title = shown(screen.query_one("#manager-title"))
        assert "the whole store today" in title
        assert screen.overview.overall.sales == 2 and "Till t2" in text
        await h.press("escape")

    try:
        run_till(demo_store, tmp_path / "sales.db", flow, size=(160, 30), config=config,
                 hub_link=hub_link, clock=lambda: time.time())
    finally:
        for client in clients:
            client.close()
        hub.close()
