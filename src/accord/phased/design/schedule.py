"""A schedule (days per stage, amount of each design item per stage) as a plan, its objective
value, and how it is read back from a solved programme."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from accord.phased.design.programme import Model
from accord.phased.design.spec import Objective, ScheduleSpec
from accord.phased.exchange import Exchange, StagedPlan

__all__ = ["even_weights", "objective_value", "read_schedule", "schedule_plan", "value_scale"]


def schedule_plan(
    exchange: Exchange,
    spec: ScheduleSpec,
    days: Sequence[int] | NDArray[np.int64],
    amounts: NDArray[np.float64],
) -> StagedPlan:
    """A :class:`StagedPlan` delivering ``amounts[s, d]`` of design item ``d`` in stage ``s``."""
    order = tuple(dict.fromkeys(spec.order)) if spec.order else ()
    stage_, slot_, from_, to_, item_, amt_ = [], [], [], [], [], []
    for s in range(spec.stages):
        for d, it in enumerate(spec.items):
            if amounts[s, d] > 0:
                stage_.append(s)
                slot_.append(order.index(it.giver) if order else 0)
                from_.append(exchange.parties.index(it.giver))
                to_.append(exchange.parties.index(it.receiver))
                item_.append(exchange.items.index(it.item))
                amt_.append(float(amounts[s, d]))
    n_f = len(exchange.flows)
    rates = spec.flow_rates if spec.flow_rates.size else np.zeros(n_f)
    return StagedPlan(
        id="designed",
        name=spec.name,
        stage_ids=tuple(f"stage-{s + 1}" for s in range(spec.stages)),
        days=np.asarray(days, dtype=np.float64),
        transfer_stage=np.array(stage_, dtype=np.intp),
        transfer_slot=np.array(slot_, dtype=np.intp),
        transfer_from=np.array(from_, dtype=np.intp),
        transfer_to=np.array(to_, dtype=np.intp),
        transfer_item=np.array(item_, dtype=np.intp),
        transfer_amount=np.array(amt_, dtype=np.float64),
        slot_parties=tuple(order for _ in range(spec.stages)),
        flow_rates=np.tile(rates, (spec.stages, 1)),
        final_rates=spec.final_rates if spec.final_rates.size else np.zeros(n_f),
        final_perpetual=spec.final_perpetual,
    )


def even_weights(
    exchange: Exchange, spec: ScheduleSpec, mine: list[int], giver: int, item_idx: list[int]
) -> dict[int, float]:
    """The value ``even`` gives a unit of each design item in ``mine`` (all handed over by
    party ``giver``): the giver's own cost of giving it, ``|give|``, or, when it puts no value
    on the item, ``1 / total`` (its amount share)."""
    party = exchange.parties[giver]
    weight: dict[int, float] = {}
    for d in mine:
        v = 0.0
        if party in exchange.negotiators:
            v = abs(float(exchange.give[exchange.negotiators.index(party), item_idx[d]]))
        weight[d] = v if v > 0 else 1.0 / spec.items[d].total
    return weight


def objective_value(
    spec: ScheduleSpec,
    objective: Objective,
    days: Sequence[int] | NDArray[np.int64],
    amounts: NDArray[np.float64],
    exchange: Exchange,
) -> float:
    """The objective of a schedule, as :func:`~accord.phased.design.design_schedule` defines it
    (larger is better for ``front-load``; smaller is better for ``shortest`` and ``even``)."""
    totals = np.array([d.total for d in spec.items])
    if objective == "front-load":
        focus = set(spec.focus) if spec.focus else {d.item for d in spec.items}
        mask = np.array([d.item in focus for d in spec.items])
        return float((amounts[0, mask] / totals[mask]).sum())
    if objective == "shortest":
        return float(np.sum(days))
    item_idx = [exchange.items.index(d.item) for d in spec.items]
    worst = 0.0
    for a in sorted({d.giver for d in spec.items}):
        mine = [d for d, it in enumerate(spec.items) if it.giver == a]
        weight = even_weights(exchange, spec, mine, exchange.parties.index(a), item_idx)
        total_value = sum(weight[d] * totals[d] for d in mine)
        shares = sum(weight[d] * amounts[:, d] for d in mine) / total_value
        worst = max(worst, float(np.max(shares)))
    return worst


def read_schedule(
    model: Model, sol: NDArray[np.float64], spec: ScheduleSpec, exchange: Exchange
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The days of each stage and the amounts of a solution (whole-unit items rounded)."""
    bounds = model.clock.days(sol)
    days = np.array([b - a for a, b in pairwise(bounds)], dtype=np.int64)
    amounts = np.array([[sol[c] for c in row] for row in model.x], dtype=np.float64)
    for d, item in enumerate(spec.items):
        if exchange.integer[exchange.items.index(item.item)]:
            amounts[:, d] = np.round(amounts[:, d])
    amounts = np.where(np.abs(amounts) < 1e-9, 0.0, amounts)
    return days, amounts


def value_scale(exchange: Exchange, spec: ScheduleSpec) -> float:
    """The size of the valuations at stake, to put the solver's feasibility tolerance on."""
    totals = np.array([d.total for d in spec.items])
    idx = [exchange.items.index(d.item) for d in spec.items]
    size = np.abs(exchange.receive[:, idx]) + np.abs(exchange.give[:, idx])
    size = size + np.abs(exchange.outside_per_item[:, idx])
    return float(1.0 + (size @ totals).max() + np.abs(exchange.outside_base).max())
