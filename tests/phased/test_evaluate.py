"""The stage-by-stage evaluator: the hand-worked example, a brute-force reference, invariants."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from phased_example import hand_exchange, hand_plan
from phased_reference import reference_margins
from phased_strategies import exchange_and_plan

from accord.phased import evaluate_plan


def exact(x: float) -> Fraction:
    """The float as a fraction; the example's numbers are dyadic, so floats hold them exactly."""
    return Fraction(x)


def test_hand_worked_two_stage_example_margins() -> None:
    """docs/explanation/phased-deals.md, "A two-stage exchange worked by hand"."""
    a = evaluate_plan(hand_exchange(), hand_plan())
    assert [p.label for p in a.points] == [
        "start of one",
        "one, after A delivered",
        "start of two",
        "two, after A delivered",
    ]
    assert [exact(m) for m in a.margin[0]] == [
        Fraction(9, 8),
        Fraction(33, 8),
        Fraction(3, 2),
        Fraction(9, 2),
    ]
    assert [exact(m) for m in a.margin[1]] == [10, 2, 5, -3]
    assert [exact(v) for v in a.value] == [Fraction(25, 8), 4]
    assert not a.self_enforcing
    assert a.weakest.negotiator == "B"
    assert a.weakest.point.label == "two, after A delivered"
    assert exact(a.weakest.shortfall) == 3
    # what makes the difference at the weakest point: the truce B still owes, the p it still owes
    assert [(d.what, exact(d.value)) for d in a.weakest.drivers] == [
        ("truce (flow)", -2),
        ("p (deliveries and leverage)", -1),
    ]


def test_hand_worked_example_terms() -> None:
    a = evaluate_plan(hand_exchange(), hand_plan())
    # A at the start: h -5/2 delivered - 2 outstanding = -9/2; p +15/4; truce +15/8
    assert exact(a.item_terms[0, 0, 0]) == Fraction(-9, 2)
    assert exact(a.item_terms[0, 0, 1]) == Fraction(15, 4)
    assert exact(a.flow_terms[0, 0, 0]) == Fraction(15, 8)
    assert [exact(w) for w in a.walk_value[0]] == [2, 1, 1, 0]


def test_reversing_the_order_moves_the_weak_point_to_the_other_side() -> None:
    """Whoever delivers last in a stage tempts the other to walk away first (Fearon 1995)."""
    a = evaluate_plan(hand_exchange(), hand_plan(order=("B", "A")))
    assert [exact(m) for m in a.margin[0]] == [
        Fraction(9, 8),
        Fraction(-15, 8),
        Fraction(3, 2),
        Fraction(-3, 2),
    ]
    assert a.weakest.negotiator == "A"
    assert a.weakest.point.label == "one, after B delivered"


def test_penalty_enters_every_margin_one_for_one() -> None:
    base = evaluate_plan(hand_exchange(0.0), hand_plan())
    held = evaluate_plan(hand_exchange(3.0), hand_plan())
    assert np.array_equal(held.margin[1] - base.margin[1], np.full(4, 3.0))
    assert held.self_enforcing


@settings(max_examples=60, deadline=None)
@given(exchange_and_plan())
def test_fast_evaluator_matches_brute_force_reference(case) -> None:  # type: ignore[no-untyped-def]
    ex, plan = case
    a = evaluate_plan(ex, plan)
    ref = np.array(reference_margins(ex, plan))
    np.testing.assert_allclose(a.margin, ref, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(exchange_and_plan())
def test_margin_is_the_sum_of_its_terms_and_carry_minus_walk(case) -> None:  # type: ignore[no-untyped-def]
    ex, plan = case
    a = evaluate_plan(ex, plan)
    total = a.item_terms.sum(-1) + a.flow_terms.sum(-1) + a.base_term + a.penalty_term
    np.testing.assert_allclose(a.margin, total, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(a.margin, a.continue_value - a.walk_value, atol=1e-9)
    assert a.self_enforcing == bool(np.all(a.margin >= -a.tol))
    assert a.weakest.margin == a.margin.min()
