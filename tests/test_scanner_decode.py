"""Decoding scanner reads (pos.scanner.decode): real codes of every format and
scheme, wrong ones, the store config, and properties over any text."""
from __future__ import annotations

import importlib.util
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from biip import ParseError
from biip.checksums import gs1_price_weight_check_digit, gs1_standard_check_digit
from biip.gtin import Gtin
from hypothesis import given, settings
from hypothesis import strategies as st

from pos.dump.gtin import BarcodeError, normalize_gtin
from pos.scanner.decode import (
    DECODER_ERROR,
    REASON_BAD_DATA,
    REASON_CHECK_DIGIT,
    REASON_COUPON,
    REASON_EMPTY,
    REASON_LABEL,
    REASON_LABEL_CHECK,
    REASON_NOT_PRODUCT,
    REASON_REFUND,
    REASON_UNREADABLE,
    ConfigError,
    CustomerCard,
    DecodeConfig,
    ProductCode,
    Refusal,
    VariableMeasureScheme,
    decode,
)
from pos.scanner.schemes import EXAMPLE_SCHEMES, SchemeError, scheme_from_dict, schemes_from_json

ROOT = Path(__file__).resolve().parents[1]
GS = "\x1d"
TODAY = date(2026, 11, 21)
NO = DecodeConfig(country="NO", card_prefixes=("49",), instore_prefixes=("40", "41"), today=TODAY)
DEFAULT = DecodeConfig(today=TODAY)
DE = DecodeConfig(country="DE", today=TODAY)
GB = DecodeConfig(country="GB", today=TODAY)
SE = DecodeConfig(country="SE", today=TODAY)
HU = DecodeConfig(country="HU", schemes=EXAMPLE_SCHEMES["HU"], today=TODAY)
IL = DecodeConfig(country="IL", schemes=EXAMPLE_SCHEMES["IL"], today=TODAY)
CONFIGS = {"NO": NO, "DEFAULT": DEFAULT, "DE": DE, "GB": GB, "SE": SE, "HU": HU, "IL": IL}


def with_check(body: str) -> str:
    """body + its GS1 check digit (biip's arithmetic), for building codes in tests."""
    return body + str(gs1_standard_check_digit(body))


def is_valid_gtin(code: str) -> bool:
    try:
        Gtin.parse(code)
    except ParseError:
        return False
    return True


# ---------------------------------------------------------------- plain GTINs

GTINS = [
    # text, symbology, key, gtin, kind, symbology name
    ("5901234123457", None, "05901234123457", "5901234123457", "gtin", "EAN-13"),
    ("7071234000015", "]E0", "07071234000015", "7071234000015", "gtin", "EAN-13"),
    ("036000291452", None, "00036000291452", "036000291452", "gtin", "UPC-A"),
    ("0036000291452", "]E0", "00036000291452", "036000291452", "gtin", "UPC-A"),
    ("036000291452", "]E0", "00036000291452", "036000291452", "gtin", "UPC-A"),
    ("04252614", None, "00042100005264", "042100005264", "gtin", "UPC-E"),
    ("04252614", "]E0", "00042100005264", "042100005264", "gtin", "UPC-E"),
    ("0425261", "]E0", "00042100005264", "042100005264", "gtin", "UPC-E"),     # no check digit sent
    ("425261", "]E0", "00042100005264", "042100005264", "gtin", "UPC-E"),      # nor number system
    ("01234565", "]E0", "00012345000065", "012345000065", "gtin", "UPC-E"),    # ]E0: UPC-E, not EAN-8
    ("96385074", None, "00000096385074", "96385074", "gtin", "EAN-8"),
    ("96385074", "]E4", "00000096385074", "96385074", "gtin", "EAN-8"),
    ("9780306406157", None, "09780306406157", "9780306406157", "isbn", "EAN-13"),
    ("9791032300824", None, "09791032300824", "9791032300824", "isbn", "EAN-13"),
    ("9790060115615", "]E0", "09790060115615", "9790060115615", "isbn", "EAN-13"),   # ISMN
    ("9771234567003", None, "09771234567003", "9771234567003", "issn", "EAN-13"),
    ("978030640615751299", "]E3", "09780306406157", "9780306406157", "isbn", "EAN-13"),  # 5-digit add-on
    ("977123456700302", "]E3", "09771234567003", "9771234567003", "issn", "EAN-13"),     # 2-digit add-on
    ("10012345678902", None, "10012345678902", "10012345678902", "gtin", "GTIN-14"),
    ("10012345678902", "]I1", "10012345678902", "10012345678902", "gtin", "ITF-14"),
    ("97071234000018", None, "97071234000018", "97071234000018", "gtin", "GTIN-14"),
    ("00012345678905", None, "00012345678905", "012345678905", "gtin", "GTIN-14"),
    ("4012345000009", None, "04012345000009", "4012345000009", "gtin", "EAN-13"),  # GS1 Germany, not in-store
    ("5901234123457", "]C0", "05901234123457", "5901234123457", "gtin", "Code 128"),
    ("]E05901234123457", None, "05901234123457", "5901234123457", "gtin", "EAN-13"),  # AIM left in the text
    ("  5901234123457\r\n", None, "05901234123457", "5901234123457", "gtin", "EAN-13"),
    ("5901234123457", "E0", "05901234123457", "5901234123457", "gtin", "EAN-13"),
]


