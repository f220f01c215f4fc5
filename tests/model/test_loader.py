"""The loader: valid files load whole; every kind of mistake is reported precisely."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.model import ScenarioError, load_scenario, read_scenario
from accord.model.problems import Problem


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return list(info.value.problems)


def one_problem(path: Path) -> Problem:
    found = problems_of(path)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def test_the_base_scenario_loads(base: dict[str, Any], write_yaml: Any) -> None:
    result = read_scenario(write_yaml(base))
    assert result.scenario.title == base["title"]
    assert result.warnings == ()
    assert [p.id for p in result.scenario.negotiators] == ["ana", "ben"]


def test_model_is_immutable(base: dict[str, Any], write_yaml: Any) -> None:
    s = load_scenario(write_yaml(base))
    with pytest.raises(Exception, match="frozen"):
        s.title = "changed"  # type: ignore[misc]


# Each case: how to break the base scenario, the path the message must name, and words that the
# message's expected/found parts must contain.
CASES: list[tuple[str, Any, str, tuple[str, ...]]] = [
    ("wrong format version", lambda d: d.update(accord=2), "accord", ("1", "2")),
    ("missing title", lambda d: d.pop("title"), "title", ("required key 'title'", "nothing")),
    ("unknown top-level key", lambda d: d.update(titel="x"), "titel", ("unknown key 'titel'",)),
    (
        "bad role",
        lambda d: d["parties"][1].update(role="observer"),
        "parties[1].role",
        ("negotiator", "observer"),
    ),
    (
        "duplicate party id",
        lambda d: d["parties"][2].update(id="ana"),
        "parties[2].id",
        ("unique", "'ana'"),
    ),
    (
        "unknown source cited",
        lambda d: d["parties"][0].update(sources=["nope"]),
        "parties[0].sources[0]",
        ("source id", "'nope'"),
    ),
    (
        "issue with both options and range",
        lambda d: d["issues"][0].update(range={"min": 0, "max": 1, "step": 1}),
        "issues[0]",
        ("exactly one of",),
    ),
    (
        "range off its step",
        lambda d: d["issues"][1]["range"].update(max=62),
        "issues[1].range",
        ("whole number of steps",),
    ),
    (
        "negative weight",
        lambda d: d["preferences"]["ana"]["weights"].update(rent=-1),
        "preferences.ana.weights.rent",
        ("greater than or equal to 0", "-1"),
    ),
    (
        "all weights zero",
        lambda d: d["preferences"]["ana"].update(weights={"dishes": 0, "rent": 0}),
        "preferences.ana.weights",
        ("not all zero",),
    ),
    (
        "weight for an unknown issue",
        lambda d: d["preferences"]["ben"]["weights"].update(cooking=1),
        "preferences.ben.weights.cooking",
        ("issue id", "'cooking'"),
    ),
    (
        "missing weight for an issue",
        lambda d: d["preferences"]["ben"]["weights"].pop("rent"),
        "preferences.ben.weights",
        ("'rent'", "write 0"),
    ),
    (
        "value for an option the issue lacks",
        lambda d: d["preferences"]["ana"]["values"]["dishes"].update(robot=3),
        "preferences.ana.values.dishes.robot",
        ("option of 'dishes'", "'robot'"),
    ),
    (
        "value missing for an option",
        lambda d: d["preferences"]["ana"]["values"]["dishes"].pop("shared"),
        "preferences.ana.values.dishes",
        ("every option", "shared"),
    ),
    (
        "points that do not span the range",
        lambda d: d["preferences"]["ana"]["values"].update(rent=[[45, 1], [60, 0]]),
        "preferences.ana.values.rent",
        ("whole range 40 to 60", "from 45 to 60"),
    ),
    (
        "reservation above 1",
        lambda d: d["preferences"]["ana"].update(reservation=1.5),
        "preferences.ana.reservation",
        ("less than or equal to 1", "1.5"),
    ),
    (
        "preferences for a mediator",
        lambda d: d["preferences"].update(landlord=d["preferences"]["ana"]),
        "preferences.landlord",
        ("only for negotiators", "mediator"),
    ),
    (
        "package misses an issue",
        lambda d: d["proposals"][0]["package"].pop("rent"),
        "proposals[0].package",
        ("every issue", "rent"),
    ),
    (
        "package names an option the issue lacks",
        lambda d: d["proposals"][0]["package"].update(dishes="robot"),
        "proposals[0].package.dishes",
        ("options of 'dishes'", "'robot'"),
    ),
    (
        "package number off the step",
        lambda d: d["proposals"][0]["package"].update(rent=52),
        "proposals[0].package.rent",
        ("steps of 5", "52"),
    ),
    (
        "package number outside the range",
        lambda d: d["proposals"][0]["package"].update(rent=70),
        "proposals[0].package.rent",
        ("from 40 to 60", "70"),
    ),
    (
        "proposal by an unknown party",
        lambda d: d["proposals"][0].update(by="mayor"),
        "proposals[0].by",
        ("party id", "'mayor'"),
    ),
    (
        "proposal without sources",
        lambda d: d["proposals"][0].update(sources=[]),
        "proposals[0].sources",
        ("at least 1",),
    ),
    (
        "constraint on an unknown option",
        lambda d: d["constraints"][0]["forbid"].update(dishes="cat"),
        "constraints[0].forbid.dishes",
        ("options of 'dishes'", "'cat'"),
    ),
    (
        "position on an unknown issue",
        lambda d: d["positions"][0].update(issue="garden"),
        "positions[0].issue",
        ("issue id", "'garden'"),
    ),
    (
        "position bound outside the range",
        lambda d: d["positions"][0].update(max=80),
        "positions[0].max",
        ("from 40 to 60", "80"),
    ),
    (
        "event with a bad date",
        lambda d: d["events"][0].update(date="13th of February"),
        "events[0].date",
        ("valid date",),
    ),
    (
        "equal values on a weighted issue",
        lambda d: d["preferences"]["ben"]["values"].update(
            dishes={"ana": 1, "shared": 1, "ben": 1}
        ),
        "preferences.ben.values.dishes",
        ("differ", "equal to 1"),
    ),
    (
        "not a number",
        lambda d: d["preferences"]["ben"].update(reservation="high"),
        "preferences.ben.reservation",
        ("valid number", "'high'"),
    ),
    (
        "infinite number",
        lambda d: d["preferences"]["ben"].update(reservation=float("inf")),
        "preferences.ben.reservation",
        ("finite",),
    ),
]


@pytest.mark.parametrize(("label", "breaks", "path", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_with_its_place(
    label: str,
    breaks: Any,
    path: str,
    words: tuple[str, ...],
    base: dict[str, Any],
    write_yaml: Any,
) -> None:
    breaks(base)
    file = write_yaml(base)
    problems = problems_of(file)
    matching = [p for p in problems if str(p).split(" at ", 1)[1].startswith(path + ":")]
    assert matching, f"no problem at {path}: " + "\n".join(map(str, problems))
    p = matching[0]
    assert p.file == str(file)
    assert p.line is not None and p.line >= 1
    text = f"{p.expected} | {p.found}"
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


def test_line_and_column_point_at_the_mistake(write_yaml: Any, base: dict[str, Any]) -> None:
    base["preferences"]["ana"]["reservation"] = 7
    path = write_yaml(base)
    p = one_problem(path)
    lines = path.read_text().splitlines()
    assert "reservation: 7" in lines[p.line - 1]  # type: ignore[operator]
    assert lines[p.line - 1][p.column - 1 :].startswith("7")  # type: ignore[operator]


def test_every_problem_is_listed_at_once(base: dict[str, Any], write_yaml: Any) -> None:
    base["parties"][0]["role"] = "boss"
    base["proposals"][0]["package"]["dishes"] = "robot"  # a later section, also wrong
    base["title"] = ""
    problems = problems_of(write_yaml(base))
    paths = {str(p).split(" at ", 1)[1].split(":")[0] for p in problems}
    # schema errors stop before cross-reference checks, but all schema errors are listed
    assert {"parties[0].role", "title"} <= paths


def test_duplicate_yaml_keys_are_errors_not_silently_overwritten(write_yaml: Any) -> None:
    text = "accord: 1\ntitle: One\ntitle: Two\n"
    p = one_problem(write_yaml(text))
    assert p.path == ("title",)
    assert p.line == 3
    assert "again" in p.found


def test_yaml_syntax_error_gives_line(write_yaml: Any) -> None:
    p = one_problem(write_yaml("accord: 1\ntitle: [unclosed\n"))
    assert p.expected == "valid YAML"
    assert p.line is not None


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"accord": 1,\n "title": }', encoding="utf-8")
    p = one_problem(path)
    assert (p.expected, p.line) == ("valid JSON", 2)


def test_json_file_errors_are_located(base: dict[str, Any], tmp_path: Path) -> None:
    base["parties"][1]["role"] = "observer"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(base, indent=1), encoding="utf-8")
    p = one_problem(path)
    assert p.line is not None
    assert '"role": "observer"' in path.read_text().splitlines()[p.line - 1]


def test_words_like_no_and_on_stay_words(base: dict[str, Any], write_yaml: Any) -> None:
    # YAML 1.1 would read `no` as false; option ids must stay text.
    base["issues"][0]["options"] = ["no", "on", "ben"]
    base["preferences"]["ana"]["values"]["dishes"] = {"no": 0, "on": 5, "ben": 10}
    base["preferences"]["ben"]["values"]["dishes"] = {"no": 10, "on": 5, "ben": 0}
    base["proposals"][0]["package"]["dishes"] = "on"
    text = (
        __import__("yaml")
        .safe_dump(base, sort_keys=False)
        .replace("'no'", "no")
        .replace("'on'", "on")
    )
    s = load_scenario(write_yaml(text))
    assert s.issues[0].option_ids() == ("no", "on", "ben")


def test_a_proposal_that_breaks_a_constraint_is_a_warning(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["proposals"][0]["package"] = {"dishes": "ben", "rent": 60}
    result = read_scenario(write_yaml(base))
    assert len(result.warnings) == 1
    w = result.warnings[0]
    assert w.warning and w.path == ("proposals", 0, "package")
    assert "Ben will not do both" in w.expected


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in one_problem(tmp_path / "absent.yaml").found
    assert "a directory" in one_problem(tmp_path).found


def test_empty_and_non_mapping_documents(write_yaml: Any) -> None:
    assert "empty document" in one_problem(write_yaml("")).found
    assert "list" in one_problem(write_yaml("- 1\n- 2\n")).found


def test_error_message_names_file_line_path_expected_found(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["proposals"][0]["by"] = "mayor"
    path = write_yaml(base)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert str(path) in message and "1 problem found" in message
    assert "proposals[0].by: expected a party id" in message and "found 'mayor'" in message
