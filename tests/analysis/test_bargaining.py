"""Bargaining solutions: brute-force agreement, their definitions, and their invariances."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import solution
from space_strategies import small_spaces

from accord.analysis.agreement_space import prepare_space
from accord.analysis.bargaining import (
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)
from accord.analysis.dominance import nondominated_mask
from accord.analysis.solutions import SOLUTION_NAMES
from accord.space.compiled import CompiledSpace

SOLVERS = {
    "nash": nash_bargaining,
    "kalai_smorodinsky": kalai_smorodinsky,
    "egalitarian": egalitarian,
    "utilitarian": utilitarian,
}


@settings(max_examples=70, deadline=None)
@given(small_spaces())
def test_solutions_match_their_brute_force_definitions(space: CompiledSpace) -> None:
    solved = prepare_space(space, tol=0.0).solve()
    for name in SOLUTION_NAMES:
        expected = solution(space, name)
        got = solved[name]
        if expected is None:
            assert got is None
            continue
        assert got is not None
        package, _, ties = got
        assert (package, ties) == expected, name


def score(name: str, u: np.ndarray, r: np.ndarray, ideal: list[Fraction]) -> Fraction:
    g = [max(Fraction(int(x)) - Fraction(int(y)), Fraction(0)) for x, y in zip(u, r, strict=True)]
    if name == "nash":
        out = Fraction(1)
        for x in g:
            out *= x
        return out
    if name == "egalitarian":
        return min(g)
    if name == "utilitarian":
        return sum((Fraction(int(x)) for x in u), Fraction(0))
    active = [j for j, v in enumerate(ideal) if v > 0]
    return min((g[j] / ideal[j] for j in active), default=Fraction(0))


@st.composite
def candidate_sets(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    d = draw(st.integers(2, 4))
    n = draw(st.integers(1, 25))
    u = np.array(draw(st.lists(st.integers(3, 9), min_size=n * d, max_size=n * d))).reshape(n, d)
    r = np.array(draw(st.lists(st.integers(0, 3), min_size=d, max_size=d)))
    return u.astype(np.int64), r.astype(np.int64)


@settings(max_examples=100, deadline=None)
@given(candidate_sets())
def test_each_solution_satisfies_its_definition(case) -> None:
    u, r = case
    ideal = [Fraction(int(u[:, j].max() - r[j])) for j in range(u.shape[1])]
    front = nondominated_mask(u)
    for name, solve in SOLVERS.items():
        winners = solve(u, r)
        scores = [score(name, row, r, ideal) for row in u]
        best = max(scores)
        assert winners.size >= 1
        assert {int(i) for i in winners} == {
            i for i, s in enumerate(scores) if s == best and front[i]
        }, name


AFFINE = {"nash", "kalai_smorodinsky"}


@settings(max_examples=80, deadline=None)
@given(
    candidate_sets(),
    st.integers(0, 3),
    st.sampled_from([1, 2, 3, 7]),
    st.integers(-5, 5),
    st.integers(0, 2**16),
)
def test_invariances(case, party: int, a: int, b: int, seed: int) -> None:
    u, r = case
    party %= u.shape[1]
    perm = np.random.default_rng(seed).permutation(u.shape[0])
    scaled_u, scaled_r = u.copy(), r.copy()
    scaled_u[:, party] = a * u[:, party] + b
    scaled_r[party] = a * r[party] + b
    shifted_u, shifted_r = u.copy(), r.copy()
    shifted_u[:, party] += b
    shifted_r[party] += b
    for name, solve in SOLVERS.items():
        base = {int(i) for i in solve(u, r)}
        # reordering the candidates (as reordering issues or options does) changes nothing
        assert {int(perm[i]) for i in solve(u[perm], r)} == base
        # translating a party's utilities and reservation together changes nothing
        assert {int(i) for i in solve(shifted_u, shifted_r)} == base, name
        # positive affine rescaling: promised by Nash and Kalai-Smorodinsky only
        if name in AFFINE:
            assert {int(i) for i in solve(scaled_u, scaled_r)} == base, name


def test_egalitarian_returns_only_pareto_optimal_maximisers() -> None:
    # (1, 5) and (1, 3) both have the smallest gain 1; (1, 3) is dominated and is not returned.
    u = np.array([[1, 5], [1, 3], [0, 9]])
    assert egalitarian(u, np.array([0, 0])).tolist() == [0]


def test_degenerate_nash_product_keeps_pareto_optimal_ties() -> None:
    # Every product is zero (party 0 cannot gain): all Pareto-optimal candidates tie.
    u = np.array([[2, 5], [2, 3], [2, 9]])
    assert nash_bargaining(u, np.array([2, 0])).tolist() == [2]
    assert kalai_smorodinsky(u, np.array([2, 0])).tolist() == [2]


def test_float_inputs_are_decided_exactly() -> None:
    u = np.array([[0.5, 0.25], [0.25, 0.5], [0.375, 0.375]])
    assert nash_bargaining(u, np.zeros(2)).tolist() == [2]
    assert sorted(utilitarian(u, np.zeros(2)).tolist()) == [0, 1, 2]


def test_rejects_mismatched_shapes() -> None:
    with pytest.raises(ValueError):
        nash_bargaining(np.zeros((3, 2)), np.zeros(3))
