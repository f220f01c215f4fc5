"""The graph-model results as a reader sees them: every state by its label.

The analyses of :mod:`accord.gmcr` work on state indices; a reader, a script and the
service want the states by name.  Each function here turns one result of the graph model
into a frozen dataclass whose states are :class:`State` values (the label, carrying its index
and option vector for the views that draw them), so that :func:`accord.jsonable.to_jsonable`
writes the ``accord stability --json`` document field for field and the terminal view
renders the very same object.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from accord.jsonable import OMIT_IF_NONE

if TYPE_CHECKING:
    from accord.gmcr import (
        CoalitionAnalysis,
        CompiledConflict,
        InverseResult,
        Stability,
        StateExplanation,
        StatusQuoAnalysis,
    )

__all__ = [
    "Breach",
    "CoalitionStability",
    "ConceptVerdict",
    "Evolution",
    "EvolutionStep",
    "Explanation",
    "ImprovementVerdict",
    "InverseRankings",
    "PathToEquilibrium",
    "SanctionMove",
    "StabilityReport",
    "State",
    "coalition_stability",
    "evolution",
    "explanation",
    "inverse_rankings",
    "stability_report",
]


class State(str):
    """A state of the conflict as its label (what JSON writes), with its code and vector.

    ``code`` is the state's index in the conflict's arrays (in the option form, the number
    whose bits are the options taken); ``vector`` is the option vector (``"YNNNNYY"``, one
    letter per option in the order of ``CompiledConflict.option_ids``) in the option form, the
    state's name in the explicit form.
    """

    __slots__ = ("code", "vector")
    code: int
    vector: str

    def __new__(cls, label: str, code: int, vector: str) -> State:
        state = super().__new__(cls, label)
        state.code = code
        state.vector = vector
        return state

    @classmethod
    def of(cls, conflict: CompiledConflict, code: int) -> State:
        code = int(code)
        return cls(conflict.label(code), code, conflict.vector(code))

    def __reduce__(self) -> tuple[type[State], tuple[str, int, str]]:
        return (State, (str(self), self.code, self.vector))


def _states(conflict: CompiledConflict, indices: Sequence[int]) -> tuple[State, ...]:
    return tuple(State.of(conflict, s) for s in indices)


@dataclass(frozen=True)
class EvolutionStep:
    """One move of a path: who moved (one decision maker, or a coalition) and where to."""

    movers: tuple[str, ...]
    state: State


@dataclass(frozen=True)
class PathToEquilibrium:
    """The fewest improvements from the status quo to ``target``, an equilibrium under
    ``concepts``."""

    target: State
    concepts: tuple[str, ...]
    steps: tuple[EvolutionStep, ...]


@dataclass(frozen=True)
class Evolution:
    """Where the conflict can go from its status quo (``--status-quo``)."""

    status_quo: State
    coalitions: tuple[tuple[str, ...], ...]
    reachable_states: int
    paths: tuple[PathToEquilibrium, ...]
    unreachable: tuple[State, ...]


@dataclass(frozen=True)
class Breach:
    """A coalition's joint improvement that leaves a state."""

    coalition: tuple[str, ...]
    to: State


@dataclass(frozen=True)
class CoalitionStability:
    """Coalition-Nash stability under one coalition structure (``--coalition``).

    ``stable`` maps each coalition (members joined by ``+``) to the states it does not
    leave; ``survives[concept][state]`` says whether each equilibrium of that concept
    survives the coalition; ``broken_by`` gives, for every state that is not a coalition-Nash
    equilibrium, one coalition that leaves it and where to.
    """

    structure: tuple[tuple[str, ...], ...]
    stable: dict[str, tuple[State, ...]]
    equilibria: tuple[State, ...]
    survives: dict[str, dict[State, bool]]
    broken_by: dict[State, Breach]


@dataclass(frozen=True)
class InverseRankings:
    """Rankings of ``dm`` that make ``target`` an equilibrium (``--inverse``).

    ``rankings[concept]`` lists up to a limit of them, each as groups of tied states, most
    preferred first; ``counts[concept]`` counts all of them among ``total`` rankings tried,
    which move only the ``varied`` states.
    """

    dm: str
    target: State
    varied: tuple[State, ...]
    total: int
    counts: dict[str, int]
    rankings: dict[str, tuple[tuple[tuple[State, ...], ...], ...]]


@dataclass(frozen=True)
class SanctionMove:
    """One move of a sanction: the decision maker who moves and the state reached."""

    mover: str
    state: State


@dataclass(frozen=True)
class ImprovementVerdict:
    """An improvement of the focal decision maker and the sanction that blocks it (None: none
    does); ``escape`` is the focal decision maker's way out of the sanction (SMR)."""

    improvement: State
    sanction: tuple[SanctionMove, ...] | None
    escape: State | None


@dataclass(frozen=True)
class ConceptVerdict:
    """Whether the state is stable for one decision maker under one concept, and why."""

    dm: str
    concept: str
    stable: bool
    improvements: tuple[ImprovementVerdict, ...]


