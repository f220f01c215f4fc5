"""compile_space: normalisation as the format specifies, constraints and proposals as indices."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from accord.model import ScenarioError, load_scenario, scenario_from_data
from accord.space import compile_space


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
