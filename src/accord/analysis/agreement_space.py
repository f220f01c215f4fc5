"""The whole agreement-space analysis of a negotiation: counts, frontier, solutions, proposals.

This module ties the algorithms together for one :class:`~accord.space.CompiledSpace`
and returns a frozen, JSON-shaped result (:class:`SpaceAnalysis`).  Decisions
(dominance, ZOPA membership, ties, the solutions) are taken on the exact integer
utilities of :mod:`accord.space.exact`; the utilities reported are rounded to 9
decimals.  When some negotiator's utilities had to be rounded (the fallback of
that module), the result's ``warnings`` say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.counting import PackageCount, count_packages, feasible_count
from accord.analysis.dominance import dominators_mask
from accord.analysis.frontier import Frontier, frontier_from_groups
from accord.analysis.solutions import SOLUTION_CONCEPTS
from accord.space.compiled import CompiledSpace
from accord.space.exact import ExactUtilities
from accord.space.groups import IssueGroup, independent_groups, unit_tables

__all__ = [
    "DEFAULT_TOL",
    "FrontierPoint",
    "ProposalAssessment",
    "Solution",
    "SpaceAnalysis",
    "SpaceCore",
    "analyze_space",
    "prepare_space",
]

DEFAULT_TOL = 1e-9
_DECIMALS = 9


@dataclass(frozen=True)
class FrontierPoint:
    """A package and each negotiator's utility for it."""

    package: dict[str, str | float]
    utility: dict[str, float]


@dataclass(frozen=True)
class Solution:
    """A bargaining solution: the chosen package, its utilities, and how many packages tie.

    ``ties`` counts the Pareto-optimal packages in the ZOPA that attain the same
    optimum (1 when unique); the package shown is the one with the
    lexicographically smallest option indices (issues in scenario order, options
    in the order the issue lists them).
    """

    package: dict[str, str | float]
    utility: dict[str, float]
    ties: int
    gain: dict[str, float]


@dataclass(frozen=True)
class ProposalAssessment:
    """Where a proposal stands in the agreement space.

    ``dominated_by`` counts the feasible packages that Pareto-dominate the
    proposal; when the space is too large to count exactly it is an estimate,
    ``dominated_by_exact`` is False and ``dominated_by_interval`` holds its
    confidence interval.  ``pareto_optimal`` is always decided exactly (against
    the frontier).
    """

    id: str
    package: dict[str, str | float]
    utility: dict[str, float]
    feasible: bool
    in_zopa: bool
    pareto_optimal: bool
    dominated_by: int
    dominated_by_exact: bool
    dominated_by_interval: tuple[int, int] | None


