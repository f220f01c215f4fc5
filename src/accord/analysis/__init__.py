"""Analyses of the agreement space: frontier, bargaining solutions, ZOPA, proposals."""

from accord.analysis.agreement_space import (
    FrontierPoint,
    ProposalAssessment,
    Solution,
    SpaceAnalysis,
    analyze_space,
    prepare_space,
)
from accord.analysis.bargaining import (
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)
from accord.analysis.counting import PackageCount, count_packages, wilson_interval
from accord.analysis.dominance import dominates, nondominated_mask
from accord.analysis.frontier import Frontier, frontier_from_groups
from accord.analysis.solutions import (
    SOLUTION_CONCEPTS,
    SOLUTION_NAMES,
    SolutionConcept,
    solution_concept,
)

__all__ = [
    "SOLUTION_CONCEPTS",
    "SOLUTION_NAMES",
    "Frontier",
    "FrontierPoint",
    "PackageCount",
    "ProposalAssessment",
    "Solution",
    "SolutionConcept",
    "SpaceAnalysis",
    "analyze_space",
    "count_packages",
    "dominates",
    "egalitarian",
    "frontier_from_groups",
    "kalai_smorodinsky",
    "nash_bargaining",
    "nondominated_mask",
    "prepare_space",
    "solution_concept",
    "utilitarian",
    "wilson_interval",
]
