"""Phased plans side by side: margins per stage per negotiator, total time, value to each side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.phased.evaluate import PlanAssessment, evaluate_plan
from accord.phased.exchange import Exchange, StagedPlan

__all__ = ["PlanComparison", "compare_plans"]


@dataclass(frozen=True, eq=False)
class PlanComparison:
    """Several plans assessed under the same valuations.

    ``stage_margin[k]`` is plan ``k``'s smallest margin in each stage
    (negotiators x stages; a stage's points include the deliveries inside it);
    ``value[k, j]`` the plan's value to negotiator ``j`` at day 0,
    ``worst[k, j]`` its smallest margin, ``days[k]`` its length.
    """

    plans: tuple[str, ...]
    negotiators: tuple[str, ...]
    assessments: tuple[PlanAssessment, ...]
    stage_margin: tuple[NDArray[np.float64], ...]
    value: NDArray[np.float64]
    worst: NDArray[np.float64]
    days: NDArray[np.float64]
    self_enforcing: tuple[bool, ...]


def compare_plans(
    exchange: Exchange, plans: Sequence[StagedPlan], *, tol: float = 1e-9
) -> PlanComparison:
    """Evaluate every plan (:func:`~accord.phased.evaluate.evaluate_plan`) and line them up."""
    assessments = tuple(evaluate_plan(exchange, p, tol=tol) for p in plans)
    stage_margin = []
    for plan, a in zip(plans, assessments, strict=True):
        stage_of = np.array([pt.stage_index for pt in a.points], dtype=np.intp)
        per_stage = np.full((len(exchange.negotiators), plan.n_stages), np.inf)
        np.minimum.at(per_stage.T, stage_of, a.margin.T)
        stage_margin.append(per_stage)
    return PlanComparison(
        plans=tuple(p.id for p in plans),
        negotiators=exchange.negotiators,
        assessments=assessments,
        stage_margin=tuple(stage_margin),
        value=np.array([a.value for a in assessments]).reshape(len(plans), -1),
        worst=np.array([a.margin.min(axis=1) for a in assessments]).reshape(len(plans), -1),
        days=np.array([a.total_days for a in assessments]),
        self_enforcing=tuple(a.self_enforcing for a in assessments),
    )
