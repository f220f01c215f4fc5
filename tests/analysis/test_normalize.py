"""``normalize:`` per preference block (issue 17 item 2): minmax, max (GENIUS's) and none.

* The fast path (floats and exact rationals) agrees with a reference written from the
  definitions (``scenario_reference``) in every mode.
* Each mode's invariances: under ``minmax`` a positive affine change of one negotiator's
  values on any issue changes nothing; under ``max`` multiplying an option issue's values by a
  positive number changes nothing; under ``none`` the negotiator's utility and reservation
  move together (``u -> a u + b``), so the frontier, the ZOPA, Nash and Kalai–Smorodinsky
  stay put (the registry's "positive affine" concepts), while egalitarian and utilitarian
  stay put only under a translation (``a = 1``; the registry's "translation" concepts).
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scenario_reference import exact_scenario
from scenario_strategies import decimal, normalized_scenarios, set_normalize, tie_scenarios
from space_reference import brute_from, solution_from
from test_exact_ties import indices

from accord.analysis import SOLUTION_CONCEPTS, analyze_space
from accord.analysis.agreement_space import DEFAULT_TOL, SpaceAnalysis
from accord.model import ScenarioError, scenario_from_data
from accord.space import compile_space


def _q(x: Any) -> Fraction:
    return Fraction(str(x))


def _summary(data: dict[str, Any]) -> tuple[SpaceAnalysis, Any]:
    space = compile_space(scenario_from_data(data).scenario)
    return analyze_space(space), space


@settings(max_examples=80, deadline=None)
@given(normalized_scenarios())
def test_every_mode_matches_the_exact_reference(data: dict[str, Any]) -> None:
    result, space = _summary(data)
    ref = exact_scenario(data)
    b = brute_from(ref.utility, ref.reservation, Fraction(DEFAULT_TOL))
    assert result.warnings == ()
    assert result.zopa == len(b.zopa)
    assert {indices(space, p.package) for p in result.pareto} == set(b.frontier)
    shifted = tuple(r - Fraction(DEFAULT_TOL) for r in ref.reservation)
    zb = brute_from(ref.utility, shifted)
    for concept in SOLUTION_CONCEPTS:
        expected = solution_from(zb, ref.reservation, concept.name)
        got = result.solutions[concept.name]
        assert (got is None) == (expected is None)
        if got is not None:
            assert (indices(space, got.package), got.ties) == expected, concept.name


def _picture(result: SpaceAnalysis, space: Any, names: list[str]) -> Any:
    solutions = {
        n: None if s is None else (indices(space, s.package), s.ties)
        for n, s in result.solutions.items()
        if n in names
    }
    frontier = frozenset(indices(space, p.package) for p in result.pareto)
    return result.zopa, result.zopa_pareto_size, frontier, solutions


ALL = [c.name for c in SOLUTION_CONCEPTS]
AFFINE = [c.name for c in SOLUTION_CONCEPTS if c.invariance == "positive affine"]


@settings(max_examples=60, deadline=None)
@given(tie_scenarios(), st.sampled_from([0.5, 2, 3]), st.sampled_from([0, 1, -0.5, 7]))
def test_minmax_ignores_any_positive_affine_change_of_an_issues_values(
    data: dict[str, Any], a: float, b: float
) -> None:
    before = _picture(*_summary(data), ALL)
    changed = copy.deepcopy(data)
    pref = changed["preferences"]["n0"]
    for issue in changed["issues"]:
        table = pref["values"][issue["id"]]
        if isinstance(table, dict):
            pref["values"][issue["id"]] = {
                o: decimal(_q(a) * _q(v) + _q(b)) for o, v in table.items()
            }
        else:
            pref["values"][issue["id"]] = [[x, decimal(_q(a) * _q(v) + _q(b))] for x, v in table]
    assert _picture(*_summary(changed), ALL) == before


@settings(max_examples=60, deadline=None)
@given(tie_scenarios(), st.sampled_from([0.5, 2, 3, 10]))
def test_max_ignores_a_positive_factor_on_an_option_issue(data: dict[str, Any], a: float) -> None:
    set_normalize(data, "n0", "max")
    before = _picture(*_summary(data), ALL)
    pref = data["preferences"]["n0"]
    for issue in data["issues"]:
        table = pref["values"][issue["id"]]
        if isinstance(table, dict):
            pref["values"][issue["id"]] = {o: decimal(_q(a) * _q(v)) for o, v in table.items()}
    assert _picture(*_summary(data), ALL) == before


@settings(max_examples=80, deadline=None)
@given(tie_scenarios(), st.sampled_from([1, 1, 0.5, 2, 0.25]), st.sampled_from([0, 0.1, -0.1]))
def test_none_keeps_what_positive_affine_invariance_promises(
    data: dict[str, Any], a: float, b: float
) -> None:
    """u -> a u + b for one negotiator (its values and its reservation alike)."""
    set_normalize(data, "n0", "none")
    pref = data["preferences"]["n0"]
    reservation = _q(a) * _q(pref["reservation"]) + _q(b)
    assume(0 <= reservation <= 1)
    before = _picture(*_summary(data), AFFINE if a != 1 else ALL)
    pref["reservation"] = decimal(reservation)
    for issue in data["issues"]:
        table = pref["values"][issue["id"]]
        if isinstance(table, dict):
            pref["values"][issue["id"]] = {
                o: decimal(_q(a) * _q(v) + _q(b)) for o, v in table.items()
            }
        else:
            pref["values"][issue["id"]] = [[x, decimal(_q(a) * _q(v) + _q(b))] for x, v in table]
    assert _picture(*_summary(data), AFFINE if a != 1 else ALL) == before


def _two_parties(normalize: str, values: dict[str, float], reservation: float) -> dict[str, Any]:
    def pref(vals: dict[str, float], r: float, mode: str) -> dict[str, Any]:
        return {
            "weights": {"x": 1},
            "values": {"x": vals},
            "reservation": r,
            "normalize": mode,
            "estimate": True,
            "rationale": "A test.",
        }

    return {
        "accord": 1,
        "title": "Scales",
        "parties": [
            {"id": "a", "name": "A", "role": "negotiator"},
            {"id": "b", "name": "B", "role": "negotiator"},
        ],
        "issues": [{"id": "x", "name": "X", "options": ["p", "q", "r"]}],
        "preferences": {
            "a": pref(values, reservation, normalize),
            "b": pref({"p": 3, "q": 2, "r": 1}, 0, "minmax"),
        },
    }


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("minmax", [0.0, 1 / 3, 1.0]), ("max", [0.25, 0.5, 1.0]), ("none", [1.0, 2.0, 4.0])],
)
def test_known_utilities_in_each_mode(mode: str, expected: list[float]) -> None:
    """Values 1, 2, 4: min-max gives 0, 1/3, 1; GENIUS's max 1/4, 1/2, 1; none 1, 2, 4."""
    space = compile_space(
        scenario_from_data(_two_parties(mode, {"p": 1, "q": 2, "r": 4}, 0)).scenario
    )
    assert space.contributions[0][:, 0].tolist() == pytest.approx(expected, abs=1e-15)


def test_max_refuses_values_it_cannot_divide() -> None:
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(_two_parties("max", {"p": -1, "q": 0, "r": 0}, 0))
    (problem,) = info.value.problems
    assert problem.path == ("preferences", "a", "values", "x")
    assert "positive largest" in problem.expected


def test_equal_values_are_fine_without_minmax() -> None:
    """Only min-max needs values that differ: under max or none a flat issue is a constant."""
    for mode in ("max", "none"):
        space = compile_space(
            scenario_from_data(_two_parties(mode, {"p": 1, "q": 1, "r": 1}, 0)).scenario
        )
        assert space.contributions[0][:, 0].tolist() == [1.0, 1.0, 1.0]
