"""What every formulation needs from the exchange: the design items as indices, and each
negotiator's value of them, of the flows, of the end and of walking away."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.errors import UserInputError
from accord.phased.design.spec import ScheduleSpec
from accord.phased.exchange import Exchange

__all__ = ["ItemLayout", "NegotiatorTerms", "negotiator_terms"]


@dataclass(frozen=True)
class ItemLayout:
    """The design items of ``spec`` as indices into ``exchange``: item, giver and receiver
    of each, its total, whether it comes in whole units, and its slot in a stage (the position
    of its giver in ``spec.order``; 0 when deliveries are simultaneous)."""

    item: list[int]
    giver: list[int]
    receiver: list[int]
    totals: NDArray[np.float64]
    integer: list[bool]
    slot: list[int]
    n_slots: int

    @classmethod
    def of(cls, exchange: Exchange, spec: ScheduleSpec) -> ItemLayout:
        item = [exchange.items.index(d.item) for d in spec.items]
        order = tuple(dict.fromkeys(spec.order)) if spec.order else ()
        return cls(
            item=item,
            giver=[exchange.parties.index(d.giver) for d in spec.items],
            receiver=[exchange.parties.index(d.receiver) for d in spec.items],
            totals=np.array([d.total for d in spec.items], dtype=np.float64),
            integer=[bool(exchange.integer[i]) for i in item],
            slot=[order.index(d.giver) if order else 0 for d in spec.items],
            n_slots=max(1, len(order)),
        )


@dataclass(frozen=True)
class NegotiatorTerms:
    """One negotiator's terms: value per unit of each design item (``val``), per unit still
    outstanding on walking away (``beta``), per day of the flows (``rate``), its daily discount,
    the value of the end (``end_value``) and the constant part of walking away (``walk``)."""

    val: NDArray[np.float64]
    beta: NDArray[np.float64]
    rate: float
    delta: float
    end_value: float
    walk: float

    def slack_bound(self, totals: NDArray[np.float64], stages: int, max_days: int) -> float:
        """A bound no useful extra guarantor penalty reaches: ten times everything at stake."""
        return 10.0 * (
            float(np.abs(self.val) @ totals + np.abs(self.beta) @ totals)
            + abs(self.rate)
            * (stages * max_days + (1.0 / (1.0 - self.delta) if self.delta < 1 else 0.0))
            + abs(self.end_value)
            + abs(self.walk)
            + 1.0
        )


def negotiator_terms(
    exchange: Exchange, spec: ScheduleSpec, layout: ItemLayout, j: int
) -> NegotiatorTerms:
    """Negotiator ``j``'s :class:`NegotiatorTerms` (the timing model of
    :func:`accord.phased.evaluate.evaluate_plan`)."""
    m = len(spec.items)
    neg = exchange.negotiator_index
    first_holders = exchange.holdings > 0
    out0 = np.where(first_holders, exchange.holdings, 0.0).sum(axis=0)
    idx, giver, receiver = layout.item, layout.giver, layout.receiver
    coef = np.array(
        [
            float(first_holders[receiver[d], idx[d]]) - float(first_holders[giver[d], idx[d]])
            for d in range(m)
        ]
    )
    flows = spec.flow_rates if spec.flow_rates.size else np.zeros(len(exchange.flows))
    final = spec.final_rates if spec.final_rates.size else np.zeros(len(exchange.flows))
    delta = float(exchange.discount[j])
    val = np.array(
        [
            exchange.receive[j, idx[d]] * (receiver[d] == neg[j])
            + exchange.give[j, idx[d]] * (giver[d] == neg[j])
            for d in range(m)
        ]
    )
    beta = exchange.outside_per_item[j, idx] * coef
    end_outside = float(
        exchange.outside_base[j] + exchange.outside_per_item[j] @ out0 + beta @ layout.totals
    )
    rate = float(flows @ exchange.flow_value[j])
    if spec.final_perpetual:
        f = float(final @ exchange.flow_value[j])
        if f != 0.0 and delta >= 1.0:
            raise UserInputError(
                f"{exchange.negotiators[j]} values the plan's indefinite final flows but "
                "does not discount (discount_per_day = 1): their value is infinite"
            )
        end_value = f / (1.0 - delta) if f != 0.0 else 0.0
    else:
        end_value = end_outside
    walk = end_outside - float(exchange.penalty[j])
    return NegotiatorTerms(val, beta, rate, delta, end_value, walk)
