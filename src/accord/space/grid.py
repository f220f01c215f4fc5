"""Exact utility arithmetic: utilities as integer multiples of a fixed unit.

Floating-point sums depend on the order of addition, so two packages with the
same utility could compare unequal after being summed along different merge
orders, and a tie would silently become a strict preference.  Every analysis of
the agreement space therefore rounds each per-issue contribution (and each
reservation) once, to the nearest multiple of :data:`UNIT` = 2**-32 (about
2.3e-10), and then works with ``int64`` counts of that unit.  Integer addition is
exact and order-free, so dominance, ties and ZOPA membership are decided exactly
on that grid.  The rounding moves any utility by at most ``n_issues * UNIT / 2``,
far below the precision at which preferences are ever stated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["UNIT", "UNITS_PER_ONE", "from_units", "to_units"]

UNITS_PER_ONE = 2**32
UNIT = 1.0 / UNITS_PER_ONE


def to_units(values: ArrayLike) -> NDArray[np.int64]:
    """Round utilities to the nearest multiple of :data:`UNIT`, as int64 counts."""
    arr = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("utilities must be finite numbers")
    if np.any(np.abs(arr) > 2.0**20):
        raise ValueError("utilities must lie within +-2**20 to be represented exactly")
    return np.rint(arr * UNITS_PER_ONE).astype(np.int64)


def from_units(units: ArrayLike) -> NDArray[np.float64]:
    """Back from int64 counts of :data:`UNIT` to float utilities."""
    return np.asarray(units, dtype=np.float64) * UNIT
