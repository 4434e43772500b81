"""manifest.json: the store's name, currency, locale, timezone and the export time."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_precision, list_currencies

from ..errors import DumpError
from .fields import FieldError, parse_time

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Manifest:
    store_name: str
    currency: str
    exponent: int          # minor units per major unit = 10 ** exponent (Babel)
    locale: str
    timezone: str
    export_time: int | None  # UTC seconds; None = take the latest basket's time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def read_manifest(dump_dir: Path) -> tuple[Manifest, list[str]]:
    """The manifest (defaults where absent) and notes about the defaults used."""
    path = dump_dir / "manifest.json"
    notes: list[str] = []
    data: dict = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except UnicodeDecodeError:
            raise DumpError("manifest.json: not valid UTF-8") from None
        except json.JSONDecodeError as exc:
            raise DumpError(f"manifest.json:{exc.lineno}: {exc.msg}") from None
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
    if currency not in list_currencies():
        raise DumpError(f"manifest.json: currency: '{currency}' is not an ISO 4217 currency code")
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
        exponent=get_currency_precision(currency),
        locale=locale,
        timezone=zone,
        export_time=export_time,
    )
    return manifest, notes
