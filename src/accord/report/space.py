"""The agreement space: the cloud of feasible packages, the Pareto frontier, reservations, the
ZOPA, the proposals and the bargaining solutions, as one scatter (two negotiators) or pairwise
panels (three or more); a table of the proposals and of the solutions; and two proposals
compared issue by issue (:mod:`accord.report.comparison`).

Everything drawn here comes from a :class:`SpacePicture`, which :func:`space_picture` builds
from the results of the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from accord.analysis.solutions import SOLUTION_CONCEPTS
from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.figures import Figure, number_marker, party_colour, report_style, svg_markup
from accord.report.page import Section, render_fragment

if TYPE_CHECKING:
    from accord.analysis import SpaceAnalysis
    from accord.analysis.agreement_space import SpaceCore
    from accord.report.comparison import ComparisonPicture
    from accord.run.cloud import PackageCloud

__all__ = [
    "ProposalPoint",
    "SolutionPoint",
    "SpacePicture",
    "space_picture",
    "space_section",
]

SOLUTION_LABELS = {c.name: c.title for c in SOLUTION_CONCEPTS}
SOLUTION_MARKERS = {"nash": "*", "kalai_smorodinsky": "P", "egalitarian": "s", "utilitarian": "^"}


@dataclass(frozen=True)
class ProposalPoint:
    """A proposal placed in the space: its utilities and standing."""

    id: str
    name: str
    date: str
    number: int
    utility: NDArray[np.float64]
    feasible: bool
    in_zopa: bool
    pareto_optimal: bool
    dominated_by: int | None
    dominated_by_exact: bool


@dataclass(frozen=True)
class SolutionPoint:
    """A bargaining solution: its utilities, its package and how many packages tie with it."""

    name: str
    utility: NDArray[np.float64]
    package: dict[str, str | float]
    ties: int


@dataclass(frozen=True)
class SpacePicture:
    """What the agreement-space figures draw.

    Attributes:
        negotiators: party ids in column order; names: their display names.
        reservation: (n,) reservation utilities.
        cloud: (m, n) utilities of the feasible packages drawn.
        feasible: the number of feasible packages; cloud_sampled tells whether
            ``cloud`` is all of them or a uniform sample.
        frontier: (k, n) utilities of the Pareto-optimal feasible packages
            (all of them), sorted by the first negotiator's utility.
        zopa: the number of feasible packages in the ZOPA (exact or estimated,
            see ``zopa_exact``).
        proposals: in scenario order.  solutions: name -> solution (None when
            the ZOPA is empty).
        seed: the seed of the sample, when sampled.
        explanation: why the ZOPA is empty, in words (None when it is not).
    """

    negotiators: tuple[str, ...]
    names: tuple[str, ...]
    reservation: NDArray[np.float64]
    cloud: NDArray[np.float64]
    feasible: int
    cloud_sampled: bool
    frontier: NDArray[np.float64]
    zopa: int
    zopa_exact: bool
    proposals: tuple[ProposalPoint, ...]
    solutions: dict[str, SolutionPoint | None]
    seed: int
    explanation: str | None = None


def space_picture(
    scenario: Scenario, analysis: SpaceAnalysis, core: SpaceCore, cloud: PackageCloud
) -> SpacePicture:
    """Everything the agreement-space figures draw, from the analysis's results.

    The counts, proposal assessments and bargaining solutions are those of
    :func:`accord.analysis.analyze_space`; the frontier is drawn from its exact integer
    utilities (``core.frontier``, read through ``core.units``); ``cloud`` is the packages to draw.
    """
    negotiators = analysis.negotiators
    utility = core.units.to_float(core.frontier.utility)
    utility = utility[np.lexsort(utility.T[::-1])]  # by the first negotiator's utility

    def vector(values: dict[str, float]) -> NDArray[np.float64]:
        return np.array([values[n] for n in negotiators])

    by_id = {p.id: p for p in scenario.proposals}
    proposals = tuple(
        ProposalPoint(
            id=a.id,
            name=by_id[a.id].name,
            date=by_id[a.id].date.isoformat(),
            number=number,
            utility=vector(a.utility),
            feasible=a.feasible,
            in_zopa=a.in_zopa,
            pareto_optimal=a.pareto_optimal,
            dominated_by=a.dominated_by,
            dominated_by_exact=a.dominated_by_exact,
        )
        for number, a in enumerate(analysis.proposals, start=1)
    )
    solutions = {
        name: None
        if sol is None
        else SolutionPoint(name, vector(sol.utility), sol.package, sol.ties)
        for name, sol in analysis.solutions.items()
    }
    return SpacePicture(
        negotiators=negotiators,
        names=tuple(scenario.party(n).name for n in negotiators),
        reservation=vector(analysis.reservation),
        cloud=cloud.utility,
        feasible=analysis.packages,
        cloud_sampled=cloud.sampled,
        frontier=utility,
        zopa=analysis.zopa,
        zopa_exact=analysis.exact,
        proposals=proposals,
        solutions=solutions,
        seed=cloud.seed,
        explanation=analysis.explanation,
    )


# --- drawing ---------------------------------------------------------------------------------

_CLOUD = "#b9c0c8"
_CLOUD_ZOPA = "#5fa55a"
_ZOPA_FILL = "#e4f3e1"
_FRONTIER = "#1d232a"
_PROPOSAL = "#0b5394"


def _solution_groups(
    pic: SpacePicture, i: int, j: int, tol: float = 1e-9
) -> list[tuple[list[str], float, float]]:
    """Solutions that land on the same point of panel (i, j), grouped under one label."""
    groups: list[tuple[list[str], float, float]] = []
    for name, sol in pic.solutions.items():
        if sol is None:
            continue
        x, y = float(sol.utility[i]), float(sol.utility[j])
        for names, gx, gy in groups:
            if abs(gx - x) <= tol and abs(gy - y) <= tol:
                names.append(name)
                break
        else:
            groups.append(([name], x, y))
    return groups


def _limits(pic: SpacePicture, k: int) -> tuple[float, float]:
    flat = np.concatenate(
        [pic.cloud[:, k], [pic.reservation[k]], [p.utility[k] for p in pic.proposals]]
    ).astype(float)
    lo, hi = float(flat.min()), float(flat.max())
    pad = 0.05 * max(hi - lo, 0.1)
    return max(lo - pad, -0.02), min(hi + pad, 1.02)


def _shade_zopa(ax, pic: SpacePicture, i: int, j: int, x1: float, y1: float) -> None:  # type: ignore[no-untyped-def]
    """Shade the ZOPA: with two negotiators, the area between the reservation lines and the
    frontier; with more, the panel's quadrant above both reservations (the frontier there is
    a projection, so no line bounds it)."""
    from matplotlib.patches import Rectangle

    r = pic.reservation
    front = pic.frontier
    if front.shape[1] == 2 and front.shape[0]:
        fx, fy = front[:, 0], front[:, 1]  # sorted by fx ascending, so fy descends
        if np.interp(r[0], fx, fy) < r[1]:
            return  # the frontier passes below the corner: no package satisfies both
        cross = float(np.interp(r[1], fy[::-1], fx[::-1]))
        xs = np.concatenate([[r[0]], fx[(fx > r[0]) & (fx < cross)], [cross]])
        ys = np.maximum(np.interp(xs, fx, fy), r[1])
        ax.fill_between(xs, r[1], ys, facecolor=_ZOPA_FILL, edgecolor="none", zorder=0)
        return
    ax.add_patch(
        Rectangle(
            (r[i], r[j]), x1 - r[i], y1 - r[j], facecolor=_ZOPA_FILL, edgecolor="none", zorder=0
        )
    )


def _draw_cloud_and_frontier(  # type: ignore[no-untyped-def]
    ax, pic: SpacePicture, i: int, j: int, tol: float
) -> None:
    """The feasible packages (green inside the ZOPA) and the Pareto frontier."""
    inside = np.all(pic.cloud >= pic.reservation - tol, axis=1)
    m = pic.cloud.shape[0]
    dot = 4 if m > 5000 else (9 if m > 1000 else 16)  # small spaces: dots big enough to see
    ax.scatter(
        pic.cloud[~inside, i],
        pic.cloud[~inside, j],
        s=dot,
        c=_CLOUD,
        linewidths=0,
        rasterized=True,
        zorder=1,
        label="feasible package",
    )
    ax.scatter(
        pic.cloud[inside, i],
        pic.cloud[inside, j],
        s=dot,
        c=_CLOUD_ZOPA,
        linewidths=0,
        rasterized=True,
        zorder=1,
        label="feasible package in the ZOPA",
    )
    if pic.frontier.shape[0]:
        if pic.frontier.shape[1] == 2:
            ax.plot(
                pic.frontier[:, 0],
                pic.frontier[:, 1],
                "-o",
                color=_FRONTIER,
                lw=1.6,
                markersize=2.5,
                zorder=3,
                label="Pareto frontier",
            )
        else:
            ax.scatter(
                pic.frontier[:, i],
                pic.frontier[:, j],
                s=9,
                c=_FRONTIER,
                zorder=3,
                linewidths=0,
                label="Pareto-optimal package (projected)",
            )


def _draw_proposals_and_solutions(  # type: ignore[no-untyped-def]
    ax, pic: SpacePicture, i: int, j: int, label_solutions: bool
) -> None:
    """Numbered circles for the proposals; black markers (and labels) for the solutions."""
    for p in pic.proposals:
        ax.scatter(
            [p.utility[i]],
            [p.utility[j]],
            s=190,
            marker="o",
            facecolors="white",
            edgecolors=_PROPOSAL,
            linewidths=1.6,
            zorder=6,
        )
        ax.annotate(
            str(p.number),
            (p.utility[i], p.utility[j]),
            ha="center",
            va="center",
            fontsize=8,
            fontweight="bold",
            color=_PROPOSAL,
            zorder=7,
        )
    # Labels stacked in the empty corner above and right of the frontier, leftmost point on
    # top, so that solutions a few hundredths apart stay legible.
    groups = sorted(_solution_groups(pic, i, j), key=lambda g: (g[1], -g[2]))
    for k, (names, x, y) in enumerate(groups):
        ax.scatter(
            [x],
            [y],
            s=70,
            marker=SOLUTION_MARKERS[names[0]],
            c="#000000",
            edgecolors="white",
            linewidths=0.8,
            zorder=8,
        )
        if not label_solutions:
            continue
        ax.annotate(
            " = ".join(SOLUTION_LABELS[n] for n in names),
            (x, y),
            xytext=(28 + 6 * k, 78 - 20 * k),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            fontweight="bold",
            zorder=9,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#888888", "lw": 0.6},
            arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.8, "shrinkB": 4},
        )


def _draw_panel(  # type: ignore[no-untyped-def]
    ax, pic: SpacePicture, i: int, j: int, *, tol: float = 1e-9, label_solutions: bool = True
) -> None:
    """One panel: negotiator ``i`` across, ``j`` up.  Small panels (three or more negotiators)
    leave the solutions' names to the legend, where their marker shapes are explained."""
    r = pic.reservation
    (x0, x1), (y0, y1) = _limits(pic, i), _limits(pic, j)
    _shade_zopa(ax, pic, i, j, x1, y1)
    _draw_cloud_and_frontier(ax, pic, i, j, tol)
    ax.axvline(r[i], color=party_colour(i), ls="--", lw=1.4, zorder=2)
    ax.axhline(r[j], color=party_colour(j), ls="--", lw=1.4, zorder=2)
    ax.annotate(
        f"{pic.names[i]}'s reservation {r[i]:.2f}",
        (r[i], y0),
        xytext=(-3, 4),
        textcoords="offset points",
        rotation=90,
        va="bottom",
        ha="right",
        fontsize=8.5,
        color=party_colour(i),
    )
    ax.annotate(
        f"{pic.names[j]}'s reservation {r[j]:.2f}",
        (x0, r[j]),
        xytext=(4, -4),
        textcoords="offset points",
        va="top",
        ha="left",
        fontsize=8.5,
        color=party_colour(j),
    )
    _draw_proposals_and_solutions(ax, pic, i, j, label_solutions)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(f"utility to {pic.names[i]} (estimate)")
    ax.set_ylabel(f"utility to {pic.names[j]} (estimate)")
    ax.set_aspect("equal", adjustable="box")


