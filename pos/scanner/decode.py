"""Decoding a scanner read into what the till acts on: a product code (its
catalog key and any weight, price, count or expiry the code carries), a loyalty
card, or a refusal a cashier understands.

Check digits and GS1 parsing are biip's; this module routes a read by its AIM
symbology identifier, applies the store's configuration (country, card and
in-store prefixes, variable-measure schemes) and never raises.
What is decoded and why: docs/scanner-decoding.md.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from biip import BiipException, ParseConfig
from biip.gs1_digital_link_uris import GS1DigitalLinkURI
from biip.gs1_element_strings import GS1ElementString, GS1ElementStrings
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin, GtinFormat
from biip.rcn import Rcn, RcnRegion, RcnUsage
from biip.upc import Upc

from pos.currency import MAX_EXPONENT
from pos.errors import ConfigError
from pos.i18n import N_
from pos.scanner.schemes import (
    EXAMPLE_SCHEMES,
    SchemeError,
    SchemeMismatch,
    VariableMeasureScheme,
    duplicate_prefix,
    read_scheme,
    scheme_for,
    scheme_from_dict,
    schemes_from_json,
)

__all__ = [
    "CustomerCard", "DecodeConfig", "EXAMPLE_SCHEMES", "ProductCode", "Refusal",
    "SchemeError", "VariableMeasureScheme", "decode", "scheme_from_dict", "schemes_from_json",
]

logger = logging.getLogger(__name__)

# What the cashier reads (Refusal.reason). Refusal.detail says which check failed.
REASON_EMPTY = N_("nothing was read — scan again")
REASON_UNREADABLE = N_("unreadable code — scan again")
REASON_CHECK_DIGIT = N_("check digit wrong — scan again")
REASON_NOT_PRODUCT = N_("not a product barcode — scan the item's barcode")
REASON_BAD_DATA = N_("barcode data not valid — enter the item by hand")
REASON_COUPON = N_("coupon codes are not accepted here")
REASON_REFUND = N_("refund receipts are not accepted here — use the refund function")
REASON_LABEL = N_("weight label not valid for this store")
REASON_LABEL_CHECK = N_("weight/price label misread — scan again or enter the item by hand")
REASONS = (REASON_EMPTY, REASON_UNREADABLE, REASON_CHECK_DIGIT, REASON_NOT_PRODUCT,
           REASON_BAD_DATA, REASON_COUPON, REASON_REFUND, REASON_LABEL, REASON_LABEL_CHECK)

DECODER_ERROR = "decoder error"      # Refusal.detail prefix when the safety net caught a bug
KINDS = ("gtin", "isbn", "issn", "variable-measure", "gs1", "in-store")
BIIP_REGIONS = {region.value.upper(): region for region in RcnRegion}
MAX_TEXT = 1024                      # characters; no product code is near this long

# AIM symbology identifiers (ISO/IEC 15424) this module routes on.
AIM_EAN_UPC = "]E0"                  # EAN-13, UPC-A, UPC-E
AIM_EAN_WITH_ADDON = "]E3"           # the same, followed by a 2- or 5-digit add-on
AIM_EAN_8 = "]E4"
AIM_ADDON_ONLY = ("]E1", "]E2")
AIM_ITF = {"]I0": "ITF", "]I1": "ITF-14"}
AIM_GS1_MESSAGE = {
    "]C1": "GS1-128", "]e0": "GS1 DataBar", "]e1": "GS1 Composite", "]e2": "GS1 Composite",
    "]d2": "GS1 DataMatrix", "]Q3": "GS1 QR Code", "]J1": "GS1 DotCode",
}
AIM_SYMBOLOGY_NAMES = {       # by the letter after ']', for reads that are not GS1 symbologies
    "A": "Code 39", "C": "Code 128", "d": "Data Matrix", "Q": "QR Code", "F": "Codabar",
    "G": "Code 93", "L": "PDF417", "z": "Aztec Code", "I": "ITF", "E": "EAN/UPC",
    "e": "GS1 DataBar", "J": "DotCode", "X": "other symbology",
}
COUPON_AIS = ("255", "8110", "8112")   # GCN and North American coupon codes in GS1 element strings

_AIM = re.compile(r"\]([A-Za-z][0-9A-Za-z])")
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class ProductCode:
    """A read the till looks a product up by: `key` is the 14-digit catalog key."""
    key: str                          # GTIN-14 form; variable-measure: value digits zeroed
    gtin: str                         # the GTIN as read, normalised (8, 12, 13 or 14 digits)
    kind: str                         # one of KINDS
    symbology: str                    # e.g. "EAN-13", "UPC-E", "GS1-128", "GS1 DataMatrix"
    quantity: int | None = None       # a count carried by the code
    weight_g: int | None = None       # net weight in grams
    price_minor: int | None = None    # embedded price in minor units (øre, cent)
    expiry: date | None = None        # AI (17)
    expired: bool = False             # expiry before the config's today
    best_before: date | None = None   # AI (15)


@dataclass(frozen=True)
class CustomerCard:
    """A loyalty card: `card` is the code as scanned (digits), as customers.card holds it."""
    card: str


@dataclass(frozen=True)
class Refusal:
    """A read the till does not act on: `reason` for the cashier, `detail` for logs and IT."""
    reason: str
    detail: str


DecodeResult = ProductCode | CustomerCard | Refusal
ProductRead = ProductCode | Refusal     # what a GTIN decodes to (a card is told by its prefix)


@dataclass(frozen=True)
class DecodeConfig:
    """What decoding needs to know about the store.

    country: ISO 3166 alpha-2; picks biip's variable-measure rules where biip has
      them (DK EE FI DE GB LV LT NO SE); "" = none (only `schemes` apply).
    card_prefixes: a read (digits) starting with one of these is a loyalty card;
      checked before anything else.
    instore_prefixes: None = every company-internal restricted-circulation code
      (GTIN-13 04x / UPC-A 4..., EAN-8 0... and 2...) is an in-store code; a
      tuple = only restricted-circulation codes whose GTIN (as read or in its
      13-digit form) starts with one of these. Never applied to codes with a
      real GS1 prefix.
    schemes: store-defined variable-measure layouts; they win over biip's.
    today: for expiry (None = date.today() at each decode).
    currency_exponent: minor units per major unit as a power of ten (2 for NOK, EUR).
    """
    country: str = "NO"
    card_prefixes: tuple[str, ...] = ()
    instore_prefixes: tuple[str, ...] | None = None
    schemes: tuple[VariableMeasureScheme, ...] = ()
    today: date | None = None
    currency_exponent: int = 2

    def __post_init__(self) -> None:
        country = self.country.strip().upper() if isinstance(self.country, str) else self.country
        if not isinstance(country, str) or not (country == "" or re.fullmatch(r"[A-Z]{2}", country)):
            raise ConfigError(f"field 'country': an ISO 3166 alpha-2 code (e.g. 'NO') or '' "
                              f"expected, got {self.country!r}")
        object.__setattr__(self, "country", country)
        object.__setattr__(self, "card_prefixes", _prefixes("card_prefixes", self.card_prefixes))
        if self.instore_prefixes is not None:
            object.__setattr__(self, "instore_prefixes",
                               _prefixes("instore_prefixes", self.instore_prefixes))
        object.__setattr__(self, "schemes", _schemes(self.schemes))
        today = self.today
        if isinstance(today, datetime):
            today = today.date()
        if today is not None and not isinstance(today, date):
            raise ConfigError(f"field 'today': a datetime.date or None expected, got {today!r}")
        object.__setattr__(self, "today", today)
        exp = self.currency_exponent
        if not isinstance(exp, int) or isinstance(exp, bool) or not 0 <= exp <= MAX_EXPONENT:
            raise ConfigError(f"field 'currency_exponent': an integer from 0 to {MAX_EXPONENT} "
                              f"expected, got {exp!r}")

    @classmethod
    def from_store(cls, meta: dict[str, Any], **overrides: Any) -> DecodeConfig:
        """A config from a store's meta (as pos.store.reader.read_meta returns it):
        country from meta["country"] or the locale's territory ("nb_NO" -> NO;
        none -> ""), currency exponent as the store fixed it (pos.currency).
        Keyword arguments (card_prefixes=..., schemes=...) are passed through."""
        kwargs: dict[str, Any] = {}
        country = meta.get("country") or _territory(meta.get("locale"))
        kwargs["country"] = country or ""
        if meta.get("currency"):
            from ..currency import Currency
            kwargs["currency_exponent"] = Currency.from_meta(meta).exponent
        kwargs.update(overrides)
        return cls(**kwargs)

    def today_or_now(self) -> date:
        return self.today or date.today()


def decode(text: str, symbology: str | None = None,
           config: DecodeConfig | None = None) -> ProductCode | CustomerCard | Refusal:
    """Decode one read. `text`: the data after framing (AIM identifier removed,
    or still in front when `symbology` is None); `symbology`: the AIM identifier
    (e.g. "]E0") or None. Never raises."""
    try:
        return _decode(text, symbology, DEFAULT_CONFIG if config is None else config)
    except Exception as exc:  # noqa: BLE001 — a scan must never take the till down
        logger.exception("decoding %r (%r) failed", text, symbology)
        return Refusal(REASON_UNREADABLE, f"{DECODER_ERROR}: {type(exc).__name__}: {exc}")


# ---------------------------------------------------------------- routing


def _decode(text: object, symbology: object, config: DecodeConfig) -> DecodeResult:
    if not isinstance(config, DecodeConfig):
        raise TypeError(f"config must be a DecodeConfig, got {type(config).__name__}")
    if not isinstance(text, str):
        return Refusal(REASON_UNREADABLE, f"read is not text: {type(text).__name__}")
    aim, text = _split_aim(text.strip(), symbology)
    text = text.strip()
    if not text:
        return Refusal(REASON_EMPTY, "empty read" + (f" (symbology {aim})" if aim else ""))
    if len(text) > MAX_TEXT:
        return Refusal(REASON_UNREADABLE, f"{len(text)} characters; longer than any product code")
    if aim in AIM_ADDON_ONLY:
        return Refusal(REASON_NOT_PRODUCT, f"an EAN add-on read on its own ({aim}): {_show(text)}")
    if text[:8].lower().startswith(("https://", "http://")):
        return _decode_digital_link(text, config)
    if text.startswith("("):
        return _decode_element_strings(text, "GS1 element string (typed)", config, hri=True)
    if aim in AIM_GS1_MESSAGE:
        return _decode_element_strings(text, AIM_GS1_MESSAGE[aim], config)
    if not _DIGITS.fullmatch(text):
        return _decode_non_digits(text, aim, config)

    card = _card(text, config)
    if card is not None:
        return card
    if aim == AIM_EAN_UPC:
        return _decode_ean_upc(text, config)
    if aim == AIM_EAN_WITH_ADDON:
        return _decode_with_addon(text, config)
    if aim == AIM_EAN_8:
        if len(text) != 8:
            return Refusal(REASON_UNREADABLE, f"EAN-8 read ({aim}) of {len(text)} digits: {_show(text)}")
        return _decode_gtin(text, "EAN-8", config)
    if aim in AIM_ITF:
        if len(text) != 14:
            return Refusal(REASON_NOT_PRODUCT, f"{AIM_ITF[aim]} of {len(text)} digits is not a GTIN-14")
        return _decode_gtin(text, "ITF-14", config)
    return _decode_by_length(text, _other_name(aim), config)


def _split_aim(text: str, symbology: object) -> tuple[str | None, str]:
    """(AIM identifier or None, the text without it)."""
    aim = None
    if isinstance(symbology, str) and symbology.strip():
        given = symbology.strip()
        m = _AIM.fullmatch(given) or re.fullmatch(r"([A-Za-z][0-9A-Za-z])", given)
        aim = f"]{m.group(1)}" if m else None
        if aim and text.startswith(aim):        # identifier left in the text as well
            text = text[len(aim):]
    else:
        m = _AIM.match(text)
        if m:
            aim, text = m.group(0), text[m.end():]
    return aim, text


def _other_name(aim: str | None) -> str | None:
    """A symbology name for a non-GS1 AIM identifier, or None (name by length)."""
    if aim is None:
        return None
    return AIM_SYMBOLOGY_NAMES.get(aim[1], f"symbology {aim}")


def _decode_non_digits(text: str, aim: str | None, config: DecodeConfig) -> DecodeResult:
    if "\x1d" in text or (len(text) > 14 and text[:2].isascii() and text[:2].isdigit()):
        return _decode_element_strings(text, "GS1 element string", config, strict=False)
    if not text.isprintable():
        return Refusal(REASON_UNREADABLE, f"control characters in the read: {_show(text)}")
    return Refusal(REASON_NOT_PRODUCT, f"not all digits: {_show(text)}"
                   + (f" (symbology {aim})" if aim else ""))


def _decode_by_length(text: str, name: str | None, config: DecodeConfig) -> DecodeResult:
    n = len(text)
    if n == 8:
        return _decode_eight(text, name, config)
    if n in (12, 13, 14):
        return _decode_gtin(text, name or {12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}[n], config)
    if n > 14:
        return _decode_element_strings(text, "GS1 element string", config, strict=False)
    return Refusal(REASON_NOT_PRODUCT, f"{n} digits; a product barcode has 8, 12, 13 or 14: {_show(text)}")


def _decode_ean_upc(text: str, config: DecodeConfig) -> DecodeResult:
    """]E0: EAN-13, UPC-A (12 digits, or 13 with a leading 0) or UPC-E (6-8 digits)."""
    if len(text) in (12, 13):
        return _decode_gtin(text, "EAN-13" if len(text) == 13 else "UPC-A", config)
    if len(text) in (6, 7, 8):
        return _decode_upce(text, config)
    return Refusal(REASON_UNREADABLE, f"EAN/UPC read ({AIM_EAN_UPC}) of {len(text)} digits: {_show(text)}")


def _decode_with_addon(text: str, config: DecodeConfig) -> DecodeResult:
    """]E3: the main code followed by a 2- or 5-digit add-on (dropped: the catalog has no use for it)."""
    for main in (13, 12, 8):
        if len(text) - main in (0, 2, 5):
            return _decode_ean_upc(text[:main], config)
    return Refusal(REASON_UNREADABLE, f"EAN/UPC with add-on ({AIM_EAN_WITH_ADDON}) of "
                                      f"{len(text)} digits: {_show(text)}")


def _decode_eight(text: str, name: str | None, config: DecodeConfig) -> DecodeResult:
    """8 digits without an EAN AIM identifier: EAN-8 when its check digit is right, else UPC-E."""
    ean8 = _decode_gtin(text, name or "EAN-8", config)
    if not (isinstance(ean8, Refusal) and ean8.reason == REASON_CHECK_DIGIT) or text[0] not in "01":
        return ean8
    upce = _decode_upce(text, config, name)
    if isinstance(upce, Refusal) and upce.reason == REASON_CHECK_DIGIT:
        return Refusal(REASON_CHECK_DIGIT, f"as EAN-8: {ean8.detail}; as UPC-E: {upce.detail}")
    return upce


# ---------------------------------------------------------------- GTINs


def _parse_gtin(text: str) -> Gtin | Refusal:
    if text.strip("0") == "":
        return Refusal(REASON_NOT_PRODUCT, f"all zeros: {_show(text)}")
    try:
        return Gtin.parse(text)
    except BiipException as exc:
        return Refusal(REASON_CHECK_DIGIT, str(exc))


def _decode_gtin(text: str, name: str, config: DecodeConfig) -> DecodeResult:
    gtin = _parse_gtin(text)
    if isinstance(gtin, Refusal):
        return gtin
    if name == "EAN-13" and gtin.format == GtinFormat.GTIN_12:
        name = "UPC-A"     # a UPC-A sent in its 13-digit form
    return _classify(gtin, name, config)


def _decode_upce(text: str, config: DecodeConfig, name: str | None = None) -> DecodeResult:
    try:
        upca = Upc.parse(text).as_upc_a()
    except BiipException as exc:
        reason = REASON_CHECK_DIGIT if "check digit" in str(exc) else REASON_UNREADABLE
        return Refusal(reason, str(exc))
    gtin = _parse_gtin(upca)
    if isinstance(gtin, Refusal):
        return gtin
    return _classify(gtin, name or "UPC-E", config)


def _classify(gtin: Gtin, name: str, config: DecodeConfig) -> ProductRead:
    """A GTIN with a verified check digit, by what its prefix says and the store's config."""
    as_read = f"{gtin.payload}{gtin.check_digit}"
    product = ProductCode(key=gtin.as_gtin_14(), gtin=as_read, kind="gtin", symbology=name)
    if gtin.format == GtinFormat.GTIN_14:
        return product     # a trade unit (case, variable-measure trade item): looked up as is
    code13 = gtin.as_gtin_13() if gtin.format != GtinFormat.GTIN_8 else None
    usage = gtin.usage if isinstance(gtin, Rcn) else None
    gs1_prefix = gtin.prefix
    prefix_usage = gs1_prefix.usage if gs1_prefix is not None else ""

    scheme = scheme_for(config.schemes, code13) if code13 else None
    if scheme is not None and code13:
        return _with_scheme(product, scheme, code13, config)
    if usage is not None and _is_instore(config, as_read, code13, usage):
        return replace(product, kind="in-store")
    if gs1_prefix is not None and "coupon" in prefix_usage.lower():
        return Refusal(REASON_COUPON, f"{as_read}: GS1 prefix {gs1_prefix.value} ({prefix_usage})")
    if gs1_prefix is not None and "refund" in prefix_usage.lower():
        return Refusal(REASON_REFUND, f"{as_read}: GS1 prefix {gs1_prefix.value} ({prefix_usage})")
    if usage == RcnUsage.GEOGRAPHICAL:
        return _with_biip_region(product, config)
    if usage == RcnUsage.COMPANY:
        return Refusal(REASON_NOT_PRODUCT,
                       f"{as_read}: company-internal code not among the store's in-store "
                       f"prefixes {list(config.instore_prefixes or ())}")
    if "ISBN" in prefix_usage:
        return replace(product, kind="isbn")
    if "ISSN" in prefix_usage:
        return replace(product, kind="issn")
    return product


