"""The registry of bargaining solution concepts: one name, one label, one definition each.

Every view that names a fair solution reads it here: ``accord analyze`` and
``compare``/``improve`` (``nash``, ... as package names), the report's tables
and figures, and the robustness kernel (:mod:`accord.robust.kernel`), whose
per-sample winners follow the same definition, in the same order.

The definition shared by all of them: among the packages of the ZOPA, the
Pareto-optimal maximisers of the concept's criterion (:mod:`accord.analysis.bargaining`
states each criterion with its source); when several tie, the package with the
lexicographically smallest option indices (issues in scenario order, options in
the order each issue lists them).

``tests/analysis/test_solution_contract.py`` gives every concept registered here
its contract tests (Pareto optimality of the winners, invariance under
relabelling packages and negotiators, the invariance it claims, agreement with
an exact reference) without further code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.analysis.bargaining import (
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)

__all__ = [
    "SOLUTION_CONCEPTS",
    "SOLUTION_NAMES",
    "SolutionConcept",
    "Solver",
    "solution_concept",
]

Solver = Callable[..., NDArray[np.intp]]
"""``solve(utility, reservation, *, scale=None)``: indices of the Pareto-optimal maximisers."""

Invariance = Literal["positive affine", "translation"]


@dataclass(frozen=True)
class SolutionConcept:
    """One bargaining solution concept.

    Attributes:
        name: the key used everywhere (JSON keys, package names on the command
            line, the robustness kernel's columns).
        label: its name inside a sentence ("the egalitarian solution").
        rule: what it maximises, with its source, in one line.
        solve: the definition over candidate utility vectors (see :data:`Solver`).
        invariance: the transformations of one negotiator's utilities and
            reservation that never change the winners: "positive affine"
            (``u -> a u + b``, ``a > 0``, per negotiator) or "translation"
            (``u -> u + b`` per negotiator, and one positive factor for all).
    """

    name: str
    label: str
    rule: str
    solve: Solver
    invariance: Invariance

    @property
    def title(self) -> str:
        """The label at the start of a sentence or as a heading."""
        return self.label[:1].upper() + self.label[1:]

    def winners(
        self, utility: ArrayLike, reservation: ArrayLike, *, scale: Sequence[int] | None = None
    ) -> NDArray[np.intp]:
        """Indices of the Pareto-optimal maximisers (see :data:`Solver`)."""
        return self.solve(utility, reservation, scale=scale)


SOLUTION_CONCEPTS: tuple[SolutionConcept, ...] = (
    SolutionConcept(
        "nash",
        "Nash",
        "maximises the product of the gains over reservation (Nash 1950)",
        nash_bargaining,
        "positive affine",
    ),
    SolutionConcept(
        "kalai_smorodinsky",
        "Kalai–Smorodinsky",
        "equal shares of each side's best possible gain (Kalai & Smorodinsky 1975)",
        kalai_smorodinsky,
        "positive affine",
    ),
    SolutionConcept(
        "egalitarian",
        "egalitarian",
        "maximises the smallest gain (Kalai 1977)",
        egalitarian,
        "translation",
    ),
    SolutionConcept(
        "utilitarian",
        "utilitarian",
        "maximises the sum of utilities (Harsanyi 1955)",
        utilitarian,
        "translation",
    ),
)

SOLUTION_NAMES: tuple[str, ...] = tuple(c.name for c in SOLUTION_CONCEPTS)
"""The concepts' names, in the registry's order (the order of every view)."""

_BY_NAME = {c.name: c for c in SOLUTION_CONCEPTS}


def solution_concept(name: str) -> SolutionConcept:
    """The registered concept called ``name``.

    Raises KeyError naming the registered concepts when there is none.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(
            f"unknown solution concept {name!r}; expected one of: {', '.join(SOLUTION_NAMES)}"
        ) from None
