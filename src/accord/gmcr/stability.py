"""Stability of states for each decision maker: Nash, GMR, SMR and SEQ.

Definitions (n-decision-maker form; Fang, Hipel & Kilgour 1993, *Interactive
Decision Making: The Graph Model for Conflict Resolution*, Wiley, ch. 3,
Defs. 3.1-3.4 for two DMs and their n-DM extensions; Hipel, Kilgour, Fang &
Peng 1997, "The decision support system GMCR in environmental conflict
management", *Applied Mathematics and Computation* 83, 117-152).  For a DM
``i``, ``N - i`` are its opponents, ``R_i(s)`` its unilateral moves and
``R_i^+(s)`` its unilateral improvements from state ``s``:

* **Nash (R)**: ``R_i^+(s)`` is empty.
* **GMR**: for every ``s1`` in ``R_i^+(s)`` there is ``s2`` in ``R_{N-i}(s1)``
  with ``s2 <=_i s`` (a sanction).
* **SMR**: as GMR, and moreover every ``s3`` in ``R_i(s2)`` has ``s3 <=_i s``
  (``i`` cannot escape the sanction).
* **SEQ**: as GMR with the sanction drawn from ``R^+_{N-i}(s1)``: the opponents
  only make moves that improve the mover.

``R_H(s)`` (``R_H^+(s)``) is the set reached from ``s`` by a *legal sequence*
of unilateral moves (improvements) of the members of coalition ``H``: any
member may move any number of times, but never twice in a row (Fang, Hipel &
Kilgour 1993, sec. 3.3; Kilgour, Hipel, Fang & Peng 2001, "Coalition analysis
in group decision support", *Group Decision and Negotiation* 10, 159-175;
Inohara & Hipel 2008, "Coalition analysis in the graph model for conflict
resolution", *Systems Engineering* 11(4), 343-359).

Algorithm.  No reachable set is materialised.  Each concept asks whether some
state of a reachable set is *at most* as preferred as ``s``, so it is enough to
know ``min {v(s2) : s2 in R_H(s1)}`` for a value ``v`` per state (``v`` is
DM ``i``'s score for GMR/SEQ and, for SMR, the best score ``i`` can reach from
``s2`` in at most one move).  Writing ``V_j(s)`` for that minimum over legal
sequences whose *first* mover is ``j``::

    V_j(s) = min over s' in R_j(s) of  min(v(s'), min_{k in H, k != j} V_k(s'))

which is the fixpoint over (state, last mover) pairs.  It is computed by
monotone value iteration from ``+inf`` (Gauss-Seidel over the members), each
step a vectorised reduction over one DM's moves
(:func:`accord.gmcr.graph.extreme_over_moves`).  The values only decrease and
take finitely many values, so the iteration stops; its limit is the minimum
over all finite legal sequences.  Then ``s`` is stable for ``i`` iff
``max {m(s1) : s1 in R_i^+(s)} <= score_i(s)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.deprecation import deprecated_alias, deprecated_names
from accord.gmcr.graph import NEG, POS, CompiledConflict, IntArray, extreme_over_moves

__all__ = [
    "STABILITY_CONCEPTS",
    "Concept",
    "Stability",
    "StabilityTheoremError",
    "analyze_stability",
    "reachable_extreme",
    "stable_states",
]

Concept = Literal["nash", "gmr", "smr", "seq"]
STABILITY_CONCEPTS: tuple[Concept, ...] = ("nash", "gmr", "smr", "seq")
"""The GMCR stability concepts, in the order every view lists them.  (Not the bargaining
solutions, registered in :mod:`accord.analysis.solutions`.)"""

__getattr__ = deprecated_names(__name__, {"CONCEPTS": ("STABILITY_CONCEPTS", STABILITY_CONCEPTS)})


def reachable_extreme(
    conflict: CompiledConflict,
    coalition: Iterable[int],
    values: IntArray,
    *,
    improving: bool,
    op: Literal["min", "max"] = "min",
    max_sweeps: int | None = None,
) -> IntArray:
    """For every state ``s``: the min (or max) of ``values`` over ``R_H(s)`` (or ``R_H^+(s)``).

    ``H`` is ``coalition`` (DM indices).  Empty reachable set -> the reducer's
    identity.  See the module docstring for the fixpoint; ``max_sweeps`` only
    guards against a bug (the iteration provably stops).
    """
    members = sorted(set(coalition))
    ident = POS if op == "min" else NEG
    better = np.minimum if op == "min" else np.maximum
    v = np.where(conflict.feasible, np.asarray(values, dtype=np.int64), ident)
    first = {j: np.full(conflict.n_index, ident, dtype=np.int64) for j in members}
    limit = max_sweeps if max_sweeps is not None else 2 * conflict.n_index * len(members) + 2
    for _ in range(limit):
        changed = False
        for j in members:
            g = v
            for k in members:
                if k != j:
                    g = better(g, first[k])
            new = extreme_over_moves(conflict, j, g, improving=improving, op=op)
            if not np.array_equal(new, first[j]):
                changed = True
                first[j] = new
        if not changed:
            break
    else:  # pragma: no cover - the iteration is monotone on a finite lattice
        raise RuntimeError("legal-sequence fixpoint did not converge")
    out = np.full(conflict.n_index, ident, dtype=np.int64)
    for j in members:
        out = better(out, first[j])
    return out


def stable_states(conflict: CompiledConflict, dm: int, concept: Concept) -> NDArray[np.bool_]:
    """Mask over the index space: feasible states stable for ``dm`` under ``concept``."""
    score = conflict.scores[dm]
    others = [j for j in range(conflict.n_dm) if j != dm]
    if concept == "nash":
        best = extreme_over_moves(conflict, dm, score, improving=False, op="max")
        nash: NDArray[np.bool_] = conflict.feasible & (best <= score)
        return nash
    if concept == "gmr":
        sanction = reachable_extreme(conflict, others, score, improving=False)
    elif concept == "seq":
        sanction = reachable_extreme(conflict, others, score, improving=True)
    elif concept == "smr":
        # the best DM dm can do from s2: stay, or move once
        escape = np.maximum(
            score, extreme_over_moves(conflict, dm, score, improving=False, op="max")
        )
        sanction = reachable_extreme(conflict, others, escape, improving=False)
    else:
        raise ValueError(
            f"unknown stability concept {concept!r}; expected one of {STABILITY_CONCEPTS}"
        )
    # the worst case over DM dm's improvements of the best sanction against it
    worst = extreme_over_moves(conflict, dm, sanction, improving=True, op="max")
    stable: NDArray[np.bool_] = conflict.feasible & (worst <= score)
    return stable


class StabilityTheoremError(AssertionError):
    """Results that contradict the inclusions every GMCR analysis must satisfy.

    For every DM, Nash-stable states are SMR and SEQ stable, and SMR- and
    SEQ-stable states are GMR stable (Fang, Hipel & Kilgour 1989, "Conflict
    models in graph form: solution concepts and their interrelationships",
    *EJOR* 41, 86-100, Theorem 1; the proofs carry over to legal sequences,
    since ``R^+_H(s)`` is a subset of ``R_H(s)``).  Raised only by a bug.
    """


def _check_inclusions(stable: Mapping[str, Mapping[str, NDArray[np.bool_]]]) -> None:
    pairs = [("nash", "smr"), ("nash", "seq"), ("smr", "gmr"), ("seq", "gmr")]
    for dm, by in stable.items():
        for small, big in pairs:
            if small in by and big in by and np.any(by[small] & ~by[big]):
                raise StabilityTheoremError(
                    f"{dm}: a state is {small.upper()} stable but not {big.upper()} stable"
                )


@dataclass(frozen=True, eq=False)
class Stability:
    """Stability of every feasible state, for every DM and concept.

    ``states`` are the indices of the feasible states (ascending);
    ``stable[dm][concept]`` is a boolean array aligned with ``states``.
    """

    conflict: CompiledConflict
    states: IntArray
    stable: Mapping[str, Mapping[str, NDArray[np.bool_]]]
    concepts: tuple[Concept, ...] = field(default=STABILITY_CONCEPTS)

    def equilibria(self, concept: Concept) -> IntArray:
        """States stable for every DM under ``concept``."""
        mask = np.ones(len(self.states), dtype=bool)
        for dm in self.conflict.decision_makers:
            mask &= self.stable[dm][concept]
        return self.states[mask]

    def is_stable(self, dm: str, concept: Concept, state: int) -> bool:
        pos = int(np.searchsorted(self.states, state))
        return bool(self.stable[dm][concept][pos])


def analyze_stability(
    conflict: CompiledConflict, concepts: Sequence[Concept] = STABILITY_CONCEPTS
) -> Stability:
    """Nash, GMR, SMR and SEQ stability of every feasible state for every DM."""
    for c in concepts:
        if c not in STABILITY_CONCEPTS:
            raise ValueError(
                f"unknown stability concept {c!r}; expected one of {STABILITY_CONCEPTS}"
            )
    states = conflict.feasible_states()
    stable: dict[str, dict[str, NDArray[np.bool_]]] = {
        name: {c: stable_states(conflict, i, c)[states] for c in concepts}
        for i, name in enumerate(conflict.decision_makers)
    }
    _check_inclusions(stable)
    return Stability(conflict, states, stable, tuple(concepts))


analyse_stability = deprecated_alias(analyze_stability, "analyse_stability")
