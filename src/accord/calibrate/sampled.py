"""Robustness over the region the record allows (issue 16, item 3: ``accord robust
--calibrated``).

The plain robustness run (:mod:`accord.robust`) samples every estimate from its own
distribution. Here each negotiator with evidence is instead drawn uniformly from its region of
:mod:`accord.calibrate.region` (the estimates' plausible ranges cut down by the record), by
coordinate hit-and-run; a negotiator without evidence is drawn as in the plain run. Both runs
draw the same seeded blocks, analyse every profile with the robustness kernel
(:func:`accord.robust.kernel.evaluate_profiles`), and the conclusions are reported side by side.

Sampling: the blocks of :data:`BLOCK_SAMPLES` profiles come in *groups* of
:data:`GROUP_BLOCKS`. Each group has :data:`CHAINS` chains per calibrated negotiator, started at
the region's deepest point; after a burn-in of ``BURN_IN x dimension`` steps, each chain gives a
point every ``dimension // THIN_SHARE`` steps (a third of a sweep), 16 a block. Points of one
chain are correlated; the shares are averages over many chains and converge as the chains run
(a Markov chain Monte Carlo estimate, not independent draws).

Reproducibility: block ``b`` of ``seed`` draws the plain profiles from the robust engine's own
generator for that block; negotiator ``j``'s directions come from ``SeedSequence(seed,
spawn_key=(STREAM, j))`` (one sequence, shared by every group: the groups step in lockstep) and
the uniforms of group ``g``'s chains from ``SeedSequence(seed, spawn_key=(STREAM, j, g))``.
Every group walks from its own start, so a chunk of blocks (:mod:`accord.robust.workers`)
needs no other chunk, and the integer tallies add exactly: the result depends on ``seed`` and
``samples`` only, never on the worker count, the chunking or the cluster.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.calibrate.evidence import evidence_of, unknowns_of
from accord.calibrate.region import Chains, Moves, deepest_point, moves_of, region_of
from accord.calibrate.solve import Array
from accord.model.schema import Scenario
from accord.processes import sharing_processes
from accord.robust.engine import RobustProblem, build_problem
from accord.robust.kernel import CONCEPTS, Outcomes, evaluate_profiles
from accord.robust.parameters import BLOCK_SAMPLES, PreferenceModel, block_generator, sample_block
from accord.robust.workers import DaskLikeClient, run_seeded_chunks, single_threaded_blas
from accord.space.compiled import CompiledSpace

__all__ = [
    "CalibratedProblem",
    "CalibratedRobustness",
    "CalibratedTally",
    "Sampler",
    "Shift",
    "calibrated_robustness",
    "group_points",
    "samplers_of",
    "simulate_calibrated_chunk",
]

CHAINS = 64
"""Hit-and-run chains per calibrated negotiator and group; each gives 16 points a block."""
GROUP_BLOCKS = 8
"""Blocks per group: its chains burn in once and then give its blocks' points in turn."""
BURN_IN = 30
"""Steps per dimension of the region each chain walks before its first point is used (the
benchmark's walk-away mean is then within 0.05 standard deviations of a long run's in a
group's first block; with 10, 0.1)."""
THIN_SHARE = 3
"""A chain walks ``dimension // THIN_SHARE`` steps (at least 1) between two of its points."""
STREAM = 16
"""First word of the calibrated chains' spawn keys (issue 16): apart from the blocks' keys."""


@dataclass(frozen=True)
class Shift:
    """One conclusion's share of profiles, plain and calibrated."""

    conclusion: str
    uncalibrated: float
    calibrated: float
    change: float


@dataclass(frozen=True)
class CalibratedRobustness:
    """How the robustness conclusions change when profiles must agree with the record.

    ``calibrated``: the negotiators drawn from the record's region; ``not_calibrated``: the
    others, with why (no evidence, or no profile within the plausible ranges agrees with it).
    """

    samples: int
    seed: int
    calibrated: tuple[str, ...]
    not_calibrated: dict[str, str]
    conclusions: tuple[Shift, ...]


