"""Designing a staged exchange: how much of each item in each stage, and how long each stage lasts.

Given the totals to exchange (for example 101 living hostages, 29 bodies and
1,500 prisoners), a number of stages ``K`` and bounds on each stage's length,
:func:`design_schedule` chooses the amount of every item delivered in every
stage and every stage's length so that the plan is self-enforcing for every
negotiator at every decision point (the timing model of
:mod:`accord.phased.evaluate`), and, among such schedules, the best for one
objective:

``front-load``
    the largest share of the focus items delivered in the first stage
    (sum over focus items of first-stage amount / total);
``shortest``
    the fewest days from the first delivery to the end of the last stage;
``even``
    the most even split of risk: minimise the largest share of its total
    delivery value that any delivering party hands over in a single stage
    (value of a unit = the giver's own cost of giving it, ``|give|``; when a
    giver puts no value on an item, its amount share).  With ``K`` stages the
    ideal is ``1/K``.

Why staging can make an exchange self-enforcing at all is the gradualism
result of Admati and Perry (1991, "Joint projects without commitment",
Review of Economic Studies 58(2)) and Compte and Jehiel (2004, "Gradualism in
bargaining and contribution games", Review of Economic Studies 71(4)): small
alternating contributions keep each side's stake in continuing above its gain
from stopping, which a single simultaneous exchange cannot do when the sides
cannot commit (Fearon 1995, International Organization 49(3)).

The design is a mixed-integer linear programme solved by HiGHS through
scipy.optimize.milp, in one of three exact formulations of the stage timing, one module each:

* :mod:`~accord.phased.design.recursive` (the default): one binary per stage and possible
  length, margins built along each negotiator's continuation value;
* :mod:`~accord.phased.design.time_indexed`: one binary per possible day of each boundary;
* :mod:`~accord.phased.design.binary`: the bits of each boundary's day.

The modules around them: :mod:`~accord.phased.design.spec` (what is asked, checked before
anything is built), :mod:`~accord.phased.design.terms` (each negotiator's values),
:mod:`~accord.phased.design.absolute` (the present-value margins the time-indexed and binary
formulations share), :mod:`~accord.phased.design.build` (the programme in a formulation),
:mod:`~accord.phased.design.programme` (sparse rows and the solve, with the solver's statuses
named), :mod:`~accord.phased.design.schedule` (a solution read back as a plan, and its
objective), :mod:`~accord.phased.design.explain` (why none is self-enforcing) and
:mod:`~accord.phased.design.result` (the result and its named constructors).
"""

from accord.phased.design.build import build_programme, pick_formulation
from accord.phased.design.designer import design_schedule
from accord.phased.design.programme import MilpStatus, solve
from accord.phased.design.result import DesignStatus, Infeasibility, ScheduleDesign
from accord.phased.design.schedule import objective_value, schedule_plan
from accord.phased.design.spec import (
    FORMULATIONS,
    OBJECTIVES,
    DesignItem,
    Formulation,
    Objective,
    ScheduleSpec,
    spec_from_plan,
)

__all__ = [
    "FORMULATIONS",
    "OBJECTIVES",
    "DesignItem",
    "DesignStatus",
    "Formulation",
    "Infeasibility",
    "MilpStatus",
    "Objective",
    "ScheduleDesign",
    "ScheduleSpec",
    "build_programme",
    "design_schedule",
    "objective_value",
    "pick_formulation",
    "schedule_plan",
    "solve",
    "spec_from_plan",
]

# the names tests/phased/test_design*.py use to inspect the programme (its LP relaxation, a
# fixed schedule's slacks); kept so that those tests run unchanged
_build = build_programme
_solve = solve
