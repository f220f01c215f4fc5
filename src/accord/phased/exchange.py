"""The array form of a phased exchange: who holds what, who values what, and the plan's stages.

:class:`Exchange` holds everything that does not depend on a plan (items,
initial holdings, each negotiator's valuations); :class:`StagedPlan` holds one
plan's stages as arrays.  Analyses in this package read only these two
objects; :func:`exchange_from_scenario` and :func:`plan_from_scenario` build
them from a validated scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Exchange",
    "StagedPlan",
    "exchange_from_scenario",
    "plan_from_scenario",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, eq=False)
class Exchange:
    """Items, holdings and valuations of a phased exchange.

    Attributes:
        parties: every party that can hold or deliver items (index space of holdings).
        negotiators: the parties whose incentives are checked, in row order of the valuations.
        items: stock item ids (index space of the item axes).
        flows: flow item ids.
        holdings: (parties, items) amounts held at the start.
        integer: (items,) whether an item moves in whole units.
        receive, give: (negotiators, items) value of one unit received / given (a cost is < 0).
        flow_value: (negotiators, flows) value of one unit of a flow for one day.
        outside_base: (negotiators,) value of walking away with nothing outstanding.
        outside_per_item: (negotiators, items) value per unit still undelivered when walking away.
        penalty: (negotiators,) guarantor penalty imposed on a negotiator who walks away.
        discount: (negotiators,) daily discount factor in (0, 1].
        item_names, item_units: for display.
    """

    parties: tuple[str, ...]
    negotiators: tuple[str, ...]
    items: tuple[str, ...]
    flows: tuple[str, ...]
    holdings: FloatArray
    integer: NDArray[np.bool_]
    receive: FloatArray
    give: FloatArray
    flow_value: FloatArray
    outside_base: FloatArray
    outside_per_item: FloatArray
    penalty: FloatArray
    discount: FloatArray
    item_names: tuple[str, ...] = ()
    item_units: tuple[str, ...] = ()

    @property
    def negotiator_index(self) -> IntArray:
        """Index in ``parties`` of each negotiator."""
        return np.array([self.parties.index(n) for n in self.negotiators], dtype=np.intp)

    def with_penalty(self, penalty: Sequence[float] | FloatArray) -> Exchange:
        """The same exchange with other guarantor penalties."""
        p = np.asarray(penalty, dtype=np.float64).reshape(len(self.negotiators))
        return replace(self, penalty=p)


@dataclass(frozen=True, eq=False)
class StagedPlan:
    """One plan's stages as arrays.

    Transfer ``e`` happens in stage ``transfer_stage[e]`` in delivery slot
    ``transfer_slot[e]`` (slot 0 first; all slots 0 when the stage is
    simultaneous).  ``slot_parties[s]`` names who delivers in each slot of stage
    ``s`` (empty when simultaneous).  ``flow_rates[s, f]`` is the rate of flow
    ``f`` per day during stage ``s``; ``final_rates[f]`` the rate that holds
    indefinitely after the last stage when ``final_perpetual``.
    """

    id: str
    name: str
    stage_ids: tuple[str, ...]
    days: FloatArray
    transfer_stage: IntArray
    transfer_slot: IntArray
    transfer_from: IntArray
    transfer_to: IntArray
    transfer_item: IntArray
    transfer_amount: FloatArray
    slot_parties: tuple[tuple[str, ...], ...]
    flow_rates: FloatArray
    final_rates: FloatArray
    final_perpetual: bool = False
    final_text: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def n_stages(self) -> int:
        return len(self.stage_ids)

    @property
    def n_slots(self) -> IntArray:
        """Decision points per stage: one per delivering party when ordered, else one."""
        return np.array([max(1, len(p)) for p in self.slot_parties], dtype=np.intp)

    @property
    def total_days(self) -> float:
        return float(self.days.sum())


def exchange_from_scenario(scenario: Any) -> Exchange:
    """Build the :class:`Exchange` of a validated scenario (``items`` and ``valuations``)."""
    items = [i for i in scenario.items if i.kind == "stock"]
    flows = [i for i in scenario.items if i.kind == "flow"]
    negotiators = [p.id for p in scenario.parties if p.id in scenario.valuations]
    parties = [p.id for p in scenario.parties]
    n, m, f = len(negotiators), len(items), len(flows)
    holdings = np.zeros((len(parties), m))
    for k, item in enumerate(items):
        for party, amount in item.holdings.items():
            holdings[parties.index(party), k] = amount
    receive, give = np.zeros((n, m)), np.zeros((n, m))
    flow_value, per_item = np.zeros((n, f)), np.zeros((n, m))
    base, penalty, discount = np.zeros(n), np.zeros(n), np.ones(n)
    item_ids = [i.id for i in items]
    flow_ids = [i.id for i in flows]
    for j, party in enumerate(negotiators):
        val = scenario.valuations[party]
        for item_id, v in val.items.items():
            receive[j, item_ids.index(item_id)] = v.receive.point
            give[j, item_ids.index(item_id)] = v.give.point
        for flow_id, v in val.flows.items():
            flow_value[j, flow_ids.index(flow_id)] = v.point
        for item_id, v in val.outside_option.per_item.items():
            per_item[j, item_ids.index(item_id)] = v.point
        base[j] = val.outside_option.base.point
        penalty[j] = val.guarantor_penalty.point
        discount[j] = val.discount_per_day.point
    return Exchange(
        parties=tuple(parties),
        negotiators=tuple(negotiators),
        items=tuple(item_ids),
        flows=tuple(flow_ids),
        holdings=holdings,
        integer=np.array([i.integer for i in items], dtype=bool),
        receive=receive,
        give=give,
        flow_value=flow_value,
        outside_base=base,
        outside_per_item=per_item,
        penalty=penalty,
        discount=discount,
        item_names=tuple(i.name for i in items),
        item_units=tuple(i.unit for i in items),
    )


def plan_from_scenario(scenario: Any, plan_id: str, exchange: Exchange | None = None) -> StagedPlan:
    """Build the :class:`StagedPlan` of plan ``plan_id`` of a validated scenario."""
    exchange = exchange or exchange_from_scenario(scenario)
    plan = next((p for p in scenario.plans if p.id == plan_id), None)
    if plan is None:
        known = ", ".join(p.id for p in scenario.plans) or "(none)"
        raise KeyError(f"no plan {plan_id!r}; the scenario's plans are: {known}")
    stage_, slot_, from_, to_, item_, amount_ = [], [], [], [], [], []
    slot_parties: list[tuple[str, ...]] = []
    rates = np.zeros((len(plan.stages), len(exchange.flows)))
    for s, stage in enumerate(plan.stages):
        order = tuple(dict.fromkeys(stage.order)) if stage.order else ()
        slot_parties.append(order)
        for tr in stage.transfers:
            stage_.append(s)
            slot_.append(order.index(tr.from_) if order else 0)
            from_.append(exchange.parties.index(tr.from_))
            to_.append(exchange.parties.index(tr.to))
            item_.append(exchange.items.index(tr.item))
            amount_.append(tr.amount)
        for fl in stage.flows:
            rates[s, exchange.flows.index(fl.item)] += fl.per_day
    final_rates = np.zeros(len(exchange.flows))
    final_text = ""
    if plan.final is not None:
        for fl in plan.final.flows:
            final_rates[exchange.flows.index(fl.item)] += fl.per_day
        final_text = plan.final.text or ""
    return StagedPlan(
        id=plan.id,
        name=plan.name,
        stage_ids=tuple(s.id for s in plan.stages),
        days=np.array([s.days for s in plan.stages], dtype=np.float64),
        transfer_stage=np.array(stage_, dtype=np.intp),
        transfer_slot=np.array(slot_, dtype=np.intp),
        transfer_from=np.array(from_, dtype=np.intp),
        transfer_to=np.array(to_, dtype=np.intp),
        transfer_item=np.array(item_, dtype=np.intp),
        transfer_amount=np.array(amount_, dtype=np.float64),
        slot_parties=tuple(slot_parties),
        flow_rates=rates,
        final_rates=final_rates,
        final_perpetual=bool(plan.final is not None and plan.final.flows),
        final_text=final_text,
        notes=tuple(plan.notes),
    )