def _is_instore(config: DecodeConfig, as_read: str, code13: str | None, usage: RcnUsage) -> bool:
    if config.instore_prefixes is None:
        return usage == RcnUsage.COMPANY
    return any(as_read.startswith(p) or (code13 is not None and code13.startswith(p))
               for p in config.instore_prefixes)


def _with_scheme(product: ProductCode, scheme: VariableMeasureScheme, code13: str,
                 config: DecodeConfig) -> ProductRead:
    try:
        reading = read_scheme(scheme, code13)
    except SchemeMismatch as exc:
        return Refusal(REASON_LABEL_CHECK, str(exc))
    return _with_measure(replace(product, key=reading.key13.zfill(14), kind="variable-measure"),
                         reading.kind, reading.value, config)


def _with_biip_region(product: ProductCode, config: DecodeConfig) -> ProductRead:
    region = BIIP_REGIONS.get(config.country)
    prefix = product.key[1:3]
    if region is None:
        return Refusal(REASON_LABEL, f"{product.gtin}: no variable-measure layout for prefix {prefix} "
                                     f"in country {config.country or '(none)'}; biip knows "
                                     f"{', '.join(sorted(BIIP_REGIONS))}; a store scheme can define it")
    try:
        rcn = Gtin.parse(product.gtin, config=ParseConfig(rcn_region=region))
    except BiipException as exc:
        return Refusal(REASON_LABEL_CHECK, str(exc))
    if not isinstance(rcn, Rcn) or (rcn.weight is None and rcn.price is None and rcn.count is None):
        return Refusal(REASON_LABEL, f"{product.gtin}: biip has no {config.country} layout for "
                                     f"prefix {prefix}; a store scheme can define it")
    try:
        key = rcn.without_variable_measure().as_gtin_14()
    except BiipException as exc:
        return Refusal(REASON_LABEL, str(exc))
    product = replace(product, key=key, kind="variable-measure")
    if rcn.weight is not None:
        return _with_measure(product, "weight", rcn.weight, config)
    if rcn.price is not None:
        return _with_measure(product, "price", rcn.price, config)
    assert rcn.count is not None        # one of the three is there (checked above)
    return _with_measure(product, "count", Decimal(rcn.count), config)


