"""The smallest guarantor penalties that make a phased plan self-enforcing.

A guarantor (Walter 2002, *Committing to Peace*, Princeton UP, ch. 1–2: third
parties make peace settlements credible by raising the cost of reneging)
imposes a penalty ``pi_j`` on negotiator ``j`` if it walks away.  In the
timing model of :mod:`accord.phased.evaluate` the penalty enters every margin
of ``j`` one for one, in value at the point: ``margin_j(p; pi) =
margin_j(p; 0) + pi_j``.  The smallest penalties are therefore the solution of
the linear programme

    minimise    sum_j pi_j
    subject to  pi_j >= -margin_j(p; 0)   for every decision point p,
                pi_j >= 0,

solved with HiGHS (scipy.optimize.linprog).  Because no constraint couples
two negotiators, the programme separates and its optimum is
``pi_j = max(0, -min_p margin_j(p; 0))``; the tests use that closed form as
an independent oracle, and every answer is re-checked with the evaluator.

HiGHS reads any number of 1e20 or more as infinite and loses precision well before;
margins beyond :data:`LARGEST_MARGIN` (holdings or valuations of absurd size) are
refused with a :class:`~accord.errors.UserInputError` before the programme is built.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.errors import UserInputError
from accord.phased.evaluate import PlanAssessment, evaluate_plan
from accord.phased.exchange import Exchange, StagedPlan

__all__ = ["Guarantees", "PlanNotEnforceable", "minimal_guarantees"]


class PlanNotEnforceable(RuntimeError):
    """The penalties found do not make the plan self-enforcing when re-checked (a bug)."""


@dataclass(frozen=True, eq=False)
class Guarantees:
    """Minimal guarantor penalties per negotiator and the re-checked plan.

    ``required[j]`` is the smallest penalty on negotiator ``j`` that keeps all
    its margins non-negative; ``current[j]`` what the valuations say the
    guarantor can impose now; ``extra[j] = max(0, required - current)``;
    ``binding[j]`` the decision point that sets ``required[j]`` (None when no
    penalty is needed).  ``recheck`` is the plan evaluated with ``required``.
    """

    plan: str
    negotiators: tuple[str, ...]
    required: NDArray[np.float64]
    current: NDArray[np.float64]
    extra: NDArray[np.float64]
    binding: tuple[str | None, ...]
    recheck: PlanAssessment


LARGEST_MARGIN = 1e15
"""The largest margin, in value units, the penalty programme is solved for."""


def minimal_guarantees(exchange: Exchange, plan: StagedPlan, *, tol: float = 1e-9) -> Guarantees:
    """Smallest penalty per negotiator that makes ``plan`` self-enforcing (Walter 2002).

    Solves the linear programme of the module docstring with HiGHS and
    re-checks the answer with :func:`~accord.phased.evaluate.evaluate_plan`;
    raises :class:`PlanNotEnforceable` if the re-check fails (beyond ``tol``).
    """
    n = len(exchange.negotiators)
    bare = evaluate_plan(exchange.with_penalty(np.zeros(n)), plan, tol=tol)
    margin = bare.margin  # (J, P)
    n_points = margin.shape[1]
    largest = float(np.abs(margin).max(initial=0.0))
    if not largest <= LARGEST_MARGIN:  # also NaN and infinity
        raise UserInputError(
            f"plan {plan.id!r}: the values at stake reach {largest:.3g} value units, beyond the "
            f"{LARGEST_MARGIN:.0e} for which the penalty programme is solved; express the "
            "holdings and valuations in larger units"
        )
    from scipy.optimize import linprog

    # -pi_j <= margin_j(p)   for every (j, p)
    rows = np.zeros((n * n_points, n))
    rows[np.arange(n * n_points), np.repeat(np.arange(n), n_points)] = -1.0
    result = linprog(
        c=np.ones(n),
        A_ub=rows,
        b_ub=margin.ravel(),
        bounds=[(0.0, None)] * n,
        method="highs",
    )
    if result.status != 0:  # pragma: no cover - the programme is always feasible and bounded
        raise PlanNotEnforceable(f"the penalty programme failed: {result.message}")
    required = np.maximum(np.asarray(result.x, dtype=np.float64), 0.0)
    # HiGHS meets constraints to about 1e-7 relative; judge the re-check on that scale
    check_tol = max(tol, 1e-7 * (1.0 + float(np.abs(margin).max(initial=0.0))))
    recheck = evaluate_plan(exchange.with_penalty(required), plan, tol=check_tol)
    if not recheck.self_enforcing:
        raise PlanNotEnforceable(
            f"penalties {required.tolist()} leave margin {recheck.weakest.margin:g} at "
            f"{recheck.weakest.point.label} for {recheck.weakest.negotiator}"
        )
    binding = tuple(
        bare.points[int(np.argmin(margin[j]))].label if required[j] > tol else None
        for j in range(n)
    )
    return Guarantees(
        plan=plan.id,
        negotiators=exchange.negotiators,
        required=required,
        current=exchange.penalty.copy(),
        extra=np.maximum(required - exchange.penalty, 0.0),
        binding=binding,
        recheck=recheck,
    )
