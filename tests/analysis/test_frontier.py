"""The merged Pareto frontier against brute-force enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from space_reference import brute, reservation, units_of
from space_strategies import small_spaces

from accord.analysis.dominance import dominators_mask
from accord.analysis.frontier import frontier_from_groups
from accord.space.compiled import CompiledSpace
from accord.space.groups import independent_groups


def fast_frontier(space: CompiledSpace, threshold: np.ndarray | None = None):
    groups = independent_groups(space)
    return frontier_from_groups(groups, len(space.issues), space.n_negotiators, threshold=threshold)


@settings(max_examples=80, deadline=None)
@given(small_spaces())
def test_frontier_is_the_brute_force_frontier(space: CompiledSpace) -> None:
    front = fast_frontier(space)
    ref = brute(space)
    got = sorted(tuple(int(k) for k in row) for row in front.packages)
    assert got == sorted(ref.frontier)
    # rows come sorted lexicographically and carry their exact utilities
    assert got == [tuple(int(k) for k in row) for row in front.packages]
    for row, u in zip(front.packages, front.utility, strict=True):
        expected = ref.utility[tuple(int(k) for k in row)]
        assert u.tolist() == units_of(space, expected)


@settings(max_examples=60, deadline=None)
@given(small_spaces())
def test_pruned_zopa_frontier_is_frontier_within_zopa(space: CompiledSpace) -> None:
    front = fast_frontier(space, threshold=space.units.reservation)
    ref = brute(space)
    r = reservation(space)
    expected = sorted(
        p for p in ref.frontier if all(x >= y for x, y in zip(ref.utility[p], r, strict=True))
    )
    assert sorted(tuple(int(k) for k in row) for row in front.packages) == expected


@settings(max_examples=40, deadline=None)
@given(small_spaces())
def test_frontier_points_are_mutually_non_dominated(space: CompiledSpace) -> None:
    front = fast_frontier(space)
    for u in front.utility:
        assert not np.any(dominators_mask(front.utility, u))


@settings(max_examples=40, deadline=None)
@given(small_spaces(), st.integers(0, 2**16))
def test_frontier_follows_reordered_issues_and_options(space: CompiledSpace, seed: int) -> None:
    rng = np.random.default_rng(seed)
    issue_perm = rng.permutation(len(space.issues))
    option_perms = [rng.permutation(issue.size) for issue in space.issues]
    # new issue k is old issue issue_perm[k]; new option j of it is old option option_perms[..][j]
    issues = tuple(space.issues[i] for i in issue_perm)
    tables = tuple(space.contributions[i][option_perms[i]] for i in issue_perm)
    inverse = [np.argsort(p) for p in option_perms]
    new_pos = {int(old): new for new, old in enumerate(issue_perm)}
    rules = tuple(
        type(rule)(
            tuple(
                sorted(
                    (new_pos[i], tuple(sorted(int(inverse[i][o]) for o in opts)))
                    for i, opts in rule.options
                )
            ),
            rule.reason,
        )
        for rule in space.forbidden
    )
    shuffled = CompiledSpace(space.negotiators, issues, tables, space.reservation, rules)
    original = {
        tuple(int(inverse[i][row[i]]) for i in issue_perm) for row in fast_frontier(space).packages
    }
    assert {tuple(int(k) for k in row) for row in fast_frontier(shuffled).packages} == original


@settings(max_examples=30, deadline=None)
@given(small_spaces())
def test_frontier_without_flat_codes_matches(space: CompiledSpace) -> None:
    # Spaces beyond 2**62 packages carry option columns instead of flat codes; force that path.
    from accord.analysis import frontier as module

    old = module._CODE_LIMIT
    module._CODE_LIMIT = 0
    try:
        front = fast_frontier(space)
    finally:
        module._CODE_LIMIT = old
    assert [tuple(int(k) for k in row) for row in front.packages] == sorted(brute(space).frontier)


def test_an_enormous_frontier_is_refused_with_a_clear_error() -> None:
    import pytest

    from accord.analysis.frontier import FrontierTooLarge
    from accord.space.compiled import CompiledIssue

    # Fully opposed: every one of the 10**4 packages is on the frontier.
    values = np.arange(10, dtype=np.float64) / 16
    table = np.stack([values, 1 - values], axis=1) / 4
    space = CompiledSpace(
        ("a", "b"),
        tuple(CompiledIssue(f"i{k}", f"i{k}", tuple(map(str, range(10)))) for k in range(4)),
        (table, table / 2, table / 4, table / 8),
        np.zeros(2),
    )
    assert fast_frontier(space).size == 10**4
    groups = independent_groups(space)
    with pytest.raises(FrontierTooLarge, match="more than 5,000 packages"):
        frontier_from_groups(groups, 4, 2, max_size=5000)
