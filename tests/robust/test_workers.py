"""Where chunks run (issue 13, item 6): local worker processes started without fork, the
problem delivered by the pool's initializer, one code path with Dask, and the same bytes
whatever the number of workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

from accord import processes
from accord.jsonable import to_jsonable
from accord.model import load_scenario
from accord.phased import plan_from_scenario
from accord.robust import (
    BLOCK_SAMPLES,
    Indicator,
    Profiles,
    analyze_plans,
    analyze_robustness,
    workers,
)
from accord.robust.from_scenario import preference_model
from accord.robust.plans import valuation_model
from accord.robust.workers import InProcess, LocalProcesses, run_seeded_chunks
from accord.space import compile_space


@dataclass(frozen=True)
class WhereTally:
    """Which processes ran which blocks: adds like a real tally."""

    blocks: tuple[int, ...]
    pids: frozenset[int]
    problem_ids: frozenset[tuple[int, int]]  # (pid, id of the problem object there)

    def __add__(self, other: WhereTally) -> WhereTally:
        return WhereTally(
            self.blocks + other.blocks,
            self.pids | other.pids,
            self.problem_ids | other.problem_ids,
        )


def where(problem: Any, seed: int, first: int, count: int, samples: int) -> WhereTally:
    """A chunk simulator that records where it ran and which copy of the problem it saw."""
    return WhereTally(
        tuple(range(first, first + count)),
        frozenset({os.getpid()}),
        frozenset({(os.getpid(), id(problem))}),
    )


def ana_low(profiles: Profiles) -> NDArray[np.bool_]:
    return profiles.reservation[:, 0] < 0.4


def test_local_workers_are_not_forked_and_get_the_problem_from_the_initializer() -> None:
    assert processes._start_method() in ("forkserver", "spawn")
    problem = {"arrays": np.arange(10)}
    plan = [(b, 1) for b in range(6)]
    with LocalProcesses(2, where) as local:
        local.scatter(problem)
        futures = local.share(where, 0, plan, BLOCK_SAMPLES)  # this process takes none
        done = sorted((part for f in futures for part in f.result()), key=lambda d: d[0])
    assert [i for i, _ in done] == list(range(6))  # every chunk once, by some worker
    out = done[0][1]
    for _, tally in done[1:]:
        out = out + tally
    assert out.blocks == tuple(range(6))
    assert os.getpid() not in out.pids and 1 <= len(out.pids) <= 2
    # each worker unpickled the problem once, at start: one copy per worker, not per chunk
    # (ids are paired with pids: two workers forked from one server may reuse an address)
    assert len(out.problem_ids) == len(out.pids)
    assert processes._installed == []  # the parent keeps nothing in a module global


def slow_where(problem: Any, seed: int, first: int, count: int, samples: int) -> WhereTally:
    time.sleep(0.05)
    return where(problem, seed, first, count, samples)


def test_this_process_and_the_workers_share_the_chunks_each_once() -> None:
    """``processes`` processes in all: this one, from the result, and ``processes - 1``
    workers, from the start; each chunk runs once, somewhere, and they add in plan order."""
    problem = {"arrays": np.arange(10)}
    started = workers.start_seeded_chunks(
        slow_where, problem, 12 * BLOCK_SAMPLES, 0, chunk_samples=BLOCK_SAMPLES, processes=3
    )
    time.sleep(0.5)  # this process busy elsewhere (a report drawing) while the workers sample
    out = started.result()
    assert out.blocks == tuple(range(12))
    assert len(out.pids) <= 3
    # this process works on its own problem object; each worker on its one copy
    assert len(out.problem_ids) == len(out.pids)
    if os.getpid() in out.pids:
        assert (os.getpid(), id(problem)) in out.problem_ids
    assert started.result() is out  # asked again: the same result, nothing run again


def _workers_alive() -> list[int]:
    """This process's local workers still running (the fork server's children)."""
    psutil = pytest.importorskip("psutil")
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = " ".join(child.cmdline())
            helper = "forkserver" in line or "resource_tracker" in line
            if child.status() != psutil.STATUS_ZOMBIE and not helper:
                found.append(child.pid)
        except psutil.NoSuchProcess:
            continue
    return found


def _until_no_worker_is_left() -> list[int]:
    deadline = time.monotonic() + 10  # a guard against a hang, not a timing
    while _workers_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    return _workers_alive()


def test_a_run_smaller_than_a_worker_start_is_done_and_no_worker_outlives_it() -> None:
    out = run_seeded_chunks(
        where, {}, 4 * BLOCK_SAMPLES, 0, chunk_samples=BLOCK_SAMPLES, processes=2
    )
    assert out.blocks == (0, 1, 2, 3)
    assert _until_no_worker_is_left() == []


def test_a_run_cancelled_ends_its_workers() -> None:
    started = workers.start_seeded_chunks(
        slow_where, {}, 8 * BLOCK_SAMPLES, 0, chunk_samples=BLOCK_SAMPLES, processes=2
    )
    started.cancel()
    with pytest.raises(RuntimeError, match="cancelled"):
        started.result()
    assert _until_no_worker_is_left() == []


def test_one_process_runs_the_chunks_here() -> None:
    out = run_seeded_chunks(
        where, {}, 3 * BLOCK_SAMPLES, 0, chunk_samples=BLOCK_SAMPLES, processes=1
    )
    assert out.pids == {os.getpid()} and out.blocks == (0, 1, 2)


def test_the_local_clients_speak_the_dask_clients_three_words() -> None:
    """``scatter``, ``submit`` and ``gather``: the path the Dask client takes, locally."""
    for client in (InProcess(), LocalProcesses(2)):
        with client if isinstance(client, LocalProcesses) else _nothing():
            shared = client.scatter({"x": 1}, broadcast=True)
            futures = [client.submit(where, shared, 0, b, 1, 99, pure=False) for b in range(4)]
            parts = client.gather(futures)
        assert [p.blocks for p in parts] == [(0,), (1,), (2,), (3,)]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_a_lambda_indicator_is_refused_with_the_reason() -> None:
    with pytest.raises(TypeError, match=r"must be picklable.*module-level function"):
        Indicator("ana low", lambda p: p.reservation[:, 0] < 0.4)

    def nested(p: Profiles) -> NDArray[np.bool_]:
        return p.reservation[:, 0] < 0.4

    with pytest.raises(TypeError, match=r"'ana low'.*picklable"):
        Indicator("ana low", nested)


def _dumps(value: object) -> bytes:
    return json.dumps(to_jsonable(value), sort_keys=True).encode()


def test_robustness_report_bytes_do_not_depend_on_workers_or_chunks(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    base["preferences"]["ben"]["weights"]["dishes"] = {"dist": "normal", "mean": 1, "sd": 0.4}
    scenario = load_scenario(str(write_yaml(base)))
    space, model = compile_space(scenario), preference_model(scenario)
    indicator = Indicator("ana's reservation is below 0.4", ana_low)
    samples = 5 * BLOCK_SAMPLES + 123
    runs = {
        (processes, chunk): _dumps(
            analyze_robustness(
                space,
                model,
                samples=samples,
                seed=7,
                indicators=[indicator],
                processes=processes,
                chunk_samples=chunk,
            )
        )
        for processes, chunk in [(1, None), (2, None), (3, BLOCK_SAMPLES), (2, 4 * BLOCK_SAMPLES)]
    }
    first = runs[(1, None)]
    assert all(dump == first for dump in runs.values())
    assert b"ana's reservation is below 0.4" in first


def test_plan_robustness_bytes_do_not_depend_on_workers_or_chunks() -> None:
    scenario = load_scenario()
    model = valuation_model(scenario)
    plans = [plan_from_scenario(scenario, p.id, model.exchange) for p in scenario.plans]
    samples = 4 * BLOCK_SAMPLES + 77
    dumps = {
        _dumps(
            analyze_plans(
                model, plans, samples=samples, seed=3, processes=processes, chunk_samples=chunk
            )
        )
        for processes, chunk in [(1, None), (2, None), (3, BLOCK_SAMPLES), (2, 2 * BLOCK_SAMPLES)]
    }
    assert len(dumps) == 1


SLOW_RUN = """
import time
from accord.robust.workers import run_seeded_chunks