@dataclass(frozen=True)
class Sampler:
    """What a chunk needs to draw one negotiator's points: picklable arrays only."""

    index: int
    moves: Moves
    start: Array
    terms: Array  # (features, unknowns): theta = terms @ x
    reservation_index: int

    @property
    def thin(self) -> int:
        """Steps a chain walks between two of its points."""
        return max(1, self.moves.dimension // THIN_SHARE)


def samplers_of(
    scenario: Scenario, negotiators: tuple[str, ...], margin: float = 0.0
) -> tuple[list[Sampler], dict[str, str]]:
    """A sampler for each negotiator the record constrains; why each other one has none."""
    known = {p: unknowns_of(scenario, p) for p in negotiators}
    pieces = evidence_of(scenario, known, margin=margin)
    samplers, skipped = [], {}
    for j, party in enumerate(negotiators):
        mine = [e for e in pieces if e.party == party and e.group.rows.shape[0]]
        if not mine:
            skipped[party] = "no evidence in the record"
            continue
        u = known[party]
        region = region_of(scenario, u, mine)
        found = deepest_point(region)
        if found is None:
            skipped[party] = (
                "no profile within the estimates' plausible ranges agrees with all of its "
                "evidence (see accord calibrate)"
            )
            continue
        terms = np.vstack([u.term[i.id] for i in scenario.issues])
        samplers.append(Sampler(j, moves_of(region), found[0], terms, u.reservation_index))
    return samplers, skipped


def group_points(
    sampler: Sampler, seed: int, groups: Sequence[int], blocks: int
) -> Iterator[Array]:
    """The points of the first ``blocks`` blocks of each of ``groups``, block after block:
    arrays (len(groups), BLOCK_SAMPLES, unknowns). The groups walk together (one array), each
    with its own uniforms, so a group's points never depend on the others it walks with."""
    j = sampler.index
    directions = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM, j)))
    uniforms = [
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(STREAM, j, g)))
        for g in groups
    ]
    chains = Chains.at(sampler.moves, sampler.start, CHAINS * len(groups))
    chains.walk(BURN_IN * chains.dimension, directions, uniforms)
    rounds = BLOCK_SAMPLES // CHAINS
    for _ in range(blocks):
        points = [chains.walk(sampler.thin, directions, uniforms) for _ in range(rounds)]
        # (rounds, groups * chains, n) -> (groups, rounds * chains, n): point r of chain c
        # is profile r * CHAINS + c of its group's block
        stacked = np.stack(points).reshape(rounds, len(groups), CHAINS, -1)
        yield stacked.transpose(1, 0, 2, 3).reshape(len(groups), BLOCK_SAMPLES, -1)


@dataclass(frozen=True)
class CalibratedProblem:
    """What every chunk of a calibrated run needs (scattered once to each worker)."""

    robust: RobustProblem
    samplers: tuple[Sampler, ...]
    conclusions: tuple[str, ...]


@dataclass(frozen=True)
class CalibratedTally:
    """How many profiles of a chunk reach each conclusion, without and with the record:
    integers, so chunks add exactly whatever their grouping."""

    plain: NDArray[np.int64]
    calibrated: NDArray[np.int64]

    def __add__(self, other: CalibratedTally) -> CalibratedTally:
        return CalibratedTally(self.plain + other.plain, self.calibrated + other.calibrated)


def _conclusions(proposal_ids: tuple[str, ...]) -> tuple[str, ...]:
    names = [
        f"{pid} {what}" for pid in proposal_ids for what in ("is in the ZOPA", "is Pareto-optimal")
    ]
    names += [f"the {concept} solution is the point estimates' package" for concept in CONCEPTS]
    return (*names, "the ZOPA is empty")


def _counts(outcomes: Outcomes, point: Outcomes) -> NDArray[np.int64]:
    """How many profiles reach each conclusion, in the order of :func:`_conclusions`."""
    per_proposal = np.stack([outcomes.in_zopa, outcomes.pareto_optimal], axis=2)
    same = outcomes.winners == point.winners[0]
    return np.concatenate(
        [
            per_proposal.sum(axis=0).reshape(-1),
            same.sum(axis=0),
            [outcomes.empty_zopa.sum()],
        ]
    ).astype(np.int64)