@pytest.mark.parametrize("text, symbology, key, gtin, kind, name", GTINS)
def test_gtins_decode_to_their_catalog_key(text, symbology, key, gtin, kind, name):
    result = decode(text, symbology, NO)
    assert result == ProductCode(key=key, gtin=gtin, kind=kind, symbology=name)


@pytest.mark.parametrize("text, symbology, key, gtin, kind, name", GTINS)
def test_the_tables_codes_are_real(text, symbology, key, gtin, kind, name):
    assert is_valid_gtin(key) and is_valid_gtin(gtin)


@pytest.mark.parametrize("code", ["5901234123457", "036000291452", "04252614", "96385074",
                                  "01234565", "10012345678902", "2300420000009"])
def test_key_is_what_the_catalog_stores(code):
    result = decode(code, None, DEFAULT)
    assert isinstance(result, ProductCode)
    assert result.key == normalize_gtin(code)


def test_eight_digits_without_aim_prefer_ean8_like_the_catalog():
    # valid both as EAN-8 (a company-internal RCN-8) and as UPC-E: EAN-8 wins
    assert decode("01234565", None, DEFAULT) == ProductCode(
        key="00000001234565", gtin="01234565", kind="in-store", symbology="EAN-8")
    assert normalize_gtin("01234565") == "00000001234565"


# ---------------------------------------------------------------- variable measure

VARIABLE = [
    # config, code, key, weight_g, price_minor, quantity
    ("NO", "2300420012507", "02300420000009", 1250, None, None),  # BANANA of docs/dump-format.md
    ("NO", "2400420001256", "02400420000006", 1250, None, None),  # 1.25 kg (2 decimals)
    ("NO", "2500420000126", "02500420000003", 1200, None, None),  # 1.2 kg (1 decimal)
    ("NO", "2000420024905", "02000420000008", None, 2490, None),  # kr 24.90
    ("NO", "2100420002498", "02100420000005", None, 2490, None),  # kr 24.9
    ("NO", "2200420000255", "02200420000002", None, 2500, None),  # kr 25
    ("SE", "2312345607553", "02312345600004", 755, None, None),
    ("DE", "2812347012503", "02812340000002", 1250, None, None),  # weight with verifier 7
    ("DE", "2912349007504", "02912340000009", 750, None, None),
    ("DE", "2212341002997", "02212340000000", None, 299, None),   # € 2.99
    ("DE", "2512342000061", "02512340000001", None, None, 6),     # count
    ("GB", "2012345303508", "02012345000001", None, 350, None),   # £3.50, 4-digit verifier 3
    ("HU", "2012345012509", "02012345000001", 1250, None, None),  # store scheme (example)
    ("HU", "2112345019901", "02112345000008", None, 199000, None),  # 1990 Ft
    ("IL", "2012345912908", "02012345000001", None, 1290, None),  # ₪12.90, gs1-4 verifier
    ("IL", "2912347012500", "02912340000009", 1250, None, None),  # gs1-5 verifier
]


