"""How likely is each phased plan to be self-enforcing when the valuations are uncertain?

Every value a negotiator puts on the items, flows, outside option and
guarantor penalty of a phased exchange may be an estimate with a range
(:mod:`accord.model.estimates`).  This module samples them with the seeded
block scheme of :mod:`accord.robust.parameters` and counts, for each plan, the
samples in which every margin of :func:`accord.phased.evaluate_plan` is at
least ``-tol`` (the plan is self-enforcing), and for each negotiator the
samples in which its own margins all hold.

Vectorisation: for fixed discount factors, every margin is a linear function
of the valuation numbers (``docs/explanation/phased-deals.md``).  So for each
plan the (decision points x uncertain values) matrix ``A`` and offset ``b``
are read from the evaluator itself: ``b`` is the margin with every uncertain
value at 0, column ``k`` the change when value ``k`` is 1.  This is exact
because the margins are affine, which :func:`margin_matrix` checks at a random
valuation.  All samples' margins are then ``X @ A.T + b``: one matrix product.

Block ``b`` draws its uniforms from ``SeedSequence(seed, spawn_key=(b, 1))``,
a stream of its own beside the preference profiles' ``(b,)``, so the counts
depend only on ``seed`` and ``samples``, never on how blocks are grouped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.phased.evaluate import evaluate_plan
from accord.phased.exchange import Exchange, StagedPlan
from accord.robust.parameters import BLOCK_SAMPLES, UncertainParameter, _invert
from accord.robust.stats import Probability, first_order_indices

__all__ = [
    "EstimateIndex",
    "PlanRobustness",
    "PlanTally",
    "ValuationModel",
    "ValuationParameter",
    "analyse_plans",
    "margin_matrix",
    "plan_block_generator",
    "sample_valuations",
    "simulate_plans",
    "valuation_model",
]

FloatArray = NDArray[np.float64]

# the Exchange arrays a valuation number may sit in
FIELDS = ("receive", "give", "flow_value", "outside_base", "outside_per_item", "penalty")


@dataclass(frozen=True)
class ValuationParameter:
    """One uncertain valuation number: where it sits in the :class:`Exchange` and its law."""

    name: str
    field: str
    index: tuple[int, ...]
    parameter: UncertainParameter

    def __post_init__(self) -> None:
        if self.field not in FIELDS:
            raise ValueError(f"{self.name}: unknown valuation field {self.field!r}")


@dataclass(frozen=True, eq=False)
class ValuationModel:
    """An exchange at its point valuations and the valuation numbers that are uncertain."""

    exchange: Exchange
    parameters: tuple[ValuationParameter, ...]

    def exchange_at(self, values: Sequence[float] | FloatArray) -> Exchange:
        """The exchange with the uncertain numbers set to ``values`` (in parameter order)."""
        x = np.asarray(values, dtype=np.float64)
        if x.shape != (len(self.parameters),):
            raise ValueError(f"{len(self.parameters)} values expected, got shape {x.shape}")
        arrays = {f: np.array(getattr(self.exchange, f), dtype=np.float64) for f in FIELDS}
        for p, v in zip(self.parameters, x, strict=True):
            arrays[p.field][p.index] = v
        return replace(
            self.exchange,
            receive=arrays["receive"],
            give=arrays["give"],
            flow_value=arrays["flow_value"],
            outside_base=arrays["outside_base"],
            outside_per_item=arrays["outside_per_item"],
            penalty=arrays["penalty"],
        )

    @property
    def point(self) -> FloatArray:
        return np.array([p.parameter.point for p in self.parameters], dtype=np.float64)


def valuation_model(scenario: Any, exchange: Exchange | None = None) -> ValuationModel:
    """The uncertain valuation numbers of a validated scenario (fixed numbers are left out)."""
    from accord.phased.exchange import exchange_from_scenario

    exchange = exchange or exchange_from_scenario(scenario)
    params: list[ValuationParameter] = []

    def add(name: str, field: str, index: tuple[int, ...], estimate: Any) -> None:
        param = UncertainParameter.from_estimate(name, estimate)
        if param.is_uncertain:
            params.append(ValuationParameter(name, field, index, param))

    for j, party in enumerate(exchange.negotiators):
        val = scenario.valuations[party]
        for item_id, v in val.items.items():
            i = exchange.items.index(item_id)
            add(f"{party}: {item_id} received", "receive", (j, i), v.receive)
            add(f"{party}: {item_id} given", "give", (j, i), v.give)
        for flow_id, v in val.flows.items():
            add(f"{party}: {flow_id} per day", "flow_value", (j, exchange.flows.index(flow_id)), v)
        add(f"{party}: outside option (base)", "outside_base", (j,), val.outside_option.base)
        for item_id, v in val.outside_option.per_item.items():
            i = exchange.items.index(item_id)
            add(f"{party}: outside option per {item_id}", "outside_per_item", (j, i), v)
        add(f"{party}: guarantor penalty", "penalty", (j,), val.guarantor_penalty)
    return ValuationModel(exchange, tuple(params))


def margin_matrix(
    model: ValuationModel, plan: StagedPlan, *, check_seed: int = 0
) -> tuple[FloatArray, FloatArray]:
    """``(A, b)`` with the plan's margins (negotiators * points, flattened) ``= A @ x + b``.

    ``x`` holds the uncertain valuation numbers.  Read from
    :func:`~accord.phased.evaluate_plan` at ``x = 0`` and at each unit vector;
    exact because every margin is affine in the valuations for fixed discount
    factors.  Raises AssertionError if a random valuation breaks affinity.
    """
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


def plan_block_generator(seed: int, block: int) -> np.random.Generator:
    """Block ``block``'s valuation generator: ``SeedSequence(seed, spawn_key=(block, 1))``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, 1))))


