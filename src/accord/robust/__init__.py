"""Robustness of a negotiation's conclusions to uncertain preference estimates.

Every weight, value and reservation in a scenario is an analyst's estimate.
This package samples plausible preference profiles, re-runs the agreement-space
analysis on each (vectorised: one matrix product per negotiator and tile), and
reports how often each conclusion holds, with confidence intervals, and which
estimates matter most; :mod:`accord.robust.plans` does the same for whether
each phased plan is self-enforcing under uncertain valuations.
See ``docs/explanation/robustness.md``.
"""

from accord.deprecation import deprecated_names
from accord.robust.engine import (
    Indicator,
    ProposalRobustness,
    RobustnessReport,
    RobustProblem,
    SensitivityRanking,
    SolutionOutcome,
    SolutionRobustness,
    analyze_robustness,
    build_problem,
    feasible_packages,
    run_chunks,
    simulate_chunk,
    start_robustness,
    summarise,
)
from accord.robust.engine import (
    analyse_robustness as analyse_robustness,  # deprecated: analyze_robustness
)
from accord.robust.kernel import CONCEPTS as SOLUTION_NAMES
from accord.robust.kernel import DEFAULT_TOL, Outcomes, evaluate_profiles
from accord.robust.parameters import (
    BLOCK_SAMPLES,
    NegotiatorUncertainty,
    PreferenceModel,
    Profiles,
    UncertainParameter,
    block_generator,
    sample_block,
)
from accord.robust.plans import (
    PlanRobustness,
    ValuationModel,
    ValuationParameter,
    analyze_plans,
    start_plans,
    valuation_model,
)
from accord.robust.plans import (
    analyse_plans as analyse_plans,  # deprecated: analyze_plans
)
from accord.robust.stats import Probability, first_order_indices, wilson_interval

__all__ = [
    "BLOCK_SAMPLES",
    "DEFAULT_TOL",
    "SOLUTION_NAMES",
    "Indicator",
    "NegotiatorUncertainty",
    "Outcomes",
    "PlanRobustness",
    "PreferenceModel",
    "Probability",
    "Profiles",
    "ProposalRobustness",
    "RobustProblem",
    "RobustnessReport",
    "SensitivityRanking",
    "SolutionOutcome",
    "SolutionRobustness",
    "UncertainParameter",
    "ValuationModel",
    "ValuationParameter",
    "analyze_plans",
    "analyze_robustness",
    "block_generator",
    "build_problem",
    "evaluate_profiles",
    "feasible_packages",
    "first_order_indices",
    "run_chunks",
    "sample_block",
    "simulate_chunk",
    "start_plans",
    "start_robustness",
    "summarise",
    "valuation_model",
    "wilson_interval",
]

# a deprecated name, kept for one release (accord.deprecation): CONCEPTS also named the GMCR
# stability concepts; the bargaining solutions sampled here are SOLUTION_NAMES
__getattr__ = deprecated_names(__name__, {"CONCEPTS": ("SOLUTION_NAMES", SOLUTION_NAMES)})
