"""`accord phases`: is every stage of a phased plan self-enforcing; how should it be scheduled?"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import numpy as np
from rich.table import Table
from rich.text import Text

from accord.cli._common import console, json_option, load_or_exit, print_json, scenario_argument
from accord.model import Scenario, embedded_scenarios
from accord.phased import (
    OBJECTIVES,
    Exchange,
    PlanAssessment,
    ScheduleDesign,
    compare_plans,
    design_schedule,
    evaluate_plan,
    exchange_from_scenario,
    minimal_guarantees,
    plan_from_scenario,
    spec_from_plan,
)

__all__ = ["phases"]


def _num(x: float) -> str:
    """Three decimals for small values, fewer as they grow; trailing zeros dropped."""
    places = 3 if abs(x) < 10 else 2 if abs(x) < 100 else 1
    text = f"{x:,.{places}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text in ("-0", "") else text


def _margin_text(x: float, weakest: bool, tol: float) -> Text:
    style = "bold green" if x >= -tol else "bold red"
    if weakest:
        style += " reverse"
    return Text(_num(x), style=style)


def _split_args(file: str | None, plan: str | None) -> tuple[str | None, str | None]:
    """`accord phases cairo-draft` means the plan cairo-draft of the default scenario."""
    if file is None or plan is not None:
        return file, plan
    looks_like_a_file = "/" in file or file.lower().endswith((".yaml", ".yml", ".json"))
    if looks_like_a_file or Path(file).exists() or file in {e.name for e in embedded_scenarios()}:
        return file, plan
    return None, file


def _plans_or_fail(s: Scenario, plan: str | None) -> list[str]:
    ids = [p.id for p in s.plans]
    if not ids:
        raise click.UsageError(
            "this scenario has no plans: add `items`, `valuations` and `plans` sections "
            "(see docs/reference/phased-deals.md)"
        )
    if plan is None:
        return ids
    if plan not in ids:
        raise click.BadParameter(
            f"no plan {plan!r}; the scenario's plans are: {', '.join(ids)}", param_hint="PLAN"
        )
    return [plan]


def _print_assessment(ex: Exchange, a: PlanAssessment, name: str, notes: tuple[str, ...]) -> None:
    t = Table(title=f"{name} [{a.plan}]", show_lines=False, title_justify="left")
    t.add_column("decision point")
    t.add_column("day", justify="right")
    t.add_column("still to deliver")
    for n in a.negotiators:
        t.add_column(f"{n}\ncarry on", justify="right")
        t.add_column(f"{n}\nwalk away", justify="right")
        t.add_column(f"{n}\nmargin", justify="right")
    w_j = a.negotiators.index(a.weakest.negotiator)
    for p, point in enumerate(a.points):
        left = ", ".join(
            f"{a.to_come[p, i]:g} {item}" for i, item in enumerate(a.items) if a.to_come[p, i] > 0
        )
        row: list[Any] = [point.label, f"{point.day:g}", left or "-"]
        for j in range(len(a.negotiators)):
            weak = p == a.weakest.point.index and j == w_j
            row += [
                _num(a.continue_value[j, p]),
                _num(a.walk_value[j, p]),
                _margin_text(float(a.margin[j, p]), weak, a.tol),
            ]
        t.add_row(*row)
    console.print(t)
    w = a.weakest
    verdict = (
        Text("self-enforcing", style="bold green")
        if a.self_enforcing
        else Text("not self-enforcing", style="bold red")
    )
    console.print(
        Text.assemble("  ", verdict, f" over {a.total_days:g} days; value at day 0: "),
        Text(", ".join(f"{n} {_num(v)}" for n, v in zip(a.negotiators, a.value, strict=True))),
    )
    what = "falls short by " + _num(w.shortfall) if w.shortfall > 0 else "margin " + _num(w.margin)
    console.print(
        Text.assemble(
            "  weakest point: ",
            (f"{w.negotiator} at {w.point.label} (day {w.point.day:g})", "bold"),
            f", {what}",
        )
    )
    if w.drivers:
        console.print(
            "  what makes the difference there: "
            + "; ".join(f"{d.what} {d.value:+,.1f}" for d in w.drivers)
        )
    for note in notes:
        console.print(Text(f"  note: {note}", style="dim"))
    console.print()


def _print_comparison(ex: Exchange, comparison: Any, names: dict[str, str]) -> None:
    t = Table(title="Plans side by side", title_justify="left")
    t.add_column("plan")
    t.add_column("days", justify="right")
    t.add_column("self-enforcing")
    for n in comparison.negotiators:
        t.add_column(f"{n}\nvalue", justify="right")
        t.add_column(f"{n}\nsmallest margin by stage", justify="left")
    for k, plan in enumerate(comparison.plans):
        ok = comparison.self_enforcing[k]
        row: list[Any] = [
            names[plan],
            f"{comparison.days[k]:g}",
            Text("yes", style="green") if ok else Text("no", style="bold red"),
        ]
        for j in range(len(comparison.negotiators)):
            stages = comparison.stage_margin[k][j]
            cells = Text()
            for s, m in enumerate(stages):
                cells.append(("  " if s else "") + _num(m), style="green" if m >= 0 else "red")
            row += [_num(comparison.value[k, j]), cells]
        t.add_row(*row)
    console.print(t)


def _print_design(ex: Exchange, d: ScheduleDesign, base: str) -> None:
    if d.amounts is None or d.days is None:
        console.print(Text(f"No schedule ({d.status}).", style="bold red"))
        console.print(d.message)
        if d.infeasibility is not None:
            inf = d.infeasibility
            t = Table(title="What would relax it (extra guarantor penalty)", title_justify="left")
            t.add_column("negotiator")
            t.add_column("together", justify="right")
            t.add_column("alone", justify="right")
            for j, n in enumerate(inf.negotiators):
                alone = inf.alone[j]
                t.add_row(n, _num(inf.shortfall[j]), "impossible" if alone is None else _num(alone))
            console.print(t)
        return
    t = Table(
        title=f"Designed schedule ({d.objective}; totals from {base}): {d.message}",
        title_justify="left",
    )
    t.add_column("stage")
    t.add_column("days", justify="right")
    for it in d.items:
        t.add_column(f"{it.item}\n{it.giver} → {it.receiver}", justify="right")
    for s in range(d.amounts.shape[0]):
        t.add_row(f"{s + 1}", f"{d.days[s]}", *(f"{a:g}" for a in d.amounts[s]))
    t.add_row("total", f"{int(np.sum(d.days))}", *(f"{it.total:g}" for it in d.items), style="bold")
    console.print(t)
    console.print(f"  objective ({d.objective}): {d.objective_value:.4g}")
    if d.recheck is not None and d.plan is not None:
        _print_assessment(ex, d.recheck, "Re-checked by the stage-by-stage evaluator", ())


@click.command()
@scenario_argument
@click.argument("plan", required=False, metavar="[PLAN]")
@click.option(
    "--design", is_flag=True, help="Design a schedule with PLAN's totals (default: the first plan)."
)
@click.option(
    "--objective",
    type=click.Choice(OBJECTIVES),
    default="front-load",
    show_default=True,
    help="front-load: most delivered in stage 1; shortest: fewest days; "
    "even: most even split of risk.",
)
@click.option(
    "--stages",
    "-k",
    type=click.IntRange(1, 52),
    default=3,
    show_default=True,
    help="Number of stages to design.",
)
@click.option(
    "--min-days",
    type=click.IntRange(0),
    default=7,
    show_default=True,
    help="Shortest stage (days).",
)
@click.option(
    "--max-days",
    type=click.IntRange(0),
    default=21,
    show_default=True,
    help="Longest stage (days).",
)
@click.option(
    "--day-step",
    type=click.IntRange(1),
    default=7,
    show_default=True,
    help="Stage lengths move in steps of this many days (7: whole weeks).",
)
@click.option(
    "--focus",
    multiple=True,
    metavar="ITEM",
    help="Items that front-load counts (repeatable; default: all delivered items).",
)
@click.option(
    "--guarantee",
    is_flag=True,
    help="The smallest guarantor penalty per negotiator that makes each plan self-enforcing.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(0.1),
    default=60.0,
    show_default=True,
    help="Seconds the schedule designer may take.",
)
@json_option
def phases(
    file: str | None,
    plan: str | None,
    design: bool,
    objective: str,
    stages: int,
    min_days: int,
    max_days: int,
    day_step: int,
    focus: tuple[str, ...],
    guarantee: bool,
    time_limit: float,
    as_json: bool,
) -> None:
    """Check a phased plan stage by stage: at every point, does each side gain more by carrying
    on than by walking away?

    Without PLAN, every plan of the scenario is checked and compared side by side. The margin at a
    point is the value of carrying the plan through minus the value of walking away then
    (keeping what it still holds, taking its outside option, paying any guarantor penalty); the
    plan is self-enforcing when no margin is negative. The weakest point is highlighted.

    \b
    Examples:
      accord phases                              # every plan of cairo-2024
      accord phases cairo-draft                  # one plan of the default scenario
      accord phases cairo-2024 cairo-draft --guarantee
      accord phases --design --objective even --stages 4 cairo-draft
    """
    file, plan = _split_args(file, plan)
    s = load_or_exit(file, as_json=as_json)
    ids = _plans_or_fail(s, plan)
    if min_days > max_days:
        raise click.BadParameter(f"--min-days ({min_days}) exceeds --max-days ({max_days})")
    ex = exchange_from_scenario(s)
    names = {p.id: p.name for p in s.plans}
    notes = {p.id: p.notes for p in s.plans}
    staged = {i: plan_from_scenario(s, i, ex) for i in ids}

    if design:
        base = ids[0]
        unknown = [f for f in focus if f not in ex.items]
        if unknown:
            raise click.BadParameter(
                f"unknown item(s) {', '.join(unknown)}; the items are {', '.join(ex.items)}",
                param_hint="--focus",
            )
        spec = spec_from_plan(
            ex,
            staged[base],
            stages,
            min_days=min_days,
            max_days=max_days,
            day_step=day_step,
            focus=focus or None,
        )
        try:
            result = design_schedule(ex, spec, objective, time_limit=time_limit)  # type: ignore[arg-type]
        except ValueError as e:
            raise click.UsageError(str(e)) from None
        if as_json:
            print_json({"plan": base, "spec": spec, "design": result})
        else:
            _print_design(ex, result, base)
        return

    if guarantee:
        found = [minimal_guarantees(ex, staged[i]) for i in ids]
        if as_json:
            print_json({"guarantees": found})
            return
        t = Table(
            title="Smallest guarantor penalty that makes each plan self-enforcing",
            title_justify="left",
        )
        t.add_column("plan")
        for n in ex.negotiators:
            t.add_column(f"{n}\nneeded (now)", justify="right")
            t.add_column(f"{n}\nbinding point")
        for g in found:
            row: list[Any] = [names[g.plan]]
            for j in range(len(ex.negotiators)):
                need = Text(
                    f"{_num(g.required[j])} ({_num(g.current[j])})",
                    style="bold red" if g.extra[j] > 0 else "green",
                )
                row += [need, g.binding[j] or "-"]
            t.add_row(*row)
        console.print(t)
        console.print(
            "  A penalty is what the guarantor would impose on a side that walks away, in that "
            "side's own value units at the moment it walks away."
        )
        return

    assessments = [evaluate_plan(ex, staged[i]) for i in ids]
    if as_json:
        payload: dict[str, Any] = {"assessments": assessments}
        if len(ids) > 1:
            payload["comparison"] = compare_plans(ex, [staged[i] for i in ids])
        print_json(payload)
        return
    for a in assessments:
        _print_assessment(ex, a, names[a.plan], notes[a.plan])
    if len(ids) > 1:
        _print_comparison(ex, compare_plans(ex, [staged[i] for i in ids]), names)
    valuations_note = (
        "Values are each side's own units (estimates: see `valuations` in the scenario); "
        "compare margins within a column, not across sides."
    )
    console.print(Text(valuations_note, style="dim"))
