"""The till's UI strings in the store's language: gettext catalogs kept as
`locale/<lang>/LC_MESSAGES/pos.po` (Babel: `pybabel extract/update`, see
docs/till.md), compiled to `.mo` at install time (setup.py); a checkout
without the `.mo` files compiles the `.po` in memory. English is the source.

    from pos.i18n import _, set_language
    set_language("nb");  _("Total")  ->  "Totalt"

`N_(text)` marks a string for extraction without translating it (a constant
defined at import time, translated where it is shown: `_(KIND_LABELS[kind])`).
After changing UI strings, `scripts/update-translations` re-extracts them
(`pos/i18n/babel.cfg` -> `pos/i18n/pos.pot`) and updates every catalog.

Right-to-left: `visual(text)` reorders a Hebrew (or any RTL) string for a
terminal, which draws cells left to right (python-bidi's UAX #9 reordering);
`is_rtl(lang)` says whether a language's layout is right-to-left.
"""
from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "pos"
LANGUAGES = ("en", "nb", "sv", "hu", "he")
RTL_LANGUAGES = frozenset({"he", "ar", "fa", "ur", "yi"})

__all__ = ["DOMAIN", "LANGUAGES", "LOCALE_DIR", "N_", "RTL_LANGUAGES", "_", "has_rtl", "is_rtl",
           "language", "set_language", "translations", "visual"]

_current: gettext.NullTranslations = gettext.NullTranslations()
_lang = "en"


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    mo = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = mo.with_suffix(".po")
    # an installed .mo is used unless its .po was edited after it (a second of slack:
    # an install writes both in either order)
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime - 1):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        with po.open("rb") as f:
            catalog = read_po(f, locale=lang)
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


def set_language(lang: str) -> None:
    global _current, _lang
    _current, _lang = translations(lang), lang


def language() -> str:
    return _lang


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Marks `message` for extraction (pybabel keyword N_); returns it untranslated."""
    return message




def is_rtl(lang: str | None) -> bool:
    return (lang or "").split("_")[0] in RTL_LANGUAGES


def has_rtl(text: str) -> bool:
    return any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text)


def visual(text: str) -> str:
    """`text` in display order for a left-to-right terminal (unchanged without RTL letters)."""
    if not text or not has_rtl(text):
        return text
    from bidi import get_display
    return get_display(text, base_dir="R")
