"""The CLI does what the user meant, checks every option before printing anything, and turns
only user mistakes into exit status 2 (issue 11, items 4, 7 and 12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from accord.cli import main
from accord.errors import LimitExceeded, UserInputError
from accord.gmcr.graph import moves_from
from accord.gmcr.inverse import count_rankings
from accord.model import dump_scenario, load_scenario
from accord.run import Analysis

DRAFT = "six-week truce, staged release (Cairo draft)"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def wall(tmp_path: Path) -> Path:
    path = tmp_path / "wall.yaml"
    dump_scenario(load_scenario("job-offer"), path)
    return path


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["improve", "{wall}"], "missing P"),
        (["improve", "nowhere.yaml"], "missing P"),
        (["improve", "job-offer"], "missing P"),
        (["compare", "{wall}", "first-offer"], "missing B"),
        (["compare", "plans.json"], "missing A B"),
    ],
)
def test_an_argument_naming_a_file_is_the_file(
    wall: Path, args: list[str], missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`accord improve wall.yaml` with the proposal forgotten says so; it does not analyse
    cairo-2024 and then complain of an unknown proposal 'wall.yaml'."""
    monkeypatch.setattr(Analysis, "space", property(lambda self: pytest.fail("analysed")))
    result = run(*(a.replace("{wall}", str(wall)) for a in args))
    assert result.exit_code == 2
    assert missing in result.output and "unknown proposal" not in result.output
    assert result.stdout == ""


def test_the_file_and_the_names_together_still_work(wall: Path) -> None:
    result = run("improve", str(wall), "first-offer", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["start"] == "first-offer"


@pytest.mark.parametrize(
    "args",
    [
        ["stability", "--explain", "XYZ"],
        ["stability", "--status-quo", "--explain", "XYZ"],
        ["stability", "--coalition", "israel,nobody", "--explain", DRAFT],
        ["stability", "--inverse", "israel", "--target", "NOPE"],
        ["stability", "--inverse", "israel", "--target", DRAFT, "--vary", "NNNNNNY,ZZZ"],
        ["stability", "--start", "YYYYYYY", "--status-quo"],
        ["phases", "--design", "--focus", "nothing"],
        ["phases", "--design", "--min-days", "30", "--max-days", "7"],
        ["phases", "no-such-plan"],
        ["compare", "cairo-draft", "nowhere"],
        ["robust", "--samples", "20000000"],
    ],
)
def test_every_option_is_checked_before_anything_is_printed(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error:") or "Error:" in result.stderr
    assert "Traceback" not in result.output


def test_the_default_inverse_range_works_on_the_embedded_scenario() -> None:
    """The default --vary is the target and the decision maker's moves from it."""
    result = run("stability", "--inverse", "israel", "--target", DRAFT, "--json")
    assert result.exit_code == 0, result.stderr
    inverse = json.loads(result.stdout)["inverse"]
    analysis = Analysis(load_scenario("cairo-2024"))
    conflict = analysis.conflict
    target = analysis.state(DRAFT)
    expected = sorted({target, *moves_from(conflict, 0, target)})
    assert inverse["varied"] == [conflict.label(s) for s in expected]
    assert inverse["total"] == count_rankings([int(conflict.scores[0, s]) for s in expected])
    text = run("stability", "--inverse", "israel", "--target", DRAFT)
    assert text.exit_code == 0 and "Inverse GMCR" in text.stdout


def test_only_a_user_input_error_is_exit_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """A ValueError deep in an analysis is a bug: it must not pass for the user's mistake."""

    def broken(self: Any, **_: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(Analysis, "space_analysis", broken)
    result = run("analyze")
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)

    def mistaken(self: Any, **_: Any) -> Any:
        raise LimitExceeded("too big: raise accord.limits.SOMETHING")

    monkeypatch.setattr(Analysis, "space_analysis", mistaken)
    result = run("analyze", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "Error: too big: raise accord.limits.SOMETHING\n"
    assert issubclass(LimitExceeded, UserInputError)


def test_the_cli_s_copies_of_names_agree_with_their_sources() -> None:
    """Kept in the CLI so that loading a command loads neither the solver nor the YAML of
    every embedded scenario."""
    from accord.cli.phases import OBJECTIVES
    from accord.embedded import embedded_names
    from accord.model import embedded_scenarios
    from accord.phased import OBJECTIVES as PHASED_OBJECTIVES

    assert OBJECTIVES == PHASED_OBJECTIVES
    assert embedded_names() == sorted(e.name for e in embedded_scenarios())
