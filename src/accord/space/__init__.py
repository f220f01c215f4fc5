"""Compiling a negotiation model to arrays."""

from accord.space.compile import compile_issue, compile_space, normalised_values
from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination

__all__ = [
    "CompiledIssue",
    "CompiledSpace",
    "ForbiddenCombination",
    "compile_issue",
    "compile_space",
    "normalised_values",
]
