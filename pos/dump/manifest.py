"""manifest.json: the store's name, currency (and its exponent), locale, timezone and
the export time."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

from ..currency import CurrencyError, check_exponent, iso_exponent
from ..errors import DumpError
from .fields import FieldError, parse_time

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    store_name: str
    currency: str
    exponent: int          # minor units per major unit = 10 ** exponent (pos.currency)
    locale: str
    timezone: str
    export_time: int | None  # UTC seconds; None = take the latest basket's time
    exponent_from: str = "ISO 4217"   # where the exponent was declared

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def read_manifest(dump_dir: Path, configured_exponent: tuple[int, str] | None = None
                  ) -> tuple[Manifest, list[str]]:
    """The manifest (defaults where absent) and notes about the defaults used.
    `configured_exponent`: (exponent, where) from the store's config (store.toml),
    used when the manifest declares none (pos.currency says which wins)."""
    path = dump_dir / "manifest.json"
    notes: list[str] = []
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise DumpError("manifest.json: not valid UTF-8") from None
        except OSError as exc:      # a directory, no permission
            raise DumpError(f"manifest.json: cannot be read ({exc.strerror})") from None
        except json.JSONDecodeError as exc:
            raise DumpError(f"manifest.json:{exc.lineno}: column {exc.colno}: "
                            f"{exc.msg.removesuffix(' at')}") from None
        if not isinstance(data, dict):
            raise DumpError("manifest.json: must hold one JSON object")
    else:
        notes.append("no manifest.json: using currency EUR, locale en, timezone UTC")

    def text(key: str, default: str) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise DumpError(f"manifest.json: {key}: must be a non-empty string")
        return value.strip()

    version = data.get("format_version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise DumpError(f"manifest.json: format_version: {version!r} is not supported "
                        f"(this pos reads version {FORMAT_VERSION})")
    currency = text("currency", "EUR").upper()
    exponent, exponent_from = _exponent(currency, data, configured_exponent)
    locale = text("locale", "en")
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise DumpError(f"manifest.json: locale: '{locale}' is not a known locale") from None
    zone = text("timezone", "UTC")
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise DumpError(f"manifest.json: timezone: '{zone}' is not an IANA time zone") from None
    export_time = None
    if "export_time" in data:
        try:
            export_time = parse_time(text("export_time", ""), tz)
        except FieldError as exc:
            raise DumpError(f"manifest.json: export_time: {exc}") from None
    manifest = Manifest(
        store_name=text("store_name", dump_dir.resolve().name),
        currency=currency,
        exponent=exponent,
        locale=locale,
        timezone=zone,
        export_time=export_time,
        exponent_from=exponent_from,
    )
    return manifest, notes


def _exponent(currency: str, data: dict[str, Any], configured: tuple[int, str] | None) -> tuple[int, str]:
    """The currency's exponent and where it was declared: the manifest's
    `currency_exponent`, else the configured one, else ISO 4217. A manifest and a
    config that disagree refuse the dump: which one is right is head office's call."""
    try:
        iso = iso_exponent(currency)
    except CurrencyError as exc:
        raise DumpError(f"manifest.json: currency: {exc}") from None
    declared = None
    if "currency_exponent" in data:
        try:
            declared = check_exponent(data["currency_exponent"], "manifest.json: currency_exponent")
        except CurrencyError as exc:
            raise DumpError(str(exc)) from None
    if declared is not None and configured is not None and declared != configured[0]:
        raise DumpError(f"manifest.json: currency_exponent: {declared} decimals for {currency}, "
                        f"but {configured[1]} says {configured[0]}; make them agree")
    if declared is not None:
        return declared, "manifest.json"
    if configured is not None:
        return configured[0], configured[1]
    if iso is None:
        raise DumpError(f"manifest.json: currency: {currency} has no minor units in ISO 4217; "
                        "give currency_exponent in the manifest")
    return iso, "ISO 4217"
