"""The one place where the report looks for analyses that may not be part of this build.

Each optional section lives in its own module of :mod:`accord.report` and imports its
analysis package at the top.  When that package is missing, the section is left out and
the page says so; nothing is drawn in its place.  An ImportError of anything else is a
bug and propagates.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.page import Section

__all__ = ["OPTIONAL_SECTIONS", "Missing", "optional_sections"]


@dataclass(frozen=True)
class Missing:
    """An analysis the page does not show, and why."""

    title: str
    reason: str


# (title, analysis package, report module with `section(scenario, cite) -> Section | str`).
# A section function returns a string instead of a Section to say why the scenario gives it
# nothing to show (for example: no phased plan in the file).
OPTIONAL_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("Phased plans", "accord.phased", "accord.report.phased"),
    ("Stability (graph model for conflict resolution)", "accord.gmcr", "accord.report.stability"),
    ("Robustness of the conclusions", "accord.robust", "accord.report.robustness"),
)


def _load(analysis: str, module: str) -> Callable[[Scenario, Citations], Section | str] | str:
    """The section builder, or why there is none: its analysis package is not in this build,
    or the report has no section for it yet."""
    if importlib.util.find_spec(analysis) is None:
        return f"this build of accord does not include {analysis}."
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            return f"this version of the report has no section for {analysis} yet."
        raise
    return mod.section  # type: ignore[no-any-return]


def optional_sections(scenario: Scenario, cite: Citations) -> tuple[list[Section], list[Missing]]:
    """The optional sections this build can draw for ``scenario``, and those it cannot."""
    sections: list[Section] = []
    missing: list[Missing] = []
    for title, analysis, module in OPTIONAL_SECTIONS:
        build = _load(analysis, module)
        if isinstance(build, str):
            missing.append(Missing(title, build))
            continue
        result = build(scenario, cite)
        if isinstance(result, str):
            missing.append(Missing(title, result))
        else:
            sections.append(result)
    return sections, missing
