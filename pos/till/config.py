"""The till's configuration: `store.toml` (all optional), checked field by field.

    [till]
    id = "oslo-1"              # part of every sale id: unique per till in the chain
    cashier = "Kari"
    lang = "nb"                # UI, names and reasons; default: the store's language
    [suggestions]
    cards = 3                  # shown at once (1-3)
    per_sale = 9               # distinct suggestions shown in one sale, at most
    last_call = true           # one more card before payment, if a strong one is unseen
    last_call_min_score = 0.3  # what "strong" means (the engine's score)
    [engine]                   # variant = "blend-0.5" forces a scorer (pos.variants; default:
                               # the one the store's nightly backtest chose), and any
                               # pos.EngineConfig field on top of it, e.g. price sensitivity:
    upsell_cap = 0.5           # an upgrade costs at most +50% of the line
    margin_weight = 0.05
    [scanner]
    card_prefixes = ["49"]     # loyalty cards (default: cards the catalog lists)
    country = "NO"             # weight/price labels (default: the store locale's)
    [experiment]               # an A/B test (pos.till.experiments): shares add up to 1
    name = "cards-2026-11"
    [[experiment.arm]]
    name = "control"
    share = 0.2
    suggestions = false
    [[experiment.arm]]
    name = "three-cards"
    share = 0.8
    cards = 3
    margin_weight = 0.0        # any [suggestions] or [engine] field; pitch = false hides pitches
    [hub]                      # the store hub this till sends its paid sales to (docs/hub.md)
    url = "http://10.0.0.5:8700"   # http:// or https://, no path
    token_file = "/etc/pos/hub-token"  # or token = "..." (what `pos hub enroll` printed)
    ca = "hub-ca.pem"          # https: the certificate (or its CA) to trust; default: the system's
    [printer]                  # the receipt printer (docs/receipts.md); none: no receipts
    url = "/dev/ttyUSB0"       # a serial device, or socket://10.0.0.9:9100 (a network printer)
    profile = "epson-tm-t88v-80mm"  # hardware/printers/NAME.json, or a profile file
    timeout = 2.0              # seconds the printer has to answer or take a receipt
    status = true              # ask its status (DLE EOT) first; false for one that never answers
    [coupons]                  # the next-visit coupon on the receipt (docs/receipts.md)
    enabled = true             # default true: offered to identified customers
    anonymous = false          # also to customers not identified (default false)
    percent = 10               # off one unit of the item; or amount = 2000 (minor units)
    valid_days = 14            # days it may be redeemed
    starts_days = 1            # 1: from tomorrow (store's local day); 0: from today
    [currency]                 # read by `pos load --config` only (pos.currency)
    exponent = 2               # the currency's decimals, when the dump's manifest gives none
    [display]                  # the customer (pole) display, 2 x 20 (pos.display; docs/receipts.md)
    url = "/dev/ttyUSB1"       # a device, a pty, or socket://host:port (`pos till --display` overrides)
    protocol = "cd5220"        # or "escpos" (Epson DM-D110/DM-D210)
    code_page = "CP437"        # cd5220: the display's own table; escpos: sent as ESC t (CP858 ...)
    baudrate = 9600
"""
from __future__ import annotations

import socket
import ssl
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .. import variants
from ..currency import CurrencyError, check_exponent
from ..engine_config import EngineConfig
from ..errors import ConfigError
from .experiments import Experiment, ExperimentError, parse_experiment

LANGUAGES = ("en", "nb", "sv", "hu", "he")


@dataclass(frozen=True)
class TillConfig:
    till_id: str = field(default_factory=lambda: socket.gethostname().split(".")[0] or "till")
    cashier: str = ""
    lang: str | None = None
    cards: int = 3
    per_sale: int = 9
    last_call: bool = True
    last_call_min_score: float = 0.3
    engine: EngineConfig = field(default_factory=EngineConfig)
    engine_set: tuple[tuple[str, object], ...] = ()   # the [engine] fields store.toml sets
    variant: str | None = None      # [engine] variant: forces the scorer (None: the store's choice)
    card_prefixes: tuple[str, ...] = ()
    country: str | None = None
    training: bool = False
    experiment: Experiment | None = None
    hub: HubConfig | None = None        # None: no hub, nothing is sent
    printer: PrinterConfig | None = None    # None: no receipt printer, nothing is printed
    display: DisplayConfig | None = None    # None: no customer display
    coupons: CouponConfig = field(default_factory=lambda: CouponConfig())


@dataclass(frozen=True)
class PrinterConfig:
    """[printer]: where the receipts go (a pyserial URL, as the scanner's), the
    printer's profile (name or file: pos.receipt.profile), how long it may take
    to answer, and whether it answers status queries."""
    url: str
    profile: str = "epson-tm-t88v-80mm"
    timeout: float = 2.0
    status: bool = True


