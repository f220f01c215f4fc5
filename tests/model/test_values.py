"""One reading of values (issue 12, item 6): the same file means the same thing in YAML and JSON.

Only true/false are booleans; a number is a number wherever it is written (``4e-1`` too) and
text is text wherever it is written (a quoted ``"0.4"`` in any number field is refused, with its
place); mapping keys are text; dates are text; weights whose sum overflows and values whose
spread overflows are refused; a byte-order mark changes nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.model import ScenarioError, load_scenario, read_scenario
from accord.model.yaml_reader import read_yaml


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4e-1", 0.4),
        ("1e5", 100000.0),
        ("0.4", 0.4),
        ("-.5", -0.5),
        ("012", 12),
        ("0x1f", 31),
        ("0o17", 15),
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("1_000", "1_000"),
        ("1:30", "1:30"),
        ("2024-02-13", "2024-02-13"),
        ('"0.4"', "0.4"),
        ("'true'", "true"),
        ("!!str 12", "12"),
        ("!!float 1", 1.0),
    ],
)
def test_plain_scalars_read_as_yaml_1_2_and_json_do(text: str, value: Any) -> None:
    document, problems = read_yaml(f"x: {text}\n", "f.yaml")
    assert problems == []
    assert document.data["x"] == value
    assert type(document.data["x"]) is type(value)


def test_mapping_keys_are_always_text() -> None:
    document, _ = read_yaml("1: a\nno: b\ntrue: c\nnull: d\n", "f.yaml")
    assert document.data == {"1": "a", "no": "b", "true": "c", "null": "d"}


def test_python_and_unknown_tags_are_problems_not_objects() -> None:
    _, problems = read_yaml("x: !!python/object:os.system ls\ny: !!int abc\n", "f.yaml")
    assert [p.path for p in problems] == [("x",), ("y",)]
    assert all("the only tags accepted" in p.expected for p in problems)


def test_a_reservation_written_with_an_exponent_is_a_number(
    base: dict[str, Any], write_yaml: Any
) -> None:
    text = _yaml(base).replace("reservation: 0.3", "reservation: 4e-1", 1)
    s = load_scenario(write_yaml(text))
    assert s.preferences["ana"].reservation.point == 0.4


@pytest.mark.parametrize(
    "where",
    [
        ("preferences", "ana", "reservation"),
        ("preferences", "ana", "weights", "rent"),
        ("issues", 1, "range", "step"),
        ("issues", 1, "range", "min"),
        ("positions", 0, "max"),
    ],
)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_quoted_number_is_text_in_every_number_field(
    base: dict[str, Any], tmp_path: Path, where: tuple[Any, ...], suffix: str
) -> None:
    node: Any = base
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = str(node[where[-1]])
    path = tmp_path / f"s{suffix}"
    path.write_text(json.dumps(base) if suffix == ".json" else _yaml(base), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    at = [p for p in info.value.problems if p.path[: len(where)] == where]
    assert at, info.value
    assert all(p.line is not None for p in at)


@pytest.mark.parametrize("word", ["no", "yes", "on", "'true'", "1"])
def test_only_true_and_false_are_booleans(base: dict[str, Any], write_yaml: Any, word: str) -> None:
    text = _yaml(base).replace("estimate: true", f"estimate: {word}", 1)
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(text))
    (problem,) = info.value.problems
    assert problem.path == ("preferences", "ana", "estimate")
    assert problem.expected == "true or false"


def test_a_date_written_as_a_number_is_refused(base: dict[str, Any], write_yaml: Any) -> None:
    base["date"] = 20260105
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    assert info.value.problems[0].path == ("date",)
    assert "YYYY-MM-DD" in info.value.problems[0].expected


def test_weights_whose_sum_overflows_are_refused(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["weights"] = {"dishes": 1e308, "rent": 1e308}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    (problem,) = info.value.problems
    assert problem.path == ("preferences", "ana", "weights")
    assert "sum" in problem.expected and "finite" in problem.expected


def test_values_whose_spread_overflows_are_refused(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["values"]["dishes"] = {"ana": -1e308, "shared": 0, "ben": 1e308}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    (problem,) = info.value.problems
    assert problem.path == ("preferences", "ana", "values", "dishes")
    assert "spread" in problem.expected


def test_numbers_too_large_for_a_float_are_refused_as_not_finite(
    base: dict[str, Any], tmp_path: Path
) -> None:
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"s{suffix}"
        text = json.dumps(base) if suffix == ".json" else _yaml(base)
        path.write_text(text.replace("0.3", "1" * 5000, 1), encoding="utf-8")
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        assert "finite" in str(info.value)


def test_json_with_a_byte_order_mark_reads_like_yaml_with_one(
    base: dict[str, Any], tmp_path: Path
) -> None:
    as_json, as_yaml = tmp_path / "s.json", tmp_path / "s.yaml"
    as_json.write_bytes(b"\xef\xbb\xbf" + json.dumps(base).encode())
    as_yaml.write_bytes(b"\xef\xbb\xbf" + _yaml(base).encode())
    assert load_scenario(as_json) == load_scenario(as_yaml)


def test_yaml_and_json_of_the_same_data_load_equal(base: dict[str, Any], tmp_path: Path) -> None:
    data = copy.deepcopy(base)
    data["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.1, 0.5]}
    (tmp_path / "a.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(_yaml(data), encoding="utf-8")
    assert load_scenario(tmp_path / "a.json") == load_scenario(tmp_path / "a.yaml")


def test_text_that_is_not_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"accord: 1\ntitle: caf\xe9\n")
    with pytest.raises(ScenarioError) as info:
        read_scenario(str(path))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (2, 11)
    assert problem.expected == "a UTF-8 text file"


def test_utf16_is_named() -> None:
    from accord.model import scenario_from_text

    with pytest.raises(ScenarioError, match="UTF-16"):
        scenario_from_text("accord: 1".encode("utf-16"), file="u.yaml")


def test_lone_surrogates_in_json_are_problems_not_unprintable_text(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"accord": 1, "title": "a\\ud800b"}', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        read_scenario(str(path))
    assert info.value.problems[0].path == ("title",)
    str(info.value).encode("utf-8")  # the message itself can be printed


def test_dumped_text_that_looks_like_a_number_reads_back_as_text(
    base: dict[str, Any], tmp_path: Path
) -> None:
    from accord.model import dump_scenario

    base["title"] = "1e5"
    base["issues"][0]["name"] = "0o17"
    scenario = load_scenario(_write(tmp_path / "in.json", json.dumps(base)))
    dump_scenario(scenario, tmp_path / "out.yaml")
    assert load_scenario(tmp_path / "out.yaml") == scenario


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
