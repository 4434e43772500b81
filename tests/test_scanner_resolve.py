"""A decoded read against a real store: product, card by prefix, card found by
the customers table without a prefix, unknown codes."""
import sqlite3

import pytest

from conftest import gtin13
from pos.scanner.decode import CustomerCard, DecodeConfig, decode
from pos.scanner.resolve import REASON_UNKNOWN_CARD, REASON_UNKNOWN_PRODUCT, resolve


@pytest.fixture
def conn(published):
    c = sqlite3.connect(published)
    yield c
    c.close()


def test_a_product_barcode_finds_its_product(conn):
    r = resolve(conn, decode(gtin13(2)))
    assert r.product.sku == "PARM" and r.problem is None


def test_a_card_without_configured_prefix_is_found_in_the_customers_table(conn):
    text = gtin13(901)
    r = resolve(conn, decode(text), text)
    assert (r.customer, r.decoded) == ("C1", CustomerCard(text))


def test_a_card_by_prefix_that_is_unknown_says_so(conn):
    r = resolve(conn, decode("4912345678904", config=DecodeConfig(card_prefixes=("49",))))
    assert r.customer is None and r.problem == REASON_UNKNOWN_CARD


def test_an_unknown_product_and_a_refusal_say_why(conn):
    assert resolve(conn, decode("5901234123457")).problem == REASON_UNKNOWN_PRODUCT
    bad = resolve(conn, decode("5901234123458"), "5901234123458")
    assert bad.product is None and bad.problem == "check digit wrong — scan again"
