"""Incentive constraints in present value (day-0 value), shared by the two formulations that
encode each boundary's absolute day: ``time-indexed`` and ``binary``.

Discounting makes a delivery's value depend on *when* its stage starts, which is not linear in
the stage lengths.  Each of these formulations gives a :class:`DayClock` that writes
``delta**start_s * x`` linearly (exactly, through its own binaries); every margin, multiplied
by ``delta**start`` of its decision point (which does not change its sign), is then linear.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from accord.phased.design.programme import Clock, Expr, Programme, accumulate
from accord.phased.design.terms import ItemLayout, NegotiatorTerms

__all__ = ["DayClock", "day_margins"]


class DayClock(Clock, Protocol):
    """A clock that discounts by the absolute day each stage starts."""

    def disc(self, s: int, col: int, bound: float, delta: float) -> Expr:
        """``delta**start_s * x[col]`` for ``0 <= x[col] <= bound``."""
        ...

    def disc_one(self, s: int, delta: float) -> Expr:
        """``delta**start_s``."""
        ...

    def tail(self, s: int, delta: float) -> Expr:
        """The value of unit-rate flows from the start of stage ``s`` on (up to a constant)."""
        ...


def day_margins(
    b: Programme,
    clock: DayClock,
    layout: ItemLayout,
    terms: NegotiatorTerms,
    x: list[list[int]],
    remaining: list[list[int]],
    slack: tuple[int, float] | None,
) -> None:
    """One negotiator's margin of carrying on over walking away, ``>= 0`` at every decision
    point (stage ``s``, slot ``q``), in present value.

    ``slack``: the column of an extra guarantor penalty ``sigma_j`` and its bound; it is in
    value at the point of walking away, so it enters as ``delta**start * sigma_j``, linearised
    like the amounts.
    """
    K, m = len(x), len(layout.totals)
    totals, slot = layout.totals, layout.slot
    val, beta, rate, delta = terms.val, terms.beta, terms.rate, terms.delta
    for s in range(K):
        for q in range(layout.n_slots):
            row: dict[int, float] = {}
            const = 0.0
            for d in range(m):
                # deliveries still to come
                for s2 in range(s, K):
                    if not (s2 == s and slot[d] < q):
                        e = clock.disc(s2, x[s2][d], float(totals[d]), delta)
                        const += accumulate(row, e, float(val[d]))
                # walking away keeps the undelivered amounts outstanding
                e = clock.disc(s, remaining[s][d], float(totals[d]), delta)
                const += accumulate(row, e, float(beta[d]))
                if slot[d] < q:
                    e = clock.disc(s, x[s][d], float(totals[d]), delta)
                    const += accumulate(row, e, -float(beta[d]))
            # flows from this stage to the end, the end itself, the walk-away base
            const += accumulate(row, clock.tail(s, delta), rate)
            const += accumulate(row, clock.disc_one(s, delta), -terms.walk)
            const += accumulate(row, clock.tail(K, delta), -rate)
            const += accumulate(row, clock.disc_one(K, delta), terms.end_value)
            if slack is not None:
                col, bound = slack
                const += accumulate(row, clock.disc(s, col, bound, delta), 1.0)
            b.row(row, -const, np.inf)
