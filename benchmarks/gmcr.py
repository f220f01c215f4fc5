"""Benchmark: GMCR stability on random option-form conflicts.

Three decision makers, ``n`` options split as evenly as possible, every state
feasible, random prioritization preferences (each DM: ``--statements``
random statements, each a conjunction of one to three literals over all
options).  For each size the script runs the requested concepts in a fresh
subprocess and reports wall time and peak memory (peak RSS from
``resource.getrusage`` of that subprocess, which includes numpy's buffers),
then, at the sizes where it can finish, the brute-force reference
(:mod:`accord.gmcr.reference`) on the same conflict, as a ratio.

With ``--coalition`` the script instead times, in each fresh process, the
main stability analysis (all four concepts), coalition-Nash stability for the
structure {A+B, C} and status quo evolution from the all-N state with
unilateral improvements and those of A+B, side by side; and, at small sizes,
the brute-force reference (:func:`accord.gmcr.reference.reference_coalition_stable`,
:func:`accord.gmcr.reference.reference_evolution`) on the same conflicts.

gmcr-py (GMCR+) figures are the ones quoted in accord's issue 3, *not
measured here*: about 130 s for 14 options and out of memory at 16.

Usage::

    PYTHONPATH=src python benchmarks/gmcr.py                 # 12 14 16 20 24
    PYTHONPATH=src python benchmarks/gmcr.py --sizes 12 16 --reference-sizes 6 8
    PYTHONPATH=src python benchmarks/gmcr.py --coalition       # 12 16 20; reference 6 8 9
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from accord.gmcr.coalition import analyze_coalitions
from accord.gmcr.evolution import status_quo_analysis
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.prioritization import Statement, prioritization_scores
from accord.gmcr.reference import (
    reference_coalition_stable,
    reference_evolution,
    reference_stable,
)
from accord.gmcr.stability import STABILITY_CONCEPTS, analyze_stability, stable_states

QUOTED_GMCR_PY = {14: "~130 s (quoted)", 16: "out of memory (quoted)"}


def split(n: int, k: int = 3) -> list[int]:
    return [n // k + (1 if i < n % k else 0) for i in range(k)]


def random_conflict(
    n: int, *, seed: int, statements: int = 6, irreversible: bool = False
) -> CompiledConflict:
    """A random all-feasible conflict with 3 DMs and prioritization preferences.

    ``irreversible=True`` makes each DM's first option N->Y only, which sends
    every DM down the general (XOR-flip) path instead of the fast fibre path.
    """
    rng = np.random.default_rng(seed)
    ids = [f"o{p}" for p in range(n)]
    bit_of = {o: p for p, o in enumerate(ids)}
    rows = []
    for _ in range(3):
        stmts = []
        for _ in range(statements):
            k = int(rng.integers(1, 4))
            picked = rng.choice(n, size=k, replace=False)
            lits = [
                Statement("option", option=ids[p])
                if rng.random() < 0.5
                else Statement("not", (Statement("option", option=ids[p]),))
                for p in picked
            ]
            stmts.append(lits[0] if k == 1 else Statement("and", tuple(lits)))
        rows.append(prioritization_scores(stmts, bit_of, n))
    sizes = split(n)
    up = sum(1 << sum(sizes[:j]) for j in range(3)) if irreversible else 0
    return CompiledConflict.from_options(["A", "B", "C"], sizes, np.stack(rows), only_up=up)


def run_one(
    n: int, concepts: list[str], seed: int, irreversible: bool = False
) -> dict[str, object]:
    t0 = time.perf_counter()
    conflict = random_conflict(n, seed=seed, irreversible=irreversible)
    build = time.perf_counter() - t0
    times = {}
    counts = {}
    for c in concepts:
        t = time.perf_counter()
        masks = [stable_states(conflict, i, c) for i in range(3)]  # type: ignore[arg-type]
        eq = np.logical_and.reduce(masks)
        times[c] = time.perf_counter() - t
        counts[c] = int(eq.sum())
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "options": n,
        "states": 1 << n,
        "build_s": build,
        "seconds": times,
        "total_s": build + sum(times.values()),
        "equilibria": counts,
        "peak_mib": peak_kib / 1024,
    }


def run_reference(
    n: int, concepts: list[str], seed: int, irreversible: bool = False
) -> dict[str, object]:
    conflict = random_conflict(n, seed=seed, irreversible=irreversible)
    t = time.perf_counter()
    counts = {}
    for c in concepts:
        stable = [reference_stable(conflict, i, c) for i in range(3)]  # type: ignore[arg-type]
        counts[c] = len(set.intersection(*stable))
    return {"seconds": time.perf_counter() - t, "equilibria": counts}


COALITION = [0, 1]  # A and B together, C alone
STRUCTURE = [COALITION, [2]]


def run_coalition(n: int, seed: int, irreversible: bool = False) -> dict[str, object]:
    """Stability, coalition-Nash for {A+B, C} and status quo evolution, timed apart."""
    conflict = random_conflict(n, seed=seed, irreversible=irreversible)
    t = time.perf_counter()
    stability = analyze_stability(conflict)
    stability_s = time.perf_counter() - t
    t = time.perf_counter()
    coal = analyze_coalitions(conflict, STRUCTURE, stability)
    coalition_s = time.perf_counter() - t
    t = time.perf_counter()
    sq = status_quo_analysis(conflict, stability, 0, coalitions=[COALITION])
    evolution_s = time.perf_counter() - t
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "stability_s": stability_s,
        "coalition_s": coalition_s,
        "evolution_s": evolution_s,
        "coalition_equilibria": len(coal.equilibria),
        "reachable": sq.reachable,
        "paths": len(sq.paths),
        "peak_mib": peak_kib / 1024,
    }


def run_coalition_reference(n: int, seed: int, irreversible: bool = False) -> dict[str, object]:
    """The same coalition-Nash and reachability answers, state by state from the definitions."""
    conflict = random_conflict(n, seed=seed, irreversible=irreversible)
    t = time.perf_counter()
    stable = [reference_coalition_stable(conflict, block) for block in STRUCTURE]
    equilibria = set.intersection(*stable)
    coalition_s = time.perf_counter() - t
    t = time.perf_counter()
    reach = reference_evolution(conflict, 0, [COALITION])
    evolution_s = time.perf_counter() - t
    return {
        "coalition_s": coalition_s,
        "evolution_s": evolution_s,
        "coalition_equilibria": len(equilibria),
        "reachable": len(reach),
    }


def coalition_main(args: argparse.Namespace, extra: list[str]) -> None:
    print("GMCR coalition analysis and status quo evolution, random 3-DM conflicts")
    print("coalition A+B, C alone; status quo = all options N; unilateral + A+B improvements")
    print(f"seed {args.seed}; each row a fresh process; memory = that process's peak RSS")
    print("one irreversible option per DM\n" if args.irreversible else "")
    print("== accord vs the brute-force reference (same conflicts) ==")
    print(
        f"{'options':>7} {'states':>8} {'coal s':>8} {'ref s':>8} {'ratio':>7} "
        f"{'evol s':>8} {'ref s':>8} {'ratio':>7}  agree"
    )
    for n in args.reference_sizes:
        base = ["--one", str(n), "--seed", str(args.seed), "--coalition", *extra]
        ours = subprocess_run(base)
        ref = subprocess_run([*base, "--reference"])
        agree = all(ours[k] == ref[k] for k in ("coalition_equilibria", "reachable"))
        rc = float(ref["coalition_s"]) / float(ours["coalition_s"])  # type: ignore[arg-type]
        re_ = float(ref["evolution_s"]) / float(ours["evolution_s"])  # type: ignore[arg-type]
        print(
            f"{n:>7} {1 << n:>8} {ours['coalition_s']:>8.3f} {ref['coalition_s']:>8.2f} "
            f"{rc:>6.1f}x {ours['evolution_s']:>8.3f} {ref['evolution_s']:>8.2f} {re_:>6.1f}x  "
            f"{agree}"
        )
    print("\n== accord at scale: beside the main stability analysis in the same process ==")
    print(
        f"{'options':>7} {'states':>10} {'stability s':>11} {'coalition s':>11} "
        f"{'evolution s':>11} {'coal/stab':>9} {'evol/stab':>9} {'peak MiB':>9} "
        f"{'CN eq':>7} {'reached':>8}"
    )
    for n in args.sizes:
        r = subprocess_run(["--one", str(n), "--seed", str(args.seed), "--coalition", *extra])
        stab = float(r["stability_s"])  # type: ignore[arg-type]
        coal = float(r["coalition_s"])  # type: ignore[arg-type]
        evol = float(r["evolution_s"])  # type: ignore[arg-type]
        print(
            f"{n:>7} {1 << n:>10} {stab:>11.2f} {coal:>11.2f} {evol:>11.2f} "
            f"{coal / stab:>9.2f} {evol / stab:>9.2f} {r['peak_mib']:>9.0f} "
            f"{r['coalition_equilibria']:>7} {r['reachable']:>8}"
        )


def subprocess_run(args: list[str]) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    parser.add_argument("--reference-sizes", type=int, nargs="*", default=[6, 8, 9])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument(
        "--irreversible",
        action="store_true",
        help="one irreversible option per DM (the general O(2^k N) move path)",
    )
    parser.add_argument(
        "--coalition",
        action="store_true",
        help="coalition-Nash {A+B, C} and status quo evolution beside the stability analysis",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--concepts", nargs="*", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None and args.coalition:
        fn_c = run_coalition_reference if args.reference else run_coalition
        print(json.dumps(fn_c(args.one, args.seed, args.irreversible)))
        return
    if args.one is not None:
        concepts = args.concepts or list(STABILITY_CONCEPTS)
        fn = run_reference if args.reference else run_one
        print(json.dumps(fn(args.one, concepts, args.seed, args.irreversible)))
        return
    extra = ["--irreversible"] if args.irreversible else []
    if args.coalition:
        args.sizes = args.sizes or [12, 16, 20]
        coalition_main(args, extra)
        return
    args.sizes = args.sizes or [12, 14, 16, 20, 24]

    print("GMCR stability, random 3-DM conflicts, all states feasible, prioritization preferences")
    print(f"seed {args.seed}; each row a fresh process; memory = that process's peak RSS")
    print("one irreversible option per DM\n" if args.irreversible else "")
    print("== accord vs the brute-force reference (same conflicts, all four concepts) ==")
    print(f"{'options':>7} {'states':>8} {'accord s':>9} {'reference s':>12} {'ratio':>8}  agree")
    for n in args.reference_sizes:
        ours = subprocess_run(["--one", str(n), "--seed", str(args.seed), *extra])
        ref = subprocess_run(["--one", str(n), "--seed", str(args.seed), "--reference", *extra])
        ratio = float(ref["seconds"]) / float(ours["total_s"])  # type: ignore[arg-type]
        agree = ours["equilibria"] == ref["equilibria"]
        print(
            f"{n:>7} {1 << n:>8} {ours['total_s']:>9.3f} {ref['seconds']:>12.2f} "
            f"{ratio:>7.0f}x  {agree}"
        )
    print("\n== accord at the issue's sizes (gmcr-py figures quoted from issue 3, not measured) ==")
    head = f"{'options':>7} {'states':>10} " + " ".join(f"{c:>8}" for c in STABILITY_CONCEPTS)
    print(head + f" {'total s':>8} {'peak MiB':>9}  gmcr-py")
    for n in args.sizes:
        concepts = list(STABILITY_CONCEPTS) if n <= 20 else ["nash", "seq"]
        r = subprocess_run(
            ["--one", str(n), "--seed", str(args.seed), "--concepts", *concepts, *extra]
        )
        secs = r["seconds"]
        cells = " ".join(
            f"{secs[c]:>8.2f}" if c in secs else f"{'-':>8}"  # type: ignore[operator,index]
            for c in STABILITY_CONCEPTS
        )
        print(
            f"{n:>7} {1 << n:>10} {cells} {r['total_s']:>8.2f} {r['peak_mib']:>9.0f}  "
            f"{QUOTED_GMCR_PY.get(n, '')}"
        )


if __name__ == "__main__":
    main()
