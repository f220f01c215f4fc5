"""A brute-force reference for the robustness kernel, written from the definitions.

One sample at a time, plain Python loops over packages and proposals, float64.
It shares no code with :mod:`accord.robust.kernel`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Vector = Sequence[float]


def utilities(theta: Sequence[Vector], package: Sequence[int]) -> list[float]:
    """Each negotiator's utility of a package given as the list of its feature indices."""
    return [sum(row[f] for f in package) for row in theta]


def geq(a: float, b: float, tol: float) -> bool:
    return a >= b - tol


def gt(a: float, b: float, tol: float) -> bool:
    return a > b + tol


def first_near_best(objective: list[float], valid: list[bool], tol: float) -> int:
    """The lowest valid index within tol of the best valid objective (-1 if none)."""
    candidates = [v for v, ok in zip(objective, valid, strict=True) if ok]
    if not candidates:
        return -1
    top = max(candidates)
    return next(
        k for k, (v, ok) in enumerate(zip(objective, valid, strict=True)) if ok and v >= top - tol
    )


def near_best(objective: list[float], valid: list[bool], tol: float) -> int:
    """How many valid indices are within tol of the best valid objective (ties)."""
    candidates = [v for v, ok in zip(objective, valid, strict=True) if ok]
    if not candidates:
        return 0
    top = max(candidates)
    return sum(1 for v in candidates if v >= top - tol)


def dominates(a: Vector, b: Vector, tol: float) -> bool:
    """``a`` is at least as good as ``b`` for everyone and better for one, within tol."""
    return all(geq(x, y, tol) for x, y in zip(a, b, strict=True)) and any(
        gt(x, y, tol) for x, y in zip(a, b, strict=True)
    )


def best_index(
    objective: list[float], valid: list[bool], tol: float, gains: Sequence[Vector]
) -> int:
    """The lowest valid index within tol of the best valid objective that no other such
    index dominates (gains compared within tol); the lowest such index if all are."""
    candidates = [v for v, ok in zip(objective, valid, strict=True) if ok]
    if not candidates:
        return -1
    top = max(candidates)
    near = [
        k for k, (v, ok) in enumerate(zip(objective, valid, strict=True)) if ok and v >= top - tol
    ]
    for k in near:
        if not any(dominates(gains[i], gains[k], tol) for i in near if i != k):
            return k
    return near[0]


def analyze_sample(
    theta: Sequence[Vector],
    reservation: Vector,
    packages: Sequence[Sequence[int]],
    proposals: Sequence[Sequence[int]],
    tol: float,
) -> dict[str, object]:
    n = len(theta)
    util = [utilities(theta, p) for p in packages]
    gains = [[u[j] - reservation[j] for j in range(n)] for u in util]
    zopa = [all(geq(g[j], 0.0, tol) for j in range(n)) for g in gains]

    nash = [math.prod(g) for g in gains]
    egal = [min(g) for g in gains]
    util_sum = [sum(u) for u in util]
    best_gain = []
    for j in range(n):
        inside = [g[j] for g, ok in zip(gains, zopa, strict=True) if ok]
        best_gain.append(max(0.0, max(inside)) if inside else 0.0)
    ks = []
    for g in gains:
        ratios = [g[j] / best_gain[j] for j in range(n) if best_gain[j] > tol]
        ks.append(min(ratios) if ratios else math.inf)
    winners = [
        best_index(nash, zopa, tol, gains),
        best_index(ks, zopa, tol, gains),
        best_index(egal, zopa, tol, gains),
        best_index(util_sum, zopa, tol, gains),
    ]

    prop_util = [utilities(theta, p) for p in proposals]
    in_zopa = [all(geq(u[j], reservation[j], tol) for j in range(n)) for u in prop_util]
    pareto = [not any(dominates(up, uq, tol) for up in util) for uq in prop_util]
    prefers = [[[gt(a[j], b[j], tol) for b in prop_util] for a in prop_util] for j in range(n)]
    objectives = (nash, ks, egal, util_sum)
    return {
        "in_zopa": in_zopa,
        "pareto_optimal": pareto,
        "prefers": prefers,
        "winners": winners,
        "zopa_size": sum(zopa),
        # for checking that tests reach the hard cases
        "ties": [near_best(o, zopa, tol) for o in objectives],
        "ks_inactive": sum(1 for b in best_gain if b <= tol),
        # concepts whose lowest-index maximiser is dominated by another maximiser
        "dominated_first": sum(
            w != first_near_best(o, zopa, tol) for w, o in zip(winners, objectives, strict=True)
        ),
    }
