"""Messages that say what the user meant (issue 11, items 7 and 8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from accord.cli import main
from accord.model import ScenarioError, load_scenario, read_scenario


def one(path: Path | str) -> str:
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    (problem,) = info.value.problems
    return str(problem)


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("reservaton", "reservation"),
        ("wieghts", "weights"),
        ("rationle", "rationale"),
    ],
)
def test_a_misspelt_key_gets_a_did_you_mean(
    base: dict[str, Any], write_yaml: Any, key: str, meant: str
) -> None:
    base["preferences"]["ana"][key] = base["preferences"]["ana"].pop(meant)
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    unknown = [p for p in info.value.problems if p.path[-1] == key]
    assert unknown and f"(did you mean {meant!r}?)" in unknown[0].found


def test_a_key_far_from_every_key_gets_no_guess(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["zzz"] = 1
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    assert "did you mean" not in str(info.value)


def test_an_unknown_key_inside_an_estimate_names_the_form(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ana"]["reservation"] = {"dist": "normal", "mean": 0.3, "sdd": 0.1}
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_yaml(base))
    texts = [str(p) for p in info.value.problems]
    assert any("preferences.ana.reservation.sdd" in t and "'sd'" in t for t in texts), texts


@pytest.mark.parametrize(("name", "meant"), [("cairo", "cairo-2024"), ("job-ofer", "job-offer")])
def test_an_unknown_scenario_name_gets_a_did_you_mean(name: str, meant: str) -> None:
    assert f"(did you mean {meant!r}?)" in one(name)
    result = CliRunner().invoke(main, ["analyze", name])
    assert result.exit_code == 2 and meant in result.output


def test_an_unclosed_bracket_is_named_where_it_began(write_yaml: Any) -> None:
    text = one(write_yaml("accord: 1\ntitle: t\nparties: [a, b\nissues: []\n"))
    assert "began at line 3, column 10" in text and "flow sequence" in text


def test_an_unclosed_quote_is_named_where_it_began(write_yaml: Any) -> None:
    text = one(write_yaml('accord: 1\ntitle: "unclosed\nissues: []\n'))
    assert "quoted scalar that began at line 2, column 8" in text


def test_an_unclosed_json_list_is_named_where_it_began(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"accord": 1,\n "parties": [\n  {"id": "a"}\n', encoding="utf-8")
    text = one(path)
    assert "valid JSON" in text and "(in the list that began at line 2, column 13)" in text


def test_a_repeated_json_key_is_located(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"accord": 1,\n "title": "a",\n "title": "b"}', encoding="utf-8")
    text = one(path)
    assert "s.json:3:" in text and "'title' again" in text
