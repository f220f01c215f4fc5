"""The orchestration layer: one scenario's analyses, computed once, read by every view.

    scenario -> model -> compiled arrays -> analyses -> **Analysis** -> CLI, report, service

:class:`Analysis` holds a scenario and the user's :class:`Options`; each result (the compiled
space, the agreement-space analysis, a comparison, the phased plans' assessments, the graph
model's stability, the robustness runs, ...) is computed the first time a view asks for it
and kept.  :func:`analyze` builds one from a scenario, a file or an embedded scenario's name.
"""

from __future__ import annotations

from pathlib import Path

from accord.model import Scenario
from accord.run.analysis import Analysis, Progress
from accord.run.options import (
    DEFAULT_SAMPLES,
    DEFAULT_TOL,
    NOISE_FACTOR,
    Options,
    RobustnessOptions,
)

__all__ = [
    "DEFAULT_SAMPLES",
    "DEFAULT_TOL",
    "NOISE_FACTOR",
    "Analysis",
    "Options",
    "Progress",
    "RobustnessOptions",
    "analyze",
    "load",
]


def load(source: str | Path | None = None) -> Scenario:
    """A validated scenario: from a YAML or JSON file, or an embedded scenario's name
    (default ``cairo-2024``).  Raises :class:`accord.ScenarioError` listing every mistake."""
    from accord.model import load_scenario

    return load_scenario(source)


def analyze(
    source: Scenario | str | Path | None = None,
    options: Options | None = None,
    *,
    progress: Progress | None = None,
) -> Analysis:
    """The analyses of a scenario (given, or read from a file or an embedded scenario's name),
    each computed when first asked for.

    >>> import accord
    >>> analysis = accord.analyze("job-offer")
    >>> analysis.space_analysis().negotiators
    ('candidate', 'employer')
    """
    from accord.model import read_scenario

    if isinstance(source, Scenario):
        return Analysis(source, options or Options(), progress=progress)
    loaded = read_scenario(source)
    return Analysis(
        loaded.scenario,
        options or Options(),
        origin=loaded.origin,
        warnings=loaded.warnings,
        progress=progress,
    )
