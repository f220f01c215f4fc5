"""The non-dominated filter against a pairwise O(n^2) reference."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.dominance import dominates, dominators_mask, nondominated_mask


def pairwise_reference(points: np.ndarray) -> np.ndarray:
    n = points.shape[0]
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        for j in range(n):
            if np.all(points[j] >= points[i]) and np.any(points[j] > points[i]):
                keep[i] = False
                break
    return keep


@st.composite
def point_sets(draw: st.DrawFn) -> np.ndarray:
    d = draw(st.integers(1, 5))
    n = draw(st.integers(0, 60))
    values = draw(st.lists(st.integers(0, 4), min_size=n * d, max_size=n * d))
    return np.array(values, dtype=np.int64).reshape(n, d)


@settings(max_examples=150, deadline=None)
@given(point_sets())
def test_matches_pairwise_reference(points: np.ndarray) -> None:
    assert np.array_equal(nondominated_mask(points), pairwise_reference(points))


@settings(max_examples=60, deadline=None)
@given(point_sets())
def test_kept_points_are_mutually_non_dominated_and_cover_the_rest(points: np.ndarray) -> None:
    keep = nondominated_mask(points)
    front = points[keep]
    for p in front:
        assert not np.any(dominators_mask(front, p))
    for p in points[~keep]:
        assert np.any(dominators_mask(front, p))


def test_duplicates_of_a_frontier_point_are_all_kept() -> None:
    points = np.array([[1, 2], [1, 2], [2, 1], [0, 0], [2, 1]])
    assert nondominated_mask(points).tolist() == [True, True, True, False, True]


def test_weak_dominance_removes_points_equal_in_one_coordinate() -> None:
    points = np.array([[3, 1, 1], [3, 1, 2], [2, 2, 2]])
    assert nondominated_mask(points).tolist() == [False, True, True]
    assert dominates(points[1], points[0])
    assert not dominates(points[0], points[0])


def test_fully_opposed_points_are_all_kept() -> None:
    x = np.arange(1000)
    assert nondominated_mask(np.stack([x, 999 - x], axis=1)).all()
    big = np.random.default_rng(3).integers(0, 50, size=(2000, 3))
    assert np.array_equal(nondominated_mask(big), pairwise_reference(big))


def blocked_reference(points: np.ndarray) -> np.ndarray:
    """The pairwise definition, vectorised in row blocks (an independent check for large n)."""
    keep = np.ones(points.shape[0], dtype=bool)
    for s in range(0, points.shape[0], 256):
        blk = points[s : s + 256]
        weak = np.all(points[None, :, :] >= blk[:, None, :], axis=2)
        strict = np.any(points[None, :, :] > blk[:, None, :], axis=2)
        keep[s : s + 256] = ~np.any(weak & strict, axis=1)
    return keep


@st.composite
def large_three_objective_sets(draw: st.DrawFn) -> np.ndarray:
    """Thousands of 3-objective points, from heavily tied to nearly tie-free, some opposed
    (on a plane x + y + z = c: a large frontier) and some correlated."""
    n = draw(st.integers(200, 3000))
    top = draw(st.sampled_from([3, 20, 1000, 10**6]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    points = rng.integers(0, top + 1, size=(n, 3))
    if draw(st.booleans()):
        points[:, 2] = 3 * top - points[:, 0] - points[:, 1]  # opposed: most points optimal
    if draw(st.booleans()):
        points = np.concatenate([points, points[: n // 10]])  # exact duplicates
    return points.astype(np.int64)


@settings(max_examples=25, deadline=None)
@given(large_three_objective_sets(), st.sampled_from([(1 << 16, 128), (64, 8), (300, 17)]))
def test_three_objectives_sweep_matches_the_definition(
    points: np.ndarray, blocks: tuple[int, int]
) -> None:
    """Issue 17 item 4: the output-sensitive 3-D sweep, with the production block sizes and
    small ones (deep recursion, many staircase merges), against brute force."""
    import accord.analysis.dominance as dominance

    saved = dominance._SWEEP_BLOCK, dominance._SWEEP_PAIRWISE
    dominance._SWEEP_BLOCK, dominance._SWEEP_PAIRWISE = blocks
    try:
        got = nondominated_mask(points)
    finally:
        dominance._SWEEP_BLOCK, dominance._SWEEP_PAIRWISE = saved
    assert np.array_equal(got, blocked_reference(points))
