"""Which stated positions a package meets and breaks (issue 16, item 4)."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from accord.calibrate.positions import positions_met
from accord.cli import main
from accord.model import load_scenario, scenario_from_data


def test_numeric_bounds_options_and_words_only(base: dict[str, Any]) -> None:
    base["positions"].append(
        {
            "party": "ben",
            "issue": "dishes",
            "demand": "Ana",
            "options": ["ana"],
            "sources": ["notes"],
        }
    )
    base["positions"].append(
        {"party": "ben", "issue": "rent", "demand": "Fair.", "sources": ["notes"]}
    )
    scenario = scenario_from_data(base).scenario
    # ana: rent at most 50; ben: dishes done by ana; ben's second says nothing checkable
    met = positions_met(scenario, {"dishes": "shared", "rent": 50.0})
    assert [p.id for p in met.met] == ["positions[0]"]
    assert [p.id for p in met.broken] == ["positions[1]"]
    assert [p.id for p in met.unread] == ["positions[2]"]
    assert met.summary() == "meets 1 of 2 stated positions; breaks ben on dishes"
    met = positions_met(scenario, {"dishes": "ana", "rent": 55.0})
    assert ([p.id for p in met.met], [p.id for p in met.broken]) == (
        ["positions[1]"],
        ["positions[0]"],
    )


def test_the_cairo_nash_package_breaks_five_of_ten_stated_positions() -> None:
    run = CliRunner().invoke(main, ["analyze", "cairo-2024", "--json"])
    assert run.exit_code == 0
    nash = json.loads(run.output)["positions"]["nash"]
    assert len(nash["met"]) == 5 and len(nash["broken"]) == 5
    scenario = load_scenario("cairo-2024")
    package = json.loads(run.output)["solutions"]["nash"]["package"]
    assert {p["id"] for p in nash["broken"]} == {
        p.id for p in positions_met(scenario, package).broken
    }
    # by hand, from the Nash package (permanent truce, most hostages at once, repositioning,
    # full return, a pledge to keep talking): each issue meets one side's position
    assert package["truce"] == "permanent" and package["guarantees"] == "talks-pledge"
    assert {(p["party"], p["issue"]) for p in nash["broken"]} == {
        ("israel", "truce"),
        ("hamas", "release-pace"),
        ("hamas", "withdrawal"),
        ("israel", "return-displaced"),
        ("hamas", "guarantees"),
    }
