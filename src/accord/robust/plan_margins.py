"""Every sample's margins of a phased plan at once, two ways.

* Fixed discount factors (:func:`margin_matrix`): every margin is then a
  linear function of the valuation numbers (``docs/explanation/phased-deals.md``).
  So for each plan the (decision points x uncertain values) matrix ``A`` and
  offset ``b`` are read from the evaluator itself: ``b`` is the margin with
  every uncertain value at 0, column ``k`` the change when value ``k`` is 1.
  This is exact because the margins are affine, which :func:`margin_matrix`
  checks at a random valuation.  All samples' margins are then ``X @ A.T + b``:
  one matrix product.
* An uncertain discount factor (:func:`plan_timing`, :func:`sampled_margins`):
  the margins are no longer linear in it.  The plan's timing (what is still to
  come at each decision point, in which stage, how many days ahead) does not
  depend on the discount, so it is computed once; each sample's factors are
  then raised to those day counts as one array power, (samples, negotiators,
  points, stages), and the margins assembled by array products.  This is a
  second implementation of the timing model of :mod:`accord.phased.evaluate`,
  checked against it sample by sample in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from accord.phased.evaluate import evaluate_plan, stage_starts
from accord.phased.exchange import Exchange, StagedPlan

if TYPE_CHECKING:
    from accord.robust.plans import ValuationModel

__all__ = [
    "FIELDS",
    "PlanMargins",
    "PlanTiming",
    "margin_matrix",
    "plan_margins",
    "plan_timing",
    "sample_margins",
    "sampled_fields",
    "sampled_margins",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

# the Exchange arrays a valuation number may sit in
FIELDS = (
    "receive",
    "give",
    "flow_value",
    "outside_base",
    "outside_per_item",
    "penalty",
    "discount",
)


def margin_matrix(
    model: ValuationModel, plan: StagedPlan, *, check_seed: int = 0
) -> tuple[FloatArray, FloatArray]:
    """``(A, b)`` with the plan's margins (negotiators * points, flattened) ``= A @ x + b``.

    ``x`` holds the uncertain valuation numbers.  Read from
    :func:`~accord.phased.evaluate_plan` at ``x = 0`` and at each unit vector;
    exact because every margin is affine in the valuations for fixed discount
    factors.  Raises AssertionError if a random valuation breaks affinity, and
    ValueError when a discount factor is uncertain (use :func:`plan_timing`).
    """
    if model.discount_uncertain:
        raise ValueError(
            "the margins are not linear in an uncertain discount factor: use plan_timing"
        )
    k = len(model.parameters)
    zero = np.zeros(k)

    def margins(x: FloatArray) -> FloatArray:
        return evaluate_plan(model.exchange_at(x), plan).margin.ravel()

    b = margins(zero)
    a = np.empty((b.size, k))
    for c in range(k):
        unit = zero.copy()
        unit[c] = 1.0
        a[:, c] = margins(unit) - b
    x = np.random.default_rng(check_seed).normal(size=k) * (1.0 + np.abs(model.point))
    expected = margins(x)
    scale = 1.0 + np.abs(a) @ np.abs(x) + np.abs(b)
    assert np.all(np.abs(a @ x + b - expected) <= 1e-9 * scale), "margins are not affine"
    return a, b


@dataclass(frozen=True, eq=False)
class PlanTiming:
    """What one plan's margins need besides the valuations: nothing here depends on them.

    Indexed by decision point ``p``, transfer ``e``, stage ``s``, stock item
    ``i`` and flow ``f``, as in :func:`accord.phased.evaluate_plan`:
    ``due[p, e, s]`` is 1 when transfer ``e`` is still to come at point ``p``
    and happens at the start of stage ``s``; ``ahead[p, s]`` is 1 when stage
    ``s`` is not over at point ``p``; ``lag[p, s]`` the days from point ``p``
    to the start of stage ``s`` (0 for stages that are over); ``to_end[p]`` the
    days from point ``p`` to the plan's end; ``outstanding[p, i]`` what the
    item's first holders still hold at point ``p`` and ``end_outstanding[i]``
    at the end.  ``gets[j, e]`` / ``gives[j, e]`` say whether negotiator ``j``
    receives / hands over transfer ``e``.
    """

    plan: str
    gets: NDArray[np.bool_]
    gives: NDArray[np.bool_]
    transfer_item: IntArray
    amount: FloatArray
    due: FloatArray
    ahead: FloatArray
    lag: FloatArray
    to_end: FloatArray
    days: FloatArray
    flow_rates: FloatArray
    final_rates: FloatArray
    final_perpetual: bool
    outstanding: FloatArray
    end_outstanding: FloatArray


def plan_timing(exchange: Exchange, plan: StagedPlan) -> PlanTiming:
    """The discount-free timing of ``plan`` (the evaluator's, computed once per plan)."""
    starts = stage_starts(plan.days)
    n_slots = plan.n_slots
    offsets = np.concatenate(([0], np.cumsum(n_slots)))
    n_points = int(offsets[-1])
    point_stage = np.repeat(np.arange(plan.n_stages), n_slots)
    point_day = starts[point_stage]
    e_point = offsets[plan.transfer_stage] + plan.transfer_slot
    to_come = e_point[None, :] >= np.arange(n_points)[:, None]  # (P, E)
    in_stage = plan.transfer_stage[:, None] == np.arange(plan.n_stages)[None, :]  # (E, S)
    ahead = np.arange(plan.n_stages)[None, :] >= point_stage[:, None]  # (P, S)
    n_items = len(exchange.items)
    onehot = np.zeros((plan.transfer_item.size, n_items))
    onehot[np.arange(plan.transfer_item.size), plan.transfer_item] = 1.0
    first_holders = exchange.holdings > 0
    change = plan.transfer_amount * (
        first_holders[plan.transfer_to, plan.transfer_item].astype(float)
        - first_holders[plan.transfer_from, plan.transfer_item].astype(float)
    )
    start_outstanding = np.where(first_holders, exchange.holdings, 0.0).sum(axis=0)
    neg = exchange.negotiator_index
    return PlanTiming(
        plan=plan.id,
        gets=plan.transfer_to[None, :] == neg[:, None],
        gives=plan.transfer_from[None, :] == neg[:, None],
        transfer_item=np.asarray(plan.transfer_item, dtype=np.intp),
        amount=np.asarray(plan.transfer_amount, dtype=np.float64),
        due=(to_come[:, :, None] & in_stage[None, :, :]).astype(np.float64),
        ahead=ahead.astype(np.float64),
        lag=np.where(ahead, starts[None, :-1] - point_day[:, None], 0.0),
        to_end=starts[-1] - point_day,
        days=np.asarray(plan.days, dtype=np.float64),
        flow_rates=np.asarray(plan.flow_rates, dtype=np.float64),
        final_rates=np.asarray(plan.final_rates, dtype=np.float64),
        final_perpetual=plan.final_perpetual,
        outstanding=start_outstanding[None, :]
        + (~to_come).astype(float) @ (change[:, None] * onehot),
        end_outstanding=start_outstanding + change @ onehot,
    )


def sampled_fields(model: ValuationModel, x: FloatArray) -> dict[str, FloatArray]:
    """Each :class:`Exchange` valuation array with a leading sample axis and ``x`` set in.

    ``x`` is (samples, uncertain numbers), in parameter order.
    """
    size = x.shape[0]
    fields = {
        f: np.broadcast_to(
            np.asarray(getattr(model.exchange, f), dtype=np.float64),
            (size, *np.shape(getattr(model.exchange, f))),
        ).copy()
        for f in FIELDS
    }
    for c, p in enumerate(model.parameters):
        where: tuple[slice | int, ...] = (slice(None), *p.index)
        fields[p.field][where] = x[:, c]
    return fields


def sampled_margins(timing: PlanTiming, fields: dict[str, FloatArray]) -> FloatArray:
    """Every sample's margins, (samples, negotiators, points), with per-sample discount factors.

    The timing model of :func:`accord.phased.evaluate_plan`, in value at each
    decision point: what is still to come is discounted by ``delta`` raised
    to its days after the point (one array power for all samples, negotiators,
    points and stages); walking away forgoes it for the outside option at the
    point, minus the guarantor penalty.
    """
    delta = fields["discount"]  # (X, J)
    d = delta[:, :, None]
    # delta ** (days from each point to each stage's start): (X, J, P, S)
    ahead_factor = np.power(delta[:, :, None, None], timing.lag[None, None, :, :])
    # transfers: each one's value to each negotiator, (X, J, E), summed per stage still to come
    value = (
        timing.gets[None] * fields["receive"][:, :, timing.transfer_item]
        + timing.gives[None] * fields["give"][:, :, timing.transfer_item]
    ) * timing.amount[None, None, :]
    per_stage = np.einsum("pes,xje->xjps", timing.due, value)
    margin = np.einsum("xjps,xjps->xjp", per_stage, ahead_factor)
    # flows of the stages not yet over: a geometric sum over each stage's days
    with np.errstate(divide="ignore", invalid="ignore"):
        geometric = (1.0 - np.power(d, timing.days[None, None, :])) / (1.0 - d)
    annuity = np.where(d < 1.0, geometric, timing.days[None, None, :])  # (X, J, S)
    rate_value = np.einsum("xjf,sf->xjs", fields["flow_value"], timing.flow_rates)
    margin += np.einsum("ps,xjps,xjs->xjp", timing.ahead, ahead_factor, annuity * rate_value)
    # walking away: the outside option now (what is undelivered), minus the penalty
    per_item, base = fields["outside_per_item"], fields["outside_base"]
    margin -= np.einsum("xji,pi->xjp", per_item, timing.outstanding) + base[:, :, None]
    margin += fields["penalty"][:, :, None]
    # the end of the plan
    at_end = np.power(d, timing.to_end[None, None, :])  # (X, J, P)
    if timing.final_perpetual:
        with np.errstate(divide="ignore", invalid="ignore"):
            perpetuity = np.where(delta < 1.0, 1.0 / (1.0 - delta), np.inf)
            final = perpetuity[:, :, None] * timing.final_rates * fields["flow_value"]
        final = np.where(np.isnan(final), 0.0, final).sum(axis=2)  # (X, J)
        margin += at_end * final[:, :, None]
    else:
        end_value = per_item @ timing.end_outstanding + base  # (X, J)
        margin += at_end * end_value[:, :, None]
    return np.asarray(margin, dtype=np.float64)


PlanMargins = tuple[FloatArray, FloatArray] | PlanTiming
"""How a plan's sampled margins are computed: :func:`margin_matrix` ``(A, b)`` when
every discount factor is fixed, :func:`plan_timing` when one is uncertain."""


def plan_margins(model: ValuationModel, plan: StagedPlan) -> PlanMargins:
    """The margin matrix of ``plan`` when the discounts are fixed, else its timing."""
    if model.discount_uncertain:
        return plan_timing(model.exchange, plan)
    return margin_matrix(model, plan)


def sample_margins(
    spec: PlanMargins, x: FloatArray, fields: dict[str, FloatArray] | None, n: int
) -> FloatArray:
    """(samples, negotiators, points) margins of the valuation samples ``x`` by either method
    (``fields``: :func:`sampled_fields` of ``x``, needed with :class:`PlanTiming`)."""
    if isinstance(spec, PlanTiming):
        assert fields is not None
        return sampled_margins(spec, fields)
    a, b = spec
    return np.asarray(x @ a.T + b, dtype=np.float64).reshape(x.shape[0], n, -1)
