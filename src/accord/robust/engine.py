"""Monte Carlo robustness of a negotiation's conclusions, in reproducible chunks.

The work is split into seeded blocks of :data:`BLOCK_SAMPLES` profiles; block
``b`` draws its profiles from ``SeedSequence(seed).spawn(...)[b]`` alone.  A
chunk is a run of consecutive blocks: chunks may be computed in any order, on
any worker, in any grouping, and the tallies they return are integer counts
added exactly, so the result depends only on ``seed`` and ``samples``.

Extension point: any further yes/no conclusion about a sampled preference
profile is an :class:`Indicator`; pass them to :func:`build_problem` and they
are counted, given intervals and included in the sensitivity ranking like the
built-in ones.  Phased plans depend on the valuations, not on the preference
profiles, so they have their own sampler: :mod:`accord.robust.plans`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.deprecation import deprecated_alias
from accord.robust.kernel import CONCEPTS as SOLUTION_NAMES
from accord.robust.kernel import DEFAULT_TOL, Outcomes, evaluate_profiles
from accord.robust.parameters import (
    BLOCK_SAMPLES,
    PreferenceModel,
    Profiles,
    block_generator,
    sample_block,
)
from accord.robust.summary import (
    ProposalRobustness,
    RobustnessReport,
    SensitivityRanking,
    SolutionOutcome,
    SolutionRobustness,
    summarise,
)
from accord.robust.workers import (
    DaskLikeClient,
    Started,
    run_seeded_chunks,
    single_threaded_blas,
    start_seeded_chunks,
)
from accord.space.compiled import CompiledSpace

__all__ = [
    "ChunkTally",
    "Indicator",
    "ProposalRobustness",
    "RobustProblem",
    "RobustnessReport",
    "SensitivityRanking",
    "SolutionOutcome",
    "SolutionRobustness",
    "analyze_robustness",
    "build_problem",
    "feasible_packages",
    "run_chunks",
    "simulate_chunk",
    "start_robustness",
    "summarise",
]


@dataclass(frozen=True)
class Indicator:
    """A further yes/no conclusion evaluated on every sampled profile.

    ``evaluate`` receives the sampled :class:`Profiles` and returns a boolean
    array (samples,).  It runs wherever the chunks run (worker processes, Dask workers), so it
    must be picklable: a module-level function (or a ``functools.partial`` of one), not a
    lambda or a nested function; anything else is refused here, with the reason.
    """

    name: str
    evaluate: Callable[[Profiles], NDArray[np.bool_]]

    def __post_init__(self) -> None:
        try:
            pickle.dumps(self.evaluate)
        except (pickle.PicklingError, AttributeError, TypeError) as e:
            raise TypeError(
                f"indicator {self.name!r}: evaluate must be picklable, to reach worker processes "
                f"and Dask workers (a module-level function, not a lambda or a nested function): "
                f"{e}"
            ) from None


def feasible_packages(space: CompiledSpace, max_packages: int = 2_000_000) -> NDArray[np.intp]:
    """Every feasible package, (K, issues) option indices in lexicographic order.

    Raises ValueError when the unconstrained product exceeds ``max_packages``:
    the robustness analysis evaluates every package in every sample.
    """
    total = space.n_packages_unconstrained
    if total > max_packages:
        raise ValueError(
            f"the agreement space has {total:,} packages; the robustness analysis evaluates "
            f"every package in every sample and is limited to {max_packages:,}"
        )
    grid = np.indices(space.shape, dtype=np.intp).reshape(len(space.shape), -1).T
    return grid[space.is_feasible(grid)] if space.forbidden else grid


def indicator_matrix(sizes: Sequence[int], packages: NDArray[np.intp]) -> NDArray[np.float32]:
    """The (features, K) one-hot matrix of packages given as option indices."""
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.intp)
    x = np.zeros((int(sum(sizes)), packages.shape[0]), dtype=np.float32)
    x[packages + offsets, np.arange(packages.shape[0])[:, None]] = 1.0
    return x


@dataclass(frozen=True)
class RobustProblem:
    """Everything a worker needs to simulate a chunk (picklable, arrays only)."""

    model: PreferenceModel
    packages: NDArray[np.intp]
    features: NDArray[np.float32]
    proposal_ids: tuple[str, ...]
    proposal_packages: NDArray[np.intp]
    proposal_features: NDArray[np.float32]
    proposal_feasible: tuple[bool, ...]
    point: Outcomes
    point_extra: tuple[bool, ...]
    indicators: tuple[Indicator, ...]
    targets: tuple[str, ...]
    bins: int
    tol: float
    uncertain: NDArray[np.intp] = field(repr=False)

    @property
    def n_packages(self) -> int:
        return int(self.packages.shape[0])


def build_problem(
    space: CompiledSpace,
    model: PreferenceModel,
    *,
    tol: float = DEFAULT_TOL,
    bins: int = 20,
    indicators: Iterable[Indicator] = (),
    max_packages: int = 2_000_000,
) -> RobustProblem:
    """Prepare the arrays of a robustness run from a compiled space and its uncertainty."""
    if model.sizes != space.shape:
        raise ValueError(f"the model's issues {model.sizes} do not match the space {space.shape}")
    if model.parties != space.negotiators:
        raise ValueError("the model's negotiators are not the space's, in the same order")
    packages = feasible_packages(space, max_packages)
    if packages.shape[0] == 0:
        raise ValueError("no package satisfies the constraints")
    features = indicator_matrix(space.shape, packages)
    proposal_ids = tuple(pid for pid, _ in space.proposals)
    proposal_packages = np.array([list(p) for _, p in space.proposals], dtype=np.intp).reshape(
        len(proposal_ids), len(space.shape)
    )
    proposal_features = indicator_matrix(space.shape, proposal_packages)
    feasible = tuple(bool(f) for f in space.is_feasible(proposal_packages)) if proposal_ids else ()
    extras = tuple(indicators)
    point_profiles = model.point_profiles()
    point = evaluate_profiles(
        point_profiles.theta, point_profiles.reservation, features, proposal_features, tol=tol
    )
    point_extra = tuple(bool(ind.evaluate(point_profiles)[0]) for ind in extras)
    targets = (
        *(f"{pid} is in the ZOPA" for pid in proposal_ids),
        *(f"{pid} is Pareto-optimal" for pid in proposal_ids),
        *(f"the {c} solution is the point estimates' package" for c in SOLUTION_NAMES),
        "the ZOPA is empty",
        *(ind.name for ind in extras),
    )
    uncertain = model.uncertain_indices()
    return RobustProblem(
        model=model,
        packages=packages,
        features=features,
        proposal_ids=proposal_ids,
        proposal_packages=proposal_packages,
        proposal_features=proposal_features,
        proposal_feasible=feasible,
        point=point,
        point_extra=point_extra,
        indicators=extras,
        targets=targets,
        bins=bins,
        tol=tol,
        uncertain=uncertain,
    )


@dataclass(frozen=True)
class ChunkTally:
    """Integer counts from a run of samples; tallies add exactly."""

    samples: int
    empty: int
    in_zopa: NDArray[np.int64]
    pareto: NDArray[np.int64]
    prefers: NDArray[np.int64]
    winners: NDArray[np.int64]
    targets: NDArray[np.int64]
    bin_counts: NDArray[np.int64]
    bin_hits: NDArray[np.int64]

    def __add__(self, other: ChunkTally) -> ChunkTally:
        return ChunkTally(
            self.samples + other.samples,
            self.empty + other.empty,
            self.in_zopa + other.in_zopa,
            self.pareto + other.pareto,
            self.prefers + other.prefers,
            self.winners + other.winners,
            self.targets + other.targets,
            self.bin_counts + other.bin_counts,
            self.bin_hits + other.bin_hits,
        )


def _target_matrix(problem: RobustProblem, out: Outcomes, profiles: Profiles) -> NDArray[np.bool_]:
    point_winners = problem.point.winners[0]
    columns = [
        out.in_zopa,
        out.pareto_optimal,
        out.winners == point_winners[None, :],
        out.empty_zopa[:, None],
    ]
    for ind in problem.indicators:
        columns.append(np.asarray(ind.evaluate(profiles), dtype=bool)[:, None])
    return np.concatenate(columns, axis=1)


def _bin_hits(
    targets: NDArray[np.bool_], cells: NDArray[np.intp], n_cells: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Samples per cell, and per conclusion the samples in each cell where it holds.

    ``targets`` (S, T) says which conclusions hold in each sample; ``cells`` (S, P)
    gives each sample's cell for each of P parameters (one cell per parameter and
    bin).  Returns ``counts`` (n_cells,) and ``hits`` (T, n_cells), exact integers.
    Each conclusion counts the cells of the samples on its rarer side (where it
    holds, or where it fails, subtracted from ``counts``): most conclusions are
    nearly always or nearly never true, so this reads few samples.
    """
    counts = np.bincount(cells.ravel(), minlength=n_cells).astype(np.int64)
    hits = np.empty((targets.shape[1], n_cells), dtype=np.int64)
    for t in range(targets.shape[1]):
        holds = targets[:, t]
        if 2 * int(np.count_nonzero(holds)) <= holds.size:
            hits[t] = np.bincount(cells[holds].ravel(), minlength=n_cells)
        else:
            hits[t] = counts - np.bincount(cells[~holds].ravel(), minlength=n_cells)
    return counts, hits


