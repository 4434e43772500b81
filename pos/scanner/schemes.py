"""Store-defined variable-measure schemes: how a 13-digit restricted-circulation
number (RCN) carries a price, weight or count, for countries biip has no rules
for (HU, IL, ...) or where a store's scales do it differently.

A scheme is data (a store's JSON config): a prefix, a 13-character layout
naming what each digit is, the measure's kind and decimals, and the price/weight
verifier digit's algorithm if there is one. `read_scheme` applies one to a code.
The check-digit arithmetic is biip's (`biip.checksums`).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from biip.checksums import gs1_price_weight_check_digit, gs1_standard_check_digit

KINDS = ("price", "weight", "count")
VERIFIERS = ("none", "gs1-4", "gs1-5")
LAYOUT_LETTERS = {
    "P": "prefix digit",
    "I": "item reference digit",
    "V": "value digit (price, weight or count)",
    "C": "price/weight verifier digit",
    "K": "GTIN check digit (last)",
}
MAX_DECIMALS = 6


class SchemeError(ValueError):
    """A scheme definition with a bad field; the message names the field."""


@dataclass(frozen=True)
class VariableMeasureScheme:
    """The layout of one family of variable-measure codes (13 digits).

    `layout` has one letter per digit of the 13-digit code (see LAYOUT_LETTERS):
    e.g. "PPIIIIICVVVVK" = 2 prefix digits, 5 item digits, a verifier, a 4-digit
    value and the check digit. `decimals`: for a price, decimals of the major
    currency unit in the value (2: 01234 = 12.34); for a weight, decimals of
    the kilogram (3: the value is grams); for a count, 0.
    """
    prefix: str
    layout: str
    kind: str
    decimals: int = 0
    verifier: str = "none"      # none | gs1-4 | gs1-5 (GS1 4- or 5-digit price/weight verifier)
    name: str = ""

    def __post_init__(self) -> None:
        problem = _layout_problem(self)
        if problem:
            field, message = problem
            raise SchemeError(f"field {field!r}: {message}")

    @property
    def item_slice(self) -> slice:
        return _run(self.layout, "I")

    @property
    def value_slice(self) -> slice:
        return _run(self.layout, "V")

    @property
    def verifier_index(self) -> int | None:
        return self.layout.index("C") if "C" in self.layout else None

    def label(self) -> str:
        return self.name or f"{self.kind} scheme for prefix {self.prefix}"


@dataclass(frozen=True)
class SchemeReading:
    """What a scheme read from a code: the measure and the catalog key."""
    kind: str
    value: Decimal      # in major units (price), kilograms (weight) or units (count)
    item_reference: str
    key13: str          # the code with the value digits zeroed and check digits recomputed


class SchemeMismatch(ValueError):
    """The code does not fit the scheme (bad verifier digit); the message says how."""


def read_scheme(scheme: VariableMeasureScheme, code13: str) -> SchemeReading:
    """Apply `scheme` to a 13-digit code (whose GTIN check digit is already verified)."""
    if len(code13) != 13 or not code13.isascii() or not code13.isdigit():
        raise SchemeMismatch(f"{code13!r} is not a 13-digit code")
    if not code13.startswith(scheme.prefix):
        raise SchemeMismatch(f"{code13!r} does not start with {scheme.prefix!r}")
    value_digits = code13[scheme.value_slice]
    verifier_at = scheme.verifier_index
    if verifier_at is not None:
        expected = gs1_price_weight_check_digit(value_digits)
        if int(code13[verifier_at]) != expected:
            raise SchemeMismatch(
                f"price/weight verifier digit of {code13!r} ({scheme.label()}) is "
                f"{code13[verifier_at]}, expected {expected} for value {value_digits}")
    digits = list(code13[:12])
    for i in range(scheme.value_slice.start, scheme.value_slice.stop):
        digits[i] = "0"
    if verifier_at is not None:
        digits[verifier_at] = str(gs1_price_weight_check_digit("0" * len(value_digits)))
    body = "".join(digits)
    key13 = body + str(gs1_standard_check_digit(body))
    value = Decimal(int(value_digits)).scaleb(-scheme.decimals)
    return SchemeReading(scheme.kind, value, code13[scheme.item_slice], key13)


def scheme_from_dict(d: object, source: str = "scheme") -> VariableMeasureScheme:
    """A scheme from a store config object (parsed JSON), or SchemeError naming the field.

    Fields: prefix, layout, kind, decimals (default 0), verifier (default "none"), name.
    """
    if not isinstance(d, dict):
        raise SchemeError(f"{source}: a JSON object is expected, got {type(d).__name__}")
    known = set(VariableMeasureScheme.__dataclass_fields__)
    unknown = sorted(set(d) - known)
    if unknown:
        raise SchemeError(f"{source}: unknown field {unknown[0]!r} (known: {', '.join(sorted(known))})")
    for required in ("prefix", "layout", "kind"):
        if required not in d:
            raise SchemeError(f"{source}: field {required!r} is required")
    for name in ("prefix", "layout", "kind", "verifier", "name"):
        if name in d and not isinstance(d[name], str):
            raise SchemeError(f"{source}: field {name!r} must be a string, got {d[name]!r}")
    if "decimals" in d and (not isinstance(d["decimals"], int) or isinstance(d["decimals"], bool)):
        raise SchemeError(f"{source}: field 'decimals' must be an integer, got {d['decimals']!r}")
    try:
        return VariableMeasureScheme(**d)
    except SchemeError as exc:
        raise SchemeError(f"{source}: {exc}") from None


def schemes_from_json(text: str, source: str = "schemes") -> tuple[VariableMeasureScheme, ...]:
    """Schemes from a JSON document: a list of scheme objects, or {"schemes": [...]}."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemeError(f"{source}:{exc.lineno}: not JSON: {exc.msg}") from None
    if isinstance(data, dict) and set(data) == {"schemes"}:
        data = data["schemes"]
    if not isinstance(data, list):
        raise SchemeError(f"{source}: a list of schemes (or {{\"schemes\": [...]}}) is expected")
    schemes = tuple(scheme_from_dict(d, f"{source}[{i}]") for i, d in enumerate(data))
    duplicate = duplicate_prefix(schemes)
    if duplicate:
        raise SchemeError(f"{source}: two schemes for prefix {duplicate!r}")
    return schemes


