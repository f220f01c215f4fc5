"""The robustness section reports accord.robust's probabilities and ranking."""

from __future__ import annotations

from accord.model import load_scenario
from accord.robust import analyze_robustness
from accord.robust.from_scenario import preference_model
from accord.run import DEFAULT_SAMPLES as REPORT_SAMPLES
from accord.space import compile_space

from .page_facts import page_facts


def test_probabilities_and_ranking_are_those_of_the_analysis(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    report = analyze_robustness(
        compile_space(scenario),
        preference_model(scenario),
        samples=REPORT_SAMPLES,
        seed=0,
        processes=1,
    )
    facts = page_facts(cairo_html)
    assert {"fig-robustness", "fig-sensitivity"} <= set(facts.figures)
    text = " ".join(" ".join(facts.text).split())
    for p in report.proposals:
        name = scenario.proposal(p.id).name
        assert (
            f"“{name}” is in the ZOPA"
            f" {'yes' if p.point_in_zopa else 'no'} {100 * p.in_zopa.estimate:.1f}%"
            f" {100 * p.in_zopa.low:.1f}–{100 * p.in_zopa.high:.1f}%"
        ) in text
    top = max(
        (r for r in report.sensitivity if r.varies and r.ranking),
        key=lambda r: r.probability.estimate * (1 - r.probability.estimate),
    )
    assert f"{top.ranking[0].index:.3f}" in cairo_html


def test_solutions_issue_by_issue_are_those_of_the_analysis(cairo_html: str) -> None:
    scenario = load_scenario("cairo-2024")
    report = analyze_robustness(
        compile_space(scenario),
        preference_model(scenario),
        samples=REPORT_SAMPLES,
        seed=0,
        processes=1,
    )
    table = cairo_html[cairo_html.index('id="solutions-by-issue-table"') :]
    table = table[: table.index("</table>")]
    nash = report.solutions["nash"]
    assert nash.point_package is not None
    truce = nash.point_package["truce"]
    p = nash.by_issue["truce"][str(truce)]
    assert f"{100 * p.estimate:.0f}% [{100 * p.low:.0f}–{100 * p.high:.0f}]" in table
