"""The uncertain-number type and its validation inside a scenario file."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from accord.model import ScenarioError, load_scenario
from accord.model.estimates import Estimate, ReservationEstimate, WeightEstimate


class _Holder(BaseModel):
    w: WeightEstimate = Estimate.model_validate(1.0)
    r: ReservationEstimate = Estimate.model_validate(0.5)


def test_plain_number_is_a_fixed_estimate() -> None:
    e = Estimate.model_validate(0.3)
    assert e.point == 0.3
    assert e.distribution == "fixed"
    assert e.support == (0.3, 0.3)
    assert not e.is_uncertain
    assert e.model_dump() == 0.3  # written back as the plain number


@pytest.mark.parametrize(
    ("data", "point", "distribution", "support"),
    [
        ({"value": 0.3, "range": [0.2, 0.45]}, 0.3, "uniform", (0.2, 0.45)),
        ({"dist": "uniform", "low": 0.2, "high": 0.4}, pytest.approx(0.3), "uniform", (0.2, 0.4)),
        ({"dist": "triangular", "low": 0, "mode": 0.1, "high": 1}, 0.1, "triangular", (0, 1)),
        ({"dist": "normal", "mean": 0.4, "sd": 0.1}, 0.4, "normal", (-math.inf, math.inf)),
        (
            {"dist": "normal", "mean": 0.4, "sd": 0.1, "range": [0.3, 0.6]},
            0.4,
            "normal",
            (0.3, 0.6),
        ),
        ({"value": 0.3, "range": [0.3, 0.3]}, 0.3, "fixed", (0.3, 0.3)),
    ],
)
def test_each_form_gives_its_point_and_support(
    data: dict[str, Any], point: Any, distribution: str, support: tuple[float, float]
) -> None:
    e = Estimate.model_validate(data)
    assert e.point == point
    assert e.distribution == distribution
    assert e.support == support
    assert Estimate.model_validate(e.model_dump()) == e  # round trip


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"value": 0.3, "range": [0.5, 0.2]}, "low end is at most its high end"),
        ({"value": 0.9, "range": [0.2, 0.5]}, "a value inside its range"),
        ({"dist": "normal", "mean": 0.3, "sd": 0}, "sd greater than 0"),
        ({"dist": "normal", "mean": 0.3, "sd": -1}, "sd greater than 0"),
        ({"dist": "triangular", "low": 0, "mode": 2, "high": 1}, "mode inside [low, high]"),
        ({"dist": "uniform", "low": 0.2}, "low and high"),
        ({"dist": "uniform", "low": 0, "high": 1, "sd": 1}, "not sd"),
        ({"dist": "normal", "sd": 1}, "a mean"),
        ({"range": [0, 1], "low": 0}, "not both"),
        ({"sd": 0.1, "value": 1}, "dist: triangular or normal"),
        ({"dist": "lognormal", "value": 1}, "uniform"),
        ("high", "a valid number"),
        (True, "a valid number"),
        (math.inf, "finite"),
    ],
)
def test_impossible_estimates_are_clear_errors(data: Any, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        Estimate.model_validate(data)
    assert words in str(info.value)


@pytest.mark.parametrize(
    ("field", "data", "words"),
    [
        ("w", -1, "weight greater than or equal to 0"),
        ("w", {"value": 0.1, "range": [-0.1, 0.3]}, "over its whole range"),
        ("r", 1.5, "less than or equal to 1"),
        ("r", {"value": 0.5, "range": [0.4, 1.2]}, "over its whole range"),
        ("r", {"dist": "normal", "mean": 1.3, "sd": 0.1}, "less than or equal to 1"),
    ],
)
def test_estimates_outside_their_domain_are_errors(field: str, data: Any, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        _Holder.model_validate({field: data})
    assert words in str(info.value)


def test_normal_without_bounds_is_truncated_to_the_domain_not_rejected() -> None:
    h = _Holder.model_validate({"r": {"dist": "normal", "mean": 0.95, "sd": 0.2}})
    assert h.r.support == (-math.inf, math.inf)  # the sampler truncates to [0, 1]


def test_file_errors_name_the_estimate_and_its_line(base: dict[str, Any], write_yaml: Any) -> None:
    base["preferences"]["ana"]["reservation"] = {"value": 0.5, "range": [0.6, 0.4]}
    base["preferences"]["ben"]["weights"]["rent"] = {"dist": "normal", "mean": 1, "sd": 0}
    base["preferences"]["ben"]["values"]["dishes"]["shared"] = {
        "dist": "triangular",
        "low": 0,
        "mode": 12,
        "high": 10,
    }
    path = write_yaml(base)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    text = str(info.value)
    assert "preferences.ana.reservation" in text
    assert "preferences.ben.weights.rent" in text
    assert "preferences.ben.values.dishes.shared" in text
    assert all(p.line is not None for p in info.value.problems)
    assert len(info.value.problems) == 3  # every mistake, not just the first


def test_weights_concentration_excludes_ranges_on_weights(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ana"]["weights_concentration"] = 30
    base["preferences"]["ana"]["weights"]["rent"] = {"value": 3, "range": [2, 4]}
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(write_yaml(base)))
    assert "weights_concentration or ranges" in str(info.value)


@pytest.mark.parametrize("bad", [0, -5])
def test_weights_concentration_must_be_positive(
    base: dict[str, Any], write_yaml: Any, bad: float
) -> None:
    base["preferences"]["ana"]["weights_concentration"] = bad
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(write_yaml(base)))
    assert "preferences.ana.weights_concentration" in str(info.value)


def test_a_weight_that_may_become_positive_needs_values(
    base: dict[str, Any], write_yaml: Any
) -> None:
    base["preferences"]["ben"]["weights"]["dishes"] = {"value": 0, "range": [0, 0.5]}
    del base["preferences"]["ben"]["values"]["dishes"]
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(write_yaml(base)))
    assert "whose weight may be positive" in str(info.value)


def test_uncertain_estimates_keep_the_point_analysis_unchanged(
    base: dict[str, Any], write_yaml: Any
) -> None:
    from accord.space import compile_space

    plain = compile_space(load_scenario(str(write_yaml(base, "plain.yaml"))))
    base["preferences"]["ana"]["reservation"] = {"value": 0.3, "range": [0.2, 0.6]}
    base["preferences"]["ana"]["weights"]["dishes"] = {
        "dist": "triangular",
        "low": 0.5,
        "mode": 1,
        "high": 2,
    }
    base["preferences"]["ben"]["values"]["rent"] = [[40, 0], [60, {"value": 1, "range": [0.5, 2]}]]
    uncertain = compile_space(load_scenario(str(write_yaml(base, "uncertain.yaml"))))
    for a, b in zip(plain.contributions, uncertain.contributions, strict=True):
        assert (a == b).all()
    assert (plain.reservation == uncertain.reservation).all()


def test_the_cairo_scenario_round_trips_with_its_estimates(tmp_path: Any) -> None:
    from accord.model.loader import dump_scenario

    scenario = load_scenario()
    for ext in ("yaml", "json"):
        path = tmp_path / f"cairo.{ext}"
        dump_scenario(scenario, path)
        again = load_scenario(str(path))
        assert again == scenario
        assert again.preferences["hamas"].reservation.distribution == "normal"
        assert again.preferences["hamas"].weights_concentration == 40
