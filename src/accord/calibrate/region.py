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
drawn in the null space of the equalities, so every point satisfies them; many chains move at
once (one array operation a step), each started from the region's deepest point (the point
farthest inside its inequalities).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.calibrate.evidence import Evidence, Unknowns
from accord.calibrate.solve import Array
from accord.model.schema import Preferences, Scenario

__all__ = ["Chains", "Region", "deepest_point", "region_of"]


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


@dataclass
class Chains:
    """Hit-and-run chains moving together in a region: ``points`` is (chains, unknowns)."""

    region: Region
    points: Array
    basis: Array

    @classmethod
    def start(cls, region: Region, start: Array, chains: int) -> Chains:
        """``chains`` chains at ``start`` (a point of the region)."""
        from scipy.linalg import null_space

        basis = null_space(region.a_eq) if region.a_eq.shape[0] else np.eye(start.size)
        return cls(region, np.tile(start, (chains, 1)), basis)

    @property
    def dimension(self) -> int:
        """The dimension of the region's affine hull (of the equalities' solutions)."""
        return int(self.basis.shape[1])

    def walk(self, steps: int, rng: np.random.Generator) -> Array:
        """Move every chain ``steps`` steps; the points reached.

        A step draws a direction (Gaussian in the equalities' null space, so the equalities
        stay satisfied), the segment of the line inside the region, and a point uniformly on it.
        """
        if self.dimension == 0:
            return self.points
        a, b = self.region.a_ub, self.region.b_ub
        x, chains = self.points, self.points.shape[0]
        # the basis is orthonormal: a unit direction z/|z| in its coordinates is a unit direction
        to_space = np.ascontiguousarray(self.basis.T)
        to_rows = np.ascontiguousarray(to_space @ a.T)
        slack = np.maximum(b - x @ a.T, 0.0)
        for _ in range(steps):
            z = rng.standard_normal((chains, self.dimension))
            z /= np.linalg.norm(z, axis=1, keepdims=True)
            rate = z @ to_rows
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = slack / rate
            upper = np.min(ratio, axis=1, where=rate > 1e-12, initial=1e3)
            lower = np.max(ratio, axis=1, where=rate < -1e-12, initial=-1e3)
            t = lower + rng.random(chains) * np.maximum(upper - lower, 0.0)
            x = x + (t[:, None] * z) @ to_space
            slack = np.maximum(slack - t[:, None] * rate, 0.0)
        self.points = x
        return x
