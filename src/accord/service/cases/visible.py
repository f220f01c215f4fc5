"""The per-role views of a case: what each role sees, and what each role may do.

:func:`accord.service.cases.access.view_of_case` chooses the class by the person's role; the
methods below, and those of the per-role parts each class is built from (engine assistance in
:mod:`~accord.service.cases.assisted`, blind bidding in :mod:`~accord.service.cases.bidding`,
the agreement in :mod:`~accord.service.cases.agreement`), are the only way the pages and the
API read or change a case. Reads of private data (a party's preferences, answers, caucus
messages, bids, responses, the engine's findings) are recorded in the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from accord.service import engine
from accord.service.audit.chain import Kind
from accord.service.cases import actions, invitations, records
from accord.service.cases.agreement import DelegateAgreement, MediatorAgreement
from accord.service.cases.assisted import DelegateFigures, MediatorAssistance
from accord.service.cases.bidding import DelegateBidding, MediatorBidding
from accord.service.cases.case_view import CaseView, choices, option_label
from accord.service.cases.models import (
    Answer,
    CaseParty,
    Membership,
    Message,
    PreferenceVersion,
)
from accord.service.cases.shapes import (
    AnswerView,
    AuditRow,
    CalibrationView,
    DraftDetail,
    DraftView,
    InvitationView,
    MessageView,
    PartyStatus,
    PartyView,
    PreferenceSheet,
    VersionRow,
)
from accord.service.errors import Denied, NotFound

__all__ = ["CaseView", "DelegateView", "MediatorView", "choices", "option_label"]


class DelegateView(DelegateBidding, DelegateAgreement, DelegateFigures):
    """A party's delegate: the shared part, and its own party's private data only."""

    role = "delegate"

    def __init__(self, seat: Membership) -> None:
        super().__init__(seat)
        assert seat.party is not None
        self.party: CaseParty = seat.party

    def _my_party(self) -> PartyView | None:
        return PartyView(id=self.party.party_id, name=self.party.name, role="negotiator")

    @property
    def shares_with_mediators(self) -> bool:
        return self.party.shares_with_mediators

    def own_preferences(self) -> PreferenceSheet | None:
        sheet = self._sheet(self.party)
        self._audit(Kind.PRIVATE_PAGE_VIEWED, party=self.party.party_id, subject="own preferences")
        return sheet

    def own_versions(self) -> list[VersionRow]:
        rows = PreferenceVersion.objects.filter(party=self.party).select_related("saved_by")
        return [
            VersionRow(number=v.number, saved_at=v.saved_at, saved_by=v.saved_by.display_name)
            for v in rows.order_by("-number")
        ]

    def own_version(self, number: int) -> PreferenceSheet:
        version = PreferenceVersion.objects.filter(party=self.party, number=number).first()
        if version is None:
            raise NotFound(f"no version {number} of your preferences")
        sheet = self._sheet(self.party, version)
        assert sheet is not None
        self._audit(
            Kind.PRIVATE_PAGE_VIEWED,
            party=self.party.party_id,
            subject=f"own preferences, version {number}",
        )
        return sheet

    def draft_detail(self, number: int) -> DraftDetail:
        draft = self._draft(number)
        answers = Answer.objects.filter(draft=draft, party=self.party).select_related("answered_by")
        latest = answers.order_by("-number").first()
        utility = margin = None
        own = self._accord_preferences(self.party)
        if own is not None:
            pid = self.party.party_id
            (utility,) = engine.own_utilities(self.case.shared, pid, own, [draft.package])
            margin = round(utility - float(own["reservation"]), 9)
        self._audit(
            Kind.PRIVATE_PAGE_VIEWED,
            party=self.party.party_id,
            subject=f"own answer to draft {number}",
        )
        return DraftDetail(
            draft=self._draft_view(draft),
            answers=[self._answer_view(latest)] if latest else [],
            own_utility=utility,
            own_margin=margin,
        )

    def _comparable_parties(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        own = self._accord_preferences(self.party)
        others = [p.id for p in self.scenario.negotiators if p.id != self.party.party_id]
        return ({self.party.party_id: own} if own else {}), others

    def messages(self) -> list[MessageView]:
        rows = Message.objects.filter(case=self.case).filter(
            party__isnull=True
        ) | Message.objects.filter(case=self.case, party=self.party)
        self._audit(Kind.PRIVATE_PAGE_VIEWED, party=self.party.party_id, subject="messages")
        return self._messages(rows.order_by("sent_at", "pk"))

    # --- what a delegate may do --------------------------------------------------------------

    def save_preferences(self, raw: dict[str, Any]) -> PreferenceSheet:
        return actions.save_preferences(self, raw)

    def answer_check(self, version: int, index: int, answer: str) -> PreferenceSheet:
        return actions.answer_check(self, version, index, answer)

    def set_sharing(self, share: bool) -> None:
        actions.set_sharing(self, share)

    def answer_draft(self, number: int, raw: dict[str, Any]) -> AnswerView:
        return actions.answer_draft(self, self._draft(number), raw)

    def send_message(self, raw: dict[str, Any]) -> MessageView:
        return actions.send_message(self, raw, to_party=self.party, from_mediators=False)


class MediatorView(MediatorBidding, MediatorAgreement, MediatorAssistance):
    """A mediator: the shared part, every answer and message, each party's preferences only
    when that party shares them, the invitations, the audit log and the export."""

    role = "mediator"

    def parties(self) -> list[PartyStatus]:
        rows = (
            CaseParty.objects.filter(case=self.case)
            .annotate(versions=Count("preference_versions"))
            .prefetch_related("delegates__person")
        )
        return [
            PartyStatus(
                id=p.party_id,
                name=p.name,
                delegates=[m.person.display_name for m in p.delegates.all()],
                shares_with_mediators=p.shares_with_mediators,
                preference_versions=p.versions,
            )
            for p in rows
        ]

    def party_preferences(self, party_id: str) -> PreferenceSheet | None:
        party = self._party(party_id)
        if not party.shares_with_mediators:
            raise Denied(f"{party.name} has not shared its preferences with the mediators.")
        sheet = self._sheet(party)
        self._audit(Kind.PRIVATE_PAGE_VIEWED, party=party_id, subject="preferences")
        return sheet

    def draft_detail(self, number: int) -> DraftDetail:
        draft = self._draft(number)
        latest: dict[int, Answer] = {}
        for answer in Answer.objects.filter(draft=draft).select_related("answered_by", "party"):
            latest[answer.party_id] = answer  # ordered by number: the last one stays
        self._audit(Kind.PRIVATE_PAGE_VIEWED, subject=f"answers to draft {number}")
        return DraftDetail(
            draft=self._draft_view(draft), answers=[self._answer_view(a) for a in latest.values()]
        )

    def _comparable_parties(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        usable: dict[str, dict[str, Any]] = {}
        hidden = []
        for party in CaseParty.objects.filter(case=self.case):
            own = self._accord_preferences(party) if party.shares_with_mediators else None
            if own is None:
                hidden.append(party.party_id)
            else:
                usable[party.party_id] = own
        return usable, hidden

    def messages(self) -> list[MessageView]:
        self._audit(Kind.PRIVATE_PAGE_VIEWED, subject="messages")
        return self._messages(Message.objects.filter(case=self.case).order_by("sent_at", "pk"))

    def invitations(self) -> list[InvitationView]:
        return invitations.invitation_views(self.case)

    def shared_preferences(self) -> dict[str, dict[str, Any]]:
        """The accord preferences of the parties that share them (for the export)."""
        usable, _ = self._comparable_parties()
        return usable

    # --- what a mediator may do --------------------------------------------------------------

    def publish_draft(self, raw: dict[str, Any]) -> DraftView:
        return self._draft_view(actions.publish_draft(self, raw))

    def invite(self, raw: dict[str, Any]) -> tuple[InvitationView, str]:
        return invitations.invite(self, raw)

    def revoke(self, invitation_id: int) -> None:
        invitations.revoke(self, invitation_id)

    def send_message(self, raw: dict[str, Any]) -> MessageView:
        to = str(raw.get("to") or "all")
        party = None if to == "all" else self._party(to)
        return actions.send_message(self, raw, to_party=party, from_mediators=True)

    def export(self) -> tuple[str, str]:
        """(file name, YAML text) of the case as an accord scenario."""
        return records.export(self)

    def report(self) -> str:
        return records.report(self)

    def calibration(self) -> CalibrationView:
        """The record the sharing parties' preferences contradict (``accord calibrate`` on
        the export)."""
        return records.calibration(self)

    def audit_rows(self, *, download: str | None = None) -> list[AuditRow]:
        return records.audit_rows(self, download=download)
