"""Ctrl-C and SIGTERM stop `accord robust` and `accord report` cleanly (issue 12, item 3).

Real signals on real processes: each command runs as its own session (so a Ctrl-C can be sent
to its whole process group, as a terminal does), the signal comes once the work is under way,
and then: exit status 130 (SIGINT) or 143 (SIGTERM), exactly one line on stderr, no
traceback, no process of the session left, and no partial output file.  The time to stop is
only bounded generously here (10 s); benchmarks and docs/performance/robustness.md give it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

STOPS_WITHIN = 60.0
"""A guard against a hang, not a timing: how long the tests wait for a signalled process to
exit before failing (``benchmarks/interrupts.py`` measures how long it really takes)."""


def _session(leader: int) -> list[int]:
    """Every live process of the session ``leader`` started (zombies excluded)."""
    found = []
    for pid in psutil.pids():
        try:
            if os.getsid(pid) == leader and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                found.append(pid)
        except (ProcessLookupError, psutil.NoSuchProcess, PermissionError):
            continue
    return found


def _cpu_seconds(proc: psutil.Process) -> float:
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            continue
    return total


def _start(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "accord", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_until_busy(proc: subprocess.Popen[str], processes: int, cpu: float) -> None:
    """Until the command has ``processes`` processes (itself included) and has used ``cpu``
    seconds: past start-up, into the analysis."""
    me = psutil.Process(proc.pid)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the command ended before the signal: {proc.returncode}\n{err}")
        if len(_session(proc.pid)) >= processes and _cpu_seconds(me) >= cpu:
            return
        time.sleep(0.1)
    pytest.fail("the command never got under way")


def _signal_and_check(
    proc: subprocess.Popen[str], sig: int, *, group: bool, expected_line: str
) -> str:
    if group:
        os.killpg(proc.pid, sig)  # what a terminal's Ctrl-C does
    else:
        os.kill(proc.pid, sig)
    try:
        out, err = proc.communicate(timeout=STOPS_WITHIN)
    finally:
        for pid in _session(proc.pid):  # never leave a stray process behind the test
            if pid != proc.pid:
                os.kill(pid, signal.SIGKILL)
    assert proc.returncode == 128 + sig, err
    assert "Traceback" not in err and "Error" not in err, err
    assert err.strip().splitlines() == [expected_line], err
    # nothing of the session is left running (the resource tracker and fork server leave
    # when their parent does; give them a moment)
    deadline = time.monotonic() + 5
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(proc.pid) == []
    return out


ROBUST = ["robust", "cairo-2024", "--samples", "2000000"]
ALL_UP = 3 + max(1, (os.cpu_count() or 1) - 1)
"""The default run's processes once all are up: itself, the resource tracker, the fork server
and one worker per core but the one this process samples on."""


@pytest.mark.parametrize(
    ("sig", "group", "line", "processes", "cpu"),
    [
        (signal.SIGINT, True, "accord: interrupted", ALL_UP, 3.0),
        (signal.SIGINT, True, "accord: interrupted", 3, 0.2),
        (signal.SIGINT, True, "accord: interrupted", 3, 0.5),
        (signal.SIGINT, True, "accord: interrupted", 3, 0.8),
        (signal.SIGINT, False, "accord: interrupted", ALL_UP, 3.0),
        (signal.SIGTERM, False, "accord: terminated", ALL_UP, 3.0),
    ],
    ids=[
        "ctrl-c",
        "ctrl-c-while-loading",
        "ctrl-c-while-workers-start",
        "ctrl-c-while-sampling-starts",
        "sigint-to-accord-only",
        "sigterm",
    ],
)
def test_robust_with_local_worker_processes_stops(
    tmp_path: Path, sig: int, group: bool, line: str, processes: int, cpu: float
) -> None:
    """The default run: its chunks shared by this process and a local worker per other core."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the chunks run in the command's own process")
    proc = _start([*ROBUST, "--json"], tmp_path)
    # ALL_UP: every worker started; 3: itself, the resource tracker and the fork server, which
    # start first thing: the signal then comes while the command loads its modules and the
    # scenario (Python builds dataclasses from strings then) or starts the workers
    _wait_until_busy(proc, processes=processes, cpu=cpu)
    out = _signal_and_check(proc, sig, group=group, expected_line=line)
    assert out == ""  # no half result on stdout


