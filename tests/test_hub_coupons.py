"""Next-visit coupons across tills through the store hub (docs/hub.md,
`POST /v1/coupons/{code}/redeem`; docs/receipts.md, "The next-visit coupon").

Two tills over the demo store against a real `pos hub serve` process, each with its
real pusher, follower and coupon client on threads and sockets: a coupon issued
at till A is redeemed at till B (the hub holds it for B's sale: A is refused
meanwhile), and once B's sale is paid and sent, A is refused with the day of
B's use. In process (Starlette's TestClient over the hub's app): the endpoint's
answers, and the policy when the hub cannot be reached: what the till knows
decides, the use is journaled as unconfirmed, and the hub logs the double use
when both sales arrive."""
from __future__ import annotations

import json
import logging
import threading

import pytest
from starlette.testclient import TestClient
from test_coupons import DAY, PASTA, Clock, customer_of
from test_hub_serve import hub_serving, run

from conftest import scan_code
from pos.hub.app import create_app
from pos.hub.client import HubPusher
from pos.hub.coupons import HubCoupons
from pos.hub.follow import HubFollower, store_sales_path
from pos.hub.link import TillHubLink
from pos.hub.store import HubStore
from pos.hub.tokens import enroll
from pos.journal import Journal
from pos.till.config import TillConfig
from pos.till.session import Till

TIMEOUT = 30.0


def issue(till, store):
    """A sale of pasta for the store's first customer, its cards declined, paid: its coupon."""
    till.identify(customer_of(store))
    till.scan(scan_code(store, PASTA))
    till.decline()
    sale = till.pay()
    assert sale.coupon_issued is not None
    return sale


class RealTill:
    """A till whose link talks to the hub at `url` over TCP, its threads started."""

    def __init__(self, tmp_path, store, url, token, till_id, clock):
        self.journal = Journal(tmp_path / f"{till_id}.db", till=till_id, clock=clock)
        self.link = TillHubLink(
            HubPusher(url, token, self.journal.path, till_id, timeout=TIMEOUT),
            HubFollower(url, token, store_sales_path(self.journal.path), wait=1),
            HubCoupons(url, token, timeout=5.0))
        self.till = Till(store, self.journal, TillConfig(till_id=till_id, lang="en"), clock,
                         hub=self.link)
        self.changed = threading.Event()
        self.link.start(self.changed.set)

    def sent(self) -> None:
        """Waits until the hub has acknowledged every paid sale (each round ends with on_change)."""
        while self.journal.pending_for_hub():
            assert self.changed.wait(TIMEOUT), "the pusher sent nothing"
            self.changed.clear()

    def close(self) -> None:
        self.link.stop()
        self.till.close()
        self.journal.close()


