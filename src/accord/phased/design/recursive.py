"""The ``recursive`` formulation (the default): stage lengths and continuation values.

It chooses each stage's *length* (one binary per stage and possible length) and writes every
margin in value at its own decision point through each negotiator's continuation value,
``C[s] = val . x[s] + flows(L_s) + delta**L_s C[s+1]`` (the recursion of Bellman 1957,
"Dynamic Programming"): amounts enter linearly and the only products, of a length choice and
the next continuation value, are linearised exactly by disaggregation (Glover 1975, "Improved
linear integer programming formulations of nonlinear integer problems", Management Science
22(4)).  A fractional solution can then blend stage lengths only for a negotiator's whole
continuation value, not item by item: on the Cairo totals at 6 stages its LP relaxation is much
tighter than the other two's, and at 6 and 12 daily stages its programme is several times
smaller (docs/performance/phased-deals.md).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.programme import Expr, Programme, add_term
from accord.phased.design.spec import ScheduleSpec
from accord.phased.design.terms import ItemLayout, NegotiatorTerms

__all__ = ["LengthClock", "flows_value", "recursive_margins"]


class LengthClock:
    """Stage ``s`` lasts ``L`` days iff binary ``a[s][L]`` = 1 (one per possible length).

    Margins are written in value at their own decision point (:func:`recursive_margins`), so
    only lengths, never absolute days, enter the discounting.
    """

    def __init__(self, b: Programme, spec: ScheduleSpec) -> None:
        step, lo, hi = spec.day_step, spec.min_days, spec.max_days
        self.lengths = list(range(lo, hi + 1, step))
        self.a: list[dict[int, int]] = []
        for _ in range(spec.stages):
            self.a.append({L: b.var(0.0, 1.0, integer=True) for L in self.lengths})
            b.row({c: 1.0 for c in self.a[-1].values()}, 1.0, 1.0)

    def start(self, s: int) -> Expr:
        terms: dict[int, float] = {}
        for row in self.a[:s]:
            for L, c in row.items():
                add_term(terms, c, float(L))
        return terms, 0.0

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        bounds = [0]
        for row in self.a:
            bounds.append(bounds[-1] + max(row, key=lambda L: sol[row[L]]))
        return bounds


def flows_value(rate: float, delta: float, days: float) -> float:
    """Flows at ``rate`` per day for ``days`` days, in value at their first day."""
    return rate * ((1.0 - delta**days) / (1.0 - delta) if delta < 1.0 else days)


def _continuation_bounds(
    clock: LengthClock, terms: NegotiatorTerms, totals: NDArray[np.float64], stages_left: int
) -> tuple[float, float]:
    """Valid bounds on ``C[s]`` with ``stages_left = K - s``: future amounts lie between none
    and all of each total (discounting only shrinks them), flows and the end are monotone in
    the days left."""
    v, rate, delta = terms.val, terms.rate, terms.delta
    ends = [stages_left * clock.lengths[0], stages_left * clock.lengths[-1]]
    flow = [flows_value(rate, delta, t) for t in ends]
    end = [terms.end_value * delta**t for t in ends]
    lo = float(np.minimum(v, 0.0) @ totals) + min(flow) + min(end)
    hi = float(np.maximum(v, 0.0) @ totals) + max(flow) + max(end)
    pad = 1e-9 * (1.0 + abs(lo) + abs(hi))
    return lo - pad, hi + pad


def recursive_margins(
    b: Programme,
    clock: LengthClock,
    layout: ItemLayout,
    terms: NegotiatorTerms,
    x: list[list[int]],
    remaining: list[list[int]],
    slack: int | None,
) -> None:
    """One negotiator's incentive constraints, each in value at its own decision point.

    ``C[s]``, the value at the start of stage ``s`` of carrying on to the end, obeys the
    Bellman recursion ``C[s] = val . x[s] + rate g(L_s) + delta**L_s C[s+1]`` with
    ``C[K] = end_value`` and ``g(L) = (1 - delta**L) / (1 - delta)``.  Only the product of the
    length choice ``a[s][L]`` and ``C[s+1]`` is non-linear; it is linearised exactly by
    disaggregating ``C[s+1] = sum_L c[s][L]`` with ``lo a[s][L] <= c[s][L] <= hi a[s][L]``
    for valid bounds ``lo <= C[s+1] <= hi`` (Glover 1975; the convex hull of each product for a
    binary choice).  The margin at stage ``s``, slot ``q`` is then
    ``C[s] - (val + beta) . (stage-s deliveries before slot q) + beta . R[s] - walk``, plus the
    ``slack`` column ``sigma_j`` when relaxed: in value at the point itself, so no
    linearisation.
    """
    K, m = len(x), len(layout.totals)
    v, beta, delta = terms.val, terms.beta, terms.delta
    totals = layout.totals
    C = [b.var(*_continuation_bounds(clock, terms, totals, K - s)) for s in range(K)]
    for s in range(K):
        row: dict[int, float] = {C[s]: 1.0}
        for d in range(m):
            add_term(row, x[s][d], -float(v[d]))
        for L, c in clock.a[s].items():
            add_term(row, c, -flows_value(terms.rate, delta, L))
            if s == K - 1:
                add_term(row, c, -terms.end_value * delta**L)
        if s < K - 1:
            lo, hi = _continuation_bounds(clock, terms, totals, K - s - 1)
            split: dict[int, float] = {C[s + 1]: -1.0}
            for L, c in clock.a[s].items():
                part = b.var(min(lo, 0.0), max(hi, 0.0))
                b.row({part: 1.0, c: -lo}, 0.0, np.inf)  # lo a <= c
                b.row({part: 1.0, c: -hi}, -np.inf, 0.0)  # c <= hi a
                split[part] = 1.0
                add_term(row, part, -(delta**L))
            b.row(split, 0.0, 0.0)
        b.row(row, 0.0, 0.0)
        for q in range(layout.n_slots):
            margin: dict[int, float] = {C[s]: 1.0}
            for d in range(m):
                add_term(margin, remaining[s][d], float(beta[d]))
                if layout.slot[d] < q:
                    add_term(margin, x[s][d], -float(v[d] + beta[d]))
            if slack is not None:
                add_term(margin, slack, 1.0)
            b.row(margin, terms.walk, np.inf)
