"""Exact ties: mathematically equal utilities compare equal in every analysis (issue 11, item 2).

The fast paths are checked against :mod:`scenario_reference`, which computes every utility
as a ``Fraction`` straight from the decimals of the scenario, on scenarios drawn to have
many ties (:mod:`scenario_strategies`).
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_reference import exact_package_utility, exact_scenario
from scenario_strategies import tie_scenarios
from space_reference import brute_from, dominates, solution_from

from accord.analysis import SOLUTION_NAMES, analyze_space
from accord.analysis.agreement_space import DEFAULT_TOL
from accord.analysis.compare import compare_packages
from accord.analysis.improve import improve_package
from accord.cli import main
from accord.model import scenario_from_data
from accord.space import CompiledSpace, compile_space, rational
from accord.space.exact import MAX_UNITS


def two_negotiators(
    a: tuple[dict[str, int], dict[str, dict[str, int]]],
    b: tuple[dict[str, int], dict[str, dict[str, int]]],
    options: dict[str, list[str]],
) -> dict[str, Any]:
    """A scenario (as data) with negotiators a and b, reservations 0."""

    def pref(weights: dict[str, int], values: dict[str, dict[str, int]]) -> dict[str, Any]:
        return {
            "weights": weights,
            "values": values,
            "reservation": 0,
            "estimate": True,
            "rationale": "Issue 11.",
        }

    return {
        "accord": 1,
        "title": "Exact ties",
        "date": "2026-01-05",
        "sources": [{"id": "s", "outlet": "accord", "title": "issue 11", "date": "2026-01-05"}],
        "parties": [
            {"id": "a", "name": "A", "role": "negotiator"},
            {"id": "b", "name": "B", "role": "negotiator"},
        ],
        "issues": [{"id": k, "name": k.upper(), "options": v} for k, v in options.items()],
        "preferences": {"a": pref(*a), "b": pref(*b)},
    }


def frontier_of(data: dict[str, Any]) -> dict[tuple[str, ...], dict[str, float]]:
    result = analyze_space(compile_space(scenario_from_data(data).scenario))
    return {tuple(str(v) for v in p.package.values()): p.utility for p in result.pareto}


XY = {"x": ["x0", "x1", "x2"], "y": ["y0", "y1", "y2"]}


def test_issue_11_minimal_case_lists_no_dominated_package() -> None:
    # Issue 11, item 2: a weighs x:3, y:4; b weighs x:2, y:3.  (x0, y2) = (3/7, 3/5) is
    # dominated by (x2, y1) = (4/7, 3/5); rounding each contribution to 2**-32 made b's two
    # utilities differ by one unit and listed both.
    data = two_negotiators(
        ({"x": 3, "y": 4}, {"x": {"x0": 10, "x1": 3, "x2": 0}, "y": {"y0": 6, "y1": 7, "y2": 4}}),
        ({"x": 2, "y": 3}, {"x": {"x0": 8, "x1": 8, "x2": 9}, "y": {"y0": 6, "y1": 7, "y2": 9}}),
        XY,
    )
    front = frontier_of(data)
    assert ("x2", "y1") in front
    assert ("x0", "y2") not in front
    assert front[("x2", "y1")] == {"a": round(4 / 7, 9), "b": 0.6}
    assert set(front) == {("x0", "y1"), ("x2", "y1"), ("x2", "y2")}


def test_equal_utility_vectors_are_all_on_the_frontier() -> None:
    # The other direction: (x0, y1) and (x1, y2) both give (2/3, 1/2); rounding made the
    # first a unit short of the second for b, and dropped it from the frontier.
    data = two_negotiators(
        ({"x": 5, "y": 4}, {"x": {"x0": 6, "x1": 3, "x2": 1}, "y": {"y0": 1, "y1": 2, "y2": 5}}),
        ({"x": 2, "y": 2}, {"x": {"x0": 2, "x1": 10, "x2": 7}, "y": {"y0": 3, "y1": 9, "y2": 2}}),
        XY,
    )
    front = frontier_of(data)
    assert front[("x0", "y1")] == front[("x1", "y2")] == {"a": round(2 / 3, 9), "b": 0.5}
    assert set(front) == {("x0", "y1"), ("x0", "y2"), ("x1", "y1"), ("x1", "y2")}
    # four packages, three distinct utility vectors (NegMAS's frontier keeps one per vector)
    result = analyze_space(compile_space(scenario_from_data(data).scenario))
    assert (result.pareto_size, result.pareto_vectors) == (4, 3)


@settings(max_examples=120, deadline=None)
@given(tie_scenarios())
def test_analysis_matches_the_exact_reference(data: dict[str, Any]) -> None:
    space = compile_space(scenario_from_data(data).scenario)
    ref = exact_scenario(data)
    b = brute_from(ref.utility, ref.reservation, Fraction(DEFAULT_TOL))
    result = analyze_space(space)
    assert result.warnings == ()
    assert result.packages == len(ref.utility)
    assert result.zopa == len(b.zopa)
    assert result.pareto_size == len(b.frontier)
    assert {indices(space, p.package) for p in result.pareto} == set(b.frontier)
    assert result.pareto_vectors == len({ref.utility[p] for p in b.frontier})
    assert result.zopa_pareto_size == len(set(b.frontier) & set(b.zopa))
    # solutions over the ZOPA: the reference's definition with its tolerance
    shifted = tuple(r - Fraction(DEFAULT_TOL) for r in ref.reservation)
    zb = brute_from(ref.utility, shifted)
    for name in SOLUTION_NAMES:
        expected = solution_from(zb, ref.reservation, name)
        got = result.solutions[name]
        if expected is None:
            assert got is None
            continue
        assert got is not None
        assert (indices(space, got.package), got.ties) == expected, name
    for got, (pid, package) in zip(result.proposals, ref.proposals, strict=True):
        u = exact_package_utility(data, ref, package)
        assert got.id == pid
        assert got.feasible == (package in ref.utility)
        assert got.dominated_by == sum(dominates(v, u) for v in ref.utility.values())
        assert got.pareto_optimal == (got.feasible and got.dominated_by == 0)
        reaches = all(x >= r for x, r in zip(u, shifted, strict=True))
        assert got.in_zopa == (got.feasible and reaches)


def indices(space: CompiledSpace, package: dict[str, str | float]) -> tuple[int, ...]:
    """A package as the analyses print it, back to option indices."""
    return tuple(
        issue.labels.index(value) if issue.numeric is None else issue.numeric.index(value)
        for issue, value in zip(space.issues, package.values(), strict=True)
    )


@st.composite
def scenario_and_two_packages(
    draw: st.DrawFn,
) -> tuple[dict[str, Any], tuple[int, ...], tuple[int, ...]]:
    data = draw(tie_scenarios())
    ref = exact_scenario(data)
    packages = sorted(ref.utility) or [tuple(0 for _ in data["issues"])]
    return data, draw(st.sampled_from(packages)), draw(st.sampled_from(packages))


@settings(max_examples=80, deadline=None)
@given(scenario_and_two_packages())
def test_compare_and_improve_decide_on_exact_utilities(
    case: tuple[dict[str, Any], tuple[int, ...], tuple[int, ...]],
) -> None:
    data, a, b = case
    space = compile_space(scenario_from_data(data).scenario)
    ref = exact_scenario(data)
    ua, ub = exact_package_utility(data, ref, a), exact_package_utility(data, ref, b)
    tol = Fraction(DEFAULT_TOL)
    for j, person in enumerate(compare_packages(space, a, b).negotiators):
        change = ub[j] - ua[j]
        expected = "gains" if change > tol else "loses" if change < -tol else "indifferent"
        assert person.verdict == expected
    search = improve_package(space, a, limit=100)
    dominating = [p for p, v in ref.utility.items() if dominates(v, ua)]
    assert search.dominated_by == len(dominating)
    assert search.pareto_optimal == (not dominating)
    found = {indices(space, imp.package) for imp in search.improvements}
    assert found <= set(dominating)
    assert len(found) == min(100, len(dominating))


def test_improvements_with_equal_nash_products_are_ranked_by_option_indices() -> None:
    # Every improvement of (x1, y1) by one issue: (x0, y1) and (x1, y0) have the same Nash
    # product exactly (a's and b's gains swap), so the option indices rank them.
    data = two_negotiators(
        ({"x": 1, "y": 1}, {"x": {"x0": 3, "x1": 1, "x2": 0}, "y": {"y0": 2, "y1": 1, "y2": 0}}),
        ({"x": 1, "y": 1}, {"x": {"x0": 2, "x1": 1, "x2": 0}, "y": {"y0": 3, "y1": 1, "y2": 0}}),
        XY,
    )
    space = compile_space(scenario_from_data(data).scenario)
    search = improve_package(space, (1, 1))
    first, second = search.improvements[:2]
    assert first.nash_product == second.nash_product
    assert (first.package, second.package) == ({"x": "x0", "y": "y1"}, {"x": "x1", "y": "y0"})


# --- reading floats as rationals ------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (0.1, Fraction(1, 10)),
        (0.35, Fraction(7, 20)),
        (3, Fraction(3)),
        (2.5e-7, Fraction(1, 4_000_000)),
        (-0.3, Fraction(-3, 10)),
        ((0.3 + 0.6) / 2, Fraction(9, 20)),  # a computed midpoint: 0.44999999999999996
        (0.1 + 0.2, Fraction(3, 10)),
        (1 / 3, Fraction(1, 3)),
        (12345 / 2**20, Fraction(12345, 2**20)),
    ],
)
def test_a_float_stands_for_the_decimal_or_simple_rational_it_prints(
    x: float, expected: Fraction
) -> None:
    assert rational(x) == expected


def _simplest_reference(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest rational in [lo, hi], by the recursion of Graham, Knuth & Patashnik."""
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest_reference(-hi, -lo)
    whole = math.floor(lo)
    if whole == lo or whole + 1 <= hi:
        return Fraction(whole if whole == lo else whole + 1)
    return whole + 1 / _simplest_reference(1 / (hi - whole), 1 / (lo - whole))


