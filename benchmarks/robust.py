"""Benchmark of `accord robust`: the kernel's BLAS throughput and the end-to-end run.

1. Kernel: the utility products of a batch of sampled profiles over every
   package, as ``evaluate_profiles`` computes them (tiles of samples, float32,
   one product per negotiator; :func:`accord.robust.kernel.package_gains`),
   in GFLOP/s, beside one plain ``numpy.matmul`` of the whole shape measured in
   the same run.  Target: at least 50% of the plain product.
2. The whole per-sample analysis (`evaluate_profiles`) in ns per package-sample;
   2b. one chunk phase by phase (sampling, analysis, tallies), CPU time.
3. End to end: ``analyze_robustness`` with 10^6 samples over 10^4 packages
   (4 issues of 10 options) for 2 negotiators with uncertain weights, values
   and reservations; wall time, CPU time and peak memory (this process's maximum
   resident set from ``resource.getrusage``; every other process it starts, forked or
   started by a fork server, sampled every 0.1 s: :class:`ProcessTree`).  Targets:
   under 60 s and 2 GiB on 2 cores.  No ``tracemalloc``: it hooks every allocation of
   every Python object, and it doubled forked workers' CPU time, so the figures measured
   with it were the benchmark's cost as much as accord's.

Run (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset together, for this command only):

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE PYTHONPATH=src python benchmarks/robust.py

``--samples`` lowers the end-to-end size for a quick look; ``--trace-allocations``
runs the end-to-end part under ``tracemalloc`` to show what that costs.
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time
import tracemalloc

import numpy as np

from accord.robust import analyze_robustness
from accord.robust.engine import _tally, build_problem, feasible_packages, indicator_matrix
from accord.robust.kernel import evaluate_profiles, gain_coefficients, package_gains, tile_rows
from accord.robust.parameters import (
    BLOCK_SAMPLES,
    NegotiatorUncertainty,
    PreferenceModel,
    Profiles,
    UncertainParameter,
    block_generator,
    sample_block,
)

try:
    from accord.robust.workers import single_threaded_blas
except ImportError:  # the build before robust/workers.py, for a before/after comparison
    from accord.robust.engine import single_threaded_blas  # type: ignore[attr-defined,no-redef]
from accord.space import CompiledIssue, CompiledSpace


def synthetic(
    issues: int = 4, options: int = 10, seed: int = 0
) -> tuple[CompiledSpace, PreferenceModel]:
    """Two negotiators with opposed-ish random preferences; every estimate uncertain."""
    rng = np.random.default_rng(seed)
    parties = []
    for j in range(2):
        w = rng.uniform(1, 3, issues)
        parties.append(
            NegotiatorUncertainty(
                party=f"p{j}",
                weights=tuple(
                    UncertainParameter(f"p{j}.w{i}", "uniform", w[i], 0.5 * w[i], 1.5 * w[i])
                    for i in range(issues)
                ),
                values=tuple(
                    tuple(
                        UncertainParameter(f"p{j}.v{i}.{o}", "uniform", v, v - 0.2, v + 0.2)
                        for o, v in enumerate(rng.permutation(options) / (options - 1))
                    )
                    for i in range(issues)
                ),
                value_maps=tuple(np.eye(options) for _ in range(issues)),
                reservation=UncertainParameter(f"p{j}.r", "uniform", 0.4, 0.3, 0.5),
            )
        )
    model = PreferenceModel(tuple(parties))
    theta = model.point_profiles().theta[:, 0, :]
    space = CompiledSpace(
        negotiators=("p0", "p1"),
        issues=tuple(
            CompiledIssue(f"i{i}", f"issue {i}", tuple(str(o) for o in range(options)))
            for i in range(issues)
        ),
        contributions=tuple(
            np.ascontiguousarray(theta[:, i * options : (i + 1) * options].T) for i in range(issues)
        ),
        reservation=np.array([0.4, 0.4]),
        proposals=(("a", (0,) * issues), ("b", (5,) * issues), ("c", (9,) * issues)),
    )
    return space, model


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    return "; ".join(
        f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} "
        f"threads={i.get('num_threads')}"
        for i in threadpool_info()
        if i.get("user_api") == "blas"
    )


def best_of(repeats: int, fn: object) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=4096, help="samples in the kernel batch")
    parser.add_argument("--processes", type=int, default=2, help="local processes, end to end")
    parser.add_argument("--end-to-end-only", action="store_true")
    parser.add_argument(
        "--trace-allocations",
        action="store_true",
        help="run the end-to-end part under tracemalloc, as this benchmark did until "
        "2026-11-23, to show what it costs (the forked workers inherit it)",
    )
    args = parser.parse_args()

    print(f"cores: {os.cpu_count()}; BLAS: {blas_info()}")
    print(
        "OPENBLAS_CORETYPE="
        f"{os.environ.get('OPENBLAS_CORETYPE')!r} OPENBLAS_L2_SIZE="
        f"{os.environ.get('OPENBLAS_L2_SIZE')!r}"
    )
    space, model = synthetic()
    packages = feasible_packages(space)
    features = indicator_matrix(space.shape, packages)
    proposals = indicator_matrix(space.shape, np.array([p for _, p in space.proposals]))
    profiles = sample_block(model, np.random.default_rng(1), args.batch)
    coeffs, x = gain_coefficients(profiles.theta, profiles.reservation, features)
    n, size, f1 = coeffs.shape
    k = x.shape[1]
    rows = tile_rows(k, n)
    flops = 2.0 * n * size * f1 * k
    out = np.empty((n, rows, k), dtype=np.float32)
    whole = np.empty((size, k), dtype=np.float32)

    if args.end_to_end_only:
        return end_to_end(space, model, args.samples, args.processes, k, args.trace_allocations)
    print(f"\n1. kernel products: {n} x ({size} x {f1}) @ ({f1} x {k}), float32, tiles of {rows}")
    for label, blas_threads in (("1 BLAS thread", True), ("BLAS default threads", False)):
        ctx = single_threaded_blas() if blas_threads else _null()
        with ctx:
            t_kernel = best_of(5, lambda: package_gains(coeffs, x, rows, out))
            t_plain = best_of(5, lambda: [np.matmul(coeffs[j], x, out=whole) for j in range(n)])
        g_kernel, g_plain = flops / t_kernel / 1e9, flops / t_plain / 1e9
        print(
            f"   {label:22s} kernel {g_kernel:7.1f} GFLOP/s   plain numpy matmul "
            f"{g_plain:7.1f} GFLOP/s   ratio {g_kernel / g_plain:.2f}"
        )

    print("\n2. whole per-sample analysis (evaluate_profiles), one thread")
    with single_threaded_blas():
        t = best_of(
            3,
            lambda: evaluate_profiles(profiles.theta, profiles.reservation, features, proposals),
        )
        t_gemm = best_of(3, lambda: package_gains(coeffs, x, rows, out))
    per = t / (size * k) * 1e9
    print(
        f"   {per:.2f} ns per package-sample ({size * k / t / 1e6:.0f} M package-samples/s); "
        f"of which the products {t_gemm / t:.0%}"
    )

    chunk_phases(space, model)
    end_to_end(space, model, args.samples, args.processes, k, args.trace_allocations)


def chunk_phases(space: CompiledSpace, model: PreferenceModel, blocks: int = 16) -> None:
    """CPU time of each phase of one chunk, as ``simulate_chunk`` runs it, in this process."""
    problem = build_problem(space, model)
    size = blocks * BLOCK_SAMPLES
    k = problem.n_packages
    print(f"\n2b. one chunk of {size:,} samples, phase by phase (CPU time, one thread)")
    with single_threaded_blas():
        for _repeat in range(2):  # the first round warms up; the second is printed
            t0 = time.process_time()
            parts = [
                sample_block(model, block_generator(0, b), BLOCK_SAMPLES) for b in range(blocks)
            ]
            profiles = Profiles(
                np.concatenate([p.theta for p in parts], axis=1),
                np.concatenate([p.reservation for p in parts]),
                np.concatenate([p.quantiles for p in parts]),
            )
            t1 = time.process_time()
            out = evaluate_profiles(
                profiles.theta, profiles.reservation, problem.features, problem.proposal_features
            )
            t2 = time.process_time()
            _tally(problem, out, profiles)
            t3 = time.process_time()
    total = t3 - t0
    for label, t in (("sampling", t1 - t0), ("analysis", t2 - t1), ("tallies", t3 - t2)):
        print(
            f"   {label:9s} {t * 1e3:7.1f} ms  {t / (size * k) * 1e9:5.2f} ns per package-sample"
            f"  ({t / total:.0%})"
        )


def end_to_end(
    space: CompiledSpace,
    model: PreferenceModel,
    samples: int,
    processes: int,
    k: int,
    trace_allocations: bool = False,
) -> None:
    print(f"\n3. end to end: {samples:,} samples x {k:,} packages x 2 negotiators")
    print(f"   load average before: {os.getloadavg()[0]:.2f} (other processes on the machine)")
    if trace_allocations:
        print("   under tracemalloc (--trace-allocations): not the figure to report")
        tracemalloc.start()
    tree = ProcessTree()
    cpu0 = os.times()
    t0 = time.perf_counter()
    with tree:
        report = analyze_robustness(space, model, samples=samples, seed=0, processes=processes)
    wall = time.perf_counter() - t0
    cpu1 = os.times()
    tracemalloc.stop()
    own = sum(cpu1[:2]) - sum(cpu0[:2])  # user + system of this process
    cpu = own + tree.cpu()
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(
        f"   wall {wall:.1f} s (target < 60 s: ratio {wall / 60:.2f}); CPU {cpu:.1f} s "
        f"on {processes} processes ({cpu / wall:.2f} cores busy; "
        f"{cpu / (samples * k) * 1e9:.1f} ns CPU per package-sample)"
    )
    print(
        f"   peak RSS: main process {rss_self / 2**30:.2f} GiB, largest other process "
        f"{tree.largest_rss() / 2**30:.2f} GiB, all together at most "
        f"{(rss_self + tree.total_rss()) / 2**30:.2f} GiB (target < 2 GiB)"
    )
    print(
        f"   {samples * k / wall / 1e6:.0f} M package-samples/s; "
        f"P(a in ZOPA) = {report.proposals[0].in_zopa}; empty ZOPA {report.empty_zopa}; "
        f"load average after: {os.getloadavg()[0]:.2f}"
    )


class ProcessTree:
    """CPU time and peak resident set of every process this one starts, however started.

    ``os.times`` and ``RUSAGE_CHILDREN`` count only the children this process reaps: forked
    workers, but not workers started by a fork server (its children, reaped by it).  So every
    descendant is sampled every 0.1 s (psutil): its CPU time when last seen (a worker's last
    0.1 s may be missed) and its largest resident set.
    """

    def __init__(self) -> None:
        self.last_cpu: dict[int, float] = {}
        self.peak_rss: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.1):
            for child in me.children(recursive=True):
                try:
                    times = child.cpu_times()
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                self.last_cpu[child.pid] = times.user + times.system
                self.peak_rss[child.pid] = max(rss, self.peak_rss.get(child.pid, 0))

    def __enter__(self) -> ProcessTree:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def cpu(self) -> float:
        return sum(self.last_cpu.values())

    def largest_rss(self) -> int:
        return max(self.peak_rss.values(), default=0)

    def total_rss(self) -> int:
        return sum(self.peak_rss.values())


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


if __name__ == "__main__":
    main()
