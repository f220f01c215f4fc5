"""accord: negotiation and conflict analysis.

The public API, in a few names::

    import accord

    scenario = accord.load("cairo-2024")          # a file, or an embedded scenario's name
    analysis = accord.analyze(scenario)            # every analysis, computed when asked for
    analysis.space_analysis().solutions["nash"]    # the agreement space
    analysis.assessment("cairo-draft")             # a phased plan, stage by stage
    analysis.stability.equilibria("seq")           # the graph model
    analysis.robustness()                          # which conclusions survive the estimates
    accord.to_jsonable(analysis.comparison("paris-framework", "cairo-draft"))
    accord.build_report(scenario)                  # the HTML report, as a string

Everything here is imported on first use, so ``import accord`` costs almost nothing; see
``docs/how-to/use-accord-from-python.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "LimitExceeded",
    "Options",
    "RobustnessOptions",
    "Scenario",
    "ScenarioError",
    "UserInputError",
    "__version__",
    "analyze",
    "build_report",
    "load",
    "to_jsonable",
    "write_report",
]

# public name -> the module that defines it
_HOMES = {
    "Analysis": "accord.run",
    "LimitExceeded": "accord.errors",
    "Options": "accord.run",
    "RobustnessOptions": "accord.run",
    "Scenario": "accord.model",
    "ScenarioError": "accord.model",
    "UserInputError": "accord.errors",
    "analyze": "accord.run",
    "build_report": "accord.report",
    "load": "accord.run",
    "to_jsonable": "accord.jsonable",
    "write_report": "accord.report",
}

if TYPE_CHECKING:
    from accord.errors import LimitExceeded, UserInputError
    from accord.jsonable import to_jsonable
    from accord.model import Scenario, ScenarioError
    from accord.report import build_report, write_report
    from accord.run import Analysis, Options, RobustnessOptions, analyze, load


def __getattr__(name: str) -> Any:
    """Import a public name from its home module the first time it is used (PEP 562)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
