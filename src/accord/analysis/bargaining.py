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
  maximise the sum of utilities.  Invariant under translations, not under rescaling.

Every maximiser of a positive Nash product or of the sum is Pareto-optimal.  A
maximiser of the smallest gain (plain or relative), or of a Nash product that is
zero everywhere, can be weakly dominated; since anything dominating a maximiser
is again a maximiser, Pareto-optimal maximisers always exist and only they are
returned.

Exactness.  Utilities are integers (or floats, read as the exact binary
rationals they are), and ``scale`` gives each negotiator's denominator:
negotiator ``j``'s utility is ``utility[:, j] / scale[j]`` (the exact units of
:mod:`accord.space.exact`).  Nash and Kalai-Smorodinsky do not depend on the
scales (their invariance); egalitarian and utilitarian compare gains across
negotiators, so they bring every negotiator to one common scale when the
integers fit, and otherwise compare rationals.  Optimality and ties are always
decided exactly: floats only preselect the near-optimal candidates (within a
relative 1e-9, far above their rounding), on which the criterion is then
evaluated in integer or rational arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.dominance import nondominated_mask

__all__ = [
    "egalitarian",
    "kalai_smorodinsky",
    "nash_bargaining",
    "utilitarian",
]

_COMMON_LIMIT = 2**62  # an integer criterion over negotiators must stay below this


def _prepare(
    utility: ArrayLike, reservation: ArrayLike, scale: Sequence[int] | None
) -> tuple[NDArray[Any], NDArray[Any], tuple[int, ...]]:
    u = np.asarray(utility)
    r = np.asarray(reservation)
    if u.ndim != 2 or r.shape != (u.shape[1],):
        raise ValueError("utility must be (n, d) and reservation (d,)")
    if scale is None:
        return u, r, (1,) * u.shape[1]
    s = tuple(int(x) for x in scale)
    if len(s) != u.shape[1] or any(x <= 0 for x in s):
        raise ValueError("scale must give one positive integer per negotiator")
    return u, r, s


def _integral(u: NDArray[Any], r: NDArray[Any]) -> bool:
    return bool(np.issubdtype(u.dtype, np.integer) and np.issubdtype(r.dtype, np.integer))


def _exact(x: object) -> Fraction:
    return Fraction(int(x)) if isinstance(x, np.integer | int) else Fraction(float(x))  # type: ignore[arg-type]


def _exact_gains(u_row: NDArray[Any], r: NDArray[Any]) -> list[Fraction]:
    return [max(_exact(a) - _exact(b), Fraction(0)) for a, b in zip(u_row, r, strict=True)]


def _gains(u: NDArray[Any], r: NDArray[Any]) -> NDArray[Any]:
    """Gains max(u - r, 0), exact for integers (int64), else float64."""
    if _integral(u, r):
        out: NDArray[Any] = np.maximum(u.astype(np.int64) - r.astype(np.int64), 0)
        return out
    return np.maximum(u.astype(np.float64) - r.astype(np.float64), 0.0)


def _float(values: NDArray[Any], scale: tuple[int, ...]) -> NDArray[np.float64]:
    out: NDArray[np.float64] = values.astype(np.float64) / np.array([float(s) for s in scale])
    return out


def _pareto_optimal(u: NDArray[Any], winners: NDArray[np.intp]) -> NDArray[np.intp]:
    out: NDArray[np.intp] = winners[nondominated_mask(u[winners])]
    return out


