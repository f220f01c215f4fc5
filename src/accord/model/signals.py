"""Signals: what the parties and their representatives let be known about the talks, day by day.

A signal is a public statement or act that an analyst reads as a sign of where the talks stand:
a spokesman's "constructive", an army chief's "long way to go", intelligence chiefs arriving
together, an offensive being prepared. Each says who gave it (a party, or a representative of
one, by name), when, about what (an issue, a proposal, or the talks as a whole), with what
stance, and cites its sources (with locators, :mod:`accord.model.citations`). Contradictory
signals of one day are the analyst's raw material: ``accord signals``, ``accord show`` and the
report show them side by side, grouped by actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from accord.model.base import Frozen
from accord.model.citations import Citations
from accord.model.problems import Problem
from accord.model.refs import Known, choices, did_you_mean
from accord.model.types import Day, Identifier, Text

if TYPE_CHECKING:
    from accord.model.schema import Scenario

__all__ = ["TALKS", "Actor", "Signal", "Stance", "actor", "check_signals"]

TALKS = "talks"
"""What a signal is about when it is about the talks as a whole (the default of ``about``)."""


class Stance(StrEnum):
    """What a signal says of the talks' direction."""

    progress = "progress"
    """The talks are moving: a positive sign."""
    concession = "concession"
    """A step towards the other side: a positive sign."""
    obstacle = "obstacle"
    """Something in the way of a deal: a negative sign."""
    demand = "demand"
    """A condition set, publicly: neutral (it may harden or open a position)."""
    threat = "threat"
    """A cost announced for no deal: a negative sign."""

    @property
    def tone(self) -> str:
        """``positive``, ``negative`` or ``neutral``: how the timeline colours it."""
        if self in (Stance.progress, Stance.concession):
            return "positive"
        return "negative" if self in (Stance.obstacle, Stance.threat) else "neutral"


class Signal(Frozen):
    """One signal: ``who`` (a party id, or a representative's name) on ``date`` about
    ``about`` (an issue id, a proposal id, or ``talks``), with a ``stance``; ``text`` says what
    it was, in the analyst's words."""

    date: Day
    who: Text
    about: Identifier = TALKS
    stance: Stance
    text: Text
    sources: Citations = Field(min_length=1)


@dataclass(frozen=True)
class Actor:
    """Who gave a signal: the party, and the representative when one is named."""

    party: str
    representative: str | None = None

    @property
    def label(self) -> str:
        if self.representative is None:
            return self.party
        return f"{self.representative} ({self.party})"


def _representatives(scenario: Scenario) -> dict[str, str]:
    return {r.name: p.id for p in scenario.parties for r in p.representatives}


def actor(scenario: Scenario, signal: Signal) -> Actor:
    """The party and representative a (checked) signal's ``who`` names."""
    if signal.who in {p.id for p in scenario.parties}:
        return Actor(signal.who)
    return Actor(_representatives(scenario)[signal.who], signal.who)


def check_signals(scenario: Scenario, known: Known) -> list[Problem]:
    """Each signal's ``who`` names a party or a representative, its ``about`` an issue, a
    proposal or the talks, and its sources exist."""
    out: list[Problem] = []
    people = _representatives(scenario)
    about = known["issues"] | known["proposals"] | {TALKS}
    for k, signal in enumerate(scenario.signals):
        out += known.sources(("signals", k, "sources"), signal.sources)
        if (
            signal.who not in people
            and signal.who not in known["parties"]
            and known.judged("parties", signal.who)
        ):
            names = sorted(known["parties"]) + sorted(people)
            out.append(
                Problem(
                    ("signals", k, "who"),
                    f"a party id or a representative's name ({choices(names)})",
                    repr(signal.who) + did_you_mean(signal.who, names),
                )
            )
        judged = known.judged("issues", signal.about) and known.judged("proposals", signal.about)
        if signal.about not in about and judged:
            out.append(
                Problem(
                    ("signals", k, "about"),
                    f"an issue id, a proposal id or {TALKS!r} ({choices(sorted(about))})",
                    repr(signal.about) + did_you_mean(signal.about, about),
                )
            )
    return out
