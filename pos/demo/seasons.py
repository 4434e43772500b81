"""The seasons a product sells in: how strong Christmas, summer, Easter, autumn,
school start and spring are on a day, and what that does to a product's weight."""
from __future__ import annotations


def season_levels(d, easter):
    m, day = d.month, d.day
    if m == 10 and day >= 15:
        xmas = 0.15
    elif m == 11:
        xmas = 0.4 if day < 15 else 1.0
    elif m == 12:
        xmas = 1.8 if day <= 23 else (1.2 if day == 24 else 0.25)
    elif m == 1 and day <= 6:
        xmas = 0.05
    else:
        xmas = 0.0
    if m == 5:
        summer = 0.4 if day >= 15 else 0.0
    elif m in (6, 7, 8):
        summer = {6: 1.0, 7: 1.2, 8: 0.8}[m]
    elif m == 9 and day <= 15:
        summer = 0.2
    else:
        summer = 0.0
    delta = (d - easter).days
    east = 1.5 if -7 <= delta <= 1 else (1.0 if -21 <= delta < -7 else 0.0)
    autumn = 1.0 if m in (9, 10, 11) else (0.3 if m == 12 else 0.0)
    school = 1.0 if (m == 8 or (m == 9 and day <= 15)) else 0.0
    spring = 1.0 if m in (1, 2, 3, 4) else (0.5 if m == 5 else 0.15)
    return (xmas, summer, east, autumn, school, spring)


def season_factor(season, lv):
    if season is None:
        return 1.0
    xmas, summer, east, autumn, school, spring = lv
    return {
        "xmas": xmas, "xmas+": 1.0 + xmas,
        "summer": summer, "summer+": 0.5 + summer,
        "easter": east, "easter+": 1.0 + 2.0 * east,
        "autumn": autumn, "school+": 1.0 + 2.0 * school,
        "spring": spring,
    }[season]
