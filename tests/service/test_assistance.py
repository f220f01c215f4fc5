"""Engine assistance: what the mediators learn follows each party's consent, a party sees its
own figures only, the findings agree with accord's own analysis of the exported case, and the
"suggest a draft" button fills a draft the mediators can publish."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from .world import World, cairo_preferences

pytestmark = pytest.mark.django_db


def _people(world: World) -> tuple[Any, Any, Any]:
    from accord.service.cases.access import view_of_case

    return tuple(  # type: ignore[return-value]
        view_of_case(world.people[who], world.case_x)
        for who in ("owner", "delegate_a", "delegate_b")
    )


def _parties_in(value: Any) -> set[str]:
    """Every party named by a figure anywhere inside a view object."""
    from accord.service.cases.shapes import PartyFigure

    if isinstance(value, PartyFigure):
        return {value.party}
    if isinstance(value, dict):
        return set().union(*map(_parties_in, value.values())) if value else set()
    if isinstance(value, list | tuple):
        return set().union(*map(_parties_in, value)) if value else set()
    if isinstance(value, BaseModel):
        return _parties_in([getattr(value, f) for f in type(value).model_fields])
    return set()


def _number(value: str) -> str | int:
    return int(value) if value.isdigit() else value


def _share(world: World, party: str, share: bool) -> None:
    from accord.service.cases.models import CaseParty

    CaseParty.objects.filter(case_id=world.case_x, party_id=party).update(
        shares_with_mediators=share
    )


def test_the_mediators_see_the_figures_of_the_sharing_parties_only(world: World) -> None:
    mediator, _, _ = _people(world)
    found = mediator.assistance()
    assert found.state == "ready" and found.shown_for == ["Israel"]
    assert found.hidden_for == ["Hamas"]
    assert _parties_in(found) == {"israel"}
    assert found.improvements and found.solutions[0].package
    _share(world, "hamas", True)
    assert _parties_in(mediator.assistance()) == {"israel", "hamas"}
    _share(world, "israel", False)
    _share(world, "hamas", False)
    hidden = mediator.assistance()
    assert _parties_in(hidden) == set() and hidden.shown_for == []
    # Without figures, the facts remain: the zone, the solutions, each draft's standing.
    assert hidden.zopa == found.zopa and hidden.solutions[0].package == found.solutions[0].package
    assert [d.every_party_at_or_above for d in hidden.drafts] == [True, True]


def test_a_party_below_its_walk_away_is_counted_but_named_only_when_it_shares(
    world: World,
) -> None:
    mediator, _, b = _people(world)
    prefs = cairo_preferences("high walk-away", favour="hamas")
    prefs["walk_away"]["value"] = 90
    b.save_preferences(prefs)
    draft = mediator.assistance().drafts[0]
    assert not draft.every_party_at_or_above and draft.below == 1 and draft.below_named == []
    _share(world, "hamas", True)
    draft = mediator.assistance().drafts[0]
    assert draft.below == 1 and draft.below_named == ["Hamas"]
    figure = next(f for f in draft.figures if f.party == "hamas")
    assert figure.margin < 0


def test_each_party_sees_its_own_figures_which_the_mediators_see_alike(world: World) -> None:
    """Two views of one quantity: Israel's figures on its drafts page, on each draft's page,
    and in the mediators' assistance (Israel shares) agree."""
    mediator, a, b = _people(world)
    own = a.own_figures()
    assert [f.draft for f in own] == [1, 2]
    for f in own:
        detail = a.draft_detail(f.draft)
        assert detail.own_utility == pytest.approx(f.utility)
        assert detail.own_margin == pytest.approx(f.margin)
    standing = {d.number: d for d in mediator.assistance().drafts}
    for f in own:
        (seen,) = [x for x in standing[f.draft].figures if x.party == "israel"]
        assert seen.utility == pytest.approx(f.utility) and seen.margin == pytest.approx(f.margin)
    client = Client()
    client.force_login(world.people["delegate_b"])
    body = client.get(f"/api/cases/{world.case_x}/figures").json()
    assert [round(x["utility"], 9) for x in body] == [f.utility for f in b.own_figures()]
    page = client.get(f"/cases/{world.case_x}/drafts/").content.decode()
    assert "Over your walk-away" in page and "For Hamas" in page
    assert client.get(f"/cases/{world.case_x}/assistance/").status_code == 403


