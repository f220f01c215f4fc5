"""A world of people and cases for the service's tests, built through the service's own views.

Case X (cairo-2024): the owner mediates; Israel is party A, Hamas party B. Each party has
entered preferences whose notes hold a canary, answered draft 1 with a canary comment, and
exchanged caucus messages with the mediators holding canaries. Party A shares its preferences
with the mediators; party B does not (tests switch it on for "with consent"). A blind bidding
on the number of prisoners has had one round: Israel's bid (shown to the mediators) and Hamas's
(not shown) carry canary notes. Case Y (job-offer) belongs to another mediator. A site
administrator holds no role in either.

``build_world(agreement=True)`` (the access matrix's world) also has both parties accept draft
2: the tentative agreement, the improvements the engine offers after it, and Hamas's response
with a canary comment. Each party's private engine figures (its utility and margin for every
draft, solution, improvement and offer, as the JSON API writes them) are canaries too:
``World.figures``.
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
    "a_bid": "CANARY-A-BID-31c7",
    "b_bid": "CANARY-B-BID-d2e8",
    "b_response": "CANARY-B-RESPONSE-6a1b",
}
PASSWORD = "correct horse battery staple"


def cairo_preferences(notes: str, *, favour: str) -> dict[str, Any]:
    """A valid submission for cairo-2024; ``favour`` 'israel' or 'hamas' orders the ratings.

    The two parties weigh the issues differently (so that some packages are better for both),
    and Hamas's ratings run from 3 to 100, so that its utilities are fractions of 97 whose
    decimals no other number on a page shares (they serve as canaries).
    """
    up = favour == "hamas"
    low = 3 if up else 0

    def scale(options: list[str]) -> dict[str, int]:
        n = len(options) - 1
        return {
            o: low + round((100 - low) * (k if up else n - k) / n) for k, o in enumerate(options)
        }

    points = (
        {"truce": 31, "release-pace": 7, "prisoners": 23, "withdrawal": 17}
        | {"return-displaced": 11, "guarantees": 6, "aid": 5}
        if up
        else {"truce": 25, "release-pace": 20, "prisoners": 10, "withdrawal": 15}
        | {"return-displaced": 10, "guarantees": 15, "aid": 5}
    )
    return {
        "points": points,
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
    figures: dict[str, set[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def _canary(x: float) -> str | None:
    """A figure as the JSON API writes its first 7 decimals, when they are distinctive."""
    text = f"{x:.9f}"[:-2]
    return text if len(text.split(".")[1].rstrip("0")) >= 6 else None


def private_figures(case_id: int, people: dict[str, Any]) -> dict[str, set[str]]:
    """Each party's private engine figures (utility and margin or gain, for every draft,
    solution, improvement of the latest draft, offer, and change between drafts 1 and 2),
    computed from its own preferences alone, as canary strings."""
    from accord.service import assistance, engine
    from accord.service.cases.access import view_of_case
    from accord.service.cases.assisted import engine_analysis
    from accord.service.cases.models import Agreement, CaseParty

    mediator = view_of_case(people["owner"], case_id)
    analysis, ids = engine_analysis(mediator)
    found = assistance.assist(analysis, ids)
    drafts = [d["package"] for d in mediator._draft_records()]
    packages = drafts + [s.package for s in found.solutions.values() if s is not None]
    improved = assistance.draft_improvements(analysis, ids[max(ids)]).improvements
    packages += [i.package for i in improved]
    agreement = Agreement.objects.filter(case_id=case_id).first()
    offers = [o.package for o in agreement.offers.all()] if agreement else []
    out = {}
    for party in CaseParty.objects.filter(case_id=case_id):
        own = mediator._accord_preferences(party)
        assert own is not None
        pid, walk = party.party_id, float(own["reservation"])
        n = len(packages)
        u = engine.own_utilities(mediator.case.shared, pid, own, packages + offers)
        values = u[:n] + [x - walk for x in u[:n]]
        if agreement is not None:
            (base,) = engine.own_utilities(mediator.case.shared, pid, own, [agreement.package])
            values += u[n:] + [x - base for x in u[n:]]
        scenario = engine.with_preferences(mediator.case.shared, {pid: own})
        gains = engine.compare_for(scenario, [pid], drafts[0], drafts[1], a_label="1", b_label="2")
        values += [c.utility_change[pid] for c in gains.issues]
        values += [n.change for n in gains.negotiators]
        out[pid] = {c for v in values if (c := _canary(v)) is not None}
    overlap = out["israel"] & out["hamas"]
    assert not overlap, f"the parties' figures share {overlap}: not usable as canaries"
    return out


def build_world(*, agreement: bool = False) -> World:
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
    mediator.open_bidding({"issue": "prisoners", "giver": "israel", "taker": "hamas"})
    a.bid(1, {"round": 1, "limit": 750, "note": CANARY["a_bid"], "show_mediators": True})
    b.bid(1, {"round": 1, "limit": 2250, "note": CANARY["b_bid"]})  # no overlap: round 2
    if agreement:
        a.answer_draft(2, {"accept": "accept", "issues": {}, "comment": "Agreed."})
        b.answer_draft(2, {"accept": "accept", "issues": {}, "comment": "Agreed."})
        offers = b.agreement().current
        assert offers is not None and offers.offers, "the world needs improvements to offer"
        responses = {str(o.rank): "rejected" for o in offers.offers} | {"1": "accepted"}
        b.respond_to_offers({"responses": responses, "comment": CANARY["b_response"]})
    world = World(people, x.pk, y.pk, inv_x.id, inv_y.id, token_x)
    world.figures = private_figures(x.pk, people)
    return world


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
