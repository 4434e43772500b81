"""Statistics for the manager's report, in plain Python (math module only):
Wilson score intervals for proportions, t intervals for means, the two-proportion
z test and Welch's t test between experiment arms, the sample sizes a test needs
(normal-approximation power calculation), and a verdict in plain words.

Conventions: 95% two-sided intervals and tests (alpha = 0.05), power 80% for the
"need about N per arm" figure. A test is only run when every arm has at least
MIN_COUNT successes and MIN_COUNT failures (proportions) or MIN_SALES sales
(means); otherwise the verdict is "too few sales to tell".
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

ALPHA = 0.05
POWER = 0.80
MIN_COUNT = 10        # successes and failures per arm for the normal approximation
MIN_SALES = 30        # sales per arm for a test of means


def normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_quantile(p: float) -> float:
    """x with normal_cdf(x) = p (0 < p < 1), by bisection (to 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"a probability strictly between 0 and 1, not {p}")
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if normal_cdf(mid) < p:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return (lo + hi) / 2


Z95 = normal_quantile(1 - ALPHA / 2)          # 1.959963984540054


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny, eps = 1e-300, 3e-16
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 10_000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < eps:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                     + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with df degrees of freedom."""
    if math.isinf(df):
        return 2.0 * normal_cdf(-abs(t))
    return betainc(df / 2.0, 0.5, df / (df + t * t))


def t_quantile(p: float, df: float) -> float:
    """x with P(T <= x) = p, for p > 0.5 (bisection on t_two_sided_p)."""
    if not 0.5 < p < 1.0:
        raise ValueError(f"p must be in (0.5, 1), not {p}")
    target = 2.0 * (1.0 - p)
    lo, hi = 0.0, 1.0
    while t_two_sided_p(hi, df) > target:
        hi *= 2.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_two_sided_p(mid, df) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10:
            break
    return (lo + hi) / 2


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """The Wilson score interval of successes/n; None when n = 0."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Moments:
    """n, sum and sum of squares of a sample: what SQL gives, additive over groups."""
    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def __add__(self, other: "Moments") -> "Moments":
        return Moments(self.n + other.n, self.total + other.total, self.squares + other.squares)

    @property
    def mean(self) -> float | None:
        return self.total / self.n if self.n else None

    @property
    def variance(self) -> float | None:
        """The sample variance (n - 1 in the denominator)."""
        if self.n < 2:
            return None
        return max(0.0, (self.squares - self.total * self.total / self.n) / (self.n - 1))

    def mean_variance(self) -> tuple[float, float] | None:
        """(mean, sample variance); None below two values."""
        mean, var = self.mean, self.variance
        return None if mean is None or var is None else (mean, var)


def mean_interval(m: Moments, confidence: float = 1 - ALPHA) -> Interval | None:
    """The t interval of the mean; None below two values."""
    both = m.mean_variance()
    if both is None:
        return None
    mean, var = both
    half = t_quantile(1 - (1 - confidence) / 2, m.n - 1) * math.sqrt(var / m.n)
    return Interval(mean - half, mean + half)


def t_interval(xs: Iterable[float], confidence: float = 1 - ALPHA) -> tuple[float, float, float]:
    """(mean, low, high): the t interval of the mean of the values ``xs`` (two
    passes; a single value: the mean only; none: zeros). The paired intervals of
    pos eval and of the nightly backtest are this over per-basket differences."""
    d = [float(x) for x in xs]
    n = len(d)
    if n == 0:
        return 0.0, 0.0, 0.0
    mean = math.fsum(d) / n
    if n < 2:
        return mean, mean, mean
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in d) / (n - 1))
    half = t_quantile(1 - (1 - confidence) / 2, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p: float
    df: float | None = None


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """The pooled two-proportion z test of x1/n1 against x2/n2 (two-sided);
    z > 0 when the second proportion is the higher."""
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult(0.0, 1.0)
    z = (x2 / n2 - x1 / n1) / se
    return TestResult(z, 2.0 * normal_cdf(-abs(z)))


def welch_t(a: Moments, b: Moments) -> TestResult:
    """Welch's unequal-variance t test of mean(b) against mean(a) (two-sided);
    t > 0 when b's mean is the higher. Welch-Satterthwaite degrees of freedom."""
    sa, sb = a.mean_variance(), b.mean_variance()
    if sa is None or sb is None:
        raise ValueError("Welch's t test needs two values or more in each sample")
    (mean_a, var_a), (mean_b, var_b) = sa, sb
    va, vb = var_a / a.n, var_b / b.n
    if va + vb == 0:
        return TestResult(0.0, 1.0, a.n + b.n - 2)
    t = (mean_b - mean_a) / math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (a.n - 1) + vb * vb / (b.n - 1))
    return TestResult(t, t_two_sided_p(t, df), df)


