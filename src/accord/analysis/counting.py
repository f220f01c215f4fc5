"""Counting packages whose utilities clear a threshold: exactly by streaming, or by sampling.

The feasible packages are the product of independent issue groups
(:func:`accord.space.groups.independent_groups`).  To count the packages whose
utility vector is at least a threshold ``t`` (the ZOPA when ``t`` is the
reservation vector; the dominators of a proposal with ``t`` its utility), the
groups are split in two ("meet in the middle", Horowitz & Sahni 1974,
"Computing partitions with applications to the knapsack problem", J. ACM 21(2)):
an *inner* part whose partial utilities are tabulated once, and an *outer* part
enumerated in chunks.  For each chunk of outer partial packages ``o`` the count
is the number of inner rows ``i`` with ``i >= t - o``, computed by vectorised
block comparison.  Rows whose bound box is wholly above or wholly below the
needed value are settled without comparison (the inner table's per-coordinate
minimum and maximum).  All arithmetic is on the int64 exact units of
:mod:`accord.space.exact`, so counts are exact.

Beyond ``exact_limit`` packages the count is a Monte Carlo estimate from packages
drawn uniformly among the feasible ones (each group drawn uniformly and
independently), with the Wilson score interval (Wilson 1927, "Probable
inference, the law of succession, and statistical inference", JASA 22(158),
209-212; recommended by Brown, Cai & DasGupta 2001, "Interval estimation for a
binomial proportion", Statistical Science 16(2), 101-133).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.space.groups import IssueGroup
from accord.statistics import wilson_interval

__all__ = [
    "PackageCount",
    "count_packages",
    "feasible_count",
    "wilson_interval",
]

_INNER_MAX = 1 << 15
_BLOCK = 1 << 21


@dataclass(frozen=True)
class PackageCount:
    """A number of packages, exact or estimated.

    Attributes:
        value: the exact count, or the point estimate (rounded) when ``exact`` is False.
        exact: whether ``value`` was counted exactly.
        interval: (low, high) confidence bounds on the count when estimated, else None.
        confidence: the confidence level of ``interval`` (e.g. 0.95), else None.
        samples: the number of packages sampled for an estimate, else None.
    """

    value: int
    exact: bool
    interval: tuple[int, int] | None = None
    confidence: float | None = None
    samples: int | None = None


def feasible_count(groups: Sequence[IssueGroup]) -> int:
    """The number of feasible packages (a Python int: it may exceed 2**63)."""
    total = 1
    for g in groups:
        total *= g.size
    return total


def _minkowski(groups: Sequence[IssueGroup], d: int) -> NDArray[np.int64]:
    table = np.zeros((1, d), dtype=np.int64)
    for g in groups:
        table = (table[:, None, :] + g.utility[None, :, :]).reshape(-1, d)
    return table


def _split(groups: Sequence[IssueGroup]) -> tuple[list[IssueGroup], list[IssueGroup]]:
    """Inner groups (tabulated, at most _INNER_MAX rows) and outer groups (streamed)."""
    order = sorted(groups, key=lambda g: g.size, reverse=True)
    inner: list[IssueGroup] = []
    outer: list[IssueGroup] = []
    size = 1
    for g in order:
        if size * g.size <= _INNER_MAX:
            inner.append(g)
            size *= g.size
        else:
            outer.append(g)
    return inner, outer


def _outer_rows(outer: Sequence[IssueGroup], start: int, stop: int, d: int) -> NDArray[np.int64]:
    """Partial utilities of outer combinations start..stop-1 (mixed radix, last group fastest)."""
    idx = np.arange(start, stop, dtype=np.int64)
    out = np.zeros((stop - start, d), dtype=np.int64)
    for g in reversed(outer):
        idx, digit = np.divmod(idx, g.size)
        out += g.utility[digit]
    return out


def _count_chunk(
    outer_u: NDArray[np.int64],
    inner: NDArray[np.int64],
    inner_min: NDArray[np.int64],
    inner_max: NDArray[np.int64],
    at_least: NDArray[np.int64],
    equal: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    n = inner.shape[0]
    d = inner.shape[1]
    ge_counts = np.zeros(at_least.shape[0], dtype=np.int64)
    eq_counts = np.zeros(equal.shape[0], dtype=np.int64)
    rows_per_block = max(1, _BLOCK // n)
    for q, t in enumerate(at_least):
        need = t - outer_u
        full = np.all(inner_min >= need, axis=1)
        some = np.all(inner_max >= need, axis=1) & ~full
        total = int(np.count_nonzero(full)) * n
        partial = need[some]
        for s in range(0, partial.shape[0], rows_per_block):
            blk = partial[s : s + rows_per_block]
            hit = inner[None, :, 0] >= blk[:, 0, None]
            for j in range(1, d):
                hit &= inner[None, :, j] >= blk[:, j, None]
            total += int(np.count_nonzero(hit))
        ge_counts[q] = total
    for q, t in enumerate(equal):
        need = t - outer_u
        some = np.all((inner_min <= need) & (inner_max >= need), axis=1)
        partial = need[some]
        total = 0
        for s in range(0, partial.shape[0], rows_per_block):
            blk = partial[s : s + rows_per_block]
            hit = inner[None, :, 0] == blk[:, 0, None]
            for j in range(1, d):
                hit &= inner[None, :, j] == blk[:, j, None]
            total += int(np.count_nonzero(hit))
        eq_counts[q] = total
    return ge_counts, eq_counts


def _exact_counts(
    groups: Sequence[IssueGroup],
    d: int,
    at_least: NDArray[np.int64],
    equal: NDArray[np.int64],
    workers: int,
) -> tuple[list[int], list[int]]:
    inner_groups, outer = _split(groups)
    inner = _minkowski(inner_groups, d)
    inner_min = inner.min(axis=0)
    inner_max = inner.max(axis=0)
    n_outer = feasible_count(outer)
    chunk = max(1024, _BLOCK // max(inner.shape[0], 1) * 8)
    starts = list(range(0, n_outer, chunk))

    def work(start: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        o = _outer_rows(outer, start, min(n_outer, start + chunk), d)
        return _count_chunk(o, inner, inner_min, inner_max, at_least, equal)

    ge = [0] * at_least.shape[0]
    eq = [0] * equal.shape[0]
    if workers > 1 and len(starts) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(work, starts))
    else:
        results = [work(s) for s in starts]
    for g_counts, e_counts in results:
        for q in range(len(ge)):
            ge[q] += int(g_counts[q])
        for q in range(len(eq)):
            eq[q] += int(e_counts[q])
    return ge, eq


def _sampled_counts(
    groups: Sequence[IssueGroup],
    d: int,
    at_least: NDArray[np.int64],
    equal: NDArray[np.int64],
    samples: int,
    rng: np.random.Generator,
) -> tuple[list[int], list[int]]:
    ge = [0] * at_least.shape[0]
    eq = [0] * equal.shape[0]
    batch = 1 << 18
    done = 0
    while done < samples:
        m = min(batch, samples - done)
        u = np.zeros((m, d), dtype=np.int64)
        for g in groups:
            u += g.utility[rng.integers(0, g.size, size=m)]
        for q, t in enumerate(at_least):
            ge[q] += int(np.count_nonzero(np.all(u >= t, axis=1)))
        for q, t in enumerate(equal):
            eq[q] += int(np.count_nonzero(np.all(u == t, axis=1)))
        done += m
    return ge, eq


def count_packages(
    groups: Sequence[IssueGroup],
    n_negotiators: int,
    *,
    at_least: NDArray[np.int64] | None = None,
    equal: NDArray[np.int64] | None = None,
    exact_limit: int = 10**9,
    samples: int = 1_000_000,
    confidence: float = 0.95,
    seed: int | None = 0,
    workers: int | None = None,
) -> tuple[list[PackageCount], list[PackageCount]]:
    """Count feasible packages with utility >= each ``at_least`` row and == each ``equal`` row.

    Thresholds are int64, in each negotiator's exact units (:mod:`accord.space.exact`).
    When the number of feasible packages exceeds ``exact_limit``, every count is
    instead estimated from ``samples`` uniform draws (seeded by ``seed``) with a
    Wilson interval at ``confidence``.  ``workers`` threads share the exact count
    (default: up to 2).

    Returns:
        (counts for ``at_least``, counts for ``equal``), in query order.
    """
    d = n_negotiators
    ge_q = np.zeros((0, d), dtype=np.int64) if at_least is None else np.atleast_2d(at_least)
    eq_q = np.zeros((0, d), dtype=np.int64) if equal is None else np.atleast_2d(equal)
    ge_q = ge_q.astype(np.int64, copy=False)
    eq_q = eq_q.astype(np.int64, copy=False)
    total = feasible_count(groups)
    if total == 0:
        zero = PackageCount(0, True)
        return [zero] * ge_q.shape[0], [zero] * eq_q.shape[0]
    if total <= exact_limit:
        if workers is None:
            workers = min(2, os.cpu_count() or 1)
        ge, eq = _exact_counts(groups, d, ge_q, eq_q, workers)
        return [PackageCount(c, True) for c in ge], [PackageCount(c, True) for c in eq]
    rng = np.random.default_rng(seed)
    ge, eq = _sampled_counts(groups, d, ge_q, eq_q, samples, rng)

    def estimate(hits: int) -> PackageCount:
        lo, hi = wilson_interval(hits, samples, confidence)
        return PackageCount(
            value=round(hits / samples * total),
            exact=False,
            interval=(math.floor(lo * total), math.ceil(hi * total)),
            confidence=confidence,
            samples=samples,
        )

    return [estimate(c) for c in ge], [estimate(c) for c in eq]
