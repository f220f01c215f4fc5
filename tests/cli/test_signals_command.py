"""`accord signals`: the signals by day and party, mixed days marked (issue 18 item 2)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from accord.cli import main


def run(*args: str, width: int = 80) -> str:
    env = {"COLUMNS": str(width)}
    result = CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_13_february_holds_signals_both_ways_by_party() -> None:
    data = json.loads(run("signals", "cairo-2024", "--json"))
    day = next(d for d in data["days"] if d["date"] == "2024-02-13")
    assert day["mixed"] is True
    israel = next(p for p in day["parties"] if p["party"] == "israel")
    assert {e["representative"] for e in israel["negative"] if "representative" in e} == {
        "Herzi Halevi",
        "Benjamin Netanyahu",
    }
    assert [e["representative"] for e in israel["positive"]] == ["David Barnea"]
    us = next(p for p in day["parties"] if p["party"] == "united-states")
    assert us["positive"][0]["sources"] == [
        {"source": "aj-2024-02-13", "at": "constructive and moving in the right direction"}
    ]
    assert sum(data["tones"].values()) == sum(
        len(p[t]) for d in data["days"] for p in d["parties"] for t in data["tones"]
    )


def test_the_table_marks_mixed_days_and_shows_the_locators() -> None:
    out = run("signals", width=200)
    assert "2024-02-13: mixed signals" in out
    assert "- obstacle" in out and "+ progress" in out and "= demand" in out
    assert "at “relatively significant progress”" in out


def test_a_scenario_without_signals_says_so() -> None:
    assert "no signals" in run("signals", "job-offer")
    assert json.loads(run("signals", "job-offer", "--json"))["days"] == []


def test_show_draws_the_signals_too() -> None:
    out = run("show", "cairo-2024")
    assert "Signals (+ positive, - negative, = neutral)" in out and "Herzi Halevi" in out
