"""The robustness section shows the phased plans' robustness: the figure, the table's figures
from accord.robust.analyze_plans, the samples and seed used; --samples/--seed reach it; and
the CLI and the report share one set of robustness defaults."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from accord.cli import main
from accord.model import load_scenario
from accord.phased import plan_from_scenario
from accord.report.plan_robustness import estimate_label
from accord.robust import analyze_plans, valuation_model
from accord.robust.stats import null_index_level
from accord.run import DEFAULT_SAMPLES, NOISE_FACTOR, Options, RobustnessOptions

from .page_facts import page_facts

PLAN_BINS = RobustnessOptions().bins


def cairo_plans(samples: int, seed: int) -> dict[str, Any]:
    scenario = load_scenario("cairo-2024")
    model = valuation_model(scenario)
    staged = [plan_from_scenario(scenario, p.id, model.exchange) for p in scenario.plans]
    results = analyze_plans(model, staged, samples=samples, seed=seed, bins=PLAN_BINS)
    return {r.id: r for r in results}


def table_text(html: str) -> str:
    table = html[html.index('id="plan-robustness-table"') :]
    facts = page_facts(table[: table.index("</table>")] + "</table>")
    return " ".join(" ".join(facts.text).split())


def check_plans_on_page(html: str, samples: int, seed: int) -> None:
    scenario = load_scenario("cairo-2024")
    results = cairo_plans(samples, seed)
    facts = page_facts(html)
    assert "fig-plan-robustness" in facts.figures
    assert "plan-robustness-table" in facts.ids
    text = " ".join(" ".join(facts.text).split())
    assert f"are drawn {samples:,} times (seed {seed}), and every plan's margins" in text
    table = table_text(html)
    noise = null_index_level(PLAN_BINS, samples)
    for plan in scenario.plans:
        r = results[plan.id]
        p = r.self_enforcing
        row = (
            f"{plan.name} {'yes' if r.point_self_enforcing else 'no'}"
            f" {100 * p.estimate:.1f}% {100 * p.low:.1f}–{100 * p.high:.1f}%"
            f" {100 * r.by_negotiator['israel'].estimate:.1f}%"
            f" {100 * r.by_negotiator['hamas'].estimate:.1f}%"
        )
        assert row in table, row
        if r.sensitivity and r.sensitivity[0].index > 3 * noise:
            top = r.sensitivity[0]
            assert f"{estimate_label(top.estimate, scenario)} ({top.index:.3f})" in table
    assert "How to read this table." in html[html.index('id="plan-robustness-table"') :]


def test_cairo_page_shows_each_plan_s_probability_interval_and_top_valuation(
    cairo_html: str,
) -> None:
    check_plans_on_page(cairo_html, DEFAULT_SAMPLES, 0)
    table = table_text(cairo_html)
    # the figures the explanation page quotes, at the report's 5,000 samples
    assert "The six-week, three-stage draft discussed in Cairo yes" in table
    assert "does not vary" in table  # the two positions fail in every draw
    assert "Israel: Living hostages held in Gaza received" in table


def test_samples_and_seed_reach_both_parts_of_the_section(tmp_path: Path) -> None:
    out = tmp_path / "cairo.html"
    result = CliRunner().invoke(
        main, ["report", "-o", str(out), "--samples", "1200", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    check_plans_on_page(html, 1200, 3)
    text = " ".join(" ".join(page_facts(html).text).split())
    assert "are drawn 1,200 times (seed 3), and the agreement-space analysis" in text


def test_the_cli_and_the_report_share_one_set_of_defaults() -> None:
    """Issue 11, item 6: the same samples, seed and noise threshold in both views."""
    assert Options().robustness == RobustnessOptions()
    assert RobustnessOptions().samples == DEFAULT_SAMPLES and NOISE_FACTOR == 3.0
    for command in ("report", "robust"):
        result = CliRunner().invoke(main, [command, "--help"])
        help_text = " ".join(result.output.split())
        assert re.search(rf"--samples INTEGER RANGE .*\[default: {DEFAULT_SAMPLES};", help_text)
        assert re.search(r"--seed INTEGER RANGE .*\[default: 0;", help_text)


def test_bad_samples_are_a_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "-o", str(out), "--samples", "0"])
    assert result.exit_code == 2 and "--samples" in result.output
    assert not out.exists()


def test_a_scenario_without_plans_has_no_plan_part(job_html: str) -> None:
    assert "plan-robustness" not in job_html
    assert "robustness is not shown" not in job_html


def test_the_explanation_quotes_the_figures_the_report_prints() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "explanation" / "report.md"
    text = " ".join(page.read_text(encoding="utf-8").split())
    results = cairo_plans(DEFAULT_SAMPLES, 0)
    draft = results["cairo-draft"]
    quoted = f"is self-enforcing in {100 * draft.self_enforcing.estimate:.1f}% of them"
    assert quoted in text
    assert draft.sensitivity[0].estimate == "israel: hostages-living received"
    assert results["israel-most-first"].self_enforcing.count == 0
    assert results["hamas-even-permanent"].self_enforcing.count == 0
