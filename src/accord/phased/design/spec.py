"""What a schedule design is asked for: the totals to deliver, the shape of the stages, the
objective and the formulation, and the checks made on them before any programme is built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import UserInputError
from accord.phased.exchange import Exchange, StagedPlan

__all__ = [
    "FORMULATIONS",
    "OBJECTIVES",
    "DesignItem",
    "Formulation",
    "Objective",
    "ScheduleSpec",
    "check_spec",
    "spec_from_plan",
]

Objective = Literal["front-load", "shortest", "even"]
OBJECTIVES: tuple[Objective, ...] = ("front-load", "shortest", "even")

Formulation = Literal["auto", "time-indexed", "binary", "recursive"]
FORMULATIONS: tuple[Formulation, ...] = ("auto", "time-indexed", "binary", "recursive")


@dataclass(frozen=True)
class DesignItem:
    """A total to deliver: ``total`` units of ``item`` from ``giver`` to ``receiver``."""

    item: str
    giver: str
    receiver: str
    total: float


@dataclass(frozen=True, eq=False)
class ScheduleSpec:
    """What a schedule must deliver and how its stages may be shaped.

    ``flow_rates[f]`` holds in every stage; ``final_rates`` after the end when
    ``final_perpetual`` (as in :class:`~accord.phased.exchange.StagedPlan`).
    ``order``: who delivers first inside every stage (None: simultaneous).
    ``focus``: the items ``front-load`` counts (None: all).
    """

    items: tuple[DesignItem, ...]
    stages: int
    min_days: int = 7
    max_days: int = 21
    day_step: int = 7
    flow_rates: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    final_rates: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    final_perpetual: bool = False
    order: tuple[str, ...] | None = None
    focus: tuple[str, ...] | None = None
    name: str = "designed schedule"


def spec_from_plan(
    exchange: Exchange,
    plan: StagedPlan,
    stages: int,
    *,
    min_days: int = 7,
    max_days: int = 21,
    day_step: int = 7,
    focus: Sequence[str] | None = None,
) -> ScheduleSpec:
    """Totals, flows (time-weighted average rate), final and order of an existing plan."""
    keys: dict[tuple[int, int, int], float] = {}
    for i, a, b, amt in zip(
        plan.transfer_item, plan.transfer_from, plan.transfer_to, plan.transfer_amount, strict=True
    ):
        keys[(int(i), int(a), int(b))] = keys.get((int(i), int(a), int(b)), 0.0) + float(amt)
    items = tuple(
        DesignItem(exchange.items[i], exchange.parties[a], exchange.parties[b], total)
        for (i, a, b), total in keys.items()
        if total > 0
    )
    days = plan.days
    rates = (
        (days[:, None] * plan.flow_rates).sum(0) / days.sum()
        if days.sum() > 0
        else plan.flow_rates.mean(0)
    )
    orders = {p for p in plan.slot_parties}
    order = next(iter(orders)) if len(orders) == 1 and next(iter(orders)) else None
    return ScheduleSpec(
        items=items,
        stages=stages,
        min_days=min_days,
        max_days=max_days,
        day_step=day_step,
        flow_rates=np.asarray(rates, dtype=np.float64),
        final_rates=plan.final_rates.copy(),
        final_perpetual=plan.final_perpetual,
        order=order,
        focus=tuple(focus) if focus is not None else None,
        name=f"{stages}-stage design from {plan.id}",
    )


def check_spec(exchange: Exchange, spec: ScheduleSpec, objective: str) -> None:
    """Raise :class:`~accord.errors.UserInputError` naming the first thing a design cannot use."""
    if objective not in OBJECTIVES:
        raise UserInputError(f"objective must be one of {', '.join(OBJECTIVES)}; got {objective!r}")
    if spec.stages < 1:
        raise UserInputError(f"a schedule needs at least one stage; got {spec.stages}")
    if not 0 <= spec.min_days <= spec.max_days:
        raise UserInputError(
            f"stage lengths need 0 <= min_days <= max_days; got {spec.min_days} and {spec.max_days}"
        )
    if spec.day_step < 1:
        raise UserInputError(f"day_step must be a whole number of days >= 1; got {spec.day_step}")
    for it in spec.items:
        if it.item not in exchange.items:
            raise UserInputError(
                f"unknown item {it.item!r}; the items are {', '.join(exchange.items)}"
            )
        for who in (it.giver, it.receiver):
            if who not in exchange.parties:
                raise UserInputError(f"unknown party {who!r}")
        if it.total <= 0:
            raise UserInputError(f"the total of {it.item!r} must be > 0; got {it.total:g}")