def test_issued_at_one_till_redeemed_at_another_refused_at_the_first(tmp_path, demo_store):
    data = tmp_path / "hub"
    with hub_serving(data, tmp_path / "hub.log") as url:
        tokens = {t: run("enroll", t, "--data", str(data)).stdout.strip() for t in ("t1", "t2")}
        clock = Clock()
        a = RealTill(tmp_path, demo_store, url, tokens["t1"], "t1", clock)
        b = RealTill(tmp_path, demo_store, url, tokens["t2"], "t2", clock)
        try:
            issued = issue(a.till, demo_store)
            coupon = issued.coupon_issued
            a.sent()
            clock.now += 2 * DAY                                # 2026-11-23
            # B has not seen A's sale (its follower may not have read it yet): the hub
            # describes the coupon and holds it for B's sale
            result = b.till.scan(coupon.code)
            assert result.problem is None, result.problem_text()
            [applied] = b.till.sale.coupons
            assert applied.hub == "confirmed" and applied.sku == coupon.sku
            # meanwhile at A: held by B's open sale, so refused
            held = a.till.scan(coupon.code)
            assert held.problem_text().startswith("coupon already used on ")
            assert a.till.sale.coupons == []
            b.till.scan(scan_code(demo_store, coupon.sku))
            paid = b.till.pay()
            assert paid.paid < paid.lines[1].total                  # the discount was taken
            b.sent()
            # a week later at A: refused with the day B used it
            clock.now += 7 * DAY
            refused = a.till.scan(coupon.code)
            assert refused.problem_text() == "coupon already used on 2026-11-23"
            assert a.till.sale.coupons == []
        finally:
            a.close()
            b.close()
    store = HubStore(data, create=False)
    try:
        row = store.conn.execute("SELECT sale_id, till_id, used_by, used_till FROM coupons "
                                 "WHERE code = ?", (coupon.code,)).fetchone()
        assert row == (issued.sale_id, "t1", paid.sale_id, "t2")
        assert store.double_uses() == []
        # the store's sales journal has both for the report
        sales = Journal(store.sales_path, till="hub")
        try:
            assert sales.coupon(coupon.code).sale_id == issued.sale_id
            assert sales.coupon_first_use(coupon.code).sale_id == paid.sale_id
        finally:
            sales.close()
    finally:
        store.close()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_the_redeem_endpoint_holds_once_and_answers_who_used_it(tmp_path, demo_store, hub):
    tokens = {t: enroll(hub, t) for t in ("t1", "t2")}
    clock = Clock()
    journal = Journal(tmp_path / "t1.db", till="t1", clock=clock)
    till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
    try:
        issued = issue(till, demo_store)
    finally:
        till.close()
    code = issued.coupon_issued.code
    with TestClient(create_app(hub)) as client:
        def redeem(token, till_id, sale_id, c=code):
            return client.post(f"/v1/coupons/{c}/redeem", json={"sale_id": sale_id, "till": till_id},
                               headers=auth(token))
        assert redeem(tokens["t2"], "t2", "t2-x").status_code == 404       # not arrived yet
        sent = client.post("/v1/sales", json=journal.hub_sale(issued.sale_id),
                           headers=auth(tokens["t1"]))
        assert sent.status_code == 201
        first = redeem(tokens["t2"], "t2", "t2-x")
        assert first.status_code == 200 and first.json()["coupon"]["sku"] == issued.coupon_issued.sku
        assert redeem(tokens["t2"], "t2", "t2-x").status_code == 200        # the same sale again
        other = redeem(tokens["t1"], "t1", "t1-y")
        assert other.status_code == 409
        assert other.json()["till"] == "t2" and other.json()["sale_id"] == "t2-x"
        assert isinstance(other.json()["first_used_at"], float)
        assert redeem(tokens["t1"], "t2", "t2-x").status_code == 403        # not the token's till
        assert redeem(tokens["t1"], "t1", "t2-x").status_code == 400        # not its sale id
        assert redeem(tokens["t1"], "t1", "t1-y", c="abc").status_code == 400
        assert client.post(f"/v1/coupons/{code}/redeem", json={}).status_code == 401
    journal.close()


def test_an_unreachable_hub_lets_the_till_decide_and_the_hub_logs_the_double_use(
        tmp_path, demo_store, hub, caplog):
    tokens = {t: enroll(hub, t) for t in ("t1", "t2")}
    clock = Clock()
    with TestClient(create_app(hub)) as client:
        def in_process(till_id):
            journal = Journal(tmp_path / f"{till_id}.db", till=till_id, clock=clock)
            link = TillHubLink(
                HubPusher("http://hub", tokens[till_id], journal.path, till_id, client=client),
                HubFollower("http://hub", tokens[till_id], store_sales_path(journal.path),
                            client=client, wait=0),
                HubCoupons("http://hub", tokens[till_id], client=client))
            return Till(demo_store, journal, TillConfig(till_id=till_id, lang="en"), clock,
                        hub=link)
        a, b = in_process("t1"), in_process("t2")
        try:
            issued = issue(a, demo_store)
            code = issued.coupon_issued.code
            assert a.hub.pusher.push_once() is None                 # the hub has it
            clock.now += 2 * DAY
            b.scan(code)
            b.scan(scan_code(demo_store, issued.coupon_issued.sku))
            used_at_b = b.pay()
            assert used_at_b.coupons[0].hub == "confirmed"
            assert b.hub.pusher.push_once() is None
            # A loses the hub (a port nobody listens on): it knows the coupon and has
            # seen no use of it (its follower never ran), so it applies it, unconfirmed
            a.hub.coupons = HubCoupons("http://127.0.0.1:1", tokens["t1"], timeout=1.0)
            result = a.scan(code)
            assert result.problem is None and a.sale.coupons[0].hub == "unconfirmed"
            a.scan(scan_code(demo_store, issued.coupon_issued.sku))
            used_at_a = a.pay()
            with caplog.at_level(logging.WARNING, logger="pos.hub"):
                assert a.hub.pusher.push_once() is None
            assert f"coupon {code} used twice" in caplog.text
            assert hub.double_uses() == [(code, used_at_b.sale_id, [used_at_a.sale_id])]
            body = json.loads(hub.sale_body(used_at_a.sale_id))
            assert body["coupons_redeemed"][0]["hub"] == "unconfirmed"
            # a coupon the till does not know, with the hub away: not refused as foreign,
            # but as not checkable
            stranger = "99" + "7" * 13
            from pos.coupons.code import luhn_digit
            result = a.scan(stranger + luhn_digit(stranger))
            assert "cannot be checked now" in result.problem_text()
        finally:
            for till in (a, b):
                till.hub.coupons.close()
                till.close()
                till.journal.close()


