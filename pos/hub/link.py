"""What a till with a store hub runs (store.toml [hub]): the pusher that sends its
paid sales (pos.hub.client) and the follower that reads the store's sales
(pos.hub.follow), each on a thread of its own, seen by the till as one link
(pos.till.session.HubLink)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..till.config import HubConfig
from .client import HubPusher
from .follow import HubFollower, store_sales_path


class TillHubLink:
    def __init__(self, pusher: HubPusher, follower: HubFollower) -> None:
        self.pusher, self.follower = pusher, follower

    @classmethod
    def for_till(cls, hub: HubConfig, journal_path: Path, till: str) -> TillHubLink:
        """The link a till's store.toml [hub] asks for (pos.ui.launch's hub_link)."""
        verify = hub.verify()
        return cls(HubPusher(hub.url, hub.token, journal_path, till, verify=verify),
                   HubFollower(hub.url, hub.token, store_sales_path(journal_path), verify=verify))

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

    def start(self, on_change: Callable[[], object] = lambda: None) -> TillHubLink:
        self.pusher.start(on_change)
        self.follower.start(on_change)
        return self

    def stop(self) -> None:
        self.follower.stop()
        self.pusher.stop()
