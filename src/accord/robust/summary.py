"""The results of a robustness run: each conclusion's probability with its interval, each
solution concept's distribution of packages, and the estimates ranked by how much they move
each conclusion (:func:`summarise`, from the integer tallies of :mod:`accord.robust.engine`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from accord.robust.kernel import CONCEPTS as SOLUTION_NAMES
from accord.robust.stats import Probability, first_order_indices, null_index_level
from accord.space.compiled import CompiledSpace

if TYPE_CHECKING:
    from accord.robust.engine import ChunkTally, RobustProblem

__all__ = [
    "INTERVAL_METHOD",
    "SENSITIVITY_METHOD",
    "ProposalRobustness",
    "RobustnessReport",
    "SensitivityEntry",
    "SensitivityRanking",
    "SolutionOutcome",
    "SolutionRobustness",
    "summarise",
]

SENSITIVITY_METHOD = (
    "first-order variance-based (Sobol') index S_i = Var(E[Y|X_i]) / Var(Y) of each "
    "yes/no conclusion Y, estimated by binning each estimate X_i into bins of equal "
    "probability (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, 1.2.5)"
)
INTERVAL_METHOD = "Wilson score interval (Wilson 1927, JASA 22)"


@dataclass(frozen=True)
class ProposalRobustness:
    """How a proposal fares across sampled preference profiles."""

    id: str
    feasible: bool
    point_in_zopa: bool
    in_zopa: Probability
    point_pareto_optimal: bool
    pareto_optimal: Probability
    preferred: dict[str, dict[str, Probability]]
    """``preferred[negotiator][other]``: the negotiator strictly prefers this proposal."""


@dataclass(frozen=True)
class SolutionOutcome:
    """One package that a solution concept picks in some samples."""

    package: dict[str, str | float]
    probability: Probability
    is_point_solution: bool


@dataclass(frozen=True)
class SolutionRobustness:
    """The distribution of one solution concept's package across samples."""

    concept: str
    point_package: dict[str, str | float] | None
    same_as_point: Probability
    no_agreement: Probability
    distinct_packages: int
    top: tuple[SolutionOutcome, ...]
    by_issue: dict[str, dict[str, Probability]]
    """``by_issue[issue][option]``: how often the solution gives the issue that option.

    In a large space the exact package rarely repeats across profiles; what
    the solution says issue by issue usually does.  Options are keyed as the
    scenario file writes them (a numeric option as its number, in text)."""


_Prob = Callable[[int | np.integer], Probability]
"""A count turned into a :class:`Probability` over the run's samples."""


@dataclass(frozen=True)
class SensitivityEntry:
    parameter: str
    index: float


@dataclass(frozen=True)
class SensitivityRanking:
    """Which estimates move one yes/no conclusion most."""

    conclusion: str
    probability: Probability
    varies: bool
    ranking: tuple[SensitivityEntry, ...]


@dataclass(frozen=True)
class RobustnessReport:
    """The result of :func:`analyze_robustness` (serialise with ``to_jsonable``)."""

    negotiators: tuple[str, ...]
    samples: int
    seed: int
    packages: int
    uncertain_estimates: int
    confidence: float
    tolerance: float
    interval_method: str
    sensitivity_method: str
    sensitivity_noise_level: float
    empty_zopa: Probability
    proposals: tuple[ProposalRobustness, ...]
    solutions: dict[str, SolutionRobustness]
    sensitivity: tuple[SensitivityRanking, ...]
    extra: dict[str, Probability]


def _proposals(
    problem: RobustProblem, negotiators: tuple[str, ...], tally: ChunkTally, prob: _Prob
) -> tuple[ProposalRobustness, ...]:
    proposals = []
    for q, pid in enumerate(problem.proposal_ids):
        preferred = {
            neg: {
                other: prob(tally.prefers[j, q, r])
                for r, other in enumerate(problem.proposal_ids)
                if r != q
            }
            for j, neg in enumerate(negotiators)
        }
        proposals.append(
            ProposalRobustness(
                id=pid,
                feasible=problem.proposal_feasible[q],
                point_in_zopa=bool(problem.point.in_zopa[0, q]),
                in_zopa=prob(tally.in_zopa[q]),
                point_pareto_optimal=bool(problem.point.pareto_optimal[0, q]),
                pareto_optimal=prob(tally.pareto[q]),
                preferred=preferred,
            )
        )
    return tuple(proposals)


