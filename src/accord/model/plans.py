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

The pydantic models check shapes; :func:`check_plans` checks everything
that needs the rest of the scenario (parties, issues, proposals, sources) and
the holdings arithmetic, reporting every problem with its path.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from accord.model.estimates import Estimate, ValueEstimate
from accord.model.problems import Path, Problem
from accord.model.types import Finite, Identifier, Text

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
    "check_plans",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Item(_Frozen):
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
    integer: bool = True
    issue: Identifier | None = None
    holdings: dict[Identifier, Finite] = Field(default_factory=dict)
    description: str | None = None
    sources: tuple[Identifier, ...] = ()


class ItemValue(_Frozen):
    """A negotiator's value of one unit of a stock item when it receives it and when it gives it.

    ``give`` is the value *to the giver* of handing one unit over, so a cost is
    negative.
    """

    receive: ValueEstimate = Estimate(value=0.0)
    give: ValueEstimate = Estimate(value=0.0)


class OutsideOption(_Frozen):
    """The value of walking away (resuming the conflict), linear in what is still undelivered.

    Value = ``base`` + sum over items of ``per_item[item]`` times the amount of
    that item still held by the parties that held it at the start.  It is a
    lump sum: the present value, at the moment of walking away, of everything
    that follows.
    """

    base: ValueEstimate
    per_item: dict[Identifier, ValueEstimate] = Field(default_factory=dict)


class Valuation(_Frozen):
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
    guarantor_penalty: ValueEstimate = Estimate(value=0.0)
    discount_per_day: Estimate = Estimate(value=1.0)
    estimate: bool
    rationale: Text
    sources: tuple[Identifier, ...] = ()


class Transfer(_Frozen):
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


class Flow(_Frozen):
    """A flow ``party`` provides at ``per_day`` units a day while its stage lasts."""

    party: Identifier
    item: Identifier
    per_day: Finite
    note: str | None = None


class Stage(_Frozen):
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


class Final(_Frozen):
    """What the plan ends in: a package, words, and flows that then hold indefinitely.

    Final ``flows`` (for example a permanent ceasefire) are valued as a
    perpetuity from the end of the last stage; a plan whose final has no flows
    ends in each negotiator's outside option evaluated with the final holdings.
    """

    package: dict[Identifier, Identifier | Finite] | None = None
    text: str | None = None
    flows: tuple[Flow, ...] = ()

    @model_validator(mode="after")
    def _something(self) -> Final:
        if self.package is None and self.text is None and not self.flows:
            raise ValueError("a final needs at least one of 'package', 'text' or 'flows'")
        return self


class Plan(_Frozen):
    """A staged exchange, optionally tied to the proposal it spells out."""

    id: Identifier
    name: Text
    proposal: Identifier | None = None
    by: Identifier | None = None
    description: str | None = None
    stages: tuple[Stage, ...] = Field(min_length=1)
    final: Final | None = None
    notes: tuple[Text, ...] = ()
    sources: tuple[Identifier, ...] = ()


# --- cross-reference checks ----------------------------------------------------------------------


def _choices(ids: Iterable[str], limit: int = 12) -> str:
    ids = list(ids)
    shown = ", ".join(ids[:limit]) + (", ..." if len(ids) > limit else "")
    return shown or "(none defined)"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _ref(path: Path, value: str, known: Iterable[str], what: str) -> list[Problem]:
    known = list(known)
    if value in known:
        return []
    return [Problem(path, f"{what} ({_choices(sorted(known))})", repr(value))]


def _sources(path: Path, cited: Iterable[str], known: set[str]) -> list[Problem]:
    out: list[Problem] = []
    for k, s in enumerate(cited):
        out += _ref((*path, k), s, known, "a source id defined in 'sources'")
    return out


def _duplicates(path: Path, ids: Sequence[str]) -> list[Problem]:
    counts = Counter(ids)
    seen: set[str] = set()
    out = []
    for k, x in enumerate(ids):
        if counts[x] > 1 and x in seen:
            out.append(Problem((*path, k, "id"), "ids that are unique", f"a second {x!r}"))
        seen.add(x)
    return out


def _whole(x: float, tol: float = 1e-9) -> bool:
    return abs(x - round(x)) <= tol


