"""The scenario file's schema: pydantic models, frozen, with no unknown keys allowed.

These classes validate the *shape* of a scenario (types, required keys,
allowed words).  Cross-references between sections (a proposal naming a party
that does not exist, a package off an issue's step, ...) are checked in
:mod:`accord.model.checks`, so that every mistake is reported with its path.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from accord.model.conflict import Conflict
from accord.model.estimates import ReservationEstimate, ValueEstimate, WeightEstimate
from accord.model.plans import Item, Plan, Valuation

__all__ = [
    "Constraint",
    "Event",
    "Issue",
    "NumericRange",
    "Option",
    "OptionValue",
    "Party",
    "Position",
    "Preferences",
    "Proposal",
    "Representative",
    "Role",
    "Scenario",
    "Source",
]

Identifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$",
        description="An identifier: letters, digits, '_', '-', '.'; starts with a letter or digit.",
    ),
]
Text = Annotated[str, Field(min_length=1)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
OptionValue = Identifier | Finite
"""What a package gives an issue: an option id (categorical) or a number (range)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)


class Source(_Frozen):
    """A document the scenario's facts come from."""

    id: Identifier
    outlet: Text
    title: Text
    date: dt.date
    url: str | None = None
    note: str | None = None


class Role(StrEnum):
    """What a party does at the table."""

    negotiator = "negotiator"
    mediator = "mediator"
    stakeholder = "stakeholder"


class Representative(_Frozen):
    name: Text
    title: Text
    sources: tuple[Identifier, ...] = ()


class Party(_Frozen):
    """A negotiator (has preferences), a mediator, or a stakeholder (neither enters utilities)."""

    id: Identifier
    name: Text
    role: Role
    representatives: tuple[Representative, ...] = ()
    description: str | None = None
    sources: tuple[Identifier, ...] = ()


class Option(_Frozen):
    """One option of an ordered categorical issue."""

    id: Identifier
    name: str | None = None
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_id(cls, data: Any) -> Any:
        # `options: [a, b]` is shorthand for `options: [{id: a}, {id: b}]`.
        return {"id": data} if isinstance(data, str) else data

    @property
    def label(self) -> str:
        return self.name or self.id


class NumericRange(_Frozen):
    """The values min, min+step, ..., max of a numeric issue."""

    min: Finite
    max: Finite
    step: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    unit: str = ""

    @model_validator(mode="after")
    def _on_grid(self) -> NumericRange:
        if self.max < self.min:
            raise ValueError(f"max at least min ({self.min:g}), not {self.max:g}")
        steps = (self.max - self.min) / self.step
        if not math.isclose(steps, round(steps), rel_tol=0, abs_tol=1e-9):
            raise ValueError(
                f"max - min ({self.max - self.min:g}) to be a whole number "
                f"of steps of {self.step:g}"
            )
        return self

    @property
    def count(self) -> int:
        return round((self.max - self.min) / self.step) + 1

    def values(self) -> tuple[float, ...]:
        return tuple(self.min + k * self.step for k in range(self.count))

    def index_of(self, x: float, *, tol: float = 1e-9) -> int | None:
        """The grid index of ``x``, or None when ``x`` is outside the range or off its step."""
        k = (x - self.min) / self.step
        r = round(k)
        if abs(k - r) > tol * max(1.0, abs(k)) or r < 0 or r >= self.count:
            return None
        return int(r)


class Issue(_Frozen):
    """An issue: ordered categorical (`options`) or numeric (`range`), never both."""

    id: Identifier
    name: Text
    description: str | None = None
    options: tuple[Option, ...] | None = None
    range: NumericRange | None = None
    sources: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _one_kind(self) -> Issue:
        if (self.options is None) == (self.range is None):
            raise ValueError("exactly one of 'options' (a list) or 'range' in an issue")
        if self.options is not None and len(self.options) == 0:
            raise ValueError("at least one option in 'options'")
        return self

    @property
    def is_numeric(self) -> bool:
        return self.range is not None

    @property
    def size(self) -> int:
        return self.range.count if self.range is not None else len(self.options or ())

    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options or ())


class Position(_Frozen):
    """What a party said it wants on an issue: in words, and where possible as options or bounds."""

    party: Identifier
    issue: Identifier
    demand: Text
    options: tuple[Identifier, ...] = ()
    min: Finite | None = None
    max: Finite | None = None
    sources: tuple[Identifier, ...] = Field(min_length=1)


