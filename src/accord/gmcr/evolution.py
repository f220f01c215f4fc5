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
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from accord.gmcr.coalition import MAX_STATES, coalition_improvements
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.stability import Stability

__all__ = ["EvolutionPath", "StatusQuoAnalysis", "Step", "status_quo_analysis"]


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
) -> StatusQuoAnalysis:
    """Shortest paths of improvements from the status quo to each reachable equilibrium.

    ``coalitions`` lists the coalitions (DM indices, two or more) whose
    coalitional improvements may be used; ``None`` allows every coalition of
    two or more decision makers, ``[]`` only unilateral improvements.
    """
    start = conflict.status_quo if status_quo is None else status_quo
    if start is None:
        raise ValueError("no status quo: give one in the conflict section or as an argument")
    if not conflict.feasible[start]:
        raise ValueError("the status quo must be a feasible state")
    if len(conflict.feasible_states()) > MAX_STATES:
        raise ValueError(f"status quo analysis walks states one by one; more than {MAX_STATES}")
    if coalitions is None:
        groups = [
            list(c)
            for size in range(2, conflict.n_dm + 1)
            for c in combinations(range(conflict.n_dm), size)
        ]
    else:
        groups = [sorted(set(c)) for c in coalitions if len(set(c)) >= 2]
    names = conflict.decision_makers

    def moves(s: int) -> list[tuple[tuple[str, ...], int]]:
        out: list[tuple[tuple[str, ...], int]] = []
        for i in range(conflict.n_dm):
            out += [((names[i],), t) for t in coalition_improvements(conflict, [i], s)]
        for group in groups:
            out += [
                (tuple(names[j] for j in group), t)
                for t in coalition_improvements(conflict, group, s)
            ]
        return out

    parent: dict[int, tuple[int, tuple[str, ...]] | None] = {start: None}
    queue = deque([start])
    while queue:
        s = queue.popleft()
        for movers, t in moves(s):
            if t not in parent:
                parent[t] = (s, movers)
                queue.append(t)

    targets: dict[int, list[str]] = {}
    for concept in stability.concepts:
        for s in stability.equilibria(concept).tolist():
            targets.setdefault(int(s), []).append(concept)
    paths = []
    unreachable = []
    for target in sorted(targets):
        if target not in parent:
            unreachable.append(target)
            continue
        steps: list[Step] = []
        node = target
        while (link := parent[node]) is not None:
            prev, movers = link
            steps.append(Step(movers, node))
            node = prev
        paths.append(EvolutionPath(target, tuple(targets[target]), tuple(reversed(steps))))
    return StatusQuoAnalysis(
        start,
        tuple(tuple(names[j] for j in g) for g in groups),
        tuple(paths),
        tuple(unreachable),
        len(parent),
    )
