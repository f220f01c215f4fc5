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

import contextlib
import math
import multiprocessing as mp
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped,import-not-found,unused-ignore]

from accord.deprecation import deprecated_alias
from accord.robust.kernel import CONCEPTS as SOLUTION_CONCEPTS
from accord.robust.kernel import DEFAULT_TOL, Outcomes, evaluate_profiles
from accord.robust.parameters import (
    BLOCK_SAMPLES,
    PreferenceModel,
    Profiles,
    block_generator,
    sample_block,
)
from accord.robust.stats import Probability, first_order_indices, null_index_level
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
    "chunk_plan",
    "feasible_packages",
    "run_chunks",
    "run_seeded_chunks",
    "simulate_chunk",
    "single_threaded_blas",
    "summarise",
]

SENSITIVITY_METHOD = (
    "first-order variance-based (Sobol') index S_i = Var(E[Y|X_i]) / Var(Y) of each "
    "yes/no conclusion Y, estimated by binning each estimate X_i into bins of equal "
    "probability (Saltelli et al. 2008, Global Sensitivity Analysis: The Primer, 1.2.5)"
)
INTERVAL_METHOD = "Wilson score interval (Wilson 1927, JASA 22)"


@dataclass(frozen=True)
class Indicator:
    """A further yes/no conclusion evaluated on every sampled profile.

    ``evaluate`` receives the sampled :class:`Profiles` and returns a boolean
    array (samples,).  Local runs accept any callable; on a Dask cluster it must be picklable (a
    module-level function, not a lambda).
    """

    name: str
    evaluate: Callable[[Profiles], NDArray[np.bool_]]