def duplicate_prefix(schemes: tuple[VariableMeasureScheme, ...]) -> str | None:
    seen: set[str] = set()
    for s in schemes:
        if s.prefix in seen:
            return s.prefix
        seen.add(s.prefix)
    return None


def scheme_for(schemes: tuple[VariableMeasureScheme, ...], code13: str) -> VariableMeasureScheme | None:
    """The scheme with the longest prefix that `code13` starts with, or None."""
    matching = [s for s in schemes if code13.startswith(s.prefix)]
    return max(matching, key=lambda s: len(s.prefix)) if matching else None


def _run(layout: str, letter: str) -> slice:
    return slice(layout.index(letter), layout.rindex(letter) + 1)


def _layout_problem(s: VariableMeasureScheme) -> tuple[str, str] | None:
    """(field, what is wrong) for the first problem of a scheme, or None."""
    if not isinstance(s.prefix, str) or not s.prefix.isascii() or not s.prefix.isdigit() \
            or not 1 <= len(s.prefix) <= 3:
        return "prefix", f"1 to 3 digits expected, got {s.prefix!r}"
    if not (s.prefix[0] == "2" or s.prefix[:2] in ("02", "04")):
        return "prefix", (f"{s.prefix!r} is outside the restricted-circulation ranges "
                          "(02, 04 and 20-29 in the 13-digit form); a scheme there would "
                          "misread real products")
    if not isinstance(s.layout, str) or len(s.layout) != 13:
        return "layout", f"13 letters expected (one per digit), got {s.layout!r}"
    bad = sorted(set(s.layout) - set(LAYOUT_LETTERS))
    if bad:
        return "layout", f"unknown letter {bad[0]!r}; letters: " + \
            ", ".join(f"{k} = {v}" for k, v in LAYOUT_LETTERS.items())
    n = len(s.prefix)
    if s.layout[:n] != "P" * n or s.layout.count("P") != n:
        return "layout", f"must start with {n} 'P' (one per prefix digit) and have no other 'P'"
    if s.layout[-1] != "K" or s.layout.count("K") != 1:
        return "layout", "the last letter, and only it, must be 'K' (the GTIN check digit)"
    for letter, what in (("I", "item reference"), ("V", "value")):
        if letter not in s.layout:
            return "layout", f"has no {letter!r} ({what}) digits"
        run = s.layout[_run(s.layout, letter)]
        if set(run) != {letter}:
            return "layout", f"the {what} digits {letter!r} must be adjacent"
    if s.layout.count("C") > 1:
        return "layout", "at most one 'C' (verifier digit)"
    if not isinstance(s.kind, str) or s.kind not in KINDS:
        return "kind", f"one of {', '.join(KINDS)} expected, got {s.kind!r}"
    if not isinstance(s.decimals, int) or isinstance(s.decimals, bool) \
            or not 0 <= s.decimals <= MAX_DECIMALS:
        return "decimals", f"an integer from 0 to {MAX_DECIMALS} expected, got {s.decimals!r}"
    if s.kind == "count" and s.decimals != 0:
        return "decimals", "a count has no decimals"
    if not isinstance(s.verifier, str) or s.verifier not in VERIFIERS:
        return "verifier", f"one of {', '.join(VERIFIERS)} expected, got {s.verifier!r}"
    value_len = s.layout.count("V")
    if s.verifier == "none" and "C" in s.layout:
        return "verifier", "the layout has a 'C' digit: say which algorithm (gs1-4 or gs1-5)"
    if s.verifier != "none":
        if "C" not in s.layout:
            return "layout", f"verifier {s.verifier!r} needs a 'C' digit in the layout"
        want = int(s.verifier[-1])
        if value_len != want:
            return "verifier", f"{s.verifier!r} checks a {want}-digit value; the layout has {value_len} 'V'"
    if not isinstance(s.name, str):
        return "name", f"a string expected, got {s.name!r}"
    return None


# EXAMPLES, not official national specifications: what a store in Hungary or
# Israel might configure for its own scales. Confirm the real layout with the
# scale vendor or the GS1 member organisation before using one.
EXAMPLE_SCHEMES: dict[str, tuple[VariableMeasureScheme, ...]] = {
    "HU": (
        VariableMeasureScheme(prefix="20", layout="PPIIIIIVVVVVK", kind="weight", decimals=3,
                              name="HU example: weighed goods, 5-digit weight in grams"),
        VariableMeasureScheme(prefix="21", layout="PPIIIIIVVVVVK", kind="price", decimals=0,
                              name="HU example: price label, 5-digit price in whole forints"),
    ),
    "IL": (
        VariableMeasureScheme(prefix="20", layout="PPIIIIICVVVVK", kind="price", decimals=2,
                              verifier="gs1-4",
                              name="IL example: price label, 4-digit price in agorot with verifier"),
        VariableMeasureScheme(prefix="29", layout="PPIIIICVVVVVK", kind="weight", decimals=3,
                              verifier="gs1-5",
                              name="IL example: weighed goods, 5-digit grams with verifier"),
    ),
}
