"""What accord's engine finds in a case, computed on every party's current preferences.

The functions here read one :class:`accord.run.Analysis` of the case (every party's numbers,
each draft as a proposal; see :func:`accord.service.engine.case_analysis`) and return every
party's figures. None of it reaches a page as it is: the per-role views
(:mod:`accord.service.cases.assisted`, :mod:`accord.service.cases.agreement`) keep, for the
mediators, only the figures of the parties that share their preferences with them, and for a
party, only its own.

- :func:`assist`: the zone of possible agreement and its size, the four bargaining solutions,
  and where each draft stands (every party at or above its walk-away?).
- :func:`draft_improvements`: the packages that leave every party at least as well off as a
  draft, fewest changes first (accord's ``improve``).
- :func:`post_settlement_offers`: after a tentative agreement, the packages every party
  strictly prefers to it, best by the Nash product of the gains over the agreement
  (Raiffa 1985, "Post-settlement settlements", *Negotiation Journal* 1(1):9-12: once the
  parties hold an agreement, it is their fallback, so it plays the part of the disagreement
  point in Nash's (1950) product). Only Pareto-optimal packages are offered, so an accepted
  offer cannot itself be improved for every party again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.solutions import SOLUTION_CONCEPTS
from accord.service import engine

if TYPE_CHECKING:
    from accord.analysis.agreement_space import Solution
    from accord.analysis.improve import ImprovementSearch
    from accord.run import Analysis

__all__ = [
    "SOLUTION_TITLES",
    "CaseAssistance",
    "DraftStanding",
    "SettlementOffer",
    "assist",
    "draft_improvements",
    "post_settlement_offers",
]

SOLUTION_TITLES = {c.name: c.label for c in SOLUTION_CONCEPTS}
"""The four solutions the mediators are shown, in this order, with their names (from the
one registry of solution concepts, :mod:`accord.analysis.solutions`)."""


@dataclass(frozen=True)
class DraftStanding:
    """Where one draft stands for every party (utilities 0 to 1; margin over the walk-away)."""

    number: int
    utility: dict[str, float]
    margin: dict[str, float]
    at_or_above: dict[str, bool]
    feasible: bool
    pareto_optimal: bool

    @property
    def every_party_at_or_above(self) -> bool:
        return self.feasible and all(self.at_or_above.values())


@dataclass(frozen=True)
class CaseAssistance:
    """The agreement space of a case on every party's numbers.

    ``zopa`` counts the packages every party rates at or above its walk-away (an estimate
    with ``zopa_interval`` when ``zopa_exact`` is False); ``solutions`` maps each name of
    :data:`SOLUTION_TITLES` to accord's solution (None when the zone is empty).
    """

    negotiators: tuple[str, ...]
    packages: int
    zopa: int
    zopa_exact: bool
    zopa_interval: tuple[int, int] | None
    reservation: dict[str, float]
    solutions: dict[str, Solution | None]
    drafts: tuple[DraftStanding, ...]


def assist(analysis: Analysis, draft_ids: Mapping[int, str]) -> CaseAssistance:
    """The zone of possible agreement, the solutions and each draft's standing."""
    found = analysis.space_analysis()
    tol = found.tolerance
    by_id = {p.id: p for p in found.proposals}
    drafts = []
    for number, pid in sorted(draft_ids.items()):
        p = by_id[pid]
        margin = {n: round(p.utility[n] - found.reservation[n], 9) for n in found.negotiators}
        drafts.append(
            DraftStanding(
                number=number,
                utility=dict(p.utility),
                margin=margin,
                at_or_above={n: m >= -tol for n, m in margin.items()},
                feasible=p.feasible,
                pareto_optimal=p.pareto_optimal,
            )
        )
    return CaseAssistance(
        negotiators=found.negotiators,
        packages=found.packages,
        zopa=found.zopa,
        zopa_exact=found.exact,
        zopa_interval=found.zopa_interval,
        reservation=dict(found.reservation),
        solutions={name: found.solutions.get(name) for name in SOLUTION_TITLES},
        drafts=tuple(drafts),
    )


def draft_improvements(analysis: Analysis, draft_id: str, *, limit: int = 5) -> ImprovementSearch:
    """The packages that leave every party at least as well off as a draft, fewest issues
    changed first, then by the Nash product over the walk-aways (accord's ``improve``)."""
    return analysis.improvements(draft_id, limit=limit)


@dataclass(frozen=True)
class SettlementOffer:
    """A package every party strictly prefers to the agreement: each party's utility and its
    gain over the agreement."""

    package: dict[str, Any]
    utility: dict[str, float]
    gain: dict[str, float]


def post_settlement_offers(
    analysis: Analysis,
    agreement: Mapping[str, Any],
    *,
    limit: int = 3,
    tol: float = 1e-9,
) -> tuple[SettlementOffer, ...]:
    """Up to ``limit`` Pareto-optimal packages that every party prefers to ``agreement`` by
    more than ``tol``, by decreasing Nash product of the gains over the agreement (ties: in
    the frontier's order).

    Every package that every party strictly prefers is dominated by, or is, a Pareto-optimal
    one with a product at least as large, so the best lies on the frontier searched here.
    """
    space = analysis.space
    start = space.utility(np.array([engine.package_indices(analysis.scenario, agreement)]))[0]
    frontier = analysis.space_analysis().pareto
    if not frontier or limit < 1:
        return ()
    names = space.negotiators
    utility = np.array([[point.utility[n] for n in names] for point in frontier])
    gain = utility - start
    better = np.flatnonzero(np.all(gain > tol, axis=1))
    product = np.prod(gain[better], axis=1)
    best = better[np.argsort(-product, kind="stable")][:limit]
    return tuple(
        SettlementOffer(
            package=dict(frontier[k].package),
            utility={n: float(utility[k, j]) for j, n in enumerate(names)},
            gain={n: round(float(gain[k, j]), 9) for j, n in enumerate(names)},
        )
        for k in best
    )