@pytest.mark.parametrize("country, code, key, weight_g, price_minor, quantity", VARIABLE)
def test_variable_measure_labels(country, code, key, weight_g, price_minor, quantity):
    assert is_valid_gtin(code) and is_valid_gtin(key)
    result = decode(code, "]E0", CONFIGS[country])
    assert result == ProductCode(key=key, gtin=code, kind="variable-measure", symbology="EAN-13",
                                 quantity=quantity, weight_g=weight_g, price_minor=price_minor)


def test_weight_label_values_built_with_biip_check_digits():
    value = "01250"
    verifier = gs1_price_weight_check_digit(value)
    code = with_check(f"281234{verifier}{value}")
    assert code == "2812347012503"
    assert decode(code, None, DE).weight_g == 1250


@pytest.mark.parametrize("country, code, reason", [
    ("DE", "2812340012500", REASON_LABEL_CHECK),   # verifier 0, should be 7
    ("GB", "2012345403505", REASON_LABEL_CHECK),   # verifier 4, should be 3
    ("IL", "2912348012509", REASON_LABEL_CHECK),   # verifier 8, should be 7
    ("NO", "2900000010017", REASON_LABEL),         # no Norwegian layout for prefix 29
    ("GB", "2312345003508", REASON_LABEL),         # GB defines only prefix 20
    ("HU", "2312345019905", REASON_LABEL),         # no scheme for 23 in the HU example
    ("DEFAULT", "212345019900", REASON_LABEL),     # UPC-A number system 2: no US rules
])
def test_bad_or_unknown_weight_labels_are_refused(country, code, reason):
    assert is_valid_gtin(code)      # the GTIN check digit is right: only the label is wrong
    result = decode(code, None, CONFIGS[country])
    assert isinstance(result, Refusal) and result.reason == reason, result


def test_country_without_rules_refuses_labels():
    result = decode("2012345012509", None, DecodeConfig(country="HU"))
    assert result.reason == REASON_LABEL
    assert "HU" in result.detail and "scheme" in result.detail


def test_store_scheme_wins_over_biip():
    ours = VariableMeasureScheme(prefix="23", layout="PPIIIIIVVVVVK", kind="weight", decimals=3)
    cfg = DecodeConfig(country="NO", schemes=(ours,))
    code = with_check("231234567890")
    assert decode(code, None, NO).weight_g == 7890             # biip: item 234567, 4-digit weight
    assert decode(code, None, NO).key == with_check("231234560000").zfill(14)
    assert decode(code, None, cfg).weight_g == 67890           # ours: item 12345, 5-digit weight
    assert decode(code, None, cfg).key == with_check("231234500000").zfill(14)


def test_longest_scheme_prefix_wins():
    broad = VariableMeasureScheme(prefix="2", layout="PIIIIIIVVVVVK", kind="weight", decimals=3)
    narrow = VariableMeasureScheme(prefix="21", layout="PPIIIIIVVVVVK", kind="price", decimals=0)
    cfg = DecodeConfig(country="", schemes=(broad, narrow))
    assert decode(with_check("211234501990"), None, cfg).price_minor == 199000
    assert decode(with_check("271234501990"), None, cfg).weight_g == 1990


def test_price_rounds_half_up_to_the_currency():
    cfg = DecodeConfig(country="NO", currency_exponent=0)
    assert decode("2000420024905", None, cfg).price_minor == 25      # kr 24.90 with no minor unit


# ---------------------------------------------------------------- GS1 element strings

