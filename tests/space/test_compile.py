"""compile_space: normalisation as the format specifies, constraints and proposals as indices."""

from __future__ import annotations

import copy
import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from accord.model import ScenarioError, load_scenario, scenario_from_data
from accord.space import CompiledSpace, compile_space
from accord.space.compile import exact_normalised_values


def test_hand_computed_contributions(base: dict[str, Any]) -> None:
    space = compile_space(scenario_from_data(base).scenario)
    assert space.negotiators == ("ana", "ben")  # the mediator never enters the utilities
    assert space.shape == (3, 5)
    assert space.issues[1].labels == ("40", "45", "50", "55", "60")
    # ana: weights 1:3 -> 0.25, 0.75; dishes 0/5/10 -> 0, .5, 1; rent 1 at 40 -> 0 at 60
    np.testing.assert_allclose(space.contributions[0][:, 0], [0, 0.125, 0.25])
    np.testing.assert_allclose(space.contributions[1][:, 0], [0.75, 0.5625, 0.375, 0.1875, 0])
    # ben: weights 1:1 -> 0.5 each; reversed values
    np.testing.assert_allclose(space.contributions[0][:, 1], [0.5, 0.25, 0])
    np.testing.assert_allclose(space.contributions[1][:, 1], [0, 0.125, 0.25, 0.375, 0.5])
    assert space.proposals == (("p1", (1, 2)),)
    np.testing.assert_allclose(space.utility(np.array([[1, 2]])), [[0.5, 0.5]])
    np.testing.assert_allclose(space.reservation, [0.3, 0.3])
    rule = space.forbidden[0]
    assert rule.options == ((0, (2,)), (1, (3, 4)))
    packages = np.array([[2, 3], [2, 4], [2, 2], [1, 4]])
    assert space.is_feasible(packages).tolist() == [False, False, True, True]


def test_utilities_lie_in_the_unit_interval_for_cairo() -> None:
    space = compile_space(load_scenario("cairo-2024"))
    grids = np.stack(np.meshgrid(*[np.arange(n) for n in space.shape], indexing="ij"), -1)
    u = space.utility(grids.reshape(-1, len(space.shape)))
    assert u.min() >= 0 and u.max() <= 1 + 1e-12
    # each negotiator's best and worst package reach 1 and 0 exactly (min-max normalisation)
    np.testing.assert_allclose(u.max(axis=0), [1, 1])
    np.testing.assert_allclose(u.min(axis=0), [0, 0], atol=1e-12)


def test_a_scenario_without_two_negotiators_has_no_agreement_space(base: dict[str, Any]) -> None:
    base["parties"][1]["role"] = "stakeholder"
    del base["preferences"]["ben"]
    with pytest.raises(ScenarioError) as info:
        compile_space(scenario_from_data(base).scenario)
    assert "at least two parties with role 'negotiator'" in str(info.value)


def test_a_range_whose_steps_all_get_the_same_value_is_a_clear_error(
    base: dict[str, Any],
) -> None:
    # the points differ, but only between the range's steps (40, 45, ..., 60)
    base["preferences"]["ana"]["values"]["rent"] = [[40, 1], [42.5, 0], [45, 1], [60, 1]]
    # the loader reads the values at the steps, so the scenario is refused before compiling
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(base)
    assert "preferences.ana.values.rent" in str(info.value)
    assert "found every value equal to 1" in str(info.value)


def test_contributions_are_exact_rationals_of_the_decimals_written(base: dict[str, Any]) -> None:
    # ana: weights 0.1 and 0.2 (thirds), rent interpolated through a point between two steps
    base["preferences"]["ana"]["weights"] = {"dishes": 0.1, "rent": 0.2}
    base["preferences"]["ana"]["values"]["rent"] = [[40, 0.3], [47.5, 0], [60, 0.6]]
    space = compile_space(scenario_from_data(base).scenario)
    tables, reservation = space.rationals[0]
    assert reservation == Fraction(3, 10)
    assert tables[0] == (0, Fraction(1, 6), Fraction(1, 3))
    # rent at 40, 45, ..., 60 on the two segments through (47.5, 0)
    raw = [
        Fraction(3, 10) - Fraction(3, 10) * Fraction(x - 40) / Fraction(15, 2)
        if x <= Fraction(95, 2)
        else Fraction(6, 10) * Fraction(x - Fraction(95, 2)) / Fraction(25, 2)
        for x in (40, 45, 50, 55, 60)
    ]
    lo, hi = min(raw), max(raw)
    assert tables[1] == tuple(Fraction(2, 3) * (v - lo) / (hi - lo) for v in raw)
    assert space.units.all_exact
    np.testing.assert_allclose(space.contributions[1][:, 0], [float(c) for c in tables[1]])


