"""How likely is each phased plan to be self-enforcing when the valuations are uncertain?

Every value a negotiator puts on the items, flows, outside option and
guarantor penalty of a phased exchange, and its daily discount factor, may be
an estimate with a range (:mod:`accord.model.estimates`).  This module samples
them with the seeded block scheme of :mod:`accord.robust.parameters` and
counts, for each plan, the samples in which every margin of
:func:`accord.phased.evaluate_plan` is at least ``-tol`` (the plan is
self-enforcing), and for each negotiator the samples in which its own margins
all hold.

How the margins of all samples are computed at once: :mod:`accord.robust.plan_margins`.

Block ``b`` draws its uniforms from ``SeedSequence(seed, spawn_key=(b, 1))``,
a stream of its own beside the preference profiles' ``(b,)``, so the counts
depend only on ``seed`` and ``samples``, never on how blocks are grouped into
chunks or on which process or Dask worker runs a chunk (:func:`run_plan_chunks`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.deprecation import deprecated_alias
from accord.phased.exchange import Exchange, StagedPlan
from accord.robust.parameters import BLOCK_SAMPLES, UncertainParameter, _invert
from accord.robust.plan_margins import (
    FIELDS,
    PlanMargins,
    PlanTiming,
    margin_matrix,
    plan_margins,
    plan_timing,
    sample_margins,
    sampled_fields,
    sampled_margins,
)
from accord.robust.stats import Probability, first_order_indices
from accord.robust.workers import (
    DaskLikeClient,
    Started,
    run_seeded_chunks,
    single_threaded_blas,
    start_seeded_chunks,
)

__all__ = [
    "EstimateIndex",
    "PlanMargins",
    "PlanProblem",
    "PlanRobustness",
    "PlanTally",
    "PlanTiming",
    "ValuationModel",
    "ValuationParameter",
    "analyze_plans",
    "build_plan_problem",
    "margin_matrix",
    "plan_block_generator",
    "plan_timing",
    "run_plan_chunks",
    "sample_valuations",
    "sampled_fields",
    "sampled_margins",
    "simulate_plan_chunk",
    "simulate_plans",
    "start_plans",
    "valuation_model",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]


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
            discount=arrays["discount"],
        )

    @property
    def point(self) -> FloatArray:
        return np.array([p.parameter.point for p in self.parameters], dtype=np.float64)

    @property
    def discount_uncertain(self) -> bool:
        """Whether a discount factor varies between samples (margins are then not linear)."""
        return any(p.field == "discount" for p in self.parameters)


def valuation_model(scenario: Any, exchange: Exchange | None = None) -> ValuationModel:
    """The uncertain valuation numbers of a validated scenario (fixed numbers are left out)."""
    from accord.phased.exchange import exchange_from_scenario

    exchange = exchange or exchange_from_scenario(scenario)
    params: list[ValuationParameter] = []

    def add(
        name: str,
        field: str,
        index: tuple[int, ...],
        estimate: Any,
        domain: tuple[float, float] = (-math.inf, math.inf),
    ) -> None:
        param = UncertainParameter.from_estimate(name, estimate, domain)
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
        # a normal without bounds is truncated to the valid range of a discount factor
        add(f"{party}: discount per day", "discount", (j,), val.discount_per_day, (0.0, 1.0))
    return ValuationModel(exchange, tuple(params))


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
    matrices: Sequence[PlanMargins],
    seed: int,
    samples: int,
    first_block: int,
    n_blocks: int,
    *,
    bins: int = 20,
    tol: float = 1e-9,
) -> PlanTally:
    """Count, over blocks ``first_block .. first_block + n_blocks - 1``, when each plan holds.

    ``matrices`` are :func:`plan_margins` of each plan (:func:`margin_matrix`
    with fixed discount factors, :func:`plan_timing` otherwise); ``samples``
    the run's total (the last block is cut to it).
    """
    k = len(model.parameters)
    n = len(model.exchange.negotiators)
    n_plans = len(matrices)
    timed = any(isinstance(m, PlanTiming) for m in matrices)
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
        fields = sampled_fields(model, x) if timed else None
        which = np.minimum((u * bins).astype(np.intp), bins - 1)  # (size, k)
        flat = which + bins * np.arange(k)[None, :]
        bin_counts += np.bincount(flat.ravel(), minlength=k * bins).reshape(k, bins)
        for p, spec in enumerate(matrices):
            ok = np.all(sample_margins(spec, x, fields, n) >= -tol, axis=2)  # (size, n)
            held = ok.all(axis=1)
            holds[p] += int(held.sum())
            by_negotiator[p] += ok.sum(axis=0)
            bin_hits[p] += np.bincount(flat[held].ravel(), minlength=k * bins).reshape(k, bins)
        done += size
    return PlanTally(done, holds, by_negotiator, bin_counts, bin_hits)


@dataclass(frozen=True, eq=False)
class PlanProblem:
    """Everything a worker needs to simulate a chunk of plan samples (picklable, arrays only)."""

    model: ValuationModel
    margins: tuple[PlanMargins, ...]
    bins: int
    tol: float


def build_plan_problem(
    model: ValuationModel, plans: Sequence[StagedPlan], *, bins: int = 20, tol: float = 1e-9
) -> PlanProblem:
    """Prepare each plan's margins (:func:`plan_margins`) once, for every chunk."""
    return PlanProblem(model, tuple(plan_margins(model, plan) for plan in plans), bins, tol)