def _with_measure(product: ProductCode, kind: str, value: Decimal, config: DecodeConfig) -> ProductCode:
    if kind == "weight":
        return replace(product, weight_g=_whole(value.scaleb(3)))
    if kind == "price":
        return replace(product, price_minor=_whole(value.scaleb(config.currency_exponent)))
    return replace(product, quantity=_whole(value))


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _card(text: str, config: DecodeConfig) -> DecodeResult | None:
    prefix = next((p for p in config.card_prefixes if text.startswith(p) and len(text) > len(p)), None)
    if prefix is None:
        return None
    if len(text) in (8, 12, 13, 14):
        try:
            Gtin.parse(text)
        except BiipException as exc:
            return Refusal(REASON_CHECK_DIGIT, f"loyalty card (prefix {prefix}): {exc}")
    return CustomerCard(text)


# ---------------------------------------------------------------- GS1 element strings


def _decode_element_strings(text: str, name: str, config: DecodeConfig, *,
                            hri: bool = False, strict: bool = True) -> DecodeResult:
    """A GS1 message (FNC1 separators as GS), or its typed "(01)...(17)..." form.
    strict: the symbology said GS1, so a message that does not parse is bad data;
    otherwise the read was only tried as one and is not a product barcode."""
    try:
        message = GS1Message.parse_hri(text) if hri else GS1Message.parse(text)
    except (BiipException, ValueError) as exc:
        reason = REASON_BAD_DATA if strict or hri else REASON_NOT_PRODUCT
        return Refusal(reason, f"not a GS1 element string: {exc}")
    return _from_element_strings(message.element_strings, name, config)


