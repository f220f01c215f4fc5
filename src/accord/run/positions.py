"""Results shown with the stated positions each of their packages meets and breaks (issue 16,
item 4): the analysis's own keys, plus ``positions``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.jsonable import INLINE

if TYPE_CHECKING:
    from accord.analysis.agreement_space import SpaceAnalysis
    from accord.analysis.compare import Comparison
    from accord.analysis.improve import ImprovementSearch
    from accord.calibrate.positions import PositionsMet
    from accord.model import Scenario

__all__ = ["WithPositions", "comparison_positions", "improvement_positions", "space_positions"]


@dataclass(frozen=True)
class WithPositions:
    """A result (its keys kept at the top level) and, by package name, the stated positions
    the package meets and breaks."""

    result: Any = field(metadata=INLINE)
    positions: dict[str, PositionsMet] = field(default_factory=dict)


def space_positions(scenario: Scenario, result: SpaceAnalysis) -> WithPositions:
    """Positions met by each fair solution and each proposal (by name)."""
    from accord.calibrate.positions import positions_met

    out = {n: positions_met(scenario, s.package) for n, s in result.solutions.items() if s}
    out.update({p.id: positions_met(scenario, p.package) for p in result.proposals})
    return WithPositions(result, out)


def comparison_positions(scenario: Scenario, result: Comparison) -> WithPositions:
    """Positions met by the two packages compared (by their names)."""
    from accord.calibrate.positions import positions_met

    return WithPositions(
        result,
        {
            result.a: positions_met(scenario, result.package_a),
            result.b: positions_met(scenario, result.package_b),
        },
    )


def improvement_positions(scenario: Scenario, result: ImprovementSearch) -> WithPositions:
    """Positions met by the starting package and by each improvement (by rank: ``1``, ...)."""
    from accord.calibrate.positions import positions_met

    out = {result.start: positions_met(scenario, result.package)}
    for rank, imp in enumerate(result.improvements, 1):
        out[str(rank)] = positions_met(scenario, imp.package)
    return WithPositions(result, out)
