"""Fuzz target for the scanner decoder (pos.scanner.decode).

An input is bytes: the first byte picks the AIM symbology identifier and the
store config, the rest is the read's text (UTF-8, undecodable bytes kept as
lone surrogates). A finding is any exception, a decode that hit the decoder's
safety net, or a ProductCode whose key is not a valid 14-digit GTIN (biip).

Run by `scripts/fuzz [SECONDS] decoder` (CI: 20 s in scripts/test), which
installs atheris from the lock requirements/fuzz.txt into a temporary directory
and passes libFuzzer flags; a temporary corpus is seeded from SEEDS unless a
corpus directory is given.

tests/test_scanner_decode.py runs `test_one_input` over `seed_inputs()`
without atheris.
"""
from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from biip import BiipException
from biip.gtin import Gtin

from pos.scanner.decode import (
    DECODER_ERROR,
    EXAMPLE_SCHEMES,
    KINDS,
    REASONS,
    CustomerCard,
    DecodeConfig,
    ProductCode,
    Refusal,
    decode,
)

SYMBOLOGIES: tuple[str | None, ...] = (
    None, "]E0", "]E3", "]E4", "]E1", "]C1", "]e0", "]d2", "]Q3", "]I1", "]C0", "]A0", "]Q1", "", "E0",
)
CONFIGS: tuple[DecodeConfig, ...] = (
    DecodeConfig(),
    DecodeConfig(country="NO", card_prefixes=("49",), instore_prefixes=("40", "41"), today=date(2026, 11, 21)),
    DecodeConfig(country="DE", card_prefixes=("2900",)),
    DecodeConfig(country="GB", instore_prefixes=()),
    DecodeConfig(country="HU", schemes=EXAMPLE_SCHEMES["HU"], currency_exponent=2),
    DecodeConfig(country="IL", schemes=EXAMPLE_SCHEMES["IL"], instore_prefixes=("29",)),
    DecodeConfig(country="", currency_exponent=0),
)

GS = "\x1d"
SEEDS: tuple[tuple[int, int, str], ...] = (   # (symbology index, config index, text)
    (0, 0, "5901234123457"), (1, 1, "7071234000015"), (0, 0, "036000291452"),
    (1, 0, "0036000291452"), (0, 0, "04252614"), (1, 1, "04252614"), (3, 0, "96385074"),
    (0, 1, "9780306406157"), (2, 0, "978030640615751299"), (0, 0, "9771234567003"),
    (9, 0, "10012345678902"), (0, 1, "2300420012507"), (0, 1, "2000420024905"),
    (0, 2, "2812347012503"), (0, 2, "2512342000061"), (0, 3, "2012345303508"),
    (0, 4, "2012345012509"), (0, 4, "2112345019901"), (0, 5, "2012345912908"),
    (0, 5, "2912347012500"), (0, 1, "4900000000009"), (0, 2, "2900000010017"),
    (0, 0, "0412345000001"), (0, 0, "20123451"), (0, 1, "9810000000006"), (0, 1, "9800000000007"),
    (5, 1, "0107071234000015310300125017261231"), (6, 1, "0107071234000015"),
    (7, 1, "010707123400001517261120" + "10ABC123"), (8, 1, "01070712340000153922" + "2490" + GS + "17261231"),
    (0, 1, "(01)07071234000015(3103)001250(17)261231"), (0, 1, "0107071234000015" + "10ABC" + GS + "17261231"),
    (0, 1, "https://id.gs1.org/01/07071234000015/10/ABC?17=261231"),
    (5, 0, "00123456789012345675"), (5, 0, "01070712340000158110106141416543213500110000310123196000"),
    (0, 0, "5901234123458"), (0, 0, ""), (0, 0, "abc"), (0, 0, "\x00\x01"), (4, 0, "12"),
    (0, 0, "]E05901234123457"), (10, 0, "5901234123457"), (13, 6, "0000000000000"),
)


def encode_input(symbology_index: int, config_index: int, text: str) -> bytes:
    selector = config_index * len(SYMBOLOGIES) + symbology_index
    return bytes([selector % 256]) + text.encode("utf-8", "surrogateescape")


def seed_inputs() -> list[bytes]:
    return [encode_input(s, c, text) for s, c, text in SEEDS]


def check_result(result: object, config: DecodeConfig) -> None:
    """AssertionError unless `result` is a well-formed decode result."""
    if isinstance(result, Refusal):
        assert not result.detail.startswith(DECODER_ERROR), f"safety net hit: {result.detail}"
        assert result.reason in REASONS, f"unknown reason {result.reason!r}"
        return
    if isinstance(result, CustomerCard):
        assert result.card.isascii() and result.card.isdigit(), f"card not digits: {result.card!r}"
        assert any(result.card.startswith(p) for p in config.card_prefixes), "card without a card prefix"
        return
    assert isinstance(result, ProductCode), f"unexpected result {result!r}"
    for name, code in (("key", result.key), ("gtin", result.gtin)):
        assert code.isascii() and code.isdigit(), f"{name} not ASCII digits: {code!r}"
        try:
            Gtin.parse(code)
        except BiipException as exc:
            raise AssertionError(f"{name} {code!r} is not a valid GTIN: {exc}") from None
    assert len(result.key) == 14, f"key {result.key!r} is not 14 digits"
    assert len(result.gtin) in (8, 12, 13, 14), f"gtin {result.gtin!r} has a bad length"
    assert result.kind in KINDS, f"unknown kind {result.kind!r}"
    for name in ("quantity", "weight_g", "price_minor"):
        value = getattr(result, name)
        assert value is None or (isinstance(value, int) and value >= 0), f"{name} = {value!r}"
    assert result.expired is (result.expiry is not None and result.expiry < config.today_or_now())


def test_one_input(data: bytes) -> None:
    if not data:
        return
    symbology = SYMBOLOGIES[data[0] % len(SYMBOLOGIES)]
    config = CONFIGS[(data[0] // len(SYMBOLOGIES)) % len(CONFIGS)]
    text = data[1:].decode("utf-8", "surrogateescape")
    check_result(decode(text, symbology, config), config)


def main() -> None:
    import atheris

    atheris.instrument_all()
    args = list(sys.argv)
    if not any(Path(a).is_dir() for a in args[1:] if not a.startswith("-")):
        corpus = Path(tempfile.mkdtemp(prefix="fuzz_decoder_corpus_"))
        for i, data in enumerate(seed_inputs()):
            (corpus / f"seed-{i:03d}").write_bytes(data)
        args.append(str(corpus))
    atheris.Setup(args, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