def _solution(
    problem: RobustProblem,
    space: CompiledSpace,
    tally: ChunkTally,
    prob: _Prob,
    c: int,
    top: int,
) -> SolutionRobustness:
    """The distribution of solution concept ``c``'s package (``SOLUTION_NAMES[c]``)."""
    k = problem.n_packages
    counts = tally.winners[c, :k]
    point_index = int(problem.point.winners[0, c])
    order = np.lexsort((np.arange(k), -counts))[:top]
    shown = tuple(
        SolutionOutcome(
            package=space.package_dict(problem.packages[i]),
            probability=prob(counts[i]),
            is_point_solution=int(i) == point_index,
        )
        for i in order
        if counts[i] > 0
    )
    by_issue: dict[str, dict[str, Probability]] = {}
    for i, issue in enumerate(space.issues):
        per_option = np.bincount(problem.packages[:, i], weights=counts, minlength=issue.size)
        by_issue[issue.id] = {
            str(issue.value_of(o)): prob(round(float(per_option[o])))
            for o in np.argsort(-per_option, kind="stable")
            if per_option[o] > 0
        }
    same = tally.winners[c, point_index] if point_index >= 0 else tally.winners[c, k]
    return SolutionRobustness(
        concept=SOLUTION_NAMES[c],
        point_package=space.package_dict(problem.packages[point_index])
        if point_index >= 0
        else None,
        same_as_point=prob(same),
        no_agreement=prob(tally.winners[c, k]),
        distinct_packages=int(np.count_nonzero(counts)),
        top=shown,
        by_issue=by_issue,
    )


def _sensitivity(
    problem: RobustProblem, tally: ChunkTally, prob: _Prob, names: list[str]
) -> tuple[SensitivityRanking, ...]:
    indices = first_order_indices(tally.bin_counts, tally.bin_hits) if names else None
    sensitivity = []
    for t, conclusion in enumerate(problem.targets):
        p = prob(tally.targets[t])
        varies = 0 < tally.targets[t] < tally.samples
        ranking: tuple[SensitivityEntry, ...] = ()
        if varies and indices is not None:
            row = indices[t]
            order = np.lexsort((np.arange(len(names)), -np.nan_to_num(row, nan=-1.0)))
            ranking = tuple(SensitivityEntry(names[i], float(row[i])) for i in order)
        sensitivity.append(SensitivityRanking(conclusion, p, bool(varies), ranking))
    return tuple(sensitivity)


def summarise(
    problem: RobustProblem,
    space: CompiledSpace,
    tally: ChunkTally,
    *,
    seed: int,
    confidence: float = 0.95,
    top: int = 5,
) -> RobustnessReport:
    """Turn a tally into probabilities, intervals, distributions and rankings."""
    n = tally.samples

    def prob(k: int | np.integer) -> Probability:
        return Probability.from_counts(int(k), n, confidence)

    solutions = {
        concept: _solution(problem, space, tally, prob, c, top)
        for c, concept in enumerate(SOLUTION_NAMES)
    }
    names = [problem.model.parameters()[i].name for i in problem.uncertain]
    n_builtin = len(problem.targets) - len(problem.indicators)
    extra = {
        ind.name: prob(tally.targets[n_builtin + i]) for i, ind in enumerate(problem.indicators)
    }
    return RobustnessReport(
        negotiators=space.negotiators,
        samples=n,
        seed=seed,
        packages=problem.n_packages,
        uncertain_estimates=len(names),
        confidence=confidence,
        tolerance=problem.tol,
        interval_method=INTERVAL_METHOD,
        sensitivity_method=SENSITIVITY_METHOD,
        sensitivity_noise_level=null_index_level(problem.bins, n),
        empty_zopa=prob(tally.empty),
        proposals=_proposals(problem, space.negotiators, tally, prob),
        solutions=solutions,
        sensitivity=_sensitivity(problem, tally, prob, names),
        extra=extra,
    )
