"""The contract every GMCR stability concept keeps (issue 13, item 7; the axelrod pattern).

:class:`StabilityConceptContract` holds the tests; one subclass per concept of
:data:`accord.gmcr.STABILITY_CONCEPTS` is made below, so a concept added to the registry gets
them all without a line of test code (and fails :func:`test_every_concept_declares_its_theorems`
until its place in the theorem is written down).  The contract:

* the fast analysis agrees with the definition-level reference (:mod:`accord.gmcr.reference`),
  in both input forms;
* renumbering the states, reading an option the other way round (Y for N, its irreversibility
  turned with it) and reordering the decision makers change nothing but the labels;
* only the order of each DM's preferences matters (a strictly increasing change of its scores
  changes nothing);
* the inclusions of Fang, Hipel & Kilgour (1989, EJOR 41, Theorem 1) that involve the concept
  hold, and the run-time check raises :class:`~accord.gmcr.stability.StabilityTheoremError`
  when one is broken;
* analysing the concept alone gives what it gives among all of them.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.gmcr import STABILITY_CONCEPTS, CompiledConflict, analyze_stability
from accord.gmcr.graph import OptionMoves
from accord.gmcr.reference import reference_stable
from accord.gmcr.stability import Concept, StabilityTheoremError, _check_inclusions, stable_states

from .strategies import graph_conflicts, option_conflicts, permute_dms, relabel_graph

INCLUSIONS: tuple[tuple[Concept, Concept], ...] = (
    ("nash", "smr"),
    ("nash", "seq"),
    ("smr", "gmr"),
    ("seq", "gmr"),
)
"""``(a, b)``: every state ``a``-stable for a DM is ``b``-stable for it (Fang, Hipel & Kilgour
1989, Theorem 1).  Every concept must appear here."""

EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    # one test method, run by one subclass per concept: by design (the contract pattern)
    suppress_health_check=[HealthCheck.differing_executors],
)


def _stable(conflict: CompiledConflict, dm: int, concept: Concept) -> set[int]:
    return {int(s) for s in np.flatnonzero(stable_states(conflict, dm, concept))}


def flip_options(conflict: CompiledConflict, mask: int) -> tuple[CompiledConflict, np.ndarray]:
    """The same option-form conflict with the options in ``mask`` read the other way round
    (state code ``c`` becomes ``c ^ mask``; an only-up option among them becomes only-down).

    Returns the new conflict and ``code_map[old] = new``.
    """
    moves = conflict.moves
    assert isinstance(moves, OptionMoves)
    codes = np.arange(conflict.n_index)
    new_codes = codes ^ mask
    feasible = np.zeros_like(conflict.feasible)
    feasible[new_codes] = conflict.feasible
    scores = np.zeros_like(conflict.scores)
    scores[:, new_codes] = conflict.scores
    up = (moves.only_up & ~mask) | (moves.only_down & mask)
    down = (moves.only_down & ~mask) | (moves.only_up & mask)
    flipped = CompiledConflict.from_options(
        conflict.decision_makers,
        moves.block_sizes,
        scores,
        feasible,
        only_up=up,
        only_down=down,
    )
    return flipped, new_codes


def reorder_graph_dms(conflict: CompiledConflict, order: list[int]) -> CompiledConflict:
    """The same explicit-graph conflict with its DMs listed in ``order``."""
    assert not isinstance(conflict.moves, OptionMoves)
    arcs = [[(int(a), int(b)) for a, b in conflict.moves.arcs[j]] for j in order]
    return CompiledConflict.from_graph(
        [conflict.decision_makers[j] for j in order],
        conflict.state_names,
        arcs,
        conflict.scores[order],
    )


class StabilityConceptContract:
    """The tests every stability concept gets; a subclass sets :attr:`concept`."""

    concept: ClassVar[Concept]

    @EXAMPLES
    @given(st.one_of(option_conflicts(max_options=6), graph_conflicts()))
    def test_agrees_with_the_definitions(self, conflict: CompiledConflict) -> None:
        for dm in range(conflict.n_dm):
            assert _stable(conflict, dm, self.concept) == reference_stable(
                conflict, dm, self.concept
            )

    @EXAMPLES
    @given(graph_conflicts(), st.data())
    def test_renumbering_the_states_changes_nothing(
        self, conflict: CompiledConflict, data: st.DataObject
    ) -> None:
        perm = data.draw(st.permutations(list(range(conflict.n_index))))
        moved = relabel_graph(conflict, perm)
        for dm in range(conflict.n_dm):
            want = {perm[s] for s in _stable(conflict, dm, self.concept)}
            assert _stable(moved, dm, self.concept) == want

    @EXAMPLES
    @given(option_conflicts(max_options=6), st.data())
    def test_reading_options_the_other_way_round_changes_nothing(
        self, conflict: CompiledConflict, data: st.DataObject
    ) -> None:
        mask = data.draw(st.integers(0, conflict.n_index - 1))
        flipped, code_map = flip_options(conflict, mask)
        for dm in range(conflict.n_dm):
            want = {int(code_map[s]) for s in _stable(conflict, dm, self.concept)}
            assert _stable(flipped, dm, self.concept) == want

    @EXAMPLES
    @given(st.one_of(option_conflicts(max_options=6), graph_conflicts()), st.data())
    def test_reordering_the_decision_makers_changes_nothing(
        self, conflict: CompiledConflict, data: st.DataObject
    ) -> None:
        order = data.draw(st.permutations(list(range(conflict.n_dm))))
        if isinstance(conflict.moves, OptionMoves):
            moved, code_map = permute_dms(conflict, order)
        else:
            moved, code_map = reorder_graph_dms(conflict, order), np.arange(conflict.n_index)
        for new_i, old_i in enumerate(order):
            want = {int(code_map[s]) for s in _stable(conflict, old_i, self.concept)}
            assert _stable(moved, new_i, self.concept) == want

    @EXAMPLES
    @given(st.one_of(option_conflicts(max_options=6), graph_conflicts()))
    def test_only_the_order_of_preferences_matters(self, conflict: CompiledConflict) -> None:
        # strictly increasing, and different for every DM: 3x + 7, x^3, 2^x - 1, ...
        changed = CompiledConflict(
            conflict.decision_makers,
            conflict.feasible,
            np.stack(
                [
                    (j + 2) * s**3 + 7 * j + (1 << np.minimum(s, 20))
                    for j, s in enumerate(conflict.scores)
                ]
            ),
            conflict.moves,
            conflict.option_ids,
            conflict.state_names,
        )
        for dm in range(conflict.n_dm):
            assert _stable(changed, dm, self.concept) == _stable(conflict, dm, self.concept)

    @EXAMPLES
    @given(st.one_of(option_conflicts(max_options=6), graph_conflicts()))
    def test_keeps_its_place_in_the_theorem(self, conflict: CompiledConflict) -> None:
        result = analyze_stability(conflict)
        alone = analyze_stability(conflict, [self.concept])
        for dm in conflict.decision_makers:
            by = result.stable[dm]
            assert np.array_equal(alone.stable[dm][self.concept], by[self.concept])
            for small, big in INCLUSIONS:
                if self.concept in (small, big):
                    assert not np.any(by[small] & ~by[big]), (dm, small, big)

    def test_a_broken_inclusion_is_caught_at_run_time(self) -> None:
        for small, big in INCLUSIONS:
            if self.concept not in (small, big):
                continue
            by = {c: np.array([False]) for c in STABILITY_CONCEPTS}
            by[small] = np.array([True])
            with pytest.raises(StabilityTheoremError, match=f"{small.upper()} stable but not"):
                _check_inclusions({"dm": by})


for _concept in STABILITY_CONCEPTS:
    _name = f"TestStabilityContract{_concept.upper()}"
    globals()[_name] = type(_name, (StabilityConceptContract,), {"concept": _concept})
del _concept, _name


def test_every_concept_declares_its_theorems() -> None:
    """A concept added to the registry must say where it sits among the others."""
    placed = {c for pair in INCLUSIONS for c in pair}
    assert placed == set(STABILITY_CONCEPTS)
    contracts = [c for c in globals().values() if isinstance(c, type)]
    tested = {
        c.concept
        for c in contracts
        if issubclass(c, StabilityConceptContract) and hasattr(c, "concept")
    }
    assert tested == set(STABILITY_CONCEPTS)
