"""Robustness over the region the record allows (issue 16, item 3: ``accord robust
--calibrated``).

The plain robustness run (:mod:`accord.robust`) samples every estimate from its own
distribution. Here each negotiator with evidence is instead drawn uniformly from its region of
:mod:`accord.calibrate.region` (the estimates' plausible ranges cut down by the record), by
hit-and-run; a negotiator without evidence is drawn as in the plain run. Both runs draw the
same seeded blocks, analyse every profile with the robustness kernel
(:func:`accord.robust.kernel.evaluate_profiles`), and the conclusions are reported side by side.

Sampling: each calibrated negotiator runs :data:`CHAINS` hit-and-run chains from the region's
deepest point; after a burn-in of ``BURN_IN x dimension`` steps, each chain gives a point every
:data:`THIN` steps, 8 a block, so one block's 1,024 profiles are 8 points of each of 128
chains. Points of one chain are correlated (the thinning is light, for speed); the shares are
averages over 128 independent chains and converge as the chains run (a Markov chain Monte Carlo
estimate, not independent draws).

Reproducibility: block ``b`` of ``seed`` draws the plain profiles from the robust engine's own
generator for that block, and negotiator ``j``'s chains use ``SeedSequence(seed,
spawn_key=(1 + j,))``, walked block after block in this process, so the result depends on
``seed`` and ``samples`` only: no worker count or chunking enters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.calibrate.evidence import Unknowns, evidence_of, unknowns_of
from accord.calibrate.region import Chains, deepest_point, region_of
from accord.calibrate.solve import Array
from accord.model.schema import Scenario
from accord.robust.engine import build_problem
from accord.robust.kernel import CONCEPTS, evaluate_profiles
from accord.robust.parameters import BLOCK_SAMPLES, PreferenceModel, block_generator, sample_block
from accord.space.compiled import CompiledSpace

__all__ = ["CalibratedRobustness", "Shift", "calibrated_robustness"]

CHAINS = 128
"""Hit-and-run chains per calibrated negotiator; each gives 8 points a block."""
BURN_IN = 10
"""Steps per dimension of the region each chain walks before its first point is used."""
THIN = 3
"""Steps a chain walks between two of its points."""


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
class _Sampler:
    index: int
    unknowns: Unknowns
    chains: Chains
    terms: Array  # (features, unknowns): theta = terms @ x


def _samplers(
    scenario: Scenario, space: CompiledSpace, margin: float
) -> tuple[list[_Sampler], dict[str, str]]:
    known = {p: unknowns_of(scenario, p) for p in space.negotiators}
    pieces = evidence_of(scenario, known, margin=margin)
    samplers, skipped = [], {}
    for j, party in enumerate(space.negotiators):
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
        chains = Chains.start(region, found[0], CHAINS)
        samplers.append(_Sampler(j, u, chains, terms))
    return samplers, skipped


def _shares(outcomes: object, point: object, ids: tuple[str, ...]) -> dict[str, float]:
    out = {}
    for q, pid in enumerate(ids):
        out[f"{pid} is in the ZOPA"] = float(outcomes.in_zopa[:, q].mean())  # type: ignore[attr-defined]
        out[f"{pid} is Pareto-optimal"] = float(outcomes.pareto_optimal[:, q].mean())  # type: ignore[attr-defined]
    for c, concept in enumerate(CONCEPTS):
        same = outcomes.winners[:, c] == point.winners[0, c]  # type: ignore[attr-defined]
        out[f"the {concept} solution is the point estimates' package"] = float(same.mean())
    out["the ZOPA is empty"] = float(outcomes.empty_zopa.mean())  # type: ignore[attr-defined]
    return out


def calibrated_robustness(
    scenario: Scenario,
    space: CompiledSpace,
    model: PreferenceModel,
    *,
    samples: int,
    seed: int = 0,
    margin: float = 0.0,
) -> CalibratedRobustness:
    """Both runs on ``samples`` profiles (see the module docstring)."""
    problem = build_problem(space, model)
    samplers, skipped = _samplers(scenario, space, margin)
    rngs = [
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1 + s.index,)))
        for s in samplers
    ]
    for s, rng in zip(samplers, rngs, strict=True):
        s.chains.walk(BURN_IN * s.chains.dimension, rng)
    plain_counts: dict[str, float] = {}
    calibrated_counts: dict[str, float] = {}
    blocks = -(-samples // BLOCK_SAMPLES)
    for block in range(blocks):
        keep = min(BLOCK_SAMPLES, samples - block * BLOCK_SAMPLES)
        drawn = sample_block(model, block_generator(seed, block), BLOCK_SAMPLES)
        theta, reservation = drawn.theta[:, :keep].copy(), drawn.reservation[:keep].copy()
        plain = evaluate_profiles(
            theta, reservation, problem.features, problem.proposal_features, tol=problem.tol
        )
        for s, rng in zip(samplers, rngs, strict=True):
            rounds = BLOCK_SAMPLES // CHAINS
            x = np.vstack([s.chains.walk(THIN, rng) for _ in range(rounds)])[:keep]
            theta[s.index] = x @ s.terms.T
            reservation[:, s.index] = x[:, s.unknowns.reservation_index]
        calibrated = evaluate_profiles(
            theta, reservation, problem.features, problem.proposal_features, tol=problem.tol
        )
        for counts, outcome in ((plain_counts, plain), (calibrated_counts, calibrated)):
            for name, share in _shares(outcome, problem.point, problem.proposal_ids).items():
                counts[name] = counts.get(name, 0.0) + share * keep
    shifts = tuple(
        Shift(
            name,
            round(plain_counts[name] / samples, 6),
            round(calibrated_counts[name] / samples, 6),
            round((calibrated_counts[name] - plain_counts[name]) / samples, 6),
        )
        for name in plain_counts
    )
    return CalibratedRobustness(
        samples, seed, tuple(space.negotiators[s.index] for s in samplers), skipped, shifts
    )
