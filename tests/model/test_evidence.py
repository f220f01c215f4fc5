"""The record in the format (issue 16, item 1): responses, judgements, dated reservations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from accord.model import ScenarioError, Verdict, load_scenario, read_scenario
from accord.model.problems import Problem, format_path


def problems(path: Path) -> dict[str, Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return {format_path(p.path): p for p in info.value.problems}


def with_second_proposal(base: dict[str, Any]) -> dict[str, Any]:
    second = dict(base["proposals"][0], id="p2", name="Ana pays less", date="2026-01-06")
    second["package"] = {"dishes": "shared", "rent": 45}
    base["proposals"].append(second)
    return base


def test_short_and_long_responses_and_judgements_load(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base = with_second_proposal(base)
    base["proposals"][0]["responses"] = {
        "ana": "accepted",
        "ben": {
            "response": "countered",
            "counter": "p2",
            "date": "2026-01-07",
            "sources": ["notes"],
        },
    }
    base["judgements"] = [{"party": "ana", "prefers": "p2", "over": "p1", "sources": ["notes"]}]
    base["preferences"]["ana"]["reservation_by_date"] = [
        {
            "valid_from": "2025-01-01",
            "valid_until": "2025-12-31",
            "reservation": 0.1,
            "rationale": "Last year.",
        }
    ]
    s = load_scenario(write_yaml(base))
    responses = s.proposals[0].responses
    assert responses["ana"].response is Verdict.accepted and responses["ana"].date is None
    assert responses["ben"].counter == "p2" and responses["ben"].date == dt.date(2026, 1, 7)
    assert s.judgements[0].prefers == "p2"
    assert s.preferences["ana"].reservation_by_date[0].reservation.point == 0.1


def test_every_mistake_in_the_record_is_located(base: dict[str, Any], write_yaml: Any) -> None:
    base = with_second_proposal(base)
    base["proposals"][0]["responses"] = {
        "zoe": "accepted",
        "ana": {"response": "accepted", "date": "2026-01-01", "sources": ["nowhere"]},
        "ben": {"response": "countered", "counter": "p1"},
    }
    base["proposals"][1]["responses"] = {"ben": {"response": "accepted", "counter": "p1"}}
    base["judgements"] = [
        {"party": "ana", "prefers": "p9", "over": "p1", "sources": ["notes"]},
        {"party": "anaa", "prefers": "p1", "over": "p1", "sources": ["notes"]},
    ]
    found = problems(write_yaml(base))
    assert "(did you mean" not in found["proposals[0].responses.zoe"].found
    assert (
        "on or after the proposal's (2026-01-05)"
        in found["proposals[0].responses.ana.date"].expected
    )
    assert "proposals[0].responses.ana.sources[0]" in found
    assert found["proposals[0].responses.ben.counter"].found == "p1"
    assert "only with response: countered" in found["proposals[1].responses.ben"].expected
    assert "p9" in found["judgements[0].prefers"].found
    assert "(did you mean 'ana'?)" in found["judgements[1].party"].found
    assert "other than 'prefers'" in found["judgements[1].over"].expected
    assert all(p.line is not None for p in found.values())


def test_a_word_that_is_no_verdict_names_the_three(base: dict[str, Any], write_yaml: Any) -> None:
    base["proposals"][0]["responses"] = {"ana": "maybe"}
    found = problems(write_yaml(base))
    problem = found["proposals[0].responses.ana.response"]
    assert all(word in problem.expected for word in ("accepted", "rejected", "countered"))


def test_a_mediators_response_is_kept_with_a_warning(base: dict[str, Any], write_yaml: Any) -> None:
    base["proposals"][0]["responses"] = {"landlord": "accepted"}
    loaded = read_scenario(write_yaml(base))
    (warning,) = loaded.warnings
    assert format_path(warning.path) == "proposals[0].responses.landlord"
    assert "not used by accord calibrate" in warning.found


def test_dated_reservations_are_ordered_and_do_not_overlap(
    base: dict[str, Any], write_yaml: Any
) -> None:
    period = {"reservation": 0.2, "rationale": "r"}
    base["preferences"]["ana"]["reservation_by_date"] = [
        dict(period, valid_from="2026-01-01", valid_until="2026-01-31"),
        dict(period, valid_from="2026-01-15", valid_until="2026-02-28", sources=["nope"]),
    ]
    found = problems(write_yaml(base))
    assert (
        "does not overlap reservation_by_date[0]"
        in found["preferences.ana.reservation_by_date[1].valid_from"].expected
    )
    assert "preferences.ana.reservation_by_date[1].sources[0]" in found
    base["preferences"]["ana"]["reservation_by_date"] = [
        dict(period, valid_from="2026-05-01", valid_until="2026-04-01")
    ]
    found = problems(write_yaml(base))
    assert "valid_until on or after" in found["preferences.ana.reservation_by_date[0]"].expected
