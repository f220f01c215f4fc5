"""Opening cases, inviting people into them, and one-time links.

An invitation is a single-use, expiring, revocable link: ``/invite/<token>/``. Only the
SHA-256 of its token is stored, so a database dump gives no working link. A case invitation
gives its holder a role (a party's delegate, or a co-mediator); a sign-in link (no case) lets
an existing account set its password, which is how ``accord serve --create-mediator`` and
``--demo`` hand out first access. Someone without an account sets a password on first use.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accord.model import Problem, Scenario
from accord.service import engine
from accord.service.accounts.models import Person
from accord.service.audit.chain import Kind, append
from accord.service.cases.models import Case, CaseParty, Invitation, Membership
from accord.service.cases.preferences import check_text
from accord.service.cases.shapes import InvitationView
from accord.service.cases.writing import case_transaction
from accord.service.errors import NotFound, SubmissionError

if TYPE_CHECKING:
    from accord.service.cases.visible import MediatorView

__all__ = [
    "InvitationClosed",
    "accept",
    "create_case",
    "find_invitation",
    "invitation_views",
    "invite",
    "revoke",
    "set_password_and_accept",
    "sign_in_link",
]


class InvitationClosed(Exception):
    """The invitation exists but was used, revoked, or has expired (``state`` says which)."""

    def __init__(self, state: str) -> None:
        super().__init__(state)
        self.state = state


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _hash(token)


def create_case(person: Person, scenario: Scenario, origin: str) -> Case:
    """Open a case from a scenario's shared part; its creator owns it as mediator."""
    shared = engine.shared_part(scenario, origin)
    with transaction.atomic():
        case = Case.objects.create(
            title=scenario.title, shared=shared, origin=origin, created_by=person
        )
        for party in scenario.negotiators:
            CaseParty.objects.create(case=case, party_id=party.id, name=party.name)
        Membership.objects.create(case=case, person=person, role=Membership.MEDIATOR, is_owner=True)
        append(Kind.CASE_CREATED, actor=person, case_id=case.pk, subject=origin[:300])
    return case


def _view(inv: Invitation) -> InvitationView:
    return InvitationView(
        id=inv.pk,
        email=inv.email,
        role=inv.role,
        party=inv.party.party_id if inv.party else None,
        party_name=inv.party.name if inv.party else None,
        state=inv.state,
        created_at=inv.created_at,
        expires_at=inv.expires_at,
    )


def invitation_views(case: Case) -> list[InvitationView]:
    rows = Invitation.objects.filter(case=case).select_related("party").order_by("-created_at")
    return [_view(i) for i in rows]


