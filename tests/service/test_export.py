"""A case exported as an accord scenario: it loads with `accord check`, and `accord analyze`
runs on it when every negotiator shares its preferences."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from django.test import Client

from accord.cli import main
from accord.model import read_scenario
from accord.service.cases.models import CaseParty

from .world import CANARY, World

pytestmark = pytest.mark.django_db


def _export(world: World, tmp_path: Path) -> Path:
    client = Client()
    client.force_login(world.people["owner"])
    response = client.get(f"/cases/{world.case_x}/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "case.yaml"
    path.write_bytes(response.content)
    return path


def test_export_without_every_consent_checks_but_holds_only_shared_preferences(
    world: World, tmp_path: Path
) -> None:
    path = _export(world, tmp_path)
    text = path.read_text()
    assert CANARY["a_prefs"] in text and CANARY["b_prefs"] not in text
    data = yaml.safe_load(text)
    assert set(data["preferences"]) == {"israel"}
    assert [p["id"] for p in data["proposals"]][-2:] == ["draft-1", "draft-2"]
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["analyze", str(path)])
    assert result.exit_code == 2 and "hamas" in result.output


def test_export_with_every_consent_is_analysed(world: World, tmp_path: Path) -> None:
    CaseParty.objects.filter(case_id=world.case_x).update(shares_with_mediators=True)
    path = _export(world, tmp_path)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["analyze", str(path), "--json"])
    assert result.exit_code == 0, result.output
    analysis = json.loads(result.output)
    assert analysis["negotiators"] == ["israel", "hamas"]
    assert {p["id"] for p in analysis["proposals"]} >= {"draft-1", "draft-2"}
    # The reservation is the walk-away entered (40 of 100).
    assert analysis["reservation"] == {"israel": 0.4, "hamas": 0.4}


def test_the_report_opens_for_the_mediators_when_every_party_shares(world: World) -> None:
    client = Client()
    client.force_login(world.people["owner"])
    response = client.get(f"/cases/{world.case_x}/report/")
    assert response.status_code == 403 and "Hamas" in response.content.decode()
    CaseParty.objects.filter(case_id=world.case_x).update(shares_with_mediators=True)
    response = client.get(f"/cases/{world.case_x}/report/")
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    assert "<script" not in response.content.decode()


ISRAELS_BEST = {
    "truce": "one-week",
    "release-pace": "most-at-once",
    "prisoners": 0,
    "withdrawal": "none",
    "return-displaced": "none",
    "guarantees": "none",
    "aid": "limited",
}
"""Every issue at Israel's most favoured option: Hamas's worst package (utility 0)."""


def _ours(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The exported proposals the service wrote (the shared part's own come first)."""
    return {p["id"]: p for p in data["proposals"] if p["sources"] == ["accord-serve"]}


