"""The view objects: everything a template or an API handler is ever given about a case.

They are plain frozen values (pydantic models, so the API returns them as they are and the
OpenAPI page documents them), built by :mod:`accord.service.cases.visible` for one person's
role. None of them holds a database object, so no template can walk from what it was given to
what it was not.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = [
    "AgreementPage",
    "AgreementView",
    "AnswerView",
    "AssistanceView",
    "AuditRow",
    "BidView",
    "BiddingRoundView",
    "BiddingView",
    "CalibrationFinding",
    "CalibrationView",
    "CaseListItem",
    "CaseSummary",
    "CheckPairView",
    "Choice",
    "ComparisonView",
    "DraftDetail",
    "DraftStandingView",
    "DraftView",
    "EarlierAgreement",
    "EventView",
    "ImprovementView",
    "InvitationView",
    "IssueChangeView",
    "IssuePreference",
    "IssueView",
    "MessageView",
    "OfferResponseView",
    "OfferView",
    "OptionView",
    "OwnFigure",
    "PartyChangeView",
    "PartyFigure",
    "PartyStatus",
    "PartyView",
    "PreferenceSheet",
    "ProposalView",
    "Rating",
    "SolutionView",
    "VersionRow",
]


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class OptionView(_View):
    value: str
    label: str


class IssueView(_View):
    id: str
    name: str
    description: str = ""
    unit: str = ""
    is_range: bool
    options: list[OptionView]
    rated: list[OptionView]


class PartyView(_View):
    id: str
    name: str
    role: str


class EventView(_View):
    date: dt.date
    text: str


class Choice(_View):
    """One issue of a package: the issue and the option chosen."""

    issue: str
    issue_name: str
    value: str
    label: str


class ProposalView(_View):
    id: str
    name: str
    date: dt.date
    package: list[Choice]


class DraftView(_View):
    number: int
    published_at: dt.datetime
    published_by: str
    note: str
    origin: str
    package: list[Choice]


class CaseListItem(_View):
    id: int
    title: str
    role: Literal["mediator", "delegate"]
    party: str | None
    drafts: int


class CaseSummary(_View):
    """The shared part of a case, and the viewer's own place in it."""

    id: int
    title: str
    description: str
    origin: str
    created_at: dt.datetime
    role: Literal["mediator", "delegate"]
    is_owner: bool
    my_party: PartyView | None
    negotiators: list[PartyView]
    others: list[PartyView]
    mediators: list[str]
    issues: list[IssueView]
    events: list[EventView]
    proposals: list[ProposalView]
    drafts: list[DraftView]


class Rating(_View):
    value: str
    label: str
    rating: int | None


class IssuePreference(_View):
    issue: str
    name: str
    points: int
    ratings: list[Rating]


class CheckPairView(_View):
    """A consistency question: by the entered numbers ``better`` beats ``worse`` by
    ``margin`` points (of 100); ``answer`` is the delegate's: confirm, flip, or none yet."""

    index: int
    better: list[Choice]
    worse: list[Choice]
    margin: float
    answer: Literal["confirm", "flip"] | None


class PreferenceSheet(_View):
    party: str
    party_name: str
    version: int
    saved_at: dt.datetime
    saved_by: str
    issues: list[IssuePreference]
    walk_away_kind: Literal["value", "package"]
    walk_away_value: int | None
    walk_away_package: list[Choice] | None
    reservation: float
    notes: str
    checks: list[CheckPairView]
    contradictions: int


class VersionRow(_View):
    number: int
    saved_at: dt.datetime
    saved_by: str


class PartyStatus(_View):
    """A negotiating party as the mediators see it (no preference numbers here)."""

    id: str
    name: str
    delegates: list[str]
    shares_with_mediators: bool
    preference_versions: int


class AnswerView(_View):
    draft: int
    party: str
    party_name: str
    revision: int
    answered_at: dt.datetime
    answered_by: str
    accept: bool
    verdicts: list[tuple[str, str, Literal["must change", "can live with"]]]
    comment: str


class DraftDetail(_View):
    draft: DraftView
    answers: list[AnswerView]
    own_utility: float | None = None
    own_margin: float | None = None


class IssueChangeView(_View):
    issue: str
    name: str
    before: str
    after: str
    changed: bool
    gains: dict[str, float]


class PartyChangeView(_View):
    party: str
    name: str
    before: float
    after: float
    change: float
    verdict: Literal["gains", "loses", "indifferent"]


class ComparisonView(_View):
    a: int
    b: int
    issues: list[IssueChangeView]
    parties: list[PartyChangeView]
    issues_changed: int
    not_shown: list[str]


class MessageView(_View):
    id: int
    sent_at: dt.datetime
    sender: str
    from_mediators: bool
    to: str
    to_name: str
    text: str


class InvitationView(_View):
    id: int
    email: str
    role: str
    party: str | None
    party_name: str | None
    state: str
    created_at: dt.datetime
    expires_at: dt.datetime
    link: str | None = None


class AuditRow(_View):
    seq: int
    at: dt.datetime
    actor: str
    kind: str
    party: str
    subject: str
    prev_hash: str
    hash: str


# --- engine assistance: what the engine finds, as each role may see it -----------------------


