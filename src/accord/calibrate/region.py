"""The region of a negotiator's preferences that agrees with the record, and a seeded
hit-and-run sampler over it.

The region is the calibration's polytope (:mod:`accord.calibrate.evidence`: normalised weights
``w`` summing to 1, option contributions ``0 <= c_ij <= w_i``, walk-aways) cut down to the
estimates' plausible ranges and to every piece of the record:

* a value with a range keeps its normalised value ``c_ij / w_i`` inside the range (two linear
  rows); a fixed value stays fixed (``c_ij = v_ij * w_i``);
* a weight with a range keeps its normalised weight within the range divided by the point
  weights' total; fixed weights stay fixed; weights with a ``weights_concentration`` range over
  the whole simplex;
* a walk-away keeps to its estimate's support within [0, 1];
* every response, judgement and position is a row ``A x <= b``.

Points are drawn uniformly from it by hit-and-run (Smith 1984, "Efficient Monte Carlo procedures
for generating points uniformly distributed over bounded regions", *Operations Research* 32(6),
1296-1308), as SMAA does for weights restricted by preference statements (Tervonen, van
Valkenhoef, Basturk & Postmus 2013, "Hit-And-Run enables efficient weight generation for
simulation-based multiple criteria decision analysis", *EJOR* 224(3), 552-559). Directions are
coordinate directions (of the equalities' null space, so every point satisfies them): a step
changes only the rows its direction moves, for many chains at once (see :class:`Chains`), each
started from the region's deepest point (the point farthest inside its inequalities).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.calibrate.evidence import Evidence, Unknowns
from accord.calibrate.solve import Array
from accord.model.schema import Preferences, Scenario

Index = NDArray[np.intp]

__all__ = ["Chains", "Moves", "Region", "deepest_point", "moves_of", "region_of"]


@dataclass(frozen=True)
class Region:
    """``a_ub @ x <= b_ub`` and ``a_eq @ x == b_eq``: a negotiator's evidence-consistent
    preferences within the estimates' plausible ranges."""

    a_ub: Array
    b_ub: Array
    a_eq: Array
    b_eq: Array


def _support(estimate: object) -> tuple[float, float]:
    lo, hi = estimate.support  # type: ignore[attr-defined]
    return max(0.0, lo) if math.isfinite(lo) else 0.0, min(1.0, hi) if math.isfinite(hi) else 1.0


def _bound_rows(n: int, k: int, lo: float, hi: float) -> tuple[list[Array], list[float]]:
    """``lo <= x_k <= hi`` as two rows."""
    up, down = np.zeros(n), np.zeros(n)
    up[k], down[k] = 1.0, -1.0
    return [up, down], [hi, -lo]


def _estimate_rows(u: Unknowns, pref: Preferences) -> tuple[Array, Array, Array, Array]:
    """The estimates' ranges as rows ``a @ x <= b`` and equalities ``a_eq @ x == b_eq``."""
    n = u.polytope.size
    rows: list[Array] = []
    bounds: list[float] = []
    equal: list[Array] = []
    targets: list[float] = []
    weights_fixed = pref.weights_concentration is None and not any(
        w.is_uncertain for w in pref.weights.values()
    )
    for k, what in enumerate(u.unknowns):
        if what.kind == "weight":
            estimate = pref.weights.get(str(what.issue))
            if weights_fixed:
                equal.append(np.eye(n)[k])
                targets.append(float(u.polytope.start[k]))
            elif estimate is not None and pref.weights_concentration is None:
                lo, hi = estimate.support
                more, ends = _bound_rows(n, k, lo / u.total, hi / u.total)
                rows, bounds = rows + more, bounds + ends
        elif what.kind == "value":
            issue = str(what.issue)
            table = pref.values[issue]
            assert isinstance(table, dict)
            low, high = u.low[issue], u.high[issue]
            lo, hi = ((x - low) / (high - low) for x in table[str(what.option)].support)
            w = next(j for j, v in enumerate(u.unknowns) if v.kind == "weight" and v.issue == issue)
            for sign, share in ((1.0, hi), (-1.0, lo)):
                row = np.zeros(n)
                row[k], row[w] = sign, -sign * share
                if lo == hi:
                    equal.append(row)
                    targets.append(0.0)
                    break
                rows.append(row)
                bounds.append(0.0)
        else:
            path = what.path
            estimate = (
                pref.reservation
                if len(path) == 3
                else pref.reservation_by_date[int(path[3])].reservation
            )
            more, ends = _bound_rows(n, k, *_support(estimate))
            rows, bounds = rows + more, bounds + ends
    return (
        np.array(rows).reshape(-1, n),
        np.array(bounds),
        np.array(equal).reshape(-1, n),
        np.array(targets),
    )