def _decode_digital_link(text: str, config: DecodeConfig) -> DecodeResult:
    try:
        link = GS1DigitalLinkURI.parse(text)
    except (BiipException, ValueError) as exc:
        return Refusal(REASON_NOT_PRODUCT, f"a web address, not a GS1 Digital Link: {exc}")
    return _from_element_strings(link.element_strings, "GS1 Digital Link", config)


def _from_element_strings(elements: GS1ElementStrings, name: str, config: DecodeConfig) -> DecodeResult:
    ais = [e.ai.ai for e in elements]
    if any(ai in COUPON_AIS for ai in ais):
        return Refusal(REASON_COUPON, f"{name} with coupon AIs {ais}")
    gtin_element = _element(elements, "01")
    if gtin_element is None:
        what = ("an SSCC shipping label" if "00" in ais else
                "the contents of a logistic unit" if "02" in ais else "no GTIN (01)")
        return Refusal(REASON_NOT_PRODUCT, f"{name}: {what}; AIs {ais}")
    if gtin_element.gtin is None:
        return Refusal(REASON_CHECK_DIGIT, f"{name} (01): {gtin_element.gtin_error}")
    if gtin_element.gtin.payload.strip("0") == "":
        return Refusal(REASON_NOT_PRODUCT, f"{name} (01): all zeros")
    base = _classify(gtin_element.gtin, name, config)
    if isinstance(base, Refusal):
        return base
    kind = "gs1" if base.kind in ("gtin", "isbn", "issn") else base.kind
    weight = next((e for e in elements if e.ai.ai.startswith("310")), None)
    price = next((e for e in elements if e.ai.ai.startswith("392")), None)
    count = _element(elements, "30")
    expiry = _element(elements, "17")
    best_before = _element(elements, "15")
    expiry_date = expiry.date if expiry is not None else None
    return replace(
        base,
        kind=kind,
        weight_g=_whole(weight.decimal.scaleb(3)) if weight is not None and weight.decimal is not None
        else base.weight_g,
        price_minor=_whole(price.decimal.scaleb(config.currency_exponent))
        if price is not None and price.decimal is not None else base.price_minor,
        quantity=int(count.value) if count is not None and count.value.isdigit() else base.quantity,
        expiry=expiry_date,
        expired=expiry_date is not None and expiry_date < config.today_or_now(),
        best_before=best_before.date if best_before is not None else None,
    )