class PartyFigure(_View):
    """One party's numbers for one package, shown only to that party, or to the mediators
    while the party shares its preferences with them. ``utility`` from 0 to 1; ``margin``:
    for a draft or a solution, the utility minus the party's walk-away; for an improvement
    of a draft or an offer after an agreement, the gain over the package it improves."""

    party: str
    name: str
    utility: float
    margin: float


class SolutionView(_View):
    """A bargaining solution on every party's numbers (``package`` empty when there is none:
    the zone of possible agreement is empty)."""

    name: str
    title: str
    package: list[Choice]
    ties: int
    figures: list[PartyFigure]


class DraftStandingView(_View):
    """Where a draft stands: whether every party is at or above its walk-away, how many are
    below (named only among the parties that share), and the sharing parties' figures."""

    number: int
    every_party_at_or_above: bool
    feasible: bool
    pareto_optimal: bool
    below: int
    below_named: list[str]
    figures: list[PartyFigure]


class ImprovementView(_View):
    """A package that leaves every party at least as well off as a draft."""

    key: str
    package: list[Choice]
    changes: list[Choice]
    issues_changed: int
    every_party_at_or_above: bool
    pareto_optimal: bool
    figures: list[PartyFigure]


class AssistanceView(_View):
    """The engine's findings for the mediators (see docs/how-to/mediate-a-case.md, *What the
    engine shows*). ``state``: ready; waiting (``waiting_for`` names the parties that have
    not entered preferences); too large (``note`` says which limit)."""

    state: Literal["ready", "waiting", "too large"]
    waiting_for: list[str]
    note: str
    shown_for: list[str]
    hidden_for: list[str]
    packages: int
    zopa: int
    zopa_exact: bool
    zopa_interval: tuple[int, int] | None
    solutions: list[SolutionView]
    drafts: list[DraftStandingView]
    improve_draft: int | None
    improvements: list[ImprovementView]
    improvements_complete: bool


class OwnFigure(_View):
    """A party's own utility (0 to 1) of a draft and its margin over its walk-away."""

    draft: int
    utility: float
    margin: float


# --- blind bidding ------------------------------------------------------------------------------


class BidView(_View):
    round: int
    party: str
    party_name: str
    limit: float
    note: str
    shown_to_mediators: bool
    submitted_at: dt.datetime


class BiddingRoundView(_View):
    """One round as the viewer may see it: its outcome, the bids the viewer may see, and
    (``bid_in``) which sides have bid, only for the mediators or where the bidding's rules
    let the parties see it; None otherwise."""

    round: int
    outcome: Literal["open", "no overlap", "settled", "not held", "closed"]
    bids: list[BidView]
    bid_in: list[str] | None


class BiddingView(_View):
    number: int
    issue: str
    issue_name: str
    unit: str
    giver: PartyView
    taker: PartyView
    rounds: int
    rule: str
    rule_text: str
    progress_visible: bool
    round: int
    state: Literal["open", "settled", "no overlap", "closed"]
    settlement: float | None
    settlement_label: str
    opened_at: dt.datetime
    ended_at: dt.datetime | None
    steps: list[OptionView]
    my_side: Literal["giver", "taker"] | None
    can_bid: bool
    round_views: list[BiddingRoundView]


# --- the agreement and the improvements offered after it -----------------------------------------


class OfferView(_View):
    """A package every party strictly prefers to the agreement. A delegate's ``figures`` hold
    its own utility and gain only; the mediators', the sharing parties'. ``accepted_by``:
    for the mediators, the parties that accepted it; None for a delegate."""

    rank: int
    package: list[Choice]
    changes: list[Choice]
    figures: list[PartyFigure]
    accepted_by: list[str] | None


class OfferResponseView(_View):
    party: str
    party_name: str
    answered_by: str
    answered_at: dt.datetime
    responses: dict[int, Literal["accepted", "rejected"]]
    comment: str


class EarlierAgreement(_View):
    number: int
    package: list[Choice]
    reached_at: dt.datetime
    outcome: str


class AgreementView(_View):
    """The current agreement: where it came from, its improvement round and, as the viewer may
    see them, the offers and the responses (a delegate: its own; the mediators: every party's)."""

    number: int
    package: list[Choice]
    draft: int | None
    improves: int | None
    reached_at: dt.datetime
    searched: bool
    open: bool
    outcome: str
    final: bool
    figures: list[PartyFigure]
    offers: list[OfferView]
    responses: list[OfferResponseView]
    responded: bool
    waiting_for: list[str] | None


class AgreementPage(_View):
    current: AgreementView | None
    earlier: list[EarlierAgreement]


# --- the record against the entered preferences -----------------------------------------------


class CalibrationFinding(_View):
    """A piece of the record that a sharing party's entered preferences contradict, as
    ``accord calibrate`` names it: ``shortfall`` in utility points (0 to 1)."""

    id: str
    party: str
    party_name: str
    says: str
    date: str | None
    shortfall: float


class CalibrationView(_View):
    """``accord calibrate`` on the case's export: ``checked_for`` the parties that share their
    preferences (the only ones whose numbers the export holds); ``not_checked`` the others."""

    checked_for: list[str]
    not_checked: list[str]
    evidence: int
    contradicted: list[CalibrationFinding]
