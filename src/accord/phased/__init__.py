"""Phased deals: is every stage of an exchange self-enforcing, and how should it be scheduled?

The commitment problem (Fearon 1995), gradualism without commitment (Admati
and Perry 1991; Compte and Jehiel 2004) and third-party guarantees (Walter
2002), applied to a scenario's ``plans``.  See ``docs/explanation/phased-deals.md``.
"""

from accord.phased.compare import PlanComparison, compare_plans
from accord.phased.design import (
    FORMULATIONS,
    OBJECTIVES,
    DesignItem,
    Formulation,
    Infeasibility,
    Objective,
    ScheduleDesign,
    ScheduleSpec,
    design_schedule,
    objective_value,
    schedule_plan,
    spec_from_plan,
)
from accord.phased.evaluate import (
    DecisionPoint,
    Driver,
    PlanAssessment,
    WeakestPoint,
    evaluate_plan,
    stage_starts,
)
from accord.phased.exchange import (
    Exchange,
    StagedPlan,
    exchange_from_scenario,
    plan_from_scenario,
)
from accord.phased.guarantee import Guarantees, PlanNotEnforceable, minimal_guarantees

__all__ = [
    "FORMULATIONS",
    "OBJECTIVES",
    "DecisionPoint",
    "DesignItem",
    "Driver",
    "Exchange",
    "Formulation",
    "Guarantees",
    "Infeasibility",
    "Objective",
    "PlanAssessment",
    "PlanComparison",
    "PlanNotEnforceable",
    "ScheduleDesign",
    "ScheduleSpec",
    "StagedPlan",
    "WeakestPoint",
    "compare_plans",
    "design_schedule",
    "evaluate_plan",
    "exchange_from_scenario",
    "minimal_guarantees",
    "objective_value",
    "plan_from_scenario",
    "schedule_plan",
    "spec_from_plan",
    "stage_starts",
]
