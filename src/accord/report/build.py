"""Assemble the report: the scenario's sections, the agreement space, then every optional
analysis this build has, into one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

from accord import __version__
from accord.model import Scenario
from accord.report import scenario as sc
from accord.report.citations import Citations
from accord.report.optional import DEFAULT_SAMPLES, ReportOptions, optional_sections
from accord.report.page import Section, render
from accord.report.space import space_section
from accord.space import compile_space

__all__ = ["build_report", "write_report"]


def build_report(
    scenario: Scenario,
    *,
    compare: tuple[str, str] | None = None,
    seed: int = 0,
    samples: int = DEFAULT_SAMPLES,
    origin: str = "a scenario",
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

    Raises:
        ScenarioError: the scenario defines no agreement space (fewer than two
            negotiators, a negotiator without preferences).
        KeyError: a proposal named in ``compare`` does not exist.
    """
    cite = Citations(scenario)
    space = compile_space(scenario)
    if compare is not None:
        known = {p.id for p in scenario.proposals}
        unknown = [p for p in compare if p not in known]
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise KeyError(f"no proposal {names}; proposals: {', '.join(sorted(known))}")
    sections: list[Section] = [
        sc.overview_section(scenario),
        sc.parties_section(scenario, cite),
        sc.issues_section(scenario, cite),
        sc.positions_section(scenario, cite),
        sc.preferences_section(scenario, space, cite),
        sc.proposals_section(scenario, cite),
        sc.timeline_section(scenario, cite),
        space_section(scenario, space, cite, compare=compare, seed=seed),
    ]
    extra, missing = optional_sections(scenario, cite, ReportOptions(samples=samples, seed=seed))
    sections += extra
    estimates = [
        scenario.party(n.id).name
        for n in scenario.negotiators
        if n.id in scenario.preferences and scenario.preferences[n.id].estimate
    ]
    return render(
        scenario=scenario,
        sections=sections,
        missing=missing,
        estimates=[f"preferences of {name}" for name in estimates],
        cite=cite,
        version=__version__,
        origin=origin,
    )


def write_report(scenario: Scenario, path: str | Path, **options: object) -> Path:
    """Write :func:`build_report`'s page to ``path`` (UTF-8) and return the path."""
    out = Path(path)
    out.write_text(build_report(scenario, **options), encoding="utf-8")  # type: ignore[arg-type]
    return out