def _tally(problem: RobustProblem, out: Outcomes, profiles: Profiles) -> ChunkTally:
    size = profiles.size
    k = problem.n_packages
    winners = np.stack(
        [np.bincount(np.where(w < 0, k, w), minlength=k + 1) for w in out.winners.T]
    ).astype(np.int64)
    targets = _target_matrix(problem, out, profiles)
    # sensitivity: samples per (parameter, bin), and per conclusion
    bins = problem.bins
    cols = problem.uncertain
    n_unc = cols.size
    q = profiles.quantiles[:, cols]
    b = np.minimum((q * bins).astype(np.intp), bins - 1)
    flat = b + np.arange(n_unc, dtype=np.intp) * bins
    bin_counts, hits = _bin_hits(targets, flat, n_unc * bins)
    return ChunkTally(
        samples=size,
        empty=int(out.empty_zopa.sum()),
        in_zopa=out.in_zopa.sum(axis=0, dtype=np.int64),
        pareto=out.pareto_optimal.sum(axis=0, dtype=np.int64),
        prefers=out.prefers.sum(axis=1, dtype=np.int64),
        winners=winners,
        targets=targets.sum(axis=0, dtype=np.int64),
        bin_counts=bin_counts.reshape(n_unc, bins),
        bin_hits=hits.reshape(len(problem.targets), n_unc, bins),
    )


