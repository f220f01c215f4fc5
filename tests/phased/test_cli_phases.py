"""`accord phases`: tables, JSON, design, guarantees, and clean errors (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["phases", *args], catch_exceptions=False)


def test_every_plan_of_cairo_is_checked_and_compared() -> None:
    out = run()
    assert out.exit_code == 0, out.output
    for words in (
        "Most hostages at once",
        "permanent ceasefire",
        "six-week, three-stage draft",
        "Plans side by side",
        "weakest point",
        "not self-enforcing",
    ):
        assert words in out.output


def test_one_plan_by_name_alone_means_the_default_scenario() -> None:
    a = run("cairo-draft")
    b = run("cairo-2024", "cairo-draft")
    assert a.exit_code == 0 and a.output == b.output
    assert "start of stage-3" in a.output and "Unknown" in a.output


def test_json_matches_the_evaluator() -> None:
    data = json.loads(run("israel-most-first", "--json").output)
    (a,) = data["assessments"]
    assert a["plan"] == "israel-most-first" and a["self_enforcing"] is False
    assert a["weakest"]["negotiator"] == "israel"
    assert a["weakest"]["point"]["after"] == ["hamas"]
    assert min(min(row) for row in a["margin"]) == a["weakest"]["margin"]


def test_guarantee_names_the_penalty_and_where_it_binds() -> None:
    data = json.loads(run("israel-most-first", "--guarantee", "--json").output)
    (g,) = data["guarantees"]
    assert g["required"][0] == pytest.approx(-data_margin("israel-most-first"), rel=1e-9)
    assert g["binding"][0] == "rest, after hamas delivered" and g["recheck"]["self_enforcing"]
    assert "binding point" in run("--guarantee").output


def data_margin(plan: str) -> float:
    return float(json.loads(run(plan, "--json").output)["assessments"][0]["weakest"]["margin"])


def test_design_prints_a_rechecked_schedule() -> None:
    out = run("cairo-draft", "--design", "--objective", "even", "--stages", "3")
    assert out.exit_code == 0
    assert "Designed schedule (even; totals from cairo-draft)" in out.output
    assert "Re-checked by the stage-by-stage evaluator" in out.output
    data = json.loads(run("cairo-draft", "--design", "--objective", "shortest", "--json").output)
    d = data["design"]
    assert d["status"] == "optimal" and d["recheck"]["self_enforcing"]
    assert [sum(col) for col in zip(*d["amounts"], strict=True)] == [101, 1500, 1, 29]


def test_design_explains_infeasibility_in_words() -> None:
    out = run("israel-most-first", "--design", "--focus", "hostages-living")
    assert out.exit_code == 0
    assert "No 3-stage schedule" in out.output and "guarantor penalty on israel alone" in out.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope",), "no plan 'nope'"),
        (("cairo-2024", "nope"), "no plan 'nope'"),
        (("job-offer",), "has no plans"),
        (("--design", "--focus", "zz"), "unknown item(s) zz"),
        (("--design", "--min-days", "9", "--max-days", "3"), "exceeds --max-days"),
        (("--design", "--objective", "fastest"), "fastest"),
        (("--stages", "0", "--design"), "0"),
    ],
)
def test_user_mistakes_exit_2_without_a_traceback(args: tuple[str, ...], message: str) -> None:
    out = CliRunner().invoke(main, ["phases", *args])
    assert out.exit_code == 2, out.output
    assert message in out.output and "Traceback" not in out.output


def test_a_bad_file_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("accord: 1\ntitle: x\nplans: [{id: p, name: P, stages: []}]\n")
    out = CliRunner().invoke(main, ["phases", str(bad)])
    assert out.exit_code == 2 and "plans[0].stages" in out.output


def test_help_is_complete() -> None:
    out = run("--help")
    for flag in ("--design", "--objective", "--stages", "--guarantee", "--json", "--focus"):
        assert flag in out.output


def test_holdings_too_large_for_the_penalty_programme_are_a_clear_error(tmp_path: Path) -> None:
    from importlib.resources import files

    text = (files("accord") / "scenarios" / "cairo-2024.yaml").read_text(encoding="utf-8")
    assert "holdings: {hamas: 101}" in text
    huge = tmp_path / "huge.yaml"
    huge.write_text(text.replace("holdings: {hamas: 101}", "holdings: {hamas: 2e300}"), "utf-8")
    out = CliRunner().invoke(main, ["phases", str(huge), "cairo-draft", "--guarantee"])
    assert out.exit_code == 2, out.output
    assert "cairo-draft" in out.output and "larger units" in out.output
    assert "Traceback" not in out.output