ELEMENT_STRINGS = [
    # text, symbology, expected fields
    ("0107071234000015" "3103001250" "17261231", "]C1",
     dict(symbology="GS1-128", weight_g=1250, expiry=date(2026, 12, 31), expired=False)),
    ("0107071234000015", "]e0", dict(symbology="GS1 DataBar")),
    ("0107071234000015" "17261120" "10ABC123", "]d2",
     dict(symbology="GS1 DataMatrix", expiry=date(2026, 11, 20), expired=True)),
    ("0107071234000015" "17261121", "]d2", dict(symbology="GS1 DataMatrix", expiry=TODAY, expired=False)),
    ("0107071234000015" "3922" "2490" + GS + "17261231", "]Q3",
     dict(symbology="GS1 QR Code", price_minor=2490, expiry=date(2026, 12, 31))),
    ("0107071234000015" "10ABC" + GS + "17261100", "]C1",
     dict(symbology="GS1-128", expiry=date(2026, 11, 30), expired=False)),      # day 00: end of month
    ("0107071234000015" "15261231", "]C1", dict(symbology="GS1-128", best_before=date(2026, 12, 31))),
    ("0107071234000015" "3012", "]C1", dict(symbology="GS1-128", quantity=12)),
    ("0107071234000015" "3102000125", "]C1", dict(symbology="GS1-128", weight_g=1250)),
    ("0107071234000015" "3105001234", "]C1", dict(symbology="GS1-128", weight_g=12)),   # 12.34 g
    ("]C10107071234000015" "3103001250", None, dict(symbology="GS1-128", weight_g=1250)),
    ("(01)07071234000015(3103)001250(17)261231", None,
     dict(symbology="GS1 element string (typed)", weight_g=1250, expiry=date(2026, 12, 31))),
    ("(01) 07071234000015 (17) 261231", None,
     dict(symbology="GS1 element string (typed)", expiry=date(2026, 12, 31))),
    ("0107071234000015" "10ABC" + GS + "17261231", None,
     dict(symbology="GS1 element string", expiry=date(2026, 12, 31))),
    ("0107071234000015" "17261231", None, dict(symbology="GS1 element string", expiry=date(2026, 12, 31))),
    ("https://id.gs1.org/01/07071234000015/10/ABC?17=261231", None,
     dict(symbology="GS1 Digital Link", expiry=date(2026, 12, 31))),
]


@pytest.mark.parametrize("text, symbology, fields", ELEMENT_STRINGS)
def test_gs1_element_strings(text, symbology, fields):
    expected = ProductCode(key="07071234000015", gtin="7071234000015", kind="gs1", symbology="")
    assert decode(text, symbology, NO) == replace(expected, **fields)


def test_gs1_variable_measure_trade_item():
    result = decode("0197071234000018" "3103000755" "3922" "1990", "]e0", NO)
    assert result == ProductCode(key="97071234000018", gtin="97071234000018", kind="gs1",
                                 symbology="GS1 DataBar", weight_g=755, price_minor=1990)


def test_gs1_with_an_rcn_keeps_its_kind_and_zeroed_key():
    result = decode("0102300420012507" "17261231", "]C1", NO)
    assert result.kind == "variable-measure" and result.key == "02300420000009"
    assert result.weight_g == 1250 and result.expiry == date(2026, 12, 31)


def test_expired_uses_today_when_not_configured():
    result = decode("0107071234000015" "17200101", "]C1", DecodeConfig())
    assert result.expiry == date(2020, 1, 1) and result.expired


# ---------------------------------------------------------------- refusals

