"""Everything that changes a case: each submission is checked whole, then written in one
transaction together with its audit record, or not at all.

These functions are called only through the per-role views of
:mod:`accord.service.cases.visible`, which decide who may call which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from django.db.models import Max

from accord.model import Problem, Scenario
from accord.service import engine
from accord.service.audit.chain import Kind, append
from accord.service.cases.models import (
    Answer,
    CaseParty,
    Draft,
    Message,
    PreferenceCheck,
    PreferenceVersion,
)
from accord.service.cases.preferences import (
    PreferenceEntry,
    check_entry,
    check_package,
    check_text,
    mapping,
    to_accord,
)
from accord.service.cases.shapes import (
    AnswerView,
    CheckPairView,
    IssuePreference,
    MessageView,
    PreferenceSheet,
    Rating,
)
from accord.service.cases.writing import case_transaction
from accord.service.crypto import sealer
from accord.service.elicitation import tradeoff_pairs
from accord.service.errors import SubmissionError

if TYPE_CHECKING:
    from accord.service.cases.visible import CaseView, DelegateView, MediatorView

__all__ = [
    "answer_check",
    "answer_draft",
    "answer_view",
    "message_view",
    "preference_sheet",
    "publish_draft",
    "save_preferences",
    "send_message",
    "set_sharing",
]

VERDICTS = {"must_change": "must change", "can_live_with": "can live with"}


# --- preferences -------------------------------------------------------------------------------


def _pairs(
    shared: dict[str, Any], party_id: str, prefs: dict[str, Any], seed: list[int]
) -> list[dict[str, Any]]:
    """The consistency questions of a preference version (see accord.service.elicitation)."""
    own = engine.with_preferences(shared, {party_id: prefs})
    space = engine.space_for(own, [party_id])
    tables = [t[:, 0] for t in space.contributions]
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    out = []
    for t in tradeoff_pairs(tables, rng=rng):
        issue_i, issue_j = space.issues[t.issue_i], space.issues[t.issue_j]
        x = {issue_i.id: issue_i.value_of(t.better_i), issue_j.id: issue_j.value_of(t.worse_j)}
        y = {issue_i.id: issue_i.value_of(t.worse_i), issue_j.id: issue_j.value_of(t.better_j)}
        better, worse = (x, y) if t.margin > 0 else (y, x)
        out.append(
            {
                "better": better,
                "worse": worse,
                "margin": round(abs(t.margin) * 100, 1),
                "answer": None,
            }
        )
    return out


def preference_sheet(
    scenario: Scenario, party: CaseParty, version: PreferenceVersion
) -> PreferenceSheet:
    from accord.service.cases.case_view import choices, option_label

    stored = sealer().open(version.sealed)
    entry = PreferenceEntry.model_validate(stored["entry"])
    check = version.checks.order_by("-pk").first()
    pairs: list[dict[str, Any]] = sealer().open(check.sealed)["pairs"] if check else []
    issues = []
    for issue in scenario.issues:
        given = entry.ratings.get(issue.id, {})
        ratings = [
            Rating(value=v, label=option_label(scenario, issue.id, v)[1], rating=r)
            for v, r in given.items()
        ]
        issues.append(
            IssuePreference(
                issue=issue.id,
                name=issue.name,
                points=entry.points.get(issue.id, 0),
                ratings=ratings,
            )
        )
    walk = entry.walk_away
    return PreferenceSheet(
        party=party.party_id,
        party_name=party.name,
        version=version.number,
        saved_at=version.saved_at,
        saved_by=version.saved_by.display_name,
        issues=issues,
        walk_away_kind=walk.kind,
        walk_away_value=walk.value,
        walk_away_package=choices(scenario, dict(walk.package)) if walk.package else None,
        reservation=float(stored["reservation"]),
        notes=entry.notes,
        checks=[
            CheckPairView(
                index=k,
                better=choices(scenario, p["better"]),
                worse=choices(scenario, p["worse"]),
                margin=p["margin"],
                answer=p["answer"],
            )
            for k, p in enumerate(pairs)
        ],
        contradictions=sum(p["answer"] == "flip" for p in pairs),
    )


def save_preferences(view: DelegateView, raw: dict[str, Any]) -> PreferenceSheet:
    """A new version of the party's preferences, with its consistency questions."""
    scenario = view.scenario
    entry = check_entry(scenario, raw)
    party = view.party
    prefs = to_accord(
        view.case.shared,
        scenario,
        party.party_id,
        entry,
        rationale=f"Entered by {party.name}'s delegates in accord serve.",
    )
    with case_transaction(view.case.pk):  # two delegates saving at once: consecutive versions
        number = (
            PreferenceVersion.objects.filter(party=party).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        payload = {
            "entry": entry.model_dump(mode="json"),
            "reservation": prefs["reservation"],
            "accord": prefs,
        }
        version = PreferenceVersion.objects.create(
            party=party, number=number, saved_by=view.person, sealed=sealer().seal(payload)
        )
        pairs = _pairs(view.case.shared, party.party_id, prefs, [view.case.pk, party.pk, number])
        PreferenceCheck.objects.create(
            version=version, answered_by=view.person, sealed=sealer().seal({"pairs": pairs})
        )
        append(
            Kind.PREFERENCES_SAVED,
            actor=view.person,
            case_id=view.case.pk,
            party=party.party_id,
            subject=f"version {number}",
        )
    return preference_sheet(scenario, party, version)


def answer_check(view: DelegateView, number: int, index: int, answer: str) -> PreferenceSheet:
    """Confirm or flip one consistency question of the current version (a new check row)."""
    problems = []
    if answer not in {"confirm", "flip"}:
        problems.append(Problem(("answer",), "'confirm' or 'flip'", repr(answer)))
    with case_transaction(view.case.pk):
        party = CaseParty.objects.get(pk=view.party.pk)
        version = PreferenceVersion.objects.filter(party=party).order_by("-number").first()
        if version is None or version.number != number:
            current = version.number if version else "none"
            problems.append(Problem(("version",), f"the current version ({current})", str(number)))
            raise SubmissionError(problems)
        check = version.checks.order_by("-pk").first()
        pairs: list[dict[str, Any]] = sealer().open(check.sealed)["pairs"] if check else []
        if not 0 <= index < len(pairs):
            problems.append(
                Problem(("pair",), f"a question from 0 to {len(pairs) - 1}", str(index))
            )
        if problems:
            raise SubmissionError(problems)
        pairs[index]["answer"] = answer
        PreferenceCheck.objects.create(
            version=version, answered_by=view.person, sealed=sealer().seal({"pairs": pairs})
        )
        append(
            Kind.CHECK_ANSWERED,
            actor=view.person,
            case_id=view.case.pk,
            party=party.party_id,
            subject=f"version {number}, question {index + 1}",
        )
    return preference_sheet(view.scenario, party, version)


def set_sharing(view: DelegateView, share: bool) -> None:
    with case_transaction(view.case.pk):
        party = CaseParty.objects.get(pk=view.party.pk)
        if party.shares_with_mediators != share:
            party.shares_with_mediators = share
            party.save(update_fields=["shares_with_mediators"])
            append(
                Kind.CONSENT_CHANGED,
                actor=view.person,
                case_id=view.case.pk,
                party=party.party_id,
                subject="shares with the mediators"
                if share
                else "stopped sharing with the mediators",
            )
        view.party.shares_with_mediators = share


# --- drafts and answers -----------------------------------------------------------------------


def publish_draft(view: MediatorView, raw: dict[str, Any]) -> Draft:
    problems: list[Problem] = []
    package = check_package(view.scenario, raw.get("package"), ("package",), problems)
    note = check_text(raw.get("note"), ("note",), problems)
    origin = check_text(raw.get("origin"), ("origin",), problems)[:200]
    if problems:
        raise SubmissionError(problems)
    from accord.service.cases.agreement import refuse_after_agreement

    # Two mediators publishing at once get consecutive numbers, and a draft is never
    # published after the parties' answers made an agreement.
    with case_transaction(view.case.pk):
        refuse_after_agreement(view.case, "package")
        number = (Draft.objects.filter(case=view.case).aggregate(n=Max("number"))["n"] or 0) + 1
        draft = Draft.objects.create(
            case=view.case,
            number=number,
            package=package,
            note=note,
            origin=origin,
            published_by=view.person,
        )
        append(
            Kind.DRAFT_PUBLISHED, actor=view.person, case_id=view.case.pk, subject=f"draft {number}"
        )
    return draft


def answer_view(scenario: Scenario, answer: Answer) -> AnswerView:
    stored = sealer().open(answer.sealed)
    names = {i.id: i.name for i in scenario.issues}
    return AnswerView(
        draft=answer.draft.number,
        party=answer.party.party_id,
        party_name=answer.party.name,
        revision=answer.number,
        answered_at=answer.answered_at,
        answered_by=answer.answered_by.display_name,
        accept=stored["accept"],
        verdicts=[(i, names.get(i, i), VERDICTS[v]) for i, v in stored["issues"].items()],
        comment=stored["comment"],
    )


def answer_draft(view: DelegateView, draft: Draft, raw: dict[str, Any]) -> AnswerView:
    """The party's answer to ``draft`` (bound to it, whatever has been published since)."""
    problems: list[Problem] = []
    accept = raw.get("accept")
    if accept in ("accept", True, "true"):
        accepted = True
    elif accept in ("reject", False, "false"):
        accepted = False
    else:
        problems.append(
            Problem(("accept",), "'accept' or 'reject'", repr(accept) if accept else "nothing")
        )
        accepted = False
    given = mapping(raw.get("issues"))
    verdicts = {}
    for issue in view.scenario.issues:
        v = given.get(issue.id) or "can_live_with"
        if v not in VERDICTS:
            problems.append(
                Problem(("issues", issue.id), "'must_change' or 'can_live_with'", repr(v))
            )
        verdicts[issue.id] = v
    comment = check_text(raw.get("comment"), ("comment",), problems)
    if problems:
        raise SubmissionError(problems)
    payload = {"accept": accepted, "issues": verdicts, "comment": comment}
    from accord.service.cases.agreement import (
        ensure_offers,
        reach_if_unanimous,
        refuse_after_agreement,
    )

    reached = None
    # Answers in one case are decided one after the other, so that the last of the accepting
    # answers to a draft sees every other (and makes the agreement), and no answer is given
    # once there is one.
    with case_transaction(view.case.pk):
        refuse_after_agreement(view.case, "accept")
        number = (
            Answer.objects.filter(draft=draft, party=view.party).aggregate(n=Max("number"))["n"]
            or 0
        ) + 1
        answer = Answer.objects.create(
            draft=draft,
            party=view.party,
            number=number,
            answered_by=view.person,
            sealed=sealer().seal(payload),
        )
        append(
            Kind.ANSWER_SUBMITTED,
            actor=view.person,
            case_id=view.case.pk,
            party=view.party.party_id,
            subject=f"draft {draft.number}",
        )
        if accepted:
            reached = reach_if_unanimous(view, draft)
    if reached is not None:
        ensure_offers(view, reached)  # the engine's search, outside the case's lock
    return answer_view(view.scenario, answer)


# --- messages -----------------------------------------------------------------------------------


def message_view(message: Message) -> MessageView:
    party = message.party
    return MessageView(
        id=message.pk,
        sent_at=message.sent_at,
        sender=message.sender.display_name,
        from_mediators=message.from_mediators,
        to=party.party_id
        if party and message.from_mediators
        else ("mediators" if party else "all"),
        to_name=(party.name if message.from_mediators else "the mediators")
        if party
        else "every party",
        text=sealer().open(message.sealed)["text"],
    )


def send_message(
    view: CaseView, raw: dict[str, Any], *, to_party: CaseParty | None, from_mediators: bool
) -> MessageView:
    problems: list[Problem] = []
    text = check_text(raw.get("text"), ("text",), problems, required=True)
    if problems:
        raise SubmissionError(problems)
    with case_transaction(view.case.pk):
        message = Message.objects.create(
            case=view.case,
            sender=view.person,
            from_mediators=from_mediators,
            party=to_party,
            sealed=sealer().seal({"text": text}),
        )
        if from_mediators:
            subject = f"to {to_party.party_id} (caucus)" if to_party else "to every party"
        else:
            subject = "to the mediators (caucus)"
        append(
            Kind.MESSAGE_SENT,
            actor=view.person,
            case_id=view.case.pk,
            party=to_party.party_id if to_party else "",
            subject=subject,
        )
    return message_view(message)
