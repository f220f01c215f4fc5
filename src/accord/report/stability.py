"""The stability section: the GMCR stability table and the status quo's evolution as a graph.

Stability (Nash, GMR, SMR, SEQ) is that of :func:`accord.gmcr.analyze_stability` (Fang,
Hipel & Kilgour 1993, *Interactive Decision Making: The Graph Model for Conflict
Resolution*, Wiley, ch. 3); paths from the status quo from
:func:`accord.gmcr.status_quo_analysis` (Li, Kilgour & Hipel 2005, "Status quo analysis in the
graph model for conflict resolution", J. Operational Research Society 56(6), 699-707).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.figures import Figure, party_colour, report_style, svg_markup
from accord.report.page import Section, render_fragment

if TYPE_CHECKING:
    from accord.gmcr import CompiledConflict, Stability, StatusQuoAnalysis

__all__ = ["evolution_figure", "section"]

CONCEPT_NAMES = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}


def _depths(sq: StatusQuoAnalysis) -> dict[int, int]:
    """Each state on a shortest path, at its distance from the status quo."""
    depth = {sq.status_quo: 0}
    for path in sq.paths:
        for k, step in enumerate(path.steps, start=1):
            depth[step.state] = min(depth.get(step.state, k), k)
    return depth


def _layout(
    sq: StatusQuoAnalysis,
) -> tuple[dict[int, list[int]], dict[int, tuple[float, float]], int]:
    """States by column (moves from the status quo), their positions, the tallest column."""
    columns: dict[int, list[int]] = {}
    for state, d in sorted(_depths(sq).items(), key=lambda kv: (kv[1], kv[0])):
        columns.setdefault(d, []).append(state)
    tallest = max(len(v) for v in columns.values())
    pos = {}
    for d, states in columns.items():
        for k, state in enumerate(states):
            pos[state] = (d * 3.4, (tallest - 1) / 2 - k * 1.0 - (tallest - len(states)) / 2)
    return columns, pos, tallest


def _draw_states(  # type: ignore[no-untyped-def]
    ax,
    conflict: CompiledConflict,
    sq: StatusQuoAnalysis,
    pos: dict[int, tuple[float, float]],
    concepts: dict[int, tuple[str, ...]],
) -> None:
    """One box per state: the status quo orange, equilibria green and tagged."""
    for state, (x, y) in pos.items():
        label = "\n".join(textwrap.wrap(conflict.label(state), 24))
        tags = ", ".join(CONCEPT_NAMES[c] for c in concepts.get(state, ()))
        is_eq = state in concepts
        text = label + (f"\n[{tags}]" if tags else "")
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=7.5,
            fontweight="bold" if state == sq.status_quo else "normal",
            bbox={
                "boxstyle": "round,pad=0.35",
                "fc": "#fff3e0" if state == sq.status_quo else ("#e6f4ea" if is_eq else "white"),
                "ec": "#0b6b3a" if is_eq else "#888888",
                "lw": 1.6 if is_eq else 0.8,
            },
            zorder=3,
        )


def evolution_figure(
    conflict: CompiledConflict, sq: StatusQuoAnalysis, names: dict[str, str]
) -> Figure:
    """States reached from the status quo, one column per number of moves; arrows coloured by
    who moves; equilibria outlined and tagged with the concepts under which they are stable."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    columns, pos, tallest = _layout(sq)
    concepts = {p.target: p.concepts for p in sq.paths}
    movers_colour = {name: party_colour(k) for k, name in enumerate(conflict.decision_makers)}
    coalition = "#555555"
    edges = set()
    for path in sq.paths:
        prev = sq.status_quo
        for step in path.steps:
            edges.add((prev, step.state, step.movers))
            prev = step.state
    with report_style():
        fig, ax = plt.subplots(figsize=(8.0, max(3.0, 0.62 * tallest + 1.4)), layout="constrained")
        for a, b, movers in sorted(edges):
            colour = movers_colour[movers[0]] if len(movers) == 1 else coalition
            ax.annotate(
                "",
                xy=pos[b],
                xytext=pos[a],
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": colour,
                    "lw": 1.4,
                    "shrinkA": 40,
                    "shrinkB": 40,
                    "linestyle": "-" if len(movers) == 1 else "--",
                },
                zorder=1,
            )
        _draw_states(ax, conflict, sq, pos, concepts)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        ax.set_xlim(min(xs) - 1.8, max(xs) + 1.8)
        ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
        ax.set_xticks(
            [d * 3.4 for d in columns],
            ["status quo" if d == 0 else f"after {d} move{'s' if d > 1 else ''}" for d in columns],
        )
        ax.set_yticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        handles = [
            Line2D([], [], color=c, lw=1.6, label=f"{names.get(n, n)} moves")
            for n, c in movers_colour.items()
        ]
        handles.append(Line2D([], [], color=coalition, lw=1.6, ls="--", label="a coalition moves"))
        fig.legend(
            handles=handles, loc="outside lower center", ncols=min(4, len(handles)), fontsize=8
        )
        svg = svg_markup(fig, "fig-evolution")
    return Figure(
        "fig-evolution",
        "How the conflict can move from the status quo to its equilibria (fewest moves;"
        " preferences are estimates)",
        "Each box is a state of the conflict; the orange box is the status quo, green boxes are"
        " equilibria, tagged with the stability concepts under which every decision maker stays"
        " put. An arrow is a move that makes the mover better off: coloured by the decision"
        " maker who moves alone, dashed when a coalition moves together. Columns count the"
        " moves from the status quo; each equilibrium is shown by one shortest path.",
        svg,
    )


def section(
    scenario: Scenario,
    conflict: CompiledConflict,
    stability: Stability,
    paths: StatusQuoAnalysis | None,
    cite: Citations,
) -> Section:
    """The stability section: the table of the states that matter and, when the conflict
    has a status quo, the figure of the ``paths`` from it."""
    model = scenario.conflict
    assert model is not None, "the stability section needs the scenario's conflict"
    equilibria = {c: set(stability.equilibria(c).tolist()) for c in stability.concepts}
    shown = sorted(
        {int(s) for v in equilibria.values() for s in v}
        | set(conflict.labels)
        | ({conflict.status_quo} if conflict.status_quo is not None else set())
    )
    shown = [s for s in shown if conflict.feasible[s]]
    dms = [
        (dm, next((d.name or dm for d in model.decision_makers if d.id == dm), dm))
        for dm in conflict.decision_makers
    ]
    rows = []
    for s in shown:
        rows.append(
            {
                "label": conflict.label(s),
                "vector": conflict.vector(s),
                "status_quo": s == conflict.status_quo,
                "stable": [
                    [stability.is_stable(dm, c, s) for c in stability.concepts] for dm, _ in dms
                ],
                "equilibrium": [CONCEPT_NAMES[c] for c in stability.concepts if s in equilibria[c]],
            }
        )
    figure = None
    unreachable: list[str] = []
    if paths is not None:
        figure = evolution_figure(conflict, paths, dict(dms))
        unreachable = [conflict.label(s) for s in paths.unreachable]
    options = []
    if conflict.is_option_form:
        for d in model.decision_makers:
            for o in d.options or ():
                options.append((d.name, o.name or o.id))
    body = render_fragment(
        "sections/stability.html.j2",
        model=model,
        dms=dms,
        concepts=[CONCEPT_NAMES[c] for c in stability.concepts],
        rows=rows,
        n_states=len(stability.states),
        options=options,
        figure=figure,
        unreachable=unreachable,
        cite=cite,
    )
    return Section("stability", "Stability: which outcomes would hold (graph model)", body)
