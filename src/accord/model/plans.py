"""The phased-deal sections of a scenario file: ``items``, ``valuations`` and ``plans``.

A *plan* stages an exchange: each stage lasts some days, opens with one-off
deliveries (``transfers``: hostages of a category, prisoners, bodies, a
withdrawal step) and holds ``flows`` for its days (a truce, aid).  ``items``
lists what can change hands and who holds how much of it at the start;
``valuations`` gives each negotiator's (estimated) value of receiving and
giving each item, of each flow per day, of walking away (its *outside
option*), the guarantor's penalty for walking away, and a daily discount
factor.  The timing model these numbers feed is documented in
:mod:`accord.phased.evaluate` and ``docs/explanation/phased-deals.md``.

The pydantic models check shapes; :func:`accord.model.plan_checks.check_plans`
checks everything that needs the rest of the scenario (parties, issues,
proposals, sources) and the holdings arithmetic, reporting every problem with
its path.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer, model_validator

from accord.model.base import Frozen
from accord.model.citations import Citations
from accord.model.estimates import AnyEstimate, Fixed, ValueEstimate
from accord.model.types import Finite, Flag, Identifier, OptionValue, Text

__all__ = [
    "Final",
    "Flow",
    "Item",
    "ItemValue",
    "OutsideOption",
    "Plan",
    "Stage",
    "Transfer",
    "Valuation",
]


class Item(Frozen):
    """Something that changes hands in a plan.

    ``kind: stock`` items (the default) are delivered in one-off ``transfers``
    and have ``holdings`` (who holds how many at the start).  ``kind: flow``
    items (a truce, aid deliveries) hold at a rate per day during a stage and
    have no holdings.  ``integer`` items (people) move in whole units.
    ``issue`` links the item to a numeric issue: a plan tied to a proposal must
    then deliver in total exactly the number that proposal's package states.
    """

    id: Identifier
    name: Text
    unit: str = ""
    kind: Literal["stock", "flow"] = "stock"
    integer: Flag = True
    issue: Identifier | None = None
    holdings: dict[Identifier, Finite] = Field(default_factory=dict)
    description: str | None = None
    sources: Citations = ()


class ItemValue(Frozen):
    """A negotiator's value of one unit of a stock item when it receives it and when it gives it.

    ``give`` is the value *to the giver* of handing one unit over, so a cost is
    negative.
    """

    receive: ValueEstimate = Fixed(value=0.0)
    give: ValueEstimate = Fixed(value=0.0)


class OutsideOption(Frozen):
    """The value of walking away (resuming the conflict), linear in what is still undelivered.

    Value = ``base`` + sum over items of ``per_item[item]`` times the amount of
    that item still held by the parties that held it at the start.  It is a
    lump sum: the present value, at the moment of walking away, of everything
    that follows.
    """

    base: ValueEstimate
    per_item: dict[Identifier, ValueEstimate] = Field(default_factory=dict)


class Valuation(Frozen):
    """One negotiator's values for the phased-deal analysis (nearly always estimates).

    Every value (item ``receive``/``give``, ``flows`` per day, the outside
    option's ``base`` and ``per_item``, ``guarantor_penalty``) is an
    :class:`~accord.model.estimates.Estimate`: a plain number, ``{value, range}``
    or ``{dist: ...}``; the deterministic analyses read its ``point`` and
    ``accord robust`` samples it.  ``discount_per_day`` is an estimate too; its
    point and its whole range must lie in (0, 1] (a normal without bounds is
    truncated to (0, 1]).  Every margin is linear in the other values for a
    fixed discount factor, so when the discounts are fixed the robustness
    analysis computes all samples' margins with one matrix product; when a
    discount is uncertain it raises each sample's factors to the plan's days
    as arrays instead (:mod:`accord.robust.plans`).
    """

    items: dict[Identifier, ItemValue] = Field(default_factory=dict)
    flows: dict[Identifier, ValueEstimate] = Field(default_factory=dict)
    outside_option: OutsideOption
    guarantor_penalty: ValueEstimate = Fixed(value=0.0)
    discount_per_day: AnyEstimate = Fixed(value=1.0)
    estimate: Flag
    rationale: Text
    sources: Citations = ()


class Transfer(Frozen):
    """A one-off delivery of ``amount`` units of a stock item from one party to another."""

    from_: Identifier = Field(alias="from")
    to: Identifier
    item: Identifier
    amount: Finite
    note: str | None = None

    @model_serializer(mode="wrap")
    def _file_keys(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # written back as the file spells it: `from`, not the Python name `from_`
        data: dict[str, Any] = handler(self)
        if "from_" in data:
            data = {"from": data.pop("from_"), **data}
        return data


class Flow(Frozen):
    """A flow ``party`` provides at ``per_day`` units a day while its stage lasts."""

    party: Identifier
    item: Identifier
    per_day: Finite
    note: str | None = None


class Stage(Frozen):
    """One stage: deliveries at its start, then flows for ``days`` days.

    ``order`` lists the parties in the order they deliver inside the stage
    (each party's transfers go together); without it, deliveries are
    simultaneous.
    """

    id: Identifier
    days: Finite
    transfers: tuple[Transfer, ...] = ()
    flows: tuple[Flow, ...] = ()
    order: tuple[Identifier, ...] | None = None
    note: str | None = None


class Final(Frozen):
    """What the plan ends in: a package, words, and flows that then hold indefinitely.

    Final ``flows`` (for example a permanent ceasefire) are valued as a
    perpetuity from the end of the last stage; a plan whose final has no flows
    ends in each negotiator's outside option evaluated with the final holdings.
    """

    package: dict[Identifier, OptionValue] | None = None
    text: str | None = None
    flows: tuple[Flow, ...] = ()

    @model_validator(mode="after")
    def _something(self) -> Final:
        if self.package is None and self.text is None and not self.flows:
            raise ValueError("a final needs at least one of 'package', 'text' or 'flows'")
        return self


class Plan(Frozen):
    """A staged exchange, optionally tied to the proposal it spells out."""

    id: Identifier
    name: Text
    proposal: Identifier | None = None
    by: Identifier | None = None
    description: str | None = None
    stages: tuple[Stage, ...] = Field(min_length=1)
    final: Final | None = None
    notes: tuple[Text, ...] = ()
    sources: Citations = ()
