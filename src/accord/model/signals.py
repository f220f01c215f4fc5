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

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import Field

from accord.jsonable import NOT_SERIALISED, OMIT_IF_NONE
from accord.model.base import Frozen
from accord.model.citations import Citation, Citations
from accord.model.problems import Problem
from accord.model.refs import Known, choices, did_you_mean
from accord.model.types import Day, Identifier, Text

if TYPE_CHECKING:
    from accord.model.schema import Scenario

__all__ = [
    "TALKS",
    "TONES",
    "Actor",
    "PartySignals",
    "Signal",
    "SignalDay",
    "SignalEntry",
    "Stance",
    "actor",
    "check_signals",
    "signal_days",
]

TALKS = "talks"
"""What a signal is about when it is about the talks as a whole (the default of ``about``)."""


TONES = ("positive", "negative", "neutral")
"""The tones of :attr:`Stance.tone`, in the order the views show them side by side."""


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


@dataclass(frozen=True)
class SignalEntry:
    """One signal as the views show it: who (``party``, and ``representative`` when one is
    named), about what, with what stance and tone; ``sources`` as the file writes them."""

    date: dt.date
    party: str
    about: str
    stance: Stance
    tone: str
    text: str
    sources: tuple[str | dict[str, str], ...]
    representative: str | None = field(default=None, metadata=OMIT_IF_NONE)
    citations: tuple[Citation, ...] = field(default=(), metadata=NOT_SERIALISED)

    @property
    def who(self) -> str:
        return self.representative or self.party


@dataclass(frozen=True)
class PartySignals:
    """One party's signals of one day, by tone: what stands side by side on the timeline."""

    party: str
    name: str
    positive: tuple[SignalEntry, ...] = ()
    negative: tuple[SignalEntry, ...] = ()
    neutral: tuple[SignalEntry, ...] = ()

    def of_tone(self, tone: str) -> tuple[SignalEntry, ...]:
        return tuple(getattr(self, tone))


@dataclass(frozen=True)
class SignalDay:
    """The signals of one day, grouped by party (in the order the scenario lists the parties);
    ``mixed`` when some are positive and some negative."""

    date: dt.date
    mixed: bool
    parties: tuple[PartySignals, ...]


def _entry(scenario: Scenario, signal: Signal) -> SignalEntry:
    who = actor(scenario, signal)
    return SignalEntry(
        signal.date,
        who.party,
        signal.about,
        signal.stance,
        signal.stance.tone,
        signal.text.strip(),
        tuple(c.written() for c in signal.sources),
        who.representative,
        tuple(signal.sources),
    )


def signal_days(scenario: Scenario) -> tuple[SignalDay, ...]:
    """Every day with a signal, in date order, each with its signals by party and tone (a
    party's signals of one day in the order the file gives them)."""
    entries = [_entry(scenario, s) for s in scenario.signals]
    order = {p.id: k for k, p in enumerate(scenario.parties)}
    names = {p.id: p.name for p in scenario.parties}
    days = []
    for date in sorted({e.date for e in entries}):
        that_day = [e for e in entries if e.date == date]
        parties = []
        for party in sorted({e.party for e in that_day}, key=order.__getitem__):
            mine = [e for e in that_day if e.party == party]
            by_tone = {t: tuple(e for e in mine if e.tone == t) for t in TONES}
            parties.append(PartySignals(party, names[party], **by_tone))
        tones = {e.tone for e in that_day}
        days.append(SignalDay(date, {"positive", "negative"} <= tones, tuple(parties)))
    return tuple(days)
