"""The phased-plans section: every plan's margins of carrying on over walking away, at every
decision point and for every negotiator, with the weakest point marked.

Margins come from :func:`accord.phased.evaluate_plan` (the commitment problem of Fearon 1995,
"Rationalist explanations for war", International Organization 49(3); a plan is
self-enforcing when no margin is negative).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.figures import Figure, party_colour, report_style, svg_markup
from accord.report.page import Section, render_fragment

if TYPE_CHECKING:
    from accord.phased import PlanAssessment, StagedPlan

__all__ = ["plan_figure", "section"]


def _point_label(a: PlanAssessment, k: int) -> str:
    p = a.points[k]
    where = p.stage if not p.after else f"{p.stage}, after {' & '.join(p.after)}"
    # Wrapped, so that neighbouring labels do not run into each other (three or more sides).
    return "\n".join([f"day {p.day:g}", *textwrap.wrap(where, 18, break_on_hyphens=False)])


def plan_figure(scenario: Scenario, a: PlanAssessment, name: str, figure_id: str) -> Figure:
    """Bars of each negotiator's margin at each decision point; stages shaded; weakest marked."""
    import matplotlib.pyplot as plt

    n_neg, n_pts = a.margin.shape
    names = [scenario.party(n).name for n in a.negotiators]
    x = np.arange(n_pts)
    with report_style():
        fig, axes = plt.subplots(
            n_neg,
            1,
            figsize=(8.0, 1.9 * n_neg + 1.2),
            sharex=True,
            squeeze=False,
            layout="constrained",
        )
        stage_of = [p.stage_index for p in a.points]
        for j, ax in enumerate(axes[:, 0]):
            for s in sorted(set(stage_of)):
                members = [k for k in range(n_pts) if stage_of[k] == s]
                if s % 2 == 0:
                    ax.axvspan(members[0] - 0.5, members[-1] + 0.5, color="#f1f3f5", zorder=0)
            values = a.margin[j]
            negative = values < -a.tol
            bars = ax.bar(
                x,
                values,
                width=0.6,
                color=party_colour(j),
                zorder=2,
                edgecolor=np.where(negative, "#b00020", party_colour(j)).tolist(),
                linewidth=np.where(negative, 2.0, 0.5).tolist(),
            )
            for rect, neg in zip(bars, negative, strict=True):
                if neg:
                    rect.set_hatch("///")
            ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=2, fontsize=8)
            ax.axhline(0, color="#333333", lw=1, zorder=3)
            lo, hi = float(min(values.min(), 0)), float(max(values.max(), 0))
            pad = 0.3 * (hi - lo or 1.0)
            ax.set_ylim(lo - 0.15 * (hi - lo or 1.0), hi + pad)
            ax.set_ylabel(f"{names[j]}\nmargin", fontsize=9)
            ax.grid(axis="x", visible=False)
            if a.negotiators[j] == a.weakest.negotiator:
                k = a.weakest.point.index
                v = float(values[k])
                bars[k].set_edgecolor("#b00020")
                bars[k].set_linewidth(2.5)
                # Above the zero line for a negative bar, above the value label otherwise.
                ax.annotate(
                    "▼ weakest point" + (": reneging pays" if v < -a.tol else ""),
                    (k, max(v, 0.0)),
                    xytext=(0, 16 if v >= 0 else 4),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8.5,
                    fontweight="bold",
                    color="#b00020",
                )
        axes[-1, 0].set_xticks(x, [_point_label(a, k) for k in range(n_pts)], fontsize=8)
        axes[-1, 0].set_xlim(-0.6, n_pts - 0.4)
        fig.supylabel("carry on − walk away (each side's own value points, estimate)", fontsize=8.5)
        svg = svg_markup(fig, figure_id)
    verdict = "self-enforcing" if a.self_enforcing else "not self-enforcing"
    return Figure(
        figure_id,
        f"{name}: margins at every decision point ({verdict}; estimates)",
        "Each bar is what a negotiator gains by carrying on with the plan rather than walking"
        " away at that moment, in its own value points (so compare bars within a row, not"
        " across rows). Bars above zero: the plan holds at that point; hatched bars with a red"
        " edge below zero: that side does better by reneging there. Shaded bands group the"
        " decision points of one stage. The weakest point, the smallest margin of the plan, is"
        " marked: it is where a guarantor would have to add most.",
        svg,
    )


def section(
    scenario: Scenario,
    plans: Sequence[tuple[StagedPlan, PlanAssessment]],
    cite: Citations,
) -> Section:
    """The phased-plans section: each plan (in scenario order) with its assessment."""
    rows = []
    for k, (plan, (staged, a)) in enumerate(zip(scenario.plans, plans, strict=True), start=1):
        w = a.weakest
        rows.append(
            {
                "plan": plan,
                "assessment": a,
                "figure": plan_figure(scenario, a, plan.name, f"fig-phased-{k}"),
                "weakest_party": scenario.party(w.negotiator).name,
                "weakest_where": w.point.label,
                "weakest_day": w.point.day,
                "drivers": [(d.what, d.value) for d in w.drivers],
                "stages": [
                    (sid, float(d)) for sid, d in zip(staged.stage_ids, staged.days, strict=True)
                ],
            }
        )
    body = render_fragment("sections/phased.html.j2", rows=rows, cite=cite)
    return Section("phased", "Phased plans: does every stage hold?", body)
