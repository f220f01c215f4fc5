"""The negotiation model: the scenario schema, loading with precise errors, embedded scenarios."""

from accord.model.loader import (
    LoadResult,
    dump_scenario,
    embedded_scenarios,
    load_scenario,
    read_scenario,
    scenario_from_data,
    scenario_from_text,
)
from accord.model.problems import Problem, ScenarioError
from accord.model.schema import (
    Constraint,
    Event,
    Issue,
    Normalization,
    Option,
    Party,
    Position,
    Preferences,
    Proposal,
    Role,
    Scenario,
    Source,
)

__all__ = [
    "Constraint",
    "Event",
    "Issue",
    "LoadResult",
    "Normalization",
    "Option",
    "Party",
    "Position",
    "Preferences",
    "Problem",
    "Proposal",
    "Role",
    "Scenario",
    "ScenarioError",
    "Source",
    "dump_scenario",
    "embedded_scenarios",
    "load_scenario",
    "read_scenario",
    "scenario_from_data",
    "scenario_from_text",
]