@pytest.mark.parametrize(
    ("sig", "group", "line"),
    [(signal.SIGINT, True, "accord: interrupted"), (signal.SIGTERM, False, "accord: terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_robust_on_a_local_dask_cluster_stops(
    tmp_path: Path, sig: int, group: bool, line: str
) -> None:
    pytest.importorskip("distributed")
    proc = _start([*ROBUST, "--json", "--workers", "2"], tmp_path)
    _wait_until_busy(proc, processes=3, cpu=5.0)  # its two Dask workers, and work under way
    out = _signal_and_check(proc, sig, group=group, expected_line=line)
    assert out == ""


@pytest.mark.parametrize(
    ("sig", "group", "line"),
    [(signal.SIGINT, True, "accord: interrupted"), (signal.SIGTERM, False, "accord: terminated")],
    ids=["ctrl-c", "sigterm"],
)
def test_report_stops_and_leaves_the_previous_report_whole(
    tmp_path: Path, sig: int, group: bool, line: str
) -> None:
    previous = tmp_path / "report.html"
    previous.write_text("<p>the report of yesterday</p>", encoding="utf-8")
    proc = _start(["report", "cairo-2024", "-o", str(previous), "--samples", "2000000"], tmp_path)
    _wait_until_busy(proc, processes=1, cpu=3.0)
    _signal_and_check(proc, sig, group=group, expected_line=line)
    assert previous.read_text(encoding="utf-8") == "<p>the report of yesterday</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.fixture
def own_handlers():  # type: ignore[no-untyped-def]
    """The test process's SIGINT and SIGTERM handlers, put back after the test."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


class _DropsAnInterrupt:
    """A finaliser that a signal interrupts: Python prints "Exception ignored" and drops the
    KeyboardInterrupt raised in it."""

    def __del__(self) -> None:
        raise KeyboardInterrupt


def test_an_interrupt_a_finaliser_dropped_is_raised_again(own_handlers, capsys) -> None:  # type: ignore[no-untyped-def]
    from accord.cli._signals import exit_on_signals

    with pytest.raises(SystemExit) as stop, exit_on_signals():
        _DropsAnInterrupt()  # collected at once: its KeyboardInterrupt is dropped
        deadline = time.monotonic() + STOPS_WITHIN
        while time.monotonic() < deadline:  # the command "goes on"
            time.sleep(0.01)
    assert stop.value.code == 130
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["accord: interrupted"]
    assert "Exception ignored" not in err


def test_an_interrupt_python_wrapped_in_another_error_is_still_an_interrupt(  # type: ignore[no-untyped-def]
    own_handlers, capsys
) -> None:
    """A Ctrl-C while a module defining a class loads reaches the command as a RuntimeError
    ("Error calling __set_name__") caused by the KeyboardInterrupt."""
    from accord.cli._signals import exit_on_signals

    with pytest.raises(SystemExit) as stop, exit_on_signals():
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as interrupt:
            raise RuntimeError("Error calling __set_name__") from interrupt
    assert stop.value.code == 130
    assert capsys.readouterr().err.strip().splitlines() == ["accord: interrupted"]


def test_a_plain_error_is_not_taken_for_an_interrupt(own_handlers) -> None:  # type: ignore[no-untyped-def]
    from accord.cli._signals import exit_on_signals

    with pytest.raises(RuntimeError, match="a bug"), exit_on_signals():
        raise RuntimeError("a bug")


def test_an_interrupt_inside_exec_of_a_string_is_forgotten_when_leaving(  # type: ignore[no-untyped-def]
    own_handlers, capsys
) -> None:
    """CPython notes a KeyboardInterrupt that escaped ``exec(text)`` and would end the process
    with SIGINT (status -2) instead of 130; leaving clears the note."""
    ctypes = pytest.importorskip("ctypes")
    try:
        noted = ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt")
    except ValueError:
        pytest.skip("this Python keeps no such note")
    from accord.cli._signals import exit_on_signals

    with pytest.raises(SystemExit), exit_on_signals():
        exec("raise KeyboardInterrupt")
    assert noted.value == 0
    assert capsys.readouterr().err.strip().splitlines() == ["accord: interrupted"]


def test_sigterm_becomes_exit_143_with_one_line(own_handlers, capsys) -> None:  # type: ignore[no-untyped-def]
    from accord.cli._signals import exit_on_signals

    with pytest.raises(SystemExit) as stop, exit_on_signals():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(STOPS_WITHIN)
    assert stop.value.code == 143
    assert capsys.readouterr().err.strip().splitlines() == ["accord: terminated"]


@pytest.mark.parametrize(
    ("module", "then"),
    [
        # while accord.cli itself loads: nothing to clean up, the process ends at once
        ("accord.cli._common", ""),
        # while a command's module loads inside the command line: the command's handler
        ("accord.cli.analyze", "accord.cli.main(['analyze', 'job-offer'])\n"),
    ],
)
def test_a_signal_while_the_commands_load_ends_quietly(module: str, then: str) -> None:
    """Before any command runs there is nothing to clean up: one line, exit 130."""
    code = (
        "import os, signal, sys, time\n"
        "class SignalMidway:\n"  # the signal comes while the module is being found
        "    def find_spec(self, name, path, target=None):\n"
        f"        if name == {module!r}:\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "            time.sleep(30)\n"
        "sys.meta_path.insert(0, SignalMidway())\n"
        "import accord.cli\n"
        f"{then}"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines() == ["accord: interrupted"]


def test_importing_the_command_line_keeps_a_programs_own_handlers() -> None:
    code = (
        "import signal\n"
        "import accord.cli\n"
        "assert signal.getsignal(signal.SIGINT) is signal.default_int_handler\n"
        "assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
