"""The till's pusher (pos.hub.client) against the hub's app in-process (Starlette's
TestClient, an httpx client): each sale is sent once and marked; a repeat is
acknowledged, not stored twice; while the hub is away the delay doubles up to
its cap (a fake clock: nothing sleeps) and the sales go once it is back; a
refused sale is parked with its reason; a refused token stops the pusher and
keeps the sales waiting."""
from __future__ import annotations

import httpx
import pytest
from starlette.testclient import TestClient

from pos.hub import client as hub_client
from pos.hub.app import create_app
from pos.hub.client import HubPusher
from pos.hub.tokens import enroll
from test_hub_api import paid_sale


def pusher_for(journal, client, token, **kw) -> HubPusher:
    return HubPusher("http://hub", token, journal.path, "till1", client=client, **kw)


def test_each_paid_sale_is_sent_once_and_marked(hub, journal):
    token = enroll(hub, "till1")
    sales = [paid_sale(journal), paid_sale(journal)]
    with TestClient(create_app(hub), base_url="http://hub") as client:
        pusher = pusher_for(journal, client, token)
        assert pusher.push_once() is None and pusher.state == "connected"
        assert pusher.push_once() is None           # nothing left: nothing sent again
        pusher.stop()
    assert hub.sale_count("till1") == 2
    assert all(hub.sale_body(s["sale_id"]) for s in sales)
    assert journal.pending_for_hub() == [] and journal.hub_waiting() == (0, 0)


def test_a_sale_the_hub_has_already_is_acknowledged_not_stored_twice(hub, journal):
    token = enroll(hub, "till1")
    sale = paid_sale(journal)
    with TestClient(create_app(hub), base_url="http://hub") as client:
        # sent, and the till went down before marking it: the hub has it, the outbox too
        assert client.post("/v1/sales", json=sale,
                           headers={"Authorization": f"Bearer {token}"}).status_code == 201
        pusher = pusher_for(journal, client, token)
        assert pusher.push_once() is None
        pusher.stop()
    assert hub.sale_count() == 1 and journal.pending_for_hub() == []


class Flaky(httpx.BaseTransport):
    """The hub's app behind a network that is down (no connection) or answers 503
    until `up`; counts the requests."""

    def __init__(self, client: TestClient):
        self.client, self.up, self.down_as, self.requests = client, False, "refused", 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if not self.up:
            if self.down_as == "refused":
                raise httpx.ConnectError("connection refused", request=request)
            return httpx.Response(503, json={"error": "starting"})
        answer = self.client.request(request.method, request.url.path, content=request.content,
                                     headers=dict(request.headers))
        return httpx.Response(answer.status_code, content=answer.content,
                              headers=answer.headers)


@pytest.mark.parametrize("down_as", ["refused", "503"])
def test_while_the_hub_is_away_the_delay_doubles_to_its_cap_then_all_go(hub, journal, down_as):
    token = enroll(hub, "till1")
    ids = [paid_sale(journal)["sale_id"] for _ in range(3)]
    with TestClient(create_app(hub), base_url="http://hub") as app_client:
        network = Flaky(app_client)
        network.down_as = down_as
        client = httpx.Client(base_url="http://hub", transport=network)
        pusher = pusher_for(journal, client, token, base_delay=1.0, max_delay=8.0)
        delays = [pusher.push_once() for _ in range(6)]
        assert delays == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0] and pusher.state == "unreachable"
        assert journal.pending_for_hub() == ids            # nothing lost, nothing marked
        assert network.requests == 6                       # one try a round: the first sale
        network.up = True
        assert pusher.push_once() is None and pusher.state == "connected"
        assert pusher.failures == 0                        # the next outage starts at 1 s
        pusher.stop()
    assert hub.sale_count() == 3 and journal.pending_for_hub() == []


def test_a_sale_the_hub_refuses_is_parked_with_its_reason_and_the_rest_go(hub, journal, caplog):
    token = enroll(hub, "till1")
    good = paid_sale(journal)
    bad = paid_sale(journal)
    later = paid_sale(journal)
    with TestClient(create_app(hub), base_url="http://hub") as client:
        client.post("/v1/sales", json={**bad, "total": 1},           # the id taken by other content
                    headers={"Authorization": f"Bearer {token}"})
        pusher = pusher_for(journal, client, token)
        assert pusher.push_once() is None and pusher.state == "connected"
        pusher.stop()
    assert journal.pending_for_hub() == [] and journal.hub_waiting() == (1, 1)
    ((sale_id, reason),) = journal.parked_for_hub()
    assert sale_id == bad["sale_id"] and reason.startswith("409: ")
    assert hub.sale_body(good["sale_id"]) and hub.sale_body(later["sale_id"])
    assert f"sale {bad['sale_id']} refused (409" in caplog.text


def test_a_refused_token_stops_the_pusher_and_keeps_the_sales_waiting(hub, journal, caplog):
    enroll(hub, "till1")
    sale = paid_sale(journal)
    with TestClient(create_app(hub), base_url="http://hub") as client:
        pusher = pusher_for(journal, client, "not-the-token")
        assert pusher.push_once() is None and pusher.state == "refused"
        assert pusher.refusal is not None and pusher.refusal.startswith("401: ")
        assert pusher.push_once() is None                   # not tried again until a restart
        pusher.stop()
    assert journal.pending_for_hub() == [sale["sale_id"]] and journal.hub_waiting() == (1, 0)
    assert hub.sale_count() == 0
    assert "refuses this till (401" in caplog.text


def test_an_idle_pusher_checks_the_hub_once_for_the_status_bar(hub, journal):
    with TestClient(create_app(hub), base_url="http://hub") as client:
        pusher = pusher_for(journal, client, "any")
        assert pusher.state == "connecting"
        assert pusher.push_once() is None and pusher.state == "connected"
        pusher.stop()


def test_the_thread_sends_each_sale_once_woken_after_payment(hub, journal):
    """On its own thread: woken after each payment; `on_change` tells when."""
    import threading
    token = enroll(hub, "till1")
    changed = threading.Event()
    with TestClient(create_app(hub), base_url="http://hub") as client:
        pusher = pusher_for(journal, client, token)
        pusher.start(changed.set)
        try:
            for _ in range(2):
                paid_sale(journal)
                changed.clear()
                pusher.wake()
                while journal.pending_for_hub():
                    assert changed.wait(30), "the pusher did not send the sale"
                    changed.clear()
        finally:
            pusher.stop()
        assert not pusher._thread
    assert hub.sale_count() == 2 and pusher.state == hub_client.CONNECTED
