"""Tills following the store's sales (issue 17, item 3): the hub's `GET /v1/sales`
from a cursor, long polling on a real hub, the follower writing the store's sales
journal with its cursor (a restart goes on, a new hub is read from the start, a
bad answer writes nothing), and the tills' learning and stock: another till's
sales teach this till as its own do, and an item the dump had 12 of, sold out by
the other tills, is suggested nowhere, after a restart too."""
from __future__ import annotations

import json
import threading

import httpx
import pytest
from starlette.testclient import TestClient
from test_hub_serve import hub_serving, run

from pos.hub.app import create_app
from pos.hub.follow import HubFollower
from pos.hub.store import HubStore
from pos.hub.tokens import enroll
from pos.journal import Journal
from test_hub_api import auth, paid_sale


def test_the_store_sales_come_in_the_order_received_from_a_cursor(hub, journal):
    tokens = {till: enroll(hub, till) for till in ("till1", "till2")}
    other = Journal(journal.path.with_name("other.db"), till="till2")
    sales = [paid_sale(journal), paid_sale(other), paid_sale(journal)]
    token = tokens["till1"]
    with TestClient(create_app(hub)) as client:
        for sale in sales:
            r = client.post("/v1/sales", json=sale, headers=auth(tokens[sale["till"]]))
            assert r.status_code == 201
        page = client.get("/v1/sales", params={"after": 0}, headers=auth(token)).json()
        assert page["hub"] == hub.hub_id and page["cursor"] == 3
        assert page["sales"] == sales                        # every till's, as sent, in order
        later = client.get("/v1/sales", params={"after": 1, "limit": 1}, headers=auth(token))
        assert later.json()["sales"] == [sales[1]] and later.json()["cursor"] == 2
        end = client.get("/v1/sales", params={"after": 3}, headers=auth(token)).json()
        assert end["sales"] == [] and end["cursor"] == 3
        assert client.get("/v1/sales").status_code == 401
        for bad in ({"after": "-1"}, {"after": "x"}, {"limit": "0"}, {"limit": "501"},
                    {"wait": "31"}):
            r = client.get("/v1/sales", params=bad, headers=auth(token))
            assert r.status_code == 400 and next(iter(bad)) in r.json()["error"]
    other.close()


def test_a_long_poll_on_a_real_hub_answers_when_a_sale_arrives_and_when_it_stops(tmp_path,
                                                                                 journal):
    data = tmp_path / "hub"
    answers: list[httpx.Response] = []

    def poll(url: str, token: str, after: int) -> threading.Thread:
        def get() -> None:
            with httpx.Client(base_url=url, timeout=60) as client:
                answers.append(client.get("/v1/sales", params={"after": after, "wait": 30},
                                          headers=auth(token)))
        thread = threading.Thread(target=get)
        thread.start()
        return thread

    with hub_serving(data, tmp_path / "hub.log") as url:
        token = run("enroll", "till1", "--data", str(data)).stdout.strip()
        sale = paid_sale(journal)
        waiting = poll(url, token, 0)
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.post("/v1/sales", json=sale, headers=auth(token)).status_code == 201
        waiting.join(60)
        # a poll that timed out would have answered no sale (after 30 s)
        assert answers[0].status_code == 200 and answers[0].json()["sales"] == [sale]
        stopping = poll(url, token, 1)
        with httpx.Client(base_url=url, timeout=30) as client:
            assert client.get("/v1/health").json()["following"] in (0, 1)
            while client.get("/v1/health").json()["following"] == 0:
                assert stopping.is_alive()            # the hub says when the poll waits
        # the hub is stopped (SIGTERM) by hub_serving with this poll waiting
    stopping.join(60)
    # answered by the hub as it stopped, not cut (uvicorn would drop it after 5 s)
    assert answers[1].status_code == 200 and answers[1].json()["sales"] == []


@pytest.fixture
def store_with_sales(hub, journal):
    """The hub with three sales of till2 and one of till1; till1's token."""
    tokens = {till: enroll(hub, till) for till in ("till1", "till2")}
    other = Journal(journal.path.with_name("other.db"), till="till2")
    sales = [paid_sale(other, skus=(f"A{i}", "B")) for i in range(3)] + [paid_sale(journal)]
    with TestClient(create_app(hub)) as client:
        for sale in sales:
            client.post("/v1/sales", json=sale, headers=auth(tokens[sale["till"]]))
    other.close()
    return sales, tokens["till1"]


def follower(hub, token, path, **kw) -> tuple[HubFollower, TestClient]:
    client = TestClient(create_app(hub), base_url="http://hub")
    return HubFollower("http://hub", token, path, client=client, wait=0, **kw), client


def test_the_follower_writes_the_store_sales_with_its_cursor_and_goes_on_after_a_restart(
        tmp_path, hub, store_with_sales):
    sales, token = store_with_sales
    path = tmp_path / "sales-store.db"
    f, client = follower(hub, token, path)
    assert f.pull_once() == 0.0 and f.arrivals == 1
    assert f.cursor() == (hub.hub_id, 4)
    f.stop()
    more = Journal(tmp_path / "more.db", till="till1")
    with TestClient(create_app(hub)) as c:
        c.post("/v1/sales", json=paid_sale(more), headers=auth(token))
    again, client = follower(hub, token, path)
    assert again.cursor() == (hub.hub_id, 4)          # from where it stopped
    again.pull_once()
    assert again.cursor() == (hub.hub_id, 5)
    assert again.pull_once() == again.base_delay and again.arrivals == 1   # nothing new
    again.stop()
    copy = Journal(path, till="check")
    ids = [r[0] for r in copy.conn.execute("SELECT sale_id FROM sales ORDER BY rowid")]
    assert len(ids) == 5 == len(set(ids))
    assert copy.hub_sale(sales[1]["sale_id"]) == sales[1]
    assert copy.pending_for_hub() == []                 # the store's sales are no outbox
    copy.close()
    more.close()


def test_a_new_hub_is_read_from_the_start(tmp_path, hub, store_with_sales):
    sales, token = store_with_sales
    path = tmp_path / "sales-store.db"
    f, _ = follower(hub, token, path)
    f.pull_once()
    f.stop()
    new = HubStore(tmp_path / "new-hub")                # the hub's data directory lost
    new_token = enroll(new, "till1")
    with TestClient(create_app(new)) as c:
        c.post("/v1/sales", json=sales[3], headers=auth(new_token))
    g, _ = follower(new, new_token, path)
    assert g.pull_once() == 0.0 and g.cursor() == (new.hub_id, 0)
    g.pull_once()
    assert g.cursor() == (new.hub_id, 1)
    g.stop()
    new.close()


def test_an_answer_that_is_not_the_store_sales_writes_nothing_and_backs_off(tmp_path, hub,
                                                                            store_with_sales):
    _, token = store_with_sales
    bodies = iter([b"not json", json.dumps({"hub": "h", "cursor": 1, "sales": [{"x": 1}]}),
                   json.dumps({"cursor": 1, "sales": []})])
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=next(bodies)))
    f = HubFollower("http://hub", token, tmp_path / "sales-store.db", wait=0,
                    client=httpx.Client(transport=transport, base_url="http://hub"))
    assert [f.pull_once(), f.pull_once(), f.pull_once()] == [1.0, 2.0, 4.0]
    assert f.cursor() == (None, 0) and f.arrivals == 0
    f.stop()


def test_a_refused_token_stops_the_follower(tmp_path, hub):
    f, _ = follower(hub, "wrong", tmp_path / "sales-store.db")
    assert f.pull_once() is None and f.refused.startswith("401")
    assert f.pull_once() is None
    f.stop()
