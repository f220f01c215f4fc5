"""The robustness section's phased-plans part: how likely each plan is to be self-enforcing
when the valuations (and discount factors) vary within their plausible ranges.

Probabilities, Wilson intervals and the first-order sensitivity index come from
:func:`accord.robust.analyze_plans`; the point answers from
:func:`accord.phased.evaluate_plan`.  Loaded by :mod:`accord.report.robustness` through
:func:`accord.report.optional.load_part`, so a build without :mod:`accord.phased` leaves it
out and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from markupsafe import Markup

from accord.model import Scenario
from accord.phased import evaluate_plan, plan_from_scenario
from accord.report.citations import Citations
from accord.report.figures import Figure
from accord.report.optional import ReportOptions
from accord.report.page import render_fragment
from accord.report.robustness import interval_svg
from accord.robust.plans import analyze_plans, valuation_model
from accord.robust.stats import Probability, null_index_level

__all__ = ["PLAN_BINS", "PlanRow", "estimate_label", "part", "plan_probability_figure"]

PLAN_BINS = 20
"""Quantile bins of the sensitivity index (as ``accord robust`` uses)."""

NOISE_FACTOR = 3.0
"""An index is named as mattering only above this multiple of its sampling-noise level."""


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
    try:
        party = scenario.party(party_id).name
    except (KeyError, LookupError, ValueError):
        party = party_id
    items = {i.id: i.name for i in getattr(scenario, "items", ()) or ()}
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


def part(scenario: Scenario, cite: Citations, options: ReportOptions) -> Markup | str:
    """The phased plans' robustness, or why there is none (the scenario has no plan)."""
    plans = tuple(getattr(scenario, "plans", ()) or ())
    if not plans:
        return "the scenario defines no phased plan."
    model = valuation_model(scenario)
    staged = [plan_from_scenario(scenario, p.id, model.exchange) for p in plans]
    results = analyze_plans(
        model,
        staged,
        samples=options.samples,
        seed=options.seed,
        bins=PLAN_BINS,
        processes=1,
    )
    noise = null_index_level(PLAN_BINS, options.samples)
    names = [scenario.party(n).name for n in model.exchange.negotiators]
    rows = []
    for plan, staged_plan, r in zip(plans, staged, results, strict=True):
        assessment = evaluate_plan(model.exchange, staged_plan)
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
                    if e.index > NOISE_FACTOR * noise
                ),
                varies=bool(r.sensitivity),
            )
        )
    discounts = any(p.field == "discount" for p in model.parameters)
    return render_fragment(
        "sections/plan_robustness.html.j2",
        rows=rows,
        negotiators=names,
        figure=plan_probability_figure(rows, options.samples),
        samples=options.samples,
        seed=options.seed,
        uncertain=len(model.parameters),
        discounts=discounts,
        noise=noise,
        noise_factor=NOISE_FACTOR,
        cite=cite,
    )
