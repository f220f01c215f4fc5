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
