"""Coalition analysis: can a group of decision makers jointly leave a state?

Definitions (Kilgour, Hipel, Fang & Peng 2001, "Coalition analysis in group
decision support", *Group Decision and Negotiation* 10, 159-175; Inohara &
Hipel 2008, "Coalition analysis in the graph model for conflict resolution",
*Systems Engineering* 11(4), 343-359, Defs. 4-6).  A coalition ``H`` moves by
a *legal sequence* of its members' unilateral moves: any member may move any
number of times, never twice in a row; ``R_H(s)`` is the set of states such
sequences reach from ``s``.  A *coalitional improvement* is a state of
``R_H(s)`` that every member strictly prefers to ``s``: ``R_H^{++}(s)``.
Given a coalition structure (a partition of the decision makers), a state is
*coalition-Nash stable* for a coalition when ``R_H^{++}(s)`` is empty (for a
single decision maker this is Nash stability), and a *coalition-Nash
equilibrium* of the structure when it is stable for every coalition in it.
An equilibrium of a non-cooperative concept (Nash, GMR, SMR, SEQ) *survives*
the structure when it is a coalition-Nash equilibrium of it.

Algorithm (vectorised over all states; no reachable set is listed and no
``N x N`` matrix is formed).  The question "is some state of ``R_H(s)``
better than ``s`` for *every* member" is a dominance question, not the min or
max of one value over a reachable set, so it is answered in two ways:

* **Reach classes** (option form, no irreversible option in the coalition's
  blocks).  Lemma: in the option form a DM's move relation is transitive (a
  move then another move of the same DM is a move, or returns to the start),
  so dropping the "never twice in a row" rule reaches no new state other than
  ``s`` itself, which no member strictly prefers to itself.  Without
  irreversible options every move can be undone, so ``R_H(s) + {s}`` is the
  connected component of ``s`` in the graph of the members' moves.  The
  components are found by min-label propagation (each sweep a vectorised
  reduction over one member's moves, :func:`accord.gmcr.graph.extreme_over_moves`,
  plus pointer jumping).  A state is then broken iff another state of its
  component is better for every member: for two members a sort of each
  component by the first member's score and a running maximum of the second
  member's score (``O(N log N)``).
* **Levels** (the general case: irreversible options, the explicit-graph
  form, or three or more members).  The states at each level ``r`` of the
  first member's score ask the same question for one member fewer,
  restricted to the targets the first member ranks above ``r``; with one
  member left it is the maximum of one value over ``R_H(s)``: a maximum per
  class with reach classes; in the option form otherwise, by the lemma, a
  fixpoint over the closure of the members' moves, each step a product-set
  reduction in ``O(k N)``
  (:func:`accord.gmcr.graph.extreme_over_moves_or_stay`); in the
  explicit-graph form, where "never twice in a row" does matter, the
  (state, last mover) fixpoint of
  :func:`accord.gmcr.stability.reachable_extreme`.  The cost is one such
  maximum per distinct score level of each member but the last.

The witness reported for a broken state is the coalitional improvement the
coalition's *last* member ranks highest (ties: the lowest state index); all
methods pick the same one, and the tests check that against the definitions
(:mod:`accord.gmcr.reference`).

Memory: ``int64`` arrays over the index space (``2**n`` codes in the option
form): at the peak about 180 bytes per code for one coalition's
improvements, caches kept on the conflict included (tracemalloc at 18
options), so 180 MiB at 20 options and 3 GiB at 24.  That, not a state
count, is the limit, so there is no state cap; the result objects (one
``breaks`` entry per broken state) come on top, about 250 MiB for the
million states of the 20-option benchmark (docs/performance/gmcr.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.deprecation import deprecated_alias
from accord.gmcr.graph import (
    NEG,
    BoolArray,
    CompiledConflict,
    GraphMoves,
    IntArray,
    OptionMoves,
    extreme_over_moves,
    extreme_over_moves_or_stay,
)
from accord.gmcr.reference import coalition_improvements
from accord.gmcr.stability import Stability, reachable_extreme

__all__ = [
    "CoalitionAnalysis",
    "Method",
    "analyze_coalitions",
    "coalition_improvement_witness",
    "coalition_improvements",
    "coalition_nash_stable",
    "coalition_predecessor",
    "coalition_structure",
    "reach_classes",
    "reversed_conflict",
]

#: ``"auto"`` picks reach classes where they apply, else (option form) the
#: closure fixpoint, else the legal-sequence fixpoint; the others force one
#: method, so that they can be checked against each other.  ``"closure"`` needs
#: the option form, ``"classes"`` also no irreversible option in the coalition;
#: ``"sequences"`` (the (state, last mover) fixpoint of the stability code) works
#: everywhere and does not rely on the transitivity lemma.
Method = Literal["auto", "classes", "closure", "sequences"]


def reversed_conflict(conflict: CompiledConflict) -> CompiledConflict:
    """The same conflict with every move reversed (cached on ``conflict``).

    Option form: an only-up option becomes only-down and vice versa (a move
    ``s -> t`` is legal iff ``t -> s`` is legal in the reversed conflict).
    Explicit form: every arc turned round.  A legal sequence read backwards is
    a legal sequence of the reversed conflict, so reverse reachable sets are
    the reachable sets of the reversed conflict.
    """
    key = "reversed"
    if key not in conflict._cache:
        moves: OptionMoves | GraphMoves
        if isinstance(conflict.moves, OptionMoves):
            m = conflict.moves
            moves = OptionMoves(m.block_sizes, only_up=m.only_down, only_down=m.only_up)
        else:
            moves = GraphMoves(tuple(a[:, ::-1].copy() for a in conflict.moves.arcs))
        conflict._cache[key] = replace(conflict, moves=moves)
    out: CompiledConflict = conflict._cache[key]  # type: ignore[assignment]
    return out


def reach_classes(conflict: CompiledConflict, coalition: Sequence[int]) -> IntArray | None:
    """Labels such that ``R_H(s) + {s}`` is the set of feasible states with ``s``'s label.

    Defined for the option form when no member of ``H`` controls an
    irreversible option (see the module docstring for why legal sequences then
    reach the whole component); ``None`` otherwise.  A label is the lowest index
    of its class; infeasible indices label themselves.  Cached per coalition.
    """
    members = tuple(sorted(set(coalition)))
    moves = conflict.moves
    if not isinstance(moves, OptionMoves):
        return None
    irreversible = moves.only_up | moves.only_down
    if any(irreversible & moves.block_mask(j) for j in members):
        return None
    key = ("reach-classes", members)
    if key not in conflict._cache:
        label = np.arange(conflict.n_index, dtype=np.int64)
        while True:
            before = label
            for j in members:
                label = np.minimum(
                    label, extreme_over_moves(conflict, j, label, improving=False, op="min")
                )
            # pointer jumping: a label is a state of the same class, so take its label
            while True:
                jumped = label[label]
                if np.array_equal(jumped, label):
                    break
                label = jumped
            if np.array_equal(label, before):
                break
        conflict._cache[key] = label
    out: IntArray = conflict._cache[key]  # type: ignore[assignment]
    return out


def _dense_ranks(conflict: CompiledConflict, members: Sequence[int]) -> IntArray:
    """``(len(members), n_index)``: each member's score as a dense rank 0.. over the
    feasible states (equal scores share a rank); -1 at infeasible indices."""
    feasible = conflict.feasible
    out = np.empty((len(members), conflict.n_index), dtype=np.int64)
    for row, j in enumerate(members):
        key = ("dense-rank", j)
        if key not in conflict._cache:
            rank = np.full(conflict.n_index, -1, dtype=np.int64)
            _, inverse = np.unique(conflict.scores[j][feasible], return_inverse=True)
            rank[feasible] = inverse.reshape(-1)
            conflict._cache[key] = rank
        cached: IntArray = conflict._cache[key]  # type: ignore[assignment]
        out[row] = cached
    return out


@dataclass(frozen=True)
class _Reach:
    """How to take a maximum over ``R_H(s)``: per reach class, or by the fixpoint."""

    conflict: CompiledConflict
    members: tuple[int, ...]
    classes: IntArray | None
    closure: bool

    def max_over(self, values: IntArray) -> IntArray:
        """``max values[t]`` over ``t`` in ``R_H(s)`` (and possibly ``s`` itself, which
        never changes a strict-improvement test), for every ``s``."""
        if self.classes is not None:
            feasible = self.conflict.feasible
            best = np.full(self.conflict.n_index, NEG, dtype=np.int64)
            np.maximum.at(best, self.classes[feasible], values[feasible])
            out: IntArray = best[self.classes]
            return out
        if self.closure:
            return _closure_max(self.conflict, self.members, values)
        return reachable_extreme(self.conflict, self.members, values, improving=False, op="max")


def _closure_max(conflict: CompiledConflict, members: Sequence[int], values: IntArray) -> IntArray:
    """Option form: ``max values`` over ``{s} + R_H(s)``, by the transitivity lemma the
    closure of the members' moves.  Monotone Gauss-Seidel iteration from
    ``values`` over :func:`accord.gmcr.graph.extreme_over_moves_or_stay`, each step
    ``O(k N)``; the values only grow and take finitely many values, so it stops."""
    best = np.where(conflict.feasible, values, NEG)
    while True:
        changed = False
        for j in members:
            new = extreme_over_moves_or_stay(conflict, j, best, op="max")
            if not np.array_equal(new, best):
                changed = True
                best = new
        if not changed:
            return best


def _witness(reach: _Reach, ranks: IntArray, cand: BoolArray, query: BoolArray) -> IntArray:
    """For each ``s`` in ``query``: a ``t`` in ``R_H(s)`` and ``cand`` with
    ``ranks[:, t] > ranks[:, s]`` (every row strictly), the one with the highest
    last-row rank (then the lowest index); -1 where there is none."""
    n = reach.conflict.n_index
    out = np.full(n, -1, dtype=np.int64)
    if not query.any() or not cand.any():
        return out
    if len(ranks) == 1:
        r = ranks[0]
        idx = np.arange(n, dtype=np.int64)
        key = np.where(cand, r * n + (n - 1 - idx), NEG)
        best = reach.max_over(key)
        ok = query & (best != NEG) & (best // n > r)
        out[ok] = n - 1 - best[ok] % n
        return out
    if len(ranks) == 2 and reach.classes is not None:
        return _sorted_pair(reach.classes, ranks, cand, query)
    r0 = ranks[0]
    for theta in np.unique(r0[query]).tolist():  # ascending: the targets shrink
        above = cand & (r0 > theta)
        if not above.any():
            break
        at = query & (r0 == theta)
        sub = _witness(reach, ranks[1:], above, at)
        out[at] = sub[at]
    return out


def _sorted_pair(classes: IntArray, ranks: IntArray, cand: BoolArray, query: BoolArray) -> IntArray:
    """Two members, reach classes: sort each class by the first rank (descending) and
    keep a running maximum of (second rank, -index) over the candidates, read just
    before the run of states tied with ``s`` on the first rank."""
    n = classes.shape[0]
    sub = np.flatnonzero(cand | query)
    order = np.lexsort((-ranks[0][sub], classes[sub]))
    sub = sub[order]
    g, a, b = classes[sub], ranks[0][sub], ranks[1][sub]
    m = len(sub)
    key = b * n + (n - 1 - sub)  # distinct: the index breaks ties
    korder = np.argsort(key, kind="stable")
    krank = np.empty(m, dtype=np.int64)
    krank[korder] = np.arange(m)
    new_group = np.ones(m, dtype=bool)
    new_group[1:] = g[1:] != g[:-1]
    base = (np.cumsum(new_group) - 1) * m  # offsets keep each class's running max apart
    running = np.maximum.accumulate(np.where(cand[sub], base + krank, base - 1))
    new_run = new_group.copy()
    new_run[1:] |= a[1:] != a[:-1]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(m), 0))
    before = np.where(run_start > 0, running[np.maximum(run_start - 1, 0)], -1)
    have = before >= base
    t = np.where(have, sub[korder[np.clip(before - base, 0, m - 1)]], -1)
    ok = have & query[sub] & (ranks[1][np.maximum(t, 0)] > b)
    out = np.full(n, -1, dtype=np.int64)
    out[sub[ok]] = t[ok]
    return out


def _reach(
    conflict: CompiledConflict, members: tuple[int, ...], method: Method, *, backwards: bool
) -> _Reach:
    classes = reach_classes(conflict, members) if method in ("auto", "classes") else None
    if method == "classes" and classes is None:
        raise ValueError(
            "reach classes need the option form and no irreversible option in the coalition"
        )
    closure = method in ("auto", "closure") and conflict.is_option_form
    if method == "closure" and not closure:
        raise ValueError("the closure method needs the option form")
    base = reversed_conflict(conflict) if backwards else conflict
    return _Reach(base, members, classes, closure)


def coalition_improvement_witness(
    conflict: CompiledConflict,
    coalition: Sequence[int],
    *,
    targets: BoolArray | None = None,
    method: Method = "auto",
) -> IntArray:
    """For every state ``s``: one coalitional improvement of ``R_H^{++}(s)``, or -1.

    ``targets`` (a mask) restricts the improvements looked for; the one
    returned is the improvement the coalition's last member (by DM index)
    ranks highest, ties broken by the lowest index.  Vectorised; see the
    module docstring.
    """
    members = tuple(sorted(set(coalition)))
    reach = _reach(conflict, members, method, backwards=False)
    cand = conflict.feasible if targets is None else conflict.feasible & targets
    return _witness(reach, _dense_ranks(conflict, members), cand, conflict.feasible)


def coalition_predecessor(
    conflict: CompiledConflict,
    coalition: Sequence[int],
    sources: BoolArray,
    targets: BoolArray,
    *,
    method: Method = "auto",
) -> IntArray:
    """For every state ``t`` in ``targets``: a state ``s`` in ``sources`` with ``t`` in
    ``R_H^{++}(s)`` (the one the last member ranks lowest, then the lowest
    index), or -1.  The backward step of status quo analysis."""
    members = tuple(sorted(set(coalition)))
    reach = _reach(conflict, members, method, backwards=True)
    ranks = _dense_ranks(conflict, members)
    flipped = np.where(ranks >= 0, ranks.max(axis=1, keepdims=True) - ranks, -1)
    feasible = conflict.feasible
    return _witness(reach, flipped, feasible & sources, feasible & targets)


def coalition_nash_stable(
    conflict: CompiledConflict, coalition: Sequence[int], *, method: Method = "auto"
) -> NDArray[np.bool_]:
    """Mask over the index space: feasible states with no coalitional improvement
    for ``coalition`` (coalition-Nash stability; Kilgour et al. 2001)."""
    witness = coalition_improvement_witness(conflict, coalition, method=method)
    stable: NDArray[np.bool_] = conflict.feasible & (witness < 0)
    return stable


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
    leaves a state which is not a coalition-Nash equilibrium (the first
    coalition of the structure that breaks it; the target its last member
    ranks highest); ``survives[concept]`` lists, for each equilibrium of that
    concept, whether it survives.
    """

    structure: tuple[tuple[str, ...], ...]
    states: IntArray
    stable: tuple[np.ndarray, ...]
    equilibria: IntArray
    breaks: dict[int, tuple[tuple[str, ...], int]]
    survives: dict[str, dict[int, bool]]


