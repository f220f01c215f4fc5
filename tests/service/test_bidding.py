"""Blind bidding on one number: the settlement rule, and the fairness the issue asks for (the
order of arrival changes nothing, a late bid is refused, a party cannot tell whether the other
side has bid unless the rules say so), through the views, the pages and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from accord.service.blind import RULES, settlement
from accord.service.errors import SubmissionError

from .world import CANARY, World

# --- the rule, on its own --------------------------------------------------------------------


@given(st.integers(0, 60), st.integers(0, 60), st.sampled_from(sorted(RULES)))
def test_a_settlement_lies_in_the_overlap_and_only_when_the_limits_cross(
    giver: int, taker: int, rule: str
) -> None:
    found = settlement(giver, taker, rule)
    if giver < taker:
        assert found is None
    else:
        assert found is not None and taker <= found <= giver


@given(st.integers(0, 60), st.integers(0, 60))
def test_the_midpoint_is_halfway_and_a_half_step_goes_to_the_even_step(
    giver: int, taker: int
) -> None:
    found = settlement(giver, taker)
    if giver < taker:
        return
    assert found is not None
    assert abs(2 * found - (giver + taker)) <= 1
    if (giver + taker) % 2:
        assert found % 2 == 0
    # Shifting both limits by two steps shifts the settlement by two: no side is favoured by
    # where on the range the overlap lies.
    assert settlement(giver + 2, taker + 2) == found + 2


def test_the_rules_by_hand() -> None:
    assert settlement(8, 2) == 5  # 1750 and 250 prisoners (steps of 250): 1000
    assert settlement(7, 2) == 4  # halfway between steps 4 and 5: the even one
    assert settlement(9, 2) == 6  # between 5 and 6: 6
    assert settlement(5, 5) == 5
    assert settlement(4, 5) is None
    assert settlement(8, 2, "taker_limit") == 2
    assert settlement(8, 2, "giver_limit") == 8
    with pytest.raises(ValueError, match="unknown settlement rule"):
        settlement(1, 1, "coin toss")


# --- through the service ---------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _people(world: World) -> tuple[Any, Any, Any]:
    from accord.service.cases.access import view_of_case

    return tuple(  # type: ignore[return-value]
        view_of_case(world.people[who], world.case_x)
        for who in ("owner", "delegate_a", "delegate_b")
    )


def _fresh(world: World, **terms: Any) -> tuple[Any, Any, Any, int]:
    """A new open bidding on the prisoners (the world's bidding 1 closed first)."""
    mediator, a, b = _people(world)
    if any(x.state == "open" for x in mediator.biddings()):
        mediator.close_bidding(1)
    opened = mediator.open_bidding(
        {"issue": "prisoners", "giver": "israel", "taker": "hamas", "rounds": 2} | terms
    )
    return mediator, a, b, opened.number


def _bid(view: Any, number: int, limit: float, **extra: Any) -> Any:
    round_ = view.bidding(number).round
    return view.bid(number, {"round": round_, "limit": limit} | extra)


def _outcome(view: Any, number: int) -> tuple[Any, ...]:
    found = view.bidding(number)
    return found.state, found.round, found.settlement, [r.outcome for r in found.round_views]


@pytest.mark.parametrize(
    ("israel", "hamas", "settled"),
    [(1750, 250, 1000.0), (1500, 750, 1000.0), (1000, 1000, 1000.0), (500, 2000, None)],
)
def test_the_settlement_does_not_depend_on_the_order_of_arrival(
    world: World, israel: float, hamas: float, settled: float | None
) -> None:
    """Israel first or Hamas first: the same state, round, settlement and round outcomes, and
    each side sees the same page of the bidding either way."""
    seen = []
    for first in ("israel", "hamas"):
        mediator, a, b, number = _fresh(world)
        order = [(a, israel), (b, hamas)] if first == "israel" else [(b, hamas), (a, israel)]
        for view, limit in order:
            _bid(view, number, limit)
        assert _outcome(mediator, number) == _outcome(a, number) == _outcome(b, number)
        state, _, settlement_, _ = _outcome(mediator, number)
        assert settlement_ == settled and state == ("settled" if settled else "open")
        views = [
            v.bidding(number).model_dump(exclude={"number", "opened_at", "ended_at"})
            for v in (a, b)
        ]
        for v in views:
            for r in v["round_views"]:
                for bid in r["bids"]:
                    bid.pop("submitted_at")
        seen.append((_outcome(mediator, number), views))
        if state == "open":
            mediator.close_bidding(number)
    assert seen[0] == seen[1]


def test_a_bid_for_a_round_that_has_closed_is_refused(world: World) -> None:
    mediator, a, b, number = _fresh(world)
    a.bid(number, {"round": 1, "limit": 500})
    b.bid(number, {"round": 1, "limit": 2500})  # no overlap: round 2 opens
    with pytest.raises(SubmissionError, match=r"a bid for the open round \(2\); found round 1"):
        a.bid(number, {"round": 1, "limit": 3000})  # a page loaded before round 1 closed
    a.bid(number, {"round": 2, "limit": 1000})
    with pytest.raises(SubmissionError, match="your bid for round 2 is final"):
        a.bid(number, {"round": 2, "limit": 3000})
    b.bid(number, {"round": 2, "limit": 2000})  # the last round, still no overlap
    assert _outcome(mediator, number)[0] == "no overlap"
    with pytest.raises(SubmissionError, match=r"a bid after the bidding ended \(no overlap\)"):
        b.bid(number, {"round": 2, "limit": 0})
    mediator2, a2, b2, second = _fresh(world)
    a2.bid(second, {"round": 1, "limit": 3000})
    b2.bid(second, {"round": 1, "limit": 0})
    assert _outcome(mediator2, second)[2] == 1500.0
    with pytest.raises(SubmissionError, match="ended \\(settled\\)"):
        b2.bid(second, {"round": 2, "limit": 0})


def test_a_party_cannot_see_whether_the_other_side_has_bid(world: World) -> None:
    """Hamas's page and JSON of the bidding are the same before and after Israel bids (the
    round does not end); with ``progress_visible`` the rules let it see that Israel has."""
    mediator, a, b, number = _fresh(world)
    client = Client()
    client.force_login(world.people["delegate_b"])
    url = f"/api/cases/{world.case_x}/biddings/{number}"
    page = f"/cases/{world.case_x}/bidding/{number}/"
    before = client.get(url).json(), _strip(client.get(page).content.decode())
    a.bid(number, {"round": 1, "limit": 250})
    after = client.get(url).json(), _strip(client.get(page).content.decode())
    assert before == after
    assert mediator.bidding(number).round_views[0].bid_in == ["Israel"]  # the mediators know
    mediator.close_bidding(number)
    _, a, b, visible = _fresh(world, progress_visible="yes")
    assert b.bidding(visible).round_views[0].bid_in == []
    a.bid(visible, {"round": 1, "limit": 250})
    assert b.bidding(visible).round_views[0].bid_in == ["Israel"]


def _strip(html: str) -> str:
    """A page without what changes between two renderings (the CSRF token)."""
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+', r"\1", html)


def test_bids_are_shown_to_the_mediators_only_when_the_bidder_chooses(world: World) -> None:
    mediator, a, b = _people(world)
    rounds = mediator.bidding(1).round_views
    shown = [(x.party, x.note) for r in rounds for x in r.bids]
    assert shown == [("israel", CANARY["a_bid"])]  # Hamas did not choose to show its bid
    assert [x.party for r in a.bidding(1).round_views for x in r.bids] == ["israel"]
    assert [x.note for r in b.bidding(1).round_views for x in r.bids] == [CANARY["b_bid"]]


def test_the_audit_log_records_bids_but_never_a_limit(world: World) -> None:
    from accord.service.audit.models import AuditRecord

    _, a, b, number = _fresh(world)
    a.bid(number, {"round": 1, "limit": 2750})
    b.bid(number, {"round": 1, "limit": 2250})  # settles at 2500
    rows = AuditRecord.objects.filter(case_id=world.case_x).values_list("kind", "subject")
    subjects = [s for k, s in rows if k in {"bid submitted", "bidding round ended"}]
    assert f"bidding {number}, round 1: settled at 2500 prisoners" in subjects
    assert not any("2750" in s or "2250" in s for _, s in rows)


def test_mistakes_are_named_and_nothing_is_saved(world: World) -> None:
    from accord.service.cases.models import Bid, Bidding

    mediator, a, _ = _people(world)
    with pytest.raises(SubmissionError) as info:
        mediator.open_bidding(
            {"issue": "truce", "giver": "israel", "taker": "israel", "rounds": 99}
        )
    text = str(info.value)
    assert "issue: expected a numeric issue (prisoners); found 'truce'" in text
    assert "taker: expected a party other than the giver" in text
    assert "rounds: expected a whole number from 1 to 20" in text
    assert Bidding.objects.count() == 1
    bids = Bid.objects.count()
    for limit in (260, "many", None):
        with pytest.raises(SubmissionError, match="limit: expected one of the steps 0, 250,"):
            a.bid(1, {"round": 2, "limit": limit})
    assert Bid.objects.count() == bids


def test_through_the_pages_and_the_api(world: World) -> None:
    mediator = Client()
    mediator.force_login(world.people["owner"])
    response = mediator.post(
        f"/cases/{world.case_x}/bidding/open/",
        {"issue": "prisoners", "giver": "israel", "taker": "hamas", "rounds": "2"},
    )
    assert (
        response.status_code == 400
        and "an issue without an open bidding" in response.content.decode()
    )
    mediator.post(f"/cases/{world.case_x}/bidding/1/close/")
    response = mediator.post(
        f"/cases/{world.case_x}/bidding/open/",
        {
            "issue": "prisoners",
            "giver": "israel",
            "taker": "hamas",
            "rounds": "2",
            "rule": "taker_limit",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/bidding/2/")
    b = Client()
    b.force_login(world.people["delegate_b"])
    page = b.get(f"/cases/{world.case_x}/bidding/2/").content.decode()
    assert "The lowest number Hamas accepts" in page and "Neither side learns" in page
    response = b.post(f"/cases/{world.case_x}/bidding/2/bid/", {"round": "1", "limit": "1250"})
    assert response.status_code == 302
    a = Client()
    a.force_login(world.people["delegate_a"])
    response = a.post(
        f"/api/cases/{world.case_x}/biddings/2/bids",
        json.dumps({"round": 1, "limit": 2000}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["state"] == "settled" and response.json()["settlement"] == 1250.0
    page = mediator.get(f"/cases/{world.case_x}/bidding/2/").content.decode()
    assert "settled</span> at <strong>1250 prisoners</strong>" in page
    response = mediator.get(f"/cases/{world.case_x}/drafts/new/?suggest=bidding-2")
    assert 'value="1250" selected' in response.content.decode()
    assert f"bidding {2}" in response.content.decode()