def test_the_findings_agree_with_accord_on_the_exported_case(world: World) -> None:
    """The zone's size, the solutions and each draft's standing, as the service shows them,
    equal accord's own analysis of the case exported with every party's preferences."""
    import accord
    from accord.service.cases.records import export_scenario

    mediator, _, _ = _people(world)
    _share(world, "hamas", True)
    found = mediator.assistance()
    analysis = accord.analyze(export_scenario(mediator)).space_analysis()
    assert found.zopa == analysis.zopa and found.packages == analysis.packages
    for solution in found.solutions:
        expected = analysis.solutions[solution.name]
        assert expected is not None
        assert {c.issue: c.value for c in solution.package} == {
            k: str(v) for k, v in expected.package.items()
        }
        assert {f.party: f.utility for f in solution.figures} == expected.utility
    proposals = {p.id: p for p in analysis.proposals}
    for draft in found.drafts:
        p = proposals[f"draft-{draft.number}"]
        assert draft.every_party_at_or_above == p.in_zopa
        assert draft.pareto_optimal == p.pareto_optimal


def test_improvements_come_fewest_changes_first_and_each_leaves_every_party_as_well_off(
    world: World,
) -> None:
    mediator, _, _ = _people(world)
    _share(world, "hamas", True)
    found = mediator.assistance(improve=1)
    assert found.improve_draft == 1 and found.improvements
    changes = [i.issues_changed for i in found.improvements]
    assert changes == sorted(changes) and changes[0] >= 1
    for i in found.improvements:
        assert len(i.changes) == i.issues_changed
        assert all(f.margin >= -1e-9 for f in i.figures)  # gains over draft 1
        assert any(f.margin > 1e-9 for f in i.figures)


def test_suggest_a_draft_fills_the_form_and_the_mediators_publish_it(world: World) -> None:
    mediator, _, _ = _people(world)
    found = mediator.assistance()
    client = Client()
    client.force_login(world.people["owner"])
    page = client.get(f"/cases/{world.case_x}/assistance/").content.decode()
    assert "?suggest=nash" in page and f"?suggest={found.improvements[0].key}" in page
    form = client.get(f"/cases/{world.case_x}/drafts/new/?suggest=nash").content.decode()
    nash = {c.issue: c.value for c in found.solutions[0].package}
    for value in nash.values():
        assert f'value="{value}" selected' in form
    assert "suggested by the engine: the Nash package" in form
    response = client.post(
        f"/cases/{world.case_x}/drafts/new/",
        {f"package:{k}": v for k, v in nash.items()}
        | {"note": "Suggested.", "origin": "suggested by the engine: the Nash package"},
    )
    assert response.status_code == 302
    assert mediator.draft(3).origin == "suggested by the engine: the Nash package"
    assert mediator.assistance().drafts[-1].pareto_optimal
    package, origin = mediator.suggestion(found.improvements[0].key)
    assert origin == "suggested by the engine: improves draft 2"
    assert package == {c.issue: _number(c.value) for c in found.improvements[0].package}
    assert client.get(f"/cases/{world.case_x}/drafts/new/?suggest=improve-2-99").status_code == 404
    assert client.get(f"/cases/{world.case_x}/drafts/new/?suggest=anything").status_code == 404
    api = client.get(f"/api/cases/{world.case_x}/suggestion?key=egalitarian").json()
    assert api["package"] == mediator.suggestion("egalitarian")[0]


def test_the_engine_waits_for_every_party_and_refuses_a_case_too_large(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.service.cases import assisted
    from accord.service.cases.access import view_of_case
    from accord.service.cases.models import PreferenceVersion

    mediator, _, _ = _people(world)
    monkeypatch.setattr(assisted, "SERVICE_MAX_ENGINE_PACKAGES", 1000)
    found = mediator.assistance()
    assert found.state == "too large" and found.solutions == []
    assert (
        "39,936 packages (before constraints)" in found.note
        and "SERVICE_MAX_ENGINE_PACKAGES" in found.note
    )
    monkeypatch.undo()
    PreferenceVersion.objects.filter(party__case_id=world.case_x, party__party_id="hamas").delete()
    found = view_of_case(world.people["owner"], world.case_x).assistance()
    assert found.state == "waiting" and found.waiting_for == ["Hamas"]
    client = Client()
    client.force_login(world.people["owner"])
    page = client.get(f"/cases/{world.case_x}/assistance/").content.decode()
    assert "waiting for Hamas to enter theirs" in page


def test_viewing_the_findings_is_recorded(world: World) -> None:
    from accord.service.audit.models import AuditRecord

    mediator, _, _ = _people(world)
    mediator.assistance()
    record = AuditRecord.objects.filter(case_id=world.case_x).order_by("-seq").first()
    assert record is not None
    assert (record.kind, record.subject) == ("engine assistance viewed", "figures of: israel")