def n_for_proportions(p1: float, p2: float, alpha: float = ALPHA, power: float = POWER) -> int | None:
    """Sales per arm to detect p1 against p2 (normal approximation); None when equal."""
    if p1 == p2:
        return None
    za, zb = normal_quantile(1 - alpha / 2), normal_quantile(power)
    bar = (p1 + p2) / 2
    top = za * math.sqrt(2 * bar * (1 - bar)) + zb * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top * top / (p1 - p2) ** 2)


def n_for_means(delta: float, variance: float, alpha: float = ALPHA,
                power: float = POWER) -> int | None:
    """Sales per arm to detect a difference delta of means with this variance."""
    if delta == 0:
        return None
    za, zb = normal_quantile(1 - alpha / 2), normal_quantile(power)
    return math.ceil(2 * (za + zb) ** 2 * variance / (delta * delta))


@dataclass(frozen=True)
class Verdict:
    """The comparison of one figure between arm `a` (the first) and arm `b`."""
    metric: str                 # e.g. "attach rate"
    a: str
    b: str
    value_a: float | None
    value_b: float | None
    p: float | None             # None: no test run
    enough: bool                # the minimum-sample rule holds
    needed: int | None          # sales per arm a test would need (power calculation)
    text: str


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def _words(metric: str, a: str, b: str, p: float | None, diff: float, enough: bool,
           needed: int | None, have: int) -> str:
    if not enough or p is None:         # a test runs when there are enough sales
        need = f": need about {needed:,} per arm" if needed else ""
        return f"too few sales to tell{need}"
    if p < ALPHA:
        higher, lower = (b, a) if diff > 0 else (a, b)
        return f"{higher}'s {metric} is higher than {lower}'s ({_p(p)})"
    text = f"no difference shown ({_p(p)})"
    if needed and needed > have:
        text += f"; about {needed:,} per arm would show a difference this size"
    return text


def compare_proportions(metric: str, a: str, xa: int, na: int, b: str, xb: int,
                        nb: int) -> Verdict:
    pa = xa / na if na else None
    pb = xb / nb if nb else None
    enough = min(xa, na - xa, xb, nb - xb) >= MIN_COUNT
    needed = n_for_proportions(pa, pb) if pa is not None and pb is not None else None
    if not enough or pa is None or pb is None:      # enough: na, nb >= 2 * MIN_COUNT
        # at least enough for the rule of MIN_COUNT successes and failures
        rates = [r for r in (pa, pb) if r is not None and 0 < r < 1]
        floor = math.ceil(MIN_COUNT / min(min(r, 1 - r) for r in rates)) if rates else None
        needed = max(filter(None, (needed, floor)), default=None)
        return Verdict(metric, a, b, pa, pb, None, False, needed,
                       _words(metric, a, b, None, 0, False, needed, min(na, nb)))
    test = two_proportion_z(xa, na, xb, nb)
    return Verdict(metric, a, b, pa, pb, test.p, True, needed,
                   _words(metric, a, b, test.p, pb - pa, True, needed, min(na, nb)))


def compare_means(metric: str, a: str, ma: Moments, b: str, mb: Moments) -> Verdict:
    enough = min(ma.n, mb.n) >= MIN_SALES
    needed = None
    sa, sb = ma.mean_variance(), mb.mean_variance()     # None below two sales
    if sa is not None and sb is not None:
        needed = n_for_means(sb[0] - sa[0], (sa[1] + sb[1]) / 2)
    if not enough or sa is None or sb is None:          # enough: MIN_SALES >= 2 each
        needed = max(filter(None, (needed, MIN_SALES)), default=None)
        return Verdict(metric, a, b, ma.mean, mb.mean, None, False, needed,
                       _words(metric, a, b, None, 0, False, needed, min(ma.n, mb.n)))
    test = welch_t(ma, mb)
    return Verdict(metric, a, b, ma.mean, mb.mean, test.p, True, needed,
                   _words(metric, a, b, test.p, sb[0] - sa[0], True, needed,
                          min(ma.n, mb.n)))
