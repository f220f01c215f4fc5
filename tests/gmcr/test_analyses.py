"""Coalition analysis, status quo analysis, inverse GMCR and explanations."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.gmcr.coalition import analyze_coalitions, coalition_structure
from accord.gmcr.evolution import status_quo_analysis
from accord.gmcr.explain import describe, explain_state
from accord.gmcr.graph import CompiledConflict, moves_from
from accord.gmcr.inverse import count_rankings, inverse_gmcr
from accord.gmcr.reference import improvements
from accord.gmcr.stability import STABILITY_CONCEPTS, analyze_stability

from .strategies import option_conflicts
from .test_textbook import ELMIRA_UR, elmira_graph


def test_elmira_coalition_of_moe_and_uniroyal_breaks_state_5_not_state_8() -> None:
    """Kilgour, Hipel, Fang & Peng (2001), Group Decision and Negotiation 10: in Elmira,
    state 5 is a strong equilibrium for the DMs acting alone, but MoE and UR together
    move to state 8 (MoE modifies the order, UR accepts it), which both prefer; state 8
    survives the coalition."""
    conflict = elmira_graph(ELMIRA_UR[0])
    result = analyze_stability(conflict)
    coal = analyze_coalitions(conflict, coalition_structure(conflict, ["MoE", "UR"]), result)
    s5, s8 = 4, 7  # indices of states 5 and 8
    assert coal.survives["nash"] == {4: False, 7: True, 8: True}
    assert coal.breaks[s5] == (("MoE", "UR"), s8)
    assert s8 in coal.equilibria.tolist()


def test_elmira_status_quo_evolves_to_state_8_through_state_5() -> None:
    """Fang, Hipel & Kilgour (1993) / Kilgour et al. (2001): from the status quo (state 1)
    LG insists on the original order (state 5), then the MoE-UR coalition moves to 8."""
    conflict = elmira_graph(ELMIRA_UR[0])
    result = analyze_stability(conflict)
    sq = status_quo_analysis(conflict, result, 0)
    path = {p.target: [(s.movers, s.state) for s in p.steps] for p in sq.paths}
    assert path[7] == [(("LG",), 4), (("MoE", "UR"), 7)]
    assert path[4] == [(("LG",), 4)]
    unilateral = status_quo_analysis(conflict, result, 0, coalitions=[])
    assert 7 not in {p.target for p in unilateral.paths}  # 8 needs the coalition


@settings(max_examples=40, deadline=None)
@given(option_conflicts(max_options=5, max_dms=3))
def test_status_quo_paths_are_chains_of_improvements(conflict: CompiledConflict) -> None:
    result = analyze_stability(conflict)
    start = int(conflict.feasible_states()[0])
    sq = status_quo_analysis(conflict, result, start, coalitions=[])
    for path in sq.paths:
        here = start
        for step in path.steps:
            (mover,) = step.movers
            assert step.state in improvements(conflict, conflict.dm_index(mover), here)
            here = step.state
        assert here == path.target


@settings(max_examples=25, deadline=None)
@given(option_conflicts(max_options=4, max_dms=3), st.data())
def test_inverse_counts_match_forward_analysis_of_every_ranking(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    from dataclasses import replace
    from itertools import permutations

    states = conflict.feasible_states().tolist()
    vary = data.draw(st.lists(st.sampled_from(states), unique=True, max_size=4))
    target = data.draw(st.sampled_from(states))
    dm = data.draw(st.integers(0, conflict.n_dm - 1))
    result = inverse_gmcr(conflict, dm, target, vary=vary)
    values = [int(conflict.scores[dm, s]) for s in sorted(vary)]
    distinct = set(permutations(values))
    assert result.total == len(distinct) == count_rankings(values)
    want = dict.fromkeys(STABILITY_CONCEPTS, 0)
    for perm in distinct:
        scores = conflict.scores.copy()
        scores[dm, sorted(vary)] = perm
        forward = analyze_stability(replace(conflict, scores=scores))
        for c in STABILITY_CONCEPTS:
            want[c] += int(target in forward.equilibria(c).tolist())
    assert result.counts == want


@settings(max_examples=40, deadline=None)
@given(option_conflicts(max_options=5, max_dms=3), st.data())
def test_explanations_agree_with_the_analysis_and_show_valid_sanctions(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    state = data.draw(st.sampled_from(conflict.feasible_states().tolist()))
    result = analyze_stability(conflict)
    explanation = explain_state(conflict, state)
    for item in explanation.concepts:
        i = conflict.dm_index(item.dm)
        assert item.stable == result.is_stable(item.dm, item.concept, state)
        for imp in item.improvements:
            if imp.sanction is None:
                continue
            here, last = imp.improvement, None
            for move in imp.sanction:
                j = conflict.dm_index(move.mover)
                assert j != i and move.mover != last
                assert move.state in moves_from(conflict, j, here)
                if item.concept == "seq":
                    assert conflict.scores[j, move.state] > conflict.scores[j, here]
                here, last = move.state, move.mover
            assert conflict.scores[i, here] <= conflict.scores[i, state]
    assert len(describe(conflict, explanation)) >= conflict.n_dm * len(STABILITY_CONCEPTS)


def test_inverse_for_elmira_local_government() -> None:
    """LG's only move from state 8 is to state 4 (dropping its insistence).  Reordering
    LG's four most preferred states (7, 3, 5, 1), all above 8 and 4, never changes
    whether 8 is an equilibrium: all 24 orders keep it.  Letting 8 and 4 trade places
    gives two rankings, and 8 stays Nash stable in exactly the one with 8 above 4."""
    conflict = elmira_graph(ELMIRA_UR[0])
    result = inverse_gmcr(conflict, 2, 7, vary=[6, 2, 4, 0])
    assert result.total == 24
    assert result.counts == dict.fromkeys(STABILITY_CONCEPTS, 24)
    swapped = inverse_gmcr(conflict, 2, 7, vary=[7, 3])  # states 8 and 4 trade places
    assert swapped.total == 2
    assert swapped.counts["nash"] == 1
    # the analysis never changes the conflict it was given
    assert np.all(conflict.scores[2] == elmira_graph(ELMIRA_UR[0]).scores[2])