def region_of(scenario: Scenario, u: Unknowns, pieces: list[Evidence]) -> Region:
    """The negotiator's region (see the module docstring)."""
    poly = u.polytope
    n = poly.size
    rows, bounds, equal, targets = _estimate_rows(u, scenario.preferences[u.party])
    box = np.vstack([np.eye(n), -np.eye(n)])
    a_ub = np.vstack([poly.a_ub, box, rows, *(e.group.rows for e in pieces)])
    b_ub = np.concatenate(
        [poly.b_ub, poly.upper, -poly.lower, bounds, *(e.group.bounds for e in pieces)]
    )
    return Region(a_ub, b_ub, np.vstack([poly.a_eq, equal]), np.concatenate([poly.b_eq, targets]))


def deepest_point(region: Region) -> tuple[Array, float] | None:
    """The point farthest inside the region's inequalities (its depth), or None when the
    region is empty."""
    from scipy.optimize import linprog

    m, n = region.a_ub.shape
    a_ub = np.hstack([region.a_ub, np.ones((m, 1))])
    a_eq = np.hstack([region.a_eq, np.zeros((region.a_eq.shape[0], 1))])
    objective = np.zeros(n + 1)
    objective[-1] = -1.0
    bounds = [(None, None)] * n + [(None, 1.0)]
    result = linprog(
        objective,
        A_ub=a_ub,
        b_ub=region.b_ub,
        A_eq=a_eq,
        b_eq=region.b_eq,
        bounds=bounds,
        method="highs",
    )
    if result.status != 0 or result.x[-1] < -1e-9:
        return None
    return result.x[:n], float(result.x[-1])


TINY = 1e-300
"""Slack floor in a step's division: a chain on a face gets a zero-length move outward, never
0/0."""


@dataclass(frozen=True)
class Moves:
    """The directions coordinate hit-and-run moves along, each with the rows it changes.

    Direction ``k`` changes the unknowns ``support[k]`` by ``step[k]`` per unit and the slack
    of rows ``rows[k]`` by ``rate[k]`` per unit (every other row's ``rate`` is 0). ``a``, ``b``:
    the region's inequalities, each scaled to a largest coefficient of 1, duplicates merged.
    """

    a: Array
    b: Array
    rows: tuple[Index, ...]
    rate: tuple[Array, ...]
    support: tuple[Index, ...]
    step: tuple[Array, ...]

    @property
    def dimension(self) -> int:
        """The dimension of the region's affine hull (of the equalities' solutions)."""
        return len(self.rows)


def _merged_rows(a: Array, b: Array) -> tuple[Array, Array]:
    """``a x <= b`` with every row scaled to a largest coefficient of 1, rows with no
    coefficient dropped (they hold everywhere in a non-empty region) and duplicates kept once,
    with the tightest bound."""
    scale = np.abs(a).max(axis=1)
    keep = scale > 1e-12
    a, b = a[keep] / scale[keep, None], b[keep] / scale[keep]
    _, first, inverse = np.unique(np.round(a, 12), axis=0, return_index=True, return_inverse=True)
    bound = np.full(first.size, np.inf)
    np.minimum.at(bound, inverse.ravel(), b)
    return a[first], bound


def moves_of(region: Region) -> Moves:
    """The region's directions: each unknown outside every equality on its own, and an
    orthonormal basis of the equalities' null space over the unknowns they involve (so every
    move keeps the equalities)."""
    from scipy.linalg import null_space

    a, b = _merged_rows(region.a_ub, region.b_ub)
    n = region.a_ub.shape[1]
    tied = np.flatnonzero(np.abs(region.a_eq).max(axis=0, initial=0.0) > 0)
    free = np.setdiff1d(np.arange(n), tied)
    directions: list[tuple[Index, Array]] = [
        (np.array([k], dtype=np.intp), np.ones(1)) for k in free
    ]
    if tied.size:
        basis = null_space(region.a_eq[:, tied])
        directions += [(tied, basis[:, c]) for c in range(basis.shape[1])]
    rows: list[Index] = []
    rates: list[Array] = []
    for support, step in directions:
        rate = a[:, support] @ step
        moved = np.flatnonzero(np.abs(rate) > 1e-12)
        rows.append(moved)
        rates.append(np.ascontiguousarray(rate[moved, None]))
    return Moves(
        a,
        b,
        tuple(rows),
        tuple(rates),
        tuple(d[0] for d in directions),
        tuple(d[1][:, None] for d in directions),
    )


