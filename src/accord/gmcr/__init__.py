"""The Graph Model for Conflict Resolution (GMCR): stability of the states of a conflict.

``compile_conflict`` turns a scenario's ``conflict:`` section into a
:class:`CompiledConflict`; ``analyze_stability`` gives Nash, GMR, SMR and SEQ
stability for every decision maker; ``analyze_coalitions``,
``status_quo_analysis``, ``inverse_gmcr`` and ``explain_state`` answer the
follow-up questions.  See docs/explanation/gmcr.md.
"""

from accord.deprecation import deprecated_names
from accord.gmcr.coalition import (
    CoalitionAnalysis,
    analyze_coalitions,
    coalition_structure,
)
from accord.gmcr.coalition import (
    analyse_coalitions as analyse_coalitions,  # deprecated: analyze_coalitions
)
from accord.gmcr.compile import compile_conflict, conflict_problems
from accord.gmcr.evolution import StatusQuoAnalysis, status_quo_analysis
from accord.gmcr.explain import StateExplanation, describe, explain_state
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.inverse import InverseResult, inverse_gmcr
from accord.gmcr.prioritization import parse_statement, prioritization_scores
from accord.gmcr.stability import (
    STABILITY_CONCEPTS,
    Stability,
    analyze_stability,
    stable_states,
)
from accord.gmcr.stability import (
    analyse_stability as analyse_stability,  # deprecated: analyze_stability
)

__all__ = [
    "STABILITY_CONCEPTS",
    "CoalitionAnalysis",
    "CompiledConflict",
    "InverseResult",
    "Stability",
    "StateExplanation",
    "StatusQuoAnalysis",
    "analyze_coalitions",
    "analyze_stability",
    "coalition_structure",
    "compile_conflict",
    "conflict_problems",
    "describe",
    "explain_state",
    "inverse_gmcr",
    "parse_statement",
    "prioritization_scores",
    "stable_states",
    "status_quo_analysis",
]

# a deprecated name, kept for one release (accord.deprecation)
__getattr__ = deprecated_names(__name__, {"CONCEPTS": ("STABILITY_CONCEPTS", STABILITY_CONCEPTS)})
