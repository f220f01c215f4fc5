"""Three negotiators at ANAC scale (issue 17 item 4): `accord analyze` on a synthetic scenario
shaped like ANAC 2016's AgentHp2 (5.76 million packages, a frontier of about 140,000).

Run from the repository root::

    PYTHONPATH=src python benchmarks/frontier3.py [--noise 80] [--sizes 10,10,10,10,24,24]
        [--reference]

The scenario: six issues (10 x 10 x 10 x 10 x 24 x 24 options), three negotiators with equal
weights and ``normalize: none``, each option splitting 10,000 points among the three (a
Dirichlet draw, seed 0) plus integer noise of +-``--noise`` per party: the smaller the noise,
the larger the frontier (80 gives about 141,000 packages). Each measurement runs in a fresh
child process and reports the wall time of ``analyze_space`` alone and the process's peak
resident memory. ``--reference`` also runs the same analysis with the previous
non-dominated filter for three objectives (the pairwise block filter that four or more
objectives still use) in the same run, for a ratio (it took minutes at full size). The target:
under 10 s and 1 GB on one core; the machine may be shared, so compare ratios from one run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve()

CHILD = r"""
import json, resource, sys, time
import numpy as np
from accord.analysis import analyze_space
from accord.model import scenario_from_data
from accord.space import compile_space
import accord.analysis.dominance as dominance

sizes, noise, reference, parties = json.loads(sys.argv[1])
if reference:
    dominance._mask_3d = dominance._mask_kd  # the filter three objectives used before
rng = np.random.default_rng(0)
split = [np.round(rng.dirichlet([1.0] * parties, s) * 10000).astype(int) for s in sizes]
issues = [
    {"id": f"i{k}", "name": f"I{k}", "options": [f"o{j}" for j in range(s)]}
    for k, s in enumerate(sizes)
]
preferences = {}
for p in range(parties):
    values = {}
    for k, s in enumerate(sizes):
        v = np.clip(split[k][:, p] + rng.integers(-noise, noise + 1, s), 0, 10000)
        values[f"i{k}"] = {f"o{j}": int(v[j]) for j in range(s)}
    preferences[f"p{p}"] = {
        "weights": {f"i{k}": 1 for k in range(len(sizes))}, "values": values,
        "reservation": 0, "normalize": "none", "estimate": True, "rationale": "synthetic",
    }
data = {
    "accord": 1, "title": "synthetic", "issues": issues, "preferences": preferences,
    "parties": [{"id": f"p{p}", "name": f"P{p}", "role": "negotiator"} for p in range(parties)],
}
space = compile_space(scenario_from_data(data).scenario)
start = time.perf_counter()
result = analyze_space(space, limit=10)
seconds = time.perf_counter() - start
print(json.dumps({
    "packages": result.packages, "frontier": result.pareto_size,
    "vectors": result.pareto_vectors, "seconds": seconds,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "nash": result.solutions["nash"].utility if result.solutions["nash"] else None,
}))
"""


def run(sizes: list[int], noise: int, reference: bool, parties: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps([sizes, noise, reference, parties])],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(HERE.parents[1] / "src"), "PATH": "/usr/bin:/bin"},
    )
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,10,10,10,24,24")
    parser.add_argument("--noise", type=int, default=80)
    parser.add_argument("--reference", action="store_true")
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    rows = [("3 negotiators, this tree", run(sizes, args.noise, False, 3))]
    if args.reference:
        rows.append(("3 negotiators, previous filter", run(sizes, args.noise, True, 3)))
    rows.append(("2 negotiators, same shape (unchanged path)", run(sizes, args.noise, False, 2)))
    for label, r in rows:
        print(
            f"{label}: {r['packages']:,} packages, frontier {r['frontier']:,} "
            f"({r['vectors']:,} vectors), {r['seconds']:.2f} s, peak {r['peak_mb']:.0f} MB"
        )
    if args.reference:
        ratio = rows[1][1]["seconds"] / rows[0][1]["seconds"]
        same = rows[1][1]["nash"] == rows[0][1]["nash"]
        print(f"speed-up {ratio:.1f}x; same Nash package utilities: {same}")


if __name__ == "__main__":
    main()
