"""A brute-force reference for GMCR stability, written straight from the definitions.

Nothing here is vectorised or clever: moves are enumerated per state
(:func:`accord.gmcr.graph.moves_from`), reachable sets of a coalition are found
by breadth-first search over (state, last mover) pairs, and each stability
definition is checked with explicit loops over improvements and sanctions
(Fang, Hipel & Kilgour 1993, *Interactive Decision Making: The Graph Model for
Conflict Resolution*, Wiley, ch. 3; legal sequences as in Kilgour, Hipel, Fang
& Peng 2001, *Group Decision and Negotiation* 10, 159-175).  Coalitional
improvements, coalition-Nash stability and status quo reachability are
written the same way, one state at a time.  It exists to check the fast
paths on small conflicts, and to produce explanations and paths.

``at_most_once=True`` gives the variant in which each opponent may move at most
once in a sanction (as gmcr-py does); it is *not* the published definition and
is kept only to show where the two differ.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from accord.gmcr.graph import CompiledConflict, moves_from
from accord.gmcr.stability import Concept

__all__ = [
    "coalition_improvements",
    "coalition_reach",
    "improvements",
    "reference_coalition_stable",
    "reference_evolution",
    "reference_stable",
    "reference_stable_at_most_once",
    "stable_at",
]


def improvements(conflict: CompiledConflict, dm: int, state: int) -> list[int]:
    """``R_dm^+(state)``: moves to states ``dm`` strictly prefers."""
    score = conflict.scores[dm]
    return [t for t in moves_from(conflict, dm, state) if score[t] > score[state]]


def coalition_reach(
    conflict: CompiledConflict, coalition: Iterable[int], state: int, *, improving: bool
) -> dict[int, tuple[int, int] | None]:
    """States reachable from ``state`` by a legal sequence of the coalition's moves.

    Breadth-first search over (state, last mover).  Returns a dict mapping each
    reachable state to the (previous state, mover) of the first (shortest) way it
    was reached, so that a path can be read back.  ``state`` itself appears only
    if a legal sequence returns to it.
    """
    members = sorted(set(coalition))
    step = improvements if improving else moves_from
    seen: set[tuple[int, int]] = set()
    parent: dict[int, tuple[int, int] | None] = {}
    queue: deque[tuple[int, int]] = deque()
    for j in members:
        for t in step(conflict, j, state):
            if (t, j) not in seen:
                seen.add((t, j))
                parent.setdefault(t, (state, j))
                queue.append((t, j))
    while queue:
        s, last = queue.popleft()
        for j in members:
            if j == last:
                continue
            for t in step(conflict, j, s):
                if (t, j) not in seen:
                    seen.add((t, j))
                    parent.setdefault(t, (s, j))
                    queue.append((t, j))
    return parent


def coalition_improvements(
    conflict: CompiledConflict, coalition: Iterable[int], state: int
) -> list[int]:
    """``R_H^{++}(state)``: states the coalition reaches by a legal sequence of its
    members' moves that every member strictly prefers (Kilgour, Hipel, Fang & Peng
    2001; Inohara & Hipel 2008, *Systems Engineering* 11(4), Def. 5).  For one DM,
    its unilateral improvements."""
    members = sorted(set(coalition))
    if len(members) == 1:
        return improvements(conflict, members[0], state)
    scores = conflict.scores
    return sorted(
        t
        for t in coalition_reach(conflict, members, state, improving=False)
        if all(scores[j, t] > scores[j, state] for j in members)
    )


def reference_coalition_stable(conflict: CompiledConflict, coalition: Iterable[int]) -> set[int]:
    """Feasible states with no coalitional improvement for ``coalition``, by the definition."""
    members = sorted(set(coalition))
    states = [int(s) for s in conflict.feasible_states()]
    return {s for s in states if not coalition_improvements(conflict, members, s)}


def reference_evolution(
    conflict: CompiledConflict, start: int, coalitions: Iterable[Iterable[int]]
) -> dict[int, int]:
    """Fewest moves from ``start`` to every state reachable by unilateral improvements
    and by the coalitional improvements of ``coalitions``: breadth-first search one
    state at a time (Li, Kilgour & Hipel 2005, status quo analysis)."""
    groups = [sorted(set(c)) for c in coalitions]
    movers = [[i] for i in range(conflict.n_dm)] + [g for g in groups if len(g) >= 2]
    depth = {start: 0}
    queue: deque[int] = deque([start])
    while queue:
        s = queue.popleft()
        for group in movers:
            for t in coalition_improvements(conflict, group, s):
                if t not in depth:
                    depth[t] = depth[s] + 1
                    queue.append(t)
    return depth


def _reach_at_most_once(
    conflict: CompiledConflict, coalition: Iterable[int], state: int, *, improving: bool
) -> set[int]:
    """Reach when each member moves at most once (any order): the gmcr-py variant."""
    step = improvements if improving else moves_from
    out: set[int] = set()
    frontier = [(state, frozenset(coalition))]
    while frontier:
        s, left = frontier.pop()
        for j in left:
            for t in step(conflict, j, s):
                out.add(t)
                frontier.append((t, left - {j}))
    return out


def _stable(conflict: CompiledConflict, dm: int, concept: Concept, state: int, once: bool) -> bool:
    score = conflict.scores[dm]
    others = [j for j in range(conflict.n_dm) if j != dm]
    base = score[state]
    for s1 in improvements(conflict, dm, state):
        if concept == "nash":
            return False
        improving = concept == "seq"
        reach: Iterable[int]
        if once:
            reach = _reach_at_most_once(conflict, others, s1, improving=improving)
        else:
            reach = coalition_reach(conflict, others, s1, improving=improving)
        sanctioned = False
        for s2 in reach:
            if score[s2] > base:
                continue
            if concept == "smr" and any(score[s3] > base for s3 in moves_from(conflict, dm, s2)):
                continue
            sanctioned = True
            break
        if not sanctioned:
            return False
    return True


def stable_at(conflict: CompiledConflict, dm: int, concept: Concept, state: int) -> bool:
    """Whether one feasible ``state`` is stable for ``dm`` under ``concept``, by the definition."""
    return _stable(conflict, dm, concept, state, once=False)


def reference_stable(conflict: CompiledConflict, dm: int, concept: Concept) -> set[int]:
    """Feasible states stable for ``dm`` under ``concept``, by the definition."""
    states = [int(s) for s in conflict.feasible_states()]
    return {s for s in states if _stable(conflict, dm, concept, s, once=False)}


def reference_stable_at_most_once(
    conflict: CompiledConflict, dm: int, concept: Concept
) -> set[int]:
    """As :func:`reference_stable` but each opponent moves at most once per sanction."""
    states = [int(s) for s in conflict.feasible_states()]
    return {s for s in states if _stable(conflict, dm, concept, s, once=True)}
