"""Compiling a negotiation model to arrays."""

from accord.space.compiled import CompiledIssue, CompiledSpace, ForbiddenCombination

__all__ = ["CompiledIssue", "CompiledSpace", "ForbiddenCombination"]
