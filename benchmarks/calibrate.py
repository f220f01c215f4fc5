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
(burn-in included), against the robustness engine's plain sampler drawing 10^5 profiles of the
same scenario's estimates in the same run.
"""

from __future__ import annotations

import argparse
import time
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
    args = parser.parse_args()
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


def sampling(repeat: int, samples: int = 100_000) -> None:
    """Time 10^5 consistent profiles per negotiator, beside the plain sampler."""
    from threadpoolctl import threadpool_limits

    from accord.calibrate.region import Chains, deepest_point, region_of
    from accord.calibrate.sampled import BURN_IN, CHAINS, THIN
    from accord.robust.from_scenario import preference_model
    from accord.robust.parameters import BLOCK_SAMPLES, block_generator, sample_block

    scenario = case(0, 0, ranges=True)
    known = {p: unknowns_of(scenario, p) for p in PARTIES}
    pieces = evidence_of(scenario, known)

    def ours() -> None:
        for j, party in enumerate(PARTIES):
            region = region_of(scenario, known[party], [e for e in pieces if e.party == party])
            found = deepest_point(region)
            assert found is not None
            chains = Chains.start(region, found[0], CHAINS)
            rng = np.random.default_rng(np.random.SeedSequence(0, spawn_key=(1 + j,)))
            chains.walk(BURN_IN * chains.dimension, rng)
            for _ in range(-(-samples // CHAINS)):
                chains.walk(THIN, rng)

    model = preference_model(scenario)

    def plain() -> None:
        for block in range(-(-samples // BLOCK_SAMPLES)):
            sample_block(model, block_generator(0, block), BLOCK_SAMPLES)

    with threadpool_limits(limits=1, user_api="blas"):
        t_ours, t_plain = best_of(repeat, ours), best_of(repeat, plain)
    print(
        f"\n{samples:,} consistent profiles x 3 negotiators (hit-and-run): {t_ours:.2f}s; "
        f"plain sampler, {samples:,} profiles of all 3: {t_plain:.2f}s; "
        f"ratio {t_ours / t_plain:.1f}"
    )


if __name__ == "__main__":
    main()
