"""What every participant of a case sees, and the helpers every per-role view uses.

:class:`CaseView` is the base of the per-role views (:mod:`accord.service.cases.visible`):
the shared part of a case and the drafts, and the private records opened only for the roles
that may see them, by the subclasses' methods.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from accord.model import Scenario
from accord.service import engine
from accord.service.audit.chain import Kind, append
from accord.service.cases import actions
from accord.service.cases.models import (
    Answer,
    Case,
    CaseParty,
    Draft,
    Membership,
    PreferenceVersion,
)
from accord.service.cases.preferences import rating_points
from accord.service.cases.shapes import (
    AnswerView,
    CaseSummary,
    Choice,
    ComparisonView,
    DraftView,
    EventView,
    IssueChangeView,
    IssueView,
    MessageView,
    OptionView,
    PartyChangeView,
    PartyView,
    PreferenceSheet,
    ProposalView,
)
from accord.service.crypto import sealer
from accord.service.errors import NotFound

__all__ = ["CaseView", "choices", "option_label"]


def option_label(scenario: Scenario, issue_id: str, value: str | float) -> tuple[str, str]:
    """(value as text, the option's label) for one issue of a package."""
    issue = scenario.issue(issue_id)
    if issue.range is not None:
        x = float(value)
        text = str(int(x)) if x.is_integer() else f"{x:g}"
        return text, f"{text} {issue.range.unit}".strip()
    option = next((o for o in issue.options or () if o.id == value), None)
    return str(value), option.label if option else str(value)


def choices(
    scenario: Scenario, package: dict[str, Any], issues: list[str] | None = None
) -> list[Choice]:
    out = []
    for issue in scenario.issues:
        if issue.id in package and (issues is None or issue.id in issues):
            value, label = option_label(scenario, issue.id, package[issue.id])
            out.append(Choice(issue=issue.id, issue_name=issue.name, value=value, label=label))
    return out


class CaseView:
    """What every participant of a case sees: its shared part and the drafts."""

    role: str = ""

    def __init__(self, seat: Membership) -> None:
        self.seat = seat
        self.person = seat.person
        self.case: Case = seat.case

    @cached_property
    def scenario(self) -> Scenario:
        return engine.load_shared(self.case.shared)

    def _audit(self, kind: str, *, party: str = "", subject: str = "") -> None:
        append(kind, actor=self.person, case_id=self.case.pk, party=party, subject=subject)

    # --- the shared part ---------------------------------------------------------------------

    def _issues(self) -> list[IssueView]:
        out = []
        for issue in self.scenario.issues:
            options = [
                OptionView(value=v, label=option_label(self.scenario, issue.id, v)[1])
                for v in engine.option_labels(issue)
            ]
            rated = set(rating_points(issue))
            out.append(
                IssueView(
                    id=issue.id,
                    name=issue.name,
                    description=issue.description or "",
                    unit=issue.range.unit if issue.range else "",
                    is_range=issue.range is not None,
                    options=options,
                    rated=[o for o in options if o.value in rated],
                )
            )
        return out

    def _draft_view(self, draft: Draft) -> DraftView:
        return DraftView(
            number=draft.number,
            published_at=draft.published_at,
            published_by=draft.published_by.display_name,
            note=draft.note,
            origin=draft.origin,
            package=choices(self.scenario, draft.package),
        )

    def drafts(self) -> list[DraftView]:
        rows = Draft.objects.filter(case=self.case).select_related("published_by")
        return [self._draft_view(d) for d in rows]

    def _draft(self, number: int) -> Draft:
        found = Draft.objects.filter(case=self.case, number=number).select_related("published_by")
        draft = found.first()
        if draft is None:
            raise NotFound(f"no draft {number} in this case")
        return draft

    def draft(self, number: int) -> DraftView:
        return self._draft_view(self._draft(number))

    def _my_party(self) -> PartyView | None:
        return None

    def summary(self) -> CaseSummary:
        s = self.scenario
        negotiators = [PartyView(id=p.id, name=p.name, role=p.role.value) for p in s.negotiators]
        others = [
            PartyView(id=p.id, name=p.name, role=p.role.value)
            for p in s.parties
            if p.role.value != "negotiator"
        ]
        mediators = [
            m.person.display_name
            for m in self.case.memberships.filter(role=Membership.MEDIATOR).select_related("person")
        ]
        return CaseSummary(
            id=self.case.pk,
            title=self.case.title,
            description=s.description or "",
            origin=self.case.origin,
            created_at=self.case.created_at,
            role="mediator" if self.role == "mediator" else "delegate",
            is_owner=self.seat.is_owner,
            my_party=self._my_party(),
            negotiators=negotiators,
            others=others,
            mediators=mediators,
            issues=self._issues(),
            events=[EventView(date=e.date, text=e.text) for e in s.events],
            proposals=[
                ProposalView(id=p.id, name=p.name, date=p.date, package=choices(s, dict(p.package)))
                for p in s.proposals
            ],
            drafts=self.drafts(),
        )

    # --- private data, opened for the roles that may see it --------------------------------

    def _party(self, party_id: str) -> CaseParty:
        party = CaseParty.objects.filter(case=self.case, party_id=party_id).first()
        if party is None:
            raise NotFound(f"no party {party_id!r} in this case")
        return party

    def _latest_version(self, party: CaseParty) -> PreferenceVersion | None:
        return (
            PreferenceVersion.objects.filter(party=party)
            .select_related("saved_by")
            .order_by("-number")
            .first()
        )

    def _sheet(
        self, party: CaseParty, version: PreferenceVersion | None = None
    ) -> PreferenceSheet | None:
        version = version or self._latest_version(party)
        if version is None:
            return None
        return actions.preference_sheet(self.scenario, party, version)

    def _accord_preferences(self, party: CaseParty) -> dict[str, Any] | None:
        version = self._latest_version(party)
        if version is None:
            return None
        stored: dict[str, Any] = sealer().open(version.sealed)
        return dict(stored["accord"])

    def _answer_view(self, answer: Answer) -> AnswerView:
        return actions.answer_view(self.scenario, answer)

    def _comparable_parties(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """The preferences this role may use in a comparison, and the parties left out."""
        raise NotImplementedError

    def compare(self, a: int, b: int) -> ComparisonView:
        """Draft ``b`` against draft ``a``, issue by issue, with the gains of the parties whose
        numbers this role may use (a delegate: its own; a mediator: the sharing parties)."""
        draft_a, draft_b = self._draft(a), self._draft(b)
        usable, not_shown = self._comparable_parties()
        names = {p.id: p.name for p in self.scenario.negotiators}
        parties = [p for p in names if p in usable]
        if parties:
            scenario = engine.with_preferences(self.case.shared, usable)
            result = engine.compare_for(
                scenario,
                parties,
                draft_a.package,
                draft_b.package,
                a_label=f"draft {a}",
                b_label=f"draft {b}",
            )
            gains = {c.issue: c.utility_change for c in result.issues}
            movers = [
                PartyChangeView(
                    party=n.negotiator,
                    name=names[n.negotiator],
                    before=n.before,
                    after=n.after,
                    change=n.change,
                    verdict=n.verdict,
                )
                for n in result.negotiators
            ]
        else:
            gains, movers = {}, []
        issues = []
        for issue in self.scenario.issues:
            before = option_label(self.scenario, issue.id, draft_a.package[issue.id])[1]
            after = option_label(self.scenario, issue.id, draft_b.package[issue.id])[1]
            issues.append(
                IssueChangeView(
                    issue=issue.id,
                    name=issue.name,
                    before=before,
                    after=after,
                    changed=draft_a.package[issue.id] != draft_b.package[issue.id],
                    gains=gains.get(issue.id, {}),
                )
            )
        self._audit(Kind.PRIVATE_PAGE_VIEWED, subject=f"comparison of drafts {a} and {b}")
        return ComparisonView(
            a=a,
            b=b,
            issues=issues,
            parties=movers,
            issues_changed=sum(i.changed for i in issues),
            not_shown=[names[p] for p in not_shown],
        )

    def _messages(self, rows: Any) -> list[MessageView]:
        return [actions.message_view(m) for m in rows.select_related("sender", "party")]

    def _draft_records(self) -> list[dict[str, Any]]:
        """Every draft as the engine and the export take it."""
        return [
            {
                "number": d.number,
                "date": d.published_at.date().isoformat(),
                "package": d.package,
                "note": d.note,
            }
            for d in Draft.objects.filter(case=self.case)
        ]