def analyze_coalitions(
    conflict: CompiledConflict,
    structure: Sequence[Sequence[int]],
    stability: Stability | None = None,
    *,
    method: Method = "auto",
) -> CoalitionAnalysis:
    """Coalition-Nash stability for a coalition structure (Kilgour et al. 2001;
    Inohara & Hipel 2008), vectorised over all states."""
    seen = sorted(j for block in structure for j in block)
    if seen != list(range(conflict.n_dm)):
        raise ValueError("a coalition structure must place every decision maker in one coalition")
    states = conflict.feasible_states()
    names = tuple(tuple(conflict.decision_makers[j] for j in block) for block in structure)
    stable = []
    first_break = np.full(conflict.n_index, -1, dtype=np.int64)
    by = np.full(conflict.n_index, -1, dtype=np.int64)
    for k, block in enumerate(structure):
        witness = coalition_improvement_witness(conflict, block, method=method)
        stable.append(witness[states] < 0)
        fresh = (witness >= 0) & (first_break < 0)
        first_break[fresh] = witness[fresh]
        by[fresh] = k
    broken = np.flatnonzero(first_break >= 0)
    breaks = {
        s: (names[k], t)
        for s, k, t in zip(
            broken.tolist(), by[broken].tolist(), first_break[broken].tolist(), strict=True
        )
    }
    all_stable = np.logical_and.reduce(stable)
    survives: dict[str, dict[int, bool]] = {}
    if stability is not None:
        for concept in stability.concepts:
            survives[concept] = {
                int(s): bool(first_break[s] < 0) for s in stability.equilibria(concept)
            }
    return CoalitionAnalysis(names, states, tuple(stable), states[all_stable], breaks, survives)


analyse_coalitions = deprecated_alias(analyze_coalitions, "analyse_coalitions")
