"""Schedule design on the embedded Cairo totals: the figures docs/explanation/phased-deals.md
quotes, and the exact formulations agreeing with one another."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from accord.model import load_scenario
from accord.phased import (
    FORMULATIONS,
    OBJECTIVES,
    Exchange,
    ScheduleSpec,
    design_schedule,
    evaluate_plan,
    exchange_from_scenario,
    plan_from_scenario,
    spec_from_plan,
)
from accord.phased.design import _build

PAGE = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "phased-deals.md"


def cairo(stages: int, day_step: int) -> tuple[Exchange, ScheduleSpec]:
    scenario = load_scenario()
    ex = exchange_from_scenario(scenario)
    draft = plan_from_scenario(scenario, "cairo-draft", ex)
    spec = spec_from_plan(
        ex, draft, stages, min_days=7, max_days=21, day_step=day_step, focus=["hostages-living"]
    )
    return ex, spec


def relaxed_hostages(ex: Exchange, spec: ScheduleSpec, formulation: str) -> float:
    """Living hostages in stage one at the optimum of the LP relaxation of ``front-load``."""
    model, _ = _build(ex, spec, "front-load", formulation=formulation)  # type: ignore[arg-type]
    b = model.b
    a = coo_array((b.vals, (b.rows, b.cols)), shape=(len(b.row_lb), b.n)).tocsr()
    res = milp(
        c=model.objective,
        integrality=np.zeros(b.n),
        bounds=Bounds(np.array(b.lb), np.array(b.ub)),
        constraints=LinearConstraint(a, np.array(b.row_lb), np.array(b.row_ub)),
    )
    assert res.status == 0
    return float(res.x[model.x[0][0]])


def test_daily_six_stage_front_load_figures_quoted_in_the_explanation() -> None:
    ex, spec = cairo(6, 1)
    assert spec.items[0].item == "hostages-living" and spec.items[0].total == 101
    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    design = design_schedule(ex, spec, "front-load")  # auto: the recursive formulation
    assert design.status == "optimal" and design.amounts is not None
    assert design.amounts[0, 0] == 96 and "the optimum is 96" in text
    assert design.plan is not None and evaluate_plan(ex, design.plan).self_enforcing
    bounds = {f: relaxed_hostages(ex, spec, f) for f in FORMULATIONS[1:]}
    assert (
        f"allow {bounds['time-indexed']:.1f} (time-indexed) and {bounds['binary']:.1f} (binary) "
        f"living hostages in stage one, the recursive one {bounds['recursive']:.1f}"
    ) in text
    # every relaxation is a relaxation: none allows fewer than the optimum
    assert min(bounds.values()) >= 96 - 1e-6


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_every_formulation_finds_the_same_weekly_three_stage_optimum(objective: str) -> None:
    ex, spec = cairo(3, 7)
    found = [
        design_schedule(ex, spec, objective, gap=0.0, formulation=f)  # type: ignore[arg-type]
        for f in FORMULATIONS
    ]
    assert all(d.status == "optimal" and d.objective_value is not None for d in found)
    assert all(d.recheck is not None and d.recheck.self_enforcing for d in found)
    values = [d.objective_value for d in found]
    assert values == pytest.approx([values[0]] * len(values), abs=1e-9)
