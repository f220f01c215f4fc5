"""The Pareto frontier of an additive agreement space, built without enumerating it.

With additive utilities, the utility of a package is the sum of its parts'
partial utilities.  If a package is Pareto-optimal, its restriction to any group
of issues is non-dominated among that group's feasible partial packages
(otherwise swapping in the dominating part would dominate the whole package,
and stays feasible because no constraint couples the group to the rest).  So
the frontier is found by merging groups pairwise: take the Minkowski sum of two
non-dominated partial sets, keep its non-dominated points, repeat.  This is the
classical decomposition of multi-objective problems with separable objectives
(Ehrgott 2005, *Multicriteria Optimization*, 2nd ed., Springer, Section 8.1 on
the non-dominated set of a sum of sets; for bargaining over multi-issue packages
see Raiffa 1982, *The Art and Science of Negotiation*, ch. 10-11).  Groups are
merged smallest first (like Huffman coding) to keep intermediate sets small.

When only packages every negotiator weakly prefers to its reservation (the
ZOPA) matter, a partial package that cannot reach a reservation even with the
best of every remaining group is dropped early.  The frontier of the ZOPA equals
the Pareto frontier intersected with the ZOPA: a package that dominates a ZOPA
package is itself in the ZOPA.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.dominance import nondominated_mask
from accord.space.groups import IssueGroup

__all__ = ["Frontier", "FrontierTooLarge", "frontier_from_groups", "merge_nondominated"]

MAX_FRONTIER = 30_000_000


class FrontierTooLarge(ValueError):
    """The frontier (or an intermediate merge) would hold more packages than allowed."""


# Maximum number of candidate pairs formed at once when merging two partial sets.
_PAIR_BLOCK = 1 << 22
# Packages are carried as flat int64 codes while the product of option counts stays below this.
_CODE_LIMIT = 2**62


@dataclass(frozen=True)
class Frontier:
    """Non-dominated packages.

    Attributes:
        packages: (k, n_issues) option indices, rows in lexicographic order.
        utility: (k, negotiators) int64 utilities, each negotiator in its exact units
            (:mod:`accord.space.exact`).
    """

    packages: NDArray[np.intp]
    utility: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.packages.shape[0])


@dataclass(frozen=True)
class _Partial:
    issues: tuple[int, ...]
    # Either (k, len(issues)) option indices, or (k,) int64 codes: the package's flat index in
    # the full product restricted to these issues (sum of option * stride), which merges by
    # addition and sorts in lexicographic order of packages.
    options: NDArray[np.intp] | NDArray[np.int64]
    utility: NDArray[np.int64]
    upper: NDArray[np.int64]  # per-negotiator maximum over the partial packages


def _prune(
    partial: _Partial, threshold: NDArray[np.int64] | None, rest_upper: NDArray[np.int64]
) -> _Partial:
    keep = nondominated_mask(partial.utility)
    if threshold is not None:
        keep &= np.all(partial.utility + rest_upper >= threshold, axis=1)
    options = partial.options[keep]
    utility = partial.utility[keep]
    upper = utility.max(axis=0) if utility.shape[0] else partial.upper
    return _Partial(partial.issues, options, utility, upper)


def merge_nondominated(
    a_utility: NDArray[np.int64],
    b_utility: NDArray[np.int64],
    *,
    max_size: int = MAX_FRONTIER,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Index pairs (i, j) whose sums ``a[i] + b[j]`` are non-dominated in ``a + b``.

    The Minkowski sum is formed in blocks of rows of ``a`` so that memory stays
    bounded; each block is filtered on its own, then the survivors together.
    """
    na, nb = a_utility.shape[0], b_utility.shape[0]
    if na == 0 or nb == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    rows = max(1, _PAIR_BLOCK // nb)
    survivors_i: list[NDArray[np.intp]] = []
    survivors_j: list[NDArray[np.intp]] = []
    for start in range(0, na, rows):
        stop = min(na, start + rows)
        sums = (a_utility[start:stop, None, :] + b_utility[None, :, :]).reshape(
            -1, a_utility.shape[1]
        )
        flat = np.flatnonzero(nondominated_mask(sums))
        survivors_i.append(start + flat // nb)
        survivors_j.append(flat % nb)
        kept = sum(x.size for x in survivors_i)
        if kept > max_size:
            raise FrontierTooLarge(
                f"the Pareto frontier has more than {max_size:,} packages (preferences this "
                "opposed put almost every package on it); list it for fewer issues or options"
            )
    ii = np.concatenate(survivors_i)
    jj = np.concatenate(survivors_j)
    if len(survivors_i) > 1:
        keep = nondominated_mask(a_utility[ii] + b_utility[jj])
        ii, jj = ii[keep], jj[keep]
    return ii, jj


def _empty(n_issues: int, n_negotiators: int, rows: int = 0) -> Frontier:
    return Frontier(
        np.zeros((rows, n_issues), dtype=np.intp), np.zeros((rows, n_negotiators), dtype=np.int64)
    )


def _strides(groups: Sequence[IssueGroup], n_issues: int) -> tuple[list[int], list[int] | None]:
    """Option counts per issue, and the strides of flat package codes when the product of
    option counts fits in int64 (None otherwise: packages are carried as option columns)."""
    sizes = [0] * n_issues
    for g in groups:
        for k, i in enumerate(g.issues):
            sizes[i] = int(g.options[:, k].max()) + 1 if g.size else 1
    total = 1
    for g in groups:
        for i in g.issues:
            total *= sizes[i]
    if total >= _CODE_LIMIT:
        return sizes, None
    strides = [0] * n_issues
    acc = 1
    for i in range(n_issues - 1, -1, -1):
        strides[i] = acc
        acc *= max(sizes[i], 1)
    return sizes, strides


def _merge_all(
    parts: list[_Partial], threshold: NDArray[np.int64] | None, n_negotiators: int, max_size: int
) -> _Partial:
    """Merge the two smallest partial sets until one remains (like Huffman coding)."""
    codes = parts[0].options.ndim == 1
    heap: list[tuple[int, int, _Partial]] = [
        (p.options.shape[0], k, p) for k, p in enumerate(parts)
    ]
    heapq.heapify(heap)
    counter = len(heap)
    while len(heap) > 1:
        _, _, a = heapq.heappop(heap)
        _, _, b = heapq.heappop(heap)
        ii, jj = merge_nondominated(a.utility, b.utility, max_size=max_size)
        merged = _Partial(
            a.issues + b.issues,
            a.options[ii] + b.options[jj]
            if codes
            else np.concatenate([a.options[ii], b.options[jj]], axis=1),
            a.utility[ii] + b.utility[jj],
            a.upper + b.upper,
        )
        if threshold is not None:
            rest_upper = (
                np.sum([x.upper for _, _, x in heap], axis=0, dtype=np.int64)
                if heap
                else np.zeros(n_negotiators, dtype=np.int64)
            )
            keep = np.all(merged.utility + rest_upper >= threshold, axis=1)
            merged = _Partial(
                merged.issues, merged.options[keep], merged.utility[keep], merged.upper
            )
        heapq.heappush(heap, (merged.options.shape[0], counter, merged))
        counter += 1
    return heap[0][2]


def frontier_from_groups(
    groups: tuple[IssueGroup, ...] | list[IssueGroup],
    n_issues: int,
    n_negotiators: int,
    *,
    threshold: NDArray[np.int64] | None = None,
    max_size: int = MAX_FRONTIER,
) -> Frontier:
    """The Pareto frontier of the product of independent issue groups.

    Args:
        groups: the independent groups (see :func:`accord.space.groups.independent_groups`).
        n_issues: the total number of issues (columns of the returned packages).
        n_negotiators: the number of utility coordinates.
        threshold: if given, only frontier packages whose utility is at least
            this in every coordinate are returned (the frontier of the ZOPA when
            the threshold is the reservation vector), and partial packages that
            cannot reach it are pruned on the way.
        max_size: raise :class:`FrontierTooLarge` rather than hold more packages than this.

    Returns:
        Every non-dominated feasible package (duplicates in utility included),
        rows sorted lexicographically by option indices.
    """
    sizes, strides = _strides(groups, n_issues)

    def encode(g: IssueGroup) -> NDArray[np.intp] | NDArray[np.int64]:
        if strides is None:
            return g.options
        return g.options.astype(np.int64) @ np.array([strides[i] for i in g.issues], np.int64)

    parts = [
        _Partial(
            g.issues,
            encode(g),
            g.utility,
            g.utility.max(axis=0) if g.size else np.zeros(n_negotiators, dtype=np.int64),
        )
        for g in groups
    ]
    if any(p.options.shape[0] == 0 for p in parts):
        return _empty(n_issues, n_negotiators)
    total_upper = np.zeros(n_negotiators, dtype=np.int64)
    if parts:
        total_upper = np.sum([p.upper for p in parts], axis=0, dtype=np.int64)
    if threshold is not None and np.any(total_upper < threshold):
        return _empty(n_issues, n_negotiators)
    if not parts:  # no issue at all: one empty package
        return _empty(n_issues, n_negotiators, rows=1)
    parts = [_prune(p, threshold, total_upper - p.upper) for p in parts]
    final = _merge_all(parts, threshold, n_negotiators, max_size)
    if strides is not None:
        order = np.argsort(final.options, kind="stable")
        codes = final.options[order]
        packages = np.empty((codes.shape[0], n_issues), dtype=np.intp)
        for i in range(n_issues - 1, -1, -1):
            codes, packages[:, i] = np.divmod(codes, max(sizes[i], 1))
        return Frontier(packages, final.utility[order])
    packages = np.empty((final.options.shape[0], n_issues), dtype=np.intp)
    packages[:, list(final.issues)] = final.options
    order = np.lexsort(packages.T[::-1]) if n_issues else np.arange(packages.shape[0])
    return Frontier(packages[order], final.utility[order])
