"""Benchmark of `accord calibrate` (issue 16): 10 issues x 10 options, 3 negotiators, 200 pieces
of evidence, target under 2 s; and sampling 10^5 profiles that agree with the record
(`accord robust --calibrated`'s hit-and-run), target under 10 s.

Run from the repository root::

    PYTHONPATH=src python benchmarks/calibrate.py [--repeat 3] [--flipped 5]

The record is drawn from hidden "true" preferences that differ from the file's estimates, so
many pieces contradict the estimates but all can hold together; ``--flipped K`` then adds
K pairs: a party accepts its worst package (walk-away at most 0) and rejects its best (at
least 1), so that some pieces cannot (the case that needs the mixed-integer programme and the
deletion filter). Each figure is the best of ``--repeat`` runs (the machine is shared). The
reference, from the same run, is one HiGHS solve of the nearest-estimates linear programme of
all three negotiators stacked (the least work any LP-based calibration does); the ratio says
what the evidence checks, the conflicts and the bookkeeping cost on top of it.

Sampling: 10^5 points of each negotiator's evidence-consistent region of the consistent record,
every inner option's value ranging over its whole scale and the weights over the simplex
(set-up and burn-in included, as one chunk of ``accord robust --calibrated`` draws them),
against the robustness engine's plain sampler drawing 10^5 profiles of the same scenario's
estimates, and against the random-direction sampler it replaced (run once: it is slow), all
in the same run; and how fast each mixes (:func:`mixing`). ``--sampling-only`` prints only
these.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

from accord.calibrate import calibrate_scenario
from accord.calibrate.evidence import evidence_of, unknowns_of
from accord.calibrate.solve import Polytope, nearest
from accord.model import Scenario, scenario_from_data

ISSUES, OPTIONS, PARTIES, PROPOSALS = 10, 10, ("a", "b", "c"), 60
RESPONSES, JUDGEMENTS = 40, 20  # per party; with 10 positions each: 3 x 70 = 210 pieces, 200 read


def _profile(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, float]:
    w = rng.random(ISSUES) + 0.1
    v = rng.random((ISSUES, OPTIONS))
    v[:, 0], v[:, -1] = 0.0, 1.0
    return w / w.sum(), v, float(rng.uniform(0.3, 0.6))


def _ranged(v: float, k: int) -> Any:
    """The end options keep their values (they anchor the scale); the others range over it."""
    return v if k in (0, OPTIONS - 1) else {"value": v, "range": [0.0, 1.0]}


def case(seed: int, flipped: int, ranges: bool = False) -> Scenario:
    """A scenario whose record is drawn from hidden preferences (see the module docstring);
    with ``ranges``, every estimate may range as widely as it can (for the sampler)."""
    rng = np.random.default_rng(seed)
    packages = rng.integers(0, OPTIONS, size=(PROPOSALS, ISSUES))
    issues = [
        {"id": f"i{k}", "name": f"I{k}", "options": [f"o{j}" for j in range(OPTIONS)]}
        for k in range(ISSUES)
    ]
    prefs: dict[str, Any] = {}
    proposals: list[dict[str, Any]] = [
        {
            "id": f"p{k}",
            "name": f"P{k}",
            "date": "2026-01-05",
            "by": "a",
            "package": {f"i{i}": f"o{j}" for i, j in enumerate(packages[k])},
            "responses": {},
            "sources": ["s"],
        }
        for k in range(PROPOSALS)
    ]
    judgements, positions = [], []
    for party in PARTIES:
        w, v, r = _profile(rng)  # the file's estimates
        prefs[party] = {
            "weights": {f"i{i}": round(float(w[i]), 4) for i in range(ISSUES)},
            "values": {
                f"i{i}": {f"o{j}": round(float(v[i, j]), 4) for j in range(OPTIONS)}
                for i in range(ISSUES)
            },
            "reservation": round(r, 3),
            "estimate": True,
            "rationale": "generated",
        }
        if ranges:
            prefs[party]["weights_concentration"] = 10
            prefs[party]["reservation"] = {"value": round(r, 3), "range": [0.0, 1.0]}
            for i in range(ISSUES):
                table = prefs[party]["values"][f"i{i}"]
                prefs[party]["values"][f"i{i}"] = {
                    o: _ranged(v, j) for j, (o, v) in enumerate(table.items())
                }
        tw, tv, tr = _profile(rng)  # the hidden truth the record comes from
        utility = (tv[np.arange(ISSUES), packages] * tw).sum(axis=1)
        for k in rng.choice(PROPOSALS, RESPONSES, replace=False):
            verdict = "accepted" if utility[k] >= tr else "rejected"
            proposals[k]["responses"][party] = verdict
        for x, y in rng.choice(PROPOSALS, (JUDGEMENTS, 2)):
            if x != y:
                better, worse = (x, y) if utility[x] >= utility[y] else (y, x)
                judgements.append(
                    {"party": party, "prefers": f"p{better}", "over": f"p{worse}", "sources": ["s"]}
                )
        for i in range(ISSUES):
            best = int(np.argmax(tv[i]))
            positions.append(
                {
                    "party": party,
                    "issue": f"i{i}",
                    "demand": "d",
                    "options": [f"o{best}"],
                    "sources": ["s"],
                }
            )
    for k in range(flipped):  # a party accepts its worst package and rejects its best
        party = PARTIES[k % len(PARTIES)]
        for name, option, verdict in (("worst", 0, "accepted"), ("best", OPTIONS - 1, "rejected")):
            proposals.append(
                {
                    "id": f"{name}{k}",
                    "name": name,
                    "date": "2026-01-05",
                    "by": "a",
                    "package": {f"i{i}": f"o{option}" for i in range(ISSUES)},
                    "responses": {party: verdict},
                    "sources": ["s"],
                }
            )
    n_pieces = sum(len(p["responses"]) for p in proposals) + len(judgements) + len(positions)
    positions = positions[: max(0, len(positions) - (n_pieces - 200))]
    data = {
        "accord": 1,
        "title": "benchmark",
        "sources": [{"id": "s", "outlet": "o", "title": "t", "date": "2026-01-05"}],
        "parties": [{"id": p, "name": p, "role": "negotiator"} for p in PARTIES],
        "issues": issues,
        "positions": positions,
        "preferences": prefs,
        "proposals": proposals,
        "judgements": judgements,
    }
    return scenario_from_data(data).scenario


def _stacked(scenario: Scenario) -> tuple[Polytope, list[Any]]:
    """All negotiators' nearest-estimates programmes as one block-diagonal programme."""
    from scipy.linalg import block_diag

    known = {p: unknowns_of(scenario, p) for p in scenario.preferences}
    pieces = evidence_of(scenario, known)
    polys = [known[p].polytope for p in PARTIES]
    offsets = np.cumsum([0] + [q.size for q in polys])
    total = int(offsets[-1])
    groups = []
    for e in pieces:
        k = PARTIES.index(e.party)
        rows = np.zeros((e.group.rows.shape[0], total))
        rows[:, offsets[k] : offsets[k + 1]] = e.group.rows
        groups.append(type(e.group)(rows, e.group.bounds))
    stacked = Polytope(
        start=np.concatenate([q.start for q in polys]),
        lower=np.concatenate([q.lower for q in polys]),
        upper=np.concatenate([q.upper for q in polys]),
        a_eq=block_diag(*(q.a_eq for q in polys)),
        b_eq=np.concatenate([q.b_eq for q in polys]),
        a_ub=block_diag(*(q.a_ub for q in polys)),
        b_ub=np.concatenate([q.b_ub for q in polys]),
        deviation=block_diag(*(q.deviation for q in polys)),
        cost=np.concatenate([q.cost for q in polys]),
    )
    return stacked, groups