@dataclass(frozen=True)
class SpaceAnalysis:
    """The agreement-space analysis; field names are the keys of ``accord analyze --json``.

    Attributes:
        negotiators: negotiator ids, in column order.
        packages: the number of feasible packages (always exact).
        exact: whether ``zopa`` (and every ``dominated_by``) was counted exactly.
        zopa: packages where every negotiator's utility >= reservation - tolerance
            (an estimate when ``exact`` is False).
        pareto_size: the number of Pareto-optimal feasible packages.
        pareto_vectors: the number of distinct utility vectors among them (exactly equal
            vectors counted once: NegMAS's frontier, which keeps one package per vector).
        pareto: listed frontier points (all of them, or ``limit`` evenly spaced
            ones), ordered by the first negotiator's utility, decreasing.
        solutions: nash, kalai_smorodinsky, egalitarian, utilitarian; each None
            when the ZOPA is empty.
        proposals: one assessment per proposal, in scenario order.
        reservation: each negotiator's reservation value.
        tolerance: the ZOPA tolerance.
        zopa_interval: the confidence interval of ``zopa`` when estimated.
        confidence: the interval's confidence level when estimated.
        zopa_pareto_size: Pareto-optimal packages inside the ZOPA.
        pareto_scope: "all" (the whole frontier is listed) or "zopa" (only its
            part every negotiator weakly prefers to walking away).
        pareto_listed: how many frontier points are listed in ``pareto``.
        best_possible: each negotiator's best utility over feasible packages.
        explanation: why the ZOPA is empty, in words; None otherwise.
        warnings: one sentence per negotiator whose utilities could not be
            compared exactly (see :mod:`accord.space.exact`); empty when every
            decision above is exact.
    """

    negotiators: tuple[str, ...]
    packages: int
    exact: bool
    zopa: int
    pareto_size: int
    pareto_vectors: int
    pareto: tuple[FrontierPoint, ...]
    solutions: dict[str, Solution | None]
    proposals: tuple[ProposalAssessment, ...]
    reservation: dict[str, float]
    tolerance: float
    zopa_interval: tuple[int, int] | None
    confidence: float | None
    zopa_pareto_size: int
    pareto_scope: Literal["all", "zopa"]
    pareto_listed: int
    best_possible: dict[str, float]
    explanation: str | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpaceCore:
    """The exact arrays behind an analysis, shared by analyze, compare and improve.

    ``tables``, ``reservation`` and ``threshold`` are in each negotiator's exact
    integer units (``space.units``); ``threshold`` is the least utility that
    reaches the reservation within ``tolerance``.
    """

    space: CompiledSpace
    groups: tuple[IssueGroup, ...]
    tables: tuple[NDArray[np.int64], ...]
    reservation: NDArray[np.int64]
    threshold: NDArray[np.int64]
    frontier: Frontier
    tolerance: float

    @property
    def units(self) -> ExactUtilities:
        return self.space.units

    def utility_units(self, packages: NDArray[np.intp]) -> NDArray[np.int64]:
        packages = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        out = np.zeros((packages.shape[0], self.space.n_negotiators), dtype=np.int64)
        for i, table in enumerate(self.tables):
            out += table[packages[:, i]]
        return out

    def zopa_frontier(self) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
        keep = np.all(self.frontier.utility >= self.threshold, axis=1)
        return self.frontier.packages[keep], self.frontier.utility[keep]

    def float_utility(self, packages: NDArray[np.intp]) -> NDArray[np.float64]:
        """Utilities as the stored contributions give them (for reporting, not deciding)."""
        return self.space.utility(np.asarray(packages, dtype=np.intp))

    def utility_dict(self, values: NDArray[np.float64]) -> dict[str, float]:
        """Negotiator id -> value rounded to 9 decimals."""
        return {
            name: round(float(v), _DECIMALS)
            for name, v in zip(self.space.negotiators, values, strict=True)
        }

    def solve(self) -> dict[str, tuple[tuple[int, ...], NDArray[np.int64], int] | None]:
        """Each solution as (package, utility units, ties), or None on an empty ZOPA."""
        packages, utility = self.zopa_frontier()
        out: dict[str, tuple[tuple[int, ...], NDArray[np.int64], int] | None] = {}
        for concept in SOLUTION_CONCEPTS:
            if packages.shape[0] == 0:
                out[concept.name] = None
                continue
            winners = concept.winners(utility, self.reservation, scale=self.units.scale)
            # Frontier rows are in lexicographic order of packages: the smallest index wins.
            first = int(np.min(winners))
            out[concept.name] = (
                tuple(int(k) for k in packages[first]),
                utility[first],
                int(winners.size),
            )
        return out


def prepare_space(space: CompiledSpace, *, tol: float = DEFAULT_TOL) -> SpaceCore:
    """Group the issues, take the exact integer utilities and compute the Pareto frontier."""
    if tol < 0:
        raise ValueError("tol must be non-negative")
    groups = independent_groups(space)
    reservation = space.units.reservation
    threshold = space.units.threshold(tol)
    frontier = frontier_from_groups(groups, len(space.issues), space.n_negotiators)
    return SpaceCore(space, groups, unit_tables(space), reservation, threshold, frontier, tol)


def _spread(n: int, limit: int | None) -> NDArray[np.intp]:
    if limit is None or limit >= n:
        return np.arange(n)
    if limit <= 0:
        return np.zeros(0, dtype=np.intp)
    if limit == 1:
        return np.zeros(1, dtype=np.intp)
    return np.unique(np.round(np.linspace(0, n - 1, limit)).astype(np.intp))


