"""The mixed-integer linear programme of a schedule design, as sparse rows, and its solve.

Every formulation writes into one :class:`Programme` (columns with bounds and integrality,
rows ``row_lb <= sum coef * column <= row_ub``) through linear expressions (:data:`Expr`), and
the programme is solved with HiGHS through :func:`scipy.optimize.milp`, whose status codes are
named in :class:`MilpStatus`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult

__all__ = [
    "Clock",
    "Expr",
    "MilpStatus",
    "Model",
    "Programme",
    "accumulate",
    "add_term",
    "scaled",
    "solve",
]

Expr = tuple[dict[int, float], float]
"""A linear expression: (column -> coefficient, constant)."""


class MilpStatus(IntEnum):
    """The status codes of :func:`scipy.optimize.milp` (HiGHS)."""

    OPTIMAL = 0
    LIMIT_REACHED = 1
    """The time (or iteration) limit: the best schedule found so far, if any, is in ``x``."""
    INFEASIBLE = 2
    UNBOUNDED = 3
    SOLVER_FAILED = 4
    """"Other": HiGHS gave up (its presolve has, on these programmes); not a verdict."""


class Programme:
    """Sparse rows for :func:`scipy.optimize.milp`: columns are added one at a time and
    numbered in order; a row is a dict of column coefficients with its two bounds."""

    def __init__(self) -> None:
        self.n = 0
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integral: list[int] = []
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.vals: list[float] = []
        self.row_lb: list[float] = []
        self.row_ub: list[float] = []

    def var(self, lb: float, ub: float, integer: bool = False) -> int:
        """A new column with bounds ``lb <= x <= ub``; its index."""
        self.lb.append(lb)
        self.ub.append(ub)
        self.integral.append(1 if integer else 0)
        self.n += 1
        return self.n - 1

    def row(self, terms: dict[int, float], lb: float, ub: float) -> None:
        """The constraint ``lb <= sum(coef * column) <= ub`` (zero coefficients are dropped)."""
        r = len(self.row_lb)
        for col, val in terms.items():
            if val != 0.0:
                self.rows.append(r)
                self.cols.append(col)
                self.vals.append(val)
        self.row_lb.append(lb)
        self.row_ub.append(ub)


def add_term(terms: dict[int, float], col: int, val: float) -> None:
    """``terms[col] += val``."""
    terms[col] = terms.get(col, 0.0) + val


def scaled(e: Expr, k: float) -> Expr:
    """``k * e``."""
    return {c: k * v for c, v in e[0].items()}, k * e[1]


def accumulate(terms: dict[int, float], e: Expr, k: float) -> float:
    """Add ``k * e``'s columns to ``terms``; return its constant ``k * e[1]``."""
    for c, v in e[0].items():
        add_term(terms, c, k * v)
    return k * e[1]


class Clock(Protocol):
    """How a formulation encodes stage timing: the day each stage starts, read back."""

    def start(self, s: int) -> Expr:
        """The day stage ``s`` starts (``s == K``: the end), as a linear expression."""
        ...

    def days(self, sol: NDArray[np.float64]) -> list[int]:
        """The day of every boundary ``0..K`` in a solution."""
        ...


@dataclass(frozen=True)
class Model:
    """A built programme: its rows (``b``), its timing (``clock``), the amount columns
    ``x[s][d]`` of design item ``d`` in stage ``s``, and the objective's coefficients."""

    b: Programme
    clock: Clock
    x: list[list[int]]
    objective: NDArray[np.float64]


def solve(model: Model, time_limit: float, gap: float, *, presolve: bool = True) -> OptimizeResult:
    """Solve with HiGHS; ``presolve=False`` for the slack relaxations (see
    :func:`accord.phased.design.explain.explain_infeasibility`).

    A solver failure (:attr:`MilpStatus.SOLVER_FAILED`) is not a verdict on the schedule:
    HiGHS's presolve can break down on these programmes, so the same programme is then solved
    again without it.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    b = model.b
    a = coo_array((b.vals, (b.rows, b.cols)), shape=(len(b.row_lb), b.n)).tocsr()
    options: dict[str, Any] = {"time_limit": time_limit, "mip_rel_gap": gap, "disp": False}
    res = None
    for pre in (True, False) if presolve else (False,):
        res = milp(
            c=model.objective,
            integrality=np.array(b.integral),
            bounds=Bounds(np.array(b.lb), np.array(b.ub)),
            constraints=LinearConstraint(a, np.array(b.row_lb), np.array(b.row_ub)),
            options={**options, "presolve": pre},
        )
        if res.status != MilpStatus.SOLVER_FAILED:
            break
    assert res is not None
    return res