def slow(problem, seed, first, count, samples):
    time.sleep(300)

if __name__ == "__main__":
    run_seeded_chunks(slow, None, 4 * 1024, 0, chunk_samples=1024, processes=3)
"""


def test_workers_end_with_their_parent_even_when_it_is_killed(tmp_path: Path) -> None:
    """SIGKILL leaves the parent no time to stop its workers: they notice and end."""
    psutil = pytest.importorskip("psutil")
    script = tmp_path / "slow_run.py"
    script.write_text(SLOW_RUN, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], start_new_session=True)

    def session() -> list[int]:
        alive = []
        for pid in psutil.pids():
            try:
                if os.getsid(pid) == proc.pid and psutil.Process(pid).status() != "zombie":
                    alive.append(pid)
            except (ProcessLookupError, psutil.NoSuchProcess, PermissionError):
                continue
        return alive

    try:
        deadline = time.monotonic() + 120
        while len(session()) < 5 and time.monotonic() < deadline:  # itself, tracker, server, 2
            time.sleep(0.1)
        assert len(session()) >= 5, "the workers never started"
        time.sleep(1.0)  # the workers are in their chunks
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 20
        while session() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session() == []
    finally:
        for pid in session():
            os.kill(pid, signal.SIGKILL)


_SCRIPT_START = """
from accord.model import load_scenario
from accord.robust import Indicator, analyze_robustness
from accord.robust.from_scenario import preference_model
from accord.space import compile_space

def hamas_low(profiles):
    return profiles.reservation[:, 1] < 0.4
"""
_SCRIPT_RUN = """
s = load_scenario("job-offer")
report = analyze_robustness(
    compile_space(s), preference_model(s), samples=4 * 1024, seed=1, processes=2,
    chunk_samples=1024, indicators=INDICATORS,
)
print("ran", report.samples)
"""


@pytest.mark.parametrize(
    ("indicators", "guarded"),
    [
        ("()", False),  # accord's functions only: the script is never run again
        ("(Indicator('low', hamas_low),)", True),  # the workers need the script's function
    ],
    ids=["unguarded script", "indicator defined in a guarded script"],
)
def test_a_script_calling_accord_runs_its_local_workers(
    tmp_path: Path, indicators: str, guarded: bool
) -> None:
    """Workers started without fork import the caller's ``__main__``; a script without an
    ``if __name__ == "__main__":`` guard must not be run again in them (it broke the pool)."""
    run = _SCRIPT_RUN.replace("INDICATORS", indicators)
    if guarded:
        run = 'if __name__ == "__main__":\n' + "".join(f"    {line}\n" for line in run.splitlines())
    script = tmp_path / "script.py"
    script.write_text(_SCRIPT_START + run, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ran", str(4 * 1024)]
