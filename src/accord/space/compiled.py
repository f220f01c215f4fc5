"""The array form of a negotiation that every agreement-space analysis reads.

A package chooses one option (or one step value) per issue.  Utilities are
additive: the utility of a package to negotiator ``j`` is the sum over issues
``i`` of ``contributions[i][option_i, j]``, where each contribution is the
negotiator's normalised weight on the issue times its normalised value of the
option (both in [0, 1], so utilities lie in [0, 1]).  The model layer builds
this object; analyses never see files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from accord.space.exact import ExactUtilities, exact_utilities

__all__ = ["CompiledIssue", "CompiledSpace", "ForbiddenCombination", "NegotiatorRationals"]

NegotiatorRationals = tuple[tuple[tuple[Fraction, ...], ...], Fraction]
"""One negotiator's exact contributions (per issue, per option) and its exact reservation."""


@dataclass(frozen=True)
class CompiledIssue:
    """One issue: its id, the label of each option, and numeric values for range issues."""

    id: str
    name: str
    labels: tuple[str, ...]
    numeric: tuple[float, ...] | None = None
    unit: str | None = None

    @property
    def size(self) -> int:
        return len(self.labels)

    def value_of(self, index: int) -> str | float:
        """The option as a scenario file writes it: its id, or its number."""
        if self.numeric is not None:
            x = self.numeric[index]
            return int(x) if float(x).is_integer() else x
        return self.labels[index]


@dataclass(frozen=True)
class ForbiddenCombination:
    """Packages whose option on every named issue lies in the named set cannot occur.

    ``options`` maps an issue index to the sorted option indices that, taken
    together with the other named issues, are forbidden.
    """

    options: tuple[tuple[int, tuple[int, ...]], ...]
    reason: str = ""

    def issues(self) -> tuple[int, ...]:
        return tuple(i for i, _ in self.options)

    def violated_by(self, packages: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Which rows of an (m, n_issues) array of option indices break this rule."""
        packages = np.atleast_2d(packages)
        hit = np.ones(packages.shape[0], dtype=bool)
        for issue, forbidden in self.options:
            hit &= np.isin(packages[:, issue], np.asarray(forbidden, dtype=np.intp))
        return hit


@dataclass(frozen=True)
class CompiledSpace:
    """Issues, per-issue utility contributions, reservations, constraints and proposals.

    Attributes:
        negotiators: party ids of the negotiators, in column order.
        issues: the issues, in the order of ``contributions``.
        contributions: one float64 array per issue, shape (options, negotiators).
        reservation: float64 array (negotiators,), each in [0, 1].
        forbidden: combinations that cannot occur.
        proposals: (proposal id, option index per issue) in scenario order.
        rationals: per negotiator, the exact rationals the floats of
            ``contributions`` and ``reservation`` approximate (None for a
            negotiator whose numbers are not known exactly); when the whole field
            is None, each float is read as :func:`accord.space.exact.rational`
            says.  Decisions use :attr:`units`, built from these.
    """

    negotiators: tuple[str, ...]
    issues: tuple[CompiledIssue, ...]
    contributions: tuple[NDArray[np.float64], ...]
    reservation: NDArray[np.float64]
    forbidden: tuple[ForbiddenCombination, ...] = ()
    proposals: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())
    rationals: tuple[NegotiatorRationals | None, ...] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        n = len(self.negotiators)
        if len(self.issues) != len(self.contributions):
            raise ValueError("one contribution table per issue is required")
        for issue, table in zip(self.issues, self.contributions, strict=True):
            if table.shape != (issue.size, n):
                raise ValueError(
                    f"issue {issue.id!r}: contribution table has shape {table.shape}, "
                    f"expected {(issue.size, n)}"
                )
        if self.reservation.shape != (n,):
            raise ValueError(f"reservation has shape {self.reservation.shape}, expected {(n,)}")
        if self.rationals is not None:
            self._check_rationals(self.rationals)

    def _check_rationals(self, rationals: tuple[NegotiatorRationals | None, ...]) -> None:
        """The exact numbers must be the ones the floats approximate (never stale copies).

        The floats may carry the rounding of their own computation (a range's steps
        summed in floating point), hence the tolerance: far below any real change.
        """
        if len(rationals) != self.n_negotiators:
            raise ValueError("one entry of rationals per negotiator is required")
        for j, given in enumerate(rationals):
            if given is None:
                continue
            tables, reservation = given
            floats = [float(reservation)] + [float(c) for t in tables for c in t]
            stored = [float(self.reservation[j])]
            stored += [float(x) for t in self.contributions for x in t[:, j]]
            if len(floats) != len(stored) or not np.allclose(floats, stored, rtol=1e-9, atol=1e-12):
                raise ValueError(
                    f"negotiator {self.negotiators[j]!r}: the exact rationals do not match "
                    "the float contributions and reservation"
                )

    @cached_property
    def units(self) -> ExactUtilities:
        """Each negotiator's utilities as exact integers (see :mod:`accord.space.exact`)."""
        return exact_utilities(
            self.negotiators, self.contributions, self.reservation, self.rationals
        )

    @property
    def n_negotiators(self) -> int:
        return len(self.negotiators)

    @property
    def shape(self) -> tuple[int, ...]:
        """Options per issue."""
        return tuple(issue.size for issue in self.issues)

    @property
    def n_packages_unconstrained(self) -> int:
        """The size of the full product of options (Python int: may exceed 2**63)."""
        total = 1
        for size in self.shape:
            total *= size
        return total

    def utility(self, packages: NDArray[np.intp]) -> NDArray[np.float64]:
        """Utilities (m, negotiators) of an (m, n_issues) array of option indices."""
        packages = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        out = np.zeros((packages.shape[0], self.n_negotiators))
        for i, table in enumerate(self.contributions):
            out += table[packages[:, i]]
        return out

    def is_feasible(self, packages: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Which rows of an (m, n_issues) array of option indices break no constraint."""
        packages = np.atleast_2d(np.asarray(packages, dtype=np.intp))
        ok = np.ones(packages.shape[0], dtype=bool)
        for rule in self.forbidden:
            ok &= ~rule.violated_by(packages)
        return ok

    def package_dict(self, package: tuple[int, ...] | NDArray[np.intp]) -> dict[str, str | float]:
        """A package as the scenario file writes it: issue id -> option id or number."""
        return {
            issue.id: issue.value_of(int(k)) for issue, k in zip(self.issues, package, strict=True)
        }

    def max_utility_each(self) -> NDArray[np.float64]:
        """Each negotiator's best utility ignoring constraints (an upper bound)."""
        best: NDArray[np.float64] = np.sum([t.max(axis=0) for t in self.contributions], axis=0)
        return best
