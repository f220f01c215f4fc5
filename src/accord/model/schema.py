"""The scenario file's schema: pydantic models, frozen, with no unknown keys allowed.

These classes validate the *shape* of a scenario (types, required keys,
allowed words, sizes within :mod:`accord.limits`).  Cross-references between
sections (a proposal naming a party that does not exist, a package off an
issue's step, ...) are checked in :mod:`accord.model.checks` and the other
``*_checks`` modules, so that every mistake is reported with its path.
"""

from __future__ import annotations

import math
import re
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, field_validator, model_validator

from accord import limits
from accord.model.base import Frozen
from accord.model.citations import Citations
from accord.model.conflict import Conflict
from accord.model.estimates import ReservationEstimate, ValueEstimate, WeightEstimate
from accord.model.numbers import grid_index, grid_steps, grid_values
from accord.model.plans import Item, Plan, Valuation
from accord.model.signals import Signal
from accord.model.types import (
    Day,
    Finite,
    Flag,
    Identifier,
    Identifiers,
    Link,
    OptionValue,
    OptionValues,
    Positive,
    Text,
)

__all__ = [
    "Constraint",
    "DatedReservation",
    "Event",
    "Issue",
    "Judgement",
    "Normalization",
    "NumericRange",
    "Option",
    "OptionValue",
    "Party",
    "Position",
    "Preferences",
    "Proposal",
    "Representative",
    "Response",
    "Role",
    "Scenario",
    "Source",
    "Verdict",
]


class Source(Frozen):
    """A document the scenario's facts come from; ``text_file`` names its text, against which
    ``accord check`` verifies the locators that cite it (:mod:`accord.model.evidence`)."""

    id: Identifier
    outlet: Text
    title: Text
    date: Day
    url: Link | None = None
    note: str | None = None
    text_file: SourceText | None = None


def _relative_text_path(value: str) -> str:
    parts = value.replace("\\", "/").split("/")
    if value.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", value) or ".." in parts:
        raise ValueError(
            "a path relative to the scenario's folder, inside it (no leading '/', no '..')"
        )
    return value


SourceText = Annotated[
    str, Field(min_length=1, max_length=1000), AfterValidator(_relative_text_path)
]
"""Where a source's text is: a file relative to the scenario's folder (or to the folder given
to ``accord check --sources``), never outside it."""


class Role(StrEnum):
    """What a party does at the table."""

    negotiator = "negotiator"
    mediator = "mediator"
    stakeholder = "stakeholder"


class Representative(Frozen):
    name: Text
    title: Text
    sources: Citations = ()


class Party(Frozen):
    """A negotiator (has preferences), a mediator, or a stakeholder (neither enters utilities)."""

    id: Identifier
    name: Text
    role: Role
    representatives: tuple[Representative, ...] = ()
    description: str | None = None
    sources: Citations = ()


class Option(Frozen):
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


class NumericRange(Frozen):
    """The values min, min+step, ..., max of a numeric issue.

    The grid is exact: ``max - min`` must be a whole number of steps as the decimals the file
    writes (see :mod:`accord.model.numbers`), and the number of values is at most
    ``MAX_RANGE_OPTIONS`` (:mod:`accord.limits`), checked before any value is listed.
    """

    min: Finite
    max: Finite
    step: Positive
    unit: str = ""

    @model_validator(mode="after")
    def _on_grid(self) -> NumericRange:
        if self.max < self.min:
            raise ValueError(f"max at least min ({self.min:g}), not {self.max:g}")
        steps = grid_steps(self.min, self.max, self.step)
        if steps.denominator != 1:
            raise ValueError(
                f"max - min ({self.max:g} - {self.min:g}) to be a whole number "
                f"of steps of {self.step:g}"
            )
        limit = limits.current("MAX_RANGE_OPTIONS")
        if steps + 1 > limit:
            raise ValueError(
                f"at most {limit:,} values in a range (a limit; "
                f"{limits.how_to_raise('MAX_RANGE_OPTIONS')} to raise it), not "
                + (
                    f"{int(steps) + 1:,}"
                    if steps < 10**15
                    else f"about 10^{len(str(int(steps))) - 1}"
                )
            )
        return self

    @cached_property
    def count(self) -> int:
        """How many values the range has."""
        return int(grid_steps(self.min, self.max, self.step)) + 1

    @cached_property
    def _values(self) -> tuple[float, ...]:
        return grid_values(self.min, self.step, self.count)

    def values(self) -> tuple[float, ...]:
        """Every value of the range, in order (each the float nearest the exact decimal)."""
        return self._values

    def index_of(self, x: float) -> int | None:
        """The grid index of ``x``, or None when ``x`` is outside the range or off its step."""
        return grid_index(x, self.min, self.step, self.count)


