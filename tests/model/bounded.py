"""Running a hostile input in a child process with a memory limit and a timeout.

A regression in a limit must fail a test, not swap the machine: each hostile case runs in a
subprocess whose address space is capped with ``resource.setrlimit(RLIMIT_AS)`` and which is
killed after a generous timeout (a safety net, not a timing assertion).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass

import pytest

MODEL_MEMORY = 512 * 2**20  # the model alone maps about 40 MB
CLI_MEMORY = 1536 * 2**20  # the CLI (numpy, scipy, rich) maps about 330 MB
TIMEOUT = 120.0  # seconds; only so that a hang fails instead of blocking the suite


@dataclass(frozen=True)
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def _capped(memory: int) -> object:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return limit


def run_bounded(args: list[str], *, memory: int, env: dict[str, str] | None = None) -> Outcome:
    """Run ``python args...`` with at most ``memory`` bytes of address space."""
    full_env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", **(env or {})}
    try:
        done = subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=_capped(memory),  # type: ignore[arg-type]
            env=full_env,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args} did not finish within {TIMEOUT:.0f} s")
    return Outcome(done.returncode, done.stdout, done.stderr)


LOAD = (
    "import sys\n"
    "from accord.model import ScenarioError, read_scenario\n"
    "try:\n"
    "    read_scenario(sys.argv[1])\n"
    "except ScenarioError as e:\n"
    "    print(type(e).__name__)\n"
    "    print(e)\n"
    "    sys.exit(2)\n"
)
"""A child that loads one file with the model alone: exit 2 and the problems, or exit 0."""


def load_bounded(path: str, env: dict[str, str] | None = None) -> Outcome:
    return run_bounded(["-c", LOAD, path], memory=MODEL_MEMORY, env=env)


def accord_bounded(*args: str, env: dict[str, str] | None = None) -> Outcome:
    """``accord ARGS`` in a child process with the CLI's memory cap."""
    return run_bounded(["-m", "accord", *args], memory=CLI_MEMORY, env=env)
