"""Building the design programme in a chosen formulation: the amounts, every negotiator's
incentive constraints, and the objective (or, for an explanation, the slack to minimise)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.errors import UserInputError
from accord.phased.design.absolute import day_margins
from accord.phased.design.binary import BinaryClock
from accord.phased.design.programme import Model, Programme, add_term
from accord.phased.design.recursive import LengthClock, recursive_margins
from accord.phased.design.schedule import even_weights
from accord.phased.design.spec import (
    FORMULATIONS,
    OBJECTIVES,
    Formulation,
    Objective,
    ScheduleSpec,
)
from accord.phased.design.terms import ItemLayout, negotiator_terms
from accord.phased.design.time_indexed import TimeIndexedClock
from accord.phased.exchange import Exchange

__all__ = ["build_programme", "pick_formulation"]


def pick_formulation(formulation: Formulation) -> Formulation:
    """``auto``: the recursive formulation, on every grid.

    From benchmarks/phases.py: its LP relaxation is the tightest of the three (daily grid,
    6 stages, front-load: 96.9 hostages in stage one against 98.2 time-indexed and 99.5
    binary, optimum 96) with the fewest binaries (one per stage and length), and it solved
    every row of the table as fast as the best other formulation or faster.
    """
    if formulation not in FORMULATIONS:
        raise UserInputError(
            f"formulation must be one of {', '.join(FORMULATIONS)}; got {formulation!r}"
        )
    return "recursive" if formulation == "auto" else formulation


def _amounts(
    b: Programme, layout: ItemLayout, stages: int
) -> tuple[list[list[int]], list[list[int]]]:
    """Amounts ``x[s][d]`` summing to each total, and what remains from stage ``s`` on."""
    m = len(layout.totals)
    totals = layout.totals
    x = [
        [b.var(0.0, float(totals[d]), integer=layout.integer[d]) for d in range(m)]
        for _ in range(stages)
    ]
    for d in range(m):
        b.row({x[s][d]: 1.0 for s in range(stages)}, float(totals[d]), float(totals[d]))
    remaining = [[b.var(0.0, float(totals[d])) for d in range(m)] for _ in range(stages)]
    for s in range(stages):
        for d in range(m):
            terms: dict[int, float] = {remaining[s][d]: 1.0}
            for s2 in range(s, stages):
                add_term(terms, x[s2][d], -1.0)
            b.row(terms, 0.0, 0.0)
    return x, remaining


def _objective(
    b: Programme,
    exchange: Exchange,
    spec: ScheduleSpec,
    layout: ItemLayout,
    objective: Objective,
    x: list[list[int]],
    clock: TimeIndexedClock | BinaryClock | LengthClock,
    slack_cols: list[int] | None,
) -> NDArray[np.float64]:
    """The cost vector: the slack's sum when relaxed, else the objective (minimised; so
    ``front-load`` is negated).  ``even`` adds its column and rows first."""
    m, K = len(spec.items), spec.stages
    totals = layout.totals
    e_col = -1
    if objective == "even":
        e_col = b.var(0.0, 1.0)
        for a in sorted(set(layout.giver)):
            mine = [d for d in range(m) if layout.giver[d] == a]
            weight = even_weights(exchange, spec, mine, a, layout.item)
            total_value = float(sum(weight[d] * totals[d] for d in mine))
            for s in range(K):
                terms = {x[s][d]: weight[d] / total_value for d in mine}
                terms[e_col] = -1.0
                b.row(terms, -np.inf, 0.0)
    cost = np.zeros(b.n)
    if slack_cols is not None:
        cost[slack_cols] = 1.0
    elif objective == "front-load":
        focus = set(spec.focus) if spec.focus else {d.item for d in spec.items}
        for d in range(m):
            if spec.items[d].item in focus:
                cost[x[0][d]] = -1.0 / totals[d]
    elif objective == "shortest":
        for col, v in clock.start(K)[0].items():
            cost[col] = v
    elif objective == "even":
        cost[e_col] = 1.0
    else:
        raise UserInputError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    return cost


def build_programme(
    exchange: Exchange,
    spec: ScheduleSpec,
    objective: Objective,
    slack: Sequence[bool] | None = None,
    formulation: Formulation = "auto",
) -> tuple[Model, list[int]]:
    """The design programme of ``spec`` in ``formulation``, and the slack columns.

    With ``slack``, negotiator ``j`` with ``slack[j]`` gets an extra guarantor penalty
    ``sigma_j >= 0`` on all its incentive constraints, and the cost is the sum of the
    ``sigma_j`` (the relaxation that explains an infeasible design).
    """
    b = Programme()
    layout = ItemLayout.of(exchange, spec)
    clock: TimeIndexedClock | BinaryClock | LengthClock
    formulation = pick_formulation(formulation)
    if formulation == "time-indexed":
        clock = TimeIndexedClock(b, spec)
    elif formulation == "binary":
        clock = BinaryClock(b, spec)
    else:
        clock = LengthClock(b, spec)
    x, remaining = _amounts(b, layout, spec.stages)
    slack_cols: list[int] = []
    for j in range(len(exchange.negotiators)):
        terms = negotiator_terms(exchange, spec, layout, j)
        sj = b.var(0.0, np.inf) if slack is not None and slack[j] else None
        if sj is not None:
            slack_cols.append(sj)
        if isinstance(clock, LengthClock):
            # the recursive form adds sigma_j as it is, so it needs no bound
            recursive_margins(b, clock, layout, terms, x, remaining, sj)
            continue
        big = terms.slack_bound(layout.totals, spec.stages, spec.max_days)
        if sj is not None:
            b.ub[sj] = big
        day_margins(b, clock, layout, terms, x, remaining, None if sj is None else (sj, big))
    cost = _objective(
        b,
        exchange,
        spec,
        layout,
        objective,
        x,
        clock,
        slack_cols if slack is not None else None,
    )
    return Model(b, clock, x, cost), slack_cols
