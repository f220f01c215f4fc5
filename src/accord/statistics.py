"""Statistics that several analyses share."""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["wilson_interval"]


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion.

    Wilson, E. B. (1927), "Probable inference, the law of succession, and
    statistical inference", *Journal of the American Statistical Association*
    22(158): 209-212.  Unlike the normal ("Wald") interval it stays inside
    [0, 1] and keeps its coverage near 0 and 1, where robustness questions
    ("in the ZOPA in 99.8% of profiles") often land.  ``trials == 0`` gives
    the uninformative interval (0, 1).
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"impossible counts: {successes} successes in {trials} trials")
    if trials == 0:
        return (0.0, 1.0)
    # the standard library's inverse normal (Wichura's AS 241, accurate to about 1e-16): the
    # report's process then never imports scipy.special (0.2 s) for one quantile
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return (low, high)