def sample_valuations(
    model: ValuationModel, rng: np.random.Generator, size: int
) -> tuple[FloatArray, FloatArray]:
    """``size`` samples of the uncertain numbers by inversion: (values, quantiles), (size, k)."""
    params = tuple(p.parameter for p in model.parameters)
    u = rng.random((size, len(params)))
    return _invert(u, params), u


@dataclass(frozen=True)
class PlanTally:
    """Integer counts over a run of samples; tallies add exactly.

    ``holds[plan]`` samples where the plan is self-enforcing;
    ``by_negotiator[plan, j]`` samples where negotiator ``j``'s margins all hold;
    ``bin_counts[param, bin]`` samples per quantile bin of each uncertain number;
    ``bin_hits[plan, param, bin]`` of them where the plan is self-enforcing.
    """

    samples: int
    holds: NDArray[np.int64]
    by_negotiator: NDArray[np.int64]
    bin_counts: NDArray[np.int64]
    bin_hits: NDArray[np.int64]

    def __add__(self, other: PlanTally) -> PlanTally:
        return PlanTally(
            self.samples + other.samples,
            self.holds + other.holds,
            self.by_negotiator + other.by_negotiator,
            self.bin_counts + other.bin_counts,
            self.bin_hits + other.bin_hits,
        )


def simulate_plans(
    model: ValuationModel,
    matrices: Sequence[tuple[FloatArray, FloatArray]],
    seed: int,
    samples: int,
    first_block: int,
    n_blocks: int,
    *,
    bins: int = 20,
    tol: float = 1e-9,
) -> PlanTally:
    """Count, over blocks ``first_block .. first_block + n_blocks - 1``, when each plan holds.

    ``matrices`` are :func:`margin_matrix` of each plan; ``samples`` the run's
    total (the last block is cut to it).
    """
    k = len(model.parameters)
    n = len(model.exchange.negotiators)
    n_plans = len(matrices)
    holds = np.zeros(n_plans, dtype=np.int64)
    by_negotiator = np.zeros((n_plans, n), dtype=np.int64)
    bin_counts = np.zeros((k, bins), dtype=np.int64)
    bin_hits = np.zeros((n_plans, k, bins), dtype=np.int64)
    done = 0
    for block in range(first_block, first_block + n_blocks):
        size = min(BLOCK_SAMPLES, samples - block * BLOCK_SAMPLES)
        if size <= 0:
            break
        x, u = sample_valuations(model, plan_block_generator(seed, block), size)
        which = np.minimum((u * bins).astype(np.intp), bins - 1)  # (size, k)
        flat = which + bins * np.arange(k)[None, :]
        bin_counts += np.bincount(flat.ravel(), minlength=k * bins).reshape(k, bins)
        for p, (a, b) in enumerate(matrices):
            margins = np.asarray(x @ a.T + b, dtype=np.float64).reshape(size, n, -1)
            ok = np.all(margins >= -tol, axis=2)  # (size, n)
            held = ok.all(axis=1)
            holds[p] += int(held.sum())
            by_negotiator[p] += ok.sum(axis=0)
            bin_hits[p] += np.bincount(flat[held].ravel(), minlength=k * bins).reshape(k, bins)
        done += size
    return PlanTally(done, holds, by_negotiator, bin_counts, bin_hits)