def invite(view: MediatorView, raw: dict[str, Any]) -> tuple[InvitationView, str]:
    """A new invitation into the case; returns it and its token (shown once)."""
    problems: list[Problem] = []
    email = str(raw.get("email") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        problems.append(
            Problem(("email",), "an email address", repr(email) if email else "nothing")
        )
    role = raw.get("role")
    party = None
    if role == Membership.DELEGATE:
        party = CaseParty.objects.filter(case=view.case, party_id=raw.get("party") or "").first()
        if party is None:
            ids = ", ".join(
                CaseParty.objects.filter(case=view.case).values_list("party_id", flat=True)
            )
            problems.append(
                Problem(
                    ("party",), f"one of the negotiating parties: {ids}", repr(raw.get("party"))
                )
            )
    elif role != Membership.MEDIATOR:
        problems.append(
            Problem(("role",), "'delegate' or 'mediator'", repr(role) if role else "nothing")
        )
    if email and Membership.objects.filter(case=view.case, person__email=email).exists():
        problems.append(
            Problem(("email",), "someone without a role in this case yet", f"{email}, who has one")
        )
    if problems:
        raise SubmissionError(problems)
    token, digest = _new_token()
    with case_transaction(view.case.pk):
        inv = Invitation.objects.create(
            email=email,
            case=view.case,
            role=str(role),
            party=party,
            token_hash=digest,
            created_by=view.person,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        append(
            Kind.INVITATION_CREATED,
            actor=view.person,
            case_id=view.case.pk,
            party=party.party_id if party else "",
            subject=f"{role} {email}",
        )
    return _view(inv), token


def revoke(view: MediatorView, invitation_id: int) -> None:
    with case_transaction(view.case.pk):
        inv = (
            Invitation.objects.select_for_update().filter(case=view.case, pk=invitation_id).first()
        )
        if inv is None:
            raise NotFound("no such invitation")
        if inv.state == "open":
            inv.revoked_at = timezone.now()
            inv.save(update_fields=["revoked_at"])
            append(
                Kind.INVITATION_REVOKED,
                actor=view.person,
                case_id=view.case.pk,
                subject=f"{inv.role} {inv.email}",
            )


def sign_in_link(person: Person, *, created_by: Person | None = None) -> str:
    """A one-time link (its token) for ``person`` to set a password and sign in."""
    token, digest = _new_token()
    with transaction.atomic():
        Invitation.objects.create(
            email=person.email,
            token_hash=digest,
            created_by=created_by,
            expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
        )
        append(Kind.SIGN_IN_LINK_CREATED, actor=created_by, subject=person.email)
    return token


def find_invitation(token: str) -> Invitation:
    """The invitation of a token; NotFound when there is none, InvitationClosed when it may
    no longer be used."""
    inv = Invitation.objects.select_related("case", "party").filter(token_hash=_hash(token)).first()
    if inv is None:
        raise NotFound("no such invitation")
    if inv.state != "open":
        raise InvitationClosed(inv.state)
    return inv


def accept(inv: Invitation, person: Person) -> Case | None:
    """Use the invitation for ``person`` (single use: a second use raises InvitationClosed)."""
    if person.email != inv.email:
        raise SubmissionError(
            [Problem(("email",), f"the invited address {inv.email}", person.email)]
        )
    with case_transaction(inv.case.pk) if inv.case else transaction.atomic():
        used = Invitation.objects.filter(
            pk=inv.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).update(used_at=timezone.now(), used_by=person)
        if used != 1:
            raise InvitationClosed(Invitation.objects.get(pk=inv.pk).state)
        if inv.case is None:
            append(Kind.INVITATION_USED, actor=person, subject="sign-in link")
            return None
        if Membership.objects.filter(case=inv.case, person=person).exists():
            raise SubmissionError(
                [Problem(("email",), "someone without a role in this case", "a role already held")]
            )
        Membership.objects.create(case=inv.case, person=person, role=inv.role, party=inv.party)
        append(
            Kind.INVITATION_USED,
            actor=person,
            case_id=inv.case.pk,
            party=inv.party.party_id if inv.party else "",
            subject=inv.role,
        )
    return inv.case


def set_password_and_accept(inv: Invitation, raw: dict[str, Any]) -> tuple[Person, Case | None]:
    """First use: create the account (or set the password of one that has none) and accept."""
    problems: list[Problem] = []
    name = check_text(raw.get("name"), ("name",), problems)[:200]
    password, again = str(raw.get("password") or ""), str(raw.get("password_again") or "")
    person = Person.objects.filter(email=inv.email).first()
    if person is not None and person.has_usable_password() and inv.case is not None:
        problems.append(
            Problem(("password",), "signing in first: this account has a password", "a new one")
        )
    if password != again:
        problems.append(
            Problem(("password_again",), "the same password twice", "two different ones")
        )
    try:
        password_validation.validate_password(
            password, person or Person(email=inv.email, name=name)
        )
    except ValidationError as e:
        problems.extend(Problem(("password",), "a stronger password", m) for m in e.messages)
    if problems:
        raise SubmissionError(problems)
    with transaction.atomic():
        if person is None:
            person = Person.objects.create_user(inv.email, password, name=name)
            append(Kind.ACCOUNT_CREATED, actor=person, subject="by invitation")
        else:
            person.set_password(password)
            if name:
                person.name = name
            person.save()
            append(Kind.PASSWORD_CHANGED, actor=person, subject="by one-time link")
        case = accept(inv, person)
    return person, case
