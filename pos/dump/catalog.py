"""catalog.csv: products, their barcodes, upgrade ladders and translations."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from babel import Locale, UnknownLocaleError

from ..errors import DumpError
from .csvfile import read_rows
from .fields import FieldError, language_column, parse_bool, parse_int, parse_money, parse_nonnegative
from .gtin import BarcodeError, normalize_gtin
from .manifest import Manifest
from .problems import ProblemLog
from .rowcheck import RowCheck

REQUIRED = ("sku", "name", "price")
KNOWN = REQUIRED + ("gtin", "category", "brand", "cost", "stock", "active", "age_restricted",
                    "durable", "unit", "family", "tier", "pitch")
UNITS = ("each", "kg")
MAX_SKU = 64
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Product:
    item: int
    sku: str
    name: str
    price: int
    cost: int | None
    stock: float | None
    active: bool
    age_restricted: bool
    durable: bool
    unit: str
    category: str | None
    brand: str | None
    family: str | None
    tier: int | None
    pitch: str | None
    names: dict[str, str]
    pitches: dict[str, str]
    gtins: tuple[str, ...]


@dataclass
class Catalog:
    products: list[Product] = field(default_factory=list)
    items: dict[str, int] = field(default_factory=dict)      # sku -> item
    rejected: dict[str, int] = field(default_factory=dict)   # sku -> line of its rejected row
    languages: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    @property
    def barcodes(self) -> int:
        return sum(len(p.gtins) for p in self.products)

    @property
    def categories(self) -> set[str]:
        return {p.category for p in self.products if p.category}


def language_columns(file: str, columns: tuple[str, ...], notes: list[str]) -> dict[str, tuple[str, str]]:
    """column -> (field, lang) for the translation columns Babel knows the language of."""
    found = {}
    for column in columns:
        parsed = language_column(column)
        if parsed is None:
            continue
        try:
            Locale.parse(parsed[1])
        except (UnknownLocaleError, ValueError):
            notes.append(f"{file}:1: {column}: '{parsed[1]}' is not a language code Babel knows; "
                         "column ignored")
            continue
        found[column] = parsed
    return found


def read_catalog(path: Path, manifest: Manifest, log: ProblemLog,
                 tick: Callable[[int], None] = lambda n: None,
                 max_price: int | None = None) -> Catalog:
    """The products of catalog.csv; a row with a problem is rejected (in `log`).
    `max_price` (minor units) is the ceiling of a price or cost (pos.dump.plausible)."""
    header, rows = read_rows(path)
    header.require(*REQUIRED)
    catalog = Catalog()
    translations = language_columns(header.file, header.columns, catalog.notes)
    unknown = [c for c in header.columns if c not in KNOWN and c not in translations]
    if unknown:
        catalog.notes.append(f"{header.file}: ignored columns: {', '.join(unknown)}")
    catalog.languages = tuple(sorted({lang for _, lang in translations.values()}))
    tally = log.tally(header.file)
    first_line: dict[str, int] = {}       # sku -> line it was first seen on
    owner: dict[str, tuple[str, int]] = {}  # barcode -> (sku, line)

    def money(value: str) -> int:
        amount = parse_money(value, manifest.exponent, manifest.currency)
        if max_price is not None and amount > max_price:
            ceiling = Decimal(max_price).scaleb(-manifest.exponent)
            raise FieldError(f"'{value}' is more than {ceiling:,f} {manifest.currency}, "
                             "the highest price allowed (--max-price)")
        return amount

    for row in rows:
        tally.rows += 1
        tick(1)
        if row.fields is None:
            log.reject(header.file, row.line, row.raw, row.problems)
            continue
        check = RowCheck(row.fields)
        sku = check.required("sku")
        if sku:
            if len(sku) > MAX_SKU:
                check.fail("sku", f"longer than {MAX_SKU} characters")
            elif _CONTROL.search(sku):
                check.fail("sku", "has control characters")
            elif sku in first_line:
                check.fail("sku", f"duplicate sku '{sku}' (first on line {first_line[sku]})")
        name = check.required("name")
        price = check.parse("price", money) if check.text("price") else None
        if price is None and not check.text("price"):
            check.required("price")
        cost = check.parse("cost", money)
        stock = check.parse("stock", parse_nonnegative)
        active = check.parse("active", lambda v: parse_bool(v, True), True)
        if price == 0 and active:
            check.fail("price", "0 for an active product (a free item cannot be sold or "
                                "suggested: give its price, or make it inactive)")
        age_restricted = check.parse("age_restricted", lambda v: parse_bool(v, False), False)
        durable = check.parse("durable", lambda v: parse_bool(v, False), False)
        unit = (check.text("unit") or "each").lower()
        if unit not in UNITS:
            check.fail("unit", f"'{unit}' is not one of {', '.join(UNITS)}")
        family = check.text("family") or None
        tier = check.parse("tier", parse_int)
        if tier is not None and tier < 0:
            check.fail("tier", f"'{tier}' is negative")
        if (family is None) != (tier is None) and check.ok:
            check.fail("tier" if family else "family",
                       "a family needs a tier" if family else "a tier needs a family")
        gtins = []
        for code in filter(None, (c.strip() for c in check.text("gtin").split("|"))):
            try:
                gtin = normalize_gtin(code)
            except BarcodeError as exc:
                check.fail("gtin", str(exc))
                continue
            if gtin in owner and owner[gtin][0] != sku:
                other, line = owner[gtin]
                check.fail("gtin", f"barcode '{code}' already belongs to sku '{other}' (line {line})")
            elif gtin not in gtins:
                gtins.append(gtin)
        if not check.ok:
            if sku and sku not in first_line:
                catalog.rejected.setdefault(sku, row.line)
            log.reject(header.file, row.line, row.raw, check.problems)
            continue
        first_line[sku] = row.line
        assert price is not None            # the row is ok: the price parsed
        names: dict[str, str] = {}
        pitches: dict[str, str] = {}
        for column, (kind, lang) in translations.items():
            value = row.fields.get(column)
            if value:
                (names if kind == "name" else pitches)[lang] = value
        for gtin in gtins:
            owner[gtin] = (sku, row.line)
        item = len(catalog.products)
        catalog.items[sku] = item
        catalog.rejected.pop(sku, None)
        catalog.products.append(Product(
            item=item, sku=sku, name=name, price=price, cost=cost, stock=stock,
            active=active, age_restricted=age_restricted, durable=durable, unit=unit,
            category=check.text("category") or None, brand=check.text("brand") or None,
            family=family, tier=tier, pitch=check.text("pitch") or None,
            names=names, pitches=pitches, gtins=tuple(gtins)))
    if not catalog.products:
        first = next((str(p) for p in log.shown if p.file == header.file), "")
        raise DumpError(f"{header.file}: no products"
                        + (f" (every row was rejected; the first: {first})" if tally.rows
                           else " (the file has only a header)"))
    return catalog


__all__ = ["Catalog", "Product", "read_catalog", "language_columns", "FieldError"]
