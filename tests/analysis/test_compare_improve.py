"""Comparing packages and searching for improvements, against brute force."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import brute, dominates, exact_utility, reservation
from space_strategies import small_spaces, worked_example

from accord.analysis.compare import compare_packages, resolve_package
from accord.analysis.improve import improve_package
from accord.space.compiled import CompiledSpace


@st.composite
def space_and_two_packages(draw: st.DrawFn):
    space = draw(small_spaces())
    pick = [st.tuples(*(st.integers(0, i.size - 1) for i in space.issues)) for _ in range(2)]
    return space, draw(pick[0]), draw(pick[1])


@settings(max_examples=60, deadline=None)
@given(space_and_two_packages())
def test_issue_changes_add_up_and_verdicts_follow(case) -> None:
    space, a, b = case
    result = compare_packages(space, a, b)
    ua, ub = exact_utility(space, a), exact_utility(space, b)
    assert result.issues_changed == sum(x != y for x, y in zip(a, b, strict=True))
    for j, person in enumerate(result.negotiators):
        split = sum(issue.utility_change[person.negotiator] for issue in result.issues)
        assert split == pytest.approx(person.change, abs=1e-9)
        truth = ub[j] - ua[j]
        expected = "gains" if truth > 0 else "loses" if truth < 0 else "indifferent"
        assert person.verdict == expected
    back = compare_packages(space, b, a)
    assert [p.verdict for p in back.negotiators] == [
        {"gains": "loses", "loses": "gains", "indifferent": "indifferent"}[p.verdict]
        for p in result.negotiators
    ]
    for issue in result.issues:
        assert issue.changed == (issue.before != issue.after)


def test_compare_worked_example_against_nash() -> None:
    space = worked_example()
    nash = resolve_package(space, "nash")
    assert nash == (0, 1)
    result = compare_packages(space, (2, 0), nash, a_label="seller-offer", b_label="nash")
    buyer, seller = result.negotiators
    assert (buyer.verdict, buyer.change) == ("gains", 0.125)
    assert (seller.verdict, seller.change) == ("indifferent", 0.0)
    price, delivery = result.issues
    assert price.utility_change == {"buyer": 0.375, "seller": -0.5}
    assert delivery.utility_change == {"buyer": -0.25, "seller": 0.5}
    assert buyer.summary.startswith("buyer gains 0.125 moving from seller-offer to nash")


def test_resolve_rejects_unknown_names_with_the_valid_ones() -> None:
    with pytest.raises(KeyError, match="buyer-offer, seller-offer, nash"):
        resolve_package(worked_example(), "paris")


def brute_improvements(space: CompiledSpace, start: tuple[int, ...]):
    ref = brute(space)
    r = reservation(space)
    u0 = exact_utility(space, start)

    def nash(u):
        out = Fraction(1)
        for x, y in zip(u, r, strict=True):
            out *= max(x - y, Fraction(0))
        return out

    better = [p for p, u in ref.utility.items() if dominates(u, u0)]
    changed = {p: sum(x != y for x, y in zip(p, start, strict=True)) for p in better}
    return sorted(better, key=lambda p: (changed[p], -nash(ref.utility[p]), p)), changed


@settings(max_examples=60, deadline=None)
@given(space_and_two_packages())
def test_improvements_are_every_dominator_ranked(case) -> None:
    space, start, _ = case
    result = improve_package(space, start, limit=10_000, tol=0.0)
    expected, _ = brute_improvements(space, start)
    got = [
        tuple(space.issues[i].labels.index(v) for i, v in enumerate(imp.package.values()))
        for imp in result.improvements
    ]
    assert result.complete
    assert result.dominated_by == len(expected)
    assert result.pareto_optimal == (not expected)
    # same packages; same ranking up to float rounding of equal Nash products
    assert sorted(got) == sorted(expected)
    assert [imp.issues_changed for imp in result.improvements] == sorted(
        imp.issues_changed for imp in result.improvements
    )
    for imp in result.improvements:
        assert all(v >= 0 for v in imp.gain.values()) and any(v > 0 for v in imp.gain.values())
        assert len(imp.changes) == imp.issues_changed


@settings(max_examples=40, deadline=None)
@given(space_and_two_packages(), st.integers(1, 3))
def test_limited_search_lists_the_best_first(case, limit: int) -> None:
    space, start, _ = case
    result = improve_package(space, start, limit=limit, tol=0.0)
    expected, changed = brute_improvements(space, start)
    got = [
        tuple(space.issues[i].labels.index(v) for i, v in enumerate(imp.package.values()))
        for imp in result.improvements
    ]
    assert len(got) == min(limit, len(expected))
    # the fewest-changes ranking is exact: same numbers of changed issues as the brute ranking
    assert [changed[p] for p in got] == [changed[p] for p in expected[: len(got)]]


def test_budget_stops_the_search_and_falls_back_to_the_frontier() -> None:
    space = worked_example()
    result = improve_package(space, (1, 0), label="buyer-offer", budget=0)
    assert not result.complete and result.searched_up_to == 0
    assert [imp.package for imp in result.improvements] == [{"price": "low", "delivery": "slow"}]
    assert result.improvements[0].pareto_optimal


def test_a_pareto_optimal_package_has_no_improvement() -> None:
    result = improve_package(worked_example(), (0, 1), label="nash")
    assert result.pareto_optimal and result.dominated_by == 0 and not result.improvements
    assert np.isclose(result.utility["buyer"], 0.75)


def test_worked_example_improvement_of_the_seller_offer() -> None:
    # docs/explanation/agreement-space.md: (high, fast) -> (low, slow), buyer +1/8, seller +0.
    result = improve_package(worked_example(), (2, 0), label="seller-offer")
    (only,) = result.improvements
    assert result.dominated_by == 1 and result.complete
    assert only.package == {"price": "low", "delivery": "slow"}
    assert only.gain == {"buyer": 0.125, "seller": 0.0}
    assert only.issues_changed == 2 and only.pareto_optimal and only.in_zopa
    assert only.nash_product == 3 / 64
