"""Minimal guarantor penalties (Walter 2002): the LP against its closed form, and monotonicity."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from phased_example import hand_exchange, hand_plan
from phased_strategies import exchange_and_plan

from accord.phased import evaluate_plan, minimal_guarantees


def test_hand_worked_example_needs_a_penalty_of_three_on_b() -> None:
    g = minimal_guarantees(hand_exchange(), hand_plan())
    assert [Fraction(x) for x in g.required] == [0, 3]
    assert g.binding == (None, "two, after A delivered")
    assert g.recheck.self_enforcing
    assert g.recheck.weakest.margin == 0.0


@settings(max_examples=40, deadline=None)
@given(exchange_and_plan())
def test_lp_matches_the_closed_form_and_rechecks(case) -> None:  # type: ignore[no-untyped-def]
    ex, plan = case
    g = minimal_guarantees(ex, plan)
    bare = evaluate_plan(ex.with_penalty(np.zeros(2)), plan)
    closed = np.maximum(0.0, -bare.margin.min(axis=1))
    np.testing.assert_allclose(g.required, closed, atol=1e-7)
    assert g.recheck.self_enforcing
    np.testing.assert_allclose(g.extra, np.maximum(closed - ex.penalty, 0.0), atol=1e-7)
    # and nothing smaller works: lower any positive penalty and the plan fails
    for j in range(2):
        if g.required[j] > 1e-6:
            lower = g.required.copy()
            lower[j] -= 1e-3
            assert not evaluate_plan(ex.with_penalty(lower), plan).self_enforcing


@settings(max_examples=60, deadline=None)
@given(exchange_and_plan(), st.integers(0, 1), st.floats(0, 50))
def test_raising_a_penalty_never_breaks_a_self_enforcing_plan(case, j, raise_by) -> None:  # type: ignore[no-untyped-def]
    ex, plan = case
    before = evaluate_plan(ex, plan)
    higher = ex.penalty.copy()
    higher[j] += raise_by
    after = evaluate_plan(ex.with_penalty(higher), plan)
    assert np.all(after.margin >= before.margin - 1e-12)
    if before.self_enforcing:
        assert after.self_enforcing
