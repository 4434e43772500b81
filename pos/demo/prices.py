"""Money as the dump writes it, shelf-price rounding, and the value pitch a
bigger pack earns when it is cheaper per kg, litre or piece."""
from __future__ import annotations

from .names import X, fill, translations
from .tables import table


def money(ore):
    """Integer øre -> '24.90'."""
    return f"{ore // 100}.{ore % 100:02d}"


def round_price(nok, style):
    """Shelf-price rounding, returns øre.  g: 24.90 style; e: 249.00 / 7990.00."""
    if style == "g":
        return max(1, round(nok)) * 100 - 10
    if style == "e":
        if nok < 1000:
            return max(2, round(nok / 10)) * 1000 - 100
        return round(nok / 100) * 10000 - 1000
    return max(1, round(nok * 100))


UNIT_PER = translations(table("units")["per_unit"])
VALUE_PITCH = X(table("pitches")["templates"]["value"])


def value_pitch(new_price, new_size, old_price, old_size):
    """'Better value: NOK 179.80 per kg instead of 239.60' when it is true."""
    a, b = new_size.base(), old_size.base()
    if not a or not b or a[0] != b[0]:
        return None
    per_new = new_price / a[1]
    per_old = old_price / b[1]
    if per_new >= per_old * 0.97:
        return None
    return fill(VALUE_PITCH, new=money(round(per_new)), old=money(round(per_old)),
                per=UNIT_PER[a[0]])
