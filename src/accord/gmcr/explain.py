"""Why a state is stable or not: improvements, sanctions and escapes, spelled out.

For a state ``s``, each decision maker ``i`` and each concept, the
explanation lists ``i``'s unilateral improvements from ``s`` and, for each,
either a sanction that blocks it (the opponents' legal sequence of moves, or
of improvements for SEQ, from the improvement to a state ``i`` does not
prefer to ``s``; for SMR also that ``i`` has no escape from it to a state
better than ``s``) or why there is none.  The definitions are those of
:mod:`accord.gmcr.stability` (Fang, Hipel & Kilgour 1993, ch. 3); the search
is breadth-first over (state, last mover), so each sanction shown is a
shortest one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from accord.gmcr.graph import CompiledConflict, moves_from
from accord.gmcr.reference import improvements
from accord.gmcr.stability import STABILITY_CONCEPTS, Concept

__all__ = [
    "ConceptExplanation",
    "ImprovementExplanation",
    "Move",
    "StateExplanation",
    "describe",
    "explain_state",
    "sanction_path",
]


@dataclass(frozen=True)
class Move:
    """One move of a sequence: the decision maker who moved and the state reached."""

    mover: str
    state: int


@dataclass(frozen=True)
class ImprovementExplanation:
    """An improvement of the focal DM and the sanction that blocks it (None: unblocked).

    ``escape`` (SMR only) is a counter-move of the focal DM from the end of an
    otherwise blocking sanction to a state it prefers to the starting state,
    shown when no sanction without escape exists.
    """

    improvement: int
    sanction: tuple[Move, ...] | None
    escape: int | None = None


@dataclass(frozen=True)
class ConceptExplanation:
    dm: str
    concept: str
    stable: bool
    improvements: tuple[ImprovementExplanation, ...]


@dataclass(frozen=True)
class StateExplanation:
    state: int
    concepts: tuple[ConceptExplanation, ...]


def sanction_path(
    conflict: CompiledConflict,
    coalition: Sequence[int],
    start: int,
    *,
    improving: bool,
    accept: Callable[[int], bool],
) -> tuple[Move, ...] | None:
    """A shortest legal sequence of the coalition's moves from ``start`` to a state
    that ``accept`` approves, or None.  BFS over (state, last mover)."""
    members = sorted(set(coalition))
    step = improvements if improving else moves_from
    parent: dict[tuple[int, int], tuple[int, int] | None] = {}
    queue: deque[tuple[int, int]] = deque()
    for j in members:
        for t in step(conflict, j, start):
            if (t, j) not in parent:
                parent[(t, j)] = None
                queue.append((t, j))
    while queue:
        node = queue.popleft()
        s, last = node
        if accept(s):
            path = []
            cur: tuple[int, int] | None = node
            while cur is not None:
                path.append(Move(conflict.decision_makers[cur[1]], cur[0]))
                cur = parent[cur]
            return tuple(reversed(path))
        for j in members:
            if j == last:
                continue
            for t in step(conflict, j, s):
                if (t, j) not in parent:
                    parent[(t, j)] = node
                    queue.append((t, j))
    return None


def _explain(conflict: CompiledConflict, dm: int, concept: Concept, s: int) -> ConceptExplanation:
    score = conflict.scores[dm]
    base = score[s]
    others = [j for j in range(conflict.n_dm) if j != dm]
    items = []
    for s1 in improvements(conflict, dm, s):
        if concept == "nash":
            items.append(ImprovementExplanation(s1, None))
            continue

        def no_better(t: int) -> bool:
            return bool(score[t] <= base)

        def no_escape(t: int) -> bool:
            return no_better(t) and all(score[u] <= base for u in moves_from(conflict, dm, t))

        improving = concept == "seq"
        accept = no_escape if concept == "smr" else no_better
        path = sanction_path(conflict, others, s1, improving=improving, accept=accept)
        escape = None
        if path is None and concept == "smr":
            weak = sanction_path(conflict, others, s1, improving=False, accept=no_better)
            if weak is not None:
                end = weak[-1].state
                escape = next(u for u in moves_from(conflict, dm, end) if score[u] > base)
        items.append(ImprovementExplanation(s1, path, escape))
    stable = all(item.sanction is not None for item in items)
    return ConceptExplanation(conflict.decision_makers[dm], concept, stable, tuple(items))


def explain_state(
    conflict: CompiledConflict, state: int, concepts: Sequence[Concept] = STABILITY_CONCEPTS
) -> StateExplanation:
    """Explain the stability of ``state`` for every DM under every concept."""
    if not conflict.feasible[state]:
        raise ValueError("only a feasible state can be explained")
    return StateExplanation(
        state,
        tuple(_explain(conflict, i, c, state) for i in range(conflict.n_dm) for c in concepts),
    )


def describe(conflict: CompiledConflict, explanation: StateExplanation) -> list[str]:
    """The explanation as sentences, one per line."""
    lab = conflict.label
    s = explanation.state
    lines = []
    for item in explanation.concepts:
        verdict = "stable" if item.stable else "unstable"
        head = f"{item.dm}, {item.concept.upper()}: {lab(s)} is {verdict}"
        if not item.improvements:
            lines.append(f"{head}: {item.dm} has no unilateral improvement from it.")
            continue
        lines.append(f"{head}.")
        for imp in item.improvements:
            if item.concept == "nash":
                lines.append(f"  {item.dm} can improve to {lab(imp.improvement)}.")
            elif imp.sanction is not None:
                seq = ", then ".join(f"{m.mover} moves to {lab(m.state)}" for m in imp.sanction)
                lines.append(
                    f"  {item.dm}'s improvement to {lab(imp.improvement)} is sanctioned: {seq}, "
                    f"which {item.dm} does not prefer to {lab(s)}."
                )
            else:
                kind = "improvements" if item.concept == "seq" else "moves"
                why = (
                    f"every sanction lets {item.dm} escape (e.g. to {lab(imp.escape)})"
                    if imp.escape is not None
                    else f"no legal sequence of the others' {kind} from it reaches a state "
                    f"{item.dm} likes no more than {lab(s)}"
                )
                lines.append(
                    f"  {item.dm}'s improvement to {lab(imp.improvement)} is not blocked: {why}."
                )
    return lines