def simulate_plan_chunk(
    problem: PlanProblem, seed: int, first_block: int, n_blocks: int, samples: int
) -> PlanTally:
    """:func:`simulate_plans` of one chunk, with a single-threaded BLAS (as run on a worker)."""
    with single_threaded_blas():
        return simulate_plans(
            problem.model,
            problem.margins,
            seed,
            samples,
            first_block,
            n_blocks,
            bins=problem.bins,
            tol=problem.tol,
        )


def run_plan_chunks(
    problem: PlanProblem,
    samples: int,
    seed: int,
    *,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> PlanTally:
    """Tally ``samples`` valuation samples: here, in local processes, or on a Dask cluster.

    :func:`accord.robust.workers.run_seeded_chunks` with
    :func:`simulate_plan_chunk`, the scheme of the preference profiles: each
    block draws from its own generator (:func:`plan_block_generator`) and the
    integer tallies add exactly, so the result is the same whatever
    ``chunk_samples``, ``processes`` or ``client``.
    """
    return run_seeded_chunks(
        simulate_plan_chunk,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    )


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


def analyze_plans(
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
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> tuple[PlanRobustness, ...]:
    """The probability that each plan is self-enforcing, with Wilson intervals and sensitivity.

    ``chunk_samples`` groups blocks into chunks; ``client`` (a
    ``dask.distributed.Client``) runs the chunks on a cluster, otherwise they
    run in ``processes`` local processes (see :func:`run_plan_chunks`).  The
    result is the same for every choice of the three.  Sensitivity: the
    binned first-order index of :func:`accord.robust.stats.first_order_indices`
    of each uncertain valuation for "the plan is self-enforcing", largest
    first (``top`` shown).
    """
    return start_plans(
        model,
        plans,
        samples=samples,
        seed=seed,
        chunk_samples=chunk_samples,
        bins=bins,
        tol=tol,
        top=top,
        confidence=confidence,
        client=client,
        processes=processes,
    ).result()


def start_plans(
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
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> Started[tuple[PlanRobustness, ...]]:
    """:func:`analyze_plans` set going: the local workers (or the cluster) start sampling now,
    and the handle's ``result()`` is the plans' robustness (see
    :func:`accord.robust.workers.start_seeded_chunks`); the result is the same."""
    if samples <= 0:
        raise ValueError("the number of samples must be positive")
    problem = build_plan_problem(model, plans, bins=bins, tol=tol)
    started = start_seeded_chunks(
        simulate_plan_chunk,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    )
    return started.then(
        lambda tally: _summarise_plans(model, plans, problem, tally, tol, top, confidence)
    )


def _summarise_plans(
    model: ValuationModel,
    plans: Sequence[StagedPlan],
    problem: PlanProblem,
    tally: PlanTally,
    tol: float,
    top: int,
    confidence: float,
) -> tuple[PlanRobustness, ...]:
    k = len(model.parameters)
    index = (
        first_order_indices(tally.bin_counts, tally.bin_hits) if k else np.zeros((len(plans), 0))
    )
    point = model.point[None, :]
    point_fields = sampled_fields(model, point) if model.discount_uncertain else None
    n = len(model.exchange.negotiators)
    out = []
    for p, plan in enumerate(plans):
        at_point = sample_margins(problem.margins[p], point, point_fields, n)
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
                point_self_enforcing=bool(np.all(at_point >= -tol)),
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


analyse_plans = deprecated_alias(analyze_plans, "analyse_plans")
