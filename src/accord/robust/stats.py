"""Interval estimates for probabilities and first-order sensitivity indices.

Both work from integer counts only, so results merged from chunks computed in
any order, on any number of workers, are exactly the same.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.statistics import wilson_interval

__all__ = ["Probability", "first_order_indices", "null_index_level", "wilson_interval"]


@dataclass(frozen=True)
class Probability:
    """An estimated probability: ``count`` of ``samples``, with its Wilson interval."""

    estimate: float
    low: float
    high: float
    count: int
    samples: int
    confidence: float

    @classmethod
    def from_counts(cls, count: int, samples: int, confidence: float = 0.95) -> Probability:
        low, high = wilson_interval(count, samples, confidence)
        estimate = count / samples if samples else math.nan
        return cls(estimate, low, high, int(count), int(samples), confidence)

    def __str__(self) -> str:
        return f"{100 * self.estimate:.1f}% [{100 * self.low:.1f}, {100 * self.high:.1f}]"


def first_order_indices(
    bin_counts: NDArray[np.integer], bin_hits: NDArray[np.integer]
) -> NDArray[np.float64]:
    """First-order (main-effect) sensitivity indices of binary conclusions, by binning.

    For a conclusion ``Y`` (0 or 1 per sample) and an input ``X_i``, the
    first-order index is ``S_i = Var(E[Y | X_i]) / Var(Y)`` (Sobol' 2001,
    "Global sensitivity indices for nonlinear mathematical models and their
    Monte Carlo estimates", *Mathematics and Computers in Simulation* 55;
    Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, Wiley,
    section 1.2.5).  ``E[Y | X_i]`` is estimated by the mean of ``Y`` within
    bins of equal probability of ``X_i`` (bins of its distribution function),
    a given-data estimator (Saltelli et al. 2008, section 1.2.11; Plischke,
    Borgonovo and Smith 2013, *European Journal of Operational Research* 226).

    Args:
        bin_counts: (parameters, bins) samples per bin of each parameter.
        bin_hits: (conclusions, parameters, bins) samples in the bin where the
            conclusion holds.

    Returns:
        (conclusions, parameters) indices in [0, 1]; NaN where the conclusion
        never varies (holds in all samples or in none).
    """
    counts = np.asarray(bin_counts, dtype=np.float64)
    hits = np.asarray(bin_hits, dtype=np.float64)
    total = counts.sum(axis=1)  # samples, per parameter (all equal)
    n = total[0] if total.size else 0.0
    mean = hits.sum(axis=2) / np.where(total > 0, total, 1.0)  # (T, P)
    variance = mean * (1 - mean)
    bin_mean = np.divide(hits, counts[None], out=np.zeros_like(hits), where=counts[None] > 0)
    between = (counts[None] * (bin_mean - mean[:, :, None]) ** 2).sum(axis=2) / max(n, 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(variance > 0, between / np.where(variance > 0, variance, 1.0), np.nan)
    return np.clip(index, 0.0, 1.0)


def null_index_level(bins: int, samples: int) -> float:
    """The expected binned index of an input that has no effect: ``(bins - 1) / (samples - 1)``.

    Under no effect, the between-bin sum of squares divided by the total
    variance is approximately chi-square with ``bins - 1`` degrees of freedom
    over ``samples``; indices near this level are noise.
    """
    return (bins - 1) / max(samples - 1, 1)
