"""Is a phased plan self-enforcing?  Margins of carrying on over walking away, point by point.

Timing model (``docs/explanation/phased-deals.md`` works an example by hand):

* Time is counted in days from the start of the first stage.  Stage ``s``
  starts on day ``T_s = d_1 + ... + d_{s-1}`` and lasts ``d_s`` days.
* A negotiator values something that happens on day ``t`` at ``delta**t`` times
  its value then, with its own daily discount factor ``delta`` in (0, 1].
* A stage's transfers happen on its first day, before its flows.  A flow of
  rate ``r`` is enjoyed on each of the stage's days ``T_s, ..., T_s + d_s - 1``:
  worth ``r * v * (delta**T_s + ... + delta**(T_s + d_s - 1))``.
* Decision points: the start of every stage, before any delivery; and, when
  the stage has an ``order``, again before each later party's deliveries
  inside it (after the earlier parties have delivered).
* Walking away at a point ends the deal for everyone: nobody delivers
  anything more and the flows stop.  The walker keeps what it has received so
  far (sunk, the same either way, so it cancels), keeps what it still holds
  (it does not pay the cost of giving it), takes its outside option (a lump
  sum: ``base + sum_i per_item[i] * outstanding_i``, linear in what is still
  undelivered) and pays the guarantor's penalty.
* Carrying on means everything still scheduled happens, then the plan's end:
  final flows valued as a perpetuity from the last stage's end, or, with no
  final flows, the outside option evaluated with the final holdings (no
  penalty: nobody defected).

The margin at a point is (carry on) - (walk away), in value *at that point*
(divided by ``delta**t``).  By the one-shot deviation principle, following
the plan is a subgame-perfect equilibrium of the staged exchange exactly when
no negotiator gains by walking away at any point given that the rest of the
plan would be followed: every margin >= 0.  This is the commitment problem
of Fearon (1995, "Rationalist explanations for war", International
Organization 49(3)): an agreement fails when, at some point, a side is better
off reneging than carrying on.  Staging an exchange so that every margin
stays non-negative is the gradualism of Admati and Perry (1991, "Joint
projects without commitment", Review of Economic Studies 58(2)) and Compte
and Jehiel (2004, "Gradualism in bargaining and contribution games", Review
of Economic Studies 71(4)); the guarantor penalty is the third-party
enforcement of Walter (2002, *Committing to Peace*, Princeton UP).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from accord.phased.exchange import Exchange, StagedPlan

__all__ = [
    "DecisionPoint",
    "Driver",
    "PlanAssessment",
    "WeakestPoint",
    "evaluate_plan",
    "stage_starts",
]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class DecisionPoint:
    """A moment at which a negotiator could walk away.

    ``after`` names the parties that have already delivered inside this stage
    (empty at a stage's start).  ``day`` is the day it happens.
    """

    index: int
    stage: str
    stage_index: int
    slot: int
    after: tuple[str, ...]
    day: float

    @property
    def label(self) -> str:
        if not self.after:
            return f"start of {self.stage}"
        return f"{self.stage}, after {' and '.join(self.after)} delivered"


@dataclass(frozen=True)
class Driver:
    """One term of a margin: ``what`` (an item, a flow, the outside option's base, the penalty)."""

    what: str
    value: float


@dataclass(frozen=True)
class WeakestPoint:
    """The smallest margin of a plan: who, where, how much, and what drives it."""

    negotiator: str
    point: DecisionPoint
    margin: float
    shortfall: float
    drivers: tuple[Driver, ...]


@dataclass(frozen=True, eq=False)
class PlanAssessment:
    """Stage-by-stage margins of one plan for every negotiator.

    Arrays are indexed ``[negotiator, point]`` (and item / flow last); values
    are in each negotiator's own units, at the time of the point.  ``margin``
    equals ``item_terms.sum(-1) + flow_terms.sum(-1) + base_term +
    penalty_term`` exactly: the terms say which holdings make the difference.
    ``outstanding[point, item]`` is what the item's first holders still hold
    at the point (what the outside option counts); ``to_come[point, item]``
    what the plan still has to deliver from the point on.
    ``value`` is the plan's value to each negotiator at day 0 (what carrying
    on is worth at the first point).
    """

    plan: str
    negotiators: tuple[str, ...]
    items: tuple[str, ...]
    flows: tuple[str, ...]
    points: tuple[DecisionPoint, ...]
    continue_value: FloatArray
    walk_value: FloatArray
    margin: FloatArray
    item_terms: FloatArray
    flow_terms: FloatArray
    base_term: FloatArray
    penalty_term: FloatArray
    outstanding: FloatArray
    to_come: FloatArray
    value: FloatArray
    total_days: float
    self_enforcing: bool
    weakest: WeakestPoint
    tol: float

    def drivers(self, negotiator: int, point: int, limit: int = 4) -> tuple[Driver, ...]:
        """The largest terms (by size) of one margin, largest first."""
        terms = [
            *(
                Driver(f"{name} (deliveries and leverage)", float(v))
                for name, v in zip(self.items, self.item_terms[negotiator, point], strict=True)
            ),
            *(
                Driver(f"{name} (flow)", float(v))
                for name, v in zip(self.flows, self.flow_terms[negotiator, point], strict=True)
            ),
            Driver("outside option (base)", float(self.base_term[negotiator, point])),
            Driver("guarantor penalty", float(self.penalty_term[negotiator, point])),
        ]
        terms = [t for t in terms if abs(t.value) > self.tol]
        terms.sort(key=lambda t: -abs(t.value))
        return tuple(terms[:limit])


def stage_starts(days: FloatArray) -> FloatArray:
    """Day on which each stage starts, and (last entry) the day the plan ends."""
    return np.concatenate(([0.0], np.cumsum(np.asarray(days, dtype=np.float64))))


def _annuity(discount: FloatArray, start: FloatArray, days: FloatArray) -> FloatArray:
    """(negotiators, stages): sum of ``delta**t`` over the days ``start .. start+days-1``."""
    d = discount[:, None]
    first = np.power(d, start[None, :])
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = first * (1.0 - np.power(d, days[None, :])) / (1.0 - d)
    return np.where(d < 1.0, geometric, days[None, :] * first)


@dataclass(frozen=True, eq=False)
class _Timeline:
    """When things happen in a plan: the decision points (stage, slot, day) and, for each
    point and transfer, whether the transfer is still to come (``to_come``, (P, E))."""

    starts: FloatArray
    point_stage: NDArray[np.intp]
    point_slot: NDArray[np.intp]
    point_day: FloatArray
    total_days: float
    to_come: NDArray[np.bool_]
    onehot: FloatArray

    @property
    def n_points(self) -> int:
        return int(self.point_stage.size)


def _timeline(plan: StagedPlan, n_items: int) -> _Timeline:
    starts = stage_starts(plan.days)
    n_slots = plan.n_slots
    offsets = np.concatenate(([0], np.cumsum(n_slots)))
    n_points = int(offsets[-1])
    point_stage = np.repeat(np.arange(plan.n_stages), n_slots)
    # transfers: the point each happens at (it is "to come" from every point <= it)
    e_point = offsets[plan.transfer_stage] + plan.transfer_slot
    onehot = np.zeros((plan.transfer_item.size, n_items))
    onehot[np.arange(plan.transfer_item.size), plan.transfer_item] = 1.0
    return _Timeline(
        starts=starts,
        point_stage=point_stage,
        point_slot=np.arange(n_points) - offsets[point_stage],
        point_day=starts[point_stage],
        total_days=float(starts[-1]),
        to_come=e_point[None, :] >= np.arange(n_points)[:, None],
        onehot=onehot,
    )


def _present_values(
    exchange: Exchange, plan: StagedPlan, t: _Timeline
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Every term of every margin in present (day-0) value, before the division by the
    discount of its point: items ``(J, P, I)``, flows ``(J, P, F)``, the outside option's base
    ``(J, P)``, and what is still outstanding at each point ``(P, I)``."""
    delta = exchange.discount
    neg = exchange.negotiator_index
    amount = plan.transfer_amount
    gets = (plan.transfer_to[None, :] == neg[:, None]) * exchange.receive[:, plan.transfer_item]
    gives = (plan.transfer_from[None, :] == neg[:, None]) * exchange.give[:, plan.transfer_item]
    e_day = t.starts[plan.transfer_stage]
    pv_event = (gets + gives) * amount[None, :] * np.power(delta[:, None], e_day[None, :])
    future_items = np.einsum("pe,je,ei->jpi", t.to_come, pv_event, t.onehot)

    # flows of the stages not yet over
    annuity = _annuity(delta, t.starts[:-1], plan.days)  # (J, S)
    stage_ahead = np.arange(plan.n_stages)[None, :] >= t.point_stage[:, None]  # (P, S)
    future_flows = np.einsum(
        "ps,js,sf,jf->jpf", stage_ahead, annuity, plan.flow_rates, exchange.flow_value
    )

    # what is still undelivered (held by the item's holders at the start)
    first_holders = exchange.holdings > 0
    change = amount * (
        first_holders[plan.transfer_to, plan.transfer_item].astype(float)
        - first_holders[plan.transfer_from, plan.transfer_item].astype(float)
    )
    start_outstanding = np.where(first_holders, exchange.holdings, 0.0).sum(axis=0)
    outstanding = start_outstanding[None, :] + (~t.to_come).astype(float) @ (
        change[:, None] * t.onehot
    )
    end_outstanding = start_outstanding + change @ t.onehot

    # the end of the plan
    at_end = np.power(delta, t.total_days)  # (J,)
    item_terms_pv = future_items - (
        np.power(delta[:, None], t.point_day[None, :])[:, :, None]
        * exchange.outside_per_item[:, None, :]
        * outstanding[None, :, :]
    )
    flow_terms_pv = future_flows
    base_pv = -np.power(delta[:, None], t.point_day[None, :]) * exchange.outside_base[:, None]
    if plan.final_perpetual:
        with np.errstate(divide="ignore"):
            perpetuity = np.where(delta < 1.0, at_end / (1.0 - delta), np.inf)
        final_flow = perpetuity[:, None] * plan.final_rates[None, :] * exchange.flow_value
        final_flow = np.where(np.isnan(final_flow), 0.0, final_flow)
        flow_terms_pv = flow_terms_pv + final_flow[:, None, :]
    else:
        item_terms_pv = (
            item_terms_pv
            + (at_end[:, None] * exchange.outside_per_item * end_outstanding[None, :])[:, None, :]
        )
        base_pv = base_pv + (at_end * exchange.outside_base)[:, None]
    return item_terms_pv, flow_terms_pv, base_pv, outstanding


def evaluate_plan(exchange: Exchange, plan: StagedPlan, *, tol: float = 1e-9) -> PlanAssessment:
    """Margins of carrying on over walking away at every decision point, for every negotiator.

    See the module docstring for the timing model.  The plan is
    self-enforcing when every margin is at least ``-tol``; the weakest point
    is the smallest margin (ties: the earliest point, then the first
    negotiator).  Sources: Fearon (1995), Admati and Perry (1991), Compte and
    Jehiel (2004), Walter (2002); see :mod:`accord.phased.evaluate`.
    """
    t = _timeline(plan, len(exchange.items))
    item_terms_pv, flow_terms_pv, base_pv, outstanding = _present_values(exchange, plan, t)
    now = np.power(exchange.discount[:, None], t.point_day[None, :])  # (J, P)
    item_terms = item_terms_pv / now[:, :, None]
    flow_terms = flow_terms_pv / now[:, :, None]
    base_term = base_pv / now
    penalty_term = np.broadcast_to(exchange.penalty[:, None], now.shape).copy()
    margin = item_terms.sum(-1) + flow_terms.sum(-1) + base_term + penalty_term
    walk_value = (
        exchange.outside_base[:, None]
        + exchange.outside_per_item @ outstanding.T
        - exchange.penalty[:, None]
    )
    continue_value = margin + walk_value

    points = tuple(
        DecisionPoint(
            index=p,
            stage=plan.stage_ids[int(t.point_stage[p])],
            stage_index=int(t.point_stage[p]),
            slot=int(t.point_slot[p]),
            after=plan.slot_parties[int(t.point_stage[p])][: int(t.point_slot[p])],
            day=float(t.point_day[p]),
        )
        for p in range(t.n_points)
    )
    # weakest: smallest margin, earliest point first, then negotiator order
    order = np.lexsort((np.arange(margin.size), margin.T.ravel()))
    p_w, j_w = divmod(int(order[0]), len(exchange.negotiators))
    worst = float(margin[j_w, p_w])
    assessment = PlanAssessment(
        plan=plan.id,
        negotiators=exchange.negotiators,
        items=exchange.items,
        flows=exchange.flows,
        points=points,
        continue_value=continue_value,
        walk_value=walk_value,
        margin=margin,
        item_terms=item_terms,
        flow_terms=flow_terms,
        base_term=base_term,
        penalty_term=penalty_term,
        outstanding=outstanding,
        to_come=t.to_come.astype(float) @ (plan.transfer_amount[:, None] * t.onehot),
        value=continue_value[:, 0] if t.n_points else np.zeros(len(exchange.negotiators)),
        total_days=t.total_days,
        self_enforcing=bool(np.all(margin >= -tol)),
        weakest=WeakestPoint(
            negotiator=exchange.negotiators[j_w],
            point=points[p_w],
            margin=worst,
            shortfall=max(0.0, -worst),
            drivers=(),
        ),
        tol=tol,
    )
    return replace(
        assessment, weakest=replace(assessment.weakest, drivers=assessment.drivers(j_w, p_w))
    )