def check_plans(scenario: Any) -> list[Problem]:
    """Every problem in the ``items``, ``valuations`` and ``plans`` sections of ``scenario``.

    Reads ``scenario.items``, ``.valuations``, ``.plans`` (absent means empty)
    and the foundation's ``parties``, ``issues``, ``proposals`` and ``sources``.
    Checked: duplicate ids; unknown parties, items, flows, issues, proposals
    and sources; negative holdings, amounts, rates, days and penalties;
    whole-unit items moved in fractions; a transfer exceeding what its giver
    still holds at that point (deliveries inside a stage are simultaneous
    unless ``order`` says otherwise, so a party cannot pass on in a stage what
    it receives in that same stage without an order); a plan whose total of an
    item linked to a numeric issue differs from its proposal's package; a
    negotiator without valuations when plans exist; a discount (or its range) outside (0, 1];
    perpetual final flows valued by a negotiator who does not discount.
    """
    items: tuple[Item, ...] = tuple(getattr(scenario, "items", ()) or ())
    valuations: Mapping[str, Valuation] = getattr(scenario, "valuations", None) or {}
    plans: tuple[Plan, ...] = tuple(getattr(scenario, "plans", ()) or ())
    parties = tuple(getattr(scenario, "parties", ()) or ())
    party_ids = [p.id for p in parties]
    negotiators = [p.id for p in parties if str(getattr(p.role, "value", p.role)) == "negotiator"]
    issues = {i.id: i for i in getattr(scenario, "issues", ()) or ()}
    proposals = {p.id: p for p in getattr(scenario, "proposals", ()) or ()}
    source_ids = {s.id for s in getattr(scenario, "sources", ()) or ()}
    out: list[Problem] = []

    # items
    out += _duplicates(("items",), [i.id for i in items])
    by_id = {i.id: i for i in items}
    stocks = [i.id for i in items if i.kind == "stock"]
    flows = [i.id for i in items if i.kind == "flow"]
    for k, item in enumerate(items):
        path: Path = ("items", k)
        for party, amount in item.holdings.items():
            out += _ref((*path, "holdings", party), party, party_ids, "a party id")
            if amount < 0:
                out.append(Problem((*path, "holdings", party), "an amount >= 0", _num(amount)))
            elif item.integer and not _whole(amount):
                out.append(
                    Problem(
                        (*path, "holdings", party),
                        f"a whole number ({item.id!r} is counted in whole units)",
                        _num(amount),
                    )
                )
        if item.kind == "flow" and item.holdings:
            out.append(
                Problem(
                    (*path, "holdings"),
                    "no holdings on a flow item (flows are rates per day, not stocks)",
                    f"{len(item.holdings)} holding(s)",
                )
            )
        if item.issue is not None:
            issue = issues.get(item.issue)
            if issue is None:
                out += _ref((*path, "issue"), item.issue, issues, "an issue id")
            elif getattr(issue, "range", None) is None:
                out.append(
                    Problem(
                        (*path, "issue"),
                        "a numeric (range) issue whose number is this item's total",
                        f"categorical issue {item.issue!r}",
                    )
                )
        out += _sources((*path, "sources"), item.sources, source_ids)

    # valuations
    for party, val in valuations.items():
        path = ("valuations", party)
        if party not in party_ids:
            out += _ref(path, party, party_ids, "a party id")
        elif party not in negotiators:
            out.append(
                Problem(path, "valuations for negotiators only", f"{party!r}, not a negotiator")
            )
        for item_id in val.items:
            if item_id in flows:
                out.append(
                    Problem(
                        (*path, "items", item_id),
                        "a stock item here (flow items are valued under 'flows')",
                        f"flow item {item_id!r}",
                    )
                )
            else:
                out += _ref((*path, "items", item_id), item_id, stocks, "a stock item id")
        for flow_id in val.flows:
            if flow_id in stocks:
                out.append(
                    Problem(
                        (*path, "flows", flow_id),
                        "a flow item here (stock items are valued under 'items')",
                        f"stock item {flow_id!r}",
                    )
                )
            else:
                out += _ref((*path, "flows", flow_id), flow_id, flows, "a flow item id")
        for item_id in val.outside_option.per_item:
            out += _ref(
                (*path, "outside_option", "per_item", item_id), item_id, stocks, "a stock item id"
            )
        out += _check_discount((*path, "discount_per_day"), val.discount_per_day)
        penalty = val.guarantor_penalty
        if penalty.point < 0:
            out.append(
                Problem(
                    (*path, "guarantor_penalty"),
                    "a penalty >= 0 (what the guarantor imposes on whoever walks away)",
                    _num(penalty.point),
                )
            )
        elif penalty.support[0] < 0:
            out.append(
                Problem(
                    (*path, "guarantor_penalty"),
                    "a penalty >= 0 over its whole range (a normal without bounds may be "
                    "negative: give it low: 0)",
                    f"a range reaching {penalty.support[0]:g}",
                )
            )
        out += _sources((*path, "sources"), val.sources, source_ids)
    if plans:
        for party in negotiators:
            if party not in valuations:
                out.append(
                    Problem(
                        ("valuations",),
                        f"valuations for every negotiator, including {party!r}",
                        f"none for {party!r}",
                    )
                )

    # plans
    out += _duplicates(("plans",), [p.id for p in plans])
    for k, plan in enumerate(plans):
        out += _check_plan(plan, ("plans", k), by_id, party_ids, issues, proposals, valuations)
        out += _sources(("plans", k, "sources"), plan.sources, source_ids)
    return out