REFUSALS = [
    # text, symbology, config, reason
    ("5901234123458", None, "NO", REASON_CHECK_DIGIT),
    ("5901234123458", "]E0", "NO", REASON_CHECK_DIGIT),
    ("036000291453", None, "NO", REASON_CHECK_DIGIT),
    ("96385075", None, "NO", REASON_CHECK_DIGIT),          # EAN-8 wrong, and 9... is no UPC-E
    ("04252615", None, "NO", REASON_CHECK_DIGIT),          # wrong as EAN-8 and as UPC-E
    ("04252614", "]E4", "NO", REASON_CHECK_DIGIT),         # ]E4: EAN-8 only
    ("10012345678903", "]I1", "NO", REASON_CHECK_DIGIT),
    ("59012341234", None, "NO", REASON_NOT_PRODUCT),        # 11 digits
    ("123", None, "NO", REASON_NOT_PRODUCT),
    ("590123412345X", None, "NO", REASON_NOT_PRODUCT),      # letters
    ("HELLO WORLD", "]A0", "NO", REASON_NOT_PRODUCT),
    ("12345", "]E1", "NO", REASON_NOT_PRODUCT),              # an add-on alone
    ("590123412345", "]I1", "NO", REASON_NOT_PRODUCT),       # ITF of 12 digits
    ("00000000", None, "NO", REASON_NOT_PRODUCT),
    ("0000000000000", "]E0", "NO", REASON_NOT_PRODUCT),
    ("https://example.com/menu", "]Q1", "NO", REASON_NOT_PRODUCT),
    ("0422222222228", None, "NO", REASON_NOT_PRODUCT),       # company-internal, not one of ours
    ("20123451", None, "NO", REASON_NOT_PRODUCT),            # RCN-8, not one of ours
    ("", None, "NO", REASON_EMPTY),
    ("   \r\n", None, "NO", REASON_EMPTY),
    ("", "]E0", "NO", REASON_EMPTY),
    ("]E0", None, "NO", REASON_EMPTY),
    ("\x00\x01\x02", None, "NO", REASON_UNREADABLE),
    ("1" * 5000, None, "NO", REASON_UNREADABLE),
    ("59012341234570", "]E0", "NO", REASON_UNREADABLE),      # 14 digits cannot be EAN/UPC
    ("5901234", "]E4", "NO", REASON_UNREADABLE),
    ("9810000000006", None, "NO", REASON_COUPON),
    ("9820000000005", "]E0", "NO", REASON_COUPON),
    ("9900000000004", None, "NO", REASON_COUPON),
    ("0107071234000015" "8110106141416543213500110000310123196000", "]e0", "NO", REASON_COUPON),
    ("9800000000007", None, "NO", REASON_REFUND),
    ("0107071234000016" "3103001250", "]C1", "NO", REASON_CHECK_DIGIT),   # bad (01)
    ("0107071234000015" "17261399", "]C1", "NO", REASON_BAD_DATA),        # month 13
    ("5901234123457", "]C1", "NO", REASON_BAD_DATA),                      # not an element string
    ("(01)0707123400001", None, "NO", REASON_BAD_DATA),
    ("00123456789012345675", "]C1", "NO", REASON_NOT_PRODUCT),            # SSCC shipping label
    ("3103001250", "]C1", "NO", REASON_NOT_PRODUCT),                      # no (01)
    ("12345678901234567890", None, "NO", REASON_NOT_PRODUCT),
]


@pytest.mark.parametrize("text, symbology, config, reason", REFUSALS)
def test_refusals(text, symbology, config, reason):
    result = decode(text, symbology, CONFIGS[config])
    assert isinstance(result, Refusal), result
    assert result.reason == reason, result
    assert result.detail and not result.detail.startswith(DECODER_ERROR)


def test_refusal_detail_names_the_failed_check():
    result = decode("5901234123458", None, NO)
    assert "Expected 7, got 8" in result.detail
    eight = decode("04252615", None, NO)
    assert "EAN-8" in eight.detail and "UPC-E" in eight.detail


# ---------------------------------------------------------------- cards and in-store codes

def test_card_prefix_makes_a_customer_card():
    assert decode("4900000000009", None, NO) == CustomerCard("4900000000009")
    assert decode("4900000000009", "]E0", NO) == CustomerCard("4900000000009")
    assert decode("4912345", None, NO) == CustomerCard("4912345")          # not a GTIN length: no check
    assert decode("4912345678901234", None, NO) == CustomerCard("4912345678901234")


def test_card_with_a_wrong_check_digit_is_refused():
    result = decode("4900000000005", None, NO)
    assert result.reason == REASON_CHECK_DIGIT and "loyalty card" in result.detail


