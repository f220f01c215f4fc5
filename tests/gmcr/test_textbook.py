"""Published and textbook conflicts with exact answers, each with its source."""

from __future__ import annotations

import numpy as np
import pytest

from accord.gmcr.graph import CompiledConflict
from accord.gmcr.reference import reference_stable, reference_stable_at_most_once
from accord.gmcr.stability import analyze_stability


def _two_by_two(a: list[int], b: list[int]) -> CompiledConflict:
    """Two DMs with one option each; scores listed for codes NN, YN, NY, YY
    (first letter: DM A's option, second: DM B's)."""
    return CompiledConflict.from_options(["A", "B"], [1, 1], np.array([a, b]))


def _equilibria(conflict: CompiledConflict) -> dict[str, set[str]]:
    result = analyze_stability(conflict)
    return {c: {conflict.label(int(s)) for s in result.equilibria(c)} for c in result.concepts}


def test_prisoners_dilemma() -> None:
    """Prisoner's Dilemma, option Y = defect.  Fang, Hipel & Kilgour (1993),
    *Interactive Decision Making*, sec. 3.2 (and Fang, Hipel & Kilgour 1989, EJOR 41,
    86-100): Nash {DD}; GMR, SMR and SEQ {CC, DD}."""
    # each DM: defect while the other cooperates > both cooperate > both defect > sucker
    pd = _two_by_two([2, 3, 0, 1], [2, 0, 3, 1])
    eq = _equilibria(pd)
    assert eq == {"nash": {"YY"}, "gmr": {"NN", "YY"}, "smr": {"NN", "YY"}, "seq": {"NN", "YY"}}


def test_chicken() -> None:
    """Chicken, option Y = drive straight on.  Fang, Hipel & Kilgour (1993), sec. 3.2:
    Nash and SEQ the two asymmetric states; GMR and SMR add mutual swerving (NN)."""
    # each DM: straight while the other swerves > both swerve > swerve alone > crash
    chicken = _two_by_two([2, 3, 1, 0], [2, 1, 3, 0])
    eq = _equilibria(chicken)
    assert eq == {
        "nash": {"YN", "NY"},
        "gmr": {"YN", "NY", "NN"},
        "smr": {"YN", "NY", "NN"},
        "seq": {"YN", "NY"},
    }


# -- Elmira groundwater contamination ---------------------------------------------------
# Fang, Hipel & Kilgour (1993), *Interactive Decision Making*, ch. 5 (the Elmira case),
# reanalysed in Hipel et al. (1997) and in Xu, Hipel & Kilgour (2009), "Matrix
# representation of solution concepts in multiple-decision-maker graph models", IEEE
# Trans. SMC-A 39(1), 96-108.  DMs: Ontario Ministry of the Environment (MoE), Uniroyal
# Chemical (UR), local government (LG).  Options: MoE modify the control order; UR delay
# (appeal), accept, abandon; LG insist on the original order.  Nine states, state 9 being
# "UR abandons".  Published equilibria: Nash {5, 8, 9}, GMR {1, 4, 5, 8, 9},
# SMR {1, 4, 5, 8, 9}, SEQ {5, 8, 9}.

ELMIRA_STATES = {  # Modify | Delay Accept Abandon | Insist
    1: "NYNNN",
    2: "YYNNN",
    3: "NNYNN",
    4: "YNYNN",
    5: "NYNNY",
    6: "YYNNY",
    7: "NNYNY",
    8: "YNYNY",
}
ELMIRA_MOE = [7, 3, 4, 8, 5, 1, 2, 6, 9]
ELMIRA_LG = [7, 3, 5, 1, 8, 6, 4, 2, 9]
# UR's ranking as printed in Fang et al. (1993); gmcr-py's Elmira example file orders the
# bottom of it 2, 3, 7, 6 instead.  The published equilibria hold for both.
ELMIRA_UR = ([1, 4, 8, 5, 9, 3, 7, 2, 6], [1, 4, 8, 5, 9, 2, 3, 7, 6])
ELMIRA_EQUILIBRIA = {
    "nash": {5, 8, 9},
    "gmr": {1, 4, 5, 8, 9},
    "smr": {1, 4, 5, 8, 9},
    "seq": {5, 8, 9},
}


def _scores_of(ranking: list[int]) -> np.ndarray:
    out = np.zeros(10, dtype=np.int64)
    for pos, state in enumerate(ranking):
        out[state] = len(ranking) - pos
    return out[1:]