def _check_discount(path: Path, discount: Estimate) -> list[Problem]:
    """A daily discount factor: its point and its whole range in (0, 1].

    A normal without bounds is truncated to (0, 1]: only its mean must lie there.
    """
    point = discount.point
    if not 0 < point <= 1:
        return [Problem(path, "a daily discount factor in (0, 1]", _num(point))]
    lo, hi = discount.support
    if discount.dist == "normal" and not math.isfinite(lo):
        centre = discount.centre
        if not 0 < centre <= 1:
            return [
                Problem(
                    path,
                    "a daily discount factor in (0, 1] (the normal is truncated to (0, 1])",
                    f"a normal whose mean is {_num(centre)}",
                )
            ]
        return []
    if not (lo > 0 and hi <= 1):
        return [
            Problem(
                path,
                "a daily discount factor in (0, 1] over its whole range",
                f"a range [{_num(lo)}, {_num(hi)}]",
            )
        ]
    return []


def _check_flows(
    path: Path, flows_: Sequence[Flow], party_ids: list[str], by_id: Mapping[str, Item]
) -> list[Problem]:
    out: list[Problem] = []
    flow_ids = [i.id for i in by_id.values() if i.kind == "flow"]
    for f, flow in enumerate(flows_):
        fp: Path = (*path, f)
        out += _ref((*fp, "party"), flow.party, party_ids, "a party id")
        item = by_id.get(flow.item)
        if item is not None and item.kind != "flow":
            out.append(
                Problem(
                    (*fp, "item"),
                    "a flow item (stock items move in 'transfers')",
                    f"stock item {flow.item!r}",
                )
            )
        elif item is None:
            out += _ref((*fp, "item"), flow.item, flow_ids, "a flow item id")
        if flow.per_day < 0:
            out.append(Problem((*fp, "per_day"), "a rate >= 0", _num(flow.per_day)))
    return out


