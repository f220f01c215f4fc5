"""The tentative agreement and the improvements offered after it (Raiffa's post-settlement
settlement): reached when every party accepts one draft, offers found by the engine and
checked against a brute-force search of every package, private responses, replacement only
when every party accepts, and the record in the audit log and the export."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.test import Client

from accord.service.errors import SubmissionError

from .world import CANARY, World

pytestmark = pytest.mark.django_db


def _people(world: World) -> tuple[Any, Any, Any]:
    from accord.service.cases.access import view_of_case

    return tuple(  # type: ignore[return-value]
        view_of_case(world.people[who], world.case_x)
        for who in ("owner", "delegate_a", "delegate_b")
    )


def _agree(world: World) -> tuple[Any, Any, Any]:
    mediator, a, b = _people(world)
    a.answer_draft(2, {"accept": "accept", "issues": {}, "comment": ""})
    assert b.agreement().current is None  # Hamas has not accepted draft 2 yet
    b.answer_draft(2, {"accept": "accept", "issues": {}, "comment": ""})
    return mediator, a, b


def _package(choices: list[Any]) -> dict[str, Any]:
    """A package shown as choices, as the engine takes it (the prisoners are a number)."""
    return {c.issue: float(c.value) if c.issue == "prisoners" else c.value for c in choices}


def _kinds(world: World) -> list[str]:
    from accord.service.audit.models import AuditRecord

    return list(AuditRecord.objects.filter(case_id=world.case_x).values_list("kind", flat=True))


def test_accepting_the_same_draft_makes_the_agreement_and_closes_the_rounds(world: World) -> None:
    mediator, a, _ = _agree(world)
    found = mediator.agreement().current
    assert found is not None and found.draft == 2 and found.number == 1
    assert found.searched and found.open and len(found.offers) == 3
    assert "agreement reached" in _kinds(world) and "improvements searched" in _kinds(world)
    with pytest.raises(SubmissionError, match="the rounds of drafts are closed"):
        mediator.publish_draft({"package": {c.issue: c.value for c in found.package}})
    with pytest.raises(SubmissionError, match="tentative agreement on draft 2"):
        a.answer_draft(1, {"accept": "accept", "issues": {}, "comment": ""})


def _brute_force_offers(world: World, agreement: dict[str, Any]) -> list[dict[str, Any]]:
    """The Pareto-optimal packages both parties strictly prefer to the agreement, by Nash
    product of the gains over it: every package of the case enumerated, independently of
    accord's frontier."""
    from accord.service import engine

    mediator, _, _ = _people(world)
    prefs = {p: mediator._accord_preferences(mediator._party(p)) for p in ("israel", "hamas")}
    scenario = engine.with_preferences(mediator.case.shared, prefs)
    space = engine.space_for(scenario, ["israel", "hamas"])
    grid = np.stack(np.meshgrid(*[np.arange(n) for n in space.shape], indexing="ij"), -1)
    packages = grid.reshape(-1, len(space.shape))
    packages = packages[space.is_feasible(packages)]
    utility = space.utility(packages)
    start = space.utility(np.array([engine.package_indices(scenario, agreement)]))[0]
    better = np.all(utility > start + 1e-9, axis=1)
    packages, utility = packages[better], utility[better]
    dominated = np.zeros(len(utility), dtype=bool)
    for k in range(len(utility)):
        ge = np.all(utility >= utility[k], axis=1) & np.any(utility > utility[k] + 1e-12, axis=1)
        dominated[k] = ge.any()
    packages, utility = packages[~dominated], utility[~dominated]
    product = np.prod(utility - start, axis=1)
    order = np.argsort(-product, kind="stable")
    assert product[order[2]] > product[order[3]] + 1e-12  # the top three are not tied
    return [space.package_dict(tuple(int(i) for i in packages[k])) for k in order[:3]]


def test_the_offers_are_the_best_packages_both_prefer_by_a_brute_force_search(
    world: World,
) -> None:
    mediator, _, _ = _agree(world)
    found = mediator.agreement().current
    expected = _brute_force_offers(world, _package(found.package))
    offered = [{c.issue: c.value for c in o.package} for o in found.offers]
    assert offered == [{k: str(v) for k, v in p.items()} for p in expected]


def test_each_party_sees_its_own_figures_and_response_only(world: World) -> None:
    mediator, a, b = _agree(world)
    b.respond_to_offers(
        {"responses": {"1": "accepted", "2": "rejected", "3": "rejected"}, "comment": "B says"}
    )
    for view, own in ((a, "israel"), (b, "hamas")):
        current = view.agreement().current
        assert {f.party for o in current.offers for f in o.figures} == {own}
        assert all(f.margin > 0 for o in current.offers for f in o.figures)  # strictly better
        assert [f.party for f in current.figures] == [own]
        assert all(o.accepted_by is None for o in current.offers)
        assert current.waiting_for is None
    assert a.agreement().current.responses == [] and not a.agreement().current.responded
    assert [r.comment for r in b.agreement().current.responses] == ["B says"]
    seen = mediator.agreement().current
    assert [r.party for r in seen.responses] == ["hamas"] and seen.waiting_for == ["Israel"]
    assert seen.offers[0].accepted_by == ["Hamas"]
    assert {f.party for o in seen.offers for f in o.figures} == {"israel"}  # Hamas does not share
    # A party's figure for an offer is its gain over the agreement, by its own numbers.
    from accord.service import engine

    own = b._accord_preferences(b.party)
    offer, base = _package(seen.offers[0].package), _package(seen.package)
    u_offer, u_base = engine.own_utilities(b.case.shared, "hamas", own, [offer, base])
    figure = b.agreement().current.offers[0].figures[0]
    assert figure.utility == pytest.approx(u_offer) and figure.margin == pytest.approx(
        u_offer - u_base
    )