def _evaluate(problem: RobustProblem, theta: Array, reservation: Array) -> NDArray[np.int64]:
    out = evaluate_profiles(
        theta, reservation, problem.features, problem.proposal_features, tol=problem.tol
    )
    return _counts(out, problem.point)


def simulate_calibrated_chunk(
    problem: CalibratedProblem, seed: int, first_block: int, n_blocks: int, samples: int
) -> CalibratedTally:
    """Blocks ``first_block .. first_block + n_blocks - 1``, without and with the record.

    The chunk walks every group it touches from the group's start (a chunk that begins inside
    a group walks, without analysing them, the group's earlier blocks), so its blocks are the
    same whatever the chunking."""
    last = min(first_block + n_blocks, -(-samples // BLOCK_SAMPLES))
    groups = list(range(first_block // GROUP_BLOCKS, (last - 1) // GROUP_BLOCKS + 1))
    upto = min(GROUP_BLOCKS, last - groups[0] * GROUP_BLOCKS)
    walks = [group_points(s, seed, groups, upto) for s in problem.samplers]
    n = len(problem.conclusions)
    plain, calibrated = np.zeros(n, np.int64), np.zeros(n, np.int64)
    rp = problem.robust
    with single_threaded_blas():
        for local in range(upto):
            drawn = [next(w) for w in walks]
            for g, group in enumerate(groups):
                block = group * GROUP_BLOCKS + local
                if not first_block <= block < last:
                    continue
                keep = min(BLOCK_SAMPLES, samples - block * BLOCK_SAMPLES)
                profiles = sample_block(rp.model, block_generator(seed, block), BLOCK_SAMPLES)
                theta = profiles.theta[:, :keep].copy()
                reservation = profiles.reservation[:keep].copy()
                plain += _evaluate(rp, theta, reservation)
                for s, x in zip(problem.samplers, drawn, strict=True):
                    theta[s.index] = x[g, :keep] @ s.terms.T
                    reservation[:, s.index] = x[g, :keep, s.reservation_index]
                calibrated += _evaluate(rp, theta, reservation)
    return CalibratedTally(plain, calibrated)


def calibrated_robustness(
    scenario: Scenario,
    space: CompiledSpace,
    model: PreferenceModel,
    *,
    samples: int,
    seed: int = 0,
    margin: float = 0.0,
    client: DaskLikeClient | None = None,
    processes: int | None = None,
    chunk_samples: int | None = None,
) -> CalibratedRobustness:
    """Both runs on ``samples`` profiles (see the module docstring): here, in ``processes``
    local processes or on a Dask ``client``, by :func:`accord.robust.workers.run_seeded_chunks`.

    Any ``chunk_samples`` gives the same result; by default chunks hold whole groups, as many
    as leave two chunks per process (the groups of a chunk walk as one array, which is up to
    four times faster a profile than a group alone).
    """
    if chunk_samples is None:
        groups = -(-samples // (GROUP_BLOCKS * BLOCK_SAMPLES))
        wanted = sharing_processes(processes)
        chunk_samples = GROUP_BLOCKS * BLOCK_SAMPLES * max(1, groups // (2 * wanted))
    robust = build_problem(space, model)
    samplers, skipped = samplers_of(scenario, space.negotiators, margin)
    problem = CalibratedProblem(robust, tuple(samplers), _conclusions(robust.proposal_ids))
    tally = run_seeded_chunks(
        simulate_calibrated_chunk,
        problem,
        samples,
        seed,
        chunk_samples=chunk_samples,
        client=client,
        processes=processes,
    )
    shifts = tuple(
        Shift(
            name,
            round(int(plain) / samples, 6),
            round(int(calibrated) / samples, 6),
            round((int(calibrated) - int(plain)) / samples, 6),
        )
        for name, plain, calibrated in zip(
            problem.conclusions, tally.plain, tally.calibrated, strict=True
        )
    )
    return CalibratedRobustness(
        samples, seed, tuple(space.negotiators[s.index] for s in samplers), skipped, shifts
    )