@dataclass
class Chains:
    """Coordinate hit-and-run chains moving together in a region: ``points`` is (chains,
    unknowns).

    Each step draws one direction of :class:`Moves` (the same for every chain) and moves every
    chain to a uniform point of its own segment along it. Coordinate directions hit-and-run
    (Berbee, Boender, Rinnooy Kan, Scheffer, Smith & Telgen 1987, "Hit-and-run algorithms for
    the identification of nonredundant linear inequalities", *Mathematical Programming* 37,
    184-207; in a rounded or orthonormal basis, the CHRR sampler of Haraldsdottir, Cousins,
    Thiele, Fleming & Vempala 2017, *Bioinformatics* 33(11), 1741-1743) leaves the uniform
    distribution invariant: each step is a Gibbs step of the uniform law along a line drawn
    independently of the point. A shared direction keeps that true of each chain, and the
    product of uniforms is invariant for the chains together, so they forget their common
    start. A step touches only the rows its direction changes (about 25 of 320 in the
    benchmark), with no matrix product.
    """

    moves: Moves
    x: Array  # (unknowns, chains)
    slack: Array  # (rows of moves.a, chains): b - a @ x, kept step by step

    @classmethod
    def start(cls, region: Region, start: Array, chains: int) -> Chains:
        """``chains`` chains at ``start`` (a point of the region)."""
        return cls.at(moves_of(region), start, chains)

    @classmethod
    def at(cls, moves: Moves, start: Array, chains: int) -> Chains:
        """``chains`` chains at ``start``, along ``moves`` (computed once, shared)."""
        slack = np.maximum(moves.b - moves.a @ start, 0.0)
        return cls(
            moves, np.tile(start[:, None], (1, chains)), np.tile(slack[:, None], (1, chains))
        )

    @property
    def dimension(self) -> int:
        """The dimension of the region's affine hull (of the equalities' solutions)."""
        return self.moves.dimension

    @property
    def points(self) -> Array:
        """Where the chains are: (chains, unknowns)."""
        return np.ascontiguousarray(self.x.T)

    def walk(
        self,
        steps: int,
        rng: np.random.Generator,
        uniforms: Sequence[np.random.Generator] = (),
    ) -> Array:
        """Move every chain ``steps`` steps; the points reached, (chains, unknowns).

        Draws the ``steps`` directions from ``rng``, then a (steps, chains) array of uniforms:
        from ``rng`` too, or, with ``uniforms`` (generators of equal shares of the chains, in
        order), each share's from its own generator. The same generators' states give the same
        walk. Every operation is elementwise per chain (the slack is updated, never
        recomputed by a matrix product), so a chain's path is the same bit for bit whatever
        other chains move with it; rounding drifts the slack from ``b - a @ x`` by about
        1e-16 times the square root of the steps.
        """
        m = self.moves
        if m.dimension == 0 or steps <= 0:
            return self.points
        chains = self.x.shape[1]
        which = rng.integers(0, m.dimension, size=steps)
        if uniforms:
            share = chains // len(uniforms)
            uniform = np.hstack([g.random((steps, share)) for g in uniforms])
        else:
            uniform = rng.random((steps, chains))
        x, slack = self.x, self.slack
        for k, u in zip(which.tolist(), uniform, strict=True):
            rows, rate = m.rows[k], m.rate[k]
            s = np.maximum(slack[rows], TINY)
            q = rate / s  # a row binds at t = 1/q: ahead where q > 0, behind where q < 0
            ahead, behind = 1.0 / q.max(axis=0), 1.0 / q.min(axis=0)
            t = behind + u * (ahead - behind)
            slack[rows] = s - rate * t
            x[m.support[k]] += m.step[k] * t
        return self.points