@dataclass(frozen=True)
class CouponConfig:
    """[coupons]: whether a paid sale's receipt may carry a next-visit coupon, for whom,
    what it takes off (`percent` of one unit, or `amount` in minor units) and when it
    may be redeemed: from `starts_days` after the day of the sale (the store's local
    day) for `valid_days` days. An experiment arm may switch it (arm field `coupons`)."""
    enabled: bool = True
    anonymous: bool = False
    percent: int | None = 10
    amount: int | None = None
    valid_days: int = 14
    starts_days: int = 1


@dataclass(frozen=True)
class HubConfig:
    """[hub]: where the till sends its paid sales, its token there, and for an https
    hub with a certificate of its own (a shop's LAN), the certificate to trust."""
    url: str
    token: str = field(repr=False)
    ca: Path | None = None

    def verify(self) -> ssl.SSLContext | bool:
        """What the till's HTTP client checks the hub's certificate with."""
        return tls_trust(self.ca)


@dataclass(frozen=True)
class DisplayConfig:
    """[display]: the customer display's port and command set (pos.display.commands)."""
    url: str
    protocol: str = "cd5220"
    code_page: str = "CP437"
    baudrate: int = 9600


def tls_trust(ca: Path | None) -> ssl.SSLContext | bool:
    """How an https hub's certificate is checked: against `ca` (PEM: the hub's own
    certificate or its CA), else (True) the system's certificates. OSError or
    ssl.SSLError when `ca` cannot be used."""
    return True if ca is None else ssl.create_default_context(cafile=str(ca))


_SECTIONS: dict[str, dict[str, tuple[str, type]]] = {
    "till": {"id": ("till_id", str), "cashier": ("cashier", str), "lang": ("lang", str)},
    "suggestions": {"cards": ("cards", int), "per_sale": ("per_sale", int),
                    "last_call": ("last_call", bool),
                    "last_call_min_score": ("last_call_min_score", float)},
    "scanner": {"card_prefixes": ("card_prefixes", list), "country": ("country", str)},
}


def load_config(path: Path | None, **overrides: Any) -> TillConfig:
    """The config from `path` (None: the defaults), then `overrides` (command-line
    options; None values ignored). ConfigError names the file and field."""
    values: dict[str, Any] = {}
    engine: EngineConfig = EngineConfig()
    engine_set: tuple[tuple[str, object], ...] = ()
    variant: str | None = None
    experiment: Experiment | None = None
    hub: HubConfig | None = None
    printer: PrinterConfig | None = None
    display: DisplayConfig | None = None
    if path is not None:
        where = str(path)
        data = _read(path)
        for section, table in data.items():
            if not isinstance(table, dict):
                raise ConfigError(f"{where}: [{section}] must be a table")
            if section == "currency":
                _currency(where, table)
                continue
            if section == "engine":
                engine, engine_set, variant = _engine(where, table)
                continue
            if section == "hub":
                hub = _hub(where, Path(path).parent, table)
                continue
            if section == "printer":
                printer = _printer(where, Path(path).parent, table)
                continue
            if section == "display":
                display = _display(where, table)
                continue
            if section == "coupons":
                values["coupons"] = _coupons(where, table)
                continue
            if section == "experiment":
                try:
                    experiment = parse_experiment(where, table)
                except ExperimentError as exc:
                    raise ConfigError(str(exc)) from None
                continue
            known = _SECTIONS.get(section)
            if known is None:
                sections = [*_SECTIONS, "engine", "experiment", "hub", "printer", "display",
                            "coupons", "currency"]
                raise ConfigError(f"{where}: unknown section [{section}] (known: "
                                  f"{', '.join(sections)})")
            for key, value in table.items():
                if key not in known:
                    raise ConfigError(f"{where}: [{section}] unknown field {key!r} "
                                      f"(known: {', '.join(known)})")
                name, kind = known[key]
                ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
                if kind is float:
                    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
                if not ok:
                    raise ConfigError(f"{where}: [{section}] {key}: a {kind.__name__} expected, "
                                      f"got {value!r}")
                values[name] = tuple(str(v) for v in value) if kind is list else value
    printer_url = overrides.pop("printer", None)
    printer_profile = overrides.pop("printer_profile", None)
    if printer_url is not None:         # `pos till --printer URL` wins over store.toml's
        printer = replace(printer or PrinterConfig(printer_url), url=printer_url)
    if printer_profile is not None:
        if printer is None:
            raise ConfigError("--printer-profile: a printer is needed (--printer URL or "
                              "store.toml [printer] url)")
        printer = replace(printer, profile=_printer_profile("--printer-profile", Path.cwd(),
                                                            printer_profile))
    values.update({k: v for k, v in overrides.items() if v is not None})
    config = replace(TillConfig(), engine=engine, engine_set=engine_set, variant=variant,
                     experiment=experiment, hub=hub, printer=printer, display=display,
                     **values)
    _check(config, path)
    return config


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def _currency(where: str, table: dict[str, Any]) -> int | None:
    for key in table:
        if key != "exponent":
            raise ConfigError(f"{where}: [currency] unknown field {key!r} (known: exponent)")
    if "exponent" not in table:
        return None
    try:
        return check_exponent(table["exponent"], f"{where}: [currency] exponent")
    except CurrencyError as exc:
        raise ConfigError(str(exc)) from None


