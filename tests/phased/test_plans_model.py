"""The items, valuations and plans sections: valid files load, every mistake is reported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.model import ScenarioError, dump_scenario, load_scenario, read_scenario
from accord.model.problems import Problem
from accord.phased import evaluate_plan, exchange_from_scenario, plan_from_scenario

PHASED: dict[str, Any] = {
    "items": [
        {"id": "keys", "name": "Flat keys", "unit": "keys", "holdings": {"ben": 2}},
        {
            "id": "rent-points",
            "name": "Percentage points of rent Ana takes on",
            "unit": "points",
            "issue": "rent",
            "holdings": {"ana": 60},
        },
        {"id": "quiet", "name": "A quiet evening", "kind": "flow"},
    ],
    "valuations": {
        "ana": {
            "items": {"keys": {"receive": 5}, "rent-points": {"give": -1}},
            "flows": {"quiet": 2},
            "outside_option": {"base": 0, "per_item": {"keys": -1}},
            "discount_per_day": 0.9,
            "estimate": True,
            "rationale": "From the notes.",
            "sources": ["notes"],
        },
        "ben": {
            "items": {"keys": {"give": -1}, "rent-points": {"receive": 1}},
            "flows": {"quiet": -1},
            "outside_option": {"base": 0},
            "guarantor_penalty": 2,
            "discount_per_day": 0.95,
            "estimate": True,
            "rationale": "From the notes.",
        },
    },
    "plans": [
        {
            "id": "two-step",
            "name": "Keys first, then rent",
            "proposal": "p1",
            "stages": [
                {
                    "id": "one",
                    "days": 3,
                    "order": ["ben", "ana"],
                    "transfers": [
                        {"from": "ben", "to": "ana", "item": "keys", "amount": 1},
                        {"from": "ana", "to": "ben", "item": "rent-points", "amount": 25},
                    ],
                    "flows": [{"party": "ben", "item": "quiet", "per_day": 1}],
                },
                {
                    "id": "two",
                    "days": 2,
                    "transfers": [
                        {"from": "ben", "to": "ana", "item": "keys", "amount": 1},
                        {"from": "ana", "to": "ben", "item": "rent-points", "amount": 25},
                    ],
                },
            ],
            "final": {
                "text": "Ana moves in.",
                "flows": [{"party": "ben", "item": "quiet", "per_day": 1}],
            },
            "sources": ["notes"],
        }
    ],
}


@pytest.fixture
def phased(base: dict[str, Any]) -> dict[str, Any]:
    import copy

    return {**base, **copy.deepcopy(PHASED)}


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return list(info.value.problems)


def test_a_scenario_with_plans_loads_and_evaluates(phased: dict[str, Any], write_yaml: Any) -> None:
    result = read_scenario(write_yaml(phased))
    assert result.warnings == ()
    s = result.scenario
    assert [p.id for p in s.plans] == ["two-step"]
    assert s.plans[0].stages[0].transfers[0].from_ == "ben"
    ex = exchange_from_scenario(s)
    assert ex.negotiators == ("ana", "ben") and ex.items == ("keys", "rent-points")
    a = evaluate_plan(ex, plan_from_scenario(s, "two-step", ex))
    assert [p.label for p in a.points] == [
        "start of one",
        "one, after ben delivered",
        "start of two",
    ]


def test_plans_round_trip_through_a_file(
    phased: dict[str, Any], write_yaml: Any, tmp_path: Path
) -> None:
    s = load_scenario(write_yaml(phased))
    for name in ("again.yaml", "again.json"):
        dump_scenario(s, tmp_path / name)
        assert load_scenario(tmp_path / name) == s
    assert "from: ben" in (tmp_path / "again.yaml").read_text()


def test_unknown_plan_is_a_clear_key_error(phased: dict[str, Any], write_yaml: Any) -> None:
    s = load_scenario(write_yaml(phased))
    with pytest.raises(KeyError, match="no plan 'nope'; the scenario's plans are: two-step"):
        plan_from_scenario(s, "nope")


def _stage(d: dict[str, Any], s: int) -> dict[str, Any]:
    return d["plans"][0]["stages"][s]


# (label, how to break it, path of the problem, words in expected | found)
CASES: list[tuple[str, Any, str, tuple[str, ...]]] = [
    (
        "duplicate item",
        lambda d: d["items"][1].update(id="keys"),
        "items[1].id",
        ("unique", "'keys'"),
    ),
    (
        "holder unknown",
        lambda d: d["items"][0].update(holdings={"zed": 2}),
        "items[0].holdings.zed",
        ("a party id", "'zed'"),
    ),
    (
        "negative holding",
        lambda d: d["items"][0].update(holdings={"ben": -2}),
        "items[0].holdings.ben",
        (">= 0", "-2"),
    ),
    (
        "fractional people",
        lambda d: d["items"][0].update(holdings={"ben": 2.5}),
        "items[0].holdings.ben",
        ("whole number", "2.5"),
    ),
    (
        "flow with holdings",
        lambda d: d["items"][2].update(holdings={"ben": 1}),
        "items[2].holdings",
        ("no holdings on a flow item",),
    ),
    (
        "item issue unknown",
        lambda d: d["items"][1].update(issue="nope"),
        "items[1].issue",
        ("an issue id", "'nope'"),
    ),
    (
        "item issue categorical",
        lambda d: d["items"][1].update(issue="dishes"),
        "items[1].issue",
        ("numeric (range) issue", "categorical issue 'dishes'"),
    ),
    (
        "valuation for an unknown party",
        lambda d: d["valuations"].update(zed=d["valuations"]["ben"]),
        "valuations.zed",
        ("a party id", "'zed'"),
    ),
    (
        "valuation for a mediator",
        lambda d: d["valuations"].update(landlord=d["valuations"]["ben"]),
        "valuations.landlord",
        ("negotiators only", "'landlord'"),
    ),
    (
        "missing valuation",
        lambda d: d["valuations"].pop("ben"),
        "valuations",
        ("including 'ben'", "none for 'ben'"),
    ),
    (
        "valuing an unknown item",
        lambda d: d["valuations"]["ana"]["items"].update(cash={"receive": 1}),
        "valuations.ana.items.cash",
        ("a stock item id", "'cash'"),
    ),
    (
        "valuing a flow as an item",
        lambda d: d["valuations"]["ana"]["items"].update(quiet={"receive": 1}),
        "valuations.ana.items.quiet",
        ("flow items are valued under 'flows'",),
    ),
    (
        "valuing a stock as a flow",
        lambda d: d["valuations"]["ana"]["flows"].update(keys=1),
        "valuations.ana.flows.keys",
        ("stock item 'keys'",),
    ),
    (
        "outside option on an unknown item",
        lambda d: d["valuations"]["ana"]["outside_option"]["per_item"].update(cash=1),
        "valuations.ana.outside_option.per_item.cash",
        ("a stock item id", "'cash'"),
    ),
    (
        "discount zero",
        lambda d: d["valuations"]["ana"].update(discount_per_day=0),
        "valuations.ana.discount_per_day",
        ("(0, 1]", "0"),
    ),
    (
        "discount above one",
        lambda d: d["valuations"]["ana"].update(discount_per_day=1.5),
        "valuations.ana.discount_per_day",
        ("(0, 1]", "1.5"),
    ),
    (
        "discount range reaching 0",
        lambda d: d["valuations"]["ana"].update(
            discount_per_day={"value": 0.9, "range": [0, 0.95]}
        ),
        "valuations.ana.discount_per_day",
        ("(0, 1] over its whole range", "[0, 0.95]"),
    ),
    (
        "discount range above 1",
        lambda d: d["valuations"]["ana"].update(
            discount_per_day={"dist": "triangular", "low": 0.9, "mode": 0.95, "high": 1.1}
        ),
        "valuations.ana.discount_per_day",
        ("(0, 1] over its whole range", "[0.9, 1.1]"),
    ),
    (
        "discount point outside (0, 1] in a range",
        lambda d: d["valuations"]["ana"].update(
            discount_per_day={"dist": "uniform", "low": 1, "high": 2}
        ),
        "valuations.ana.discount_per_day",
        ("(0, 1]", "1.5"),
    ),
    (
        "discount normal centred outside (0, 1]",
        lambda d: d["valuations"]["ana"].update(
            discount_per_day={"dist": "normal", "value": 0.9, "mean": 1.2, "sd": 0.1}
        ),
        "valuations.ana.discount_per_day",
        ("truncated to (0, 1]", "mean is 1.2"),
    ),
    (
        "discount estimate inconsistent",
        lambda d: d["valuations"]["ana"].update(
            discount_per_day={"value": 0.9, "range": [0.95, 0.99]}
        ),
        "valuations.ana.discount_per_day",
        ("a value inside its range",),
    ),
    (
        "perpetual flows with a discount range reaching 1",
        lambda d: d["valuations"]["ben"].update(
            discount_per_day={"value": 0.95, "range": [0.9, 1]}
        ),
        "plans[0].final.flows",
        ("below 1 over its whole range for 'ben'", "reaching 1"),
    ),
    (
        "perpetual flows with an unbounded normal discount",
        lambda d: d["valuations"]["ben"].update(
            discount_per_day={"dist": "normal", "mean": 0.95, "sd": 0.01}
        ),
        "plans[0].final.flows",
        ("below 1 over its whole range for 'ben'",),
    ),
    (
        "negative penalty",
        lambda d: d["valuations"]["ben"].update(guarantor_penalty=-1),
        "valuations.ben.guarantor_penalty",
        (">= 0", "-1"),
    ),
    (
        "penalty range reaching below 0",
        lambda d: d["valuations"]["ben"].update(guarantor_penalty={"value": 2, "range": [-1, 3]}),
        "valuations.ben.guarantor_penalty",
        (">= 0 over its whole range", "-1"),
    ),
    (
        "item value range upside down",
        lambda d: d["valuations"]["ana"]["items"]["keys"].update(
            receive={"value": 5, "range": [8, 3]}
        ),
        "valuations.ana.items.keys.receive",
        ("low end is at most its high end", "[8, 3]"),
    ),
    (
        "flow value outside its range",
        lambda d: d["valuations"]["ana"]["flows"].update(quiet={"value": 2, "range": [3, 4]}),
        "valuations.ana.flows.quiet",
        ("a value inside its range",),
    ),
    (
        "outside option per item with a bad sd",
        lambda d: d["valuations"]["ana"]["outside_option"]["per_item"].update(
            keys={"dist": "normal", "mean": -1, "sd": 0}
        ),
        "valuations.ana.outside_option.per_item.keys",
        ("sd greater than 0",),
    ),
    (
        "outside option base not a number",
        lambda d: d["valuations"]["ana"]["outside_option"].update(base="lots"),
        "valuations.ana.outside_option.base",
        ("a valid number, or an estimate",),
    ),
    (
        "valuation source unknown",
        lambda d: d["valuations"]["ana"].update(sources=["nope"]),
        "valuations.ana.sources[0]",
        ("source id", "'nope'"),
    ),
    (
        "perpetual flows undiscounted",
        lambda d: d["valuations"]["ben"].update(discount_per_day=1),
        "plans[0].final.flows",
        ("discount_per_day below 1 for 'ben'",),
    ),
    (
        "duplicate plan",
        lambda d: d["plans"].append(dict(d["plans"][0])),
        "plans[1].id",
        ("unique", "'two-step'"),
    ),
    (
        "unknown proposal",
        lambda d: d["plans"][0].update(proposal="p9"),
        "plans[0].proposal",
        ("a proposal id", "'p9'"),
    ),
    (
        "duplicate stage",
        lambda d: _stage(d, 1).update(id="one"),
        "plans[0].stages[1].id",
        ("unique", "'one'"),
    ),
    (
        "negative days",
        lambda d: _stage(d, 1).update(days=-1),
        "plans[0].stages[1].days",
        (">= 0", "-1"),
    ),
    (
        "transfer from unknown party",
        lambda d: _stage(d, 1)["transfers"][0].update(**{"from": "zed"}),
        "plans[0].stages[1].transfers[0].from",
        ("a party id", "'zed'"),
    ),
    (
        "transfer to oneself",
        lambda d: _stage(d, 1)["transfers"][0].update(to="ben"),
        "plans[0].stages[1].transfers[0].to",
        ("other than the giver", "'ben'"),
    ),
    (
        "transfer of an unknown item",
        lambda d: _stage(d, 1)["transfers"][0].update(item="cash"),
        "plans[0].stages[1].transfers[0].item",
        ("a stock item id", "'cash'"),
    ),
    (
        "transfer of a flow",
        lambda d: _stage(d, 1)["transfers"][0].update(item="quiet"),
        "plans[0].stages[1].transfers[0].item",
        ("flow items go in 'flows'",),
    ),
    (
        "negative amount",
        lambda d: _stage(d, 1)["transfers"][0].update(amount=-1),
        "plans[0].stages[1].transfers[0].amount",
        (">= 0", "-1"),
    ),
    (
        "half a key",
        lambda d: _stage(d, 1)["transfers"][0].update(amount=0.5),
        "plans[0].stages[1].transfers[0].amount",
        ("whole number", "0.5"),
    ),
    (
        "more keys than held",
        lambda d: _stage(d, 1)["transfers"][0].update(amount=2),
        "plans[0].stages[1].transfers[0].amount",
        ("still holds of 'keys' at this point (1)", "2"),
    ),
    (
        "passing on what arrives in the same simultaneous stage",
        lambda d: _stage(d, 1)["transfers"].append(
            {"from": "ana", "to": "ben", "item": "keys", "amount": 2}
        ),
        "plans[0].stages[1].transfers[2].amount",
        ("'ana' still holds of 'keys' at this point (1)",),
    ),
    (
        "flow by an unknown party",
        lambda d: _stage(d, 0)["flows"][0].update(party="zed"),
        "plans[0].stages[0].flows[0].party",
        ("a party id", "'zed'"),
    ),
    (
        "flow of a stock item",
        lambda d: _stage(d, 0)["flows"][0].update(item="keys"),
        "plans[0].stages[0].flows[0].item",
        ("a flow item",),
    ),
    (
        "negative flow",
        lambda d: _stage(d, 0)["flows"][0].update(per_day=-1),
        "plans[0].stages[0].flows[0].per_day",
        (">= 0", "-1"),
    ),
    (
        "order names an unknown party",
        lambda d: _stage(d, 0).update(order=["ben", "zed"]),
        "plans[0].stages[0].order[1]",
        ("a party id", "'zed'"),
    ),
    (
        "order repeats a party",
        lambda d: _stage(d, 0).update(order=["ben", "ben", "ana"]),
        "plans[0].stages[0].order[1]",
        ("each party once", "'ben'"),
    ),
    (
        "giver missing from the order",
        lambda d: _stage(d, 0).update(order=["ben"]),
        "plans[0].stages[0].transfers[1].from",
        ("listed in the stage's order", "'ana'"),
    ),
    (
        "totals contradict the proposal",
        lambda d: _stage(d, 1)["transfers"][1].update(amount=20),
        "plans[0].stages",
        ("50 points of 'rent-points' in total", "45 delivered"),
    ),
    (
        "final package on an unknown issue",
        lambda d: d["plans"][0]["final"].update(package={"pets": "x"}),
        "plans[0].final.package.pets",
        ("an issue id", "'pets'"),
    ),
    (
        "empty final",
        lambda d: d["plans"][0].update(final={}),
        "plans[0].final",
        ("at least one of 'package', 'text' or 'flows'",),
    ),
    (
        "plan source unknown",
        lambda d: d["plans"][0].update(sources=["nope"]),
        "plans[0].sources[0]",
        ("source id", "'nope'"),
    ),
    ("a plan without stages", lambda d: d["plans"][0].update(stages=[]), "plans[0].stages", ("1",)),
]


@pytest.mark.parametrize(("label", "breaks", "path", "words"), CASES, ids=[c[0] for c in CASES])
def test_each_plan_mistake_is_reported_with_its_place(
    label: str,
    breaks: Any,
    path: str,
    words: tuple[str, ...],
    phased: dict[str, Any],
    write_yaml: Any,
) -> None:
    breaks(phased)
    file = write_yaml(phased)
    problems = problems_of(file)
    matching = [p for p in problems if str(p).split(" at ", 1)[1].startswith(path + ":")]
    assert matching, f"no problem at {path}: " + "\n".join(map(str, problems))
    text = f"{matching[0].expected} | {matching[0].found}"
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


def test_every_problem_is_reported_not_just_the_first(
    phased: dict[str, Any], write_yaml: Any
) -> None:
    _stage(phased, 1)["transfers"][0].update(amount=-1)
    phased["valuations"]["ana"].update(discount_per_day=2)
    phased["plans"][0].update(proposal="p9")
    paths = {str(p).split(" at ", 1)[1].split(":")[0] for p in problems_of(write_yaml(phased))}
    assert {
        "plans[0].stages[1].transfers[0].amount",
        "valuations.ana.discount_per_day",
        "plans[0].proposal",
    } <= paths


def test_the_embedded_cairo_scenario_has_three_plans_with_estimated_valuations() -> None:
    s = load_scenario()
    assert {"israel-most-first", "hamas-even-permanent", "cairo-draft"} <= {p.id for p in s.plans}
    source_ids = {src.id for src in s.sources}
    for party in ("israel", "hamas"):
        v = s.valuations[party]
        assert v.estimate and v.rationale and set(v.sources) <= source_ids and v.sources
    draft = next(p for p in s.plans if p.id == "cairo-draft")
    assert sum(st.days for st in draft.stages) == 42 and len(draft.stages) == 3
    assert any(n.startswith("Unknown") for n in draft.notes)


def test_the_reference_example_loads_and_gives_the_hand_worked_margins(tmp_path: Path) -> None:
    """docs/reference/phased-deals.md's example is the explanation's two-stage exchange."""
    from fractions import Fraction

    doc = Path(__file__).parents[2] / "docs" / "reference" / "phased-deals.md"
    block = doc.read_text(encoding="utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "two-stage.yaml").write_text(block, encoding="utf-8")
    s = load_scenario(tmp_path / "two-stage.yaml")
    ex = exchange_from_scenario(s)
    a = evaluate_plan(ex, plan_from_scenario(s, "two-stage", ex))
    assert [Fraction(m) for m in a.margin[0]] == [
        Fraction(9, 8),
        Fraction(33, 8),
        Fraction(3, 2),
        Fraction(9, 2),
    ]
    assert [Fraction(m) for m in a.margin[1]] == [10, 2, 5, -3]


def test_an_uncertain_discount_loads_and_the_analyses_read_its_point(
    phased: dict[str, Any], write_yaml: Any, tmp_path: Path
) -> None:
    phased["valuations"]["ana"]["discount_per_day"] = {"value": 0.9, "range": [0.85, 0.97]}
    phased["valuations"]["ben"]["discount_per_day"] = {
        "dist": "normal",
        "mean": 0.95,
        "sd": 0.02,
        "low": 0.9,
        "high": 0.99,
    }
    s = load_scenario(str(write_yaml(phased)))
    ex = exchange_from_scenario(s)
    assert list(ex.discount) == [0.9, 0.95]
    dump_scenario(s, tmp_path / "again.yaml")
    assert load_scenario(tmp_path / "again.yaml") == s