class DaskLikeClient(Protocol):
    def scatter(self, data: Any, broadcast: bool = ...) -> Any: ...
    def submit(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any: ...
    def gather(self, futures: Any) -> Any: ...


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
        *(f"the {c} solution is the point estimates' package" for c in SOLUTION_CONCEPTS),
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


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Run BLAS on one thread while chunks run in parallel.

    The kernel's matrix products are small (a tile of samples); a multi-threaded
    BLAS spends more on synchronising its threads than on the product, badly so
    on a shared machine (measured: 393 s instead of 80 s end to end on 2 cores).
    Parallelism comes from chunks instead.  ``threadpoolctl`` is a required
    dependency, imported at the top of the module, so a broken install fails
    loudly rather than running several times slower.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _simulate_chunk_on_worker(
    problem: RobustProblem, seed: int, first_block: int, n_blocks: int, samples: int
) -> ChunkTally:
    """:func:`simulate_chunk` with a single-threaded BLAS, as run on a Dask worker."""
    with single_threaded_blas():
        return simulate_chunk(problem, seed, first_block, n_blocks, samples)


class SupportsTallyAdd(Protocol):
    """A chunk's tally: integer counts that add exactly, whatever the grouping."""

    def __add__(self, other: Any, /) -> Any: ...


TallyT = TypeVar("TallyT", bound=SupportsTallyAdd)

ChunkSimulator = Callable[[Any, int, int, int, int], TallyT]
"""``simulate(problem, seed, first_block, n_blocks, samples)``: one chunk's tally,
with a single-threaded BLAS; a module-level function, so Dask can pickle it."""

_FORKED: list[tuple[Callable[..., Any], Any]] = []
"""The simulator and problem a forked local worker inherits (set just before the
fork): indicators may be closures, which cannot be pickled, and inheriting avoids
copying the arrays."""


def _simulate_forked(seed: int, first_block: int, n_blocks: int, samples: int) -> Any:
    simulate, problem = _FORKED[-1]
    return simulate(problem, seed, first_block, n_blocks, samples)


def chunk_plan(samples: int, chunk_samples: int) -> list[tuple[int, int]]:
    """(first block, number of blocks) of each chunk; chunks hold whole blocks."""
    if samples <= 0:
        raise ValueError("the number of samples must be positive")
    blocks = math.ceil(samples / BLOCK_SAMPLES)
    per_chunk = max(1, chunk_samples // BLOCK_SAMPLES)
    return [(b, min(per_chunk, blocks - b)) for b in range(0, blocks, per_chunk)]


def run_seeded_chunks(
    simulate: ChunkSimulator[TallyT],
    problem: Any,
    samples: int,
    seed: int,
    *,
    chunk_samples: int | None = None,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
) -> TallyT:
    """Tally ``samples`` seeded samples of ``problem``: here, in local processes, or on Dask.

    Chunks are runs of whole seeded blocks (:func:`chunk_plan`) and their
    tallies add exactly, so the total is the same whatever ``chunk_samples``,
    ``processes`` or ``client``.  ``client`` (a ``dask.distributed.Client``)
    receives the problem once (broadcast); otherwise chunks run in
    ``processes`` forked processes (default: one per core when there is more
    than one chunk; 1 runs them here).  By default chunks hold up to 16
    blocks, fewer when that gives each process at least two chunks.
    """
    wanted = processes if processes is not None else (os.cpu_count() or 1)
    if chunk_samples is None:
        blocks = math.ceil(samples / BLOCK_SAMPLES)
        chunk_samples = BLOCK_SAMPLES * max(1, min(16, blocks // (2 * wanted)))
    plan = chunk_plan(samples, chunk_samples)
    parts: list[TallyT]
    if client is not None:
        shared = client.scatter(problem, broadcast=True)
        futures = [
            client.submit(simulate, shared, seed, first, count, samples, pure=False)
            for first, count in plan
        ]
        parts = client.gather(futures)
    else:
        workers = min(len(plan), wanted)
        if workers > 1 and "fork" in mp.get_all_start_methods():
            _FORKED.append((simulate, problem))
            try:
                with ProcessPoolExecutor(
                    max_workers=workers, mp_context=mp.get_context("fork")
                ) as pool:
                    local = [
                        pool.submit(_simulate_forked, seed, first, count, samples)
                        for first, count in plan
                    ]
                    parts = [f.result() for f in local]
            finally:
                _FORKED.pop()
        else:
            parts = [simulate(problem, seed, first, count, samples) for first, count in plan]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


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


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposalRobustness:
    """How a proposal fares across sampled preference profiles."""

    id: str
    feasible: bool
    point_in_zopa: bool
    in_zopa: Probability
    point_pareto_optimal: bool
    pareto_optimal: Probability
    preferred: dict[str, dict[str, Probability]]
    """``preferred[negotiator][other]``: the negotiator strictly prefers this proposal."""


@dataclass(frozen=True)
class SolutionOutcome:
    """One package that a solution concept picks in some samples."""

    package: dict[str, str | float]
    probability: Probability
    is_point_solution: bool


@dataclass(frozen=True)
class SolutionRobustness:
    """The distribution of one solution concept's package across samples."""

    concept: str
    point_package: dict[str, str | float] | None
    same_as_point: Probability
    no_agreement: Probability
    distinct_packages: int
    top: tuple[SolutionOutcome, ...]
    by_issue: dict[str, dict[str, Probability]]
    """``by_issue[issue][option]``: how often the solution gives the issue that option.

    In a large space the exact package rarely repeats across profiles; what
    the solution says issue by issue usually does.  Options are keyed as the
    scenario file writes them (a numeric option as its number, in text)."""


@dataclass(frozen=True)
class SensitivityEntry:
    parameter: str
    index: float


@dataclass(frozen=True)
class SensitivityRanking:
    """Which estimates move one yes/no conclusion most."""

    conclusion: str
    probability: Probability
    varies: bool
    ranking: tuple[SensitivityEntry, ...]


@dataclass(frozen=True)
class RobustnessReport:
    """The result of :func:`analyze_robustness` (serialise with ``to_jsonable``)."""

    negotiators: tuple[str, ...]
    samples: int
    seed: int
    packages: int
    uncertain_estimates: int
    confidence: float
    tolerance: float
    interval_method: str
    sensitivity_method: str
    sensitivity_noise_level: float
    empty_zopa: Probability
    proposals: tuple[ProposalRobustness, ...]
    solutions: dict[str, SolutionRobustness]
    sensitivity: tuple[SensitivityRanking, ...]
    extra: dict[str, Probability]


def summarise(
    problem: RobustProblem,
    space: CompiledSpace,
    tally: ChunkTally,
    *,
    seed: int,
    confidence: float = 0.95,
    top: int = 5,
) -> RobustnessReport:
    """Turn a tally into probabilities, intervals, distributions and rankings."""
    n = tally.samples

    def prob(k: int | np.integer) -> Probability:
        return Probability.from_counts(int(k), n, confidence)

    negotiators = space.negotiators
    proposals = []
    for q, pid in enumerate(problem.proposal_ids):
        preferred = {
            neg: {
                other: prob(tally.prefers[j, q, r])
                for r, other in enumerate(problem.proposal_ids)
                if r != q
            }
            for j, neg in enumerate(negotiators)
        }
        proposals.append(
            ProposalRobustness(
                id=pid,
                feasible=problem.proposal_feasible[q],
                point_in_zopa=bool(problem.point.in_zopa[0, q]),
                in_zopa=prob(tally.in_zopa[q]),
                point_pareto_optimal=bool(problem.point.pareto_optimal[0, q]),
                pareto_optimal=prob(tally.pareto[q]),
                preferred=preferred,
            )
        )
    k = problem.n_packages
    solutions = {}
    for c, concept in enumerate(SOLUTION_CONCEPTS):
        counts = tally.winners[c, :k]
        point_index = int(problem.point.winners[0, c])
        order = np.lexsort((np.arange(k), -counts))[:top]
        shown = tuple(
            SolutionOutcome(
                package=space.package_dict(problem.packages[i]),
                probability=prob(counts[i]),
                is_point_solution=int(i) == point_index,
            )
            for i in order
            if counts[i] > 0
        )
        by_issue: dict[str, dict[str, Probability]] = {}
        for i, issue in enumerate(space.issues):
            per_option = np.bincount(problem.packages[:, i], weights=counts, minlength=issue.size)
            by_issue[issue.id] = {
                str(issue.value_of(o)): prob(round(float(per_option[o])))
                for o in np.argsort(-per_option, kind="stable")
                if per_option[o] > 0
            }
        same = tally.winners[c, point_index] if point_index >= 0 else tally.winners[c, k]
        solutions[concept] = SolutionRobustness(
            concept=concept,
            point_package=space.package_dict(problem.packages[point_index])
            if point_index >= 0
            else None,
            same_as_point=prob(same),
            no_agreement=prob(tally.winners[c, k]),
            distinct_packages=int(np.count_nonzero(counts)),
            top=shown,
            by_issue=by_issue,
        )
    names = [problem.model.parameters()[i].name for i in problem.uncertain]
    indices = first_order_indices(tally.bin_counts, tally.bin_hits) if names else None
    sensitivity = []
    for t, conclusion in enumerate(problem.targets):
        p = prob(tally.targets[t])
        varies = 0 < tally.targets[t] < n
        ranking: tuple[SensitivityEntry, ...] = ()
        if varies and indices is not None:
            row = indices[t]
            order = np.lexsort((np.arange(len(names)), -np.nan_to_num(row, nan=-1.0)))
            ranking = tuple(SensitivityEntry(names[i], float(row[i])) for i in order)
        sensitivity.append(SensitivityRanking(conclusion, p, bool(varies), ranking))
    n_builtin = len(problem.targets) - len(problem.indicators)
    extra = {
        ind.name: prob(tally.targets[n_builtin + i]) for i, ind in enumerate(problem.indicators)
    }
    return RobustnessReport(
        negotiators=negotiators,
        samples=n,
        seed=seed,
        packages=k,
        uncertain_estimates=len(names),
        confidence=confidence,
        tolerance=problem.tol,
        interval_method=INTERVAL_METHOD,
        sensitivity_method=SENSITIVITY_METHOD,
        sensitivity_noise_level=null_index_level(problem.bins, n),
        empty_zopa=prob(tally.empty),
        proposals=tuple(proposals),
        solutions=solutions,
        sensitivity=tuple(sensitivity),
        extra=extra,
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
    the chunks on a cluster; otherwise they run in ``processes`` local
    processes (default: one per core; 1 runs them in this process).  The result
    is identical for every choice of ``chunk_samples``, ``client`` and ``threads``.
    """
    problem = build_problem(space, model, tol=tol, bins=bins, indicators=indicators)
    tally = run_chunks(
        problem, samples, seed, chunk_samples=chunk_samples, client=client, processes=processes
    )
    return summarise(problem, space, tally, seed=seed, confidence=confidence, top=top)


analyse_robustness = deprecated_alias(analyze_robustness, "analyse_robustness")
