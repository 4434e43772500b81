"""What a till with a store hub runs (store.toml [hub]): the pusher that sends its
paid sales (pos.hub.client) and the follower that reads the store's sales
(pos.hub.follow), each on a thread of its own, seen by the till as one link
(pos.till.session.HubLink); and the coupons' question to the hub
(pos.hub.coupons), asked from the till's scan."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..coupons.redeem import HubAnswer
from ..till.config import HubConfig
from .client import UNREACHABLE, HubPusher
from .coupons import HubCoupons
from .follow import HubFollower, store_sales_path


class TillHubLink:
    def __init__(self, pusher: HubPusher, follower: HubFollower,
                 coupons: HubCoupons | None = None) -> None:
        self.pusher, self.follower, self.coupons = pusher, follower, coupons

    @classmethod
    def for_till(cls, hub: HubConfig, journal_path: Path, till: str) -> TillHubLink:
        """The link a till's store.toml [hub] asks for (pos.ui.launch's hub_link)."""
        verify = hub.verify()
        return cls(HubPusher(hub.url, hub.token, journal_path, till, verify=verify),
                   HubFollower(hub.url, hub.token, store_sales_path(journal_path), verify=verify),
                   HubCoupons(hub.url, hub.token, verify=verify))

    @property
    def state(self) -> str:
        return self.pusher.state

    @property
    def store_sales(self) -> Path:
        return self.follower.path

    @property
    def arrivals(self) -> int:
        return self.follower.arrivals

    def wake(self) -> None:
        self.pusher.wake()

    def redeem_coupon(self, code: str, sale_id: str, till: str) -> HubAnswer:
        """Asks the hub to hold coupon `code` for the sale (pos.hub.coupons); without a
        coupons client, or while the pusher finds the hub unreachable, the hub is not
        asked (the cashier does not wait out a timeout at each coupon of an outage)."""
        if self.coupons is None or self.pusher.state == UNREACHABLE:
            return HubAnswer("unreachable")
        return self.coupons.redeem_coupon(code, sale_id, till)

    def start(self, on_change: Callable[[], object] = lambda: None) -> TillHubLink:
        self.pusher.start(on_change)
        self.follower.start(on_change)
        return self

    def stop(self) -> None:
        self.follower.stop()
        self.pusher.stop()
        if self.coupons is not None:
            self.coupons.close()
