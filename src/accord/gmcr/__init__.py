"""The Graph Model for Conflict Resolution (GMCR): stability of the states of a conflict.

``compile_conflict`` turns a scenario's ``conflict:`` section into a
:class:`CompiledConflict`; ``analyse_stability`` gives Nash, GMR, SMR and SEQ
stability for every decision maker; ``analyse_coalitions``,
``status_quo_analysis``, ``inverse_gmcr`` and ``explain_state`` answer the
follow-up questions.  See docs/explanation/gmcr.md.
"""

from accord.gmcr.coalition import CoalitionAnalysis, analyse_coalitions, coalition_structure
from accord.gmcr.compile import compile_conflict, conflict_problems
from accord.gmcr.evolution import StatusQuoAnalysis, status_quo_analysis
from accord.gmcr.explain import StateExplanation, describe, explain_state
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.inverse import InverseResult, inverse_gmcr
from accord.gmcr.prioritization import parse_statement, prioritization_scores
from accord.gmcr.stability import CONCEPTS, Stability, analyse_stability, stable_states

__all__ = [
    "CONCEPTS",
    "CoalitionAnalysis",
    "CompiledConflict",
    "InverseResult",
    "Stability",
    "StateExplanation",
    "StatusQuoAnalysis",
    "analyse_coalitions",
    "analyse_stability",
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