def _explain_empty(core: SpaceCore, n_packages: int) -> str:
    space = core.space
    if n_packages == 0:
        return "No package is feasible: the constraints forbid every combination of options."
    best = core.frontier.utility.max(axis=0)
    best_f, res_f = core.units.to_float(best), core.units.to_float(core.reservation)
    short = [
        f"{name} can reach at most {b:.3f}, below its reservation {r:.3f}"
        for name, b, r, reaches in zip(
            space.negotiators, best_f, res_f, best >= core.threshold, strict=True
        )
        if not reaches
    ]
    if short:
        return (
            "No package gives every negotiator at least its reservation value: "
            + "; ".join(short)
            + ". Whatever the others concede, that party does better by walking away."
        )
    shortfall = core.units.to_float(np.maximum(core.reservation - core.frontier.utility, 0))
    k = int(np.argmin(shortfall.max(axis=1)))
    package = space.package_dict(core.frontier.packages[k])
    closest = core.frontier.utility[k]
    gaps = [
        f"{name} {u:.3f} vs {r:.3f}"
        for name, u, r, reaches in zip(
            space.negotiators,
            core.units.to_float(closest),
            res_f,
            closest >= core.threshold,
            strict=True,
        )
        if not reaches
    ]
    return (
        "Each negotiator can reach its reservation value in some package, but no single package "
        "satisfies all of them at once. The closest package (smallest largest shortfall) is "
        + ", ".join(f"{i}={v}" for i, v in package.items())
        + ", where "
        + "; ".join(gaps)
        + "."
    )


def _listed_frontier(
    core: SpaceCore, in_zopa: NDArray[np.bool_], zopa_only: bool, limit: int | None
) -> tuple[FrontierPoint, ...]:
    """The frontier points to list: all or those in the ZOPA, by the first negotiator's
    utility decreasing, ``limit`` of them evenly spaced."""
    space, frontier = core.space, core.frontier
    packages = frontier.packages[in_zopa] if zopa_only else frontier.packages
    utility = frontier.utility[in_zopa] if zopa_only else frontier.utility
    order = (
        np.lexsort(tuple(-utility[:, j] for j in range(space.n_negotiators - 1, -1, -1)))
        if space.n_negotiators
        else np.arange(packages.shape[0])
    )
    chosen = order[_spread(order.size, limit)]
    values = core.float_utility(packages[chosen])
    return tuple(
        FrontierPoint(space.package_dict(packages[k]), core.utility_dict(values[c]))
        for c, k in enumerate(chosen)
    )


def _solutions(core: SpaceCore) -> dict[str, Solution | None]:
    solutions: dict[str, Solution | None] = {}
    for name, found in core.solve().items():
        if found is None:
            solutions[name] = None
            continue
        package, _, ties = found
        values = core.float_utility(np.array([package]))[0]
        solutions[name] = Solution(
            package=core.space.package_dict(package),
            utility=core.utility_dict(values),
            ties=ties,
            gain=core.utility_dict(values - core.space.reservation),
        )
    return solutions


def _assessments(
    core: SpaceCore,
    packages: NDArray[np.intp],
    units: NDArray[np.int64],
    ge: list[PackageCount],
    eq: list[PackageCount],
) -> tuple[ProposalAssessment, ...]:
    """Each proposal placed in the space; ``ge[k]``/``eq[k]`` count the packages at least as
    good as / exactly as good as proposal ``k`` for everyone."""
    space = core.space
    values = core.float_utility(packages)
    feasible = space.is_feasible(packages) if packages.shape[0] else np.zeros(0, dtype=bool)
    out = []
    for k, (pid, package) in enumerate(space.proposals):
        u, at_least, equal = units[k], ge[k], eq[k]
        dominating = at_least.value - equal.value
        optimal = bool(feasible[k]) and not bool(np.any(dominators_mask(core.frontier.utility, u)))
        interval = None
        if not at_least.exact:
            lo = max(0, at_least.interval[0] - equal.interval[1])  # type: ignore[index]
            hi = at_least.interval[1] - equal.interval[0]  # type: ignore[index]
            interval = (lo, hi)
        if not optimal and feasible[k] and dominating < 1:
            dominating = 1  # an estimate of zero for a dominated package: at least one exists
        if optimal:
            dominating, interval = 0, (None if at_least.exact else (0, 0))
        out.append(
            ProposalAssessment(
                id=pid,
                package=space.package_dict(package),
                utility=core.utility_dict(values[k]),
                feasible=bool(feasible[k]),
                in_zopa=bool(feasible[k]) and bool(np.all(u >= core.threshold)),
                pareto_optimal=optimal,
                dominated_by=int(dominating),
                dominated_by_exact=at_least.exact,
                dominated_by_interval=interval,
            )
        )
    return tuple(out)