def _maximisers(
    u: NDArray[Any],
    rows: NDArray[np.intp],
    score: NDArray[np.float64],
    exact_score: Callable[[int], Fraction | int],
) -> NDArray[np.intp]:
    """The Pareto-optimal rows among ``rows`` whose exact score is the largest.

    ``score`` approximates the exact score of each of ``rows`` within a relative
    1e-9; only the rows within that slack of the best are evaluated exactly.
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.intp)
    best = float(np.max(score))
    slack = 1e-9 * abs(best) + 1e-300
    candidates = rows[score >= best - slack]
    if candidates.size > 1:
        values = [exact_score(int(i)) for i in candidates]
        top = max(values)
        candidates = candidates[[v == top for v in values]]
    return _pareto_optimal(u, candidates)


def _integer_maximisers(u: NDArray[Any], score: NDArray[np.integer]) -> NDArray[np.intp]:
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    return _pareto_optimal(u, np.flatnonzero(score == score.max()))


def _on_common_scale(values: NDArray[Any], scale: tuple[int, ...]) -> NDArray[np.int64] | None:
    """Integer ``values`` (n, d) brought to the least common multiple of the scales.

    None when they are not integers or when their sum over negotiators could
    leave :data:`_COMMON_LIMIT`.
    """
    if not np.issubdtype(values.dtype, np.integer):
        return None
    common = math.lcm(*scale) if scale else 1
    factors = [common // s for s in scale]
    reach = sum(int(np.abs(values[:, j]).max(initial=0)) * f for j, f in enumerate(factors))
    if reach >= _COMMON_LIMIT:
        return None
    out: NDArray[np.int64] = values.astype(np.int64) * np.array(factors, dtype=np.int64)
    return out


def nash_bargaining(
    utility: ArrayLike, reservation: ArrayLike, *, scale: Sequence[int] | None = None
) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the product of gains (Nash 1950).

    ``scale`` does not change the answer (affine invariance); it is accepted for a
    uniform signature.
    """
    u, r, s = _prepare(utility, reservation, scale)
    gains = _gains(u, r)
    positive = np.flatnonzero(np.all(gains > 0, axis=1))
    if positive.size == 0:  # every product is zero: every candidate ties
        return _pareto_optimal(u, np.arange(u.shape[0]))
    score = np.prod(_float(gains[positive], s), axis=1)

    def exact(i: int) -> Fraction:
        out = Fraction(1)
        for g in _exact_gains(u[i], r):
            out *= g
        return out

    return _maximisers(u, positive, score, exact)


def kalai_smorodinsky(
    utility: ArrayLike, reservation: ArrayLike, *, scale: Sequence[int] | None = None
) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the smallest relative gain.

    Kalai & Smorodinsky (1975); relative to each party's best gain over the
    candidates.  ``scale`` does not change the answer (affine invariance).
    """
    u, r, _ = _prepare(utility, reservation, scale)
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    gains = _gains(u, r)
    ideal = [_exact(x) for x in gains.max(axis=0)]
    active = [j for j, g in enumerate(ideal) if g > 0]
    if not active:
        return _pareto_optimal(u, np.arange(u.shape[0]))
    relative = gains[:, active].astype(np.float64) / np.array([float(ideal[j]) for j in active])
    score = np.min(relative, axis=1)

    def exact(i: int) -> Fraction:
        g = _exact_gains(u[i], r)
        return min(g[j] / ideal[j] for j in active)

    return _maximisers(u, np.arange(u.shape[0]), score, exact)


def egalitarian(
    utility: ArrayLike, reservation: ArrayLike, *, scale: Sequence[int] | None = None
) -> NDArray[np.intp]:
    """Indices of the Pareto-optimal maximisers of the smallest gain (Kalai 1977).

    Gains are compared across negotiators, each divided by its ``scale``.
    """
    u, r, s = _prepare(utility, reservation, scale)
    if u.shape[0] == 0 or u.shape[1] == 0:
        return _pareto_optimal(u, np.arange(u.shape[0]))
    gains = _gains(u, r)
    common = _on_common_scale(gains, s)
    if common is not None:
        return _integer_maximisers(u, common.min(axis=1))
    score = np.min(_float(gains, s), axis=1)

    def exact(i: int) -> Fraction:
        return min(g / k for g, k in zip(_exact_gains(u[i], r), s, strict=True))

    return _maximisers(u, np.arange(u.shape[0]), score, exact)


def utilitarian(
    utility: ArrayLike, reservation: ArrayLike, *, scale: Sequence[int] | None = None
) -> NDArray[np.intp]:
    """Indices of the maximisers of the sum of utilities (Harsanyi 1955).

    Utilities are compared across negotiators, each divided by its ``scale``;
    ``reservation`` is accepted for a uniform signature and not used.
    """
    u, _, s = _prepare(utility, reservation, scale)
    common = _on_common_scale(u, s)
    if common is not None:
        return _integer_maximisers(u, common.sum(axis=1))
    if u.shape[0] == 0:
        return np.zeros(0, dtype=np.intp)
    score = _float(u, s).sum(axis=1)

    def exact(i: int) -> Fraction:
        return sum((_exact(x) / k for x, k in zip(u[i], s, strict=True)), Fraction(0))

    return _maximisers(u, np.arange(u.shape[0]), score, exact)
