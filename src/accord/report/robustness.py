"""The robustness section: how often each conclusion holds when the estimated preferences vary
within their plausible ranges, with intervals, and which estimates matter most.

Probabilities and Wilson intervals are those of :func:`accord.robust.analyze_robustness`;
the ranking is its first-order variance-based sensitivity index (Saltelli et al. 2008, *Global
Sensitivity Analysis: The Primer*, Wiley, section 1.2.5).  When the scenario has phased
plans, the section adds how likely each is to be self-enforcing under uncertain valuations
(:mod:`accord.report.plan_robustness`).  The samples, the seed and the noise threshold are
those of :class:`accord.run.RobustnessOptions`, the same as ``accord robust``'s.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

import numpy as np
from markupsafe import Markup

from accord.analysis.solutions import SOLUTION_CONCEPTS
from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.figures import Figure, report_style, svg_markup
from accord.report.page import Section, render_fragment
from accord.report.scenario import option_label
from accord.robust.from_scenario import describe_parameter

if TYPE_CHECKING:
    from accord.robust import RobustnessReport, SensitivityRanking
    from accord.robust.stats import Probability
    from accord.run import RobustnessOptions

__all__ = [
    "interval_svg",
    "probability_figure",
    "section",
    "sensitivity_figure",
]

TOP = 6
"""Estimates shown per conclusion in the sensitivity figure."""

_LABELS = {c.name: c.label for c in SOLUTION_CONCEPTS}


def _conclusions(
    scenario: Scenario, report: RobustnessReport
) -> list[tuple[str, Probability, bool]]:
    """(sentence, probability, what the point estimates say) for every conclusion."""
    name = {p.id: p.name for p in scenario.proposals}
    out: list[tuple[str, Probability, bool]] = []
    for p in report.proposals:
        out.append((f"“{name[p.id]}” is in the ZOPA", p.in_zopa, p.point_in_zopa))
    for p in report.proposals:
        out.append((f"“{name[p.id]}” is Pareto-optimal", p.pareto_optimal, p.point_pareto_optimal))
    for concept, sol in report.solutions.items():
        out.append(
            (
                f"the {_LABELS.get(concept, concept)} solution stays the same package",
                sol.same_as_point,
                True,
            )
        )
    out.append(("the ZOPA is empty", report.empty_zopa, False))
    return out


def interval_svg(
    conclusions: list[tuple[str, Probability, bool]],
    fig_id: str,
    xlabel: str,
    legend: tuple[str, str] = ("true at the point estimates", "false at the point estimates"),
) -> Markup:
    """Dots with interval bars, one row per conclusion, green when true at the point."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    n = len(conclusions)
    with report_style():
        fig, ax = plt.subplots(figsize=(8.0, 0.42 * n + 1.3), layout="constrained")
        y = np.arange(n)
        for k, (_, p, point) in enumerate(conclusions):
            colour = "#0b6b3a" if point else "#8e1b1b"
            ax.plot(
                [100 * p.low, 100 * p.high],
                [k, k],
                color=colour,
                lw=4,
                alpha=0.35,
                solid_capstyle="butt",
            )
            ax.plot([100 * p.estimate], [k], "o", color=colour, markersize=6)
            ax.annotate(
                f"{100 * p.estimate:.1f}%",
                (100 * p.high, k),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
            )
        ax.set_yticks(y, ["\n".join(textwrap.wrap(t, 48)) for t, _, _ in conclusions], fontsize=8.5)
        ax.invert_yaxis()
        ax.set_xlim(0, 112)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"])
        ax.axvline(50, color="#bbbbbb", lw=0.8, ls=":")
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(xlabel)
        fig.legend(
            handles=[
                Line2D([], [], marker="o", color="#0b6b3a", lw=4, alpha=0.6, label=legend[0]),
                Line2D([], [], marker="o", color="#8e1b1b", lw=4, alpha=0.6, label=legend[1]),
            ],
            loc="outside upper center",
            ncols=2,
            fontsize=8,
        )
        return svg_markup(fig, fig_id)


def probability_figure(conclusions: list[tuple[str, Probability, bool]], samples: int) -> Figure:
    """Dots with interval bars: how often each conclusion holds across sampled profiles."""
    svg = interval_svg(
        conclusions,
        "fig-robustness",
        f"share of {samples:,} sampled preference profiles in which it holds",
    )
    return Figure(
        "fig-robustness",
        "How robust each conclusion is to the uncertainty in the estimates",
        "Each row is a yes/no conclusion of the analysis. The dot is the share of sampled"
        " preference profiles (drawn from the plausible ranges the scenario gives its estimates)"
        " in which it holds; the pale bar is its 95% Wilson interval. Green rows are true at the"
        " point estimates, red rows false. A green row near 100% is a conclusion that survives"
        " the uncertainty; a row near 50% is one the estimates cannot settle.",
        svg,
    )


