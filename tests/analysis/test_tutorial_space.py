"""The tutorial's "Analyse it" section: its numbers come from the commands it shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from accord.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def wall(tmp_path: Path) -> str:
    (block,) = re.findall(r"```yaml\n(.*?)```", (DOCS / "tutorial.md").read_text("utf-8"), re.S)
    path = tmp_path / "wall.yaml"
    path.write_text(block, encoding="utf-8")
    return str(path)


def run_json(*args: str) -> dict:
    out = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


def test_analyze_numbers_quoted_in_the_tutorial(wall: str) -> None:
    data = run_json("analyze", wall)
    assert (data["packages"], data["zopa"]) == (88, 54)
    assert (data["pareto_size"], data["zopa_pareto_size"]) == (17, 10)
    sol = data["solutions"]
    for name in ("nash", "utilitarian"):
        assert sol[name]["package"] == {"share": 0, "height": "high", "timing": "summer"}
        assert sol[name]["utility"] == {"rosa": 0.7, "tomas": 0.6}
    for name in ("kalai_smorodinsky", "egalitarian"):
        assert sol[name]["package"]["share"] == 10
        assert sol[name]["utility"] == {"rosa": 0.64, "tomas": 0.64}
    (split,) = data["proposals"]
    assert split["in_zopa"] and not split["pareto_optimal"] and split["dominated_by"] == 3


def test_improve_and_compare_as_the_tutorial_says(wall: str) -> None:
    better = run_json("improve", wall, "split")
    assert [imp["package"]["share"] for imp in better["improvements"]] == [0, 10, 20]
    assert all(imp["package"]["height"] == "high" for imp in better["improvements"])
    result = run_json("compare", wall, "split", "nash")
    share, height, _ = result["issues"]
    assert share["utility_change"] == {"rosa": 0.3, "tomas": -0.2}
    assert height["utility_change"] == {"rosa": -0.16, "tomas": 0.2}
    rosa, tomas = result["negotiators"]
    assert (rosa["verdict"], rosa["change"], tomas["verdict"]) == ("gains", 0.14, "indifferent")
