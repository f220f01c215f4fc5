"""Benchmark of accord's agreement-space analysis against NegMAS and plain numpy references.

Run from the repository root (NegMAS lives in a virtual environment of its own,
because it is AGPL-licensed and not a dependency of accord)::

    python -m venv /tmp/negmas-venv && /tmp/negmas-venv/bin/pip install negmas
    PYTHONPATH=src python benchmarks/frontier.py [--quick] [--negmas-python PATH]

Every measurement runs in a fresh child process that reports the wall time of
the computation alone (the best of ``--repeat`` runs, default 3, because the
machine is shared) and the peak resident memory of the first run above the
process's baseline (Linux ``VmHWM`` minus ``VmRSS`` before the computation).  Frontiers
are compared as sets of package indices (packages enumerated in lexicographic
order, last issue fastest), restricted to the packages every negotiator weakly
prefers to its reservation value, which is what NegMAS's ``pareto_frontier``
returns.  When NegMAS cannot be found its column says "NegMAS not installed".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve()
DEFAULT_NEGMAS = Path("/tmp/negmas-venv/bin/python")
REPEAT = 3


# --------------------------------------------------------------------------- cases


def random_case(n_issues: int, n_options: int, d: int, seed: int, reservation: float) -> dict:
    """Random additive utilities: weights and values uniform, weights normalised per party."""
    rng = np.random.default_rng(seed)
    w = rng.random((n_issues, d))
    w /= w.sum(axis=0)
    values = rng.random((n_issues, n_options, d))
    values -= values.min(axis=1, keepdims=True)
    values /= values.max(axis=1, keepdims=True)
    return {"tables": values * w[:, None, :], "reservation": np.full(d, reservation)}


def opposed_case(n_issues: int, n_options: int, seed: int) -> dict:
    """Fully opposed: the second party's contribution is the first's complement, per issue.

    Weights and values are small integers over 2**20, so that every sum is exact in
    floating point too: u1 + u2 is then the same for every package, every package is on
    the frontier, and all three programs must agree exactly.
    """
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 65, size=n_issues)
    v = rng.integers(0, 1025, size=(n_issues, n_options))
    tables = np.stack([v * w[:, None], (1024 - v) * w[:, None]], axis=2) / 2.0**20
    return {"tables": tables, "reservation": np.zeros(2)}


def conflicting_case(n_issues: int, n_options: int, seed: int, reservation: float) -> dict:
    """Strongly opposed but not exactly: party 2 values each option about 1 - party 1's value."""
    rng = np.random.default_rng(seed)
    w = rng.random((n_issues, 2))
    w /= w.sum(axis=0)
    v1 = rng.random((n_issues, n_options))
    v2 = np.clip(1 - v1 + 0.05 * rng.standard_normal(v1.shape), 0, 1)
    tables = np.stack([v1, v2], axis=2) * w[:, None, :]
    return {"tables": tables, "reservation": np.full(2, reservation)}


# --------------------------------------------------------------------------- memory


