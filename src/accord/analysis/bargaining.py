"""The classic bargaining solutions over a finite set of packages, with exact ties.

Each function takes the utility vectors of the candidate packages (normally the
Pareto frontier restricted to the ZOPA) and the reservation (disagreement)
vector, and returns the indices of every candidate that maximises the
criterion and is not Pareto-dominated by another candidate.  Gains are
``max(u - r, 0)``: a utility within the ZOPA tolerance below the reservation
counts as no gain.

- Nash (1950), "The bargaining problem", Econometrica 18(2), 155-162: maximise
  the product of gains.  Invariant under positive affine rescaling of each party.
- Kalai & Smorodinsky (1975), "Other solutions to Nash's bargaining problem",
  Econometrica 43(3), 513-518: on a finite set, maximise the smallest gain as a
  share of the party's best possible gain over the candidates (its ideal
  point).  Parties whose best possible gain is zero are left out of the minimum;
  if every party's is zero, all candidates tie.  Invariant under positive affine
  rescaling.
- Egalitarian (Kalai 1977, "Proportional solutions to bargaining situations:
  interpersonal utility comparisons", Econometrica 45(7), 1623-1630): maximise the
  smallest gain.  Invariant under translations, not under rescaling.
- Utilitarian (Harsanyi 1955, "Cardinal welfare, individualistic ethics, and
  interpersonal comparisons of utility", J. Political Economy 63(4), 309-321):
  maximise the sum of utilities.

Every maximiser of a positive Nash product or of the sum is Pareto-optimal.  A
maximiser of the smallest gain (plain or relative), or of a Nash product that is
zero everywhere, can be weakly dominated; since anything dominating a maximiser
is again a maximiser, Pareto-optimal maximisers always exist and only they are
returned.  Optimality and ties are decided exactly (rational arithmetic on the
near-optimal candidates), so pass integer or exactly representable utilities.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.dominance import nondominated_mask

__all__ = [
    "SOLUTION_NAMES",
    "egalitarian",
    "kalai_smorodinsky",
    "nash_bargaining",
    "utilitarian",
]

SOLUTION_NAMES = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


def _prepare(utility: ArrayLike, reservation: ArrayLike) -> tuple[NDArray[Any], NDArray[Any]]:
    u = np.asarray(utility)
    r = np.asarray(reservation)
    if u.ndim != 2 or r.shape != (u.shape[1],):
        raise ValueError("utility must be (n, d) and reservation (d,)")
    return u, r


def _exact(x: object) -> Fraction:
    return Fraction(int(x)) if isinstance(x, np.integer | int) else Fraction(float(x))  # type: ignore[arg-type]


def _gains_exact(u_row: NDArray[Any], r: NDArray[Any]) -> list[Fraction]:
    return [max(_exact(a) - _exact(b), Fraction(0)) for a, b in zip(u_row, r, strict=True)]


def _maximisers(
    u: NDArray[Any],
    score: NDArray[np.float64],
    exact_score: Callable[[int], Fraction],
) -> NDArray[np.intp]:
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    best = float(np.max(score))
    if best == 0.0 and float(np.min(score)) >= 0.0:
        # Non-negative scores, all zero at best: zero is exact (no rounding makes 0 from >0
        # short of underflow, which grid utilities cannot reach).
        winners = np.flatnonzero(score == 0.0)
        return winners[nondominated_mask(u[winners])]
    slack = 1e-9 * abs(best) + 1e-300
    candidates = np.flatnonzero(score >= best - slack)
    values = [exact_score(int(i)) for i in candidates]
    top = max(values)
    winners = candidates[[v == top for v in values]]
    keep = nondominated_mask(u[winners])
    return winners[keep]


def nash_bargaining(utility: ArrayLike, reservation: ArrayLike) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the product of gains (Nash 1950)."""
    u, r = _prepare(utility, reservation)
    gains = np.maximum(u.astype(np.float64) - r.astype(np.float64), 0.0)
    score = np.prod(gains, axis=1)

    def exact(i: int) -> Fraction:
        out = Fraction(1)
        for g in _gains_exact(u[i], r):
            out *= g
        return out

    return _maximisers(u, score, exact)


def kalai_smorodinsky(utility: ArrayLike, reservation: ArrayLike) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the smallest relative gain.

    Kalai & Smorodinsky (1975); relative to each party's best gain over the candidates.
    """
    u, r = _prepare(utility, reservation)
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    ideal_exact = [
        max(max(_exact(x) for x in u[:, j]) - _exact(r[j]), Fraction(0)) for j in range(u.shape[1])
    ]
    active = [j for j, g in enumerate(ideal_exact) if g > 0]
    if not active:
        return _maximisers(u, np.zeros(u.shape[0]), lambda i: Fraction(0))
    gains = np.maximum(u.astype(np.float64) - r.astype(np.float64), 0.0)
    ideal = np.array([float(ideal_exact[j]) for j in active])
    score = np.min(gains[:, active] / ideal, axis=1)

    def exact(i: int) -> Fraction:
        g = _gains_exact(u[i], r)
        return min(g[j] / ideal_exact[j] for j in active)

    return _maximisers(u, score, exact)


def egalitarian(utility: ArrayLike, reservation: ArrayLike) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the smallest gain (Kalai 1977)."""
    u, r = _prepare(utility, reservation)
    if np.issubdtype(u.dtype, np.integer) and np.issubdtype(r.dtype, np.integer) and u.shape[1]:
        return _integer_maximisers(u, np.min(np.maximum(u - r, 0), axis=1))
    gains = np.maximum(u.astype(np.float64) - r.astype(np.float64), 0.0)
    score = np.min(gains, axis=1) if u.shape[1] else np.zeros(u.shape[0])
    return _maximisers(u, score, lambda i: min(_gains_exact(u[i], r), default=Fraction(0)))


def _integer_maximisers(u: NDArray[Any], score: NDArray[np.integer]) -> NDArray[np.intp]:
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    winners = np.flatnonzero(score == score.max())
    return winners[nondominated_mask(u[winners])]


def utilitarian(utility: ArrayLike, reservation: ArrayLike) -> NDArray[np.intp]:
    """Indices of the maximisers of the sum of utilities (Harsanyi 1955).

    ``reservation`` is accepted for a uniform signature and not used.
    """
    u, _ = _prepare(utility, reservation)
    if np.issubdtype(u.dtype, np.integer):
        return _integer_maximisers(u, u.sum(axis=1))
    score = u.astype(np.float64).sum(axis=1)
    return _maximisers(u, score, lambda i: sum((_exact(x) for x in u[i]), Fraction(0)))
