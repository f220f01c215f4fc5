"""The worked example in docs/explanation/gmcr.md runs and prints what the page says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from accord.gmcr.compile import compile_conflict
from accord.gmcr.stability import Stability, analyze_stability
from accord.jsonable import to_jsonable
from accord.model import load_scenario
from accord.run.stability import stability_report

DOC = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "gmcr.md"


def as_json(result: Stability) -> Any:
    """The ``accord stability --json`` document of ``result``."""
    return to_jsonable(stability_report(result.conflict, result))


def test_prisoners_dilemma_example_in_the_explanation(tmp_path: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    yaml_block = re.search(r"```yaml\n(.*?)```", text, re.S)
    json_block = re.search(r"```json\n(.*?)```", text, re.S)
    assert yaml_block is not None and json_block is not None
    path = tmp_path / "pd.yaml"
    path.write_text(yaml_block.group(1), encoding="utf-8")
    result = analyze_stability(compile_conflict(load_scenario(path)))
    assert as_json(result)["equilibria"] == json.loads(json_block.group(1))


def test_what_the_explanation_says_of_the_cairo_draft() -> None:
    """docs/explanation/gmcr.md: under the estimated preferences the Cairo draft is GMR,
    SMR and SEQ stable but not Nash stable, and the status quo reaches it only through
    Israel and Hamas moving together."""
    from accord.gmcr.evolution import status_quo_analysis

    conflict = compile_conflict(load_scenario())
    draft = conflict.find_state("six-week truce, staged release (Cairo draft)")
    assert draft is not None
    result = analyze_stability(conflict)
    eq = {c: draft in result.equilibria(c).tolist() for c in result.concepts}
    assert eq == {"nash": False, "gmr": True, "smr": True, "seq": True}
    assert not result.is_stable("united-states", "nash", draft)
    alone = status_quo_analysis(conflict, result, coalitions=[])
    assert draft in alone.unreachable
    together = status_quo_analysis(conflict, result)
    (path,) = [p for p in together.paths if p.target == draft]
    assert [s.movers for s in path.steps] == [("israel", "hamas")]