def simulate_chunk(
    problem: RobustProblem, seed: int, first_block: int, n_blocks: int, samples: int
) -> ChunkTally:
    """Sample and analyse blocks ``first_block .. first_block + n_blocks - 1``.

    Each block draws :data:`BLOCK_SAMPLES` profiles from its own generator
    (:func:`block_generator`) and keeps the first ones up to ``samples`` in all,
    so a block's profiles never depend on the chunking.
    """
    parts: list[Profiles] = []
    for block in range(first_block, first_block + n_blocks):
        keep = min(BLOCK_SAMPLES, samples - block * BLOCK_SAMPLES)
        if keep <= 0:
            break
        drawn = sample_block(problem.model, block_generator(seed, block), BLOCK_SAMPLES)
        parts.append(
            Profiles(drawn.theta[:, :keep], drawn.reservation[:keep], drawn.quantiles[:keep])
        )
    if not parts:
        raise ValueError("the chunk holds no samples")
    # one analysis for the whole chunk: its buffers are allocated once
    profiles = Profiles(
        np.concatenate([p.theta for p in parts], axis=1),
        np.concatenate([p.reservation for p in parts]),
        np.concatenate([p.quantiles for p in parts]),
    )
    out = evaluate_profiles(
        profiles.theta,
        profiles.reservation,
        problem.features,
        problem.proposal_features,
        tol=problem.tol,
    )
    return _tally(problem, out, profiles)


def _simulate_chunk_on_worker(
    problem: RobustProblem, seed: int, first_block: int, n_blocks: int, samples: int
) -> ChunkTally:
    """:func:`simulate_chunk` with a single-threaded BLAS, as a worker runs it."""
    with single_threaded_blas():
        return simulate_chunk(problem, seed, first_block, n_blocks, samples)


def run_chunks(
    problem: RobustProblem,
    samples: int,
    seed: int,
    *,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> ChunkTally:
    """Tally ``samples`` profiles: in this process, in local processes, or on a Dask cluster.

    :func:`run_seeded_chunks` with :func:`simulate_chunk` (each chunk with a
    single-threaded BLAS); the tally is the same whatever ``chunk_samples``,
    ``processes`` or ``client``.
    """
    return run_seeded_chunks(
        _simulate_chunk_on_worker,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    )


def analyze_robustness(
    space: CompiledSpace,
    model: PreferenceModel,
    *,
    samples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    top: int = 5,
    tol: float = DEFAULT_TOL,
    bins: int = 20,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
    indicators: Iterable[Indicator] = (),
) -> RobustnessReport:
    """Which conclusions about a negotiation hold across plausible preference profiles.

    Samples ``samples`` profiles from ``model`` (reproducibly from ``seed``),
    analyses each over every feasible package of ``space`` (see
    :mod:`accord.robust.kernel`), and reports each conclusion's probability with
    a Wilson interval, the distribution of each solution concept's package, and
    the estimates ranked by their first-order sensitivity index for every
    conclusion that varies.  ``client`` (a ``dask.distributed.Client``) runs
    the chunks on a cluster; otherwise ``processes`` processes share them, this
    one and ``processes - 1`` local workers (default: one per core; 1 runs them
    all in this process).  The result
    is identical for every choice of ``chunk_samples``, ``client`` and ``processes``.
    """
    return start_robustness(
        space,
        model,
        samples=samples,
        seed=seed,
        confidence=confidence,
        top=top,
        tol=tol,
        bins=bins,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
        indicators=indicators,
    ).result()


def start_robustness(
    space: CompiledSpace,
    model: PreferenceModel,
    *,
    samples: int = 10_000,
    seed: int = 0,
    confidence: float = 0.95,
    top: int = 5,
    tol: float = DEFAULT_TOL,
    bins: int = 20,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
    indicators: Iterable[Indicator] = (),
) -> Started[RobustnessReport]:
    """:func:`analyze_robustness` set going: the local workers (or the cluster) start sampling
    now, and the handle's ``result()`` is the report (this process takes its share of the
    chunks then, see :func:`accord.robust.workers.start_seeded_chunks`); ``cancel()`` stops
    the run.  The report is the same as :func:`analyze_robustness`'s."""
    problem = build_problem(space, model, tol=tol, bins=bins, indicators=indicators)
    started = start_seeded_chunks(
        _simulate_chunk_on_worker,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    )
    return started.then(
        lambda tally: summarise(problem, space, tally, seed=seed, confidence=confidence, top=top)
    )


analyse_robustness = deprecated_alias(analyze_robustness, "analyse_robustness")
