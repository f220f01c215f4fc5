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
from typing import Any

from accord.model import Scenario
from accord.report.citations import Citations
from accord.report.page import Section

__all__ = [
    "DEFAULT_SAMPLES",
    "OPTIONAL_SECTIONS",
    "Missing",
    "ReportOptions",
    "load_part",
    "optional_sections",
]

DEFAULT_SAMPLES = 5_000
"""Samples the report's robustness section draws unless told otherwise (``accord report
--samples``; ``accord robust`` takes more on request)."""


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose for the optional sections: the robustness samples and their seed."""

    samples: int = DEFAULT_SAMPLES
    seed: int = 0

    def __post_init__(self) -> None:
        if self.samples < 1:
            raise ValueError(f"the number of samples must be at least 1, not {self.samples}")


@dataclass(frozen=True)
class Missing:
    """An analysis the page does not show, and why."""

    title: str
    reason: str


# (title, analysis package, report module with
# `section(scenario, cite, options) -> Section | str`). A section function returns a string
# instead of a Section to say why the scenario gives it nothing to show (for example: no
# phased plan in the file). A section may hold further parts that need another analysis
# package; it loads them with `load_part`, the same guard.
OPTIONAL_SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("Phased plans", "accord.phased", "accord.report.phased"),
    ("Stability (graph model for conflict resolution)", "accord.gmcr", "accord.report.stability"),
    ("Robustness of the conclusions", "accord.robust", "accord.report.robustness"),
)


def load_part(analysis: str, module: str, name: str = "section") -> Callable[..., Any] | str:
    """``module.name``, or why it is not available: its analysis package is not in this
    build, or the report has no module for it yet.  Any other ImportError propagates."""
    if importlib.util.find_spec(analysis) is None:
        return f"this build of accord does not include {analysis}."
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name == module:
            return f"this version of the report has no section for {analysis} yet."
        raise
    return getattr(mod, name)  # type: ignore[no-any-return]


def optional_sections(
    scenario: Scenario, cite: Citations, options: ReportOptions | None = None
) -> tuple[list[Section], list[Missing]]:
    """The optional sections this build can draw for ``scenario``, and those it cannot."""
    options = options or ReportOptions()
    sections: list[Section] = []
    missing: list[Missing] = []
    for title, analysis, module in OPTIONAL_SECTIONS:
        build = load_part(analysis, module)
        if isinstance(build, str):
            missing.append(Missing(title, build))
            continue
        result = build(scenario, cite, options)
        if isinstance(result, str):
            missing.append(Missing(title, result))
        else:
            sections.append(result)
    return sections, missing