def _rational_reference(x: float) -> Fraction:
    """The rule as documented: the decimal repr prints when it has at most 15 significant
    digits, else the simplest rational within four ulps."""
    text = repr(x)
    if len(text.split("e")[0].replace("-", "").replace(".", "").lstrip("0")) <= 15:
        return Fraction(text)
    spread = 4 * Fraction(math.ulp(x))
    return _simplest_reference(Fraction(x) - spread, Fraction(x) + spread)


FLOATS = st.one_of(
    st.builds(lambda n, k: n / 2**k, st.integers(-(2**40), 2**40), st.integers(0, 60)),
    st.builds(round, st.floats(-1e4, 1e4), st.integers(0, 8)),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    st.builds(lambda a, b: a / b, st.integers(-1000, 1000), st.integers(1, 1000)),
)


@settings(max_examples=400, deadline=None)
@given(FLOATS)
def test_the_fast_paths_of_rational_follow_the_documented_rule(x: float) -> None:
    assert rational(x) == _rational_reference(x)


def test_a_float_that_is_not_finite_is_refused() -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        rational(float("nan"))


# --- the fallback when the integers do not fit ---------------------------------------------

PRIMES = [1009, 1013, 1019, 1021, 1031, 1033, 1039]


def coprime_scenario() -> dict[str, Any]:
    """Seven issues whose normalised values have coprime denominators near 1000: a's
    common denominator is about 10**21, beyond 2**58; b's is 2."""
    options = {f"i{k}": ["lo", "mid", "hi"] for k in range(len(PRIMES))}
    a_values = {f"i{k}": {"lo": 0, "mid": 1, "hi": p} for k, p in enumerate(PRIMES)}
    b_values = {f"i{k}": {"lo": 2, "mid": 1, "hi": 0} for k in range(len(PRIMES))}
    weights = {f"i{k}": 1 for k in range(len(PRIMES))}
    return two_negotiators((weights, a_values), (weights, b_values), options)


