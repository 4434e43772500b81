"""Reason lines in every store language, with the same fields as the English ones."""
import re
from string import Formatter

import pytest

from pos.engine import Engine
from pos.reasons import TEMPLATES, reason


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name}


@pytest.mark.parametrize("lang", sorted(TEMPLATES))
def test_every_language_has_every_template_with_the_same_fields(lang):
    assert TEMPLATES[lang].keys() == TEMPLATES["en"].keys()
    for key, english in TEMPLATES["en"].items():
        assert fields(TEMPLATES[lang][key]) == fields(english), (lang, key)


def test_unknown_language_falls_back_to_english():
    assert reason("xx", "fallback") == "Often bought together"
    assert reason("nb_NO", "fallback") == "Kjøpes ofte sammen"


def test_hebrew_reasons_from_the_engine(published):
    engine = Engine.open(published, lang="he")
    got = engine.suggest(["PASTA", "SAUCE"], k=3)
    together = next(s for s in got if s.kind == "cross" and s.source == "mined")
    assert re.search(r"[\u0590-\u05ff]", together.reason)          # Hebrew letters
    assert together.name == "פרמזן"                                    # name_he from the catalog


def test_templates_take_their_percentage_formatted():
    """"38 %" (nb, sv) or "38%" (en, hu, he) comes from Babel: no template writes the sign."""
    for lang, templates in TEMPLATES.items():
        for key, template in templates.items():
            assert "%" not in template, (lang, key)
    assert reason("hu", "together", pct="38%", anchor="A", name="B") == \
        "A(z) A termékkel vásárolt kosarak 38%-ában B is van"
