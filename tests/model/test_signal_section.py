"""The signals section: who, when, about what, with what stance, from which source (issue 18
item 2)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.model import ScenarioError, scenario_from_data
from accord.model.signals import Actor, Stance, actor


def signal(**changes: Any) -> dict[str, Any]:
    out = {
        "date": "2026-01-05",
        "who": "ana",
        "stance": "progress",
        "text": "Says the talks go well.",
        "sources": [{"source": "notes", "at": "Ana said"}],
    }
    out.update(changes)
    return out


def test_a_signal_by_a_party_or_a_representative(base: dict[str, Any]) -> None:
    base["parties"][1]["representatives"] = [{"name": "Ben Smith", "title": "Himself"}]
    base["signals"] = [signal(), signal(who="Ben Smith", about="rent", stance="obstacle")]
    s = scenario_from_data(base).scenario
    assert [x.about for x in s.signals] == ["talks", "rent"]
    assert actor(s, s.signals[0]) == Actor("ana")
    assert actor(s, s.signals[1]) == Actor("ben", "Ben Smith")
    assert actor(s, s.signals[1]).label == "Ben Smith (ben)"


def test_a_signal_about_a_proposal(base: dict[str, Any]) -> None:
    base["signals"] = [signal(about="p1", stance="concession")]
    assert scenario_from_data(base).scenario.signals[0].stance is Stance.concession


@pytest.mark.parametrize(
    ("changes", "path", "found"),
    [
        ({"who": "anna"}, ("signals", 0, "who"), "'anna' (did you mean 'ana'?)"),
        ({"about": "rnet"}, ("signals", 0, "about"), "'rnet' (did you mean 'rent'?)"),
        ({"stance": "hope"}, ("signals", 0, "stance"), "'hope'"),
        ({"sources": []}, ("signals", 0, "sources"), "[]"),
        ({"sources": ["nope"]}, ("signals", 0, "sources", 0), "'nope'"),
    ],
)
def test_a_wrong_signal_is_reported_where_it_is(
    base: dict[str, Any], changes: dict[str, Any], path: tuple[Any, ...], found: str
) -> None:
    base["signals"] = [signal(**changes)]
    with pytest.raises(ScenarioError) as e:
        scenario_from_data(base)
    (p,) = e.value.problems
    assert p.path == path and p.found.startswith(found)


def test_stances_have_a_tone() -> None:
    assert {s.value: s.tone for s in Stance} == {
        "progress": "positive",
        "concession": "positive",
        "obstacle": "negative",
        "threat": "negative",
        "demand": "neutral",
    }
