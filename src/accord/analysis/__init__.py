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
    SOLUTION_NAMES,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)
from accord.analysis.counting import PackageCount, count_packages, wilson_interval
from accord.analysis.dominance import dominates, nondominated_mask
from accord.analysis.frontier import Frontier, frontier_from_groups

__all__ = [
    "SOLUTION_NAMES",
    "Frontier",
    "FrontierPoint",
    "PackageCount",
    "ProposalAssessment",
    "Solution",
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
    "utilitarian",
    "wilson_interval",
]
