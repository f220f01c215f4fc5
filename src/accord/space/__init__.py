"""Compiling a negotiation model to arrays."""

from accord.space.compile import compile_issue, compile_space, normalised_values
from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination
from accord.space.exact import ExactUtilities, rational

__all__ = [
    "CompiledIssue",
    "CompiledSpace",
    "ExactUtilities",
    "ForbiddenCombination",
    "compile_issue",
    "compile_space",
    "normalised_values",
    "rational",
]