def _check_plan(
    plan: Plan,
    path: Path,
    by_id: Mapping[str, Item],
    party_ids: list[str],
    issues: Mapping[str, Any],
    proposals: Mapping[str, Any],
    valuations: Mapping[str, Valuation],
) -> list[Problem]:
    out: list[Problem] = []
    stock_ids = [i.id for i in by_id.values() if i.kind == "stock"]
    if plan.proposal is not None:
        out += _ref((*path, "proposal"), plan.proposal, proposals, "a proposal id")
    if plan.by is not None:
        out += _ref((*path, "by"), plan.by, party_ids, "a party id")
    out += _duplicates((*path, "stages"), [s.id for s in plan.stages])

    holdings: dict[tuple[str, str], float] = {}
    for item in by_id.values():
        for party, amount in item.holdings.items():
            holdings[(party, item.id)] = amount
    totals: dict[str, float] = {}
    for s, stage in enumerate(plan.stages):
        sp: Path = (*path, "stages", s)
        if stage.days < 0:
            out.append(Problem((*sp, "days"), "a number of days >= 0", _num(stage.days)))
        givers = []
        for t, tr in enumerate(stage.transfers):
            tp: Path = (*sp, "transfers", t)
            stock: Item | None
            out += _ref((*tp, "from"), tr.from_, party_ids, "a party id")
            out += _ref((*tp, "to"), tr.to, party_ids, "a party id")
            if tr.from_ == tr.to:
                out.append(Problem((*tp, "to"), "a party other than the giver", repr(tr.to)))
            stock = by_id.get(tr.item)
            if stock is None:
                out += _ref((*tp, "item"), tr.item, stock_ids, "a stock item id")
            elif stock.kind != "stock":
                out.append(
                    Problem(
                        (*tp, "item"),
                        "a stock item (flow items go in 'flows')",
                        f"flow item {tr.item!r}",
                    )
                )
            if tr.amount < 0:
                out.append(Problem((*tp, "amount"), "an amount >= 0", _num(tr.amount)))
            elif stock is not None and stock.integer and not _whole(tr.amount):
                out.append(
                    Problem(
                        (*tp, "amount"),
                        f"a whole number ({tr.item!r} is counted in whole units)",
                        _num(tr.amount),
                    )
                )
            givers.append(tr.from_)
        out += _check_flows((*sp, "flows"), stage.flows, party_ids, by_id)
        # order: known parties, no repeats, every giver listed
        groups: list[list[int]]
        if stage.order is not None:
            for o, party in enumerate(stage.order):
                out += _ref((*sp, "order", o), party, party_ids, "a party id")
            out += [
                Problem((*sp, "order", o), "each party once", f"a second {p!r}")
                for o, p in enumerate(stage.order)
                if p in stage.order[:o]
            ]
            for t, giver in enumerate(givers):
                if giver not in stage.order:
                    out.append(
                        Problem(
                            (*sp, "transfers", t, "from"),
                            f"a party listed in the stage's order ({_choices(stage.order)})",
                            repr(giver),
                        )
                    )
            groups = [
                [t for t, g in enumerate(givers) if g == party]
                for party in dict.fromkeys(stage.order)
            ]
        else:
            groups = [list(range(len(stage.transfers)))]
        # holdings: each group delivers from what its givers hold before the group
        for group in groups:
            outgoing: dict[tuple[str, str], float] = {}
            for t in group:
                tr = stage.transfers[t]
                if tr.item in by_id and tr.amount >= 0:
                    key = (tr.from_, tr.item)
                    outgoing[key] = outgoing.get(key, 0.0) + tr.amount
            for t in group:
                tr = stage.transfers[t]
                key = (tr.from_, tr.item)
                if key not in outgoing:
                    continue
                held = holdings.get(key, 0.0)
                if outgoing[key] > held + 1e-9:
                    out.append(
                        Problem(
                            (*sp, "transfers", t, "amount"),
                            f"at most what {tr.from_!r} still holds of {tr.item!r} at this "
                            f"point ({_num(held)})",
                            f"{_num(outgoing[key])} handed over"
                            + (" in this delivery" if len(group) > 1 else ""),
                        )
                    )
                del outgoing[key]
            for t in group:
                tr = stage.transfers[t]
                if tr.item in by_id and tr.amount >= 0:
                    holdings[(tr.from_, tr.item)] = (
                        holdings.get((tr.from_, tr.item), 0.0) - tr.amount
                    )
                    holdings[(tr.to, tr.item)] = holdings.get((tr.to, tr.item), 0.0) + tr.amount
                    totals[tr.item] = totals.get(tr.item, 0.0) + tr.amount
    if plan.final is not None:
        fp: Path = (*path, "final")
        out += _check_flows((*fp, "flows"), plan.final.flows, party_ids, by_id)
        for issue_id in plan.final.package or {}:
            out += _ref((*fp, "package", issue_id), issue_id, issues, "an issue id")
        if plan.final.flows:
            for party, val in valuations.items():
                valued = any(
                    f.item in val.flows and val.flows[f.item].support != (0.0, 0.0) and f.per_day
                    for f in plan.final.flows
                )
                discount = val.discount_per_day
                if not valued or not 0 < discount.point <= 1:
                    continue  # an invalid discount is reported at its own path
                if discount.point >= 1:
                    out.append(
                        Problem(
                            (*fp, "flows"),
                            f"a discount_per_day below 1 for {party!r}, who values these "
                            "flows (indefinite flows are worth a finite amount only when "
                            "discounted)",
                            f"discount_per_day {_num(discount.point)}",
                        )
                    )
                elif discount.support[1] >= 1:
                    out.append(
                        Problem(
                            (*fp, "flows"),
                            f"a discount_per_day below 1 over its whole range for {party!r}, "
                            "who values these flows (indefinite flows are worth a finite "
                            "amount only when discounted; give the range a high end below 1)",
                            "a discount_per_day range reaching "
                            f"{_num(min(discount.support[1], 1.0))}",
                        )
                    )
    # totals against the proposal's package
    proposal = proposals.get(plan.proposal) if plan.proposal is not None else None
    if proposal is not None:
        package = getattr(proposal, "package", {}) or {}
        for item in by_id.values():
            if item.issue is None or item.issue not in package:
                continue
            stated = package[item.issue]
            if isinstance(stated, str):
                continue
            delivered = totals.get(item.id, 0.0)
            if not math.isclose(delivered, float(stated), rel_tol=0, abs_tol=1e-9):
                out.append(
                    Problem(
                        (*path, "stages"),
                        f"{_num(float(stated))} {item.unit or 'units'} of {item.id!r} in total, "
                        f"as proposal {proposal.id!r} states for issue {item.issue!r}",
                        f"{_num(delivered)} delivered over the plan's stages",
                    )
                )
    return out