def test_the_export_records_each_partys_latest_answer_to_each_draft(
    world: World, tmp_path: Path
) -> None:
    from accord.service.cases.access import view_of_case

    # Israel rejected draft 1 (in the world) and now accepts it: its latest answer stands.
    israel = view_of_case(world.people["delegate_a"], world.case_x)
    israel.answer_draft(1, {"accept": "accept", "issues": {}, "comment": CANARY["a_answer"]})
    path = _export(world, tmp_path)
    text = path.read_text()
    today = dt.datetime.now(dt.UTC).date().isoformat()
    ours = _ours(yaml.safe_load(text))
    assert ours["draft-1"]["responses"] == {
        "israel": {"response": "accepted", "date": today},
        "hamas": {"response": "accepted", "date": today},
    }
    assert "responses" not in ours["draft-2"]  # nobody answered it
    # Only the verdict goes out: no comment, no per-issue verdict, no delegate's name.
    for canary in (CANARY["a_answer"], CANARY["b_answer"], "must_change", "a@example.org"):
        assert canary not in text
    scenario = read_scenario(path).scenario
    draft_1 = next(p for p in scenario.proposals if p.id == "draft-1")
    assert {k: r.response.value for k, r in draft_1.responses.items()} == {
        "israel": "accepted",
        "hamas": "accepted",
    }
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
    # Hamas does not share: calibrate checks Israel's numbers alone.
    result = CliRunner().invoke(main, ["calibrate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {c["party"] for c in found["contradicted"] + found["agreeing"]} == {"israel"}


def test_calibrate_on_the_export_names_an_acceptance_below_the_walk_away(
    world: World, tmp_path: Path
) -> None:
    """Hamas accepts draft 3, its worst package (utility 0 against its walk-away of 40 of
    100): a contradiction of 0.40. Israel rejected draft 1, worth 0.4915 to it (ratings 67,
    33, 50, 67, 33, 33, 50 of 100 with points 25, 20, 10, 15, 10, 15, 5; see world.py),
    above its walk-away of 0.40: 'rejected' reads as worse than walking away, a contradiction
    of 0.0915. Hamas's acceptance of draft 1 (worth 4440/9700 = 0.458 to it) agrees."""
    from accord.service.cases.access import view_of_case

    CaseParty.objects.filter(case_id=world.case_x).update(shares_with_mediators=True)
    mediator = view_of_case(world.people["owner"], world.case_x)
    mediator.publish_draft({"package": ISRAELS_BEST, "note": "Israel's best."})
    hamas = view_of_case(world.people["delegate_b"], world.case_x)
    hamas.answer_draft(3, {"accept": "accept", "issues": {}, "comment": CANARY["b_answer"]})
    path = _export(world, tmp_path)
    result = CliRunner().invoke(main, ["calibrate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    ours = _ours(yaml.safe_load(path.read_text()))
    contradicted = {
        (c["id"], c["party"]): (c["says"], c["shortfall"])
        for c in found["contradicted"]
        if c["id"] in ours
    }
    assert contradicted == {
        ("draft-3", "hamas"): (
            "hamas accepted draft-3: its utility is at least the walk-away",
            pytest.approx(0.40),
        ),
        ("draft-1", "israel"): (
            "israel rejected draft-1: its utility is at most the walk-away",
            pytest.approx(0.0915),
        ),
    }
    agreeing = {(c["id"], c["party"]) for c in found["agreeing"] if c["id"] in ours}
    assert agreeing == {("draft-1", "hamas")}


def test_the_engine_page_shows_exactly_what_calibrate_finds_in_the_export(
    world: World, tmp_path: Path
) -> None:
    """The mediators' findings are ``accord calibrate`` on the export they may download, so
    they disclose nothing the export does not: a party that does not share is not checked."""
    from accord.service.cases.access import view_of_case

    mediator = view_of_case(world.people["owner"], world.case_x)
    mediator.publish_draft({"package": ISRAELS_BEST, "note": "Israel's best."})
    hamas = view_of_case(world.people["delegate_b"], world.case_x)
    hamas.answer_draft(3, {"accept": "accept", "issues": {}, "comment": CANARY["b_answer"]})
    for sharing in (False, True):
        CaseParty.objects.filter(case_id=world.case_x, party_id="hamas").update(
            shares_with_mediators=sharing
        )
        mediator = view_of_case(world.people["owner"], world.case_x)
        record = mediator.calibration()
        path = _export(world, tmp_path)
        result = CliRunner().invoke(main, ["calibrate", str(path), "--json"])
        assert result.exit_code == 0, result.output
        expected = [
            (c["id"], c["party"], c["says"], c["shortfall"])
            for c in json.loads(result.output)["contradicted"]
        ]
        shown = [(f.id, f.party, f.says, f.shortfall) for f in record.contradicted]
        assert shown == expected
        assert record.not_checked == ([] if sharing else ["Hamas"])
        client = Client()
        client.force_login(world.people["owner"])
        page = client.get(f"/cases/{world.case_x}/assistance/").content.decode()
        assert ("hamas accepted draft-3" in page) is sharing
        assert ("israel rejected draft-1" in page) and CANARY["b_answer"] not in page
