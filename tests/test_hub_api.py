"""The hub's HTTP API (pos.hub.app) through Starlette's TestClient: a till's sale,
built by its real journal, accepted exactly once; each bad request gets its 4xx
and changes nothing; a wrong, missing or revoked token is 401 and logged with
the client's address."""
from __future__ import annotations

import json
import logging
import sqlite3

import pytest
from starlette.testclient import TestClient

from pos.currency import Currency
from pos.hub.app import create_app
from pos.hub.catalog import StoreCatalog
from pos.hub.tokens import enroll, revoke
from pos.journal import Journal


def paid_sale(journal: Journal, skus=("A", "B"), declined="C") -> dict:
    """A sale paid on a real journal, as the till sends it to the hub."""
    sale = journal.new_sale(currency=Currency("NOK", 2), cashier="anna")
    for line, sku in enumerate(skus, 1):
        journal.record(sale, {"type": "add", "line": line, "sku": sku, "item": line, "name": sku,
                              "unit": "each", "unit_price": 1000 * line})
    journal.record(sale, {"type": "shown", "sku": declined, "kind": "cross", "position": 1,
                          "score": 0.5, "price": 300, "anchor": skus[0]})
    journal.record(sale, {"type": "outcome", "sku": declined, "outcome": "declined",
                          "reason": "not today"})
    journal.record(sale, {"type": "paid", "total": sale.total})
    return journal.hub_sale(sale.sale_id)


def client_for(store, catalog=None, max_body=1_000_000) -> TestClient:
    return TestClient(create_app(store, catalog, max_body))


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_health_answers_without_a_token(hub):
    with client_for(hub) as client:
        r = client.get("/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_a_sale_is_accepted_exactly_once(hub, journal):
    token = enroll(hub, "till1")
    sale = paid_sale(journal)
    with client_for(hub) as client:
        first = client.post("/v1/sales", json=sale, headers=auth(token))
        again = client.post("/v1/sales", json=sale, headers=auth(token))
    assert first.status_code == 201 and first.json()["status"] == "stored"
    assert again.status_code == 200 and again.json()["status"] == "repeat"
    assert again.json()["received_at"] == first.json()["received_at"]
    assert hub.sale_count("till1") == 1
    stored = json.loads(hub.sale_body(sale["sale_id"]))
    assert stored == sale and stored["offers"][0]["outcome"] == "declined"


def test_a_reordered_body_is_the_same_content(hub, journal):
    token = enroll(hub, "till1")
    sale = paid_sale(journal)
    reordered = dict(reversed(list(sale.items())))
    with client_for(hub) as client:
        assert client.post("/v1/sales", json=sale, headers=auth(token)).status_code == 201
        assert client.post("/v1/sales", json=reordered, headers=auth(token)).status_code == 200


def test_an_id_reused_with_other_content_is_409_and_changes_nothing(hub, journal):
    token = enroll(hub, "till1")
    sale = paid_sale(journal)
    with client_for(hub) as client:
        client.post("/v1/sales", json=sale, headers=auth(token))
        r = client.post("/v1/sales", json={**sale, "total": sale["total"] + 1}, headers=auth(token))
    assert r.status_code == 409 and sale["sale_id"] in r.json()["error"]
    assert json.loads(hub.sale_body(sale["sale_id"]))["total"] == sale["total"]


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not JSON"),
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"sale_id": "till1-x"}).encode(), "missing field"),
])
def test_a_malformed_body_is_400(hub, body, words):
    token = enroll(hub, "till1")
    with client_for(hub) as client:
        r = client.post("/v1/sales", content=body, headers=auth(token))
    assert r.status_code == 400 and words in r.json()["error"]
    assert hub.sale_count() == 0


