"""A party's preferences, the consistency check, consent, drafts, answers, comparisons and
messages, through the pages and the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from accord.service.cases.access import view_of_case
from accord.service.cases.models import Answer, PreferenceVersion

from .world import CAIRO_DRAFT, CANARY, World, cairo_preferences

pytestmark = pytest.mark.django_db


def _as(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.people[who])
    return client


def _form(prefs: dict[str, Any]) -> dict[str, str]:
    form = {f"points:{k}": str(v) for k, v in prefs["points"].items()}
    for issue, table in prefs["ratings"].items():
        form |= {f"ratings:{issue}:{k}": str(v) for k, v in table.items()}
    form |= {
        "walk_away:kind": prefs["walk_away"]["kind"],
        "walk_away:value": str(prefs["walk_away"]["value"]),
        "notes": prefs["notes"],
    }
    return form


def test_saving_keeps_every_version_and_asks_the_check(world: World) -> None:
    client = _as(world, "delegate_a")
    form = _form(cairo_preferences("second thoughts", favour="israel"))
    form["points:truce"], form["points:aid"] = "30", "0"
    response = client.post(f"/cases/{world.case_x}/preferences/", form)
    assert response.status_code == 302
    numbers = list(
        PreferenceVersion.objects.filter(
            party__case_id=world.case_x, party__party_id="israel"
        ).values_list("number", flat=True)
    )
    assert numbers == [1, 2]
    page = client.get(f"/cases/{world.case_x}/preferences/").content.decode()
    assert "Consistency check of version 2" in page and "Package A" in page
    assert client.get(f"/cases/{world.case_x}/preferences/versions/1/").status_code == 200


def test_every_mistake_in_a_submission_is_named_and_nothing_is_saved(world: World) -> None:
    client = _as(world, "delegate_a")
    form = _form(cairo_preferences("x", favour="israel"))
    form |= {"points:truce": "abc", "ratings:aid:expanded": "140", "walk_away:value": ""}
    before = PreferenceVersion.objects.count()
    response = client.post(f"/cases/{world.case_x}/preferences/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "expected a whole number from 0 to 100; found &#x27;abc&#x27;" in page
    assert "found 140" in page
    assert "found nothing" in page
    assert PreferenceVersion.objects.count() == before
    form = _form(cairo_preferences("x", favour="israel")) | {"points:truce": "35"}
    response = client.post(f"/cases/{world.case_x}/preferences/", form)
    assert (
        response.status_code == 400
        and "points that add up to 100; found a total of 110" in response.content.decode()
    )


def test_a_flip_is_a_contradiction_to_resolve(world: World) -> None:
    b = view_of_case(world.people["delegate_b"], world.case_x)
    sheet = b.own_preferences()
    assert sheet is not None and sheet.contradictions == 1  # the world flipped question 1
    assert sheet.checks[0].answer == "flip"
    client = _as(world, "delegate_b")
    page = client.get(f"/cases/{world.case_x}/preferences/").content.decode()
    assert "1 contradiction to resolve" in page
    response = client.post(
        f"/cases/{world.case_x}/preferences/check/",
        {"version": "1", "pair": "0", "answer": "confirm"},
        HTTP_HX_REQUEST="true",
    )
    assert (
        response.status_code == 200 and "contradiction to resolve" not in response.content.decode()
    )
    assert b.own_preferences().contradictions == 0  # type: ignore[union-attr]
    # A question about an old version is refused, naming the current one.
    b.save_preferences(cairo_preferences("v2", favour="hamas"))
    response = client.post(
        f"/cases/{world.case_x}/preferences/check/", {"version": "1", "pair": "0", "answer": "flip"}
    )
    assert response.status_code == 400 and "the current version (2)" in response.content.decode()


def test_the_check_ranks_packages_by_the_entered_numbers(world: World) -> None:
    a = view_of_case(world.people["delegate_a"], world.case_x)
    sheet = a.own_preferences()
    assert sheet is not None and 1 <= len(sheet.checks) <= 3
    from accord.service import engine

    prefs = a._accord_preferences(a.party)
    assert prefs is not None
    scenario = engine.with_preferences(a.case.shared, {"israel": prefs})
    space = engine.space_for(scenario, ["israel"])
    base = dict(CAIRO_DRAFT)
    for pair in sheet.checks:
        better = base | {c.issue: _value(c.value) for c in pair.better}
        worse = base | {c.issue: _value(c.value) for c in pair.worse}
        (ub,) = engine.package_utility(space, scenario, better)
        (uw,) = engine.package_utility(space, scenario, worse)
        assert ub > uw and abs((ub - uw) * 100 - pair.margin) <= 0.05 + 1e-9


def _value(v: str) -> str | float:
    try:
        return float(v)
    except ValueError:
        return v


def test_walk_away_as_a_package_is_its_utility(world: World) -> None:
    a = view_of_case(world.people["delegate_a"], world.case_x)
    prefs = cairo_preferences("by package", favour="israel")
    prefs["walk_away"] = {"kind": "package", "package": CAIRO_DRAFT}
    sheet = a.save_preferences(prefs)
    detail = a.draft_detail(1)  # draft 1 is exactly that package
    assert detail.own_utility == pytest.approx(sheet.reservation)
    assert detail.own_margin == pytest.approx(0.0)


def test_consent_decides_what_the_mediators_see(world: World) -> None:
    mediator = _as(world, "owner")
    assert mediator.get(f"/cases/{world.case_x}/parties/hamas/preferences/").status_code == 403
    b = _as(world, "delegate_b")
    assert (
        b.post(f"/cases/{world.case_x}/preferences/sharing/", {"share": "yes"}).status_code == 302
    )
    page = mediator.get(f"/cases/{world.case_x}/parties/hamas/preferences/").content.decode()
    assert CANARY["b_prefs"] in page
    b.post(f"/cases/{world.case_x}/preferences/sharing/", {"share": "no"})
    assert mediator.get(f"/cases/{world.case_x}/parties/hamas/preferences/").status_code == 403


def test_answers_are_bound_to_their_draft_and_kept(world: World) -> None:
    client = _as(world, "delegate_b")
    # Draft 3 is published while party B is still answering draft 1: the answer stays on 1.
    view_of_case(world.people["owner"], world.case_x).publish_draft(
        {"package": CAIRO_DRAFT, "note": "3"}
    )
    form = {"accept": "reject", "issues:truce": "must_change", "comment": "changed our mind"}
    response = client.post(f"/cases/{world.case_x}/drafts/1/answer/", form, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "rejects" in response.content.decode()
    answers = Answer.objects.filter(draft__case_id=world.case_x, party__party_id="hamas")
    assert [(a.draft.number, a.number) for a in answers] == [(1, 1), (1, 2)]
    mediator = view_of_case(world.people["owner"], world.case_x).draft_detail(1)
    assert {a.party: a.accept for a in mediator.answers} == {"israel": False, "hamas": False}
    response = client.post(f"/cases/{world.case_x}/drafts/1/answer/", {"accept": "maybe"})
    assert (
        response.status_code == 400
        and "&#x27;accept&#x27; or &#x27;reject&#x27;" in response.content.decode()
    )


def test_a_delegate_compares_drafts_with_its_own_gains_only(world: World) -> None:
    a = view_of_case(world.people["delegate_a"], world.case_x).compare(1, 2)
    assert [p.party for p in a.parties] == ["israel"]
    assert a.not_shown == ["Hamas"]
    assert all(set(i.gains) <= {"israel"} for i in a.issues)
    prisoners = next(i for i in a.issues if i.issue == "prisoners")
    assert prisoners.changed and prisoners.gains["israel"] < 0  # more prisoners: a loss for A
    m = view_of_case(world.people["owner"], world.case_x).compare(1, 2)
    assert [p.party for p in m.parties] == ["israel"] and m.not_shown == ["Hamas"]
    page = _as(world, "delegate_a").get(f"/cases/{world.case_x}/compare/?a=1&b=2").content.decode()
    assert "Hamas</th>" not in page


def test_messages_follow_the_indirect_format(world: World) -> None:
    a = view_of_case(world.people["delegate_a"], world.case_x)
    texts = [m.text for m in a.messages()]
    assert "Welcome to both parties." in texts and CANARY["a_caucus_in"] in texts
    assert CANARY["b_caucus_in"] not in texts and CANARY["b_caucus_out"] not in texts
    sent = a.send_message({"text": "to the mediators", "to": "hamas"})  # 'to' is ignored
    assert sent.to == "mediators"
    b_texts = [m.text for m in view_of_case(world.people["delegate_b"], world.case_x).messages()]
    assert "to the mediators" not in b_texts
    m = view_of_case(world.people["owner"], world.case_x)
    assert {CANARY["a_caucus_out"], CANARY["b_caucus_out"], "to the mediators"} <= {
        x.text for x in m.messages()
    }
    response = _as(world, "owner").post(
        f"/cases/{world.case_x}/messages/", {"to": "all", "text": "  "}
    )
    assert response.status_code == 400 and "some text" in response.content.decode()


def test_the_api_names_each_wrong_field(world: World) -> None:
    client = _as(world, "delegate_a")
    body = cairo_preferences("x", favour="israel")
    body["points"]["truce"] = 99
    body["walk_away"] = {"kind": "value", "value": 101}
    response = client.post(
        f"/api/cases/{world.case_x}/preferences", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    fields = {d["field"]: d for d in response.json()["detail"]}
    assert set(fields) == {"points", "walk_away:value"}
    assert fields["points"]["found"] == "a total of 174"
    response = _as(world, "owner").post(
        f"/api/cases/{world.case_x}/drafts",
        json.dumps({"package": {"truce": "forever"}}),
        content_type="application/json",
    )
    assert response.status_code == 400
    detail = {d["field"]: d["expected"] for d in response.json()["detail"]}
    assert "one of one-week" in detail["package:truce"] and "package:aid" in detail


def test_a_personal_token_opens_the_api_with_the_same_view(world: World) -> None:
    client = _as(world, "delegate_a")
    page = client.post("/account/tokens/", {"name": "script"}).content.decode()
    import re

    token = re.search(r'class="secret">([\w-]+)<', page)
    assert token
    bearer = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token[1]}"}
    response = bearer.get(f"/api/cases/{world.case_x}/messages", **headers)
    assert response.status_code == 200
    assert CANARY["a_caucus_in"] in response.content.decode()
    assert CANARY["b_caucus_in"] not in response.content.decode()
    assert bearer.get(f"/api/cases/{world.case_x}/audit", **headers).status_code == 403
    assert (
        bearer.get(f"/api/cases/{world.case_x}", HTTP_AUTHORIZATION="Bearer wrong").status_code
        == 401
    )


def test_api_changes_with_a_session_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["owner"])
    response = client.post(
        f"/api/cases/{world.case_x}/messages",
        json.dumps({"text": "hi"}),
        content_type="application/json",
    )
    assert response.status_code == 403
