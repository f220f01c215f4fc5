"""Linear programmes over a negotiator's estimates: nearest consistent point, feasibility,
an irreducible infeasible subset and the fewest pieces of evidence to drop.

Every function takes a :class:`Polytope` (the unknowns, their bounds and the structure every
estimate obeys: normalised weights that sum to 1, contributions within their weight) and
*groups* of evidence rows ``A_k x <= b_k`` (one group per piece of evidence), and solves with
HiGHS through :mod:`scipy.optimize` (Huangfu & Hall 2018, "Parallelizing the dual revised
simplex method", *Math. Prog. Comp.* 10, 119-142).

* :func:`nearest`: the point of the polytope that satisfies every group and is nearest the
  start in a weighted L1 distance; an L1 distance is linear with one pair of non-negative
  deviation variables per distance term (``D x - p + q = D x0``, minimise ``cost . (p + q)``).
* :func:`is_feasible`: whether any point satisfies the groups (phase one only).
* :func:`deletion_filter`: an irreducible infeasible subset (IIS) of infeasible groups: drop
  each group in turn and keep it out if the rest stays infeasible (Chinneck & Dravnieks 1991,
  "Locating minimal infeasible constraint sets in linear programs", *ORSA J. Computing* 3(2),
  157-168). The result is infeasible and every proper subset of it is feasible.
* :func:`fewest_to_drop`: a smallest set of groups whose removal leaves the rest feasible, by
  a mixed-integer programme with one binary per group that relaxes the group's rows by a bound
  ``big_m`` on how far any row can be violated (Chinneck 2008, *Feasibility and
  Infeasibility in Optimization*, Springer, ch. 7, the MIN IIS COVER formulation).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Group",
    "Polytope",
    "deletion_filter",
    "fewest_to_drop",
    "is_feasible",
    "nearest",
    "violation",
]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Group:
    """One piece of evidence as linear rows: ``rows @ x <= bounds``."""

    rows: Array
    bounds: Array


@dataclass(frozen=True)
class Polytope:
    """A negotiator's unknowns ``x`` and what every estimate obeys.

    ``lower <= x <= upper``, ``a_eq @ x == b_eq``, ``a_ub @ x <= b_ub``; the distance from
    ``start`` is ``cost . |deviation @ (x - start)|``.
    """

    start: Array
    lower: Array
    upper: Array
    a_eq: Array
    b_eq: Array
    a_ub: Array
    b_ub: Array
    deviation: Array
    cost: Array

    @property
    def size(self) -> int:
        return int(self.start.size)


def _stack(poly: Polytope, groups: Sequence[Group]) -> tuple[Array, Array]:
    rows = [poly.a_ub, *(g.rows for g in groups)]
    bounds = [poly.b_ub, *(g.bounds for g in groups)]
    return np.vstack(rows), np.concatenate(bounds)


def violation(group: Group, x: Array) -> float:
    """How far ``x`` is from satisfying the group (0 when it does): the largest excess."""
    if group.rows.shape[0] == 0:
        return 0.0
    return max(0.0, float(np.max(group.rows @ x - group.bounds)))


def is_feasible(poly: Polytope, groups: Sequence[Group]) -> bool:
    """Whether some point of the polytope satisfies every group."""
    from scipy.optimize import linprog

    a_ub, b_ub = _stack(poly, groups)
    result = linprog(
        np.zeros(poly.size),
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=poly.a_eq,
        b_eq=poly.b_eq,
        bounds=np.column_stack([poly.lower, poly.upper]),
        method="highs",
    )
    return bool(result.status == 0)


def nearest(poly: Polytope, groups: Sequence[Group]) -> Array | None:
    """The point satisfying every group nearest ``poly.start`` (None when there is none)."""
    from scipy.optimize import linprog

    n, d = poly.size, poly.deviation.shape[0]
    a_ub, b_ub = _stack(poly, groups)
    a_ub = np.hstack([a_ub, np.zeros((a_ub.shape[0], 2 * d))])
    eye = np.eye(d)
    a_eq = np.vstack(
        [
            np.hstack([poly.a_eq, np.zeros((poly.a_eq.shape[0], 2 * d))]),
            np.hstack([poly.deviation, -eye, eye]),
        ]
    )
    b_eq = np.concatenate([poly.b_eq, poly.deviation @ poly.start])
    bounds = np.vstack(
        [np.column_stack([poly.lower, poly.upper]), np.tile([0.0, np.inf], (2 * d, 1))]
    )
    objective = np.concatenate([np.zeros(n), poly.cost, poly.cost])
    result = linprog(
        objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
    )
    if result.status != 0:
        return None
    x: Array = np.clip(result.x[:n], poly.lower, poly.upper)
    return x


def deletion_filter(
    poly: Polytope, groups: Sequence[Group], keep: int | None = None
) -> tuple[int, ...]:
    """The indices of an irreducible infeasible subset of ``groups`` (which must be
    infeasible together); ``keep`` is tested last, so an IIS through it is found when the other
    groups are feasible without it."""
    order = [k for k in range(len(groups)) if k != keep] + ([keep] if keep is not None else [])
    members = set(range(len(groups)))
    for k in order:
        trial = sorted(members - {k})
        if not is_feasible(poly, [groups[j] for j in trial]):
            members.discard(k)
    return tuple(sorted(members))


def fewest_to_drop(poly: Polytope, groups: Sequence[Group], big_m: float) -> tuple[int, ...]:
    """A smallest set of groups (by index) whose removal leaves the rest feasible.

    ``big_m`` bounds how far any evidence row can be violated over the polytope's box, so that
    a dropped group's rows, relaxed by it, bind nothing.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    n, g = poly.size, len(groups)
    blocks = [poly.a_ub] + [group.rows for group in groups]
    owner = np.concatenate(
        [np.full(poly.a_ub.shape[0], -1)]
        + [np.full(gr.rows.shape[0], k) for k, gr in enumerate(groups)]
    )
    rows = np.vstack(blocks)
    relax = np.zeros((rows.shape[0], g))
    mask = owner >= 0
    relax[np.nonzero(mask)[0], owner[mask]] = -big_m
    bounds = np.concatenate([poly.b_ub] + [group.bounds for group in groups])
    constraints = [LinearConstraint(np.hstack([rows, relax]), -np.inf, bounds)]
    if poly.a_eq.shape[0]:
        eq = np.hstack([poly.a_eq, np.zeros((poly.a_eq.shape[0], g))])
        constraints.append(LinearConstraint(eq, poly.b_eq, poly.b_eq))
    objective = np.concatenate([np.zeros(n), np.ones(g)])
    integrality = np.concatenate([np.zeros(n), np.ones(g)])
    lower = np.concatenate([poly.lower, np.zeros(g)])
    upper = np.concatenate([poly.upper, np.ones(g)])
    result = milp(
        objective,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
    )
    if result.status != 0:  # pragma: no cover - dropping every group is always feasible
        raise RuntimeError(f"HiGHS found no set of evidence to drop: {result.message}")
    return tuple(int(k) for k in np.nonzero(result.x[n:] > 0.5)[0])
