"""Non-food: household, personal care, seasonal ranges, pets, deli, health,
gaming, flowers, home goods, office, toys, clothing and cosmetics."""
from __future__ import annotations

RE_BRAND = ("RE", "Ren", 1.0, 1.2)


# the departments made here, by code
DEPARTMENTS = ()
