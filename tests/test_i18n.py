"""The till's UI strings: every msgid Babel extracts from pos/ is translated in
every catalog (placeholders kept), the catalogs parse, the runtime finds them,
Hebrew is reordered for the terminal, and a real (non-editable) build ships the
compiled .mo files."""
from __future__ import annotations

import ast
import gettext
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import pos.i18n as i18n
from conftest import build_wheel
from pos.i18n import N_, _, set_language, visual

ROOT = Path(__file__).resolve().parent.parent
POS = ROOT / "pos"
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != "en"]
KEYWORDS = {"_": None, "N_": None}         # as scripts/update-translations passes them
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[str]]:
    """msgid -> where it is, as `pybabel extract` with pos/i18n/babel.cfg finds them."""
    with (POS / "i18n" / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    found: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            POS, method_map, options_map, keywords=KEYWORDS, comment_tags=()):
        assert isinstance(message, str), f"{filename}:{lineno}: plural/context forms are not used"
        found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


def catalog(lang: str):
    with (POS / "i18n" / "locale" / lang / "LC_MESSAGES" / "pos.po").open("rb") as f:
        return read_po(f, locale=lang, abort_invalid=True)


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def test_the_source_has_the_till_strings(extracted):
    # the UI's own calls, and the constants marked with N_ that the UI shows as _(text)
    for msgid in ("Total", "Ready: scan an item", "Add-on", "accept", "Scanner reconnecting",
                  "This help", "no product with this barcode — enter the item by hand",
                  "check digit wrong — scan again", "age-restricted: check the customer's age",
                  "expired on {date} — do not sell, take it off the shelf", "save", "TRAINING"):
        assert msgid in extracted
    assert len(extracted) >= 80


def test_every_literal_given_to_gettext_is_extracted(extracted):
    """A `_("...")` the extractor cannot see (inside an f-string, before Python 3.12)
    would never be translated: every literal call in pos/ must be in the extraction."""
    missing = []
    for path in sorted(POS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in KEYWORDS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and node.args[0].value not in extracted):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value!r}")
    assert not missing, "not extracted:\n" + "\n".join(missing)


def test_marked_constants_are_unchanged_strings():
    from pos.scanner import decode, resolve
    from pos.ui.widgets.cards import KIND_LABELS
    assert N_("Deal") == "Deal"
    assert KIND_LABELS["bundle"] == "Deal"
    assert resolve.REASON_UNKNOWN_CARD == "card not known to this store"
    assert decode.REASON_EMPTY == "nothing was read — scan again"


def test_the_controller_still_imports_no_textual():
    code = ("import sys, pos.i18n, pos.scanner.decode, pos.scanner.resolve, pos.till.session; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'bidi')]; "
            "assert not bad, bad")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalog_parses_with_proper_header(lang):
    path = POS / "i18n" / "locale" / lang / "LC_MESSAGES" / "pos.po"
    raw = path.read_text(encoding="utf-8")
    assert f'"Language: {lang}\\n"' in raw
    assert '"Plural-Forms: nplurals=' in raw
    assert '"Content-Type: text/plain; charset=utf-8\\n"' in raw.replace("UTF-8", "utf-8")
    cat = catalog(lang)                      # abort_invalid: a syntax error raises
    assert str(cat.locale) == lang
    assert not cat.obsolete, f"{lang}: obsolete entries {list(cat.obsolete)}"
    fuzzy = [m.id for m in cat if m.id and m.fuzzy]
    assert not fuzzy, f"{lang}: fuzzy (unreviewed) entries {fuzzy}"
    errors = [(m.id, err) for m, err in cat.check()]
    assert not errors, f"{lang}: {errors}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_extracted_msgid_is_translated(lang, extracted):
    cat = catalog(lang)
    missing = [msgid for msgid in extracted if not (cat.get(msgid) and cat.get(msgid).string.strip())]
    assert not missing, (f"{lang}: no translation for {missing}; run scripts/update-translations "
                         "and translate the new entries")
    stale = sorted(m.id for m in cat if m.id and m.id not in extracted)
    assert not stale, f"{lang}: msgids no longer in the source {stale}; run scripts/update-translations"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_are_kept(lang, extracted):
    cat = catalog(lang)
    wrong = []
    for msgid in extracted:
        string = cat.get(msgid).string
        if sorted(PLACEHOLDER.findall(string)) != sorted(PLACEHOLDER.findall(msgid)):
            wrong.append((msgid, string))
        # and it formats like the English does
        fields = {name[1:-1]: "x" for name in PLACEHOLDER.findall(msgid)}
        if fields:
            string.format(**fields)
    assert not wrong, f"{lang}: placeholders differ: {wrong}"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_keys_stay_keys(lang, extracted):
    """Key names in the key hints are what is printed on the keyboard."""
    cat = catalog(lang)
    for msgid in extracted:
        for key in re.findall(r"\b(?:Enter|Esc|F\d+)\b|[↑↓]|(?<![\w{])\d(?= =)", msgid):
            assert key in cat.get(msgid).string, (lang, msgid, key)


def test_the_runtime_translates():
    set_language("nb")
    assert i18n.language() == "nb"
    assert _("Total") == "Totalt"
    assert _("accept") == "godta"
    from pos.scanner.resolve import REASON_UNKNOWN_PRODUCT
    set_language("sv")
    assert _(REASON_UNKNOWN_PRODUCT) == "ingen vara med den här streckkoden — slå in varan manuellt"
    set_language("hu")
    assert _("Paid {total}. Next customer.").format(total="1 000 Ft") == \
        "Fizetve: 1 000 Ft. Következő vásárló."
    set_language("he")
    assert _("Total") == "סה״כ"
    assert _("not a msgid at all") == "not a msgid at all"
    set_language("en")
    assert _("Total") == "Total"


def test_the_catalogs_compile_in_memory_without_mo():
    """A checkout / editable install has no .mo: the .po is compiled in memory."""
    for lang in TRANSLATED:
        mo = POS / "i18n" / "locale" / lang / "LC_MESSAGES" / "pos.mo"
        if mo.exists():
            pytest.skip(f"{mo} exists (compiled by hand); the in-memory path is not used")
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("sv").gettext("Total") == "Totalt"
        assert i18n.translations("hu").gettext("Cashier") == "Pénztáros"
    finally:
        i18n.translations.cache_clear()


def test_visual_reorders_hebrew_and_leaves_latin_alone():
    assert visual("שלום") == "םולש"
    assert visual("סה״כ: 12.50") == "12.50 :כ״הס"          # numbers keep their order
    for text in ("Total: 12.50", "Totalt: 12,50 kr", "Összesen: 1 000 Ft", "Ej skickade köp", ""):
        assert visual(text) == text
    set_language("he")
    assert visual(_("Keys")) != _("Keys") and visual(_("Keys")) == _("Keys")[::-1]


def test_a_real_build_ships_compiled_catalogs(tmp_path):
    """`pip wheel` of a copy of the project (not the shared checkout: the build writes
    build/ and *.egg-info) contains pos.mo for every catalog, and they are right."""
    wheel = build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for lang in TRANSLATED:
            base = f"pos/i18n/locale/{lang}/LC_MESSAGES/pos"
            assert f"{base}.po" in names and f"{base}.mo" in names, (lang, sorted(names))
            tr = gettext.GNUTranslations(io.BytesIO(zf.read(f"{base}.mo")))
            assert tr.gettext("Total") == catalog(lang).get("Total").string
            assert tr.info()["language"] == lang
