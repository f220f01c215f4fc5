"""Benchmark: how long `accord robust` and `accord report` take to stop after Ctrl-C or SIGTERM.

Run:  PYTHONPATH=src python benchmarks/interrupts.py [--repeats N] [--only TEXT]

Each case starts the command in a session of its own, waits until it is under way (its
worker processes started and some CPU time spent, or, for `ctrl-c while starting`, while the
workers are still being started), sends the signal (to the whole process group for Ctrl-C, as a
terminal does; to the command alone for SIGTERM), and measures the wall time until the
command has exited.  It also checks what tests/cli/test_interrupts.py asserts (exit
status, nothing on stdout, one line on stderr, no process of the session left, no file
written) and prints any failure.  Target (issue 12, item 3): under 2 s.  The machine's load
average is printed beside each figure: on a loaded machine the start of the interrupted
command's processes and the interpreter's own exit take longer.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import psutil

ROBUST = ["robust", "cairo-2024", "--samples", "2000000", "--json"]

CASES = [
    # name, arguments, signal, to the group, processes to wait for, CPU seconds to wait for
    ("robust, local workers, Ctrl-C", ROBUST, signal.SIGINT, True, 5, 3.0),
    ("robust, local workers, Ctrl-C while starting", ROBUST, signal.SIGINT, True, 3, 0.5),
    ("robust, local workers, SIGTERM", ROBUST, signal.SIGTERM, False, 5, 3.0),
    ("robust --workers 2 (Dask), Ctrl-C", [*ROBUST, "--workers", "2"], signal.SIGINT, True, 3, 5.0),
    (
        "robust --workers 2 (Dask), SIGTERM",
        [*ROBUST, "--workers", "2"],
        signal.SIGTERM,
        False,
        3,
        5.0,
    ),
    ("report, Ctrl-C", ["report", "--samples", "2000000"], signal.SIGINT, True, 1, 3.0),
    ("report, SIGTERM", ["report", "--samples", "2000000"], signal.SIGTERM, False, 1, 3.0),
]


def session(leader: int) -> list[int]:
    alive = []
    for pid in psutil.pids():
        try:
            if os.getsid(pid) == leader and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                alive.append(pid)
        except (ProcessLookupError, psutil.NoSuchProcess, PermissionError):
            continue
    return alive


def cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def one(args: list[str], sig: int, group: bool, processes: int, cpu: float) -> tuple[float, str]:
    """Seconds from the signal to the exit, and what went wrong ("" when nothing did)."""
    with tempfile.TemporaryDirectory() as tmp:
        extra = ["-o", os.path.join(tmp, "report.html")] if args[0] == "report" else []
        proc = subprocess.Popen(
            [sys.executable, "-m", "accord", *args, *extra],
            cwd=tmp,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        me = psutil.Process(proc.pid)
        while len(session(proc.pid)) < processes or cpu_seconds(me) < cpu:
            time.sleep(0.05)
        sent = time.monotonic()
        (os.killpg if group else os.kill)(proc.pid, sig)
        out, err = proc.communicate()
        took = time.monotonic() - sent
        time.sleep(1.0)
        left = session(proc.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        problems = []
        if proc.returncode != 128 + sig:
            problems.append(f"exit {proc.returncode}")
        if out:
            problems.append(f"stdout {out[:200]!r}")
        if len(err.strip().splitlines()) != 1 or "Traceback" in err:
            problems.append(f"stderr {err[:200]!r}")
        if left:
            problems.append(f"{len(left)} processes left")
        if os.listdir(tmp):
            problems.append(f"files left: {os.listdir(tmp)}")
        return took, "; ".join(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; target: under 2 s from the signal to the exit")
    print(f"{'case':48} {'best s':>7} {'median s':>9} {'worst s':>8}  load  problems")
    for name, cmd, sig, group, processes, cpu in CASES:
        if args.only not in name:
            continue
        times, problems = [], []
        for _ in range(args.repeats):
            took, problem = one(cmd, sig, group, processes, cpu)
            times.append(took)
            if problem:
                problems.append(problem)
        print(
            f"{name:48} {min(times):7.2f} {statistics.median(times):9.2f} {max(times):8.2f}"
            f"  {os.getloadavg()[0]:4.1f}  {' | '.join(problems) or 'none'}"
        )


if __name__ == "__main__":
    main()