def _status(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return float(line.split()[1]) / 1024.0  # MiB
    return float("nan")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to the current RSS
    except OSError:
        pass


# --------------------------------------------------------------------------- children


def _space(case: Any):
    from accord.space.compiled import CompiledIssue, CompiledSpace

    tables = case["tables"]
    n_issues, n_options, d = tables.shape
    issues = tuple(
        CompiledIssue(f"i{k}", f"i{k}", tuple(f"o{j}" for j in range(n_options)))
        for k in range(n_issues)
    )
    return CompiledSpace(
        tuple(f"n{j}" for j in range(d)),
        issues,
        tuple(np.ascontiguousarray(t) for t in tables),
        np.asarray(case["reservation"], dtype=np.float64),
    )


def child_accord(case: Any) -> Any:
    from accord.analysis.frontier import frontier_from_groups
    from accord.space.groups import independent_groups

    space = _space(case)
    yield
    t0 = time.perf_counter()
    groups = independent_groups(space)  # includes reading the utilities as exact integers
    front = frontier_from_groups(
        groups, len(space.issues), space.n_negotiators, threshold=space.units.threshold(0.0)
    )
    elapsed = time.perf_counter() - t0
    flat = np.ravel_multi_index(front.packages.T, space.shape) if front.size else np.zeros(0)
    yield elapsed, flat, {"frontier": front.size}


def child_accord_solutions(case: Any) -> Any:
    from accord.analysis.agreement_space import prepare_space

    space = _space(case)
    yield
    t0 = time.perf_counter()
    core = prepare_space(space)
    solved = core.solve()
    elapsed = time.perf_counter() - t0
    yield (
        elapsed,
        None,
        {
            "frontier": core.frontier.size,
            "solutions": {k: (None if v is None else v[2]) for k, v in solved.items()},
        },
    )


def _all_utilities(tables: np.ndarray) -> np.ndarray:
    n_issues, _, d = tables.shape
    u = np.zeros((1, d))
    for k in range(n_issues):
        u = (u[:, None, :] + tables[k][None, :, :]).reshape(-1, d)
    return u


def child_reference(case: Any) -> Any:
    """Plain numpy: enumerate every package, keep the rational ones, sort and sweep."""
    tables = np.asarray(case["tables"])
    r = np.asarray(case["reservation"])
    yield
    t0 = time.perf_counter()
    u = _all_utilities(tables)
    idx = np.flatnonzero(np.all(u >= r, axis=1))
    p = u[idx]
    d = p.shape[1]
    if d == 2:
        order = np.lexsort((-p[:, 1], -p[:, 0]))
        x, y = p[order, 0], p[order, 1]
        keep = np.zeros(order.size, dtype=bool)
        # a point survives when its y beats every y seen at a strictly larger x and ties its x-group
        start = np.r_[True, x[1:] != x[:-1]]
        gstart = np.maximum.accumulate(np.where(start, np.arange(x.size), 0))
        best_before = np.r_[-np.inf, np.maximum.accumulate(y)][gstart]
        keep = (y == y[gstart]) & (y > best_before)
        chosen = idx[order[keep]]
    else:
        order = np.lexsort(tuple(-p[:, j] for j in range(d - 1, -1, -1)))
        alive = order.copy()
        chosen_list = []
        while alive.size:
            top = p[alive[0]]
            chosen_list.append(alive[0])
            rest = p[alive[1:]]
            dominated = np.all(top >= rest, axis=1) & np.any(top > rest, axis=1)
            alive = alive[1:][~dominated]
        chosen = idx[np.array(chosen_list, dtype=np.intp)]
    elapsed = time.perf_counter() - t0
    yield elapsed, np.sort(chosen), {"frontier": int(chosen.size)}


def child_negmas(case: Any) -> Any:
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.ops import pareto_frontier
    from negmas.preferences.value_fun import TableFun

    tables = np.asarray(case["tables"])
    r = np.asarray(case["reservation"])
    n_issues, n_options, d = tables.shape
    issues = [
        make_issue(values=[f"o{j}" for j in range(n_options)], name=f"i{k}")
        for k in range(n_issues)
    ]
    ufuns = [
        LinearAdditiveUtilityFunction(
            values=[
                TableFun({f"o{j}": float(tables[k, j, n]) for j in range(n_options)})
                for k in range(n_issues)
            ],
            weights=[1.0] * n_issues,
            issues=issues,
            reserved_value=float(r[n]),
        )
        for n in range(d)
    ]
    yield
    t0 = time.perf_counter()
    _, indices = pareto_frontier(ufuns, issues=issues)
    elapsed = time.perf_counter() - t0
    yield elapsed, np.sort(np.asarray(indices, dtype=np.int64)), {"frontier": len(indices)}


def child_count(case: Any) -> Any:
    from accord.analysis.counting import count_packages
    from accord.space.groups import independent_groups

    space = _space(case)
    yield
    t0 = time.perf_counter()
    groups = independent_groups(space)
    (zopa,), _ = count_packages(
        groups,
        space.n_negotiators,
        at_least=space.units.threshold(0.0)[None, :],
        exact_limit=10**10,
        workers=2,
    )
    elapsed = time.perf_counter() - t0
    yield elapsed, None, {"zopa": zopa.value, "exact": zopa.exact}


def child_count_reference(case: Any) -> Any:
    """Plain numpy: enumerate every package in chunks and test it."""
    tables = np.asarray(case["tables"])
    r = np.asarray(case["reservation"])
    n_issues, n_options, d = tables.shape
    yield
    t0 = time.perf_counter()
    inner = _all_utilities(tables[-4:])  # last four issues: 10^4 rows
    outer_tables = tables[:-4]
    n_outer = n_options ** (n_issues - 4)
    total = 0
    step = 1000
    for start in range(0, n_outer, step):
        idx = np.arange(start, min(n_outer, start + step))
        o = np.zeros((idx.size, d))
        rest = idx.copy()
        for k in range(outer_tables.shape[0] - 1, -1, -1):
            rest, digit = np.divmod(rest, n_options)
            o += outer_tables[k][digit]
        u = o[:, None, :] + inner[None, :, :]
        total += int(np.count_nonzero(np.all(u >= r, axis=2)))
    elapsed = time.perf_counter() - t0
    yield elapsed, None, {"zopa": total}


CHILDREN = {
    "accord": child_accord,
    "accord-solutions": child_accord_solutions,
    "reference": child_reference,
    "negmas": child_negmas,
    "count": child_count,
    "count-reference": child_count_reference,
}


def run_child(kind: str, case_file: str, out_file: str, repeat: int) -> None:
    case = dict(np.load(case_file))
    steps = CHILDREN[kind](case)  # each child is a generator: setup, yield, compute, yield result
    next(steps)
    _reset_peak()
    base = _status("VmRSS")
    elapsed, indices, extra = next(steps)
    peak = _status("VmHWM") - base
    # The machine is shared: report the best of `repeat` runs (memory from the first).
    for _ in range(repeat - 1):
        again = CHILDREN[kind](case)
        next(again)
        elapsed = min(elapsed, next(again)[0])
    if indices is not None:
        np.save(out_file + ".npy", indices)
    Path(out_file).write_text(json.dumps({"seconds": elapsed, "peak_mib": peak, **extra}))


# --------------------------------------------------------------------------- orchestration


def measure(
    kind: str, case: dict, python: str, workdir: Path, timeout: float
) -> dict[str, Any] | None:
    case_file = workdir / "case.npz"
    np.savez(case_file, **case)
    out = workdir / f"{kind}.json"
    for stale in (out, Path(str(out) + ".npy")):
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    try:
        subprocess.run(
            [python, str(HERE), "--child", kind, str(case_file), str(out), str(REPEAT)],
            check=True,
            timeout=timeout,
            env=env,
            capture_output=True,
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    except subprocess.CalledProcessError as e:
        return {"error": e.stderr.decode(errors="replace").strip().splitlines()[-1:]}
    result = json.loads(out.read_text())
    npy = Path(str(out) + ".npy")
    if npy.exists():
        result["indices"] = np.load(npy)
    return result


def fmt(result: dict[str, Any] | None) -> str:
    if result is None:
        return "NegMAS not installed"
    if "timeout" in result:
        return f"> {result['timeout']:.0f} s (stopped)"
    if "error" in result:
        return f"error: {result['error']}"
    return f"{result['seconds']:.3f} s, {result['peak_mib']:.0f} MiB"


def ratio(slow: dict[str, Any] | None, fast: dict[str, Any] | None) -> str:
    if not slow or not fast or "seconds" not in slow or "seconds" not in fast:
        return "-"
    x = slow["seconds"] / max(fast["seconds"], 1e-9)
    return f"{x:.2f}x" if x < 10 else f"{x:.0f}x"


def _utilities_of(case: dict, flat: np.ndarray) -> np.ndarray:
    tables = case["tables"]
    n_issues, n_options, _ = tables.shape
    options = np.unravel_index(flat.astype(np.int64), (n_options,) * n_issues)
    return sum(tables[k][options[k]] for k in range(n_issues))


def same(a: dict[str, Any] | None, b: dict[str, Any] | None, case: dict) -> str:
    """Whether two frontiers hold the same packages, or at least the same utility vectors."""
    if not a or not b or "indices" not in a or "indices" not in b:
        return "-"
    x, y = np.sort(a["indices"]), np.sort(b["indices"])
    if x.shape == y.shape and np.array_equal(x, y):
        return "identical"
    ux = np.unique(_utilities_of(case, x), axis=0)
    uy = np.unique(_utilities_of(case, y), axis=0)
    if ux.shape == uy.shape and np.array_equal(ux, uy):
        # e.g. NegMAS keeps one package per repeated utility vector; accord keeps them all
        return f"same {ux.shape[0]} utility vectors ({x.size} vs {y.size} packages)"
    return f"DIFFER ({np.setxor1d(x, y).size} packages)"


def find_negmas(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if DEFAULT_NEGMAS.exists():
        return str(DEFAULT_NEGMAS)
    try:
        import negmas  # noqa: F401
    except ImportError:
        return None
    return sys.executable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per measurement; the best time is kept"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes only (smoke test)")
    parser.add_argument("--negmas-python", help="python interpreter that has negmas installed")
    parser.add_argument("--no-negmas", action="store_true", help="skip NegMAS")
    parser.add_argument("--timeout", type=float, default=150.0, help="seconds per measurement")
    args = parser.parse_args()
    if args.child:
        kind, case_file, out_file, repeat = args.child
        run_child(kind, case_file, out_file, int(repeat))
        return
    global REPEAT
    REPEAT = max(1, args.repeat)
    negmas = None if args.no_negmas else find_negmas(args.negmas_python)
    me = sys.executable
    workdir = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, cores {os.cpu_count()}")
    print(f"NegMAS: {negmas or 'not installed'}\n")
    try:
        sizes = [3, 4] if args.quick else [3, 4, 5, 6]
        print("Frontier of the packages every party weakly prefers to its reservation (0.3)")
        header = (
            f"{'case':<24}{'accord':>22}{'numpy sweep':>24}{'NegMAS':>24}"
            f"{'NegMAS/accord':>15}{'sweep/accord':>14}  frontier"
        )
        print(header)
        for d in (2, 3):
            for n_issues in sizes:
                case = random_case(n_issues, 10, d, seed=n_issues * 10 + d, reservation=0.3)
                ours = measure("accord", case, me, workdir, args.timeout)
                ref = measure("reference", case, me, workdir, args.timeout)
                peer = measure("negmas", case, negmas, workdir, args.timeout) if negmas else None
                name = f"{d} parties, 10^{n_issues} pkgs"
                agree = f"{same(ours, ref, case)} to sweep, "
                agree += f"{same(ours, peer, case) if peer else '-'} to NegMAS"
                print(
                    f"{name:<24}{fmt(ours):>22}{fmt(ref):>24}{fmt(peer):>24}"
                    f"{ratio(peer, ours):>15}{ratio(ref, ours):>14}  "
                    f"{ours.get('frontier') if ours else '-'} points, {agree}"
                )
        print("\nStrongly (not fully) opposed preferences, 2 parties, reservation 0.3")
        print(header)
        for n_issues in [4, 5] if args.quick else [4, 5, 6]:
            case = conflicting_case(n_issues, 10, seed=7 * n_issues, reservation=0.3)
            ours = measure("accord", case, me, workdir, args.timeout)
            ref = measure("reference", case, me, workdir, args.timeout)
            peer = measure("negmas", case, negmas, workdir, args.timeout) if negmas else None
            agree = f"{same(ours, ref, case)} to sweep, "
            agree += f"{same(ours, peer, case) if peer else '-'} to NegMAS"
            print(
                f"{'2 parties, 10^' + str(n_issues) + ' pkgs':<24}{fmt(ours):>22}{fmt(ref):>24}"
                f"{fmt(peer):>24}{ratio(peer, ours):>15}{ratio(ref, ours):>14}  "
                f"{ours.get('frontier') if ours else '-'} points, {agree}"
            )
        print("\nFully opposed preferences (every package is on the frontier), 2 parties")
        print(header)
        opposed_sizes = [3, 4] if args.quick else [3, 4, 5, 6]
        for n_issues in opposed_sizes:
            case = opposed_case(n_issues, 10, seed=n_issues)
            ours = measure("accord", case, me, workdir, args.timeout)
            ref = measure("reference", case, me, workdir, args.timeout)
            peer = None
            if negmas and n_issues <= 4:
                peer = measure("negmas", case, negmas, workdir, args.timeout)
            negmas_text = fmt(peer) if (peer or not negmas) else "skipped (quadratic)"
            agree = f"{same(ours, ref, case)} to sweep, "
            agree += f"{same(ours, peer, case) if peer else '-'} to NegMAS"
            print(
                f"{'2 parties, 10^' + str(n_issues) + ' pkgs':<24}{fmt(ours):>22}{fmt(ref):>24}"
                f"{negmas_text:>24}{ratio(peer, ours):>15}{ratio(ref, ours):>14}  "
                f"{ours.get('frontier') if ours else '-'} points, {agree}"
            )
        if not args.quick:
            print(
                "\n12 issues x 10 options (10^12 packages), 2 parties: exact frontier + 4 solutions"
            )
            case = random_case(12, 10, 2, seed=1212, reservation=0.3)
            ours = measure("accord-solutions", case, me, workdir, args.timeout)
            print(
                f"independent random preferences: accord {fmt(ours)}; frontier "
                f"{ours.get('frontier')} packages; ties {ours.get('solutions')}"
            )
            case = conflicting_case(12, 10, seed=1213, reservation=0.3)
            ours = measure("accord-solutions", case, me, workdir, args.timeout)
            print(
                f"strongly opposed preferences: accord {fmt(ours)}; frontier "
                f"{ours.get('frontier')} packages; ties {ours.get('solutions')}"
            )
        print("\nZOPA counted exactly (reservations 0.5)")
        count_sizes = [(6, 2), (8, 2)] if args.quick else [(8, 2), (9, 2), (8, 3), (9, 3)]
        for n_issues, d in count_sizes:
            case = random_case(n_issues, 10, d, seed=99 + n_issues, reservation=0.5)
            ours = measure("count", case, me, workdir, args.timeout)
            ref = None
            if n_issues <= 8:
                ref = measure("count-reference", case, me, workdir, args.timeout)
            check = "-"
            if ref and ours and "zopa" in ref and "zopa" in ours:
                check = "same count" if ref["zopa"] == ours["zopa"] else "COUNTS DIFFER"
            print(
                f"{d} parties, 10^{n_issues} packages: accord {fmt(ours)} (2 threads), zopa "
                f"{ours.get('zopa') if ours else '-'}; plain numpy enumeration "
                f"{fmt(ref) if ref else 'not run'}; {ratio(ref, ours)}; {check}"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
