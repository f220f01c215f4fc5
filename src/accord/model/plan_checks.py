"""Cross-reference checks of the phased-deal sections: ``items``, ``valuations``, ``plans``.

Everything the schema of :mod:`accord.model.plans` cannot see alone: references to parties,
items, issues, proposals and sources, and the holdings arithmetic of each plan's stages (what a
party hands over must be what it still holds at that point). Each problem carries its path.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from accord.model.estimates import Estimate, Normal
from accord.model.plans import Flow, Item, Plan, Stage
from accord.model.problems import Path, Problem
from accord.model.refs import Known, choices, duplicates, num
from accord.model.schema import Scenario

__all__ = ["check_plans"]


def _whole(x: float, tol: float = 1e-9) -> bool:
    return abs(x - round(x)) <= tol


def check_plans(scenario: Scenario, known: Known) -> list[Problem]:
    """Every problem in the ``items``, ``valuations`` and ``plans`` sections of ``scenario``.

    Checked: duplicate ids; unknown parties, items, flows, issues, proposals and sources;
    negative holdings, amounts, rates, days and penalties; whole-unit items moved in fractions;
    a transfer exceeding what its giver still holds at that point (deliveries inside a stage are
    simultaneous unless ``order`` says otherwise, so a party cannot pass on in a stage what it
    receives in that same stage without an order); a plan whose total of an item linked to a
    numeric issue differs from its proposal's package; a negotiator without valuations when
    plans exist; a discount (or its range) outside (0, 1]; perpetual final flows valued by a
    negotiator who does not discount.
    """
    out = _check_items(scenario, known)
    out += _check_valuations(scenario, known)
    by_id = {i.id: i for i in scenario.items}
    out += duplicates(("plans",), [p.id for p in scenario.plans])
    for k, plan in enumerate(scenario.plans):
        out += _check_plan(plan, ("plans", k), scenario, known, by_id)
        out += known.sources(("plans", k, "sources"), plan.sources)
    return out


def _check_items(scenario: Scenario, known: Known) -> list[Problem]:
    out = duplicates(("items",), [i.id for i in scenario.items])
    issues = {i.id: i for i in scenario.issues}
    for k, item in enumerate(scenario.items):
        path: Path = ("items", k)
        for party, amount in item.holdings.items():
            out += known.ref((*path, "holdings", party), "parties", party, "a party id")
            if amount < 0:
                out.append(Problem((*path, "holdings", party), "an amount >= 0", num(amount)))
            elif item.integer and not _whole(amount):
                out.append(
                    Problem(
                        (*path, "holdings", party),
                        f"a whole number ({item.id!r} is counted in whole units)",
                        num(amount),
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
                out += known.ref((*path, "issue"), "issues", item.issue, "an issue id")
            elif issue.range is None:
                out.append(
                    Problem(
                        (*path, "issue"),
                        "a numeric (range) issue whose number is this item's total",
                        f"categorical issue {item.issue!r}",
                    )
                )
        out += known.sources((*path, "sources"), item.sources)
    return out


def _check_valuations(scenario: Scenario, known: Known) -> list[Problem]:
    stocks = [i.id for i in scenario.items if i.kind == "stock"]
    flows = [i.id for i in scenario.items if i.kind == "flow"]
    negotiators = [p.id for p in scenario.negotiators]
    out: list[Problem] = []
    for party, val in scenario.valuations.items():
        path: Path = ("valuations", party)
        if party not in known["parties"]:
            out += known.ref(path, "parties", party, "a party id")
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
                out += known.ref(
                    (*path, "items", item_id), "items", item_id, "a stock item id", stocks
                )
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
                out += known.ref(
                    (*path, "flows", flow_id), "items", flow_id, "a flow item id", flows
                )
        for item_id in val.outside_option.per_item:
            out += known.ref(
                (*path, "outside_option", "per_item", item_id),
                "items",
                item_id,
                "a stock item id",
                stocks,
            )
        out += _check_discount((*path, "discount_per_day"), val.discount_per_day)
        out += _check_penalty((*path, "guarantor_penalty"), val.guarantor_penalty)
        out += known.sources((*path, "sources"), val.sources)
    if scenario.plans:
        for party in negotiators:
            if party not in scenario.valuations and known.judged("valuations", party):
                out.append(
                    Problem(
                        ("valuations",),
                        f"valuations for every negotiator, including {party!r}",
                        f"none for {party!r}",
                    )
                )
    return out


def _check_penalty(path: Path, penalty: Estimate) -> list[Problem]:
    if penalty.point < 0:
        return [
            Problem(
                path,
                "a penalty >= 0 (what the guarantor imposes on whoever walks away)",
                num(penalty.point),
            )
        ]
    if penalty.support[0] < 0:
        return [
            Problem(
                path,
                "a penalty >= 0 over its whole range (a normal without bounds may be "
                "negative: give it low: 0)",
                f"a range reaching {penalty.support[0]:g}",
            )
        ]
    return []


def _check_discount(path: Path, discount: Estimate) -> list[Problem]:
    """A daily discount factor: its point and its whole range in (0, 1].

    A normal without bounds is truncated to (0, 1]: only its mean must lie there.
    """
    point = discount.point
    if not 0 < point <= 1:
        return [Problem(path, "a daily discount factor in (0, 1]", num(point))]
    lo, hi = discount.support
    if isinstance(discount, Normal) and not math.isfinite(lo):
        centre = discount.centre
        if not 0 < centre <= 1:
            return [
                Problem(
                    path,
                    "a daily discount factor in (0, 1] (the normal is truncated to (0, 1])",
                    f"a normal whose mean is {num(centre)}",
                )
            ]
        return []
    if not (lo > 0 and hi <= 1):
        return [
            Problem(
                path,
                "a daily discount factor in (0, 1] over its whole range",
                f"a range [{num(lo)}, {num(hi)}]",
            )
        ]
    return []


def _check_flows(
    path: Path, flows_: Sequence[Flow], known: Known, by_id: Mapping[str, Item]
) -> list[Problem]:
    out: list[Problem] = []
    flow_ids = [i.id for i in by_id.values() if i.kind == "flow"]
    for f, flow in enumerate(flows_):
        fp: Path = (*path, f)
        out += known.ref((*fp, "party"), "parties", flow.party, "a party id")
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
            out += known.ref((*fp, "item"), "items", flow.item, "a flow item id", flow_ids)
        if flow.per_day < 0:
            out.append(Problem((*fp, "per_day"), "a rate >= 0", num(flow.per_day)))
    return out


def _check_plan(
    plan: Plan, path: Path, scenario: Scenario, known: Known, by_id: Mapping[str, Item]
) -> list[Problem]:
    out: list[Problem] = []
    if plan.proposal is not None:
        out += known.ref((*path, "proposal"), "proposals", plan.proposal, "a proposal id")
    if plan.by is not None:
        out += known.ref((*path, "by"), "parties", plan.by, "a party id")
    out += duplicates((*path, "stages"), [s.id for s in plan.stages])
    holdings: dict[tuple[str, str], float] = {}
    for item in by_id.values():
        for party, amount in item.holdings.items():
            holdings[(party, item.id)] = amount
    totals: dict[str, float] = {}
    for s, stage in enumerate(plan.stages):
        sp: Path = (*path, "stages", s)
        if stage.days < 0:
            out.append(Problem((*sp, "days"), "a number of days >= 0", num(stage.days)))
        out += _check_transfers(sp, stage, known, by_id)
        out += _check_flows((*sp, "flows"), stage.flows, known, by_id)
        groups, problems = _delivery_groups(sp, stage, known)
        out += problems
        for group in groups:
            out += _deliver(sp, stage, group, by_id, holdings, totals)
    if plan.final is not None:
        out += _check_final(plan, (*path, "final"), scenario, known, by_id)
    out += _check_totals(plan, path, scenario, by_id, totals)
    return out


def _check_transfers(
    sp: Path, stage: Stage, known: Known, by_id: Mapping[str, Item]
) -> list[Problem]:
    out: list[Problem] = []
    stock_ids = [i.id for i in by_id.values() if i.kind == "stock"]
    for t, tr in enumerate(stage.transfers):
        tp: Path = (*sp, "transfers", t)
        out += known.ref((*tp, "from"), "parties", tr.from_, "a party id")
        out += known.ref((*tp, "to"), "parties", tr.to, "a party id")
        if tr.from_ == tr.to:
            out.append(Problem((*tp, "to"), "a party other than the giver", repr(tr.to)))
        stock = by_id.get(tr.item)
        if stock is None:
            out += known.ref((*tp, "item"), "items", tr.item, "a stock item id", stock_ids)
        elif stock.kind != "stock":
            out.append(
                Problem(
                    (*tp, "item"),
                    "a stock item (flow items go in 'flows')",
                    f"flow item {tr.item!r}",
                )
            )
        if tr.amount < 0:
            out.append(Problem((*tp, "amount"), "an amount >= 0", num(tr.amount)))
        elif stock is not None and stock.integer and not _whole(tr.amount):
            out.append(
                Problem(
                    (*tp, "amount"),
                    f"a whole number ({tr.item!r} is counted in whole units)",
                    num(tr.amount),
                )
            )
    return out


def _delivery_groups(sp: Path, stage: Stage, known: Known) -> tuple[list[list[int]], list[Problem]]:
    """The transfers that are delivered together (by ``order``), and the order's problems:
    known parties, no repeats, every giver listed."""
    givers = [tr.from_ for tr in stage.transfers]
    if stage.order is None:
        return [list(range(len(stage.transfers)))], []
    out: list[Problem] = []
    for o, party in enumerate(stage.order):
        out += known.ref((*sp, "order", o), "parties", party, "a party id")
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
                    f"a party listed in the stage's order ({choices(stage.order)})",
                    repr(giver),
                )
            )
    groups = [
        [t for t, g in enumerate(givers) if g == party] for party in dict.fromkeys(stage.order)
    ]
    return groups, out


def _deliver(
    sp: Path,
    stage: Stage,
    group: list[int],
    by_id: Mapping[str, Item],
    holdings: dict[tuple[str, str], float],
    totals: dict[str, float],
) -> list[Problem]:
    """Deliver one group of transfers from what its givers hold before the group."""
    out: list[Problem] = []
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
                    f"point ({num(held)})",
                    f"{num(outgoing[key])} handed over"
                    + (" in this delivery" if len(group) > 1 else ""),
                )
            )
        del outgoing[key]
    for t in group:
        tr = stage.transfers[t]
        if tr.item in by_id and tr.amount >= 0:
            holdings[(tr.from_, tr.item)] = holdings.get((tr.from_, tr.item), 0.0) - tr.amount
            holdings[(tr.to, tr.item)] = holdings.get((tr.to, tr.item), 0.0) + tr.amount
            totals[tr.item] = totals.get(tr.item, 0.0) + tr.amount
    return out


def _check_final(
    plan: Plan, fp: Path, scenario: Scenario, known: Known, by_id: Mapping[str, Item]
) -> list[Problem]:
    assert plan.final is not None
    out = _check_flows((*fp, "flows"), plan.final.flows, known, by_id)
    for issue_id in plan.final.package or {}:
        out += known.ref((*fp, "package", issue_id), "issues", issue_id, "an issue id")
    if not plan.final.flows:
        return out
    for party, val in scenario.valuations.items():
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
                    f"discount_per_day {num(discount.point)}",
                )
            )
        elif discount.support[1] >= 1:
            out.append(
                Problem(
                    (*fp, "flows"),
                    f"a discount_per_day below 1 over its whole range for {party!r}, "
                    "who values these flows (indefinite flows are worth a finite "
                    "amount only when discounted; give the range a high end below 1)",
                    f"a discount_per_day range reaching {num(min(discount.support[1], 1.0))}",
                )
            )
    return out


def _check_totals(
    plan: Plan,
    path: Path,
    scenario: Scenario,
    by_id: Mapping[str, Item],
    totals: Mapping[str, float],
) -> list[Problem]:
    """What the stages deliver of an item linked to a numeric issue, against the proposal."""
    proposal = next((p for p in scenario.proposals if p.id == plan.proposal), None)
    if proposal is None:
        return []
    out: list[Problem] = []
    for item in by_id.values():
        if item.issue is None or item.issue not in proposal.package:
            continue
        stated = proposal.package[item.issue]
        if isinstance(stated, str):
            continue
        delivered = totals.get(item.id, 0.0)
        if not math.isclose(delivered, float(stated), rel_tol=0, abs_tol=1e-9):
            out.append(
                Problem(
                    (*path, "stages"),
                    f"{num(float(stated))} {item.unit or 'units'} of {item.id!r} in total, "
                    f"as proposal {proposal.id!r} states for issue {item.issue!r}",
                    f"{num(delivered)} delivered over the plan's stages",
                )
            )
    return out