class Issue(Frozen):
    """An issue: ordered categorical (`options`) or numeric (`range`), never both."""

    id: Identifier
    name: Text
    description: str | None = None
    options: tuple[Option, ...] | None = None
    range: NumericRange | None = None
    sources: Citations = ()

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
        return self._option_ids

    @cached_property
    def _option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options or ())


class Position(Frozen):
    """What a party said it wants on an issue: in words, and where possible as options or bounds."""

    party: Identifier
    issue: Identifier
    demand: Text
    options: tuple[Identifier, ...] = ()
    min: Finite | None = None
    max: Finite | None = None
    sources: Citations = Field(min_length=1)


def _table_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "options"
    return "points" if isinstance(value, list | tuple) else None


ValuePoint = tuple[Finite, ValueEstimate]
ValueTable = Annotated[
    Annotated[dict[Identifier, ValueEstimate], Tag("options")]
    | Annotated[tuple[ValuePoint, ...], Tag("points")],
    # a mapping is an ordered issue's table, a list a range's points: a mistake inside one is
    # reported once, at its own place, not again as "expected a list"
    Discriminator(
        _table_kind,
        custom_error_type="value_table",
        custom_error_message="a mapping option -> value, or a list of [x, value] points",
    ),
]


class Normalization(StrEnum):
    """How a negotiator's values on each issue become the numbers its utility adds up.

    * ``minmax`` (the default): rescaled over the issue's options, lowest 0 and highest 1.
    * ``max`` (GENIUS's convention, Baarslag et al. 2012's additive utility spaces): an
      option issue's values divided by the issue's largest value; a range issue's points are
      GENIUS's linear evaluations, used as written (they must lie in [0, 1]).
    * ``none``: every value as written.

    Weights are always divided by their sum.  The reservation is on the resulting scale.
    """

    minmax = "minmax"
    max = "max"
    none = "none"


class DatedReservation(Frozen):
    """A walk-away that held over a period: evidence dated inside it is judged against it.

    Preferences change: a party that accepted a week's truce in November may reject the same
    terms in February because its alternative changed. A response or judgement dated from
    ``valid_from`` to ``valid_until`` (both included) is evidence about this reservation, not
    about the block's ``reservation`` (which holds at every other date).
    """

    valid_from: Day
    valid_until: Day
    reservation: ReservationEstimate
    rationale: Text
    sources: Citations = ()

    @model_validator(mode="after")
    def _ordered(self) -> DatedReservation:
        if self.valid_until < self.valid_from:
            raise ValueError(f"valid_until on or after valid_from ({self.valid_from})")
        return self