def test_stale_rationals_are_refused() -> None:
    space = compile_space(load_scenario("job-offer"))
    with pytest.raises(ValueError, match="do not match the float contributions"):
        CompiledSpace(
            space.negotiators,
            space.issues,
            space.contributions,
            space.reservation + 0.1,
            space.forbidden,
            space.proposals,
            rationals=space.rationals,
        )


def test_the_embedded_scenarios_are_compared_exactly() -> None:
    for name in ("cairo-2024", "job-offer"):
        assert compile_space(load_scenario(name)).units.all_exact


def _interp_reference(points: list[tuple[Fraction, Fraction]], x: Fraction) -> Fraction:
    """numpy.interp's rule, point by point, in fractions."""
    if x <= points[0][0]:
        return points[0][1]
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if x <= x1:
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0)
    return points[-1][1]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    xs=st.lists(st.integers(-30, 90), min_size=1, max_size=6, unique=True),
    values=st.lists(st.sampled_from([0, 1, 2.5, 0.3, 7, 0.1]), min_size=6, max_size=6),
    count=st.integers(2, 40),
    step=st.sampled_from([1, 0.5, 2.5]),
)
def test_range_values_are_the_exact_interpolation(
    base: dict[str, Any], xs: list[int], values: list[float], count: int, step: float
) -> None:
    # points anywhere: before the range, between its steps, beyond it
    base = copy.deepcopy(base)
    points = [[x / 4, v] for x, v in zip(sorted(xs), values, strict=False)]
    base["issues"][1]["range"] = {"min": 0, "max": (count - 1) * step, "step": step}
    base["preferences"]["ana"]["values"]["rent"] = [[-100, 0], *points, [1000, 9]]
    base["preferences"]["ben"]["values"]["rent"] = [[-100, 0], [1000, 1]]
    base["proposals"], base["constraints"], base["positions"] = [], [], []
    exact = [(Fraction(str(x)), Fraction(str(v))) for x, v in [[-100, 0], *points, [1000, 9]]]
    raw = [_interp_reference(exact, k * Fraction(str(step))) for k in range(count)]
    lo, hi = min(raw), max(raw)
    assume(hi > lo)  # equal values at every step are refused by the loader
    scenario = scenario_from_data(base).scenario
    issue, pref = scenario.issues[1], scenario.preferences["ana"]
    assert exact_normalised_values(issue, pref) == tuple((v - lo) / (hi - lo) for v in raw)


def test_a_subset_of_negotiators_has_the_same_columns_as_the_whole_space() -> None:
    """Each negotiator is normalised on its own, so compiling some of them (the service's
    view of one party's own numbers) gives exactly their columns of the whole space."""
    scenario = load_scenario("cairo-2024")
    whole = compile_space(scenario)
    for ids in (("hamas",), ("israel",), ("hamas", "israel")):
        part = compile_space(scenario, negotiator_ids=ids)
        assert part.negotiators == ids
        columns = [whole.negotiators.index(i) for i in ids]
        for mine, theirs in zip(part.contributions, whole.contributions, strict=True):
            np.testing.assert_array_equal(mine, theirs[:, columns])
        np.testing.assert_array_equal(part.reservation, whole.reservation[columns])
        assert part.proposals == whole.proposals and part.forbidden == whole.forbidden


def test_a_subset_needs_only_its_own_preferences(base: dict[str, Any]) -> None:
    del base["preferences"]["ben"]
    scenario = scenario_from_data(base).scenario
    space = compile_space(scenario, negotiator_ids=["ana"])
    np.testing.assert_allclose(space.utility(np.array([[1, 2]])), [[0.5]])
    with pytest.raises(ScenarioError) as info:
        compile_space(scenario)
    assert "preferences for the negotiator 'ben'" in str(info.value)


def test_a_subset_naming_no_negotiator_is_refused(base: dict[str, Any]) -> None:
    scenario = scenario_from_data(base).scenario
    for ids, found in (
        (["mo"], "'mo'"),
        (["landlord"], "'landlord'"),
        (["ana", "ana"], "'ana'"),
        ([], "none named"),
    ):
        with pytest.raises(ScenarioError) as info:
            compile_space(scenario, negotiator_ids=ids)
        assert found in str(info.value)
