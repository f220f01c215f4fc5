"""The progress line: on a terminal's stderr after the first second, never elsewhere."""

from __future__ import annotations

import io
import threading
import time

from click.testing import CliRunner

from accord.cli import main
from accord.cli._output import ProgressLine
from accord.run import Analysis, analyze


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_step_once_the_delay_has_passed() -> None:
    stream = Terminal()
    with ProgressLine(stream, after=0.0) as progress:
        deadline = time.monotonic() + 5
        while not progress._shown and time.monotonic() < deadline:  # the timer's thread
            time.sleep(0.01)
        progress("sampling 5,000 preference profiles (seed 0)")
        progress("drawing \x1b[2J the figures")
    written = stream.getvalue()
    assert "sampling 5,000 preference profiles (seed 0) …" in written
    assert "drawing \\x1b[2J the figures" in written  # made safe like every other text
    assert written.endswith("\r\x1b[K")  # the line is cleared at the end


def test_a_quick_command_shows_nothing() -> None:
    stream = Terminal()
    with ProgressLine(stream, after=60.0) as progress:
        progress("compiling")
    assert stream.getvalue() == ""


def test_a_redirected_stderr_gets_nothing() -> None:
    stream = io.StringIO()
    with ProgressLine(stream, after=0.0) as progress:
        time.sleep(0.05)
        progress("sampling")
    assert stream.getvalue() == ""
    assert not any(t.name.startswith("Timer") and t.is_alive() for t in threading.enumerate())


def test_the_analysis_says_what_it_is_about_to_compute() -> None:
    said: list[str] = []
    analysis: Analysis = analyze("cairo-2024", progress=said.append)
    first = analysis.stability
    assert analysis.stability is first
    assert said == ["GMCR stability of every state"]


def test_commands_print_no_progress_when_stderr_is_not_a_terminal() -> None:
    result = CliRunner().invoke(main, ["robust", "--samples", "200"])
    assert result.exit_code == 0
    assert result.stderr == ""
