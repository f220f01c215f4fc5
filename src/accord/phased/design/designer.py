""":func:`design_schedule`: the best self-enforcing schedule for an objective, or why none is."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from accord.phased.design.build import build_programme
from accord.phased.design.explain import explain_infeasibility
from accord.phased.design.programme import MilpStatus, Model, solve
from accord.phased.design.result import ScheduleDesign
from accord.phased.design.schedule import (
    objective_value,
    read_schedule,
    schedule_plan,
    value_scale,
)
from accord.phased.design.spec import Formulation, Objective, ScheduleSpec, check_spec
from accord.phased.evaluate import evaluate_plan
from accord.phased.exchange import Exchange

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult

__all__ = ["design_schedule"]


def _fewest_days(
    exchange: Exchange,
    spec: ScheduleSpec,
    objective: Objective,
    best: float,
    time_limit: float,
    gap: float,
    formulation: Formulation,
) -> tuple[Model, OptimizeResult] | None:
    """Among schedules whose objective is within the gap of ``best``, one with the fewest
    days: the model and its solution, or None when that second solve finds nothing."""
    tied, _ = build_programme(exchange, spec, objective, formulation=formulation)
    slack = max(abs(best) * gap, 1e-9) + 1e-9
    cols = np.flatnonzero(tied.objective)
    tied.b.row({int(c): float(tied.objective[c]) for c in cols}, -np.inf, best + slack)
    days_only = np.zeros(tied.b.n)
    for col, v in tied.clock.start(spec.stages)[0].items():
        days_only[col] = v
    again = solve(replace(tied, objective=days_only), time_limit, gap)
    if again.status == MilpStatus.OPTIMAL and again.x is not None:
        return tied, again
    return None


def design_schedule(
    exchange: Exchange,
    spec: ScheduleSpec,
    objective: Objective = "front-load",
    *,
    time_limit: float = 60.0,
    gap: float = 1e-4,
    tol: float = 1e-9,
    formulation: Formulation = "auto",
) -> ScheduleDesign:
    """The best self-enforcing schedule for ``objective`` (:mod:`accord.phased.design`), or
    why none is.

    Solved exactly (up to the relative MIP gap ``gap``) as a mixed-integer linear programme
    with HiGHS (scipy.optimize.milp); a second solve then picks, among schedules whose
    objective is within the gap of the optimum, one with the fewest days.  ``formulation``
    chooses how stage timing is encoded (all exact): one binary per possible day of each
    boundary (``"time-indexed"``), the bits of each boundary's day (``"binary"``), one binary
    per possible length of each stage with margins built along the continuation values
    (``"recursive"``), or ``"auto"`` (the recursive one, the fastest on every grid measured).
    A schedule found is re-checked with the independent evaluator
    (:func:`~accord.phased.evaluate.evaluate_plan`) at tolerance ``tol`` plus the solver's
    feasibility tolerance on the scale of the valuations.  Raises
    :class:`~accord.errors.UserInputError` for a spec it cannot use.
    Sources: Admati and Perry (1991); Compte and Jehiel (2004); Fearon (1995).
    """
    check_spec(exchange, spec, objective)
    model, _ = build_programme(exchange, spec, objective, formulation=formulation)
    res = solve(model, time_limit, gap)
    check_tol = max(tol, 1e-6 * value_scale(exchange, spec))
    if objective != "shortest" and res.status == MilpStatus.OPTIMAL and res.x is not None:
        tied = _fewest_days(exchange, spec, objective, float(res.fun), time_limit, gap, formulation)
        if tied is not None:
            model, res = tied
    if res.x is not None and res.status in (MilpStatus.OPTIMAL, MilpStatus.LIMIT_REACHED):
        days, amounts = read_schedule(model, res.x, spec, exchange)
        plan = schedule_plan(exchange, spec, days, amounts)
        return ScheduleDesign.found(
            objective,
            objective_value(spec, objective, days, amounts, exchange),
            spec.items,
            days,
            amounts,
            plan,
            evaluate_plan(exchange, plan, tol=check_tol),
            optimal=res.status == MilpStatus.OPTIMAL,
            time_limit=time_limit,
        )
    if res.status == MilpStatus.LIMIT_REACHED:
        return ScheduleDesign.out_of_time(objective, spec.items, time_limit)
    if res.status != MilpStatus.INFEASIBLE:
        raise RuntimeError(f"the schedule programme failed: {res.message}")
    why = explain_infeasibility(exchange, spec, time_limit, gap, check_tol, formulation)
    return ScheduleDesign.proven_infeasible(objective, spec.items, why)