def best_of(repeat: int, run: Any) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--flipped", type=int, default=5)
    parser.add_argument(
        "--sampling-only", action="store_true", help="only the sampling figures (before, now)"
    )
    args = parser.parse_args()
    if args.sampling_only:
        sampling(args.repeat)
        mixing()
        return
    print(
        "10 issues x 10 options, 3 negotiators, 200 pieces of evidence (best of "
        f"{args.repeat}; a shared machine: compare the ratio, not the seconds)"
    )
    print(f"{'record':<28} {'calibrate':>10} {'one LP (ref)':>13} {'ratio':>6}  findings")
    for label, flipped in (
        ("consistent", 0),
        (f"{args.flipped} contrary pairs", args.flipped),
    ):
        scenario = case(0, flipped)
        result = calibrate_scenario(scenario)
        ours = best_of(args.repeat, lambda s=scenario: calibrate_scenario(s))
        stacked, groups = _stacked(scenario)
        reference = best_of(args.repeat, lambda p=stacked, g=groups: nearest(p, g))
        dropped = sum(len(p.conflicts) for p in result.parties)
        print(
            f"{label:<28} {ours:>9.3f}s {reference:>12.3f}s {ours / reference:>6.1f}  "
            f"{result.evidence} pieces, {len(result.contradicted)} contradicted, "
            f"{dropped} dropped, {len(result.changes)} numbers calibrated"
        )
    sampling(args.repeat)
    mixing()


