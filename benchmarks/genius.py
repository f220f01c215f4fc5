"""Import every GENIUS folder given and print accord's counts and solutions beside NegMAS's.

Run from the repository root (NegMAS lives in a virtual environment of its own, because it is
AGPL-licensed and not a dependency of accord)::

    PYTHONPATH=src python benchmarks/genius.py FOLDER... [--negmas-python PATH] [--json]

A FOLDER holding no XML file but sub-folders stands for each of them (an ANAC archive). For each
domain: accord imports it (``accord.interop.import_genius``), then analyses it; NegMAS, in a
child process, loads the same folder (``ignore_discount=True``, so that reserved values are the
ones written, as accord keeps them) and computes its outcome count, its rational outcomes (every
utility >= reserved value), its Pareto frontier (one outcome per utility vector), and its Nash
and Kalai points. Printed side by side: packages, ZOPA / rational, frontier packages and distinct
vectors / NegMAS frontier, and each side's Nash utilities, with the seconds each took (wall time,
one run; the machine may be shared: compare the two columns of one run, not runs). A domain that
one side cannot read says why in its column. See docs/reference/genius.md for why the counts
may differ (frontier duplicates, float comparisons, Kalai-Smorodinsky's definition).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_NEGMAS = Path("/tmp/negmas-venv/bin/python")

NEGMAS_SCRIPT = r"""
import json, sys, time
from negmas.inout import load_genius_domain_from_folder
from negmas.preferences.ops import pareto_frontier, nash_points, kalai_points
out = {}
try:
    t = time.perf_counter()
    d = load_genius_domain_from_folder(sys.argv[1], ignore_discount=True)
    space = d.outcome_space
    if not space.is_discrete():  # accord's --real-steps grid: the bounds and evenly between
        space = space.to_discrete(levels=int(sys.argv[3]))
    if space.cardinality > int(sys.argv[2]):
        raise ValueError(f"{space.cardinality:,} outcomes (over --max-outcomes)")
    outcomes = list(space.enumerate())
    ufuns = d.ufuns
    utils = [[float(u(o)) for u in ufuns] for o in outcomes]
    rs = [u.reserved_value for u in ufuns]
    rational = sum(all(x >= r for x, r in zip(v, rs)) for v in utils)
    front, _ = pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=True)
    nash = nash_points(ufuns, front, outcomes=outcomes)
    kalai = kalai_points(ufuns, front, outcomes=outcomes)
    out = {
        "packages": len(outcomes), "rational": rational, "frontier": len(front),
        "nash": [list(p[0]) for p in nash][:1], "kalai": [list(p[0]) for p in kalai][:1],
        "seconds": time.perf_counter() - t,
    }
except Exception as e:
    out = {"error": f"{type(e).__name__}: {e}"[:200]}
print(json.dumps(out))
"""


def domain_folders(paths: list[Path]) -> list[Path]:
    out = []
    for path in paths:
        if any(path.glob("*.xml")):
            out.append(path)
        else:
            out += sorted(p for p in path.iterdir() if p.is_dir() and any(p.glob("*.xml")))
    return out


def accord_side(folder: Path, real_steps: int) -> dict[str, Any]:
    from accord.analysis import analyze_space
    from accord.errors import UserInputError
    from accord.interop import import_genius
    from accord.model import scenario_from_text
    from accord.space import compile_space

    t = time.perf_counter()
    try:
        text = import_genius([folder], real_steps=real_steps).text
        scenario = scenario_from_text(text, file=str(folder)).scenario
        result = analyze_space(compile_space(scenario), limit=0)
    except UserInputError as e:
        return {"error": str(e).splitlines()[-1].strip()[:200]}
    nash = result.solutions["nash"]
    ks = result.solutions["kalai_smorodinsky"]
    return {
        "packages": result.packages,
        "zopa": result.zopa,
        "frontier": result.pareto_size,
        "vectors": result.pareto_vectors,
        "zopa_frontier": result.zopa_pareto_size,
        "nash": None if nash is None else list(nash.utility.values()),
        "kalai_smorodinsky": None if ks is None else list(ks.utility.values()),
        "seconds": time.perf_counter() - t,
    }


def negmas_side(
    folder: Path, python: Path | None, max_outcomes: int, real_steps: int
) -> dict[str, Any]:
    if python is None or not python.exists():
        return {"error": "NegMAS not installed"}
    try:
        done = subprocess.run(
            [str(python), "-c", NEGMAS_SCRIPT, str(folder), str(max_outcomes), str(real_steps)],
            capture_output=True,
            text=True,
            timeout=3600,
        )
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    except (subprocess.TimeoutExpired, json.JSONDecodeError, IndexError) as e:
        result = {"error": type(e).__name__}
    return result


def _vector(v: Any) -> str:
    return (
        "-"
        if not v
        else "(" + ", ".join(f"{x:.4f}" for x in (v[0] if isinstance(v[0], list) else v)) + ")"
    )


def show(name: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    print(f"\n{name}")
    if "error" in ours:
        print(f"  accord: {ours['error']}")
    else:
        print(
            f"  accord: {ours['packages']:,} packages, ZOPA {ours['zopa']:,}, frontier "
            f"{ours['frontier']:,} packages / {ours['vectors']:,} vectors "
            f"({ours['zopa_frontier']:,} in the ZOPA), Nash {_vector(ours['nash'])}, "
            f"KS {_vector(ours['kalai_smorodinsky'])}, {ours['seconds']:.3f} s"
        )
    if "error" in theirs:
        print(f"  NegMAS: {theirs['error']}")
    else:
        print(
            f"  NegMAS: {theirs['packages']:,} outcomes, rational {theirs['rational']:,}, "
            f"frontier {theirs['frontier']:,}, Nash {_vector(theirs['nash'])}, "
            f"Kalai {_vector(theirs['kalai'])}, {theirs['seconds']:.3f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--negmas-python", type=Path, default=DEFAULT_NEGMAS)
    parser.add_argument("--max-outcomes", type=int, default=2_000_000)
    parser.add_argument("--real-steps", type=int, default=11)
    parser.add_argument("--json", action="store_true", help="one JSON document instead of text")
    args = parser.parse_args()
    rows = []
    for folder in domain_folders(args.folders):
        ours = accord_side(folder, args.real_steps)
        theirs = negmas_side(folder, args.negmas_python, args.max_outcomes, args.real_steps)
        rows.append({"domain": str(folder), "accord": ours, "negmas": theirs})
        if not args.json:
            show(str(folder), ours, theirs)
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()


if __name__ == "__main__":
    main()
