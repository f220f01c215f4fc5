"""The documentation's examples run: the tutorial's scenario loads and its mistake is reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main
from accord.model import ScenarioError, load_scenario

DOCS = Path(__file__).resolve().parents[1] / "docs"


def yaml_blocks(page: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", (DOCS / page).read_text(encoding="utf-8"), re.S)


def test_tutorial_scenario_loads_and_shows(tmp_path: Path) -> None:
    (block,) = yaml_blocks("tutorial.md")
    path = tmp_path / "wall.yaml"
    path.write_text(block, encoding="utf-8")
    s = load_scenario(path)
    assert [p.id for p in s.negotiators] == ["rosa", "tomas"]
    result = CliRunner().invoke(main, ["show", str(path)])
    assert result.exit_code == 0 and "Rosa" in result.output


def test_tutorial_mistake_gives_the_message_the_tutorial_prints(tmp_path: Path) -> None:
    (block,) = yaml_blocks("tutorial.md")
    path = tmp_path / "wall.yaml"
    path.write_text(block.replace("share: 50,", "share: 55,"), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    shown = re.search(r"wall\.yaml:(\d+):(\d+): (error at .*)", (DOCS / "tutorial.md").read_text())
    assert shown is not None
    assert (problem.line, problem.column) == (int(shown[1]), int(shown[2]))
    assert str(problem).endswith(shown[3])


def test_every_yaml_example_in_the_format_reference_loads(tmp_path: Path) -> None:
    blocks = yaml_blocks("reference/scenario-format.md")
    assert blocks
    for k, block in enumerate(blocks):
        if block.lstrip().startswith("accord: 1"):
            path = tmp_path / f"example{k}.yaml"
            path.write_text(block, encoding="utf-8")
            load_scenario(path)