@pytest.mark.parametrize("first", ["israel", "hamas"])
def test_the_best_offer_every_party_accepts_replaces_the_agreement(
    world: World, first: str
) -> None:
    mediator, a, b = _agree(world)
    said = {
        "israel": (a, {"1": "accepted", "2": "accepted", "3": "rejected"}),
        "hamas": (b, {"1": "rejected", "2": "accepted", "3": "accepted"}),
    }
    order = [first, "hamas" if first == "israel" else "israel"]
    for party in order:
        view, responses = said[party]
        view.respond_to_offers({"responses": responses, "comment": ""})
    page = mediator.agreement()
    assert page.current.number == 2 and page.current.improves == 1
    assert page.earlier[0].outcome == "improved"
    assert page.current.final and page.current.outcome == "none found"  # Pareto-optimal
    from accord.service.cases.models import Agreement, Offer

    second = Offer.objects.get(agreement__case_id=world.case_x, agreement__number=1, rank=2)
    assert Agreement.objects.get(case_id=world.case_x, number=2).package == second.package
    assert "improvement round ended" in _kinds(world)


def test_when_no_offer_is_accepted_by_all_the_agreement_stands(world: World) -> None:
    mediator, a, b = _agree(world)
    a.respond_to_offers({"responses": {"1": "accepted", "2": "rejected", "3": "rejected"}})
    b.respond_to_offers({"responses": {"1": "rejected", "2": "accepted", "3": "rejected"}})
    current = mediator.agreement().current
    assert current.number == 1 and current.final and current.outcome == "kept"
    assert not current.open


def test_responses_are_final_and_mistakes_are_named(world: World) -> None:
    from accord.service.cases.models import OfferResponse

    _, a, _ = _agree(world)
    with pytest.raises(SubmissionError) as info:
        a.respond_to_offers({"responses": {"1": "maybe", "2": "accepted"}})
    assert "responses.1: expected 'accepted' or 'rejected'; found 'maybe'" in str(info.value)
    assert "responses.3: expected 'accepted' or 'rejected'; found nothing" in str(info.value)
    assert OfferResponse.objects.count() == 0
    a.respond_to_offers({"responses": {"1": "accepted", "2": "accepted", "3": "accepted"}})
    with pytest.raises(SubmissionError, match="one response a party"):
        a.respond_to_offers({"responses": {"1": "rejected", "2": "rejected", "3": "rejected"}})


def test_the_mediators_may_end_the_round(world: World) -> None:
    mediator, a, _ = _agree(world)
    client = Client()
    client.force_login(world.people["owner"])
    response = client.post(f"/cases/{world.case_x}/agreement/close/")
    assert response.status_code == 302
    current = mediator.agreement().current
    assert current.final and current.outcome == "closed by the mediators"
    with pytest.raises(SubmissionError, match="an open round of improvements"):
        a.respond_to_offers({"responses": {"1": "accepted", "2": "accepted", "3": "accepted"}})


def test_the_pages_and_the_export(world: World) -> None:
    _agree(world)
    b = Client()
    b.force_login(world.people["delegate_b"])
    page = b.get(f"/cases/{world.case_x}/agreement/").content.decode()
    assert "Tentative agreement" in page and "Packages every party prefers" in page
    assert "Send our response" in page and "over the agreement" in page
    response = b.post(
        f"/cases/{world.case_x}/agreement/respond/",
        {
            "responses:1": "accepted",
            "responses:2": "rejected",
            "responses:3": "rejected",
            "comment": CANARY["b_response"],
        },
    )
    assert response.status_code == 302
    a = Client()
    a.force_login(world.people["delegate_a"])
    response = a.post(f"/cases/{world.case_x}/agreement/respond/", {"responses:1": "accepted"})
    assert response.status_code == 400 and "responses:2" in response.content.decode()
    mediator = Client()
    mediator.force_login(world.people["owner"])
    page = mediator.get(f"/cases/{world.case_x}/agreement/").content.decode()
    assert CANARY["b_response"] in page and "Waiting for: Israel" in page
    text = mediator.get(f"/cases/{world.case_x}/export/").content.decode()
    assert CANARY["b_response"] not in text
    import yaml

    from accord.model import scenario_from_data

    exported = scenario_from_data(yaml.safe_load(text)).scenario
    status = {p.id: p.status for p in exported.proposals[-4:]}
    assert status == {
        "agreement-1": "tentative agreement in accord serve",
        "agreement-1-improvement-1": "improvement offered in accord serve",
        "agreement-1-improvement-2": "improvement offered in accord serve",
        "agreement-1-improvement-3": "improvement offered in accord serve",
    }
    # Who answered what, as accord responses: Israel has not answered the offers yet.
    responses = {
        p.id: {k: r.response.value for k, r in p.responses.items()} for p in exported.proposals[-4:]
    }
    assert responses == {
        "agreement-1": {"israel": "accepted", "hamas": "accepted"},
        "agreement-1-improvement-1": {"hamas": "accepted"},
        "agreement-1-improvement-2": {"hamas": "rejected"},
        "agreement-1-improvement-3": {"hamas": "rejected"},
    }
    ours = [p for p in exported.proposals if p.sources == ("accord-serve",)]
    assert len(ours) == 6  # two drafts, the agreement, three improvements
    assert all(not r.note for p in ours for r in p.responses.values())