ValuePoint = tuple[Finite, ValueEstimate]
ValueTable = Annotated[
    Annotated[dict[Identifier, ValueEstimate], Tag("dict[options]")]
    | Annotated[tuple[ValuePoint, ...], Tag("tuple[points]")],
    # a mapping is an ordered issue's table, anything else a range's points: a mistake
    # inside one is reported once, at its own place, not again as "expected a list"
    # (tag names look like union members, which the loader leaves out of paths)
    Discriminator(lambda v: "dict[options]" if isinstance(v, dict) else "tuple[points]"),
]


class Preferences(_Frozen):
    """A negotiator's additive preferences: issue weights, option values, reservation.

    Weights are normalised to sum to 1 and values per issue to [0, 1]
    (min-max over the issue's options), so utilities lie in [0, 1].  For a
    numeric issue, ``values`` is a list of ``[x, v]`` points interpolated
    piecewise-linearly.  ``reservation`` is the utility of the party's best
    alternative to a negotiated agreement, in [0, 1].

    Every weight, value and reservation is an :class:`~accord.model.estimates.Estimate`:
    a plain number, or a point with its plausible range or distribution; analyses
    use its ``.point``.  ``weights_concentration`` instead lets the normalised
    weights vary together (Dirichlet around the point weights).
    """

    weights: dict[Identifier, WeightEstimate]
    weights_concentration: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    values: dict[Identifier, ValueTable] = Field(default_factory=dict)
    reservation: ReservationEstimate
    estimate: bool
    rationale: Text
    sources: tuple[Identifier, ...] = ()

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, w: dict[str, Any]) -> dict[str, Any]:
        if w and sum(x.point for x in w.values()) <= 0:
            raise ValueError("weights that are not all zero")
        return w

    @model_validator(mode="after")
    def _one_kind_of_weight_uncertainty(self) -> Preferences:
        if self.weights_concentration is not None and any(
            w.is_uncertain for w in self.weights.values()
        ):
            raise ValueError(
                "either weights_concentration or ranges on individual weights, not both"
            )
        return self

    def weight(self, issue_id: str) -> float:
        """The point estimate of the raw weight of an issue (0 when absent)."""
        w = self.weights.get(issue_id)
        return 0.0 if w is None else w.point

    @property
    def total_weight(self) -> float:
        return sum(w.point for w in self.weights.values())


class Constraint(_Frozen):
    """Combinations of options that cannot occur together."""

    forbid: dict[Identifier, OptionValue | tuple[OptionValue, ...]] = Field(min_length=1)
    reason: Text
    sources: tuple[Identifier, ...] = ()


class Proposal(_Frozen):
    """A proposal tabled by a party (or several): a full package, plus what is unknown of it.

    ``assumed`` maps issue ids to why the package's value on that issue is the
    analyst's reading rather than something a source reports.
    """

    id: Identifier
    name: Text
    date: dt.date
    by: Identifier | tuple[Identifier, ...]
    package: dict[Identifier, OptionValue]
    status: str | None = None
    description: str | None = None
    assumed: dict[Identifier, Text] = Field(default_factory=dict)
    sources: tuple[Identifier, ...] = Field(min_length=1)

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.by,) if isinstance(self.by, str) else self.by


class Event(_Frozen):
    """A dated entry of the timeline."""

    date: dt.date
    text: Text
    parties: tuple[Identifier, ...] = ()
    sources: tuple[Identifier, ...] = Field(min_length=1)


class Scenario(_Frozen):
    """A whole negotiation as written in a scenario file (format version 1)."""

    accord: Literal[1]
    title: Text
    description: str | None = None
    date: dt.date | None = None
    sources: tuple[Source, ...] = ()
    parties: tuple[Party, ...] = ()
    issues: tuple[Issue, ...] = ()
    positions: tuple[Position, ...] = ()
    preferences: dict[Identifier, Preferences] = Field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    events: tuple[Event, ...] = ()
    # Plans section (phased deals; see accord.model.plans)
    items: tuple[Item, ...] = ()
    valuations: dict[Identifier, Valuation] = Field(default_factory=dict)
    plans: tuple[Plan, ...] = ()
    conflict: Conflict | None = None

    # Lookups used by checks and analyses.
    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def issue(self, issue_id: str) -> Issue:
        return next(i for i in self.issues if i.id == issue_id)

    def proposal(self, proposal_id: str) -> Proposal:
        return next(p for p in self.proposals if p.id == proposal_id)

    @property
    def negotiators(self) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role is Role.negotiator)
