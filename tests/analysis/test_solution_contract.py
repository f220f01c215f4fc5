"""Contract tests every registered solution concept gets for free (issue 13, item 7).

In the pattern of axelrod's strategy tests: one test class, parametrised over
:data:`accord.analysis.solutions.SOLUTION_CONCEPTS`; a concept added to the registry is
checked by every test here without further code, once the exact reference
(``space_reference.criterion``) defines it.  The contract:

- the winners are exactly the Pareto-optimal candidates of maximal score, the score
  computed by the exact reference from the concept's definition, with each negotiator's
  integers divided by its scale;
- relabelling the candidates (their order) or the negotiators (their order, with their
  reservations and scales) maps the winner set to itself;
- the invariance the concept's docstring claims holds: a positive affine map of one
  negotiator's utilities and reservation ("positive affine": Nash, Kalai-Smorodinsky),
  or a translation of each negotiator's and one common positive factor ("translation":
  egalitarian, utilitarian); writing a negotiator's utilities in finer units (integers
  and scale multiplied together) never changes anything;
- on whole agreement spaces, the solution `analyze` reports is the reference's:
  the lexicographically smallest Pareto-optimal maximiser in the ZOPA, with its ties.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import REFERENCE_CONCEPTS, criterion, dominates, solution
from space_strategies import small_spaces

from accord.analysis import SOLUTION_CONCEPTS, SOLUTION_NAMES, SolutionConcept, solution_concept
from accord.analysis.agreement_space import prepare_space
from accord.space.compiled import CompiledSpace

Case = tuple[np.ndarray, np.ndarray, tuple[int, ...]]


@st.composite
def candidates(draw: st.DrawFn) -> Case:
    """Integer utilities (n, d) and reservation (d,) over per-negotiator scales: many ties."""
    d = draw(st.integers(1, 4))
    n = draw(st.integers(1, 20))
    u = draw(st.lists(st.integers(0, 8), min_size=n * d, max_size=n * d))
    r = draw(st.lists(st.integers(0, 4), min_size=d, max_size=d))
    scale = tuple(draw(st.sampled_from([1, 1, 2, 3, 6])) for _ in range(d))
    return np.array(u, dtype=np.int64).reshape(n, d), np.array(r, dtype=np.int64), scale


def exact(u: np.ndarray, scale: tuple[int, ...]) -> list[tuple[Fraction, ...]]:
    return [tuple(Fraction(int(x), s) for x, s in zip(row, scale, strict=True)) for row in u]


def winners(concept: SolutionConcept, case: Case) -> set[int]:
    u, r, scale = case
    return {int(i) for i in concept.winners(u, r, scale=scale)}


@pytest.mark.parametrize("concept", SOLUTION_CONCEPTS, ids=SOLUTION_NAMES)
class TestSolutionConcept:
    def test_is_registered_completely(self, concept: SolutionConcept) -> None:
        assert solution_concept(concept.name) is concept
        assert concept.name in REFERENCE_CONCEPTS, "define the concept in space_reference"
        assert concept.label and concept.title[0].isupper()
        assert re.search(r"\(.*\d{4}\)", concept.rule), "the rule cites its source"
        assert concept.invariance in {"positive affine", "translation"}

    @settings(max_examples=60, deadline=None)
    @given(case=candidates())
    def test_winners_are_the_pareto_optimal_maximisers(
        self, concept: SolutionConcept, case: Case
    ) -> None:
        u, r, scale = case
        points = exact(u, scale)
        score = criterion(concept.name, points, exact(r[None, :], scale)[0])
        best = max(score)
        expected = {
            i
            for i, s in enumerate(score)
            if s == best and not any(dominates(p, points[i]) for p in points)
        }
        got = concept.winners(u, r, scale=scale)
        assert got.tolist() == sorted(got.tolist())
        assert set(got.tolist()) == expected

    @settings(max_examples=40, deadline=None)
    @given(case=candidates(), seed=st.integers(0, 2**16))
    def test_relabelling_packages_and_negotiators_maps_the_winners(
        self, concept: SolutionConcept, case: Case, seed: int
    ) -> None:
        u, r, scale = case
        base = winners(concept, case)
        rng = np.random.default_rng(seed)
        rows = rng.permutation(u.shape[0])
        assert {int(rows[i]) for i in winners(concept, (u[rows], r, scale))} == base
        cols = rng.permutation(u.shape[1])
        permuted = (u[:, cols], r[cols], tuple(scale[c] for c in cols))
        assert winners(concept, permuted) == base

    @settings(max_examples=40, deadline=None)
    @given(
        case=candidates(),
        party=st.integers(0, 3),
        factor=st.sampled_from([2, 3, 7]),
        shift=st.integers(-5, 5),
        finer=st.sampled_from([2, 5]),
    )
    def test_the_invariance_it_claims(
        self, concept: SolutionConcept, case: Case, party: int, factor: int, shift: int, finer: int
    ) -> None:
        u, r, scale = case
        party %= u.shape[1]
        base = winners(concept, case)
        if concept.invariance == "positive affine":
            mapped_u, mapped_r = u.copy(), r.copy()
            mapped_u[:, party] = factor * u[:, party] + shift
            mapped_r[party] = factor * r[party] + shift
            assert winners(concept, (mapped_u, mapped_r, scale)) == base
        else:
            shifts = np.array([shift * (j + 1) for j in range(u.shape[1])])
            assert winners(concept, (factor * u + shifts, factor * r + shifts, scale)) == base
        # the same utilities in finer units of one negotiator
        finer_u, finer_r = u.copy(), r.copy()
        finer_u[:, party] *= finer
        finer_r[party] *= finer
        finer_scale = tuple(s * finer if j == party else s for j, s in enumerate(scale))
        assert winners(concept, (finer_u, finer_r, finer_scale)) == base

    @settings(max_examples=50, deadline=None)
    @given(space=small_spaces())
    def test_analyze_reports_the_reference_solution(
        self, concept: SolutionConcept, space: CompiledSpace
    ) -> None:
        found = prepare_space(space, tol=0.0).solve()[concept.name]
        expected = solution(space, concept.name)
        if expected is None:
            assert found is None
            return
        assert found is not None
        package, _, ties = found
        assert (package, ties) == expected


def test_unknown_concepts_name_the_registered_ones() -> None:
    with pytest.raises(KeyError, match="expected one of: nash, kalai_smorodinsky"):
        solution_concept("rawls")
