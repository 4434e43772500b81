"""The dump's optional files: customers, upgrades, bundles, manager rules and
category names."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .catalog import Catalog, language_columns
from .csvfile import Header, Row, find, read_rows
from .fields import FieldError, parse_decimal, parse_int, parse_money, parse_time
from .gtin import has_valid_check_digit
from .manifest import Manifest
from .problems import ProblemLog
from .rowcheck import RowCheck

RULE_KINDS = ("cross", "upsell", "campaign")


# column -> (kind, language) of a file's translated columns (catalog.language_columns)
Translations = dict[str, tuple[str, str]]
_Handler = Callable[[Header, Row, RowCheck, Translations], None]

@dataclass(frozen=True)
class Customer:
    customer: str
    card: str | None
    segment: str | None


@dataclass(frozen=True)
class Upgrade:
    from_item: int
    to_item: int
    pitch: str | None
    pitches: dict[str, str]


@dataclass(frozen=True)
class Bundle:
    bundle: str
    name: str
    names: dict[str, str]
    members: tuple[tuple[int, int], ...]  # (item, quantity)
    price: int | None
    saving: int | None
    valid_from: int | None
    valid_to: int | None


@dataclass(frozen=True)
class Rule:
    rule: str
    trigger_item: int | None
    trigger_category: str | None
    item: int
    kind: str
    priority: int
    boost: float
    valid_from: int | None
    valid_to: int | None
    pitch: str | None
    pitches: dict[str, str]


@dataclass(frozen=True)
class CategoryName:
    path: str                 # as the catalog writes it, levels joined by " > "
    name: str | None          # in the dump's language; None: the path's last level
    names: dict[str, str]     # translations


@dataclass
class Extras:
    customers: list[Customer] = field(default_factory=list)
    upgrades: list[Upgrade] = field(default_factory=list)
    bundles: list[Bundle] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    categories: list[CategoryName] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Reader:
    """Shared row loop of the optional files: header check, tallies, rejects."""

    def __init__(self, dump_dir: Path, catalog: Catalog, manifest: Manifest, log: ProblemLog,
                 extras: Extras):
        self.dump_dir, self.catalog, self.manifest, self.log, self.extras = (
            dump_dir, catalog, manifest, log, extras)

    def rows(self, stem: str, required: tuple[str, ...],
             handle: _Handler) -> None:
        path = find(self.dump_dir, stem)
        if path is None:
            return
        header, rows = read_rows(path)
        header.require(*required)
        self.extras.files.append(header.file)
        translations = language_columns(header.file, header.columns, self.extras.notes)
        tally = self.log.tally(header.file)
        for row in rows:
            tally.rows += 1
            if row.fields is None:
                self.log.reject(header.file, row.line, row.raw, row.problems)
                continue
            check = RowCheck(row.fields)
            handle(header, row, check, translations)
            if not check.ok:
                self.log.reject(header.file, row.line, row.raw, check.problems)

    def resolve(self, check: RowCheck, column: str, sku: str) -> int | None:
        """The item of a sku, or a problem saying why there is none."""
        if sku in self.catalog.items:
            return self.catalog.items[sku]
        if sku in self.catalog.rejected:
            check.fail(column, f"sku '{sku}' was rejected in the catalog "
                               f"(line {self.catalog.rejected[sku]})")
        else:
            check.fail(column, f"unknown sku '{sku}'")
        return None

    def sku(self, check: RowCheck, column: str, required: bool = True) -> int | None:
        sku = check.required(column) if required else check.text(column)
        return self.resolve(check, column, sku) if sku else None

    def time(self, check: RowCheck, column: str) -> int | None:
        return check.parse(column, lambda v: parse_time(v, self.manifest.zone))

    def money(self, check: RowCheck, column: str) -> int | None:
        return check.parse(column, lambda v: parse_money(v, self.manifest.exponent,
                                                          self.manifest.currency))

    def window(self, check: RowCheck) -> tuple[int | None, int | None]:
        start, end = self.time(check, "valid_from"), self.time(check, "valid_to")
        if start is not None and end is not None and end < start:
            check.fail("valid_to", "is before valid_from")
        return start, end

    @staticmethod
    def texts(row: Row, translations: Translations, kind: str) -> dict[str, str]:
        fields = row.fields or {}          # rows that could not be split never get here
        return {lang: fields[c] for c, (k, lang) in translations.items()
                if k == kind and fields.get(c)}

    @staticmethod
    def unique(check: RowCheck, column: str, value: str, seen: dict[str, int], line: int) -> None:
        if value in seen:
            check.fail(column, f"duplicate {column} '{value}' (first on line {seen[value]})")
        else:
            seen[value] = line


def read_extras(dump_dir: Path, catalog: Catalog, manifest: Manifest, log: ProblemLog) -> Extras:
    extras = Extras()
    reader = _Reader(dump_dir, catalog, manifest, log, extras)
    customer_ids: dict[str, int] = {}
    cards: dict[str, int] = {}

    def customer(header: Header, row: Row, check: RowCheck, translations: Translations) -> None:
        cid = check.required("customer_id")
        card = check.text("card") or None
        if cid:
            reader.unique(check, "customer_id", cid, customer_ids, row.line)
        if card:
            if card.isdigit() and len(card) in (8, 12, 13, 14) and not has_valid_check_digit(card):
                check.fail("card", f"'{card}': check digit wrong")
            else:
                reader.unique(check, "card", card, cards, row.line)
        if check.ok:
            extras.customers.append(Customer(cid, card, check.text("segment") or None))

    reader.rows("customers", ("customer_id",), customer)

    edges: dict[str, int] = {}

    def upgrade(header: Header, row: Row, check: RowCheck, translations: Translations) -> None:
        source, target = reader.sku(check, "from_sku"), reader.sku(check, "to_sku")
        if source is not None and source == target:
            check.fail("to_sku", "an item cannot be its own upgrade")
        if check.ok:
            reader.unique(check, "to_sku", f"{check.text('from_sku')} -> {check.text('to_sku')}",
                          edges, row.line)
        if check.ok and source is not None and target is not None:   # ok: both resolved
            extras.upgrades.append(Upgrade(source, target, check.text("pitch") or None,
                                           reader.texts(row, translations, "pitch")))

    reader.rows("upgrades", ("from_sku", "to_sku"), upgrade)

    bundle_ids: dict[str, int] = {}

    def bundle(header: Header, row: Row, check: RowCheck, translations: Translations) -> None:
        bid = check.required("bundle_id")
        if bid:
            reader.unique(check, "bundle_id", bid, bundle_ids, row.line)
        name = check.required("name")
        members: dict[int, int] = {}
        for sku in filter(None, (s.strip() for s in check.required("skus").split("|"))):
            item = reader.resolve(check, "skus", sku)
            if item is not None:
                members[item] = members.get(item, 0) + 1
        if check.ok and sum(members.values()) < 2:
            check.fail("skus", "a deal needs at least two units")
        price, saving = reader.money(check, "price"), reader.money(check, "saving")
        if check.ok and (price is None) == (saving is None):
            check.fail("price", "give the deal's price or its saving (exactly one)")
        start, end = reader.window(check)
        if check.ok:
            extras.bundles.append(Bundle(bid, name, reader.texts(row, translations, "name"),
                                         tuple(sorted(members.items())), price, saving, start, end))

    reader.rows("bundles", ("bundle_id", "name", "skus"), bundle)

    rule_ids: dict[str, int] = {}
    categories = catalog.categories

    def rule(header: Header, row: Row, check: RowCheck, translations: Translations) -> None:
        rid = check.required("rule_id")
        if rid:
            reader.unique(check, "rule_id", rid, rule_ids, row.line)
        trigger = reader.sku(check, "trigger_sku", required=False)
        category = check.text("trigger_category") or None
        if check.text("trigger_sku") and category:
            check.fail("trigger_category", "give trigger_sku or trigger_category, not both")
        elif category and not any(c == category or c.startswith(category + " >")
                                   for c in categories):
            check.fail("trigger_category", f"no product is in category '{category}'")
        item = reader.sku(check, "sku")
        kind = check.required("kind").lower()
        if kind and kind not in RULE_KINDS:
            check.fail("kind", f"'{kind}' is not one of {', '.join(RULE_KINDS)}")
        if kind == "upsell" and not check.text("trigger_sku"):
            check.fail("trigger_sku", "an upsell rule needs the sku it upgrades")
        if item is not None and item == trigger:
            check.fail("sku", "a rule cannot suggest its own trigger")
        priority = check.parse("priority", parse_int, 0)
        boost = check.parse("boost", _positive, 1.0)
        start, end = reader.window(check)
        if check.ok and item is not None:      # ok: the sku resolved
            extras.rules.append(Rule(rid, trigger, category, item, kind, priority, boost,
                                     start, end, check.text("pitch") or None,
                                     reader.texts(row, translations, "pitch")))

    reader.rows("rules", ("rule_id", "sku", "kind"), rule)
    read_category_names(reader, categories)
    return extras


def category_path(text: str) -> str:
    """A category path with its levels joined by " > " ("A>B " -> "A > B")."""
    return " > ".join(p.strip() for p in text.split(">"))


def read_category_names(reader: _Reader, categories: set[str]) -> None:
    """categories.csv: a category path, its name in the dump's language and its
    translations. A path no product is in (nor under) is kept, with a note."""
    prefixes = {" > ".join(levels[:depth])
                for levels in (category_path(c).split(" > ") for c in categories)
                for depth in range(1, len(levels) + 1)}
    paths: dict[str, int] = {}
    unused: list[str] = []

    def category(header: Header, row: Row, check: RowCheck, translations: Translations) -> None:
        raw = check.required("category")
        path = category_path(raw) if raw else ""
        if path and not all(path.split(" > ")):
            check.fail("category", f"'{raw}' has an empty level")
        elif path:
            reader.unique(check, "category", path, paths, row.line)
        if check.ok:
            if path not in prefixes:
                unused.append(f"line {row.line}: '{path}'")
            reader.extras.categories.append(CategoryName(
                path, check.text("name") or None, reader.texts(row, translations, "name")))

    reader.rows("categories", ("category",), category)
    categories_file = find(reader.dump_dir, "categories")
    if unused and categories_file is not None:      # unused names come from that file
        file = categories_file.name
        reader.extras.notes.append(
            f"{file}: {len(unused)} categor{'y' if len(unused) == 1 else 'ies'} that no "
            f"product is in, kept (first: {unused[0]})")


def _positive(text: str) -> float:
    value = parse_decimal(text)
    if value <= 0:
        raise FieldError(f"'{text}' is not more than 0")
    return float(value)
