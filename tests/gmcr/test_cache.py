"""A compiled conflict's cache belongs to that object alone (issue 11, item 3).

``CompiledConflict`` keeps results derived from its scores and moves (sort plans, flip masks,
reach classes, the reversed conflict) in ``_cache``.  A copy with other scores or moves must
never answer from the original's cache.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.gmcr.coalition import analyze_coalitions
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.stability import analyze_stability

from .strategies import graph_conflicts, option_conflicts


def _fresh(conflict: CompiledConflict, scores: np.ndarray) -> CompiledConflict:  # type: ignore[type-arg]
    """The same conflict with ``scores``, built from its fields (no cache to share)."""
    return CompiledConflict(
        conflict.decision_makers,
        conflict.feasible,
        scores,
        conflict.moves,
        conflict.option_ids,
        conflict.state_names,
        dict(conflict.labels),
        conflict.status_quo,
    )


def _same_stability(a: CompiledConflict, b: CompiledConflict) -> None:
    left, right = analyze_stability(a), analyze_stability(b)
    assert np.array_equal(left.states, right.states)
    for dm in a.decision_makers:
        for c in left.concepts:
            assert np.array_equal(left.stable[dm][c], right.stable[dm][c]), (dm, c)


@settings(max_examples=40, deadline=None)
@given(st.one_of(option_conflicts(max_options=5, max_dms=3), graph_conflicts()), st.data())
def test_replace_after_an_analysis_answers_with_the_new_preferences(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    analyze_stability(conflict)  # fills the cache from the old scores
    analyze_coalitions(conflict, [list(range(conflict.n_dm))])
    perm = data.draw(st.permutations(range(conflict.n_index)))
    scores = conflict.scores[:, list(perm)].copy()
    changed = dataclasses.replace(conflict, scores=scores)
    assert changed._cache is not conflict._cache
    assert changed._cache == {}
    _same_stability(changed, _fresh(conflict, scores))
    structure = [list(range(conflict.n_dm))]
    mine = analyze_coalitions(changed, structure)
    ref = analyze_coalitions(_fresh(conflict, scores), structure)
    assert np.array_equal(mine.equilibria, ref.equilibria)
    assert mine.breaks == ref.breaks


def test_reversed_preferences_are_not_read_from_the_old_cache() -> None:
    """A pinned case: every DM's preference turned round after a full analysis."""
    conflict = CompiledConflict.from_options(
        ["a", "b"], [1, 1], np.array([[0, 1, 2, 3], [3, 1, 2, 0]])
    )
    before = analyze_stability(conflict)
    turned = dataclasses.replace(conflict, scores=-conflict.scores)
    after = analyze_stability(turned)
    assert before.equilibria("nash").tolist() != after.equilibria("nash").tolist()
    _same_stability(turned, _fresh(conflict, -conflict.scores))


def test_the_cache_cannot_be_passed_in_or_copied() -> None:
    conflict = CompiledConflict.from_options(["a", "b"], [1, 1], np.zeros((2, 4), dtype=int))
    analyze_stability(conflict)
    assert conflict._cache  # something was cached
    with pytest.raises(ValueError, match="init=False"):
        dataclasses.replace(conflict, _cache=conflict._cache)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        CompiledConflict(  # type: ignore[call-arg]
            conflict.decision_makers,
            conflict.feasible,
            conflict.scores,
            conflict.moves,
            _cache={},
        )
    assert copy.copy(conflict)._cache == {}
    assert copy.deepcopy(conflict)._cache is not conflict._cache
    assert pickle.loads(pickle.dumps(conflict))._cache is not conflict._cache
    assert "_cache" not in repr(conflict)