def test_cards_are_checked_before_variable_measure():
    cfg = DecodeConfig(country="NO", card_prefixes=("2900",))
    assert decode("2900000010017", None, cfg) == CustomerCard("2900000010017")   # docs' customers.csv
    weight_label = "2300420012507"
    assert decode(weight_label, None, DecodeConfig(country="NO", card_prefixes=("23",))) == \
        CustomerCard(weight_label)


def test_a_prefix_alone_is_not_a_card():
    assert isinstance(decode("49", None, NO), Refusal)


def test_gs1_messages_are_never_cards():
    cfg = DecodeConfig(card_prefixes=("01",))
    assert decode("0107071234000015", "]C1", cfg).kind == "gs1"


@pytest.mark.parametrize("code, instore, kind", [
    ("0412345000001", None, "in-store"),          # UPC-A number system 4, 13-digit form
    ("412345000001", None, "in-store"),           # the same as 12 digits
    ("20123451", None, "in-store"),               # RCN-8
    ("0412345678903", ("04",), "in-store"),        # prefix of the 13-digit form
    ("0412345000001", ("41",), "in-store"),        # prefix of the GTIN as read
    ("0422222222228", ("41",), None),              # company-internal but not ours: refused
    ("4012345000009", ("40",), "gtin"),            # GS1 Germany: in-store prefixes never apply
    ("2900000010017", ("29",), "in-store"),        # a regional range Norway leaves free
])
def test_instore_codes(code, instore, kind):
    cfg = DecodeConfig(country="NO", instore_prefixes=instore)
    result = decode(code, None, cfg)
    if kind is None:
        assert result.reason == REASON_NOT_PRODUCT
    else:
        assert result.kind == kind and result.key == code.zfill(14)


# ---------------------------------------------------------------- configuration