def elmira_graph(ur: list[int]) -> CompiledConflict:
    """The nine-state graph of the Elmira conflict (Fang et al. 1993, Fig. 5.x):
    MoE's modification and UR's abandonment are irreversible, UR cannot resume delaying."""
    moe = [(1, 2), (3, 4), (5, 6), (7, 8)]
    ur_moves = [(1, 3), (2, 4), (5, 7), (6, 8)] + [(s, 9) for s in range(1, 9)]
    lg = [(1, 5), (5, 1), (2, 6), (6, 2), (3, 7), (7, 3), (4, 8), (8, 4)]
    arcs = [[(a - 1, b - 1) for a, b in dm] for dm in (moe, ur_moves, lg)]
    scores = np.stack([_scores_of(ELMIRA_MOE), _scores_of(ur), _scores_of(ELMIRA_LG)])
    return CompiledConflict.from_graph(
        ["MoE", "UR", "LG"], [str(i) for i in range(1, 10)], arcs, scores
    )


def elmira_options(ur: list[int]) -> CompiledConflict:
    """The same conflict in option form: UR must take exactly one of delay, accept and
    abandon; Modify and Abandon only N->Y, Delay only Y->N.  The four codes in which UR
    abandons are tied for every DM and stand for state 9."""
    codes = np.arange(32)
    chosen = ((codes >> 1) & 1) + ((codes >> 2) & 1) + ((codes >> 3) & 1)
    feasible = chosen == 1
    code_of = {
        k: sum(1 << i for i, c in enumerate(v) if c == "Y") for k, v in ELMIRA_STATES.items()
    }

    def scores(ranking: list[int]) -> np.ndarray:
        out = np.zeros(32, dtype=np.int64)
        for pos, state in enumerate(ranking):
            if state == 9:
                out[(codes >> 3) & 1 == 1] = len(ranking) - pos
            else:
                out[code_of[state]] = len(ranking) - pos
        return out

    return CompiledConflict.from_options(
        ["MoE", "UR", "LG"],
        [1, 3, 1],
        np.stack([scores(ELMIRA_MOE), scores(ur), scores(ELMIRA_LG)]),
        feasible,
        only_up=0b01001,
        only_down=0b00010,
    )


@pytest.mark.parametrize("ur", ELMIRA_UR)
def test_elmira_graph_form(ur: list[int]) -> None:
    eq = _equilibria(elmira_graph(ur))
    assert {c: {int(s) for s in states} for c, states in eq.items()} == ELMIRA_EQUILIBRIA


@pytest.mark.parametrize("ur", ELMIRA_UR)
def test_elmira_option_form(ur: list[int]) -> None:
    conflict = elmira_options(ur)
    number = {v: k for k, v in ELMIRA_STATES.items()}
    eq = _equilibria(conflict)
    got = {c: {number.get(s, 9) for s in states} for c, states in eq.items()}
    assert got == ELMIRA_EQUILIBRIA
    # every one of the four abandonment codes is an equilibrium under every concept
    assert all(sum(1 for s in states if s[3] == "Y") == 4 for states in eq.values())


# -- legal sequences versus "each opponent moves at most once" ---------------------------


def test_legal_sequence_sanction_needs_an_opponent_to_move_twice() -> None:
    """Fang, Hipel & Kilgour (1993, sec. 3.3) let a member of the sanctioning coalition
    move more than once (never twice in a row).  Here DM A's improvement s0 -> s1 is
    sanctioned only by B, C, B: t1, t2 are still better for A than s0, t3 is worse.
    With at most one move per opponent (gmcr-py's rule) s0 would not be GMR stable."""
    names = ["s0", "s1", "t1", "t2", "t3"]
    a_moves = [(0, 1)]
    b_moves = [(1, 2), (3, 4)]
    c_moves = [(2, 3)]
    scores = np.array(
        [
            [1, 4, 3, 2, 0],  # A: s1 > t1 > t2 > s0 > t3
            [0, 0, 1, 1, 2],  # B: each of its moves improves (t1 > s1, t3 > t2)
            [0, 0, 0, 1, 0],  # C: t2 > t1
        ]
    )
    conflict = CompiledConflict.from_graph(
        ["A", "B", "C"], names, [a_moves, b_moves, c_moves], scores
    )
    result = analyze_stability(conflict)
    for concept in ("gmr", "smr", "seq"):
        assert result.is_stable("A", concept, 0)
        assert 0 in reference_stable(conflict, 0, concept)
        assert 0 not in reference_stable_at_most_once(conflict, 0, concept)
    assert not result.is_stable("A", "nash", 0)
