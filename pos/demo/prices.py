"""Money as the dump writes it, shelf-price rounding, and the value pitch a
bigger pack earns when it is cheaper per kg, litre or piece."""
from __future__ import annotations

from .names import LANGS


def money(ore):
    """Integer øre -> '24.90'."""
    return f"{ore // 100}.{ore % 100:02d}"


def money_l(ore, lang):
    s = money(ore)
    return s.replace(".", ",") if lang in ("nb", "sv", "hu") else s

def round_price(nok, style):
    """Shelf-price rounding, returns øre.  g: 24.90 style; e: 249.00 / 7990.00."""
    if style == "g":
        return max(1, round(nok)) * 100 - 10
    if style == "e":
        if nok < 1000:
            return max(2, round(nok / 10)) * 1000 - 100
        return round(nok / 100) * 10000 - 1000
    return max(1, round(nok * 100))

UNIT_PER = {
    "kg": ("per kg", "per kg", "per kg", "kilónként", 'לק"ג'),
    "l": ("per litre", "per liter", "per liter", "literenként", "לליטר"),
    "pcs": ("each", "per stk", "per st", "darabonként", "ליחידה"),
}


def value_pitch(new_price, new_size, old_price, old_size):
    """'Better value: NOK 179.80 per kg instead of 239.60' when it is true."""
    a, b = new_size.base(), old_size.base()
    if not a or not b or a[0] != b[0]:
        return None
    per_new = new_price / a[1]
    per_old = old_price / b[1]
    if per_new >= per_old * 0.97:
        return None
    bu = a[0]
    pn, po = round(per_new), round(per_old)
    out = []
    for i, lang in enumerate(LANGS):
        n, o, u = money_l(pn, lang), money_l(po, lang), UNIT_PER[bu][i]
        out.append({
            "en": f"Better value: NOK {n} {u} instead of {o}",
            "nb": f"Bedre kjøp: {n} kr {u} i stedet for {o}",
            "sv": f"Bättre köp: {n} kr {u} i stället för {o}",
            "hu": f"Jobb vétel: {n} NOK {u} {o} helyett",
            "he": f"משתלם יותר: {n} NOK {u} במקום {o}",
        }[lang])
    return tuple(out)