def _legend_handles(pic: SpacePicture) -> list[object]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[object] = [
        Patch(facecolor=_ZOPA_FILL, label="ZOPA: every negotiator at or above its reservation"),
        Line2D([], [], ls="", marker="o", markersize=4, color=_CLOUD, label="feasible package"),
        Line2D(
            [],
            [],
            ls="",
            marker="o",
            markersize=4,
            color=_CLOUD_ZOPA,
            label="feasible package in the ZOPA",
        ),
    ]
    if pic.frontier.shape[0]:
        two = pic.frontier.shape[1] == 2
        handles.append(
            Line2D(
                [],
                [],
                ls="-" if two else "",
                marker="o",
                markersize=3,
                color=_FRONTIER,
                label="Pareto frontier" if two else "Pareto-optimal package (projected)",
            )
        )
    for k in range(len(pic.names)):
        handles.append(
            Line2D([], [], ls="--", color=party_colour(k), label=f"{pic.names[k]}'s reservation")
        )
    for p in pic.proposals:
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker=number_marker(p.number),
                markersize=7,
                color=_PROPOSAL,
                label=_short(p.name, 48),
            )
        )
    for name, sol in pic.solutions.items():
        if sol is not None:
            handles.append(
                Line2D(
                    [],
                    [],
                    ls="",
                    marker=SOLUTION_MARKERS[name],
                    markersize=8,
                    color="#000000",
                    label=f"{SOLUTION_LABELS[name]} solution",
                )
            )
    return handles


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def frontier_figure(pic: SpacePicture) -> Figure:
    """The scatter of utilities with frontier, reservations, ZOPA, proposals and solutions."""
    import matplotlib.pyplot as plt

    n = len(pic.negotiators)
    pairs = list(combinations(range(n), 2))
    with report_style():
        if n == 2:
            fig, ax = plt.subplots(figsize=(7.6, 8.6), layout="constrained")
            _draw_panel(ax, pic, 0, 1)
            fig.legend(
                handles=_legend_handles(pic), loc="outside lower center", ncols=2, fontsize=8.5
            )
        else:
            cols = min(2, len(pairs))
            rows = -(-len(pairs) // cols)
            fig, axes = plt.subplots(
                rows,
                cols,
                figsize=(4.4 * cols, 4.4 * rows + 1.4),
                squeeze=False,
                layout="constrained",
            )
            for ax, (i, j) in zip(axes.flat, pairs, strict=False):
                _draw_panel(ax, pic, i, j, label_solutions=False)
            for ax in list(axes.flat)[len(pairs) :]:
                ax.set_visible(False)
            fig.legend(
                handles=_legend_handles(pic), loc="outside lower center", ncols=2, fontsize=8.5
            )
        svg = svg_markup(fig, "fig-frontier")
    if pic.cloud_sampled:
        cloud_text = (
            f"Grey dots are a uniform random sample of {pic.cloud.shape[0]:,} feasible packages"
            f" (seed {pic.seed}): the space is too large to draw every package."
        )
    else:
        cloud_text = f"Each dot is one of the {pic.feasible:,} feasible packages."
    if n == 2:
        axes_text = (
            f"Across: what a package is worth to {pic.names[0]}; up: what it is worth to"
            f" {pic.names[1]} (0 = its worst package, 1 = its best)."
        )
        frontier_text = (
            " The black line is the Pareto frontier: packages that no other package improves"
            " for one side without hurting the other. A point below it leaves value on the table."
        )
    else:
        axes_text = (
            "One panel per pair of negotiators; each shows what a package is worth to the two of"
            " them. With three or more negotiators the frontier is a surface, so its packages are"
            " drawn as black dots in every panel, not as a line."
        )
        frontier_text = ""
    how = (
        f"{axes_text} {cloud_text}{frontier_text} Dashed lines are the reservation values;"
        " the green area, where both lie above their lines, is the zone of possible agreement"
        " (ZOPA). Numbered circles are the proposals (see the table below); black symbols are"
        " the bargaining solutions, computed on the frontier inside the ZOPA."
    )
    return Figure(
        "fig-frontier",
        "The agreement space: every feasible package, the Pareto frontier, the ZOPA, the"
        " proposals and the bargaining solutions (utilities are estimates)",
        how,
        svg,
    )


_RULES = {c.name: c.rule for c in SOLUTION_CONCEPTS}


def space_section(
    pic: SpacePicture,
    comparison: ComparisonPicture | None,
    cite: Citations,
    *,
    default_pair: bool = True,
) -> Section:
    """The agreement-space section: figure, proposals table, solutions, and a comparison
    (of the two most recent proposals when ``default_pair``)."""
    from accord.report.comparison import comparison_figure

    solutions = [
        {
            "label": SOLUTION_LABELS[name],
            "rule": _RULES[name],
            "utility": sol.utility,
            "ties": sol.ties,
            "package": "; ".join(f"{k}: {v}" for k, v in sol.package.items()),
        }
        for name, sol in pic.solutions.items()
        if sol is not None
    ]
    body = render_fragment(
        "sections/space.html.j2",
        pic=pic,
        colours=[party_colour(k) for k in range(len(pic.names))],
        frontier_figure=frontier_figure(pic),
        solutions=solutions,
        zopa_empty=pic.explanation,
        comparison=comparison,
        comparison_figure=comparison_figure(comparison) if comparison else None,
        default_pair=default_pair,
        cite=cite,
    )
    return Section("agreement-space", "The agreement space", body)
