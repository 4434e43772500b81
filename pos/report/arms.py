"""The experiment arms compared: the first arm (by name) against each other one,
on attach rate and upsell take rate (two-proportion z tests), average basket value
and suggestion revenue per sale (Welch's t tests), each with a verdict in words.
Sales with no arm are not compared."""
from __future__ import annotations

from .figures import NO_ARM, Group
from .stats import Moments, Verdict, compare_means, compare_proportions


def verdicts(by_arm: list[Group], revenue_per_sale: dict[str, Moments] | None = None
             ) -> list[Verdict]:
    arms = [g for g in by_arm if g.key != NO_ARM]
    if len(arms) < 2:
        return []
    base, out = arms[0], []
    for other in arms[1:]:
        out.append(compare_proportions("attach rate", base.key, base.attached, base.with_shown,
                                       other.key, other.attached, other.with_shown))
        out.append(compare_proportions("upsell take rate", base.key, base.upsells_accepted,
                                       base.upsells_shown, other.key, other.upsells_accepted,
                                       other.upsells_shown))
        out.append(compare_means("average basket value", base.key, base.basket,
                                 other.key, other.basket))
    return out
