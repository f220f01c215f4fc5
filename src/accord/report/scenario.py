"""Sections drawn from the scenario itself: overview, parties, issues, positions, preferences,
proposals and the timeline.  They need no analysis, only the validated model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from accord.model import Issue, Scenario
from accord.model.checks import resolve_option
from accord.model.schema import OptionValue
from accord.model.signals import TONES, signal_days
from accord.report.citations import Citations
from accord.report.figures import Figure, party_colour, report_style, svg_markup
from accord.report.page import Section, format_value, render_fragment
from accord.report.signals import signals_figure
from accord.space import CompiledSpace

__all__ = [
    "issues_section",
    "option_label",
    "overview_section",
    "parties_section",
    "positions_section",
    "preferences_section",
    "proposals_section",
    "timeline_section",
]


def option_label(issue: Issue, value: OptionValue) -> str:
    """How an option reads on the page: its name, or its number with the unit."""
    if issue.range is not None:
        unit = f" {issue.range.unit}" if issue.range.unit else ""
        return f"{format_value(float(value))}{unit}"
    for option in issue.options or ():
        if option.id == value:
            return option.label
    return str(value)


def _names(scenario: Scenario, ids: tuple[str, ...]) -> str:
    known = {p.id: p.name for p in scenario.parties}
    return ", ".join(known.get(i, i) for i in ids)


def overview_section(scenario: Scenario) -> Section:
    """Title, description and who is at the table."""
    by_role = {
        role: [p.name for p in scenario.parties if p.role.value == role]
        for role in ("mediator", "stakeholder")
    }
    body = render_fragment(
        "sections/overview.html.j2",
        scenario=scenario,
        mediators=by_role["mediator"],
        stakeholders=by_role["stakeholder"],
    )
    return Section("overview", "The negotiation", body)


def parties_section(scenario: Scenario, cite: Citations) -> Section:
    """Every party with its role and the representatives the sources name."""
    body = render_fragment("sections/parties.html.j2", scenario=scenario, cite=cite)
    return Section("parties", "Parties and representatives", body)


def issues_section(scenario: Scenario, cite: Citations) -> Section:
    """The issues with their options in order, and the combinations that cannot occur."""
    issue_name = {i.id: i.name for i in scenario.issues}

    def spec_text(issue_id: str, spec: OptionValue | tuple[OptionValue, ...]) -> str:
        issue = scenario.issue(issue_id)
        values = spec if isinstance(spec, tuple) else (spec,)
        return " or ".join(option_label(issue, v) for v in values)

    body = render_fragment(
        "sections/issues.html.j2",
        scenario=scenario,
        cite=cite,
        issue_name=issue_name,
        spec_text=spec_text,
    )
    return Section("issues", "Issues", body)


@dataclass(frozen=True)
class _PositionView:
    demand: str
    sources: tuple[str, ...]
    reading: str


def _reading(issue: Issue, options: tuple[str, ...], lo: float | None, hi: float | None) -> str:
    parts = [option_label(issue, o) for o in options]
    if lo is not None:
        parts.append(f"at least {option_label(issue, lo)}")
    if hi is not None:
        parts.append(f"at most {option_label(issue, hi)}")
    return "; ".join(parts)


def positions_section(scenario: Scenario, cite: Citations) -> Section:
    """A table, issue by party, of what each party said it wants, each with its sources."""
    speakers = [p for p in scenario.parties if any(q.party == p.id for q in scenario.positions)]
    rows = []
    for issue in scenario.issues:
        cells = []
        for party in speakers:
            cells.append(
                [
                    _PositionView(
                        q.demand.strip(), q.sources, _reading(issue, q.options, q.min, q.max)
                    )
                    for q in scenario.positions
                    if q.party == party.id and q.issue == issue.id
                ]
            )
        if any(cells):
            rows.append({"issue": issue, "cells": cells})
    body = render_fragment("sections/positions.html.j2", parties=speakers, rows=rows, cite=cite)
    return Section("positions", "Positions and their sources", body)


def _values_text(issue: Issue, space: CompiledSpace, column: int, k: int, weight: float) -> str:
    table = space.contributions[k][:, column]
    if weight <= 0:
        return "not valued (weight 0)"
    values = table / weight
    labels = [option_label(issue, v) for v in _option_values(issue)]
    if issue.range is not None and len(labels) > 7:
        picks = np.unique(np.linspace(0, len(labels) - 1, 5).round().astype(int))
        return ", ".join(f"{labels[i]}: {values[i]:.2f}" for i in picks) + " (linear in between)"
    return ", ".join(f"{lab}: {v:.2f}" for lab, v in zip(labels, values, strict=True))


def _option_values(issue: Issue) -> tuple[OptionValue, ...]:
    if issue.range is not None:
        return issue.range.values()
    return issue.option_ids()


def _weights(scenario: Scenario, space: CompiledSpace) -> np.ndarray:
    """Normalised weights (issues, negotiators): each weight over the negotiator's sum (the
    contributions alone do not give them under ``normalize: max`` or ``none``)."""
    prefs = [scenario.preferences[n] for n in space.negotiators]
    return np.array(
        [[p.weight(issue.id) / p.total_weight for p in prefs] for issue in scenario.issues]
    )


def _weights_figure(scenario: Scenario, space: CompiledSpace, estimate: bool) -> Figure:
    weights = _weights(scenario, space)
    names = [scenario.party(n).name for n in space.negotiators]
    n_issues, n_neg = weights.shape
    with report_style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8.0, 0.5 * n_issues * max(1, n_neg / 2) + 1.0))
        height = 0.8 / n_neg
        y = np.arange(n_issues)
        for j in range(n_neg):
            offset = (j - (n_neg - 1) / 2) * height
            bars = ax.barh(
                y + offset,
                weights[:, j],
                height=height * 0.95,
                color=party_colour(j),
                label=names[j],
            )
            ax.bar_label(bars, fmt="%.2f", padding=2, fontsize=8)
        ax.set_yticks(y, [i.name for i in scenario.issues])
        ax.invert_yaxis()
        ax.set_xlim(0, min(1.0, float(weights.max()) * 1.25 + 0.02))
        ax.set_xlabel(
            "weight of the issue (each negotiator's weights sum to 1)"
            + (" — estimate" if estimate else "")
        )
        ax.grid(axis="y", visible=False)
        ax.legend(ax.containers, names, loc="lower right")  # names as written, even "_x"
        svg = svg_markup(fig, "fig-weights")
    return Figure(
        "fig-weights",
        "How much each negotiator cares about each issue" + (" (estimates)" if estimate else ""),
        "Each bar is the share of a negotiator's total stake that rides on one issue. Long bars"
        " for one side and short ones for the other mark issues worth trading: a side can give"
        " way where it cares little in return for gains where it cares much.",
        svg,
    )


def preferences_section(scenario: Scenario, space: CompiledSpace, cite: Citations) -> Section:
    """Weights, option values and reservation of each negotiator, each labelled an estimate."""
    weights = _weights(scenario, space)
    estimate = any(scenario.preferences[n].estimate for n in space.negotiators)
    prefs = []
    for j, party_id in enumerate(space.negotiators):
        pref = scenario.preferences[party_id]
        rows = [
            {
                "issue": issue.name,
                "weight": float(weights[k, j]),
                "options": _values_text(issue, space, j, k, float(weights[k, j])),
            }
            for k, issue in enumerate(scenario.issues)
        ]
        prefs.append(
            {
                "id": party_id,
                "name": scenario.party(party_id).name,
                "colour": party_colour(j),
                "estimate": pref.estimate,
                "scale": pref.normalize.value,
                "reservation": float(space.reservation[j]),
                "rationale": pref.rationale.strip(),
                "sources": pref.sources,
                "rows": rows,
            }
        )
    body = render_fragment(
        "sections/preferences.html.j2",
        prefs=prefs,
        cite=cite,
        weights_figure=_weights_figure(scenario, space, estimate),
    )
    return Section("preferences", "Preferences (the analyst's model)", body)


def proposals_section(scenario: Scenario, cite: Citations) -> Section:
    """Every proposal's package, issue by issue, with the analyst's assumed values marked."""
    proposals = []
    for p in sorted(scenario.proposals, key=lambda p: p.date):
        cells = {}
        for issue in scenario.issues:
            value = p.package[issue.id]
            index = resolve_option(issue, value)[0]
            label = option_label(issue, value) if index is not None else str(value)
            cells[issue.id] = {"label": label, "assumed": p.assumed.get(issue.id, "").strip()}
        proposals.append(
            {
                "name": p.name,
                "date": p.date,
                "by_names": _names(scenario, p.authors),
                "status": p.status,
                "description": (p.description or "").strip(),
                "sources": p.sources,
                "cells": cells,
                "responses": [
                    {
                        "party": scenario.party(party).name,
                        "response": r.response.value,
                        "counter": r.counter,
                        "date": r.date or p.date,
                        "note": (r.note or "").strip(),
                        "sources": r.sources or p.sources,
                    }
                    for party, r in p.responses.items()
                ],
            }
        )
    names = {p.id: p.name for p in scenario.proposals}
    judgements = [
        {
            "party": scenario.party(j.party).name,
            "prefers": names.get(j.prefers, j.prefers),
            "over": names.get(j.over, j.over),
            "date": j.date,
            "note": (j.note or "").strip(),
            "sources": j.sources,
        }
        for j in scenario.judgements
    ]
    body = render_fragment(
        "sections/proposals.html.j2",
        proposals=proposals,
        judgements=judgements,
        issues=scenario.issues,
        cite=cite,
    )
    return Section("proposals", "Proposals on the table", body)


def _timeline_figure(entries: list[dict[str, object]]) -> Figure | None:
    dates: list[dt.date] = sorted({e["date"] for e in entries})  # type: ignore[misc]
    if len(dates) < 2:
        return None
    with report_style():
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(8.0, 2.4))
        # Evenly spaced positions, dates as labels: weeks of quiet would otherwise squeeze the
        # busy days (the Cairo scenario spans four months, half its events fall on one day).
        pos = {d: k for k, d in enumerate(dates)}
        counts: dict[dt.date, int] = {}
        for e in entries:
            d = e["date"]
            assert isinstance(d, dt.date)
            level = counts.get(d, 0)
            counts[d] = level + 1
            marker = "D" if e["proposal"] else "o"
            colour = "#0b5394" if e["proposal"] else "#5a6470"
            ax.plot(pos[d], level + 1, marker=marker, color=colour, markersize=7, linestyle="")
        for d, n in counts.items():
            ax.vlines(pos[d], 0, n, color="#bbbbbb", linewidth=1, zorder=0)
        ax.set_xticks(
            range(len(dates)), [d.strftime("%d %b %Y") for d in dates], rotation=30, ha="right"
        )
        ax.set_yticks([])
        ax.set_ylim(0, max(counts.values()) + 0.8)
        ax.set_xlim(-0.6, len(dates) - 0.4)
        ax.grid(False)
        ax.spines["left"].set_visible(False)
        ax.plot([], [], "D", color="#0b5394", label="proposal")
        ax.plot([], [], "o", color="#5a6470", label="event")
        ax.legend(loc="upper left", ncols=2)
        svg = svg_markup(fig, "fig-timeline")
    return Figure(
        "fig-timeline",
        "Timeline of events and proposals",
        "Each mark is one dated entry of the table below; marks stack when several things happen"
        " on the same day. Dates are evenly spaced, not to scale, so that busy days stay legible.",
        svg,
    )


def timeline_section(scenario: Scenario, cite: Citations) -> Section:
    """The dated events and proposals in one chronological table, with a figure; then the
    signals, day by day and party by party, positive and negative side by side."""
    entries: list[dict[str, object]] = [
        {
            "date": e.date,
            "text": e.text.strip(),
            "parties": _names(scenario, e.parties),
            "sources": e.sources,
            "proposal": False,
        }
        for e in scenario.events
    ]
    entries += [
        {
            "date": p.date,
            "text": p.name,
            "parties": _names(scenario, p.authors),
            "sources": p.sources,
            "proposal": True,
        }
        for p in scenario.proposals
    ]
    entries.sort(key=lambda e: (e["date"], bool(e["proposal"])))
    days = signal_days(scenario)
    body = render_fragment(
        "sections/timeline.html.j2",
        entries=entries,
        figure=_timeline_figure(entries),
        cite=cite,
        signal_days=days,
        signals_figure=signals_figure(scenario, days),
        tones=TONES,
    )
    return Section("timeline", "Timeline", body)
