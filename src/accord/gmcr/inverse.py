"""Inverse GMCR: which preferences of one decision maker make a chosen state an equilibrium?

Forward analysis takes preferences and finds equilibria; the inverse problem
takes a desired equilibrium and asks which preference rankings produce it
(Kinsara, Kilgour & Hipel 2015, "Inverse approach to the graph model for
conflict resolution", *IEEE Trans. Systems, Man, and Cybernetics: Systems*
45(5), 734-742).  accord answers it for small models by enumeration, within a
stated range:

* one decision maker's ranking varies; every other decision maker keeps its own;
* only the states in ``vary`` move: they exchange their places in that
  decision maker's ranking (all distinct orders of their current scores, so
  ties among them are kept as ties), every other state keeps its place.

With ``m`` varied states there are at most ``m!`` rankings (8 states: 40 320),
which is why the range is bounded by :data:`accord.limits.MAX_INVERSE_RANKINGS`;
varying every state of a ten-state model would already be 3.6 million rankings.

The default range (:func:`default_vary`) is the target and the states the
decision maker can reach from it in one move: their order in its ranking is
what decides whether it would leave the target (Nash stability), and the
question the inverse problem is usually asked about ("how much would DM have
to prefer the target to its alternatives?").  It stays small because a
decision maker controls few options: at most ``2**k`` states for ``k``
options (cairo-2024's Israel, four options: the target and six moves, 5 040
rankings at most).  Sanctions (GMR, SMR, SEQ) also involve states further
away; name them in ``vary`` to let them move too.

Only what changes is recomputed: the target's Nash, GMR and SMR stability for
the other decision makers does not depend on the varied decision maker's
preferences (their sanctions are unrestricted moves), so it is computed once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from accord.errors import LimitExceeded, UserInputError
from accord.gmcr.graph import CompiledConflict, moves_from
from accord.gmcr.reference import stable_at
from accord.gmcr.stability import STABILITY_CONCEPTS, Concept
from accord.limits import MAX_INVERSE_RANKINGS

__all__ = ["InverseResult", "check_range", "count_rankings", "default_vary", "inverse_gmcr"]


@dataclass(frozen=True)
class InverseResult:
    """Rankings of ``dm`` (within the range) that make ``target`` an equilibrium.

    ``rankings[concept]`` lists, for up to ``limit`` matches, the ranking as
    groups of tied states (indices), most preferred first; ``counts[concept]``
    counts all matches among ``total`` rankings tried.
    """

    dm: str
    target: int
    varied: tuple[int, ...]
    total: int
    counts: dict[str, int]
    rankings: dict[str, tuple[tuple[tuple[int, ...], ...], ...]]


def count_rankings(scores: Sequence[int]) -> int:
    """Distinct orders of a multiset of scores: ``m! / prod(k!)`` over tied groups."""
    out = math.factorial(len(scores))
    for k in Counter(scores).values():
        out //= math.factorial(k)
    return out


def default_vary(conflict: CompiledConflict, dm: int, target: int) -> tuple[int, ...]:
    """The default range: ``target`` and the feasible states ``dm`` can move to from it."""
    _check_feasible(conflict, target, "the target")
    return tuple(sorted({target, *moves_from(conflict, dm, target)}))


def _check_feasible(conflict: CompiledConflict, state: int, what: str) -> None:
    if not 0 <= state < conflict.n_index or not conflict.feasible[state]:
        shown = conflict.vector(state) if 0 <= state < conflict.n_index else str(state)
        raise UserInputError(f"{what} must be a feasible state, not {shown}")


def check_range(
    conflict: CompiledConflict,
    dm: int,
    varied: Sequence[int],
    max_rankings: int = MAX_INVERSE_RANKINGS,
) -> int:
    """The number of rankings of ``dm`` that move ``varied``, or LimitExceeded past the limit.

    Cheap (a multinomial count), so views call it before printing anything.
    """
    for s in varied:
        _check_feasible(conflict, s, "a varied state")
    values = [int(conflict.scores[dm, s]) for s in sorted(set(varied))]
    total = count_rankings(values)
    if total > max_rankings:
        raise LimitExceeded(
            f"{len(values)} varied states give {total:,} rankings, more than {max_rankings:,} "
            "(accord.limits.MAX_INVERSE_RANKINGS); vary fewer states with --vary"
        )
    return total


def _distinct_permutations(items: list[int]) -> Iterator[tuple[int, ...]]:
    """All distinct orderings of a multiset, each once (lexicographic next permutation)."""
    a = sorted(items)
    while True:
        yield tuple(a)
        i = len(a) - 2
        while i >= 0 and a[i] >= a[i + 1]:
            i -= 1
        if i < 0:
            return
        j = len(a) - 1
        while a[j] <= a[i]:
            j -= 1
        a[i], a[j] = a[j], a[i]
        a[i + 1 :] = reversed(a[i + 1 :])


def _groups(scores: np.ndarray, states: np.ndarray) -> tuple[tuple[int, ...], ...]:
    by: dict[int, list[int]] = {}
    for s in states.tolist():
        by.setdefault(int(scores[s]), []).append(int(s))
    return tuple(tuple(by[k]) for k in sorted(by, reverse=True))


def inverse_gmcr(
    conflict: CompiledConflict,
    dm: int,
    target: int,
    *,
    vary: Sequence[int] | None = None,
    concepts: Sequence[Concept] = STABILITY_CONCEPTS,
    max_rankings: int = MAX_INVERSE_RANKINGS,
    limit: int = 50,
) -> InverseResult:
    """Enumerate ``dm``'s rankings in the range and count those making ``target`` an equilibrium.

    ``vary`` defaults to :func:`default_vary` (the target and ``dm``'s moves from it).
    Raises UserInputError for an infeasible target or varied state, and LimitExceeded when
    the range holds more than ``max_rankings`` rankings (name fewer states in ``vary``).
    """
    states = conflict.feasible_states()
    _check_feasible(conflict, target, "the target")
    varied = sorted(set(default_vary(conflict, dm, target) if vary is None else vary))
    total = check_range(conflict, dm, varied, max_rankings)
    values = [int(conflict.scores[dm, s]) for s in varied]
    others = [i for i in range(conflict.n_dm) if i != dm]
    fixed = {
        (i, c): stable_at(conflict, i, c, target) for i in others for c in concepts if c != "seq"
    }
    counts: dict[str, int] = dict.fromkeys(concepts, 0)
    found: dict[str, list[tuple[tuple[int, ...], ...]]] = {c: [] for c in concepts}
    idx = np.asarray(varied, dtype=np.int64)
    for perm in _distinct_permutations(values):
        scores = conflict.scores.copy()
        scores[dm, idx] = perm
        trial = replace(conflict, scores=scores)
        for c in concepts:
            ok = stable_at(trial, dm, c, target) and all(
                fixed[(i, c)] if c != "seq" else stable_at(trial, i, c, target) for i in others
            )
            if ok:
                counts[c] += 1
                if len(found[c]) < limit:
                    found[c].append(_groups(scores[dm], states))
    return InverseResult(
        conflict.decision_makers[dm],
        target,
        tuple(varied),
        total,
        counts,
        {c: tuple(v) for c, v in found.items()},
    )
