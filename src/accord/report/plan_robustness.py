"""The robustness section's phased-plans part: how likely each plan is to be self-enforcing
when the valuations (and discount factors) vary within their plausible ranges.

Probabilities, Wilson intervals and the first-order sensitivity index are those of
:func:`accord.robust.analyze_plans`; the point answers those of
:func:`accord.phased.evaluate_plan` (the same assessments the phased-plans section shows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from markupsafe import Markup

from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.figures import Figure
from accord.report.page import render_fragment
from accord.report.robustness import interval_svg
from accord.robust.stats import Probability, null_index_level

if TYPE_CHECKING:
    from accord.phased import PlanAssessment
    from accord.robust import PlanRobustness, ValuationModel
    from accord.run import Options

__all__ = ["PlanRow", "estimate_label", "part", "plan_probability_figure"]


@dataclass(frozen=True)
class PlanRow:
    """One plan's line of the table: its probability, per negotiator, and what matters most."""

    name: str
    point: bool
    self_enforcing: Probability
    by_negotiator: tuple[tuple[str, Probability, bool], ...]
    most: tuple[tuple[str, float], ...]
    varies: bool


def estimate_label(name: str, scenario: Scenario) -> str:
    """``israel: hostages-living received`` as a reader writes it: party and item names."""
    party_id, _, rest = name.partition(": ")
    party = {p.id: p.name for p in scenario.parties}.get(party_id, party_id)
    items = {i.id: i.name for i in scenario.items}
    rest = re.sub(r"[A-Za-z0-9_.-]+", lambda m: items.get(m.group(0), m.group(0)), rest)
    return f"{party}: {rest}"


def plan_probability_figure(rows: list[PlanRow], samples: int) -> Figure:
    """Dots with interval bars: each plan self-enforcing, and each negotiator's margins."""
    conclusions: list[tuple[str, Probability, bool]] = []
    for row in rows:
        conclusions.append((f"“{row.name}” is self-enforcing", row.self_enforcing, row.point))
        for party, p, point in row.by_negotiator:
            conclusions.append((f"“{row.name}”: {party}'s margins all hold", p, point))
    svg = interval_svg(
        conclusions,
        "fig-plan-robustness",
        f"share of {samples:,} sampled valuations in which it holds",
        legend=("true at the point valuations", "false at the point valuations"),
    )
    return Figure(
        "fig-plan-robustness",
        "How likely each phased plan is to be self-enforcing when the valuations vary",
        "Each plan has a row for the plan as a whole (every negotiator gains by carrying on at"
        " every decision point) and one per negotiator (its own margins all hold). The dot is"
        " the share of sampled valuations, drawn from the ranges the scenario gives them, in"
        " which that holds; the pale bar is its 95% Wilson interval. Green rows hold at the"
        " point valuations, red rows do not. A plan near 100% stays self-enforcing whatever the"
        " valuations within their ranges; near 0% it fails whatever they are; in between, the"
        " table names the valuation that decides it.",
        svg,
    )


def part(
    scenario: Scenario,
    results: Sequence[PlanRobustness],
    assessments: Sequence[PlanAssessment],
    model: ValuationModel,
    options: Options,
    cite: Citations,
) -> Markup:
    """The phased plans' robustness: ``results`` and the point ``assessments``, plan by plan
    in scenario order, sampled from ``model`` as ``options`` say."""
    robustness = options.robustness
    noise = null_index_level(robustness.bins, robustness.samples)
    names = [scenario.party(n).name for n in model.exchange.negotiators]
    rows = []
    for plan, assessment, r in zip(scenario.plans, assessments, results, strict=True):
        holds_at_point = np.all(assessment.margin >= -assessment.tol, axis=1)
        rows.append(
            PlanRow(
                name=plan.name,
                point=r.point_self_enforcing,
                self_enforcing=r.self_enforcing,
                by_negotiator=tuple(
                    (name, r.by_negotiator[n], bool(holds_at_point[j]))
                    for j, (n, name) in enumerate(
                        zip(model.exchange.negotiators, names, strict=True)
                    )
                ),
                most=tuple(
                    (estimate_label(e.estimate, scenario), e.index)
                    for e in r.sensitivity[:3]
                    if e.index > robustness.noise_factor * noise
                ),
                varies=bool(r.sensitivity),
            )
        )
    discounts = any(p.field == "discount" for p in model.parameters)
    return render_fragment(
        "sections/plan_robustness.html.j2",
        rows=rows,
        negotiators=names,
        figure=plan_probability_figure(rows, robustness.samples),
        samples=robustness.samples,
        seed=options.seed,
        uncertain=len(model.parameters),
        discounts=discounts,
        noise=noise,
        noise_factor=robustness.noise_factor,
        cite=cite,
    )