@pytest.mark.parametrize("change, words", [
    (lambda s: {**s, "extra": 1}, "unknown field 'extra'"),
    (lambda s: {**s, "total": "12"}, "sale.total"),
    (lambda s: {**s, "total": True}, "sale.total"),
    (lambda s: {**s, "sale_id": "other-1"}, "not an id made on till"),
    (lambda s: {**s, "lines": [{**s["lines"][0], "qty": 0}]}, "qty"),
    (lambda s: {**s, "lines": [s["lines"][0], s["lines"][0]]}, "twice"),
    (lambda s: {**s, "offers": [{**s["offers"][0], "outcome": "maybe"}]}, "outcome"),
])
def test_a_sale_of_the_wrong_shape_is_400_naming_the_field(hub, journal, change, words):
    token = enroll(hub, "till1")
    with client_for(hub) as client:
        r = client.post("/v1/sales", json=change(paid_sale(journal)), headers=auth(token))
    assert r.status_code == 400 and words in r.json()["error"]
    assert hub.sale_count() == 0


def test_a_body_over_the_limit_is_413(hub, journal):
    token = enroll(hub, "till1")
    sale = paid_sale(journal)
    big = {**sale, "cashier": "x" * 5000}
    with client_for(hub, max_body=4000) as client:
        declared = client.post("/v1/sales", json=big, headers=auth(token))

        def chunks():                       # no Content-Length: counted as it comes
            body = json.dumps(big).encode()
            for i in range(0, len(body), 1000):
                yield body[i:i + 1000]
        streamed = client.post("/v1/sales", content=chunks(), headers=auth(token))
        small = client.post("/v1/sales", json=sale, headers=auth(token))
    assert declared.status_code == 413 and streamed.status_code == 413
    assert small.status_code == 201 and hub.sale_count() == 1


def test_a_sale_of_another_till_is_403(hub, tmp_path):
    enroll(hub, "till1")
    token2 = enroll(hub, "till2")
    other = Journal(tmp_path / "other.db", till="till1")
    with client_for(hub) as client:
        r = client.post("/v1/sales", json=paid_sale(other), headers=auth(token2))
    other.close()
    assert r.status_code == 403 and hub.sale_count() == 0


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic dGlsbDE6eA=="},
                                     {"Authorization": "Bearer "}])
def test_a_missing_or_wrong_token_is_401_and_logged_with_the_address(hub, journal, caplog,
                                                                     headers):
    enroll(hub, "till1")
    with caplog.at_level(logging.WARNING, logger="pos.hub"), client_for(hub) as client:
        r = client.post("/v1/sales", json=paid_sale(journal), headers=headers)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    assert any("401 from testclient" in m for m in caplog.messages)
    assert hub.sale_count() == 0


def test_a_revoked_token_is_401_at_once(hub, journal):
    token = enroll(hub, "till1")
    with client_for(hub) as client:
        assert client.post("/v1/sales", json=paid_sale(journal), headers=auth(token)).status_code == 201
        revoke(hub, "till1")
        r = client.post("/v1/sales", json=paid_sale(journal), headers=auth(token))
    assert r.status_code == 401 and hub.sale_count() == 1


def test_with_the_store_given_unknown_skus_are_422(hub, tmp_path, published):
    conn = sqlite3.connect(published)
    skus = [sku for (sku,) in conn.execute("SELECT sku FROM products ORDER BY sku LIMIT 2")]
    conn.close()
    token = enroll(hub, "till1")
    journal = Journal(tmp_path / "s.db", till="till1")
    catalog = StoreCatalog(published)
    try:
        with client_for(hub, catalog) as client:
            unknown = client.post("/v1/sales", json=paid_sale(journal, skus, "NO-SUCH-SKU"),
                                  headers=auth(token))
            known = client.post("/v1/sales", json=paid_sale(journal, skus[:1], skus[1]),
                                headers=auth(token))
    finally:
        catalog.close()
        journal.close()
    assert unknown.status_code == 422 and "NO-SUCH-SKU" in unknown.json()["error"]
    assert known.status_code == 201 and hub.sale_count() == 1
