"""Catalog barcodes: check digits, UPC-E expansion, the GTIN-14 form."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pos.dump.gtin import BarcodeError, check_digit, expand_upce, normalize_gtin


@pytest.mark.parametrize("code, stored", [
    ("4006381333931", "04006381333931"),   # EAN-13
    ("73513537", "00000073513537"),        # EAN-8
    ("036000291452", "00036000291452"),    # UPC-A
    ("10012345678902", "10012345678902"),  # GTIN-14
    ("01234565", "00000001234565"),        # valid as EAN-8 and as UPC-E: EAN-8 wins (documented)
    ("04252614", "00042100005264"),        # UPC-E ending 4
])
def test_valid_codes_are_stored_as_gtin14(code, stored):
    assert normalize_gtin(code) == stored


@pytest.mark.parametrize("code, reason", [
    ("4006381333932", "check digit wrong, expected 1"),
    ("400638133393", "check digit wrong"),
    ("12345", "has 5 digits"),
    ("40063813339X1", "characters other than digits"),
    ("01234566", "as GTIN-8 and as UPC-E"),
    ("", "empty barcode"),
])
def test_invalid_codes_say_why(code, reason):
    with pytest.raises(BarcodeError, match=reason):
        normalize_gtin(code)


@pytest.mark.parametrize("upce, upca", [
    ("01234565", "012345000065"), ("06543217", "065100004327"), ("01234133", "012300000413"),
    ("00123457", "001234000057"), ("04252614", "042100005264"),
])
def test_upce_expansion_table(upce, upca):
    assert expand_upce(upce) == upca


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_body_with_its_check_digit_is_valid(body):
    code = body + str(check_digit(body))
    assert normalize_gtin(code) == code.zfill(14)
    wrong = body + str((check_digit(body) + 1) % 10)
    with pytest.raises(BarcodeError):
        normalize_gtin(wrong)