def _random_direction_points(
    region: Any, start: np.ndarray, seed: int, chains: int = 128
) -> Iterator[np.ndarray]:
    """The sampler before (commit 819688c), kept here as the "before" of the same run:
    random-direction hit-and-run, 128 chains, burn-in 10 steps per dimension, then a point of
    every chain every 3 steps, each step a (chains, dimension) @ (dimension, rows) product."""
    from scipy.linalg import null_space

    basis = null_space(region.a_eq)
    to_space = np.ascontiguousarray(basis.T)
    to_rows = np.ascontiguousarray(to_space @ region.a_ub.T)
    dimension = basis.shape[1]
    x = np.tile(start, (chains, 1))
    slack = np.maximum(region.b_ub - x @ region.a_ub.T, 0.0)
    rng = np.random.default_rng(seed)
    step = 0
    while True:
        z = rng.standard_normal((chains, dimension))
        z /= np.linalg.norm(z, axis=1, keepdims=True)
        rate = z @ to_rows
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = slack / rate
        upper = np.min(ratio, axis=1, where=rate > 1e-12, initial=1e3)
        lower = np.max(ratio, axis=1, where=rate < -1e-12, initial=-1e3)
        t = lower + rng.random(chains) * np.maximum(upper - lower, 0.0)
        x = x + (t[:, None] * z) @ to_space
        slack = np.maximum(slack - t[:, None] * rate, 0.0)
        step += 1
        if step >= 10 * dimension and step % 3 == 0:
            yield x


