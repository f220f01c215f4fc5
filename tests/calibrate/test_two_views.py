"""Two views of one quantity agree: the calibration's unknowns give the utilities the agreement
space computes, and the profiles the robustness engine builds from the point estimates."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from accord.calibrate.evidence import evidence_of, unknowns_of
from accord.calibrate.region import Chains, deepest_point, region_of
from accord.model import Scenario, load_scenario
from accord.robust.from_scenario import preference_model
from accord.space import compile_space

from .test_properties import SETTINGS, scenarios


def test_the_unknowns_give_the_agreement_spaces_utilities_and_the_robust_profiles() -> None:
    scenario = load_scenario("cairo-2024")
    space = compile_space(scenario)
    point = preference_model(scenario).point_profiles()
    for j, party in enumerate(space.negotiators):
        u = unknowns_of(scenario, party)
        terms = np.vstack([u.term[i.id] for i in scenario.issues])
        assert np.allclose(terms @ u.polytope.start, point.theta[j, 0])
        assert u.polytope.start[u.reservation_index] == space.reservation[j]
        for _, chosen in space.proposals:
            by_space = sum(c[k, j] for c, k in zip(space.contributions, chosen, strict=True))
            choice = {i.id: k for i, k in zip(scenario.issues, chosen, strict=True)}
            assert np.isclose(u.utility_row(choice) @ u.polytope.start, by_space)


def _uncertain(scenario: Scenario) -> Scenario:
    """Every estimate free to move: walk-aways over [0, 1], weights over the simplex, each
    value over its issue's scale (the ends of the scale stay: they anchor it)."""
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["accord"] = 1
    for pref in data["preferences"].values():
        pref["reservation"] = {"value": pref["reservation"], "range": [0.0, 1.0]}
        pref["weights_concentration"] = 10
        for issue, table in pref["values"].items():
            low, high = min(table.values()), max(table.values())
            pref["values"][issue] = {
                o: v if v in (low, high) else {"value": v, "range": [low, high]}
                for o, v in table.items()
            }
    return Scenario.model_validate(data)


@SETTINGS
@given(scenarios())
def test_every_point_the_chains_reach_keeps_to_the_region(scenario: Scenario) -> None:
    scenario = _uncertain(scenario)
    known = {p: unknowns_of(scenario, p) for p in scenario.preferences}
    pieces = evidence_of(scenario, known)
    for party, u in known.items():
        region = region_of(scenario, u, [e for e in pieces if e.party == party])
        found = deepest_point(region)
        if found is None:
            continue
        x = Chains.start(region, found[0], 32).walk(30, np.random.default_rng(0))
        assert (x @ region.a_ub.T - region.b_ub).max() <= 1e-9
        assert np.abs(x @ region.a_eq.T - region.b_eq).max() <= 1e-9
