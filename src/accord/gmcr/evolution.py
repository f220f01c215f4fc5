"""Status quo analysis: how can the conflict get from the status quo to an equilibrium?

The conflict moves along unilateral improvements (a decision maker moves to
a state it prefers) and, when coalitions are allowed, coalitional
improvements (a coalition moves by a legal sequence to a state every member
prefers).  Status quo analysis follows these moves from the status quo and
reports, for every equilibrium that can be reached, a shortest path, printed
as an *evolution table*: one column per state along the path, the option
vectors (or state names) and who moved (Li, Kilgour & Hipel 2005, "Status
quo analysis in the graph model for conflict resolution", *Journal of the
Operational Research Society* 56(6), 699-707; Fang, Hipel & Kilgour 1993,
ch. 6, the evolution of a conflict).  Breadth-first search gives the paths
with the fewest moves.

Algorithm: a breadth-first frontier on arrays, one level at a time.  The
states first reached at depth ``d + 1`` are those with a predecessor in the
depth-``d`` frontier: for each decision maker, a reduction over its
*reversed* moves (:func:`accord.gmcr.graph.extreme_over_moves` on
:func:`accord.gmcr.coalition.reversed_conflict`) finds, for every unvisited
state, the frontier state it improves on most cheaply; for each coalition,
the same backward question over reversed legal sequences
(:func:`accord.gmcr.coalition.coalition_predecessor`).  The parent pointers
(and who moved) are arrays; the evolution table of each reachable
equilibrium is read back from them.  Among several ways to reach a state at
the same depth, a unilateral improvement (DMs in order) is preferred to a
coalitional one (coalitions in the order given).  There is no state cap:
the working memory is arrays over the index space, about 250 bytes per code
at the peak (tracemalloc at 18 options), plus one path object per reachable
equilibrium (docs/performance/gmcr.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from accord.gmcr.coalition import Method, coalition_predecessor
from accord.gmcr.graph import CompiledConflict, IntArray
from accord.gmcr.stability import Stability

__all__ = [
    "EvolutionPath",
    "StatusQuoAnalysis",
    "Step",
    "improvement_tree",
    "status_quo_analysis",
]


@dataclass(frozen=True)
class Step:
    """One move of a path: who moved (one DM, or a coalition) and the state reached."""

    movers: tuple[str, ...]
    state: int


@dataclass(frozen=True)
class EvolutionPath:
    """A shortest path from the status quo to ``target``, an equilibrium under ``concepts``."""

    target: int
    concepts: tuple[str, ...]
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class StatusQuoAnalysis:
    """Paths to the reachable equilibria, and the equilibria that cannot be reached."""

    status_quo: int
    coalitions: tuple[tuple[str, ...], ...]
    paths: tuple[EvolutionPath, ...]
    unreachable: tuple[int, ...]
    reachable: int


def status_quo_analysis(
    conflict: CompiledConflict,
    stability: Stability,
    status_quo: int | None = None,
    *,
    coalitions: Sequence[Sequence[int]] | None = None,
    method: Method = "auto",
) -> StatusQuoAnalysis:
    """Shortest paths of improvements from the status quo to each reachable equilibrium.

    ``coalitions`` lists the coalitions (DM indices, two or more) whose
    coalitional improvements may be used; ``None`` allows every coalition of
    two or more decision makers, ``[]`` only unilateral improvements.
    Vectorised breadth-first search (see the module docstring); ``method`` as
    in :func:`accord.gmcr.coalition.coalition_improvement_witness`.
    """
    start = conflict.status_quo if status_quo is None else status_quo
    if start is None:
        raise ValueError("no status quo: give one in the conflict section or as an argument")
    if not 0 <= start < conflict.n_index or not conflict.feasible[start]:
        raise ValueError("the status quo must be a feasible state")
    if coalitions is None:
        groups = [
            list(c)
            for size in range(2, conflict.n_dm + 1)
            for c in combinations(range(conflict.n_dm), size)
        ]
    else:
        groups = [sorted(set(c)) for c in coalitions if len(set(c)) >= 2]
    names = conflict.decision_makers
    movers = [[i] for i in range(conflict.n_dm)] + groups
    mover_names = [tuple(names[j] for j in g) for g in movers]
    parent, mover = improvement_tree(conflict, start, groups, method=method)

    targets: dict[int, list[str]] = {}
    for concept in stability.concepts:
        for s in stability.equilibria(concept).tolist():
            targets.setdefault(int(s), []).append(concept)
    paths = []
    unreachable = []
    parent_of = parent.tolist()
    mover_of = mover.tolist()
    step_of: dict[int, Step] = {}  # paths share the tree's steps
    for target in sorted(targets):
        if target != start and parent_of[target] < 0:
            unreachable.append(target)
            continue
        steps: list[Step] = []
        node = target
        while node != start:
            step = step_of.get(node)
            if step is None:
                step = step_of[node] = Step(mover_names[mover_of[node]], node)
            steps.append(step)
            node = parent_of[node]
        paths.append(EvolutionPath(target, tuple(targets[target]), tuple(reversed(steps))))
    return StatusQuoAnalysis(
        start,
        tuple(tuple(names[j] for j in g) for g in groups),
        tuple(paths),
        tuple(unreachable),
        int(np.count_nonzero(parent >= 0)) + 1,
    )


def improvement_tree(
    conflict: CompiledConflict,
    start: int,
    coalitions: Sequence[Sequence[int]],
    *,
    method: Method = "auto",
) -> tuple[IntArray, IntArray]:
    """Breadth-first tree of improvements from ``start``, on arrays.

    Returns ``(parent, mover)`` over the index space: ``parent[t]`` is the state
    from which ``t`` is first reached (-1 for ``start`` and for unreachable
    states) and ``mover[t]`` who moved: ``i < n_dm`` for decision maker ``i``
    alone, ``n_dm + k`` for ``coalitions[k]`` (each of two or more DMs).
    """
    n = conflict.n_index
    movers = [[i] for i in range(conflict.n_dm)] + [sorted(set(c)) for c in coalitions]
    parent = np.full(n, -1, dtype=np.int64)
    mover = np.full(n, -1, dtype=np.int64)
    visited = np.zeros(n, dtype=bool)
    visited[start] = True
    frontier = visited.copy()
    while frontier.any():
        fresh = np.zeros(n, dtype=bool)
        for k, group in enumerate(movers):
            open_ = conflict.feasible & ~visited & ~fresh
            if not open_.any():
                break
            pred = coalition_predecessor(conflict, group, frontier, open_, method=method)
            hit = open_ & (pred >= 0)
            parent[hit] = pred[hit]
            mover[hit] = k
            fresh |= hit
        visited |= fresh
        frontier = fresh
    return parent, mover