@pytest.mark.parametrize("extra", [{"coupon_issued": {"code": "1"}},
                                   {"coupons_redeemed": [{"code": "1", "sku": "A"}]}])
def test_a_sale_with_a_malformed_coupon_is_refused_by_name(hub, journal, extra):
    from test_hub_api import paid_sale
    token = enroll(hub, "till1")
    sale = {**paid_sale(journal), **extra}
    with TestClient(create_app(hub)) as client:
        r = client.post("/v1/sales", json=sale, headers=auth(token))
    assert r.status_code == 400 and "coupon" in r.json()["error"]


def test_a_hub_the_pusher_finds_away_is_not_asked_at_the_scan(tmp_path, demo_store, hub):
    """While the pusher finds the hub unreachable, a coupon's scan does not wait for
    it: what the till knows decides at once (unconfirmed); once the pusher reaches
    the hub again, the next scan asks it."""
    token = enroll(hub, "t1")
    clock = Clock()
    with TestClient(create_app(hub)) as client:
        asked: list[str] = []
        client.event_hooks["request"].append(lambda request: asked.append(request.url.path))
        journal = Journal(tmp_path / "t1.db", till="t1", clock=clock)
        away = HubPusher("http://127.0.0.1:1", token, journal.path, "t1", timeout=1.0)
        link = TillHubLink(away, HubFollower("http://hub", token, store_sales_path(journal.path),
                                             client=client, wait=0),
                           HubCoupons("http://hub", token, client=client))
        till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock, hub=link)
        try:
            code = issue(till, demo_store).coupon_issued.code
            assert away.push_once() is not None and away.state == "unreachable"
            clock.now += 2 * DAY
            assert till.scan(code).problem is None
            assert till.sale.coupons[0].hub == "unconfirmed" and asked == []
            link.pusher = HubPusher("http://hub", token, journal.path, "t1", client=client)
            assert link.pusher.push_once() is None            # back: the issuing sale sent
            till.pay()                                        # (the coupon's item not bought)
            till.scan(code)
            assert f"/v1/coupons/{code}/redeem" in asked
            assert till.sale.coupons[0].hub == "confirmed"
        finally:
            till.close()
            journal.close()


def test_a_coupon_printed_at_its_till_is_printed_in_the_hub_s_report(tmp_path, demo_store, hub):
    """The pusher tells the hub which coupons were printed once their sale reached it:
    the store's sales journal (the hub's report) counts them printed; another till's
    token is refused, an unknown code is 404, and a repeat changes nothing."""
    from pos.report.figures import coupon_groups, open_journal
    tokens = {t: enroll(hub, t) for t in ("t1", "t2")}
    clock = Clock()
    with TestClient(create_app(hub)) as client:
        journal = Journal(tmp_path / "t1.db", till="t1", clock=clock)
        pusher = HubPusher("http://hub", tokens["t1"], journal.path, "t1", client=client)
        till = Till(demo_store, journal, TillConfig(till_id="t1", lang="en"), clock)
        try:
            code = issue(till, demo_store).coupon_issued.code
            assert pusher.push_once() is None and journal.coupons_printed_for_hub() == []
            journal.mark_coupon_printed(code, clock.now + 1)       # as the spooler marks it
            assert journal.coupons_printed_for_hub() == [(code, clock.now + 1)]
            assert pusher.push_once() is None and journal.coupons_printed_for_hub() == []
            printed = {"till": "t2", "printed_at": 1.0}
            other = client.post(f"/v1/coupons/{code}/printed", json=printed,
                                headers=auth(tokens["t2"]))
            assert other.status_code == 403
            unknown = client.post("/v1/coupons/9900000000000000/printed",
                                  json={"till": "t1", "printed_at": 1.0}, headers=auth(tokens["t1"]))
            assert unknown.status_code == 404
        finally:
            till.close()
            journal.close()
    assert hub.conn.execute("SELECT printed_at FROM coupons WHERE code = ?",
                            (code,)).fetchone() == (clock.now + 1,)
    hub.write_sales_journal()
    conn = open_journal(hub.sales_path)
    try:
        [arm] = coupon_groups(conn, 0, clock.now + DAY)
        assert (arm.issued, arm.printed) == (1, 1)
    finally:
        conn.close()