def test_the_fallback_is_reported_and_keeps_its_guarantee() -> None:
    data = coprime_scenario()
    space = compile_space(scenario_from_data(data).scenario)
    units = space.units
    assert units.exact == (False, True)
    assert units.scale[0] == 2**58 and units.scale[1] == 2 * len(PRIMES)
    result = analyze_space(space)
    assert len(result.warnings) == 1 and result.warnings[0].startswith("a's utilities")
    assert "2**-58" in result.warnings[0]
    search = improve_package(space, (0,) * len(PRIMES))
    assert search.warnings == result.warnings
    # the guarantee: each of a's utilities is within n_issues / 2 units (of 2**-58) of its exact
    # value, so two that differ by more than n_issues units compare the right way; b's are exact
    ref = exact_scenario(data)
    packages = np.array(sorted(ref.utility), dtype=np.intp)
    got = sum(t[packages[:, i]] for i, t in enumerate(units.tables))
    for p, u in zip(packages, got[:, 0], strict=True):
        exact = ref.utility[tuple(int(k) for k in p)][0] * units.scale[0]
        assert abs(int(u) - exact) <= Fraction(len(PRIMES), 2)
    assert [Fraction(int(u), units.scale[1]) for u in got[:, 1]] == [
        ref.utility[tuple(int(k) for k in p)][1] for p in packages
    ]
    # the frontier is still the exact frontier here (no two utilities are that close)
    b = brute_from(ref.utility, ref.reservation)
    assert result.pareto_size == len(b.frontier)


def test_a_scale_that_fits_is_used_whole() -> None:
    data = coprime_scenario()
    data["issues"] = data["issues"][:3]
    for party in data["preferences"].values():
        for key in ("weights", "values"):
            party[key] = {k: v for k, v in party[key].items() if k in {"i0", "i1", "i2"}}
    space = compile_space(scenario_from_data(data).scenario)
    assert space.units.exact == (True, True)
    assert space.units.scale[0] == 3 * PRIMES[0] * PRIMES[1] * PRIMES[2]
    assert space.units.scale[0] <= MAX_UNITS


def test_the_commands_pass_the_fallback_warning_on(tmp_path: Path) -> None:
    path = tmp_path / "coprime.yaml"
    path.write_text(yaml.safe_dump(coprime_scenario()), encoding="utf-8")
    runner = CliRunner()
    table = runner.invoke(main, ["analyze", str(path)], catch_exceptions=False)
    assert table.exit_code == 0
    assert "warning: a's utilities have no common denominator" in table.stderr
    data = json.loads(runner.invoke(main, ["analyze", str(path), "--json"]).stdout)
    assert len(data["warnings"]) == 1
    for args in (
        ["compare", str(path), "nash", "utilitarian"],
        ["improve", str(path), "kalai_smorodinsky"],
    ):
        out = runner.invoke(main, [*args, "--json"], catch_exceptions=False)
        assert out.exit_code == 0
        assert json.loads(out.stdout)["warnings"][0].startswith("a's utilities")
