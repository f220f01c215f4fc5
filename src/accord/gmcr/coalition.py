"""Coalition analysis: can a group of decision makers jointly leave a state?

A coalition ``H`` moves by a legal sequence of its members' unilateral moves
(``R_H(s)``, see :mod:`accord.gmcr.stability`).  A *coalitional improvement*
is a state of ``R_H(s)`` that every member strictly prefers to ``s``:
``R_H^{++}(s)``.  Given a coalition structure (a partition of the decision
makers), a state is *coalition-Nash stable* for a coalition when it has no
coalitional improvement from it (for a single decision maker this is Nash
stability), and a *coalition-Nash equilibrium* of the structure when it is
stable for every coalition in it (Kilgour, Hipel, Fang & Peng 2001,
"Coalition analysis in group decision support", *Group Decision and
Negotiation* 10, 159-175; Inohara & Hipel 2008, "Coalition analysis in the
graph model for conflict resolution", *Systems Engineering* 11(4), 343-359,
Defs. 4-6).

An equilibrium of a non-cooperative concept (Nash, GMR, SMR, SEQ) *survives*
the structure when it is coalition-Nash stable for every coalition in it.

Reachable sets are found per state by breadth-first search over
(state, last mover), which suits the small models coalition analysis is used
on; :data:`MAX_STATES` guards against calling it on a huge model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.gmcr.graph import CompiledConflict, IntArray
from accord.gmcr.reference import coalition_reach, improvements
from accord.gmcr.stability import Stability

__all__ = [
    "MAX_STATES",
    "CoalitionAnalysis",
    "analyse_coalitions",
    "coalition_improvements",
    "coalition_structure",
]

MAX_STATES = 20_000


def coalition_improvements(
    conflict: CompiledConflict, coalition: Sequence[int], state: int
) -> list[int]:
    """``R_H^{++}(state)``: states the coalition can reach that every member strictly prefers."""
    members = sorted(set(coalition))
    if len(members) == 1:
        return improvements(conflict, members[0], state)
    scores = conflict.scores
    return sorted(
        t
        for t in coalition_reach(conflict, members, state, improving=False)
        if all(scores[j, t] > scores[j, state] for j in members)
    )


def coalition_structure(conflict: CompiledConflict, coalition: Sequence[str]) -> list[list[int]]:
    """The partition with ``coalition`` as one block and every other DM alone.

    Raises ValueError for an unknown or repeated decision maker.
    """
    index = []
    for dm in coalition:
        if dm not in conflict.decision_makers:
            known = ", ".join(conflict.decision_makers)
            raise ValueError(f"unknown decision maker {dm!r}; expected one of {known}")
        if conflict.dm_index(dm) in index:
            raise ValueError(f"decision maker {dm!r} named twice in the coalition")
        index.append(conflict.dm_index(dm))
    rest = [[j] for j in range(conflict.n_dm) if j not in index]
    return [sorted(index), *rest]


@dataclass(frozen=True, eq=False)
class CoalitionAnalysis:
    """Coalition-Nash stability of every feasible state under one coalition structure.

    ``stable[k]`` is aligned with ``states`` for the coalition ``structure[k]``;
    ``breaks[state]`` is one coalitional improvement (coalition, target) that
    leaves a state which is not a coalition-Nash equilibrium; ``survives[concept]``
    lists, for each equilibrium of that concept, whether it survives.
    """

    structure: tuple[tuple[str, ...], ...]
    states: IntArray
    stable: tuple[np.ndarray, ...]
    equilibria: IntArray
    breaks: dict[int, tuple[tuple[str, ...], int]]
    survives: dict[str, dict[int, bool]]


def analyse_coalitions(
    conflict: CompiledConflict,
    structure: Sequence[Sequence[int]],
    stability: Stability | None = None,
) -> CoalitionAnalysis:
    """Coalition-Nash stability for a coalition structure (Kilgour et al. 2001)."""
    seen = sorted(j for block in structure for j in block)
    if seen != list(range(conflict.n_dm)):
        raise ValueError("a coalition structure must place every decision maker in one coalition")
    states = conflict.feasible_states()
    if len(states) > MAX_STATES:
        raise ValueError(
            f"coalition analysis enumerates reachable sets per state; {len(states)} states "
            f"exceed {MAX_STATES}"
        )
    names = tuple(tuple(conflict.decision_makers[j] for j in block) for block in structure)
    stable = []
    breaks: dict[int, tuple[tuple[str, ...], int]] = {}
    for block, name in zip(structure, names, strict=True):
        mask = np.ones(len(states), dtype=bool)
        for k, s in enumerate(states.tolist()):
            better = coalition_improvements(conflict, block, s)
            if better:
                mask[k] = False
                breaks.setdefault(s, (name, better[0]))
        stable.append(mask)
    all_stable = np.logical_and.reduce(stable)
    survives: dict[str, dict[int, bool]] = {}
    if stability is not None:
        equilibria_set = set(states[all_stable].tolist())
        for concept in stability.concepts:
            survives[concept] = {
                int(s): int(s) in equilibria_set for s in stability.equilibria(concept)
            }
    return CoalitionAnalysis(names, states, tuple(stable), states[all_stable], breaks, survives)