@dataclass(frozen=True)
class Explanation:
    """Why a state is, or is not, stable (``--explain``), with the same in sentences."""

    state: State
    concepts: tuple[ConceptVerdict, ...]
    text: tuple[str, ...]


@dataclass(frozen=True)
class StabilityReport:
    """What ``accord stability`` answers: the stability of every state for every decision
    maker and concept, the equilibria, and each follow-up question asked.

    ``stable[dm][concept]`` lists the states stable for ``dm``; ``equilibria[concept]`` those
    stable for all.  The four follow-ups are None when not asked (and then absent from JSON).
    """

    states: tuple[State, ...]
    stable: dict[str, dict[str, tuple[State, ...]]]
    equilibria: dict[str, tuple[State, ...]]
    status_quo: Evolution | None = field(default=None, metadata=OMIT_IF_NONE)
    coalition: CoalitionStability | None = field(default=None, metadata=OMIT_IF_NONE)
    inverse: InverseRankings | None = field(default=None, metadata=OMIT_IF_NONE)
    explain: Explanation | None = field(default=None, metadata=OMIT_IF_NONE)


def stability_report(
    conflict: CompiledConflict,
    stability: Stability,
    *,
    status_quo: Evolution | None = None,
    coalition: CoalitionStability | None = None,
    inverse: InverseRankings | None = None,
    explain: Explanation | None = None,
) -> StabilityReport:
    """The stability table of ``stability`` with the follow-ups asked, states by label."""
    return StabilityReport(
        states=_states(conflict, stability.states.tolist()),
        stable={
            dm: {
                c: _states(conflict, stability.states[stability.stable[dm][c]].tolist())
                for c in stability.concepts
            }
            for dm in conflict.decision_makers
        },
        equilibria={
            c: _states(conflict, stability.equilibria(c).tolist()) for c in stability.concepts
        },
        status_quo=status_quo,
        coalition=coalition,
        inverse=inverse,
        explain=explain,
    )


def evolution(conflict: CompiledConflict, sq: StatusQuoAnalysis) -> Evolution:
    """:func:`accord.gmcr.status_quo_analysis`'s paths, states by label."""
    return Evolution(
        status_quo=State.of(conflict, sq.status_quo),
        coalitions=tuple(tuple(c) for c in sq.coalitions),
        reachable_states=sq.reachable,
        paths=tuple(
            PathToEquilibrium(
                target=State.of(conflict, p.target),
                concepts=tuple(p.concepts),
                steps=tuple(
                    EvolutionStep(tuple(s.movers), State.of(conflict, s.state)) for s in p.steps
                ),
            )
            for p in sq.paths
        ),
        unreachable=_states(conflict, sq.unreachable),
    )


def coalition_stability(conflict: CompiledConflict, ca: CoalitionAnalysis) -> CoalitionStability:
    """:func:`accord.gmcr.analyze_coalitions`'s answer, states by label."""
    return CoalitionStability(
        structure=tuple(tuple(c) for c in ca.structure),
        stable={
            "+".join(c): _states(conflict, ca.states[mask].tolist())
            for c, mask in zip(ca.structure, ca.stable, strict=True)
        },
        equilibria=_states(conflict, ca.equilibria.tolist()),
        survives={
            concept: {State.of(conflict, s): ok for s, ok in by_state.items()}
            for concept, by_state in ca.survives.items()
        },
        broken_by={
            State.of(conflict, s): Breach(tuple(c), State.of(conflict, t))
            for s, (c, t) in ca.breaks.items()
        },
    )


def inverse_rankings(conflict: CompiledConflict, inv: InverseResult) -> InverseRankings:
    """:func:`accord.gmcr.inverse_gmcr`'s answer, states by label."""
    return InverseRankings(
        dm=inv.dm,
        target=State.of(conflict, inv.target),
        varied=_states(conflict, inv.varied),
        total=inv.total,
        counts=dict(inv.counts),
        rankings={
            c: tuple(tuple(_states(conflict, group) for group in r) for r in rs)
            for c, rs in inv.rankings.items()
        },
    )


def explanation(
    conflict: CompiledConflict, ex: StateExplanation, text: Sequence[str]
) -> Explanation:
    """:func:`accord.gmcr.explain_state`'s answer, states by label, with its sentences."""

    def state(s: int | None) -> State | None:
        return None if s is None else State.of(conflict, s)

    return Explanation(
        state=State.of(conflict, ex.state),
        concepts=tuple(
            ConceptVerdict(
                dm=item.dm,
                concept=item.concept,
                stable=item.stable,
                improvements=tuple(
                    ImprovementVerdict(
                        improvement=State.of(conflict, i.improvement),
                        sanction=None
                        if i.sanction is None
                        else tuple(
                            SanctionMove(m.mover, State.of(conflict, m.state)) for m in i.sanction
                        ),
                        escape=state(i.escape),
                    )
                    for i in item.improvements
                ),
            )
            for item in ex.concepts
        ),
        text=tuple(text),
    )
