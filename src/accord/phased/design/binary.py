"""The ``binary`` formulation: each stage boundary's day encoded by its bits.

Boundary ``s`` falls on day ``s*min_days + day_step * sum_b 2**b y[s][b]`` for binaries
``y[s][b]``, and ``delta**start_s x`` is built along the bits, one exactly linearised product
of a bit and a bounded variable per bit (McCormick 1976, "Computability of global solutions to
factorable nonconvex programs", Mathematical Programming 10; exact when one factor is binary):
about 8 binaries per boundary instead of up to 168 on a daily grid.  The margins are then built
by :func:`accord.phased.design.absolute.day_margins`, as for the time-indexed formulation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.programme import Expr, Programme, accumulate, scaled
from accord.phased.design.spec import ScheduleSpec

__all__ = ["BinaryClock"]


class BinaryClock:
    """Boundary ``s`` falls on day ``s*min_days + day_step * sum_b 2**b y[s][b]`` (binary bits).

    ``delta**start_s * x`` is built along the bits: ``v_0 = delta**(s*min_days) x``,
    ``v_{b+1} = v_b - (1 - delta**(day_step 2**b)) y_b v_b``, each product ``y_b v_b`` of a
    binary and a bounded variable linearised exactly (McCormick 1976, exact for binaries).
    """

    def __init__(self, b: Programme, spec: ScheduleSpec) -> None:
        self.b = b
        self.spec = spec
        step, lo = spec.day_step, spec.min_days
        steps = (spec.max_days - lo) // step
        self.y: list[list[int]] = []
        for s in range(spec.stages + 1):
            n_bits = (s * steps).bit_length()
            self.y.append([b.var(0.0, 1.0, integer=True) for _ in range(n_bits)])
            if n_bits:
                b.row({c: float(2**k) for k, c in enumerate(self.y[s])}, 0.0, s * steps)
        for s in range(spec.stages):
            terms: dict[int, float] = {}
            const = accumulate(terms, self.start(s + 1), 1.0)
            const += accumulate(terms, self.start(s), -1.0)
            b.row(terms, float(lo) - const, float(lo + steps * step) - const)
        self._cache: dict[tuple[int, int | None, float], Expr] = {}

    def start(self, s: int) -> Expr:
        step = self.spec.day_step
        return {c: float(step * 2**k) for k, c in enumerate(self.y[s])}, float(
            s * self.spec.min_days
        )

    def _chain(self, s: int, v: Expr, bound: float, delta: float) -> Expr:
        b = self.b
        for k, yk in enumerate(self.y[s]):
            f = delta ** (self.spec.day_step * 2**k)
            if f == 1.0:
                continue
            p = b.var(0.0, bound)
            b.row({p: 1.0, yk: -bound}, -np.inf, 0.0)  # p <= bound y
            terms = {p: 1.0}
            const = accumulate(terms, v, -1.0)
            b.row(terms, -np.inf, -const)  # p <= v
            terms = {p: 1.0, yk: -bound}
            const = accumulate(terms, v, -1.0)
            b.row(terms, -bound - const, np.inf)  # p >= v - bound (1 - y)
            nxt = b.var(0.0, bound)
            terms = {nxt: 1.0, p: 1.0 - f}
            const = accumulate(terms, v, -1.0)
            b.row(terms, -const, -const)  # next = v - (1 - f) p
            v = ({nxt: 1.0}, 0.0)
        return scaled(v, delta ** (s * self.spec.min_days))

    def disc(self, s: int, col: int, bound: float, delta: float) -> Expr:
        """``delta**start_s * x[col]`` for ``0 <= x[col] <= bound``."""
        key = (s, col, delta)
        if key not in self._cache:
            self._cache[key] = self._chain(s, ({col: 1.0}, 0.0), bound, delta)
        return self._cache[key]

    def disc_one(self, s: int, delta: float) -> Expr:
        """``delta**start_s``."""
        key = (s, None, delta)
        if key not in self._cache:
            self._cache[key] = self._chain(s, ({}, 1.0), 1.0, delta)
        return self._cache[key]

    def tail(self, s: int, delta: float) -> Expr:
        """The flows' tail value of the day stage ``s`` starts (see ``discounted_tail``)."""
        if delta < 1.0:
            return scaled(self.disc_one(s, delta), 1.0 / (1.0 - delta))
        return scaled(self.start(s), -1.0)

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        step = self.spec.day_step
        return [
            s * self.spec.min_days + step * sum(2**k * round(sol[c]) for k, c in enumerate(ys))
            for s, ys in enumerate(self.y)
        ]
