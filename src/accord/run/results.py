"""What the scenario, phased-plans and robustness commands answer, as frozen dataclasses whose
field names are the keys of their ``--json`` documents (see :mod:`accord.jsonable`).

The analyses' own results (:class:`~accord.phased.PlanAssessment`,
:class:`~accord.robust.RobustnessReport`, ...) are kept whole inside them; these only say how
a command's answer is put together from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.jsonable import INLINE, OMIT_IF_NONE

if TYPE_CHECKING:
    from accord.model import LoadResult, Problem, Scenario
    from accord.model.evidence import CitationCount
    from accord.model.signals import SignalDay
    from accord.phased import (
        Guarantees,
        PlanAssessment,
        PlanComparison,
        ScheduleDesign,
        ScheduleSpec,
    )
    from accord.robust import PlanRobustness, Probability, RobustnessReport
    from accord.robust.plans import EstimateIndex

__all__ = [
    "Chance",
    "CheckedScenario",
    "GuaranteeReport",
    "NothingToSample",
    "PlanChecks",
    "PlanOutlook",
    "RobustnessRun",
    "ScenarioProblems",
    "ScheduleReport",
    "ShownScenario",
    "ShownSignals",
    "checked_scenario",
    "plan_outlook",
    "shown_scenario",
    "shown_signals",
]


@dataclass(frozen=True)
class CheckedScenario:
    """``accord check``: the file is valid; how many of each part it holds; its warnings."""

    ok: bool
    file: str
    counts: dict[str, int]
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...] = ()
    citations: CitationCount | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True)
class ScenarioProblems:
    """Any command, on a file it cannot use (``--json``): every problem found."""

    ok: bool
    file: str | None
    errors: tuple[Problem, ...]


@dataclass(frozen=True)
class ShownScenario:
    """``accord show``: the scenario as the format writes it (its own schema's JSON)."""

    file: str
    scenario: dict[str, Any]
    warnings: tuple[Problem, ...]


def counts(s: Scenario) -> dict[str, int]:
    """How many sources, parties, negotiators, issues, positions, proposals, events, signals."""
    return {
        "sources": len(s.sources),
        "parties": len(s.parties),
        "negotiators": len(s.negotiators),
        "issues": len(s.issues),
        "positions": len(s.positions),
        "proposals": len(s.proposals),
        "events": len(s.events),
        "signals": len(s.signals),
    }


def checked_scenario(
    loaded: LoadResult, citations: CitationCount | None = None, warnings: tuple[Problem, ...] = ()
) -> CheckedScenario:
    """``accord check``'s answer; ``citations`` counts (and verified) the locators, whose
    ``warnings`` (a source with no text available) join the loader's."""
    return CheckedScenario(
        True,
        loaded.origin,
        counts(loaded.scenario),
        (*loaded.warnings, *warnings),
        citations=citations,
    )


def shown_scenario(loaded: LoadResult) -> ShownScenario:
    """The scenario serialised by its schema (pydantic's JSON mode: dates as ISO text)."""
    return ShownScenario(loaded.origin, loaded.scenario.model_dump(mode="json"), loaded.warnings)


@dataclass(frozen=True)
class ShownSignals:
    """``accord signals``: how many signals of each tone, and the days, by party and tone."""

    file: str
    tones: dict[str, int]
    days: tuple[SignalDay, ...]


def shown_signals(loaded: LoadResult) -> ShownSignals:
    from accord.model.signals import TONES, signal_days

    tones = {t: sum(1 for x in loaded.scenario.signals if x.stance.tone == t) for t in TONES}
    return ShownSignals(loaded.origin, tones, signal_days(loaded.scenario))


@dataclass(frozen=True)
class PlanChecks:
    """``accord phases``: each plan's assessment and, for several plans, their comparison."""

    assessments: tuple[PlanAssessment, ...]
    comparison: PlanComparison | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass(frozen=True)
class GuaranteeReport:
    """``accord phases --guarantee``: the smallest guarantor penalties, plan by plan."""

    guarantees: tuple[Guarantees, ...]


@dataclass(frozen=True)
class ScheduleReport:
    """``accord phases --design``: the plan whose totals were scheduled, what the schedule had
    to deliver, and the design found."""

    plan: str
    spec: ScheduleSpec
    design: ScheduleDesign


@dataclass(frozen=True)
class Chance:
    """A probability as ``accord robust --json`` writes it for the phased plans: the estimate,
    its interval, the counts, and (for the whole plan) the answer at the point valuations."""

    probability: float
    interval: tuple[float, float]
    count: int
    samples: int
    point: bool | None = field(default=None, metadata=OMIT_IF_NONE)

    @classmethod
    def of(cls, p: Probability, point: bool | None = None) -> Chance:
        return cls(p.estimate, (p.low, p.high), p.count, p.samples, point)


@dataclass(frozen=True)
class PlanOutlook:
    """One plan's robustness: self-enforcing (and at the point), per negotiator, and the
    valuations that matter most."""

    id: str
    self_enforcing: Chance
    by_negotiator: dict[str, Chance]
    sensitivity: tuple[EstimateIndex, ...]


def plan_outlook(r: PlanRobustness) -> PlanOutlook:
    """A plan's robustness in the shape ``accord robust --json`` gives it."""
    return PlanOutlook(
        id=r.id,
        self_enforcing=Chance.of(r.self_enforcing, r.point_self_enforcing),
        by_negotiator={party: Chance.of(p) for party, p in r.by_negotiator.items()},
        sensitivity=r.sensitivity,
    )


@dataclass(frozen=True)
class RobustnessRun:
    """``accord robust``: the agreement space's robustness (its keys at the top level), the
    phased plans', and how many plan valuations vary."""

    report: RobustnessReport = field(metadata=INLINE)
    plans: tuple[PlanOutlook, ...]
    plan_uncertain_valuations: int


@dataclass(frozen=True)
class NothingToSample:
    """``accord robust`` on a scenario where no estimate has a range: nothing was sampled."""

    samples: int
    uncertain_estimates: int
    plan_uncertain_valuations: int
    message: str
