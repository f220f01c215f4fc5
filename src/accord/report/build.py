"""Assemble the report: every section rendered from one :class:`~accord.run.Analysis`.

This module is the report's only reader of the orchestration layer: it asks the analysis for
each result once and hands it to the section that renders it.  Sections compute nothing;
a section the scenario gives nothing to show (no phased plan, no conflict, no estimate with a
range) is left out and listed, with the reason, at the top of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from accord import __version__
from accord.model import Scenario
from accord.model.evidence import count_citations
from accord.report import scenario as sc
from accord.report.citations import Citations
from accord.report.links import check_links
from accord.report.page import Section, render
from accord.run import DEFAULT_SAMPLES, Analysis, Options, Progress, RobustnessOptions

__all__ = ["Missing", "build_report", "render_report", "write_report"]


@dataclass(frozen=True)
class Missing:
    """An analysis the page does not show, and why (said at the top of the page)."""

    title: str
    reason: str


PHASED = "Phased plans"
STABILITY = "Stability (graph model for conflict resolution)"
ROBUSTNESS = "Robustness of the conclusions"
RECORD = "How far the estimates agree with the record"


def build_report(
    scenario: Scenario,
    *,
    compare: tuple[str, str] | None = None,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    origin: str = "a scenario",
    progress: Progress | None = None,
) -> str:
    """The report of ``scenario`` as one HTML document (a string).

    Args:
        compare: the ids of the two proposals to compare (earlier, later);
            default: the two most recent by date.
        seed: the seed of the package sample drawn when the space is too large to draw
            whole, and of the robustness section's samples.
        samples: how many preference profiles (and plan valuations) the robustness
            section samples.
        origin: where the scenario came from, printed at the foot of the page.
        progress: told what is being computed or drawn (for a progress line).

    Raises:
        ScenarioError: the scenario defines no agreement space (fewer than two
            negotiators, a negotiator without preferences).
        UserInputError: a proposal named in ``compare`` does not exist; a source's link
            has a scheme other than http, https or mailto.
    """
    options = Options(seed=seed, robustness=RobustnessOptions(samples=samples))
    analysis = Analysis(scenario, options, origin=origin, progress=progress)
    return render_report(analysis, compare=compare)


def render_report(analysis: Analysis, *, compare: tuple[str, str] | None = None) -> str:
    """The report of everything ``analysis`` holds, as one HTML document (a string).

    The calibration and the robustness samples, the longest computation, are computed by
    local worker processes while this process draws the other sections
    (:meth:`Analysis.computing_ahead`)."""
    with analysis.computing_ahead(robustness=_shows_robustness(analysis)):
        return _render(analysis, compare)


def _render(analysis: Analysis, compare: tuple[str, str] | None) -> str:
    scenario = analysis.scenario
    pair = _pair(analysis, compare)
    check_links(scenario)
    cite = Citations(scenario)
    space = analysis.space
    _say(analysis, "drawing the scenario's weights and timeline")
    sections: list[Section] = [
        sc.overview_section(scenario),
        sc.parties_section(scenario, cite),
        sc.issues_section(scenario, cite),
        sc.positions_section(scenario, cite),
        sc.preferences_section(scenario, space, cite),
        sc.proposals_section(scenario, cite),
        sc.timeline_section(scenario, cite),
        _space(analysis, pair, default_pair=compare is None, cite=cite),
    ]
    missing: list[Missing] = []
    for part in (_record, _phased, _stability, _robustness):
        found = part(analysis, cite)
        if isinstance(found, Missing):
            missing.append(found)
        else:
            sections.append(found)
    estimates = [
        scenario.party(n.id).name
        for n in scenario.negotiators
        if n.id in scenario.preferences and scenario.preferences[n.id].estimate
    ]
    _say(analysis, "writing the page")
    return render(
        scenario=scenario,
        sections=sections,
        missing=missing,
        estimates=[f"preferences of {name}" for name in estimates],
        cite=cite,
        citations=count_citations(scenario),
        version=__version__,
        origin=analysis.origin,
    )


def _say(analysis: Analysis, doing: str) -> None:
    if analysis.progress is not None:
        analysis.progress(doing)


def _pair(analysis: Analysis, compare: tuple[str, str] | None) -> tuple[str, str] | None:
    if compare is None:
        return analysis.default_pair
    a, b = compare
    return analysis.proposal_id(a), analysis.proposal_id(b)


def _space(
    analysis: Analysis, pair: tuple[str, str] | None, *, default_pair: bool, cite: Citations
) -> Section:
    from accord.report.comparison import comparison_picture
    from accord.report.space import space_picture, space_section

    picture = space_picture(
        analysis.scenario, analysis.space_analysis(limit=0), analysis.core, analysis.cloud
    )
    comparison = comparison_picture(analysis.scenario, analysis.comparison(*pair)) if pair else None
    _say(analysis, "drawing the agreement space")
    return space_section(picture, comparison, cite, default_pair=default_pair)


def _record(analysis: Analysis, cite: Citations) -> Section | Missing:
    from accord.report.calibration import section
    from accord.run.positions import space_positions

    calibration = analysis.calibration()
    if calibration.evidence == 0:
        return Missing(RECORD, "the scenario records no responses, judgements or stated positions.")
    positions = space_positions(analysis.scenario, analysis.space_analysis(limit=0)).positions
    _say(analysis, "writing how far the estimates agree with the record")
    return section(calibration, positions, cite)


def _phased(analysis: Analysis, cite: Citations) -> Section | Missing:
    from accord.report.phased import section

    plans = analysis.scenario.plans
    if not plans:
        return Missing(
            PHASED, "the scenario defines no phased plan (no items, valuations and plans sections)."
        )
    results = [(analysis.staged(p.id), analysis.assessment(p.id)) for p in plans]
    _say(analysis, "drawing the phased plans")
    return section(analysis.scenario, results, cite)


def _stability(analysis: Analysis, cite: Citations) -> Section | Missing:
    from accord.report.stability import section

    if analysis.scenario.conflict is None:
        return Missing(
            STABILITY, "the scenario has no conflict section (a graph model of the conflict)."
        )
    conflict = analysis.conflict
    paths = analysis.status_quo_paths() if conflict.status_quo is not None else None
    _say(analysis, "drawing the stability section")
    return section(analysis.scenario, conflict, analysis.stability, paths, cite)


def _robustness(analysis: Analysis, cite: Citations) -> Section | Missing:
    from accord.report.plan_robustness import part
    from accord.report.robustness import section

    if not _shows_robustness(analysis):
        return Missing(
            ROBUSTNESS,
            "no estimate in the scenario has a plausible range or distribution to vary.",
        )
    # the plans first: their samples are the fewer, and the preference profiles' workers get
    # the longer to finish meanwhile
    plans_part = None
    model = analysis.valuation_model
    if model is not None:
        assessments = [analysis.assessment(p.id) for p in analysis.scenario.plans]
        plans_part = part(
            analysis.scenario,
            analysis.plan_robustness(),
            assessments,
            model,
            analysis.options,
            cite,
        )
    report = analysis.robustness()
    _say(analysis, "drawing the robustness section")
    return section(analysis.scenario, report, plans_part, cite, analysis.options.robustness)


def _shows_robustness(analysis: Analysis) -> bool:
    return analysis.uncertain_estimates > 0 or analysis.uncertain_valuations > 0


def write_report(
    scenario: Scenario,
    path: str | Path,
    *,
    compare: tuple[str, str] | None = None,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    origin: str = "a scenario",
) -> Path:
    """Write :func:`build_report`'s page to ``path`` (UTF-8) and return the path.

    The path is checked before anything is computed, and the page replaces any previous
    file only once complete (:mod:`accord.report.files`)."""
    from accord.report.files import check_writable, write_atomically

    out = Path(path)
    check_writable(out)
    page = build_report(scenario, compare=compare, seed=seed, samples=samples, origin=origin)
    write_atomically(out, page)
    return out