def currency_exponent(path: Path) -> tuple[int, str] | None:
    """`[currency] exponent` of a store.toml and where it was read, for `pos load`;
    None when the file declares none."""
    table = _read(path).get("currency", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [currency] must be a table")
    exponent = _currency(str(path), table)
    return None if exponent is None else (exponent, f"{path}: [currency] exponent")


def _hub(where: str, folder: Path, table: dict[str, Any]) -> HubConfig:
    """[hub]: `url` and one of `token` or `token_file`, and `ca` (files relative to
    store.toml's folder)."""
    known = ("url", "token", "token_file", "ca")
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"{where}: [hub] unknown field {key!r} (known: {', '.join(known)})")
        if not isinstance(value, str):
            raise ConfigError(f"{where}: [hub] {key}: a str expected, got {value!r}")
    url = table.get("url")
    if url is None:
        raise ConfigError(f"{where}: [hub] url is needed (e.g. \"http://10.0.0.5:8700\")")
    try:
        parts = urlsplit(url)
        parts.port                      # noqa: B018 (a bad port raises here)
    except ValueError as exc:
        raise ConfigError(f"{where}: [hub] url {url!r}: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname \
            or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ConfigError(f"{where}: [hub] url {url!r}: http:// or https://, a host and "
                          f"optionally a port, nothing more (\"http://10.0.0.5:8700\")")
    if ("token" in table) == ("token_file" in table):
        raise ConfigError(f"{where}: [hub] one of token or token_file is needed, not both")
    if "token_file" in table:
        token_path = folder / table["token_file"]
        try:
            token = token_path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{where}: [hub] token_file {token_path}: cannot read "
                              f"({getattr(exc, 'strerror', None) or exc})") from None
        what = f"token_file {token_path}"
    else:
        token, what = table["token"], "token"
    if not token or not token.isprintable() or any(ch.isspace() for ch in token):
        raise ConfigError(f"{where}: [hub] {what}: the till's token, as `pos hub enroll` "
                          f"printed it (one word), is wanted")
    ca = None
    if "ca" in table:
        ca = folder / table["ca"]
        if parts.scheme != "https":
            raise ConfigError(f"{where}: [hub] ca: only for an https:// url")
        try:
            tls_trust(ca)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"{where}: [hub] ca {ca}: not a readable PEM certificate "
                              f"({getattr(exc, 'strerror', None) or exc})") from None
    return HubConfig(url.rstrip("/"), token, ca)


def _printer(where: str, folder: Path, table: dict[str, Any]) -> PrinterConfig:
    """[printer]: `url` (needed), `profile` (a shipped name, or a file relative to
    store.toml's folder), `timeout` and `status`."""
    kinds: dict[str, tuple[type, ...]] = {"url": (str,), "profile": (str,),
                                          "timeout": (int, float), "status": (bool,)}
    for key, value in table.items():
        if key not in kinds:
            raise ConfigError(f"{where}: [printer] unknown field {key!r} "
                              f"(known: {', '.join(kinds)})")
        if not isinstance(value, kinds[key]) or (key == "timeout" and isinstance(value, bool)):
            raise ConfigError(f"{where}: [printer] {key}: a {kinds[key][0].__name__} expected, "
                              f"got {value!r}")
    url = table.get("url")
    if not url:
        raise ConfigError(f"{where}: [printer] url is needed (a device, e.g. \"/dev/ttyUSB0\", "
                          f"or \"socket://10.0.0.9:9100\")")
    timeout = float(table.get("timeout", 2.0))
    if not 0.1 <= timeout <= 30:
        raise ConfigError(f"{where}: [printer] timeout: 0.1 to 30 seconds, not {timeout}")
    profile = _printer_profile(f"{where}: [printer] profile", folder,
                               table.get("profile", PrinterConfig.profile))
    return PrinterConfig(url, profile, timeout, table.get("status", True))


def _printer_profile(where: str, folder: Path, name: str) -> str:
    """A printer profile's name or file (relative to `folder`), checked by reading it."""
    from ..receipt.profile import PrinterProfileError, load_printer_profile
    chosen = str(folder / name) if name.endswith(".json") else name
    try:
        load_printer_profile(chosen)
    except PrinterProfileError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    return chosen