def analyze_space(
    space: CompiledSpace,
    *,
    limit: int | None = None,
    tol: float = DEFAULT_TOL,
    zopa_pareto: bool = False,
    exact_limit: int = 10**9,
    samples: int = 1_000_000,
    confidence: float = 0.95,
    seed: int | None = 0,
    workers: int | None = None,
    core: SpaceCore | None = None,
) -> SpaceAnalysis:
    """Analyse the agreement space of ``space``.

    Args:
        limit: list at most this many frontier points (evenly spaced along the
            frontier, both ends included); counts are always complete.
        tol: a package is in the ZOPA when every utility >= reservation - tol.
        zopa_pareto: list only the frontier points inside the ZOPA (what NegMAS
            calls the Pareto frontier: packages every party prefers to walking away).
        exact_limit: count exactly up to this many feasible packages; beyond,
            estimate from ``samples`` uniform draws (``seed``) with a Wilson
            interval at ``confidence``.
        workers: threads for exact counting (default: up to 2).
        core: a precomputed :func:`prepare_space` result to reuse.
    """
    core = core or prepare_space(space, tol=tol)
    n_packages = feasible_count(core.groups)
    prop_packages = np.array([p for _, p in space.proposals], dtype=np.intp).reshape(
        len(space.proposals), len(space.issues)
    )
    prop_units = core.utility_units(prop_packages)
    ge, eq = count_packages(
        core.groups,
        space.n_negotiators,
        at_least=np.vstack([core.threshold[None, :], prop_units]),
        equal=prop_units,
        exact_limit=exact_limit,
        samples=samples,
        confidence=confidence,
        seed=seed,
        workers=workers,
    )
    zopa_count: PackageCount = ge[0]
    frontier = core.frontier
    in_zopa_front = np.all(frontier.utility >= core.threshold, axis=1)
    pareto = _listed_frontier(core, in_zopa_front, zopa_pareto, limit)
    empty = zopa_count.value == 0 and not bool(np.any(in_zopa_front))
    best = (
        core.float_utility(frontier.packages[np.argmax(frontier.utility, axis=0)]).max(axis=0)
        if frontier.size
        else None
    )
    zopa_value = zopa_count.value
    if not zopa_count.exact and np.any(in_zopa_front) and zopa_value == 0:
        zopa_value = int(np.count_nonzero(in_zopa_front))
    return SpaceAnalysis(
        negotiators=space.negotiators,
        packages=n_packages,
        exact=zopa_count.exact,
        zopa=zopa_value,
        pareto_size=frontier.size,
        pareto_vectors=int(np.unique(frontier.utility, axis=0).shape[0]) if frontier.size else 0,
        pareto=pareto,
        solutions=_solutions(core),
        proposals=_assessments(core, prop_packages, prop_units, ge[1:], eq),
        reservation=core.utility_dict(space.reservation),
        tolerance=tol,
        zopa_interval=zopa_count.interval,
        confidence=zopa_count.confidence,
        zopa_pareto_size=int(np.count_nonzero(in_zopa_front)),
        pareto_scope="zopa" if zopa_pareto else "all",
        pareto_listed=len(pareto),
        best_possible=core.utility_dict(best) if best is not None else {},
        explanation=_explain_empty(core, n_packages) if empty else None,
        warnings=core.units.warnings,
    )
