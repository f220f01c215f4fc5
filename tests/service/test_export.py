"""A case exported as an accord scenario: it loads with `accord check`, and `accord analyze`
runs on it when every negotiator shares its preferences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from django.test import Client

from accord.cli import main
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
