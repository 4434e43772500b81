"""The till's question to the hub when a next-visit coupon is scanned (docs/hub.md,
`POST /v1/coupons/{code}/redeem`): hold it for this sale, or say who used it.

It is asked from the till's scan, synchronously, so with a short timeout (1 s by
default): the cashier waits at most that long for a hub that does not answer,
then what the till knows decides (pos.coupons.redeem, "unreachable"). Never
raises: every failure is an answer.
"""
from __future__ import annotations

import logging
import ssl
from typing import Any

import httpx

from ..coupons.redeem import (
    HUB_OK,
    HUB_UNKNOWN,
    HUB_UNREACHABLE,
    HUB_USED,
    Coupon,
    FirstUse,
    HubAnswer,
)

log = logging.getLogger("pos.hub.coupons")
TIMEOUT = 1.0


class HubCoupons:
    """Asks the hub at `url` with `token` (`client`: tests give one on the hub's app)."""

    def __init__(self, url: str, token: str, *, client: httpx.Client | None = None,
                 timeout: float = TIMEOUT, verify: ssl.SSLContext | bool = True) -> None:
        self.url = url
        self.client = client or httpx.Client(base_url=url, timeout=timeout, verify=verify)
        self._auth = {"Authorization": f"Bearer {token}"}

    def redeem_coupon(self, code: str, sale_id: str, till: str) -> HubAnswer:
        try:
            r = self.client.post(f"/v1/coupons/{code}/redeem",
                                 json={"sale_id": sale_id, "till": till}, headers=self._auth)
            body: Any = r.json() if r.content else {}
        except (httpx.HTTPError, OSError, RuntimeError, ValueError) as exc:
            log.warning("hub %s: coupon %s not checked (%s): the till decides", self.url, code, exc)
            return HubAnswer(HUB_UNREACHABLE)
        try:
            if r.status_code == 200:
                c = body["coupon"]
                return HubAnswer(HUB_OK, coupon=Coupon(
                    code, c["sku"], c["name"], c.get("percent"), c.get("amount"),
                    float(c["valid_from"]), float(c["valid_to"]), c.get("sale_id") or "",
                    c.get("till") or ""))
            if r.status_code == 409:
                return HubAnswer(HUB_USED, first_use=FirstUse(float(body["first_used_at"]),
                                                              str(body["till"]),
                                                              str(body["sale_id"])))
        except (KeyError, TypeError, ValueError) as exc:
            log.error("hub %s: coupon %s: an answer of an unexpected shape (%s)", self.url,
                      code, exc)
            return HubAnswer(HUB_UNREACHABLE)
        if r.status_code == 404:
            return HubAnswer(HUB_UNKNOWN)
        log.warning("hub %s: coupon %s: %s %s: the till decides", self.url, code,
                    r.status_code, body.get("error") if isinstance(body, dict) else "")
        return HubAnswer(HUB_UNREACHABLE)

    def close(self) -> None:
        self.client.close()
