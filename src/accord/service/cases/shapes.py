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
    "AnswerView",
    "AuditRow",
    "CaseListItem",
    "CaseSummary",
    "CheckPairView",
    "Choice",
    "ComparisonView",
    "DraftDetail",
    "DraftView",
    "EventView",
    "InvitationView",
    "IssueChangeView",
    "IssuePreference",
    "IssueView",
    "MessageView",
    "OptionView",
    "PartyChangeView",
    "PartyStatus",
    "PartyView",
    "PreferenceSheet",
    "ProposalView",
    "Rating",
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