def _autocorrelation_time(series: np.ndarray) -> float:
    """Integrated autocorrelation time of (points, chains) values, in points: 1 + 2 x the sum
    of the autocorrelations up to the first below 0.05 (Sokal's window, simplified)."""
    centred = series - series.mean()
    variance = float((centred * centred).mean())
    tau = 1.0
    for lag in range(1, series.shape[0] // 2):
        r = float((centred[lag:] * centred[:-lag]).mean()) / variance
        if r < 0.05:
            break
        tau += 2 * r
    return tau


def mixing(points: int = 1000) -> None:
    """Cost of one effectively independent point, before and now, for negotiator a: the
    integrated autocorrelation time (in points) of its utility for the sum of every option,
    of its walk-away and of a fixed random combination of its unknowns, times the time a point."""
    from itertools import islice

    from threadpoolctl import threadpool_limits

    from accord.calibrate.region import Chains, region_of
    from accord.calibrate.sampled import BURN_IN, samplers_of

    scenario = case(0, 0, ranges=True)
    u = unknowns_of(scenario, "a")
    region = region_of(scenario, u, [e for e in evidence_of(scenario, {"a": u}) if e.party == "a"])
    (sampler, *_), _ = samplers_of(scenario, PARTIES)
    n = sampler.start.size
    probes = np.vstack(
        [
            sampler.terms.sum(axis=0),
            np.eye(n)[u.reservation_index],
            np.random.default_rng(5).random(n),
        ]
    )

    def measure(stream: Iterator[np.ndarray], chains: int) -> tuple[float, list[float]]:
        start = time.perf_counter()
        series = np.stack([x @ probes.T for x in islice(stream, points)])
        seconds = (time.perf_counter() - start) / (points * chains)
        return seconds, [_autocorrelation_time(series[:, :, k]) for k in range(len(probes))]

    def now() -> Iterator[np.ndarray]:
        chains = Chains.at(sampler.moves, sampler.start, 512)
        rng = np.random.default_rng(1)
        chains.walk(BURN_IN * chains.dimension, rng)
        while True:
            yield chains.walk(sampler.thin, rng)

    with threadpool_limits(limits=1, user_api="blas"):
        rows = [
            (
                "random directions, 3 steps (before)",
                *measure(_random_direction_points(region, sampler.start, 1), 128),
            ),
            (f"coordinates, {sampler.thin} steps (now)", *measure(now(), 512)),
        ]
    print(f"\nmixing, negotiator a, {points} points a chain after burn-in (a shared machine)")
    for label, seconds, taus in rows:
        worst = max(taus)
        print(
            f"  {label:<36} {seconds * 1e6:7.1f} us a point; autocorrelation time "
            + ", ".join(f"{t:.0f}" for t in taus)
            + f" points; {worst * seconds * 1e3:.2f} ms an independent point (worst)"
        )
    print("  (a time near half the points is truncated: the chain mixes slower still)")
    burn_in(sampler, u.reservation_index)


def burn_in(sampler: Any, index: int, groups: int = 16) -> None:
    """What is left of the start: the mean walk-away of each block of ``groups`` groups (as
    `accord robust --calibrated` draws them) against that of 512 chains after 60,000 steps."""
    from threadpoolctl import threadpool_limits

    from accord.calibrate.region import Chains
    from accord.calibrate.sampled import GROUP_BLOCKS, group_points

    with threadpool_limits(limits=1, user_api="blas"):
        blocks = [
            float(x[..., index].mean())
            for x in group_points(sampler, 3, list(range(groups)), GROUP_BLOCKS)
        ]
        chains = Chains.at(sampler.moves, sampler.start, 512)
        rng = np.random.default_rng(9)
        chains.walk(60_000, rng)
        reference = np.concatenate([chains.walk(300, rng)[:, index] for _ in range(40)])
    sd = float(reference.std())
    print(
        f"burn-in: walk-away {float(sampler.start[index]):.4f} at the start; mean of each block "
        f"of {groups} groups minus a long run's ({float(reference.mean()):.4f}), in standard "
        "deviations: " + ", ".join(f"{(b - float(reference.mean())) / sd:+.3f}" for b in blocks)
    )


def sampling(repeat: int, samples: int = 100_000, before: bool = True) -> None:
    """Time 10^5 consistent profiles per negotiator, beside the plain sampler and (``before``)
    the random-direction sampler this one replaced, all in the same run."""
    from itertools import islice

    from threadpoolctl import threadpool_limits

    from accord.calibrate.region import deepest_point, region_of
    from accord.calibrate.sampled import GROUP_BLOCKS, group_points, samplers_of
    from accord.robust.from_scenario import preference_model
    from accord.robust.parameters import BLOCK_SAMPLES, block_generator, sample_block

    scenario = case(0, 0, ranges=True)
    blocks = -(-samples // BLOCK_SAMPLES)
    groups = list(range(-(-blocks // GROUP_BLOCKS)))

    def ours() -> None:
        # as one chunk of `accord robust --calibrated` draws them, the set-up (regions,
        # deepest points, directions) included
        samplers, skipped = samplers_of(scenario, PARTIES)
        assert not skipped
        for s in samplers:
            for _ in group_points(s, 0, groups, min(GROUP_BLOCKS, blocks)):
                pass

    known = {p: unknowns_of(scenario, p) for p in PARTIES}
    pieces = evidence_of(scenario, known)

    def old() -> None:
        for j, party in enumerate(PARTIES):
            region = region_of(scenario, known[party], [e for e in pieces if e.party == party])
            found = deepest_point(region)
            assert found is not None
            for _ in islice(_random_direction_points(region, found[0], j), -(-samples // 128)):
                pass

    model = preference_model(scenario)

    def plain() -> None:
        for block in range(blocks):
            sample_block(model, block_generator(0, block), BLOCK_SAMPLES)

    with threadpool_limits(limits=1, user_api="blas"):
        t_ours, t_plain = best_of(repeat, ours), best_of(repeat, plain)
        t_old = best_of(1, old) if before else float("nan")
    print(
        f"\n{samples:,} consistent profiles x 3 negotiators (best of {repeat}; the machine is "
        "shared: compare the ratios)\n"
        f"  coordinate hit-and-run (now):          {t_ours:7.2f}s  "
        f"{t_ours / t_plain:5.1f} x plain\n"
        f"  random-direction hit-and-run (before): {t_old:7.2f}s  {t_old / t_plain:5.1f} x plain"
        " (one run)\n"
        f"  plain sampler, {samples:,} profiles of all 3: {t_plain:6.2f}s\n"
        f"  before / now: {t_old / t_ours:.1f}"
    )


if __name__ == "__main__":
    main()
