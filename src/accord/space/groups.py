"""Split the issues of a space into groups that constraints couple, and enumerate each group.

Constraints (forbidden combinations) only ever name a few issues.  Two issues
named by one constraint must be chosen together; issues that no constraint
links are independent.  The feasible packages are therefore exactly the
Cartesian product of each group's feasible partial packages, which is what
lets the frontier be built by merging groups and the ZOPA be counted by
combining precomputed partial tables, without enumerating the whole space.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.space.compiled import CompiledSpace

__all__ = [
    "IssueGroup",
    "cartesian",
    "independent_groups",
    "unit_tables",
]


@dataclass(frozen=True)
class IssueGroup:
    """The feasible partial packages of a group of constraint-coupled issues.

    Attributes:
        issues: the issue indices of the group, ascending.
        options: (g, len(issues)) option indices of every feasible partial
            package, in lexicographic order of the options.
        utility: (g, negotiators) int64 partial utilities, each negotiator in its
            own exact units (:attr:`accord.space.CompiledSpace.units`).
    """

    issues: tuple[int, ...]
    options: NDArray[np.intp]
    utility: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.options.shape[0])


def cartesian(sizes: tuple[int, ...] | list[int]) -> NDArray[np.intp]:
    """All index tuples of a product of ``sizes``, in lexicographic (C) order."""
    sizes = tuple(int(s) for s in sizes)
    if not sizes:
        return np.zeros((1, 0), dtype=np.intp)
    grid = np.indices(sizes, dtype=np.intp)
    return grid.reshape(len(sizes), -1).T.copy()


def unit_tables(space: CompiledSpace) -> tuple[NDArray[np.int64], ...]:
    """Every issue's contribution table in exact integer units (one scale per negotiator)."""
    return space.units.tables


def _components(n_issues: int, links: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    parent = list(range(n_issues))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for issues in links:
        for a, b in itertools.pairwise(issues):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n_issues):
        groups.setdefault(find(i), []).append(i)
    return [tuple(g) for g in groups.values()]


def independent_groups(
    space: CompiledSpace, *, max_group_size: int = 20_000_000
) -> tuple[IssueGroup, ...]:
    """The issue groups of ``space``, each enumerated jointly with forbidden combinations removed.

    Raises:
        ValueError: when one group's joint enumeration would exceed
            ``max_group_size`` partial packages (constraints coupling too many
            large issues).
    """
    tables = unit_tables(space)
    links = [rule.issues() for rule in space.forbidden]
    groups: list[IssueGroup] = []
    # A rule that names no issue forbids every package; give it to the first group.
    forbid_all = any(not rule.options for rule in space.forbidden)
    for members in _components(len(space.issues), links):
        sizes = [space.issues[i].size for i in members]
        total = int(np.prod(sizes, dtype=object)) if sizes else 1
        if total > max_group_size:
            names = ", ".join(space.issues[i].id for i in members)
            raise ValueError(
                f"constraints couple issues {names} into {total} joint combinations, "
                f"more than the {max_group_size} that can be enumerated"
            )
        combos = cartesian(sizes)
        position = {issue: k for k, issue in enumerate(members)}
        ok = np.ones(combos.shape[0], dtype=np.bool_)
        if forbid_all and not groups:
            ok[:] = False
        for rule in space.forbidden:
            if not rule.options or rule.options[0][0] not in position:
                continue
            hit = np.ones(combos.shape[0], dtype=np.bool_)
            for issue, forbidden in rule.options:
                hit = hit & np.isin(combos[:, position[issue]], np.asarray(forbidden, np.intp))
            ok = ok & ~hit
        combos = combos[ok]
        utility = np.zeros((combos.shape[0], space.n_negotiators), dtype=np.int64)
        for k, issue in enumerate(members):
            utility += tables[issue][combos[:, k]]
        groups.append(IssueGroup(tuple(members), combos, utility))
    return tuple(groups)
