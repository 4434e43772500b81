"""The demo store's fixed facts: its name and id, time zone, default export
time and the dump's files."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TZ_NAME = "Europe/Oslo"
TZ = ZoneInfo(TZ_NAME)
UTC = dt.timezone.utc
DEFAULT_EXPORT = "2026-11-21T23:00:00Z"
STORE_NAME = "Nordlys Market Oslo"
STORE_ID = "OSL-1"
FILES = ("catalog", "baskets", "upgrades", "bundles", "rules", "customers", "categories")
