"""First accounts and the demo case, made from the command line (``accord serve``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from accord.service import engine
from accord.service.accounts.models import Person
from accord.service.audit.chain import Kind, append
from accord.service.cases.invitations import create_case, sign_in_link
from accord.service.cases.models import Case, CaseParty, Membership

__all__ = ["DemoLink", "create_account", "demo"]

DEMO_SCENARIO = "cairo-2024"
DEMO_MEDIATOR = "mediator@demo.invalid"


@dataclass(frozen=True)
class DemoLink:
    who: str
    email: str
    link: str


def _link(base_url: str, token: str) -> str:
    return base_url.rstrip("/") + reverse("invitation", args=[token])


def create_account(
    email: str, base_url: str, *, mediator: bool = False, admin: bool = False
) -> str:
    """Create (or update) an account and return a one-time link to set its password."""
    with transaction.atomic():
        person = Person.objects.filter(email=email.lower()).first()
        if person is None:
            person = Person.objects.create_user(email)
            append(Kind.ACCOUNT_CREATED, subject=f"{person.email} from the command line")
        person.can_mediate = person.can_mediate or mediator
        person.is_staff = person.is_staff or admin
        person.is_superuser = person.is_superuser or admin
        person.save()
        token = sign_in_link(person)
    return _link(base_url, token)


def demo(base_url: str) -> tuple[Case, list[DemoLink]]:
    """The demo case (cairo-2024) with a mediator and one delegate a negotiating party, and a
    one-time sign-in link for each. Run again, it reuses the case and makes new links."""
    with transaction.atomic():
        mediator = Person.objects.filter(email=DEMO_MEDIATOR).first()
        if mediator is None:
            mediator = Person.objects.create_user(
                DEMO_MEDIATOR, name="Demo mediator", can_mediate=True
            )
        seat = (
            Membership.objects.filter(person=mediator, is_owner=True).select_related("case").first()
        )
        if seat is not None:
            case = seat.case
        else:
            scenario = engine.scenario_from_embedded(DEMO_SCENARIO)
            case = create_case(mediator, scenario, f"{DEMO_SCENARIO} (embedded), demo")
        links = [DemoLink("mediator", mediator.email, _link(base_url, sign_in_link(mediator)))]
        for party in CaseParty.objects.filter(case=case):
            email = f"{party.party_id}@demo.invalid"
            person = Person.objects.filter(email=email).first()
            if person is None:
                person = Person.objects.create_user(email, name=f"Delegate of {party.name}")
            if not Membership.objects.filter(case=case, person=person).exists():
                Membership.objects.create(
                    case=case, person=person, role=Membership.DELEGATE, party=party
                )
                append(
                    Kind.INVITATION_USED,
                    actor=person,
                    case_id=case.pk,
                    party=party.party_id,
                    subject="delegate (demo)",
                )
            links.append(
                DemoLink(f"delegate of {party.name}", email, _link(base_url, sign_in_link(person)))
            )
    return case, links
