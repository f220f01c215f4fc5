"""Why no schedule is self-enforcing: the smallest extra guarantor penalties that would make
one so, jointly and for each negotiator alone.

Infeasibility is explained by re-solving with one slack per negotiator on its incentive
constraints: an extra guarantor penalty, in value at the moment of walking away (discounted
like the amounts), so the minimal slack is the smallest extra penalty that makes *some*
schedule self-enforcing; the relaxed schedule is re-priced with
:func:`accord.phased.guarantee.minimal_guarantees`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.build import build_programme, pick_formulation
from accord.phased.design.programme import MilpStatus, Model, solve
from accord.phased.design.result import Infeasibility
from accord.phased.design.schedule import read_schedule, schedule_plan
from accord.phased.design.spec import FORMULATIONS, Formulation, ScheduleSpec
from accord.phased.evaluate import evaluate_plan
from accord.phased.exchange import Exchange, StagedPlan
from accord.phased.guarantee import minimal_guarantees

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult

__all__ = ["explain_infeasibility"]


def _solve_relaxed(
    exchange: Exchange,
    spec: ScheduleSpec,
    slack: list[bool],
    time_limit: float,
    gap: float,
    formulation: Formulation,
) -> tuple[Model, OptimizeResult]:
    """The slack relaxation in ``formulation``, without presolve (see
    :func:`explain_infeasibility`).

    Without presolve HiGHS has also failed outright (:attr:`MilpStatus.SOLVER_FAILED`) on some
    relaxations, for example the binary formulation on a 2-stage case pinned in the tests.  A
    failure is not a verdict, and every formulation is exact, so the same relaxation is then
    solved in the other formulations in turn; the first answer (optimal, infeasible or time
    limit) is returned with the model it came from.
    """
    first = pick_formulation(formulation)
    for form in (first, *(f for f in FORMULATIONS[1:] if f != first)):
        model, _ = build_programme(exchange, spec, "shortest", slack=slack, formulation=form)
        res = solve(model, time_limit, gap, presolve=False)
        if res.status != MilpStatus.SOLVER_FAILED:
            break
    return model, res


def _exact_extra(
    exchange: Exchange,
    spec: ScheduleSpec,
    model: Model,
    sol: NDArray[np.float64],
    tol: float,
) -> tuple[NDArray[np.int64], NDArray[np.float64], StagedPlan, NDArray[np.float64]]:
    """The schedule a slack solve chose, and the exact extra penalty it needs per negotiator.

    The slack columns themselves are only as exact as HiGHS's feasibility tolerances (about 1e-6
    absolute, and presolve uses them): they can fall that far short of the penalty the schedule
    really needs, differently in the two formulations.  The schedule (whole days, rounded whole
    units) is exact, so the extra penalty is taken from its margins instead: the smallest
    ``sigma_j`` with ``margin_j(p) + sigma_j >= 0`` at every point is ``max(0, -min_p margin_j)``
    (the closed form of :mod:`accord.phased.guarantee`, on top of today's penalties).
    """
    days, amounts = read_schedule(model, sol, spec, exchange)
    plan = schedule_plan(exchange, spec, days, amounts)
    margin = evaluate_plan(exchange, plan, tol=tol).margin
    needed = np.maximum(0.0, -margin.min(axis=1, initial=np.inf)) + 0.0  # no -0.0
    return days, amounts, plan, needed


def _alone(
    exchange: Exchange,
    spec: ScheduleSpec,
    time_limit: float,
    gap: float,
    tol: float,
    formulation: Formulation,
) -> list[float | None]:
    """For each negotiator, the smallest extra penalty on it alone (None: none helps)."""
    J = len(exchange.negotiators)
    alone: list[float | None] = []
    for j in range(J):
        only_j = [k == j for k in range(J)]
        mj, rj = _solve_relaxed(exchange, spec, only_j, time_limit, gap, formulation)
        if rj.x is not None and rj.status in (MilpStatus.OPTIMAL, MilpStatus.LIMIT_REACHED):
            alone.append(float(_exact_extra(exchange, spec, mj, rj.x, tol)[3][j]))
        elif rj.status in (MilpStatus.LIMIT_REACHED, MilpStatus.INFEASIBLE):
            alone.append(None)  # proven infeasible, or nothing found in the time limit
        else:
            raise RuntimeError(f"the relaxed schedule programme failed: {rj.message}")
    return alone


def _sentences(
    exchange: Exchange,
    spec: ScheduleSpec,
    extra: tuple[float, ...],
    alone: list[float | None],
    tol: float,
) -> str:
    """The explanation a mediator reads (``extra[j] > tol`` counts as a shortfall)."""
    names = exchange.negotiators
    J = len(names)
    lengths = f"{spec.min_days} to {spec.max_days} days" + (
        f" in steps of {spec.day_step}" if spec.day_step > 1 else ""
    )
    lines = [
        f"No {spec.stages}-stage schedule with stages of {lengths} keeps every negotiator's "
        "margin of carrying on over walking away non-negative at every point."
    ]
    for j in range(J):
        if alone[j] is None:
            lines.append(
                f"No guarantor penalty on {names[j]} alone can fix it: the other side's "
                "constraints fail too."
            )
        else:
            lines.append(
                f"A guarantor penalty on {names[j]} alone of {alone[j]:.4g} more than today's "
                f"{exchange.penalty[j]:.4g} would make some schedule self-enforcing."
            )
    short = [j for j in range(J) if extra[j] > tol]
    if len(short) > 1 or all(a is None for a in alone):
        lines.append(
            "Together, the smallest extra penalties are "
            + ", ".join(f"{names[j]} {extra[j]:.4g}" for j in range(J))
            + "."
        )
    lines.append(
        "Other ways to relax it: more stages, other stage lengths, or terms that change what "
        "walking away is worth."
    )
    return " ".join(lines)


def explain_infeasibility(
    exchange: Exchange,
    spec: ScheduleSpec,
    time_limit: float,
    gap: float,
    tol: float,
    formulation: Formulation,
) -> Infeasibility:
    """Relax each negotiator's incentive constraints by an extra guarantor penalty, minimised.

    The relaxations are solved without HiGHS's presolve: on them it has returned a wrong
    optimum (an extra penalty of 6 where a schedule needing 5 exists, with the time-indexed
    formulation), failed outright (binary formulation), and stopped a feasibility tolerance
    (1e-6) short of the penalty really needed, so the two formulations disagreed.  The penalties
    reported are then re-derived exactly from the chosen schedule's margins
    (:func:`_exact_extra`).  ``alone[j]`` is None only when relaxing ``j`` alone is proven
    infeasible (or the time limit ran out with nothing found), never on a solver failure.
    """
    J = len(exchange.negotiators)
    model, res = _solve_relaxed(exchange, spec, [True] * J, time_limit, gap, formulation)
    if res.x is None:  # pragma: no cover - the relaxation is always feasible
        raise RuntimeError(f"the relaxed schedule programme failed: {res.message}")
    days, amounts, plan, needed = _exact_extra(exchange, spec, model, res.x, tol)
    extra = tuple(float(e) for e in needed)
    penalties = minimal_guarantees(exchange, plan, tol=tol).required
    alone = _alone(exchange, spec, time_limit, gap, tol, formulation)
    return Infeasibility(
        explanation=_sentences(exchange, spec, extra, alone, tol),
        negotiators=exchange.negotiators,
        shortfall=extra,
        alone=tuple(alone),
        penalties=tuple(float(p) for p in penalties),
        relaxed_days=tuple(int(d) for d in days),
        relaxed_amounts=tuple(tuple(float(a) for a in row) for row in amounts),
    )