def _label(parameter: str, scenario: Scenario) -> str:
    text = describe_parameter(parameter)
    for party in scenario.parties:
        text = text.replace(f"{party.id}'s", f"{party.name}'s")
    return text


def sensitivity_figure(
    scenario: Scenario,
    rankings: list[SensitivityRanking],
    titles: list[str],
    noise: float,
    noise_factor: float,
) -> Figure:
    """One bar chart per uncertain conclusion: the estimates ranked by sensitivity index."""
    import matplotlib.pyplot as plt

    with report_style():
        fig, axes = plt.subplots(
            len(rankings),
            1,
            figsize=(8.0, 2.1 * len(rankings) + 0.6),
            squeeze=False,
            layout="constrained",
        )
        threshold = noise_factor * noise
        top = max(max((e.index for e in r.ranking), default=threshold) for r in rankings)
        top = max(top, threshold)
        for ax, r, title in zip(axes[:, 0], rankings, titles, strict=True):
            entries = list(r.ranking)[:TOP]
            labels = [_label(e.parameter, scenario) for e in entries]
            values = [e.index for e in entries]
            bars = ax.barh(range(len(entries)), values, color="#0b5394", height=0.65)
            ax.bar_label(bars, fmt="%.3f", padding=2, fontsize=7.5)
            ax.set_yticks(range(len(entries)), labels, fontsize=8)
            ax.invert_yaxis()
            ax.axvline(threshold, color="#8e1b1b", ls="--", lw=1)
            ax.set_xlim(0, top * 1.2 + 1e-9)
            ax.grid(axis="y", visible=False)
            ax.set_title(
                "\n".join(textwrap.wrap(f"{title}: holds in {r.probability}", 90)),
                fontsize=9,
                loc="left",
            )
        axes[-1, 0].set_xlabel(
            "first-order sensitivity index (share of the conclusion's variance explained);"
            f" dashed: {noise_factor:g} × the sampling-noise level"
        )
        svg = svg_markup(fig, "fig-sensitivity")
    return Figure(
        "fig-sensitivity",
        "Which estimates matter most for the least settled conclusions",
        "For each conclusion the estimates cannot settle, the bars rank the estimates by how"
        " much of its uncertainty each one explains on its own (0: none, 1: all). Improving the"
        " top estimates (asking, researching, testing them with the parties) is what would"
        " settle the conclusion. Bars left of the dashed line (a few times the index an"
        " estimate with no effect would get by chance) are indistinguishable from sampling"
        " noise; accord robust names an estimate only beyond it too.",
        svg,
    )


def section(
    scenario: Scenario,
    report: RobustnessReport,
    plans_part: Markup | None,
    cite: Citations,
    options: RobustnessOptions,
) -> Section:
    """The robustness section: the agreement space's conclusions under ``report``'s samples,
    then the phased plans' part (None: the scenario has no plan)."""
    conclusions = _conclusions(scenario, report)

    def title(conclusion: str) -> str:
        for p in scenario.proposals:
            if conclusion.startswith(p.id + " "):
                return f"“{p.name}”" + conclusion[len(p.id) :]
        return conclusion[0].upper() + conclusion[1:]

    varying = [r for r in report.sensitivity if r.varies and r.ranking]
    varying.sort(key=lambda r: -r.probability.estimate * (1 - r.probability.estimate))
    chosen = varying[:3]
    sens = (
        sensitivity_figure(
            scenario,
            chosen,
            [title(r.conclusion) for r in chosen],
            report.sensitivity_noise_level,
            options.noise_factor,
        )
        if chosen
        else None
    )
    body = render_fragment(
        "sections/robustness.html.j2",
        issues=[i.name for i in scenario.issues],
        solution_rows=_solution_rows(scenario, report),
        report=report,
        conclusions=conclusions,
        probability_figure=probability_figure(conclusions, report.samples)
        if report.uncertain_estimates
        else None,
        sensitivity_figure=sens,
        plans_part=plans_part,
        cite=cite,
    )
    return Section("robustness", "Robustness: which conclusions survive the uncertainty", body)


def _solution_rows(
    scenario: Scenario, report: RobustnessReport
) -> list[tuple[str, list[tuple[str, Probability | None]]]]:
    """Per solution: each issue's option at the point estimates and how often it is kept."""
    rows = []
    for concept, sol in report.solutions.items():
        if sol.point_package is None:
            continue
        cells = []
        for issue in scenario.issues:
            value = sol.point_package[issue.id]
            key = value if isinstance(value, str) else f"{value:g}"
            cells.append((option_label(issue, value), sol.by_issue.get(issue.id, {}).get(key)))
        label = _LABELS.get(concept, concept)
        rows.append((label[0].upper() + label[1:], cells))
    return rows