def test_scheme_from_dict_reads_the_docs_example():
    d = {"name": "HU example: weighed goods, 5-digit weight in grams",
         "prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "weight", "decimals": 3}
    assert scheme_from_dict(d) == EXAMPLE_SCHEMES["HU"][0]


@pytest.mark.parametrize("change, field", [
    ({"prefix": None}, "prefix"),
    ({"prefix": "5"}, "prefix"),             # a real GS1 prefix: would misread products
    ({"prefix": "40"}, "prefix"),            # GS1 Germany
    ({"prefix": "2x"}, "prefix"),
    ({"layout": "PPIIIIIVVVVV"}, "layout"),
    ({"layout": "PPIIIIIVVVVVX"}, "layout"),
    ({"layout": "PIIIIIIVVVVVK"}, "layout"),   # one P for a two-digit prefix
    ({"layout": "PPIIVVIIVVVVK"}, "layout"),   # value digits not adjacent
    ({"layout": "PPIIIIIIIIIIK"}, "layout"),   # no value
    ({"kind": "volume"}, "kind"),
    ({"decimals": "3"}, "decimals"),
    ({"decimals": 9}, "decimals"),
    ({"kind": "count", "decimals": 2}, "decimals"),
    ({"verifier": "luhn"}, "verifier"),
    ({"verifier": "gs1-4"}, "layout"),         # no C digit
    ({"layout": "PPIIIICVVVVVK", "verifier": "gs1-4"}, "verifier"),   # 5 V for a 4-digit verifier
    ({"layout": "PPIIIICVVVVVK"}, "verifier"),                         # C without an algorithm
    ({"colour": "red"}, "colour"),
])
def test_scheme_errors_name_the_field(change, field):
    d = {"prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "weight", "decimals": 3, **change}
    d = {k: v for k, v in d.items() if v is not None}
    with pytest.raises(SchemeError, match=f"'{field}'"):
        scheme_from_dict(d)


def test_docs_json_examples_are_the_shipped_examples():
    text = (ROOT / "docs" / "scanner-decoding.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", text, flags=re.S)
    assert [schemes_from_json(b) for b in blocks] == [EXAMPLE_SCHEMES["HU"], EXAMPLE_SCHEMES["IL"]]


def test_schemes_from_json_errors():
    with pytest.raises(SchemeError, match=r"schemes\[1\]: field 'kind'"):
        schemes_from_json(json.dumps([
            {"prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "weight"},
            {"prefix": "21", "layout": "PPIIIIIVVVVVK", "kind": "litre"}]))
    with pytest.raises(SchemeError, match="two schemes for prefix '20'"):
        schemes_from_json(json.dumps({"schemes": [
            {"prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "weight"},
            {"prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "price"}]}))
    with pytest.raises(SchemeError, match="not JSON"):
        schemes_from_json("{")


@pytest.mark.parametrize("kwargs, field", [
    (dict(country="Norway"), "country"),
    (dict(card_prefixes="49"), "card_prefixes"),
    (dict(instore_prefixes=("4a",)), "instore_prefixes"),
    (dict(schemes=EXAMPLE_SCHEMES["HU"] + EXAMPLE_SCHEMES["HU"][:1]), "schemes"),
    (dict(schemes=({"prefix": "20", "layout": "short", "kind": "weight"},)), "layout"),
    (dict(today="2026-11-21"), "today"),
    (dict(currency_exponent=-1), "currency_exponent"),
])
def test_config_errors_name_the_field(kwargs, field):
    with pytest.raises(ConfigError, match=f"'{field}'"):
        DecodeConfig(**kwargs)


def test_config_normalises():
    cfg = DecodeConfig(country="se", card_prefixes=["49"],
                       schemes=[{"prefix": "20", "layout": "PPIIIIIVVVVVK", "kind": "weight", "decimals": 3}])
    assert cfg.country == "SE" and cfg.card_prefixes == ("49",)
    assert cfg.schemes == (replace(EXAMPLE_SCHEMES["HU"][0], name=""),)


@pytest.mark.parametrize("meta, country, exponent", [
    ({"locale": "nb_NO", "currency": "NOK"}, "NO", 2),
    ({"locale": "sv-SE", "currency": "SEK"}, "SE", 2),
    ({"locale": "he_IL", "currency": "ILS"}, "IL", 2),
    ({"locale": "hu_HU.UTF-8", "currency": "HUF"}, "HU", 2),
    ({"locale": "ja_JP", "currency": "JPY"}, "JP", 0),
    ({"locale": "en", "currency": "EUR"}, "", 2),
    ({"locale": "xx_not_a_locale"}, "", 2),
    ({"country": "de", "locale": "en_GB"}, "DE", 2),
    ({}, "", 2),
])
def test_from_store(meta, country, exponent):
    cfg = DecodeConfig.from_store(meta)
    assert (cfg.country, cfg.currency_exponent) == (country, exponent)


def test_from_store_passes_overrides():
    cfg = DecodeConfig.from_store({"locale": "hu_HU", "currency": "HUF"},
                                  schemes=EXAMPLE_SCHEMES["HU"], card_prefixes=("2900",))
    assert cfg.schemes == EXAMPLE_SCHEMES["HU"] and cfg.card_prefixes == ("2900",)
    assert decode("2012345012509", None, cfg).weight_g == 1250


# ---------------------------------------------------------------- never raises, no garbage products

SYMBOLOGIES = [None, "]E0", "]E3", "]E4", "]C1", "]e0", "]d2", "]Q3", "]I1", "]C0", "", "]", "x", "]E"]


def assert_well_formed(result, config):
    if isinstance(result, Refusal):
        assert not result.detail.startswith(DECODER_ERROR), result.detail
    elif isinstance(result, ProductCode):
        assert len(result.key) == 14 and result.key.isascii() and result.key.isdigit()
        assert is_valid_gtin(result.key), result
        assert is_valid_gtin(result.gtin), result
    else:
        assert isinstance(result, CustomerCard)
        assert any(result.card.startswith(p) for p in config.card_prefixes)


@settings(max_examples=400, deadline=None)
@given(st.text(), st.sampled_from(SYMBOLOGIES), st.sampled_from(sorted(CONFIGS)))
def test_any_text_decodes_without_raising(text, symbology, config):
    cfg = CONFIGS[config]
    assert_well_formed(decode(text, symbology, cfg), cfg)


code_like = st.builds(
    lambda aim, digits, extra: aim + digits + extra,
    st.sampled_from(["", "]E0", "]C1", "(01)", "01"]),
    st.text(alphabet="0123456789", min_size=0, max_size=20),
    st.sampled_from(["", GS, GS + "17261231", "17261399", "3103001250", "X", " ", "\x00"]),
)


@settings(max_examples=400, deadline=None)
@given(code_like, st.sampled_from(SYMBOLOGIES), st.sampled_from(sorted(CONFIGS)))
def test_code_like_text_never_yields_a_garbage_product(text, symbology, config):
    cfg = CONFIGS[config]
    assert_well_formed(decode(text, symbology, cfg), cfg)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=8, max_size=14).filter(lambda s: len(s) in (8, 12, 13, 14)))
def test_products_agree_with_the_catalog_loader(digits):
    """Whenever decode accepts plain digits as a product, the catalog loader accepts
    the same code and stores it under the same key (variable measure: zeroed)."""
    result = decode(digits, None, DEFAULT)
    try:
        stored = normalize_gtin(digits)
    except BarcodeError:
        assert not isinstance(result, ProductCode), result
        return
    if isinstance(result, ProductCode) and result.kind != "variable-measure":
        assert result.key == stored


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 12), st.integers(1, 9))
def test_one_wrong_digit_is_never_a_product(body, position, delta):
    code = with_check(body)
    wrong = code[:position] + str((int(code[position]) + delta) % 10) + code[position + 1:]
    assert not isinstance(decode(wrong, "]E0", DEFAULT), ProductCode)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=6, max_size=6), st.integers(0, 9999))
def test_norwegian_weight_labels_roundtrip(item, grams):
    code = with_check(f"23{item}{grams:04d}")
    result = decode(code, None, DEFAULT)
    assert result.weight_g == grams
    assert result.key == with_check(f"23{item}0000").zfill(14)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=4, max_size=4), st.integers(0, 99999), st.integers(1, 9))
def test_verifier_scheme_roundtrip_and_rejects_wrong_verifier(item, grams, delta):
    value = f"{grams:05d}"
    verifier = gs1_price_weight_check_digit(value)
    good = with_check(f"29{item}{verifier}{value}")
    assert decode(good, None, IL).weight_g == grams
    bad = with_check(f"29{item}{(verifier + delta) % 10}{value}")
    assert decode(bad, None, IL).reason == REASON_LABEL_CHECK


def test_non_str_input_is_refused_not_raised():
    assert isinstance(decode(None, None, NO), Refusal)                   # type: ignore[arg-type]
    assert isinstance(decode(b"5901234123457", None, NO), Refusal)       # type: ignore[arg-type]
    assert decode("5901234123457", 17, NO).key == "05901234123457"       # type: ignore[arg-type]


def test_safety_net_turns_a_bug_into_a_refusal(monkeypatch):
    import pos.scanner.decode as module

    def broken(*args):
        raise RuntimeError("boom")
    monkeypatch.setattr(module, "_decode", broken)
    result = decode("5901234123457")
    assert result.reason == REASON_UNREADABLE and result.detail.startswith(DECODER_ERROR)


# ---------------------------------------------------------------- the fuzz target

def load_fuzz_target():
    spec = importlib.util.spec_from_file_location("fuzz_decoder", ROOT / "fuzz" / "fuzz_decoder.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fuzz_target_passes_its_seed_corpus():
    target = load_fuzz_target()
    seeds = target.seed_inputs()
    assert len(seeds) >= 40
    for data in seeds:
        target.test_one_input(data)


def test_fuzz_oracle_catches_a_garbage_product():
    target = load_fuzz_target()
    bad = ProductCode(key="05901234123458", gtin="5901234123458", kind="gtin", symbology="EAN-13")
    with pytest.raises(AssertionError, match="not a valid GTIN"):
        target.check_result(bad, DEFAULT)
    with pytest.raises(AssertionError, match="safety net"):
        target.check_result(Refusal(REASON_UNREADABLE, f"{DECODER_ERROR}: x"), DEFAULT)
