"""The result of a schedule design: a schedule found (optimal or the best in the time limit),
nothing found in the time limit, or a proof that none exists with what would relax it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.spec import DesignItem, Objective
from accord.phased.evaluate import PlanAssessment
from accord.phased.exchange import StagedPlan

__all__ = ["DesignStatus", "Infeasibility", "ScheduleDesign"]


class DesignStatus(StrEnum):
    """How a design ended (the ``status`` of ``accord phases --design --json``)."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    TIME_LIMIT = "time limit"


@dataclass(frozen=True)
class Infeasibility:
    """Why no schedule is self-enforcing, and what would relax it.

    The relaxation adds to every incentive constraint of negotiator ``j`` an
    extra guarantor penalty ``sigma_j`` (value at the point of walking away,
    on top of today's penalty).  ``shortfall[j]``: the extra penalties that
    minimise their sum; ``alone[j]``: the smallest extra penalty on ``j`` when
    no other negotiator is relaxed (None: relaxing ``j`` alone cannot help).
    ``penalties[j]``: the total penalties the guarantee programme finds for
    the jointly relaxed schedule (``relaxed_days``, ``relaxed_amounts``), a
    re-check of the relaxation.
    """

    explanation: str
    negotiators: tuple[str, ...]
    shortfall: tuple[float, ...]
    alone: tuple[float | None, ...]
    penalties: tuple[float, ...]
    relaxed_days: tuple[int, ...]
    relaxed_amounts: tuple[tuple[float, ...], ...]


@dataclass(frozen=True, eq=False)
class ScheduleDesign:
    """The result of :func:`~accord.phased.design.design_schedule`; build it with
    :meth:`found`, :meth:`out_of_time` or :meth:`proven_infeasible`.

    When a schedule was found: ``days[s]``, ``amounts[s, d]`` (per design item),
    ``plan`` (ready for the evaluator) and ``recheck`` (its independent
    evaluation, which must be self-enforcing).
    """

    status: DesignStatus
    objective: Objective
    objective_value: float | None
    items: tuple[DesignItem, ...]
    days: NDArray[np.int64] | None
    amounts: NDArray[np.float64] | None
    plan: StagedPlan | None
    recheck: PlanAssessment | None
    infeasibility: Infeasibility | None
    message: str

    @classmethod
    def found(
        cls,
        objective: Objective,
        value: float,
        items: tuple[DesignItem, ...],
        days: NDArray[np.int64],
        amounts: NDArray[np.float64],
        plan: StagedPlan,
        recheck: PlanAssessment,
        *,
        optimal: bool,
        time_limit: float,
    ) -> ScheduleDesign:
        """A schedule: proven optimal, or the best found when the time limit ran out."""
        return cls(
            status=DesignStatus.OPTIMAL if optimal else DesignStatus.TIME_LIMIT,
            objective=objective,
            objective_value=value,
            items=items,
            days=days,
            amounts=amounts,
            plan=plan,
            recheck=recheck,
            infeasibility=None,
            message=(
                "optimal schedule found"
                if optimal
                else f"time limit of {time_limit:g} s reached; best schedule found so far"
            ),
        )

    @classmethod
    def _without_schedule(
        cls,
        status: DesignStatus,
        objective: Objective,
        items: tuple[DesignItem, ...],
        message: str,
        why: Infeasibility | None = None,
    ) -> ScheduleDesign:
        return cls(
            status=status,
            objective=objective,
            objective_value=None,
            items=items,
            days=None,
            amounts=None,
            plan=None,
            recheck=None,
            infeasibility=why,
            message=message,
        )

    @classmethod
    def out_of_time(
        cls, objective: Objective, items: tuple[DesignItem, ...], time_limit: float
    ) -> ScheduleDesign:
        """No schedule found, and none proven impossible, within the time limit."""
        message = f"no schedule found within the time limit of {time_limit:g} s"
        return cls._without_schedule(DesignStatus.TIME_LIMIT, objective, items, message)

    @classmethod
    def proven_infeasible(
        cls, objective: Objective, items: tuple[DesignItem, ...], why: Infeasibility
    ) -> ScheduleDesign:
        """No schedule is self-enforcing; ``why`` says what would relax it."""
        return cls._without_schedule(
            DesignStatus.INFEASIBLE, objective, items, why.explanation, why
        )
