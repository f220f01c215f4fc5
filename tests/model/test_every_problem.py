"""Every problem, not the first kind (issue 12, item 5).

Shape problems (an unknown key, a wrong type) and reference problems (a duplicate id, an unknown
party) are reported together wherever the part they concern could be read; a reference to a
part that could not be read is not called unknown; the agreement space's problems are found at
load with the file and the location of the part they concern.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.model import ScenarioError, load_scenario, read_scenario
from accord.model.problems import Problem, format_path


def problems(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return list(info.value.problems)


def at(found: list[Problem]) -> dict[str, Problem]:
    return {format_path(p.path): p for p in found}


def test_an_unknown_key_hides_no_reference_error(base: dict[str, Any], write_yaml: Any) -> None:
    base["titel"] = "typo"
    base["parties"][2]["id"] = "ana"  # a duplicate id
    base["proposals"][0]["by"] = "nobody"  # an unknown party
    base["events"][0]["sources"] = ["nowhere"]  # an unknown source
    base["positions"][0]["issue"] = "rnt"  # an unknown issue
    found = at(problems(write_yaml(base)))
    assert {"titel", "parties[2].id", "proposals[0].by", "events[0].sources[0]"} <= set(found)
    assert "positions[0].issue" in found
    assert "(did you mean 'title'?)" in found["titel"].found
    assert "(did you mean 'rent'?)" in found["positions[0].issue"].found
    assert all(p.line is not None for p in found.values())


def test_a_part_with_a_wrong_type_is_left_out_and_the_rest_is_checked(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["parties"][1]["role"] = "observer"  # ben cannot be read
    base["proposals"][0]["by"] = "ben"  # ... but he exists: no unknown-party error
    base["proposals"][0]["package"]["dishes"] = "robot"  # a later section, also wrong
    found = at(problems(write_yaml(base)))
    assert set(found) == {"parties[1].role", "proposals[0].package.dishes"}


def test_paths_after_a_left_out_item_keep_their_index_in_the_file(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["sources"].append(
        {"id": "extra", "outlet": "o", "title": "t", "date": "2026-01-06", "colour": "red"}
    )
    base["parties"][0]["role"] = "boss"
    base["parties"][2]["sources"] = ["missing"]  # the third party, read as the second
    found = at(problems(write_yaml(base)))
    assert "parties[2].sources[0]" in found
    assert "parties[0].role" in found
    assert "sources[1].colour" in found


def test_a_mistake_behind_an_unknown_key_is_reported_too(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["issues"][0]["colour"] = "red"
    base["issues"][0]["range"] = {"min": 0, "max": 1, "step": 1}  # options and range: both
    found = at(problems(write_yaml(base)))
    assert "issues[0].colour" in found
    assert "exactly one of 'options'" in found["issues[0]"].expected


def test_a_section_that_cannot_be_read_at_all_stops_no_other_check(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["parties"] = "everyone"
    base["events"][0]["sources"] = ["nowhere"]
    found = at(problems(write_yaml(base)))
    assert "parties" in found and "events[0].sources[0]" in found
    # references into the unreadable section are not judged
    assert not any(p.expected.startswith("a party id") for p in found.values())


def test_a_negotiator_without_preferences_is_located_at_its_party(
    base: dict[str, Any], write_yaml: Any
) -> None:
    """The file loads (a case exported from accord serve holds only the consenting parties'
    preferences), with a located warning; the agreement space raises it, located, as an error."""
    import accord
    from accord.model import read_scenario

    del base["preferences"]["ben"]
    path = write_yaml(base)
    (warning,) = read_scenario(path).warnings
    assert warning.warning and warning.blocks == "agreement space"
    with pytest.raises(ScenarioError) as info:
        _ = accord.analyze(path).space
    (problem,) = info.value.problems
    assert not problem.warning and problem.path == ("parties", 1)
    assert "'ben'" in problem.expected and problem.file == str(path)
    assert "id: ben" in path.read_text().splitlines()[problem.line - 1]  # type: ignore[operator]


def test_fewer_than_two_negotiators_is_found_at_load(base: dict[str, Any], write_yaml: Any) -> None:
    base["parties"][1]["role"] = "stakeholder"
    del base["preferences"]["ben"]
    found = at(problems(write_yaml(base)))
    assert "at least two parties with role 'negotiator'" in found["parties"].expected
    assert found["parties"].line is not None


def test_a_scenario_without_preferences_loads_with_warnings(
    base: dict[str, Any], write_yaml: Any
) -> None:
    del base["preferences"]
    result = read_scenario(write_yaml(base))
    assert [w.path for w in result.warnings] == [("parties", 0), ("parties", 1)]
    assert all(w.line is not None for w in result.warnings)


def test_a_conflict_only_scenario_needs_no_agreement_space(write_yaml: Any) -> None:
    data = {
        "accord": 1,
        "title": "t",
        "conflict": {
            "decision_makers": [
                {"id": "a", "options": ["x"], "ranking": ["Y", "N"]},
                {"id": "b", "options": ["y"], "ranking": ["N", "Y"]},
            ]
        },
    }
    # each decision maker's ranking names 1-letter states in a 2-option conflict
    found = at(problems(write_yaml(data)))
    assert set(found) == {
        "conflict.decision_makers[0].ranking[0]",
        "conflict.decision_makers[0].ranking[1]",
        "conflict.decision_makers[1].ranking[0]",
        "conflict.decision_makers[1].ranking[1]",
        "conflict.decision_makers[0].ranking",
        "conflict.decision_makers[1].ranking",
    }
