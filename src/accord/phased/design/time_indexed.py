"""The ``time-indexed`` formulation: one binary per possible day of each stage boundary.

For each boundary ``s = 0..K`` (``K`` is the end) and each day ``t`` it could fall on, a binary
``z[s,t]`` says the boundary falls on day ``t``.  An amount ``x[s,d]`` is split by day as
``w[s,t,d] = z[s,t] x[s,d]``, linearised exactly with ``0 <= w <= N_d z`` and
``sum_t w[s,t,d] = x[s,d]``; then ``delta**start_s * x[s,d] = sum_t delta**t w[s,t,d]`` is
linear, and the margins are built from it by :func:`accord.phased.design.absolute.day_margins`.
The textbook time-indexed scheduling model (Sousa and Wolsey 1992, "A time indexed formulation
of non-preemptive single machine scheduling problems", Mathematical Programming 54): exact, with
a strong LP relaxation, but one binary per boundary and day (about 1,100 at 12 daily stages).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.programme import Expr, Programme, accumulate
from accord.phased.design.spec import ScheduleSpec

__all__ = ["TimeIndexedClock", "discounted_tail"]


def discounted_tail(delta: float, t: float) -> float:
    """G(t) with flows from day a to day b (exclusive) worth G(a) - G(b) per unit rate."""
    return delta**t / (1.0 - delta) if delta < 1.0 else -float(t)


class TimeIndexedClock:
    """Boundary ``s`` falls on day ``t`` iff binary ``z[s][t]`` = 1 (one per possible day)."""

    def __init__(self, b: Programme, spec: ScheduleSpec) -> None:
        self.b = b
        step, lo, hi = spec.day_step, spec.min_days, spec.max_days
        top = lo + ((hi - lo) // step) * step
        windows = [range(s * lo, s * top + 1, step) for s in range(spec.stages + 1)]
        self.z: list[dict[int, int]] = []
        for s in range(spec.stages + 1):
            self.z.append({t: b.var(0.0, 1.0, integer=True) for t in windows[s]})
            b.row({c: 1.0 for c in self.z[s].values()}, 1.0, 1.0)
        for s in range(spec.stages):
            terms: dict[int, float] = {}
            const = accumulate(terms, self.start(s + 1), 1.0)
            const += accumulate(terms, self.start(s), -1.0)
            b.row(terms, float(lo) - const, float(hi) - const)
            # the same, day by day (a tighter LP): boundary s+1 on day t needs boundary s on a
            # day from t - max_days to t - min_days
            for t, c in self.z[s + 1].items():
                prev = {self.z[s][u]: -1.0 for u in range(t - hi, t - lo + 1) if u in self.z[s]}
                b.row({c: 1.0, **prev}, -np.inf, 0.0)
        self._split: dict[tuple[int, int], dict[int, int]] = {}

    def start(self, s: int) -> Expr:
        return {c: float(t) for t, c in self.z[s].items()}, 0.0

    def disc(self, s: int, col: int, bound: float, delta: float) -> Expr:
        """``delta**start_s * x[col]`` as ``sum_t delta**t w[t]`` with ``w[t] = z[s][t] x``."""
        key = (s, col)
        if key not in self._split:
            w = {t: self.b.var(0.0, bound) for t in self.z[s]}
            for t, zc in self.z[s].items():
                self.b.row({w[t]: 1.0, zc: -bound}, -np.inf, 0.0)
            self.b.row({**{c: 1.0 for c in w.values()}, col: -1.0}, 0.0, 0.0)
            self._split[key] = w
        return {c: delta**t for t, c in self._split[key].items()}, 0.0

    def disc_one(self, s: int, delta: float) -> Expr:
        """``delta**start_s``."""
        return {c: delta**t for t, c in self.z[s].items()}, 0.0

    def tail(self, s: int, delta: float) -> Expr:
        """:func:`discounted_tail` of the day stage ``s`` starts."""
        return {c: discounted_tail(delta, t) for t, c in self.z[s].items()}, 0.0

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        return [max(zs, key=lambda t: sol[zs[t]]) for zs in self.z]
