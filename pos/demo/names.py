"""Product names in the five languages: translations (`X`), sizes and their
units, and composing a catalogue-style name from noun, brand, variants and size."""
from __future__ import annotations

from .tables import table

LANGS = ("en", "nb", "sv", "hu", "he")


def X(text):
    """'en|nb|sv|hu|he' -> a 5-tuple of translations."""
    parts = tuple(p.strip() for p in text.split("|"))
    if len(parts) != 5 or not all(parts):
        raise ValueError(f"need five translations: {text!r}")
    return parts


def translations(texts):
    """key -> 'en|nb|sv|hu|he' as key -> its five translations."""
    return {key: X(text) for key, text in texts.items()}


def decimal(text, lang):
    """A number's text ('179.80') as `lang` writes it ('179,80' in nb, sv and hu)."""
    return text.replace(".", ",") if lang in ("nb", "sv", "hu") else text


def num_l(v, lang):
    return decimal(str(int(v)) if float(v).is_integer() else f"{v:g}", lang)


def fill(templates, **values):
    """The five translations of `templates` with their {fields} filled in: a value
    is five translations, or a number's text written as each language writes it."""
    return tuple(template.format(**{k: v[i] if isinstance(v, tuple) else decimal(v, lang)
                                    for k, v in values.items()})
                 for i, (template, lang) in enumerate(zip(templates, LANGS)))


UNIT = translations(table("units")["units"])
HU_SIZE_SUFFIX = {1: "-es", 2: "-es", 3: "-as", 4: "-es", 5: "-ös", 6: "-os", 7: "-es"}
# how much of a base unit (kg, l, piece) one unit of a size is
BASE_UNIT = {unit: tuple(base) for unit, base in table("units")["base_units"].items()}


class Size:
    __slots__ = ("value", "unit", "count", "text")

    def __init__(self, value, unit, count=1, text=None):
        self.value, self.unit, self.count, self.text = value, unit, count, text

    def fmt(self, lang):
        i = LANGS.index(lang)
        u, v = self.unit, self.value
        if u == "raw":
            return self.text[i]
        if u == "in":
            return f"{v} אינץ'" if lang == "he" else f'{v}"'
        if u == "size":
            return {"en": f"size {v}", "nb": f"str. {v}", "sv": f"stl. {v}",
                    "hu": f"{v}{HU_SIZE_SUFFIX[v]} méret", "he": f"מידה {v}"}[lang]
        if u == "spf":
            return f"SPF {v}"
        if lang == "he" and u == "cl":
            inner = f"{num_l(v * 10, lang)} {UNIT['ml'][i]}"
        elif lang == "he" and u == "l" and v < 1:
            inner = f"{num_l(round(v * 1000), lang)} {UNIT['ml'][i]}"
        else:
            inner = f"{num_l(v, lang)} {UNIT[u][i]}"
        return f"{self.count} x {inner}" if self.count > 1 else inner

    def base(self):
        """(base unit, amount) for unit-price comparisons, or None."""
        if self.unit not in BASE_UNIT:
            return None
        bu, f = BASE_UNIT[self.unit]
        return bu, self.value * f * self.count


PREP = {"en": "for", "nb": "til", "sv": "till"}


def compose(lang, noun, brand=None, var=(), size=None, colour=None, for_=None):
    """Catalogue-style name: '<brand> <noun> <variants> <size>, <colour>'.

    Hebrew puts the brand after the noun and variants; Hungarian puts the
    device an accessory is for in front of the noun ('Nordtek X5 szilikon tok').
    """
    i = LANGS.index(lang)
    n = noun[i]
    vs = [v[i] for v in var if v]
    if lang == "he":
        parts = [n] + vs
        if for_:
            parts.append("ל-" + for_)
        if brand:
            parts.append(brand)
    elif lang == "hu":
        parts = ([brand] if brand else []) + ([for_] if for_ else []) + [n] + vs
    else:
        parts = ([brand] if brand else []) + [n] + vs + ([PREP[lang], for_] if for_ else [])
    if size is not None:
        parts.append(size.fmt(lang))
    out = " ".join(parts)
    if colour:
        out += ", " + colour[i]
    return out[:1].upper() + out[1:]


