"""The conflict: section: valid files compile, every mistake is reported with its path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from accord.gmcr.compile import compile_conflict
from accord.gmcr.stability import Stability, analyze_stability
from accord.jsonable import to_jsonable
from accord.model import ScenarioError, load_scenario, scenario_from_data
from accord.model.problems import format_path
from accord.run.stability import stability_report


def prisoners() -> dict[str, Any]:
    return {
        "accord": 1,
        "title": "Prisoner's dilemma",
        "conflict": {
            "decision_makers": [
                {"id": "a", "options": ["a_defects"], "ranking": ["YN", "NN", "YY", "NY"]},
                {"id": "b", "options": ["b_defects"], "ranking": ["NY", "NN", "YY", "YN"]},
            ],
            "labels": {"NN": "both cooperate", "YY": "both defect"},
            "status_quo": "both cooperate",
        },
    }


def problems_of(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(ScenarioError) as err:
        scenario_from_data(data)
    return [(format_path(p.path), p.expected, p.found) for p in err.value.problems]


def as_json(result: Stability) -> Any:
    """The ``accord stability --json`` document of ``result``."""
    return to_jsonable(stability_report(result.conflict, result))


def test_a_file_with_only_accord_title_and_conflict_is_a_valid_scenario(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "pd.yaml"
    path.write_text(yaml.safe_dump(prisoners()), encoding="utf-8")
    conflict = compile_conflict(load_scenario(path))
    assert conflict.label(conflict.status_quo or 0) == "both cooperate"
    result = as_json(analyze_stability(conflict))
    assert result["equilibria"] == {
        "nash": ["both defect"],
        "gmr": ["both cooperate", "both defect"],
        "smr": ["both cooperate", "both defect"],
        "seq": ["both cooperate", "both defect"],
    }


def test_explicit_graph_form_gives_the_same_answers_as_the_option_form() -> None:
    data = {
        "accord": 1,
        "title": "Prisoner's dilemma, explicit",
        "conflict": {
            "states": ["CC", "DC", "CD", "DD"],
            "decision_makers": [
                {
                    "id": "a",
                    "moves": {"CC": ["DC"], "DC": ["CC"], "CD": ["DD"], "DD": ["CD"]},
                    "ranking": ["DC", "CC", "DD", "CD"],
                },
                {
                    "id": "b",
                    "moves": {"CC": ["CD"], "CD": ["CC"], "DC": ["DD"], "DD": ["DC"]},
                    "ranking": ["CD", "CC", "DD", "DC"],
                },
            ],
        },
    }
    explicit = analyze_stability(compile_conflict(scenario_from_data(data).scenario))
    options = analyze_stability(compile_conflict(scenario_from_data(prisoners()).scenario))
    rename = {"both cooperate": "CC", "YN": "DC", "NY": "CD", "both defect": "DD"}
    want = as_json(options)["equilibria"]
    assert as_json(explicit)["equilibria"] == {
        c: [rename[s] for s in states] for c, states in want.items()
    }


def test_prioritization_compiles_to_gmcr_scores() -> None:
    data = prisoners()
    data["conflict"]["decision_makers"][0] = {
        "id": "a",
        "options": ["a_defects"],
        "prioritization": ["not b_defects", "a_defects"],
    }
    conflict = compile_conflict(scenario_from_data(data).scenario)
    # codes NN, YN, NY, YY: "not b_defects" weighs 2, "a_defects" weighs 1
    assert conflict.scores[0].tolist() == [2, 3, 0, 1]


def _edit(path: list[str | int], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(prisoners())
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


DMS = ["conflict", "decision_makers"]

BAD = [
    (
        "state of wrong length",
        _edit([*DMS, 0, "ranking"], ["YN", "NN", "YY", "NYY"]),
        "conflict.decision_makers[0].ranking[3]",
        "a state of 2 letters Y/N",
        "'NYY', 3 letters",
    ),
    (
        "state with wrong letters",
        _edit([*DMS, 0, "ranking"], ["YN", "NN", "YY", "NX"]),
        "conflict.decision_makers[0].ranking[3]",
        "letters Y or N",
        "'NX', with 'X'",
    ),
    (
        "ranking repeats a state",
        _edit([*DMS, 1, "ranking"], ["NY", "NN", ["YY", "NY"], "YN"]),
        "conflict.decision_makers[1].ranking[2][1]",
        "each feasible state once",
        "NY again (first at conflict.decision_makers[1].ranking[0])",
    ),
    (
        "ranking misses states",
        _edit([*DMS, 1, "ranking"], ["NY", "NN"]),
        "conflict.decision_makers[1].ranking",
        "every feasible state ranked once",
        "2 missing: YN, both defect",
    ),
    (
        "infeasible state in a ranking",
        _edit(["conflict", "infeasible"], [{"Y": ["a_defects", "b_defects"]}]),
        "conflict.decision_makers[0].ranking[2]",
        "a feasible state",
        "'YY', removed by conflict.infeasible[0]",
    ),
    (
        "unknown option in a pattern",
        _edit(["conflict", "infeasible"], [{"Y": ["a_defects"], "N": ["c_defects"]}]),
        "conflict.infeasible[0].N[0]",
        "an option of this conflict (a_defects, b_defects)",
        "'c_defects'",
    ),
    (
        "option both Y and N",
        _edit(["conflict", "infeasible"], [{"Y": ["a_defects"], "N": ["a_defects"]}]),
        "conflict.infeasible[0]",
        "each option in Y or in N, not both",
        "a_defects",
    ),
    (
        "shortcut with one option",
        _edit(["conflict", "infeasible"], [{"mutually_exclusive": ["a_defects"]}]),
        "conflict.infeasible[0]",
        "mutually_exclusive needs at least two options",
        "",
    ),
    (
        "unknown irreversible option",
        _edit(["conflict", "irreversible"], [{"option": "nope", "direction": "N->Y"}]),
        "conflict.irreversible[0].option",
        "an option of this conflict",
        "'nope'",
    ),
    (
        "bad irreversible direction",
        _edit(["conflict", "irreversible"], [{"option": "a_defects", "direction": "up"}]),
        "conflict.irreversible[0].direction",
        "'Y->N' or 'N->Y'",
        "'up'",
    ),
    (
        "ranking and prioritization",
        _edit([*DMS, 0, "prioritization"], ["a_defects"]),
        "conflict.decision_makers[0]",
        "exactly one of 'ranking' or 'prioritization'",
        "",
    ),
    (
        "statement naming an unknown option",
        _edit(
            [*DMS, 0], {"id": "a", "options": ["a_defects"], "prioritization": ["a_defects and zz"]}
        ),
        "conflict.decision_makers[0].prioritization[0]",
        "a statement over this conflict's options",
        "unknown option 'zz' at character 15 of 'a_defects and zz'",
    ),
    (
        "statement that does not parse",
        _edit([*DMS, 0], {"id": "a", "options": ["a_defects"], "prioritization": ["if a_defects"]}),
        "conflict.decision_makers[0].prioritization[0]",
        "a statement over this conflict's options",
        "expected 'then', found the end",
    ),
    (
        "option owned twice",
        _edit([*DMS, 1, "options"], ["a_defects"]),
        "conflict.decision_makers[1].options[0].id",
        "option ids unique in the conflict",
        "a second 'a_defects'",
    ),
    (
        "one decision maker",
        _edit(["conflict", "decision_makers"], [prisoners()["conflict"]["decision_makers"][0]]),
        "conflict.decision_makers",
        "at least 2 items",
        "",
    ),
    (
        "unknown status quo",
        _edit(["conflict", "status_quo"], "peace"),
        "conflict.status_quo",
        "a state: 2 letters Y or N",
        "'peace'",
    ),
    (
        "unknown source",
        _edit([*DMS, 0, "sources"], ["nowhere"]),
        "conflict.decision_makers[0].sources[0]",
        "a source id defined in 'sources'",
        "'nowhere'",
    ),
    (
        "duplicate label",
        _edit(["conflict", "labels"], {"NN": "calm", "YY": "calm"}),
        "conflict.labels.YY",
        "labels that are unique",
        "'calm' also names NN",
    ),
    (
        "moves in the option form",
        _edit([*DMS, 0, "moves"], {"NN": ["YN"]}),
        "conflict.decision_makers[0]",
        "'options' (option form) or 'moves', not both",
        "",
    ),
    (
        "unknown key",
        _edit([*DMS, 0, "rank"], ["YN"]),
        "conflict.decision_makers[0].rank",
        "only the keys this section defines",
        "",
    ),
]


@pytest.mark.parametrize(
    ("data", "path", "expected", "found"),
    [case[1:] for case in BAD],
    ids=[case[0] for case in BAD],
)
def test_bad_conflict_sections_are_reported_with_their_path(
    data: dict[str, Any], path: str, expected: str, found: str
) -> None:
    problems = problems_of(data)
    matching = [p for p in problems if p[0] == path and expected in p[1]]
    assert matching, problems
    assert any(found in p[2] for p in matching), problems


def test_explicit_form_mistakes() -> None:
    data = {
        "accord": 1,
        "title": "bad graph",
        "conflict": {
            "states": ["s1", "s2", "s2"],
            "decision_makers": [
                {"id": "a", "moves": {"s1": ["s9"], "s2": ["s2"]}, "ranking": ["s1", "s2"]},
                {"id": "b", "moves": {}, "prioritization": ["x"]},
            ],
        },
    }
    got = {(p[0], p[2]) for p in problems_of(data)}
    assert ("conflict.states[2]", "a second 's2'") in got
    assert ("conflict.decision_makers[0].moves.s1[0]", "'s9'") in got
    assert ("conflict.decision_makers[0].moves.s2[0]", "'s2'") in got
    assert (
        "conflict.decision_makers[1].prioritization",
        "prioritization in the explicit-graph form",
    ) in got


def test_problems_carry_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "accord: 1\n"
        "title: t\n"
        "conflict:\n"
        "  decision_makers:\n"
        "    - id: a\n"
        "      options: [x]\n"
        "      ranking: [Y, N]\n"
        "    - id: b\n"
        "      options: [y]\n"
        "      ranking: [NN, YN, NY, YYN]\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    text = str(err.value)
    assert "bad.yaml:7:" in text  # a's ranking names 1-letter states
    assert "bad.yaml:10:" in text  # b's ranking has a 3-letter state
    assert "conflict.decision_makers[1].ranking[3]" in text


def test_conflict_sections_survive_a_round_trip(tmp_path: Path) -> None:
    from accord.model import dump_scenario

    elmira = Path(__file__).parent / "data" / "elmira.yaml"
    for source in (None, str(elmira)):
        scenario = load_scenario(source)
        for ext in ("yaml", "json"):
            path = tmp_path / f"copy.{ext}"
            dump_scenario(scenario, path)
            again = load_scenario(path)
            assert again.conflict == scenario.conflict
            before = as_json(analyze_stability(compile_conflict(scenario)))
            assert as_json(analyze_stability(compile_conflict(again))) == before


def test_cairo_conflict_preferences_are_sourced_estimates() -> None:
    scenario = load_scenario()
    assert scenario.conflict is not None
    source_ids = {s.id for s in scenario.sources}
    party_ids = {p.id for p in scenario.parties}
    for dm in scenario.conflict.decision_makers:
        assert dm.estimate is True, dm.id
        assert dm.rationale and "Estimate" in dm.rationale, dm.id
        assert dm.sources and set(dm.sources) <= source_ids, dm.id
        assert dm.party in party_ids, dm.id
    conflict = compile_conflict(scenario)
    assert conflict.label(conflict.status_quo or 0) == "war goes on, US presses (13 Feb)"
    # the options the issue names are all there
    for option in (
        "il-truce",
        "il-permanent",
        "il-withdraw",
        "il-rafah",
        "hm-at-once",
        "hm-staged",
    ):
        assert option in conflict.option_ids