def _display(where: str, table: dict[str, Any]) -> DisplayConfig:
    """[display]: `url` (needed), `protocol`, `code_page`, `baudrate`."""
    from ..display.commands import DisplayConfigError, check
    kinds = {"url": str, "protocol": str, "code_page": str, "baudrate": int}
    for key, value in table.items():
        if key not in kinds:
            raise ConfigError(f"{where}: [display] unknown field {key!r} (known: {', '.join(kinds)})")
        if not isinstance(value, kinds[key]) or isinstance(value, bool):
            raise ConfigError(f"{where}: [display] {key}: a {kinds[key].__name__} expected, got {value!r}")
    if not table.get("url"):
        raise ConfigError(f"{where}: [display] url is needed (a device such as /dev/ttyUSB1, "
                          "or socket://host:port)")
    config = DisplayConfig(**table)
    try:
        check(config.protocol, config.code_page)
    except DisplayConfigError as exc:
        raise ConfigError(f"{where}: [display] {exc}") from None
    if config.baudrate <= 0:
        raise ConfigError(f"{where}: [display] baudrate: a positive rate, not {config.baudrate}")
    return config


_COUPON_FIELDS = {"enabled": bool, "anonymous": bool, "percent": int, "amount": int,
                  "valid_days": int, "starts_days": int}


def _coupons(where: str, table: dict[str, Any]) -> CouponConfig:
    """[coupons]: each field checked; one of `percent` (1-100) and `amount` (minor units)."""
    for key, value in table.items():
        kind = _COUPON_FIELDS.get(key)
        if kind is None:
            raise ConfigError(f"{where}: [coupons] unknown field {key!r} "
                              f"(known: {', '.join(_COUPON_FIELDS)})")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{where}: [coupons] {key}: a {kind.__name__} expected, got {value!r}")
    if "percent" in table and "amount" in table:
        raise ConfigError(f"{where}: [coupons] one of percent and amount, not both")
    values = dict(table)
    if "amount" in values:
        values["percent"] = None
    config = CouponConfig(**values)
    if config.percent is not None and not 1 <= config.percent <= 100:
        raise ConfigError(f"{where}: [coupons] percent: 1 to 100, not {config.percent}")
    if config.amount is not None and config.amount < 1:
        raise ConfigError(f"{where}: [coupons] amount: minor units, at least 1, not {config.amount}")
    if not 1 <= config.valid_days <= 366:
        raise ConfigError(f"{where}: [coupons] valid_days: 1 to 366, not {config.valid_days}")
    if not 0 <= config.starts_days <= 30:
        raise ConfigError(f"{where}: [coupons] starts_days: 0 to 30, not {config.starts_days}")
    return config


def _engine(where: str, table: dict[str, Any]
            ) -> tuple[EngineConfig, tuple[tuple[str, object], ...], str | None]:
    """([engine] as an EngineConfig, the fields it sets, its `variant` or None)."""
    table = dict(table)
    variant = table.pop("variant", None)
    if variant is not None and (not isinstance(variant, str) or not variants.is_variant(variant)):
        raise ConfigError(f"{where}: [engine] variant: {variant!r} is not a scorer variant "
                          f"(one of {', '.join(variants.names(True))})")
    names = {f.name for f in fields(EngineConfig)}
    for key in table:
        if key not in names:
            raise ConfigError(f"{where}: [engine] unknown field {key!r} "
                              f"(known: variant, {', '.join(sorted(names))})")
    try:
        return EngineConfig(**table), tuple(sorted(table.items())), variant
    except ValueError as exc:
        raise ConfigError(f"{where}: [engine] {exc}") from None


def engine_config(config: TillConfig, meta: dict[str, Any]) -> EngineConfig:
    """The till's EngineConfig on a store with this meta: store.toml's forced
    variant, else the one the store's backtest chose (variants.store_choice);
    then the [engine] fields store.toml sets."""
    name = config.variant or variants.store_choice(meta)
    engine_set: dict[str, Any] = dict(config.engine_set)   # EngineConfig checked them on reading
    return replace(variants.config_for(name), **engine_set)


def _check(c: TillConfig, path: Path | None) -> None:
    where = f"{path}: " if path else ""
    if not 1 <= c.cards <= 3:
        raise ConfigError(f"{where}[suggestions] cards: 1 to 3 cards, not {c.cards}")
    if c.per_sale < 0:
        raise ConfigError(f"{where}[suggestions] per_sale: 0 or more, not {c.per_sale}")
    if c.lang is not None and c.lang not in LANGUAGES:
        raise ConfigError(f"{where}lang: one of {', '.join(LANGUAGES)}, not {c.lang!r}")
    if not c.till_id or any(ch in c.till_id for ch in " /\\"):
        raise ConfigError(f"{where}[till] id: a name without spaces or slashes, not {c.till_id!r}")
