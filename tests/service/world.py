"""A world of people and cases for the service's tests, built through the service's own views.

Case X (cairo-2024): the owner mediates; Israel is party A, Hamas party B. Each party has
entered preferences whose notes hold a canary, answered draft 1 with a canary comment, and
exchanged caucus messages with the mediators holding canaries. Party A shares its preferences
with the mediators; party B does not (tests switch it on for "with consent"). Case Y
(job-offer) belongs to another mediator. A site administrator holds no role in either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

CANARY = {
    "a_prefs": "CANARY-A-PREFS-5e1d",
    "a_answer": "CANARY-A-ANSWER-77b0",
    "a_caucus_in": "CANARY-A-CAUCUS-IN-0c4f",
    "a_caucus_out": "CANARY-A-CAUCUS-OUT-e9a2",
    "b_prefs": "CANARY-B-PREFS-7f3a",
    "b_answer": "CANARY-B-ANSWER-2c91",
    "b_caucus_in": "CANARY-B-CAUCUS-IN-a4d6",
    "b_caucus_out": "CANARY-B-CAUCUS-OUT-58be",
}
PASSWORD = "correct horse battery staple"


def cairo_preferences(notes: str, *, favour: str) -> dict[str, Any]:
    """A valid submission for cairo-2024; ``favour`` 'israel' or 'hamas' orders the ratings."""
    up = favour == "hamas"

    def scale(options: list[str]) -> dict[str, int]:
        n = len(options) - 1
        return {o: round(100 * (k if up else n - k) / n) for k, o in enumerate(options)}

    return {
        "points": {
            "truce": 25,
            "release-pace": 20,
            "prisoners": 10,
            "withdrawal": 15,
            "return-displaced": 10,
            "guarantees": 15,
            "aid": 5,
        },
        "ratings": {
            "truce": scale(["one-week", "six-weeks", "extended", "permanent"]),
            "release-pace": scale(["most-at-once", "two-stages", "three-stages", "staggered"]),
            "prisoners": scale(["0", "750", "1500", "2250", "3000"]),
            "withdrawal": scale(["none", "repositioning", "partial", "complete"]),
            "return-displaced": scale(["none", "limited", "gradual", "full"]),
            "guarantees": scale(["none", "talks-pledge", "mediator-guarantee", "binding-end"]),
            "aid": scale(["limited", "expanded", "large-scale"]),
        },
        "walk_away": {"kind": "value", "value": 40},
        "notes": notes,
    }


CAIRO_DRAFT = {
    "truce": "six-weeks",
    "release-pace": "three-stages",
    "prisoners": 1500,
    "withdrawal": "repositioning",
    "return-displaced": "gradual",
    "guarantees": "mediator-guarantee",
    "aid": "expanded",
}


@dataclass
class World:
    people: dict[str, Any]
    case_x: int
    case_y: int
    invitation_x: int
    invitation_y: int
    token_x: str
    party_a: str = "israel"
    party_b: str = "hamas"
    extra: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    from accord.service import engine
    from accord.service.accounts.models import Person
    from accord.service.cases.access import view_of_case
    from accord.service.cases.invitations import create_case
    from accord.service.cases.models import CaseParty, Membership

    def person(email: str, **extra: Any) -> Any:
        return Person.objects.create_user(email, PASSWORD, name=email.split("@")[0], **extra)

    people = {
        "owner": person("owner@example.org", can_mediate=True),
        "other_mediator": person("other@example.org", can_mediate=True),
        "delegate_a": person("a@example.org"),
        "delegate_b": person("b@example.org"),
        "site_admin": person("admin@example.org", is_staff=True, is_superuser=True),
    }
    x = create_case(people["owner"], engine.scenario_from_embedded("cairo-2024"), "test")
    y = create_case(people["other_mediator"], engine.scenario_from_embedded("job-offer"), "test")
    for who, pid in (("delegate_a", "israel"), ("delegate_b", "hamas")):
        party = CaseParty.objects.get(case=x, party_id=pid)
        Membership.objects.create(case=x, person=people[who], role="delegate", party=party)

    mediator = view_of_case(people["owner"], x.pk)
    a = view_of_case(people["delegate_a"], x.pk)
    b = view_of_case(people["delegate_b"], x.pk)
    a.save_preferences(cairo_preferences(CANARY["a_prefs"], favour="israel"))
    b.save_preferences(cairo_preferences(CANARY["b_prefs"], favour="hamas"))
    b.answer_check(1, 0, "flip")
    a.set_sharing(True)
    mediator.publish_draft({"package": CAIRO_DRAFT, "note": "The Cairo draft."})
    mediator.publish_draft(
        {"package": {**CAIRO_DRAFT, "prisoners": 2000}, "note": "More prisoners."}
    )
    a.answer_draft(
        1, {"accept": "reject", "issues": {"truce": "must_change"}, "comment": CANARY["a_answer"]}
    )
    b.answer_draft(1, {"accept": "accept", "issues": {}, "comment": CANARY["b_answer"]})
    mediator.send_message({"text": "Welcome to both parties.", "to": "all"})
    mediator.send_message({"text": CANARY["a_caucus_in"], "to": "israel"})
    mediator.send_message({"text": CANARY["b_caucus_in"], "to": "hamas"})
    a.send_message({"text": CANARY["a_caucus_out"]})
    b.send_message({"text": CANARY["b_caucus_out"]})
    inv_x, token_x = mediator.invite(
        {"email": "b2@example.org", "role": "delegate", "party": "hamas"}
    )
    inv_y, _ = view_of_case(people["other_mediator"], y.pk).invite(
        {"email": "c@example.org", "role": "delegate", "party": "candidate"}
    )
    return World(people, x.pk, y.pk, inv_x.id, inv_y.id, token_x)


def remove_world(world: World) -> None:
    from accord.service.accounts.models import Person
    from accord.service.audit.models import AuditRecord, ChainHead
    from accord.service.cases.models import Case, Invitation, KeyCheck

    Invitation.objects.all().delete()
    Case.objects.all().delete()
    Person.objects.all().delete()
    AuditRecord.objects.all().delete()
    ChainHead.objects.all().delete()
    KeyCheck.objects.all().delete()
