"""Sampling by inversion, seeded blocks, and the normalisation of sampled profiles."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from accord.model import load_scenario, scenario_from_data
from accord.model.estimates import Estimate
from accord.robust.from_scenario import preference_model
from accord.robust.parameters import (
    NegotiatorUncertainty,
    PreferenceModel,
    UncertainParameter,
    block_generator,
    sample_block,
)
from accord.space import compile_space

sys.path.insert(0, str(Path(__file__).parents[1] / "analysis"))
from scenario_strategies import normalized_scenarios


def _one_party_model(reservation: UncertainParameter) -> PreferenceModel:
    def party(name: str, r: UncertainParameter) -> NegotiatorUncertainty:
        return NegotiatorUncertainty(
            party=name,
            weights=(UncertainParameter.fixed(f"{name}.w", 1.0),),
            values=(
                (
                    UncertainParameter.fixed(f"{name}.a", 0.0),
                    UncertainParameter.fixed(f"{name}.b", 1.0),
                ),
            ),
            value_maps=(np.eye(2),),
            reservation=r,
        )

    return PreferenceModel(
        (party("x", reservation), party("y", UncertainParameter.fixed("y.r", 0.1)))
    )


@pytest.mark.parametrize(
    ("estimate", "domain", "reference"),
    [
        ({"value": 0.3, "range": [0.2, 0.6]}, (0, 1), stats.uniform(0.2, 0.4)),
        (
            {"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.7},
            (0, 1),
            stats.triang(c=(0.2 - 0.1) / 0.6, loc=0.1, scale=0.6),
        ),
        (
            {"dist": "normal", "mean": 0.9, "sd": 0.2},
            (0, 1),
            stats.truncnorm((0 - 0.9) / 0.2, (1 - 0.9) / 0.2, loc=0.9, scale=0.2),
        ),
    ],
)
def test_inversion_samples_follow_the_stated_distribution(
    estimate: dict[str, object], domain: tuple[float, float], reference: object
) -> None:
    param = UncertainParameter.from_estimate("x.r", Estimate.model_validate(estimate), domain)
    model = _one_party_model(param)
    draws = sample_block(model, np.random.default_rng(7), 4000).reservation[:, 0]
    assert draws.min() >= domain[0] and draws.max() <= domain[1]
    # Kolmogorov-Smirnov against scipy's implementation of the same law
    assert stats.kstest(draws, reference.cdf).pvalue > 1e-3  # type: ignore[attr-defined]


def test_quantiles_are_the_distribution_function_at_the_sample() -> None:
    param = UncertainParameter.from_estimate(
        "x.r", Estimate.model_validate({"dist": "normal", "mean": 0.5, "sd": 0.1}), (0, 1)
    )
    model = _one_party_model(param)
    prof = sample_block(model, np.random.default_rng(3), 500)
    col = len(model.negotiators[0].parameters()) - 1
    law = stats.truncnorm(-5, 5, loc=0.5, scale=0.1)
    np.testing.assert_allclose(prof.quantiles[:, col], law.cdf(prof.reservation[:, 0]), atol=1e-9)
    # fixed parameters have no quantile
    assert np.isnan(prof.quantiles[:, 0]).all()


def test_block_generator_is_the_spawned_child() -> None:
    children = np.random.SeedSequence(42).spawn(5)
    for b in (0, 3, 4):
        expected = np.random.Generator(np.random.PCG64(children[b])).random(3)
        assert (block_generator(42, b).random(3) == expected).all()


def test_dirichlet_weights_centre_on_the_point_weights() -> None:
    scenario = load_scenario()  # hamas's weights carry weights_concentration: 40
    model = preference_model(scenario)
    hamas = model.parties.index("hamas")
    party = model.negotiators[hamas]
    prof = sample_block(model, np.random.default_rng(0), 4000)
    # the normalised weight of issue i is the sum of its theta over the issue's best option
    point = np.array([w.point for w in party.weights])
    mean = point / point.sum()
    offsets = np.concatenate([[0], np.cumsum(party.sizes)[:-1]])
    weights = np.stack(
        [
            prof.theta[hamas, :, o : o + s].max(axis=1)
            for o, s in zip(offsets, party.sizes, strict=True)
        ],
        axis=1,
    )
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(weights.mean(axis=0), mean, atol=0.01)
    # Dirichlet variance: m (1 - m) / (c + 1)
    np.testing.assert_allclose(weights.var(axis=0), mean * (1 - mean) / 41, rtol=0.15)


def test_point_profile_equals_the_compiled_space() -> None:
    scenario = load_scenario()
    space = compile_space(scenario)
    prof = preference_model(scenario).point_profiles()
    theta = np.concatenate(space.contributions, axis=0).T
    np.testing.assert_allclose(prof.theta[:, 0, :], theta, atol=1e-15)
    np.testing.assert_array_equal(prof.reservation[0], space.reservation)


def test_sampled_values_are_normalised_per_issue() -> None:
    model = preference_model(load_scenario())
    prof = sample_block(model, np.random.default_rng(1), 256)
    sizes = model.sizes
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    for j in range(2):
        per_issue_max = np.stack(
            [prof.theta[j, :, o : o + s].max(axis=1) for o, s in zip(offsets, sizes, strict=True)],
            axis=1,
        )
        per_issue_min = np.stack(
            [prof.theta[j, :, o : o + s].min(axis=1) for o, s in zip(offsets, sizes, strict=True)],
            axis=1,
        )
        np.testing.assert_allclose(per_issue_max.sum(axis=1), 1.0, atol=1e-12)  # weights sum to 1
        np.testing.assert_allclose(per_issue_min, 0.0, atol=1e-15)  # the worst option is 0
    assert math.isfinite(prof.theta.sum())


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_point_profile_equals_the_compiled_space_in_every_normalize_mode(
    data: st.DataObject,
) -> None:
    """The robustness tools rescale each sample as the block's `normalize` says (issue 17)."""
    scenario = scenario_from_data(data.draw(normalized_scenarios())).scenario
    space = compile_space(scenario)
    prof = preference_model(scenario).point_profiles()
    theta = np.concatenate(space.contributions, axis=0).T
    np.testing.assert_allclose(prof.theta[:, 0, :], theta, atol=1e-15)
