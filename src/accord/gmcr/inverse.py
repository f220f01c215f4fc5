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
which is why the range is bounded by ``max_rankings``; varying every state of
a ten-state model would already be 3.6 million rankings.

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

from accord.gmcr.graph import CompiledConflict
from accord.gmcr.reference import stable_at
from accord.gmcr.stability import STABILITY_CONCEPTS, Concept

__all__ = ["InverseResult", "count_rankings", "inverse_gmcr"]


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
    max_rankings: int = 40_320,
    limit: int = 50,
) -> InverseResult:
    """Enumerate ``dm``'s rankings in the range and count those making ``target`` an equilibrium.

    ``vary`` defaults to every feasible state.  Raises ValueError when the range
    holds more than ``max_rankings`` rankings (name fewer states in ``vary``).
    """
    states = conflict.feasible_states()
    if not conflict.feasible[target]:
        raise ValueError("the target must be a feasible state")
    varied = sorted(set(states.tolist() if vary is None else vary))
    for s in varied:
        if not conflict.feasible[s]:
            raise ValueError(f"cannot vary the rank of an infeasible state ({conflict.vector(s)})")
    base = conflict.scores[dm].copy()
    values = [int(base[s]) for s in varied]
    total = count_rankings(values)
    if total > max_rankings:
        raise ValueError(
            f"{len(varied)} varied states give {total} rankings, more than {max_rankings}; "
            "vary fewer states"
        )
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
