"""One exact grid rule (issue 12, item 2): decimals are rationals, in check and everywhere after.

The rule is tested against a brute-force reference in exact fractions, and the compiled space is
shown to read the same grid, so that what ``accord check`` accepts every command reads the same.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from accord import limits
from accord.model import ScenarioError, scenario_from_data
from accord.model.numbers import rational
from accord.model.schema import NumericRange
from accord.space.compile import compile_issue

decimals = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False)
steps = st.decimals(min_value=Decimal("0.001"), max_value=50, places=3)


def _reference(low: Fraction, step: Fraction, count: int) -> list[Fraction]:
    return [low + k * step for k in range(count)]


@settings(max_examples=200, deadline=None)
@given(low=decimals, step=steps, count=st.integers(1, 60), probe=decimals)
def test_values_and_index_of_agree_with_exact_fractions(
    low: Decimal, step: Decimal, count: int, probe: Decimal
) -> None:
    lo, st_, hi = Fraction(low), Fraction(step), Fraction(low) + (count - 1) * Fraction(step)
    r = NumericRange(min=float(low), max=float(hi), step=float(step))
    assert r.count == count
    exact = _reference(lo, st_, count)
    assert r.values() == tuple(float(x) for x in exact)  # each the nearest float
    for k, x in enumerate(r.values()):
        assert r.index_of(x) == k
    want = exact.index(Fraction(probe)) if Fraction(probe) in exact else None
    assert r.index_of(float(probe)) == want
    assert rational(float(probe)) == Fraction(probe)


def test_a_step_that_divides_the_range_exactly_is_accepted() -> None:
    assert NumericRange(min=0, max=0.3, step=0.1).count == 4  # float says 2.9999999999999996
    with limits.raised("MAX_RANGE_OPTIONS", 10**10):
        r = NumericRange(min=80000, max=110000, step=1e-5)
        assert r.count == 3 * 10**9 + 1
        assert r.index_of(80000.00001) == 1
        assert r.index_of(109999.99999) == 3 * 10**9 - 1
        assert r.index_of(80000.000015) is None


def test_a_huge_step_is_no_whole_number_of_steps() -> None:
    with pytest.raises(ValidationError, match="whole number of steps"):
        NumericRange(min=10, max=20, step=1e300)


@pytest.mark.parametrize(
    "bounds", [(0, 10**15, 1), (0, 1.0e308, 1.0e-308), (-1.7e308, 1.7e308, 5e-324)]
)
def test_ranges_past_the_limit_are_refused_without_overflow(bounds: tuple[float, ...]) -> None:
    with pytest.raises(ValidationError, match="at most 2,000,000 values in a range"):
        NumericRange(min=bounds[0], max=bounds[1], step=bounds[2])


def test_check_and_compile_read_the_same_grid(base: dict[str, Any]) -> None:
    base["issues"][1]["range"] = {"min": 0.1, "max": 0.7, "step": 0.1}
    base["preferences"]["ana"]["values"]["rent"] = [[0.1, 1], [0.7, 0]]
    base["preferences"]["ben"]["values"]["rent"] = [[0.1, 0], [0.7, 1]]
    base["constraints"] = []
    base["positions"] = []
    base["proposals"][0]["package"]["rent"] = 0.3
    scenario = scenario_from_data(base).scenario
    issue = scenario.issue("rent")
    assert issue.range is not None
    assert compile_issue(issue).numeric == issue.range.values()
    assert issue.range.values()[2] == 0.3  # not 0.30000000000000004


def test_an_off_grid_proposal_value_is_refused_not_rounded(base: dict[str, Any]) -> None:
    base["issues"][1]["range"] = {"min": 10, "max": 20, "step": 10}
    base["preferences"]["ana"]["values"]["rent"] = [[10, 1], [20, 0]]
    base["preferences"]["ben"]["values"]["rent"] = [[10, 0], [20, 1]]
    base["constraints"] = []
    base["positions"] = []
    base["proposals"][0]["package"]["rent"] = 15
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(base)
    (problem,) = info.value.problems
    assert problem.path == ("proposals", 0, "package", "rent")
    assert "in steps of 10" in problem.expected


def test_values_equal_at_every_step_are_found_at_load_not_by_compile(
    base: dict[str, Any],
) -> None:
    """Points that differ can still give one value at every step: 0 and 1 on 40..60 by 20."""
    base["issues"][1]["range"] = {"min": 40, "max": 60, "step": 20}
    base["preferences"]["ana"]["values"]["rent"] = [[40, 0], [50, 1], [60, 0]]
    base["constraints"] = []
    base["positions"] = []
    base["proposals"][0]["package"]["rent"] = 40
    with pytest.raises(ScenarioError) as info:
        scenario_from_data(base)
    (problem,) = info.value.problems
    assert problem.path == ("preferences", "ana", "values", "rent")
    assert "values that differ between options" in problem.expected
