"""Two proposals compared issue by issue: who gains and who loses, and by how much.

The changes are those of :func:`accord.analysis.compare.compare_packages` (with additive
utilities the per-issue changes add up exactly to the change in utility: Keeney & Raiffa 1976,
*Decisions with Multiple Objectives*, ch. 3); this module labels them as the page reads and
draws them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from accord.model import Scenario
from accord.report.figures import Figure, party_colour, report_style, svg_markup

if TYPE_CHECKING:
    from accord.analysis.compare import Comparison

__all__ = ["ComparisonPicture", "IssueDelta", "comparison_figure", "comparison_picture"]


@dataclass(frozen=True)
class IssueDelta:
    """One issue: the option in A and in B, and each negotiator's utility change (B - A)."""

    issue: str
    before: str
    after: str
    change: NDArray[np.float64]


@dataclass(frozen=True)
class ComparisonPicture:
    """Proposal B against proposal A, issue by issue and negotiator by negotiator."""

    a: str
    b: str
    a_name: str
    b_name: str
    names: tuple[str, ...]
    issues: tuple[IssueDelta, ...]
    before: NDArray[np.float64]
    after: NDArray[np.float64]

    @property
    def total(self) -> NDArray[np.float64]:
        return self.after - self.before


def comparison_picture(scenario: Scenario, comparison: Comparison) -> ComparisonPicture:
    """Per-issue utility changes from proposal ``comparison.a`` to ``comparison.b``, labelled
    as the page reads them."""
    from accord.report.scenario import option_label

    a, b = comparison.a, comparison.b
    names = tuple(p.negotiator for p in comparison.negotiators)
    deltas = tuple(
        IssueDelta(
            issue=change.name,
            before=option_label(issue, scenario.proposal(a).package[issue.id]),
            after=option_label(issue, scenario.proposal(b).package[issue.id]),
            change=np.array([change.utility_change[n] for n in names]),
        )
        for change, issue in zip(comparison.issues, scenario.issues, strict=True)
    )
    return ComparisonPicture(
        a=a,
        b=b,
        a_name=scenario.proposal(a).name,
        b_name=scenario.proposal(b).name,
        names=tuple(scenario.party(n).name for n in names),
        issues=deltas,
        before=np.array([c.before for c in comparison.negotiators]),
        after=np.array([c.after for c in comparison.negotiators]),
    )


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def comparison_figure(cmp: ComparisonPicture) -> Figure:
    """A diverging bar chart: per issue, each negotiator's gain (right) or loss (left)."""
    import matplotlib.pyplot as plt

    n_neg = len(cmp.names)
    rows = [*cmp.issues]
    labels = [
        _wrap(d.issue, 40)
        + "\n"
        + (_wrap(f"{d.before} → {d.after}", 44) if d.before != d.after else "(unchanged)")
        for d in rows
    ] + ["Overall"]
    values = np.vstack([d.change for d in rows] + [cmp.total])
    height_per_row = 0.55 + 0.2 * n_neg
    with report_style():
        fig, ax = plt.subplots(figsize=(8.0, height_per_row * len(labels) + 1.2))
        y = np.arange(len(labels), dtype=float)
        y[-1] += 0.4  # set the overall row apart
        bar_h = 0.8 / n_neg
        span = float(np.abs(values).max()) or 0.1
        for j in range(n_neg):
            offset = (j - (n_neg - 1) / 2) * bar_h
            bars = ax.barh(
                y + offset,
                values[:, j],
                height=bar_h * 0.92,
                color=party_colour(j),
                label=cmp.names[j],
            )
            for rect, v in zip(bars, values[:, j], strict=True):
                if abs(v) < 5e-4:
                    continue
                ax.annotate(
                    f"{v:+.3f}",
                    (v, rect.get_y() + rect.get_height() / 2),
                    xytext=(3 if v > 0 else -3, 0),
                    textcoords="offset points",
                    ha="left" if v > 0 else "right",
                    va="center",
                    fontsize=7.5,
                )
        ax.axvline(0, color="#333333", lw=1)
        ax.axhline((y[-2] + y[-1]) / 2, color="#999999", lw=0.8, ls=":")
        ax.set_yticks(y, labels, fontsize=9)
        ax.invert_yaxis()
        ax.set_xlim(-span * 1.3, span * 1.3)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel(
            "← worse under the later proposal   ·   change in utility (estimate)   ·"
            "   better under the later proposal →"
        )
        ax.legend(
            ax.containers,  # explicit: legend() alone would drop a name beginning with "_"
            cmp.names,
            loc="upper center",
            bbox_to_anchor=(0.5, 1.0 + 0.5 / len(labels)),
            ncols=n_neg,
        )
        svg = svg_markup(fig, "fig-compare")
    return Figure(
        "fig-compare",
        f"From “{cmp.a_name}” to “{cmp.b_name}”: who gains and who loses, issue by issue",
        "Each row is an issue, with the option in the earlier proposal → the option in the later"
        " one. A bar to the right means the negotiator is better off under the later proposal on"
        " that issue, to the left worse off; its length is the utility gained or lost (a share"
        " of the negotiator's whole stake, so bars of different negotiators compare only in"
        " direction and rank). The bottom row adds the issues up: the overall change.",
        svg,
    )
