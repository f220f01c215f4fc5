"""The ``conflict:`` section: a strategic conflict for the Graph Model for Conflict Resolution.

Two forms compile to the same graph (see :mod:`accord.gmcr.compile`):

* the **option form** (Howard's options, as in GMCR II): each decision maker
  lists its ``options``; a state is an option vector such as ``"NYNNY"`` (Y or
  N for every option, in declaration order, decision maker by decision maker).
  ``infeasible`` patterns remove states; ``irreversible`` options move one way only.
* the **explicit-graph form**: ``states`` lists state names and each decision
  maker gives its ``moves`` as ``{state: [states]}``.

Each decision maker ranks the feasible states (``ranking``, most preferred
first, ties as nested lists) or gives ``prioritization`` statements (option
form only).  The schema checks shapes;
:func:`accord.model.conflict_checks.check_conflict` checks every
cross-reference (unknown options, malformed or infeasible states, rankings
that miss or repeat states, statements that do not parse) and reports each
with its path.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag, model_validator

from accord.model.base import Frozen
from accord.model.citations import Citations
from accord.model.types import Flag
from accord.model.types import Identifier as _Id

__all__ = [
    "Conflict",
    "ConflictOption",
    "DecisionMaker",
    "InfeasiblePattern",
    "Irreversible",
]

StateRef = Annotated[
    str,
    Field(
        min_length=1,
        description="A state: its option vector ('NYNNY'), its label, or (explicit form) its name.",
    ),
]


def _state_or_tie(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return "tie"
    return "state" if isinstance(value, str) else None


RankedStates = Annotated[
    Annotated[StateRef, Tag("state")] | Annotated[tuple[StateRef, ...], Tag("tie")],
    Discriminator(
        _state_or_tie,
        custom_error_type="ranked_states",
        custom_error_message="a state, or a list of equally preferred states",
    ),
]
"""One entry of a ranking: a state, or a group of states preferred equally."""


class ConflictOption(Frozen):
    """A course of action one decision maker can take (Y) or not (N)."""

    id: _Id
    name: str | None = None
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_id(cls, data: Any) -> Any:
        return {"id": data} if isinstance(data, str) else data


class DecisionMaker(Frozen):
    """A decision maker: its options (or explicit moves) and its preferences.

    ``ranking`` lists feasible states from most to least preferred; a nested
    list is a group of equally preferred states.  ``prioritization`` lists
    preference statements from most to least important (grammar in
    :mod:`accord.gmcr.prioritization`).  ``party`` optionally links to a party.
    """

    id: _Id
    name: str | None = None
    party: _Id | None = None
    options: tuple[ConflictOption, ...] | None = None
    moves: dict[StateRef, tuple[StateRef, ...]] | None = None
    ranking: tuple[RankedStates, ...] | None = None
    prioritization: tuple[str, ...] | None = None
    estimate: Flag = False
    rationale: str | None = None
    sources: Citations = ()

    @model_validator(mode="after")
    def _one_preference(self) -> DecisionMaker:
        if (self.ranking is None) == (self.prioritization is None):
            raise ValueError("a decision maker needs exactly one of 'ranking' or 'prioritization'")
        if self.options is not None and self.moves is not None:
            raise ValueError("a decision maker has 'options' (option form) or 'moves', not both")
        return self

    @property
    def label(self) -> str:
        return self.name or self.id


class InfeasiblePattern(Frozen):
    """States that cannot occur.

    ``{Y: [...], N: [...]}``: every state with all the ``Y`` options taken and
    all the ``N`` options not taken (others free).  Shortcuts:
    ``mutually_exclusive: [a, b, ...]`` (at most one of them),
    ``at_least_one_of: [...]`` and ``exactly_one_of: [...]``.
    """

    Y: tuple[_Id, ...] = ()
    N: tuple[_Id, ...] = ()
    mutually_exclusive: tuple[_Id, ...] | None = None
    at_least_one_of: tuple[_Id, ...] | None = None
    exactly_one_of: tuple[_Id, ...] | None = None
    reason: str | None = None
    sources: Citations = ()

    @model_validator(mode="after")
    def _one_kind(self) -> InfeasiblePattern:
        kinds = [
            bool(self.Y or self.N),
            self.mutually_exclusive is not None,
            self.at_least_one_of is not None,
            self.exactly_one_of is not None,
        ]
        if sum(kinds) != 1:
            raise ValueError(
                "exactly one of: Y/N lists, mutually_exclusive, at_least_one_of, exactly_one_of"
            )
        for name in ("mutually_exclusive", "at_least_one_of", "exactly_one_of"):
            group = getattr(self, name)
            if group is not None and len(group) < 2:
                raise ValueError(f"{name} needs at least two options")
        return self


class Irreversible(Frozen):
    """An option that may only move in ``direction`` (``"N->Y"``: once taken, never undone)."""

    option: _Id
    direction: Literal["Y->N", "N->Y"]


class Conflict(Frozen):
    """The ``conflict:`` section of a scenario."""

    description: str | None = None
    decision_makers: tuple[DecisionMaker, ...] = Field(min_length=2)
    states: tuple[_Id, ...] | None = None
    infeasible: tuple[InfeasiblePattern, ...] = ()
    irreversible: tuple[Irreversible, ...] = ()
    labels: dict[StateRef, str] = Field(default_factory=dict)
    status_quo: StateRef | None = None
    sources: Citations = ()

    @property
    def is_explicit(self) -> bool:
        return self.states is not None

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for dm in self.decision_makers for o in dm.options or ())
