"""What the mediators take away from a case: the export, the report, the audit log."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accord.service import engine
from accord.service.audit.chain import Kind, append, case_chain
from accord.service.audit.models import AuditRecord
from accord.service.cases.models import Answer
from accord.service.cases.shapes import AuditRow, CalibrationFinding, CalibrationView
from accord.service.crypto import sealer
from accord.service.errors import Denied

if TYPE_CHECKING:
    from accord.model import Scenario
    from accord.service.cases.visible import MediatorView

__all__ = [
    "answered_drafts",
    "audit_rows",
    "calibration",
    "export",
    "export_scenario",
    "report",
]


def answered_drafts(view: MediatorView) -> list[dict[str, Any]]:
    """Every draft as the export takes it, with each party's latest answer to it as an accord
    response (``accepted`` or ``rejected``, dated the day of the answer).

    Only what the mediators see on a draft's page goes out, and only its verdict: never the
    party's comment, its per-issue verdicts, an earlier answer it replaced, or who answered
    (see "Take the case away" in docs/how-to/mediate-a-case.md).
    """
    latest: dict[int, dict[str, Answer]] = {}
    answers = Answer.objects.filter(draft__case=view.case).select_related("draft", "party")
    for answer in answers.order_by("draft__number", "party_id", "number"):
        latest.setdefault(answer.draft.number, {})[answer.party.party_id] = answer  # last stays
    drafts = view._draft_records()
    for draft in drafts:
        draft["responses"] = {
            party: {
                "response": "accepted" if sealer().open(a.sealed)["accept"] else "rejected",
                "date": a.answered_at.date().isoformat(),
            }
            for party, a in latest.get(draft["number"], {}).items()
        }
    return drafts


def export_scenario(view: MediatorView) -> Scenario:
    """The case as an accord scenario: the shared part, the drafts with each party's latest
    answer as its response, the agreements and the improvements offered after them (with the
    parties' responses), the outcome of each blind bidding on the timeline (never a bid), and
    the sharing parties' preferences."""
    from accord.service.cases.agreement import agreement_records
    from accord.service.cases.bidding import bidding_events

    return engine.export_scenario(
        view.case.shared,
        case_title=view.case.title,
        drafts=answered_drafts(view),
        preferences=view.shared_preferences(),
        exported_on=timezone.now().date(),
        records=agreement_records(view.case),
        events=bidding_events(view.case, view.scenario),
    )


def export(view: MediatorView) -> tuple[str, str]:
    """(file name, YAML) of the case: shared part, drafts, the sharing parties' preferences."""
    scenario = export_scenario(view)
    shared = ", ".join(sorted(view.shared_preferences())) or "none"
    append(
        Kind.EXPORTED, actor=view.person, case_id=view.case.pk, subject=f"preferences of: {shared}"
    )
    slug = re.sub(r"[^a-z0-9]+", "-", view.case.title.lower()).strip("-")[:60] or "case"
    return f"{slug}-case-{view.case.pk}.yaml", engine.scenario_yaml(scenario)


def report(view: MediatorView) -> str:
    """``accord report`` of the export; every negotiator must share its preferences."""
    shared = view.shared_preferences()
    missing = [p.name for p in view.scenario.negotiators if p.id not in shared]
    if missing:
        raise Denied(
            "The report needs every party's preferences; not shared with the mediators yet: "
            + ", ".join(missing)
            + "."
        )
    scenario = export_scenario(view)
    append(Kind.REPORT_OPENED, actor=view.person, case_id=view.case.pk)
    return engine.report_html(scenario, origin=f"the case {view.case.title!r} in accord serve")


def calibration(view: MediatorView) -> CalibrationView:
    """The record that the sharing parties' entered preferences contradict: ``accord
    calibrate`` on the case's export, and nothing else.

    It discloses nothing beyond the consent rules because it is a function of the export alone,
    which the mediators may download and calibrate themselves: the export holds the preferences
    of the sharing parties only (calibrate checks no other party), every party's verdicts (which
    the mediators see) and the shared part.
    """
    scenario = export_scenario(view)
    names = {p.id: p.name for p in scenario.parties}
    found = engine.calibration(scenario)
    checked = [p.id for p in scenario.negotiators if p.id in scenario.preferences]
    view._audit(
        Kind.PRIVATE_PAGE_VIEWED,
        subject="the record against the preferences of: " + (", ".join(checked) or "none"),
    )
    return CalibrationView(
        checked_for=[names[p] for p in checked],
        not_checked=[p.name for p in scenario.negotiators if p.id not in checked],
        evidence=found.evidence,
        contradicted=[
            CalibrationFinding(
                id=f.id,
                party=f.party,
                party_name=names.get(f.party, f.party),
                says=f.says,
                date=f.date,
                shortfall=f.shortfall,
            )
            for f in found.contradicted
        ],
    )


def audit_rows(view: MediatorView, *, download: str | None = None) -> list[AuditRow]:
    rows = [
        AuditRow(
            seq=r.seq,
            at=r.at,
            actor=r.actor,
            kind=r.kind,
            party=r.party,
            subject=r.subject,
            prev_hash=r.prev_hash,
            hash=r.hash,
        )
        for r in AuditRecord.objects.filter(chain=case_chain(view.case.pk)).order_by("seq")
    ]
    kind = Kind.AUDIT_DOWNLOADED if download else Kind.AUDIT_VIEWED
    append(kind, actor=view.person, case_id=view.case.pk, subject=download or "")
    return rows