def _element(elements: GS1ElementStrings, ai: str) -> GS1ElementString | None:
    return next((e for e in elements if e.ai.ai == ai), None)


# ---------------------------------------------------------------- config helpers


def _prefixes(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (tuple, list)):
        raise ConfigError(f"field {name!r}: a list of digit prefixes expected, got {value!r}")
    for p in value:
        if not isinstance(p, str) or not _DIGITS.fullmatch(p):
            raise ConfigError(f"field {name!r}: prefix {p!r} is not digits")
    return tuple(value)


def _schemes(value: object) -> tuple[VariableMeasureScheme, ...]:
    if isinstance(value, (str, dict)) or not isinstance(value, (tuple, list)):
        raise ConfigError(f"field 'schemes': a list of VariableMeasureScheme expected, got {value!r}")
    schemes = []
    for i, s in enumerate(value):
        if isinstance(s, dict):
            try:
                s = scheme_from_dict(s, f"schemes[{i}]")
            except SchemeError as exc:
                raise ConfigError(f"field {exc}") from None
        if not isinstance(s, VariableMeasureScheme):
            raise ConfigError(f"field 'schemes': item {i} is not a VariableMeasureScheme: {s!r}")
        schemes.append(s)
    schemes_t = tuple(schemes)
    duplicate = duplicate_prefix(schemes_t)
    if duplicate:
        raise ConfigError(f"field 'schemes': two schemes for prefix {duplicate!r}")
    return schemes_t


def _territory(locale: object) -> str:
    """'NO' for 'nb_NO' (or 'nb-NO', 'nb_NO.UTF-8'); '' when the locale names no territory."""
    if not isinstance(locale, str) or not locale:
        return ""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(locale.split(".")[0].replace("-", "_")).territory or ""
    except (UnknownLocaleError, ValueError, TypeError):
        return ""


def _show(text: str, limit: int = 60) -> str:
    """The read for a log line: repr, shortened."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


DEFAULT_CONFIG = DecodeConfig()