class Preferences(Frozen):
    """A negotiator's additive preferences: issue weights, option values, reservation.

    Weights are normalised to sum to 1 and, by default (``normalize: minmax``), values per
    issue to [0, 1] (min-max over the issue's options), so utilities lie in [0, 1];
    ``normalize`` chooses another scale (:class:`Normalization`).  For a
    numeric issue, ``values`` is a list of ``[x, v]`` points interpolated
    piecewise-linearly.  ``reservation`` is the utility of the party's best
    alternative to a negotiated agreement, in [0, 1].  ``discount`` is a GENIUS
    discount factor kept as data (no analysis uses time).

    Every weight, value and reservation is an :class:`~accord.model.estimates.Estimate`:
    a plain number, or a point with its plausible range or distribution; analyses
    use its ``.point``.  ``weights_concentration`` instead lets the normalised
    weights vary together (Dirichlet around the point weights).
    """

    weights: dict[Identifier, WeightEstimate]
    weights_concentration: Positive | None = None
    values: dict[Identifier, ValueTable] = Field(default_factory=dict)
    reservation: ReservationEstimate
    normalize: Normalization = Normalization.minmax
    discount: Annotated[float, Field(strict=True, allow_inf_nan=False, gt=0, le=1)] | None = None

    reservation_by_date: tuple[DatedReservation, ...] = ()
    estimate: Flag
    rationale: Text
    sources: Citations = ()

    @field_validator("weights")
    @classmethod
    def _some_weight(cls, w: dict[str, Any]) -> dict[str, Any]:
        if w and sum(x.point for x in w.values()) <= 0:
            raise ValueError("weights that are not all zero")
        ends = [x.point for x in w.values()] + [
            end for x in w.values() for end in x.support if math.isfinite(end)
        ]
        if not math.isfinite(sum(abs(x) for x in ends)):
            raise ValueError("weights whose sum (over their whole ranges) is a finite number")
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

    def scale(self, issue: Issue) -> Normalization:
        """How this negotiator's values on ``issue`` are scaled: ``normalize`` resolved per
        issue (under ``max`` a range issue's points are used as written, as GENIUS does)."""
        if self.normalize is Normalization.max and issue.range is not None:
            return Normalization.none
        return self.normalize


class Constraint(Frozen):
    """Combinations of options that cannot occur together."""

    forbid: dict[Identifier, OptionValues] = Field(min_length=1)
    reason: Text
    sources: Citations = ()


class Verdict(StrEnum):
    """How a party answered a proposal (see ``docs/reference/calibrate.md`` for what each
    says about its preferences)."""

    accepted = "accepted"
    rejected = "rejected"
    countered = "countered"


class Response(Frozen):
    """A party's recorded answer to a proposal: ``hamas: accepted`` is short for
    ``hamas: {response: accepted}``.

    ``date`` defaults to the proposal's date and ``sources`` to the proposal's sources.
    ``counter`` names the proposal a ``countered`` response put forward instead.
    """

    response: Verdict
    date: Day | None = None
    counter: Identifier | None = None
    note: str | None = None
    sources: Citations = ()

    @model_validator(mode="before")
    @classmethod
    def _from_plain_word(cls, data: Any) -> Any:
        return {"response": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _counter_only_when_countered(self) -> Response:
        if self.counter is not None and self.response is not Verdict.countered:
            raise ValueError("'counter' only with response: countered")
        return self


class Proposal(Frozen):
    """A proposal tabled by a party (or several): a full package, plus what is unknown of it.

    ``assumed`` maps issue ids to why the package's value on that issue is the
    analyst's reading rather than something a source reports.
    """

    id: Identifier
    name: Text
    date: Day
    by: Identifiers
    package: dict[Identifier, OptionValue]
    status: str | None = None
    description: str | None = None
    assumed: dict[Identifier, Text] = Field(default_factory=dict)
    responses: dict[Identifier, Response] = Field(default_factory=dict)
    sources: Citations = Field(min_length=1)

    @property
    def authors(self) -> tuple[str, ...]:
        return (self.by,) if isinstance(self.by, str) else self.by


class Judgement(Frozen):
    """A party's recorded comparison of two proposals: it ``prefers`` one ``over`` the other
    (Hamas calling Israel's response a retreat from the Paris framework)."""

    id: Identifier | None = None
    party: Identifier
    prefers: Identifier
    over: Identifier
    date: Day | None = None
    note: str | None = None
    sources: Citations = Field(min_length=1)


class Event(Frozen):
    """A dated entry of the timeline."""

    date: Day
    text: Text
    parties: tuple[Identifier, ...] = ()
    sources: Citations = Field(min_length=1)


class Scenario(Frozen):
    """A whole negotiation as written in a scenario file (format version 1)."""

    accord: Literal[1]
    title: Text
    description: str | None = None
    date: Day | None = None
    sources: tuple[Source, ...] = ()
    parties: tuple[Party, ...] = ()
    issues: tuple[Issue, ...] = ()
    positions: tuple[Position, ...] = ()
    preferences: dict[Identifier, Preferences] = Field(default_factory=dict)
    constraints: tuple[Constraint, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    events: tuple[Event, ...] = ()
    signals: tuple[Signal, ...] = ()
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
