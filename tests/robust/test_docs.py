"""The robustness docs' worked example runs and gives the numbers the page prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from accord.cli import main
from accord.model import load_scenario
from accord.robust import analyze_robustness
from accord.robust.from_scenario import preference_model
from accord.space import compile_space

PAGE = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "robustness.md"


def test_worked_example_numbers(tmp_path: Path) -> None:
    text = PAGE.read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(.*?)```", text, re.S)
    path = tmp_path / "flatmates.yaml"
    path.write_text(block, encoding="utf-8")
    scenario = load_scenario(str(path))
    report = analyze_robustness(
        compile_space(scenario), preference_model(scenario), samples=20_000, seed=0
    )
    p = report.proposals[0].in_zopa
    assert p.count == 15_022 and "15,022 of 20,000" in text
    assert f"{100 * p.estimate:.1f}% [{100 * p.low:.1f}, {100 * p.high:.1f}]" in text
    assert p.low <= 0.75 <= p.high  # the analytic answer, 3/4
    out = CliRunner().invoke(main, ["robust", str(path), "--samples", "20000", "--seed", "0"])
    printed = " ".join(out.output.split())
    quoted = " ".join(text.split("finds:", 1)[1].split("That is", 1)[0].split())
    assert quoted in printed


def test_the_cairo_plan_figures_quoted_are_the_ones_computed() -> None:
    from accord.phased import plan_from_scenario
    from accord.robust import analyze_plans, valuation_model

    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    scenario = load_scenario()
    model = valuation_model(scenario)
    plans = [plan_from_scenario(scenario, p.id, model.exchange) for p in scenario.plans]
    results = {r.id: r for r in analyze_plans(model, plans, samples=10_000, seed=0)}
    draft = results["cairo-draft"]
    assert f"self-enforcing in {draft.self_enforcing} of samples" in text
    assert f"Israel's margins hold in {100 * draft.by_negotiator['israel'].estimate:.1f}%" in text
    top = draft.sensitivity[0]
    assert top.estimate == "israel: hostages-living received" and f"{top.index:.3f}" in text
    assert results["israel-most-first"].self_enforcing.count == 0
    assert results["hamas-even-permanent"].self_enforcing.count == 0


def test_the_uncertain_discount_figures_quoted_are_the_ones_computed() -> None:
    from accord.model import Scenario
    from accord.phased import plan_from_scenario
    from accord.robust import analyze_plans, valuation_model

    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    setting = "`discount_per_day: {value: 0.995, range: [0.97, 0.998]}`"
    assert setting in text
    data = load_scenario().model_dump(mode="json", by_alias=True, exclude_none=True)
    data["valuations"]["israel"]["discount_per_day"] = {"value": 0.995, "range": [0.97, 0.998]}
    scenario = Scenario.model_validate(data)
    model = valuation_model(scenario)
    plans = [plan_from_scenario(scenario, p.id, model.exchange) for p in scenario.plans]
    results = {r.id: r for r in analyze_plans(model, plans, samples=10_000, seed=0)}
    hamas = results["hamas-even-permanent"]
    assert f"Hamas's plan is then self-enforcing in {hamas.self_enforcing} of samples" in text
    first, second = hamas.sensitivity[:2]
    assert first.estimate == "israel: discount per day"
    assert second.estimate == "israel: hostages-living received"
    assert f"(index {first.index:.3f}, then" in text and f"back at {second.index:.3f})" in text
    draft = results["cairo-draft"].self_enforcing
    assert f"The Cairo draft stays self-enforcing in {draft} of samples" in text
    assert results["israel-most-first"].self_enforcing.count == 0
