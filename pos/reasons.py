"""The one-line reasons a suggestion gives, in the store's language.

Templates per language (en, nb, sv, hu, he) with named fields; a language
without templates falls back to English. The fields come formatted: `{pct}` is
a percentage written by Babel for the language ("38 %" in nb, "38%" in en, so
the sign is never part of a template), `{count}`, `{visits}` and `{of}` are grouped
numbers, `{step}` and `{saving}` amounts, `{category}` a category's name in the
language (pos.engine). Without a name in the language, a category rule says
`rule_category_unnamed`, which names none.
"""
from __future__ import annotations

TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "upgrade": "Upgrade: +{step} for {name}",
        "upgrade_family": " — chosen by {pct} of buyers of this family",
        "upgrade_item": " — chosen by {pct} of buyers of {other}",
        "bundle": "Completes the {deal} deal: save {saving}",
        "rule_category": "Recommended with {category}",
        "rule_category_unnamed": "Recommended with an item in your basket",
        "rule_item": "Recommended with {name}",
        "rule_store": "Recommended by the store",
        "personal": "You buy this regularly ({count} of your {visits} visits)",
        "together": "{pct} of baskets with {anchor} also have {name}",
        "fallback": "Often bought together",
        "similar": "{count} of the {of} most similar recent baskets also have {name}",
    },
    "nb": {
        "upgrade": "Oppgrader: +{step} for {name}",
        "upgrade_family": " – valgt av {pct} av kjøperne i denne serien",
        "upgrade_item": " – valgt av {pct} av dem som kjøper {other}",
        "bundle": "Fullfører tilbudet {deal}: spar {saving}",
        "rule_category": "Anbefales sammen med {category}",
        "rule_category_unnamed": "Anbefales sammen med en vare i kurven",
        "rule_item": "Anbefales sammen med {name}",
        "rule_store": "Anbefalt av butikken",
        "personal": "Du kjøper denne ofte ({count} av dine {visits} besøk)",
        "together": "{pct} av handlekurvene med {anchor} har også {name}",
        "fallback": "Kjøpes ofte sammen",
        "similar": "{count} av de {of} mest like handlekurvene i det siste har også {name}",
    },
    "sv": {
        "upgrade": "Uppgradera: +{step} för {name}",
        "upgrade_family": " – valt av {pct} av köparna i den här serien",
        "upgrade_item": " – valt av {pct} av dem som köper {other}",
        "bundle": "Fullbordar erbjudandet {deal}: spara {saving}",
        "rule_category": "Rekommenderas med {category}",
        "rule_category_unnamed": "Rekommenderas med en vara i korgen",
        "rule_item": "Rekommenderas med {name}",
        "rule_store": "Rekommenderas av butiken",
        "personal": "Du köper den här ofta ({count} av dina {visits} besök)",
        "together": "{pct} av korgarna med {anchor} innehåller också {name}",
        "fallback": "Köps ofta tillsammans",
        "similar": "{count} av de {of} mest lika korgarna på sistone innehåller också {name}",
    },
    "hu": {
        "upgrade": "Váltson jobbra: +{step} – {name}",
        "upgrade_family": " – a sorozat vásárlóinak {pct}-a ezt választja",
        "upgrade_item": " – a(z) {other} vásárlóinak {pct}-a ezt választja",
        "bundle": "Teljessé teszi a(z) {deal} ajánlatot: {saving} megtakarítás",
        "rule_category": "Ajánlott ehhez: {category}",
        "rule_category_unnamed": "Ajánlott a kosárban lévő egyik termékhez",
        "rule_item": "Ajánlott ehhez: {name}",
        "rule_store": "Az üzlet ajánlja",
        "personal": "Rendszeresen vásárolja ({visits} látogatásból {count} alkalommal)",
        "together": "A(z) {anchor} termékkel vásárolt kosarak {pct}-ában {name} is van",
        "fallback": "Gyakran vásárolják együtt",
        "similar": "A legutóbbi {of} leginkább hasonló kosárból {count} kosárban {name} is van",
    },
    "he": {
        "upgrade": "שדרוג: +{step} עבור {name}",
        "upgrade_family": " – {pct} מהקונים בסדרה בוחרים בו",
        "upgrade_item": " – {pct} מקוני {other} בוחרים בו",
        "bundle": "משלים את המבצע {deal}: חיסכון של {saving}",
        "rule_category": "מומלץ עם {category}",
        "rule_category_unnamed": "מומלץ עם פריט שבסל",
        "rule_item": "מומלץ עם {name}",
        "rule_store": "המלצת החנות",
        "personal": "אתם קונים את זה באופן קבוע ({count} מתוך {visits} ביקורים)",
        "together": "ב-{pct} מהסלים עם {anchor} יש גם {name}",
        "fallback": "נקנים לעתים קרובות יחד",
        "similar": "ב-{count} מתוך {of} הסלים האחרונים הדומים ביותר יש גם {name}",
    },
}


def templates(lang: str | None) -> dict[str, str]:
    """The templates of `lang` (English when the language has none)."""
    return TEMPLATES.get((lang or "en").split("_")[0], TEMPLATES["en"])


def reason(lang: str | None, key: str, **fields) -> str:
    """The template `key` in `lang` (English when the language has none), filled in."""
    return templates(lang)[key].format(**fields)