@dataclass(frozen=True)
class EstimateIndex:
    """A valuation estimate and its first-order index for a plan's self-enforcement."""

    estimate: str
    index: float


@dataclass(frozen=True)
class PlanRobustness:
    """How likely one plan is to be self-enforcing, for everyone and for each negotiator."""

    id: str
    self_enforcing: Probability
    point_self_enforcing: bool
    by_negotiator: dict[str, Probability]
    sensitivity: tuple[EstimateIndex, ...]


def analyse_plans(
    model: ValuationModel,
    plans: Sequence[StagedPlan],
    *,
    samples: int = 10_000,
    seed: int = 0,
    chunk_samples: int | None = None,
    bins: int = 20,
    tol: float = 1e-9,
    top: int = 5,
    confidence: float = 0.95,
) -> tuple[PlanRobustness, ...]:
    """The probability that each plan is self-enforcing, with Wilson intervals and sensitivity.

    ``chunk_samples`` groups blocks into chunks (the result is the same for
    any value).  Sensitivity: the binned first-order index of
    :func:`accord.robust.stats.first_order_indices` of each uncertain
    valuation for "the plan is self-enforcing", largest first (``top`` shown).
    """
    if samples <= 0:
        raise ValueError("the number of samples must be positive")
    matrices = [margin_matrix(model, plan) for plan in plans]
    blocks = math.ceil(samples / BLOCK_SAMPLES)
    per_chunk = max(1, (chunk_samples or 16 * BLOCK_SAMPLES) // BLOCK_SAMPLES)
    k, n = len(model.parameters), len(model.exchange.negotiators)
    tally = PlanTally(
        0,
        np.zeros(len(plans), dtype=np.int64),
        np.zeros((len(plans), n), dtype=np.int64),
        np.zeros((k, bins), dtype=np.int64),
        np.zeros((len(plans), k, bins), dtype=np.int64),
    )
    for first in range(0, blocks, per_chunk):
        tally = tally + simulate_plans(
            model,
            matrices,
            seed,
            samples,
            first,
            min(per_chunk, blocks - first),
            bins=bins,
            tol=tol,
        )
    index = (
        first_order_indices(tally.bin_counts, tally.bin_hits) if k else np.zeros((len(plans), 0))
    )
    out = []
    for p, plan in enumerate(plans):
        a, b = matrices[p]
        ranked = sorted(
            (
                EstimateIndex(param.name, float(index[p, c]))
                for c, param in enumerate(model.parameters)
                if param.parameter.is_uncertain and not math.isnan(index[p, c])
            ),
            key=lambda e: -e.index,
        )
        out.append(
            PlanRobustness(
                id=plan.id,
                self_enforcing=Probability.from_counts(
                    int(tally.holds[p]), tally.samples, confidence
                ),
                point_self_enforcing=bool(np.all(a @ model.point + b >= -tol)),
                by_negotiator={
                    party: Probability.from_counts(
                        int(tally.by_negotiator[p, j]), tally.samples, confidence
                    )
                    for j, party in enumerate(model.exchange.negotiators)
                },
                sensitivity=tuple(ranked[:top]),
            )
        )
    return tuple(out)
