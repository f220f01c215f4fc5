"""Benchmark of accord's start-up and everyday commands, whole process, best of N.

Each command runs as a fresh ``python -m accord ...`` process (what a user waits for, from
the interpreter's start to its exit), ``--repeat`` times (default 5); the best run is
reported, beside two references measured in the same run: ``python -c pass`` (the
interpreter alone) and ``python -c "import numpy"`` (the least any numeric command pays).
The CPU time (user + system of the process and of the children it waited for) of the best
run is printed too: on a busy machine it moves far less than the wall time.  Local workers are
the fork server's children, not the command's, so their CPU time is not in it.

The report is also timed computed wholly in one process (``report, one process``: the same
page through the public API with ``processes=1``), the reference for what computing the
calibration and the samples in local workers while the page is drawn gains.

Targets (issue 11, item 9; machine idle): ``accord --version`` under 0.3 s; ``analyze``,
``compare`` and ``improve`` on cairo-2024 under 1 s; ``report`` on cairo-2024 under 5 s.
The load average is printed before and after: on a shared machine, compare the ratios to the
references rather than the seconds.

Run:

    python benchmarks/startup.py            # every command
    python benchmarks/startup.py --quick    # without the report
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS: list[tuple[str, list[str], float | None]] = [
    ("python -c pass", ["-c", "pass"], None),
    ('python -c "import numpy"', ["-c", "import numpy"], None),
    ("accord --version", ["-m", "accord", "--version"], 0.3),
    ("accord analyze", ["-m", "accord", "analyze"], 1.0),
    ("accord compare", ["-m", "accord", "compare", "paris-framework", "cairo-draft"], 1.0),
    ("accord improve", ["-m", "accord", "improve", "cairo-draft"], 1.0),
]


# The same page computed wholly in one process (processes=1: no worker samples or calibrates
# while it draws), through the same public API the command uses: the reference that shows what
# computing ahead in local workers gains.
ONE_PROCESS_REPORT = (
    "from accord.report import render_report; from accord.report.files import write_atomically;"
    " from accord.run import Options, RobustnessOptions, analyze;"
    " a = analyze('cairo-2024', Options(robustness=RobustnessOptions(processes=1)));"
    " from pathlib import Path; write_atomically(Path({out!r}), render_report(a))"
)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(args: list[str], repeat: int) -> tuple[float, float]:
    """The shortest wall time of ``repeat`` runs of ``python args`` and that run's CPU time,
    in seconds."""
    best = (float("inf"), 0.0)
    for _ in range(repeat):
        cpu = _children_cpu()
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wall = time.perf_counter() - start
        best = min(best, (wall, _children_cpu() - cpu))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per command (best kept)")
    parser.add_argument("--quick", action="store_true", help="leave out accord report")
    args = parser.parse_args()
    cases = list(TARGETS)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.quick:
            out = str(Path(tmp) / "report.html")
            cases.append(("report, one process", ["-c", ONE_PROCESS_REPORT.format(out=out)], None))
            cases.append(("accord report", ["-m", "accord", "report", "-o", out], 5.0))
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        print(
            f"{'command':<28}{'best of ' + str(args.repeat):>12}{'CPU':>9}{'target':>9}"
            f"{'x pass':>9}{'x numpy':>9}"
        )
        times: dict[str, float] = {}
        for name, argv, target in cases:
            times[name], cpu = best_of(argv, args.repeat)
            base, numpy = times.get("python -c pass"), times.get('python -c "import numpy"')
            ratio = f"{times[name] / base:.1f}" if base else "-"
            ratio_np = f"{times[name] / numpy:.1f}" if numpy else "-"
            goal = f"{target:.1f} s" if target is not None else ""
            mark = "" if target is None else (" ok" if times[name] <= target else " OVER")
            print(
                f"{name:<28}{times[name]:>10.3f} s{cpu:>7.2f} s{goal:>9}{ratio:>9}{ratio_np:>9}"
                f"{mark}"
            )
    print(f"load average after:  {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
