"""Pareto dominance and non-dominated filtering over arrays of utility vectors.

Point ``a`` (weakly) Pareto-dominates ``b`` when ``a >= b`` in every coordinate
and ``a > b`` in at least one.  Equal points do not dominate each other, so
duplicates of a non-dominated point are all non-dominated and all reported.

Two objectives: the sort-and-sweep of Kung, Luccio & Preparata (1975), "On
finding the maxima of a set of vectors", J. ACM 22(4), 469-476 (the
two-dimensional case), O(n log n), written with cumulative maxima.  Three or
more: up to about a thousand points are compared pairwise; larger sets first
lose every point that one of a few strong pivots dominates (the 32 best sums
and each coordinate's best: a heuristic that removes most points cheaply), then
the rest are sorted lexicographically in decreasing order, so that every
dominator of a point precedes it (the ordering step of Kung et al. 1975), and
processed in blocks against the front found so far.  The result is exact for
any numeric dtype; accord calls it on int64 utilities
(:mod:`accord.space.exact`) so that ties are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["dominates", "dominators_mask", "nondominated_mask"]


def dominates(a: NDArray[Any], b: NDArray[Any]) -> bool:
    """Whether utility vector ``a`` Pareto-dominates ``b``."""
    a = np.asarray(a)
    b = np.asarray(b)
    return bool(np.all(a >= b) and np.any(a > b))


def dominators_mask(points: NDArray[Any], target: NDArray[Any]) -> NDArray[np.bool_]:
    """Which rows of ``points`` Pareto-dominate ``target``."""
    points = np.asarray(points)
    target = np.asarray(target)
    out: NDArray[np.bool_] = np.all(points >= target, axis=1) & np.any(points > target, axis=1)
    return out


def _mask_2d(points: NDArray[Any]) -> NDArray[np.bool_]:
    x = points[:, 0]
    y = points[:, 1]
    order = np.lexsort((-y, -x))  # x descending, then y descending
    xs = x[order]
    ys = y[order]
    n = xs.shape[0]
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    new_group[1:] = xs[1:] != xs[:-1]
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0))
    group_best = ys[group_start]  # the largest y among points with the same x
    running = np.maximum.accumulate(ys)
    # the best y among points with strictly larger x: running max before the group starts
    before = np.empty(n, dtype=bool)
    first = group_start == 0
    prev_best = running[np.maximum(group_start - 1, 0)]
    before[first] = True
    before[~first] = ys[~first] > prev_best[~first]
    keep_sorted = (ys == group_best) & before
    keep = np.empty(n, dtype=bool)
    keep[order] = keep_sorted
    return keep


def _dominated_by_any(x: NDArray[Any], front: NDArray[Any]) -> NDArray[np.bool_]:
    """Which rows of ``x`` some row of ``front`` Pareto-dominates (blocked, per coordinate)."""
    m, d = x.shape
    out = np.zeros(m, dtype=bool)
    k = front.shape[0]
    if k == 0 or m == 0:
        return out
    rows = max(1, (1 << 20) // k)
    for s in range(0, m, rows):
        blk = x[s : s + rows]
        weak = front[None, :, 0] >= blk[:, 0, None]
        strict = front[None, :, 0] > blk[:, 0, None]
        for j in range(1, d):
            weak &= front[None, :, j] >= blk[:, j, None]
            strict |= front[None, :, j] > blk[:, j, None]
        out[s : s + rows] = np.any(weak & strict, axis=1)
    return out


def _mask_kd(points: NDArray[Any]) -> NDArray[np.bool_]:
    n, d = points.shape
    if n <= 1024:
        return ~_dominated_by_any(points, points)
    alive = np.ones(n, dtype=bool)
    # Pre-pass: a few strong points (best sums, best in each coordinate) knock out most others.
    total = points.sum(axis=1, dtype=np.float64)
    pivots = np.unique(
        np.concatenate([np.argsort(-total, kind="stable")[:32], np.argmax(points, axis=0)])
    )
    alive &= ~_dominated_by_any(points, points[pivots])
    idx = np.flatnonzero(alive)
    cand = points[idx]
    order = np.lexsort(tuple(-cand[:, k] for k in range(d - 1, -1, -1)))
    cand = cand[order]
    m = cand.shape[0]
    keep = np.zeros(m, dtype=bool)
    front = np.empty((0, d), dtype=points.dtype)
    start = 0
    while start < m:
        block = max(256, min(4096, (1 << 20) // max(front.shape[0], 1)))
        stop = min(m, start + block)
        x = cand[start:stop]
        ok = ~_dominated_by_any(x, front)
        sub = x[ok]
        if sub.shape[0] > 1:
            # dominators of a point precede it in this order, so compare within the block too
            inner_ok = ~_dominated_by_any(sub, sub)
            ok[np.flatnonzero(ok)[~inner_ok]] = False
        keep[start:stop] = ok
        front = np.concatenate([front, x[ok]])
        start = stop
    result = np.zeros(n, dtype=bool)
    result[idx[order[keep]]] = True
    return result


def nondominated_mask(points: NDArray[Any]) -> NDArray[np.bool_]:
    """Which rows of an (n, d) array are not Pareto-dominated by any other row.

    Exact: no tolerance is applied (pass integer or exactly comparable values).
    """
    points = np.asarray(points)
    if points.ndim != 2:
        raise ValueError("points must be a two-dimensional array (n, d)")
    n, d = points.shape
    if n == 0:
        return np.zeros(0, dtype=bool)
    if d == 0:
        return np.ones(n, dtype=bool)
    if d == 1:
        best: NDArray[np.bool_] = points[:, 0] == points[:, 0].max()
        return best
    if d == 2:
        return _mask_2d(points)
    return _mask_kd(points)
