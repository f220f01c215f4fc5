"""The vectorised stability analysis agrees with the definition-level reference,
and does not depend on how states are numbered or DMs ordered."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.gmcr.graph import CompiledConflict, extreme_over_moves, moves_from
from accord.gmcr.reference import coalition_reach, improvements, reference_stable
from accord.gmcr.stability import STABILITY_CONCEPTS, reachable_extreme, stable_states

from .strategies import graph_conflicts, option_conflicts, permute_dms, relabel_graph


def _fast(conflict: CompiledConflict, dm: int, concept: str) -> set[int]:
    return {int(s) for s in np.flatnonzero(stable_states(conflict, dm, concept))}


@settings(max_examples=80, deadline=None)
@given(option_conflicts())
def test_option_form_matches_reference(conflict: CompiledConflict) -> None:
    for dm in range(conflict.n_dm):
        for concept in STABILITY_CONCEPTS:
            assert _fast(conflict, dm, concept) == reference_stable(conflict, dm, concept), (
                dm,
                concept,
            )


@settings(max_examples=100, deadline=None)
@given(graph_conflicts())
def test_graph_form_matches_reference(conflict: CompiledConflict) -> None:
    for dm in range(conflict.n_dm):
        for concept in STABILITY_CONCEPTS:
            assert _fast(conflict, dm, concept) == reference_stable(conflict, dm, concept)


@settings(max_examples=80, deadline=None)
@given(option_conflicts(), st.data())
def test_move_reductions_match_enumeration(conflict: CompiledConflict, data: st.DataObject) -> None:
    values = np.array(
        data.draw(
            st.lists(st.integers(-5, 5), min_size=conflict.n_index, max_size=conflict.n_index)
        )
    )
    dm = data.draw(st.integers(0, conflict.n_dm - 1))
    for improving in (False, True):
        for op in ("min", "max"):
            got = extreme_over_moves(conflict, dm, values, improving=improving, op=op)
            for s in conflict.feasible_states():
                targets = (improvements if improving else moves_from)(conflict, dm, int(s))
                want = [values[t] for t in targets]
                if want:
                    assert got[s] == (min(want) if op == "min" else max(want))
                else:
                    assert got[s] in (np.iinfo(np.int64).max, np.iinfo(np.int64).min)


@settings(max_examples=60, deadline=None)
@given(option_conflicts(), st.data())
def test_coalition_reach_extreme_matches_bfs(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    coalition = data.draw(st.lists(st.integers(0, conflict.n_dm - 1), min_size=1, unique=True))
    values = np.arange(conflict.n_index)[::-1].copy()
    for improving in (False, True):
        got = reachable_extreme(conflict, coalition, values, improving=improving)
        for s in conflict.feasible_states():
            reach = coalition_reach(conflict, coalition, int(s), improving=improving)
            if reach:
                assert got[s] == min(values[t] for t in reach)
            else:
                assert got[s] == np.iinfo(np.int64).max


@settings(max_examples=60, deadline=None)
@given(option_conflicts(), st.permutations([0, 1, 2, 3]))
def test_reordering_decision_makers_changes_nothing(
    conflict: CompiledConflict, order: list[int]
) -> None:
    order = [j for j in order if j < conflict.n_dm]
    moved, code_map = permute_dms(conflict, order)
    for new_i, old_i in enumerate(order):
        for concept in STABILITY_CONCEPTS:
            before = {int(code_map[s]) for s in _fast(conflict, old_i, concept)}
            assert _fast(moved, new_i, concept) == before


@settings(max_examples=60, deadline=None)
@given(graph_conflicts(), st.data())
def test_relabelling_states_changes_nothing(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    perm = data.draw(st.permutations(list(range(conflict.n_index))))
    moved = relabel_graph(conflict, perm)
    for dm in range(conflict.n_dm):
        for concept in STABILITY_CONCEPTS:
            assert _fast(moved, dm, concept) == {perm[s] for s in _fast(conflict, dm, concept)}


@settings(max_examples=40, deadline=None)
@given(option_conflicts(max_options=6))
def test_legal_sequences_sanction_at_least_as_much_as_single_moves(
    conflict: CompiledConflict,
) -> None:
    """A sanction in which each opponent moves at most once is a legal sequence, so the
    published definition can only add stable states (GMR, SMR, SEQ)."""
    from accord.gmcr.reference import reference_stable_at_most_once

    for dm in range(conflict.n_dm):
        for concept in ("gmr", "smr", "seq"):
            once = reference_stable_at_most_once(conflict, dm, concept)
            assert once <= _fast(conflict, dm, concept)


@settings(max_examples=60, deadline=None)
@given(st.one_of(option_conflicts(), graph_conflicts()))
def test_solution_concepts_nest_as_the_theorem_says(conflict: CompiledConflict) -> None:
    """Fang, Hipel & Kilgour (1989), EJOR 41, Theorem 1: Nash within SMR and SEQ, both
    within GMR, for every DM (``analyze_stability`` also checks this at run time)."""
    from accord.gmcr.stability import analyze_stability

    result = analyze_stability(conflict)
    for by in result.stable.values():
        assert np.all(by["nash"] <= by["smr"]) and np.all(by["nash"] <= by["seq"])
        assert np.all(by["smr"] <= by["gmr"]) and np.all(by["seq"] <= by["gmr"])


def test_a_violated_inclusion_raises_the_theorem_error() -> None:
    import pytest

    from accord.gmcr.stability import StabilityTheoremError, _check_inclusions

    yes, no = np.array([True]), np.array([False])
    with pytest.raises(StabilityTheoremError, match="SEQ stable but not GMR"):
        _check_inclusions({"a": {"nash": no, "gmr": no, "smr": no, "seq": yes}})
