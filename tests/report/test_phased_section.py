"""The phased-plans section shows every plan's margins as accord.phased computes them."""

from __future__ import annotations

from accord.model import load_scenario
from accord.phased import evaluate_plan, exchange_from_scenario, plan_from_scenario
from accord.report.build import PHASED

from .page_facts import page_facts


def test_every_plan_has_its_figure_verdict_and_weakest_point(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    assert scenario.plans
    facts = page_facts(cairo_html)
    figures = [f for f in facts.figures if f.startswith("fig-phased-")]
    assert len(figures) == len(scenario.plans)
    text = " ".join("".join(facts.text).split())
    exchange = exchange_from_scenario(scenario)
    for k, plan in enumerate(scenario.plans, start=1):
        a = evaluate_plan(exchange, plan_from_scenario(scenario, plan.id, exchange))
        verdict = "self-enforcing" if a.self_enforcing else "not self-enforcing"
        assert f"({verdict}; estimates)" in facts.captions[f"fig-phased-{k}"]
        weakest = scenario.party(a.weakest.negotiator).name
        assert f"{weakest}, {a.weakest.point.label}" in text
        assert f"margin {a.weakest.margin:,.1f}" in text


def test_a_scenario_without_plans_says_so(job_html: str) -> None:
    text = " ".join("".join(page_facts(job_html).text).split())
    assert (
        f"{PHASED} — the scenario defines no phased plan (no items, valuations and plans sections)."
    ) in text
    assert not [f for f in page_facts(job_html).figures if f.startswith("fig-phased-")]
