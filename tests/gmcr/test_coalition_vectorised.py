"""The vectorised coalition and status quo analyses against the definition-level reference.

Three independent computations are compared: the brute-force reference
(:mod:`accord.gmcr.reference`: breadth-first search over (state, last mover) per
state, straight from Kilgour, Hipel, Fang & Peng 2001 and Inohara & Hipel 2008),
the general fast path over legal sequences (``method="sequences"``) and the
reach-class fast path (``method="classes"``, option form without irreversible
options in the coalition).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.gmcr.coalition import (
    analyze_coalitions,
    coalition_improvement_witness,
    coalition_nash_stable,
    reach_classes,
)
from accord.gmcr.evolution import improvement_tree, status_quo_analysis
from accord.gmcr.graph import CompiledConflict
from accord.gmcr.reference import (
    coalition_improvements,
    coalition_reach,
    reference_coalition_stable,
    reference_evolution,
)
from accord.gmcr.stability import analyze_stability

from .strategies import graph_conflicts, option_conflicts
from .test_textbook import ELMIRA_UR, elmira_graph


def _coalitions(n_dm: int) -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, n_dm - 1), min_size=1, max_size=n_dm, unique=True)


def _expected_witness(conflict: CompiledConflict, members: list[int], s: int) -> int:
    """The documented witness: the improvement the last member ranks highest, then
    the lowest index; -1 when there is none."""
    better = coalition_improvements(conflict, members, s)
    if not better:
        return -1
    last = conflict.scores[max(members)]
    return min(better, key=lambda t: (-int(last[t]), t))


def _check_against_reference(conflict: CompiledConflict, members: list[int]) -> None:
    want = reference_coalition_stable(conflict, members)
    methods = ("auto", "closure", "sequences") if conflict.is_option_form else ("auto", "sequences")
    for method in methods:
        got = coalition_nash_stable(conflict, members, method=method)  # type: ignore[arg-type]
        assert {int(s) for s in np.flatnonzero(got)} == want, method
        witness = coalition_improvement_witness(conflict, members, method=method)  # type: ignore[arg-type]
        for s in conflict.feasible_states().tolist():
            assert witness[s] == _expected_witness(conflict, members, s), (method, s)


@settings(max_examples=120, deadline=None)
@given(option_conflicts(max_options=6), st.data())
def test_option_form_coalition_nash_matches_the_definition(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    _check_against_reference(conflict, data.draw(_coalitions(conflict.n_dm)))


@settings(max_examples=120, deadline=None)
@given(graph_conflicts(), st.data())
def test_graph_form_coalition_nash_matches_the_definition(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    """Explicit arcs are not transitive, so here "never twice in a row" matters."""
    _check_against_reference(conflict, data.draw(_coalitions(conflict.n_dm)))


def test_never_twice_in_a_row_is_enforced_in_the_graph_form() -> None:
    """A moves 0->1 and 1->2; B cannot move.  The coalition {A, B} cannot reach 2
    from 0 (A would move twice in a row), so 0 is coalition-Nash stable although
    both prefer 2; A alone from 1 does reach 2."""
    conflict = CompiledConflict.from_graph(
        ["A", "B"], ["s0", "s1", "s2"], [[(0, 1), (1, 2)], []], np.array([[1, 0, 2], [1, 0, 2]])
    )
    stable = coalition_nash_stable(conflict, [0, 1])
    assert stable.tolist() == [True, False, True]
    assert coalition_improvement_witness(conflict, [0, 1]).tolist() == [-1, 2, -1]


@settings(max_examples=80, deadline=None)
@given(option_conflicts(max_options=7), st.data())
def test_reach_classes_are_the_legal_sequence_reachable_sets(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    """Where reach classes apply, ``R_H(s) + {s}`` is exactly the class of ``s``
    (the transitivity lemma of the coalition module docstring)."""
    members = data.draw(_coalitions(conflict.n_dm))
    classes = reach_classes(conflict, members)
    irreversible = conflict.moves.only_up | conflict.moves.only_down  # type: ignore[union-attr]
    touches = any(irreversible & conflict.moves.block_mask(j) for j in members)  # type: ignore[union-attr]
    assert (classes is None) == touches
    if classes is None:
        return
    feasible = conflict.feasible_states()
    for s in feasible.tolist():
        reach = set(coalition_reach(conflict, members, s, improving=False)) | {s}
        assert reach == {int(t) for t in feasible if classes[t] == classes[s]}


@settings(max_examples=80, deadline=None)
@given(st.one_of(option_conflicts(max_options=7), graph_conflicts()), st.data())
def test_status_quo_tree_matches_reference_breadth_first_search(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    start = data.draw(st.sampled_from(conflict.feasible_states().tolist()))
    groups = data.draw(
        st.lists(_coalitions(conflict.n_dm).filter(lambda c: len(c) >= 2), max_size=3)
    )
    depth = reference_evolution(conflict, start, groups)
    methods = ("auto", "closure", "sequences") if conflict.is_option_form else ("auto", "sequences")
    for method in methods:
        parent, mover = improvement_tree(conflict, start, groups, method=method)  # type: ignore[arg-type]
        reached = {int(t) for t in np.flatnonzero(parent >= 0)} | {start}
        assert reached == set(depth), method
        movers = [[i] for i in range(conflict.n_dm)] + [sorted(g) for g in groups]
        for t in reached - {start}:
            s = int(parent[t])
            # each link is an improvement of the named mover, one level deeper
            assert t in coalition_improvements(conflict, movers[int(mover[t])], s)
            assert depth[t] == depth[s] + 1
            # unilateral moves come first: no DM listed before the mover could do it
            for k in range(int(mover[t])):
                assert not any(
                    t in coalition_improvements(conflict, movers[k], int(u))
                    for u, d in depth.items()
                    if d == depth[s]
                ), (t, k)


@settings(max_examples=40, deadline=None)
@given(st.one_of(option_conflicts(max_options=6), graph_conflicts()))
def test_singleton_structure_gives_the_nash_equilibria(conflict: CompiledConflict) -> None:
    """With every DM alone, coalition-Nash stability is Nash stability (Kilgour et al.
    2001), and every equilibrium survives exactly when it is Nash."""
    result = analyze_stability(conflict, ["nash", "gmr"])
    coal = analyze_coalitions(conflict, [[j] for j in range(conflict.n_dm)], result)
    assert coal.equilibria.tolist() == result.equilibria("nash").tolist()
    nash = set(result.equilibria("nash").tolist())
    assert coal.survives["gmr"] == {int(s): int(s) in nash for s in result.equilibria("gmr")}


def _random_conflict(
    sizes: list[int], seed: int, *, levels: int, only_up: int = 0
) -> CompiledConflict:
    rng = np.random.default_rng(seed)
    n = 1 << sum(sizes)
    scores = rng.integers(0, levels, size=(len(sizes), n))
    feasible = rng.random(n) < 0.9
    return CompiledConflict.from_options(
        [f"d{j}" for j in range(len(sizes))], sizes, scores, feasible, only_up=only_up
    )


@pytest.mark.parametrize("coalition", [[0, 1], [1, 2], [0, 1, 2]])
def test_beyond_the_old_cap_the_two_fast_paths_agree(coalition: list[int]) -> None:
    """15 options (32 768 codes, above the former 20 000-state cap), 10 % infeasible:
    reach classes and the legal-sequence fixpoint give the same witnesses, and the
    status quo trees agree."""
    conflict = _random_conflict([5, 5, 5], seed=3, levels=12)
    fast = coalition_improvement_witness(conflict, coalition, method="classes")
    slow = coalition_improvement_witness(conflict, coalition, method="sequences")
    closure = coalition_improvement_witness(conflict, coalition, method="closure")
    assert np.array_equal(fast, slow) and np.array_equal(fast, closure)
    assert 0 < np.count_nonzero(fast >= 0) < conflict.feasible.sum()
    start = int(conflict.feasible_states()[0])
    tree = improvement_tree(conflict, start, [coalition], method="classes")
    assert all(
        np.array_equal(a, b)
        for a, b in zip(
            tree, improvement_tree(conflict, start, [coalition], method="sequences"), strict=True
        )
    )


def test_irreversible_options_at_scale_check_their_witnesses() -> None:
    """With an irreversible option in each block only the fixpoint path applies; every
    witness it reports on a 14-option conflict is checked by the definition."""
    conflict = _random_conflict([5, 5, 4], seed=5, levels=8, only_up=0b1 | 1 << 5 | 1 << 10)
    assert reach_classes(conflict, [0, 1]) is None
    witness = coalition_improvement_witness(conflict, [0, 1])
    legal = coalition_improvement_witness(conflict, [0, 1], method="sequences")
    assert np.array_equal(witness, legal)
    broken = np.flatnonzero(witness >= 0)
    assert len(broken) > 100
    for s in broken[:: max(1, len(broken) // 40)].tolist():
        assert witness[s] == _expected_witness(conflict, [0, 1], s)


def test_elmira_coalition_witness_and_status_quo_tree() -> None:
    """The pinned Elmira story (Kilgour et al. 2001) through the array functions:
    MoE and UR break state 5 by moving to 8; the tree reaches 8 from the status quo
    in two moves, LG then the coalition."""
    conflict = elmira_graph(ELMIRA_UR[0])
    moe, ur = conflict.dm_index("MoE"), conflict.dm_index("UR")
    assert coalition_improvement_witness(conflict, [moe, ur])[4] == 7
    parent, mover = improvement_tree(conflict, 0, [[moe, ur]])
    assert (parent[7], mover[7]) == (4, conflict.n_dm)
    assert (parent[4], mover[4]) == (0, conflict.dm_index("LG"))
    sq = status_quo_analysis(conflict, analyze_stability(conflict), 0, coalitions=[[moe, ur]])
    assert sq.reachable == int(np.count_nonzero(parent >= 0)) + 1


def test_reference_page_example_runs_on_elmira() -> None:
    """The array example of docs/reference/gmcr.md, run on the Elmira graph: with MoE
    and UR as DMs 0 and 1, state 5 is broken (to 8) and 8 is reached from 1 in two moves."""
    import re
    from pathlib import Path
    from typing import Any

    doc = Path(__file__).resolve().parents[2] / "docs" / "reference" / "gmcr.md"
    blocks = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    (block,) = [b for b in blocks if "improvement_tree" in b]
    conflict = elmira_graph(ELMIRA_UR[0])
    assert conflict.decision_makers[:2] == ("MoE", "UR")
    namespace: dict[str, Any] = {"conflict": conflict, "start": 0}
    exec(compile(block, str(doc), "exec"), namespace)
    assert namespace["parent"][7] == 4 and namespace["parent"][4] == 0
    assert coalition_improvement_witness(conflict, [0, 1])[4] == 7


def _big_scenario(tmp_path: Path) -> Path:
    """3 DMs x 4 options (4 096 states, all feasible), prioritization preferences."""
    dms = []
    for name, stmts in [
        ("a", ["b0 and not a1", "a0", "not c3", "b2 or c1"]),
        ("b", ["a0", "not b1 and c0", "b3", "a2"]),
        ("c", ["not a3", "c2 and b0", "c0", "not b3 or a1"]),
    ]:
        options = ", ".join(f"{name}{k}" for k in range(4))
        lines = "".join(f"\n        - {s!r}" for s in stmts)
        dms.append(
            f"    - id: {name.upper()}\n      options: [{options}]\n      prioritization:{lines}"
        )
    text = (
        "accord: 1\ntitle: twelve options\nconflict:\n  decision_makers:\n"
        + "\n".join(dms)
        + "\n  status_quo: NNNNNNNNNNNN\n"
    )
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_runs_coalition_and_status_quo_at_4096_states(tmp_path: Path) -> None:
    """Above a few hundred equilibria the text view summarises; --json keeps every
    path and every broken state, and agrees with the array functions."""
    import json

    from click.testing import CliRunner

    from accord.cli import main
    from accord.gmcr.compile import compile_conflict
    from accord.model import load_scenario

    path = _big_scenario(tmp_path)
    args = ["stability", str(path), "--status-quo", "--coalition", "A,B"]
    text = CliRunner().invoke(main, args, catch_exceptions=False)
    assert text.exit_code == 0, text.output
    words = " ".join(text.stdout.split())  # rich wraps lines to the terminal width
    assert "reachable equilibria; --json lists every path" in words
    assert "equilibria survive (--json lists each" in words
    out = CliRunner().invoke(main, [*args, "--json"], catch_exceptions=False)
    data = json.loads(out.stdout)
    conflict = compile_conflict(load_scenario(path))
    assert conflict.n_index == 4096
    result = analyze_stability(conflict)
    sq = status_quo_analysis(conflict, result)
    assert len(data["status_quo"]["paths"]) == len(sq.paths) > 20
    assert data["status_quo"]["reachable_states"] == sq.reachable
    stable = coalition_nash_stable(conflict, [0, 1]) & coalition_nash_stable(conflict, [2])
    assert len(data["coalition"]["equilibria"]) == int(stable.sum())
    assert len(data["coalition"]["broken_by"]) == conflict.n_index - int(stable.sum())


@settings(max_examples=60, deadline=None)
@given(option_conflicts(max_options=7), st.permutations([0, 1, 2, 3]), st.data())
def test_reordering_decision_makers_keeps_coalition_nash_stability(
    conflict: CompiledConflict, order: list[int], data: st.DataObject
) -> None:
    """Numbering DMs (and so option blocks and state codes) differently changes nothing."""
    from .strategies import permute_dms

    order = [j for j in order if j < conflict.n_dm]
    members = data.draw(_coalitions(conflict.n_dm))
    moved, code_map = permute_dms(conflict, order)
    new_members = [order.index(j) for j in members]
    before = {int(code_map[s]) for s in np.flatnonzero(coalition_nash_stable(conflict, members))}
    after = {int(s) for s in np.flatnonzero(coalition_nash_stable(moved, new_members))}
    assert after == before


@settings(max_examples=80, deadline=None)
@given(option_conflicts(max_options=7), st.data())
def test_product_set_reduction_matches_enumeration(
    conflict: CompiledConflict, data: st.DataObject
) -> None:
    """``extreme_over_moves_or_stay`` is the extreme over ``{s} + R_dm(s)``."""
    from accord.gmcr.graph import extreme_over_moves_or_stay, moves_from

    values = np.array(
        data.draw(
            st.lists(st.integers(-5, 5), min_size=conflict.n_index, max_size=conflict.n_index)
        )
    )
    dm = data.draw(st.integers(0, conflict.n_dm - 1))
    for op, pick in (("min", min), ("max", max)):
        got = extreme_over_moves_or_stay(conflict, dm, values, op=op)  # type: ignore[arg-type]
        for s in conflict.feasible_states().tolist():
            want = pick(int(values[t]) for t in [s, *moves_from(conflict, dm, s)])
            assert got[s] == want


def test_method_names_are_checked() -> None:
    conflict = elmira_graph(ELMIRA_UR[0])
    for method in ("classes", "closure"):
        with pytest.raises(ValueError, match="option form"):
            coalition_nash_stable(conflict, [0, 1], method=method)  # type: ignore[arg-type]
