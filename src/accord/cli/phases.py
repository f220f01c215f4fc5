"""`accord phases`: is every stage of a phased plan self-enforcing; how should it be scheduled?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from accord.cli._common import (
    analysis_or_exit,
    json_option,
    looks_like_a_file,
    print_json,
    scenario_argument,
)
from accord.cli._output import ProgressLine, console, print_table, say, text

if TYPE_CHECKING:
    from rich.text import Text

    from accord.phased import Guarantees, PlanAssessment, PlanComparison, ScheduleDesign
    from accord.run import Analysis
    from accord.run.results import PlanChecks, ScheduleReport

# accord.phased.OBJECTIVES (a test checks they agree); importing it here would load the
# schedule designer's solver for every command
OBJECTIVES = ("front-load", "shortest", "even")

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
    return text(_num(x), style)


def _split_args(file: str | None, plan: str | None) -> tuple[str | None, str | None]:
    """`accord phases cairo-draft` means the plan cairo-draft of the default scenario."""
    if file is None or plan is not None or looks_like_a_file(file) or "/" in file:
        return file, plan
    return None, file


def _print_assessment(a: PlanAssessment, name: str, notes: tuple[str, ...]) -> None:
    from rich.table import Table

    t = Table(title=text(f"{name} [{a.plan}]"), show_lines=False, title_justify="left")
    t.add_column("decision point")
    t.add_column("day", justify="right")
    t.add_column("still to deliver")
    for n in a.negotiators:
        t.add_column(text(f"{n}\ncarry on"), justify="right")
        t.add_column(text(f"{n}\nwalk away"), justify="right")
        t.add_column(text(f"{n}\nmargin"), justify="right")
    w_j = a.negotiators.index(a.weakest.negotiator)
    for p, point in enumerate(a.points):
        left = ", ".join(
            f"{a.to_come[p, i]:g} {item}" for i, item in enumerate(a.items) if a.to_come[p, i] > 0
        )
        row: list[Any] = [text(point.label), f"{point.day:g}", text(left or "-")]
        for j in range(len(a.negotiators)):
            weak = p == a.weakest.point.index and j == w_j
            row += [
                _num(a.continue_value[j, p]),
                _num(a.walk_value[j, p]),
                _margin_text(float(a.margin[j, p]), weak, a.tol),
            ]
        t.add_row(*row)
    print_table(t)
    w = a.weakest
    verdict = (
        ("self-enforcing", "bold green") if a.self_enforcing else ("not self-enforcing", "bold red")
    )
    values = ", ".join(f"{n} {_num(v)}" for n, v in zip(a.negotiators, a.value, strict=True))
    say("  ", verdict, f" over {a.total_days:g} days; value at day 0: ", values)
    what = "falls short by " + _num(w.shortfall) if w.shortfall > 0 else "margin " + _num(w.margin)
    where = f"{w.negotiator} at {w.point.label} (day {w.point.day:g})"
    say("  weakest point: ", (where, "bold"), f", {what}")
    if w.drivers:
        say(
            "  what makes the difference there: "
            + "; ".join(f"{d.what} {d.value:+,.1f}" for d in w.drivers)
        )
    for note in notes:
        say(f"  note: {note}", style="dim")
    console().print()


def _print_comparison(comparison: PlanComparison, names: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    t = Table(title="Plans side by side", title_justify="left")
    t.add_column("plan")
    t.add_column("days", justify="right")
    t.add_column("self-enforcing")
    for n in comparison.negotiators:
        t.add_column(text(f"{n}\nvalue"), justify="right")
        t.add_column(text(f"{n}\nsmallest margin by stage"), justify="left")
    for k, plan in enumerate(comparison.plans):
        ok = comparison.self_enforcing[k]
        row: list[Any] = [
            text(names[plan]),
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
    print_table(t)


def _print_design(d: ScheduleDesign, base: str) -> None:
    from rich.table import Table

    if d.amounts is None or d.days is None:
        say(f"No schedule ({d.status}).", style="bold red")
        say(d.message)
        if d.infeasibility is not None:
            inf = d.infeasibility
            t = Table(title="What would relax it (extra guarantor penalty)", title_justify="left")
            t.add_column("negotiator")
            t.add_column("together", justify="right")
            t.add_column("alone", justify="right")
            for j, n in enumerate(inf.negotiators):
                alone = inf.alone[j]
                t.add_row(
                    text(n), _num(inf.shortfall[j]), "impossible" if alone is None else _num(alone)
                )
            print_table(t)
        return
    t = Table(
        title=text(f"Designed schedule ({d.objective}; totals from {base}): {d.message}"),
        title_justify="left",
    )
    t.add_column("stage")
    t.add_column("days", justify="right")
    for it in d.items:
        t.add_column(text(f"{it.item}\n{it.giver} → {it.receiver}"), justify="right")
    for s in range(d.amounts.shape[0]):
        t.add_row(f"{s + 1}", f"{d.days[s]}", *(f"{a:g}" for a in d.amounts[s]))
    t.add_row("total", f"{int(sum(d.days))}", *(f"{it.total:g}" for it in d.items), style="bold")
    print_table(t)
    say(f"  objective ({d.objective}): {d.objective_value:.4g}")
    if d.recheck is not None and d.plan is not None:
        _print_assessment(d.recheck, "Re-checked by the stage-by-stage evaluator", ())


def _print_guarantees(found: tuple[Guarantees, ...], names: dict[str, str]) -> None:
    from rich.table import Table

    negotiators = found[0].negotiators if found else ()
    t = Table(
        title="Smallest guarantor penalty that makes each plan self-enforcing",
        title_justify="left",
    )
    t.add_column("plan")
    for n in negotiators:
        t.add_column(text(f"{n}\nneeded (now)"), justify="right")
        t.add_column(text(f"{n}\nbinding point"))
    for g in found:
        row: list[Any] = [text(names[g.plan])]
        for j in range(len(negotiators)):
            need = text(
                f"{_num(g.required[j])} ({_num(g.current[j])})",
                "bold red" if g.extra[j] > 0 else "green",
            )
            row += [need, text(g.binding[j] or "-")]
        t.add_row(*row)
    print_table(t)
    say(
        "  A penalty is what the guarantor would impose on a side that walks away, in that "
        "side's own value units at the moment it walks away."
    )


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
    from accord.run.results import GuaranteeReport, PlanChecks, ScheduleReport

    file, plan = _split_args(file, plan)
    with ProgressLine() as progress:
        analysis = analysis_or_exit(file, progress=progress)
        ids = analysis.plan_ids(plan)
        answer: ScheduleReport | GuaranteeReport | PlanChecks
        if design:
            answer = _design(
                analysis, ids[0], objective, stages, min_days, max_days, day_step, focus, time_limit
            )
        elif guarantee:
            answer = GuaranteeReport(tuple(analysis.guarantees(i) for i in ids))
        else:
            comparison = analysis.plan_comparison() if len(ids) > 1 else None
            answer = PlanChecks(tuple(analysis.assessment(i) for i in ids), comparison)
    if as_json:
        print_json(answer)
        return
    names = {p.id: p.name for p in analysis.scenario.plans}
    if isinstance(answer, ScheduleReport):
        _print_design(answer.design, answer.plan)
    elif isinstance(answer, GuaranteeReport):
        _print_guarantees(answer.guarantees, names)
    else:
        _print_checks(answer, names, {p.id: p.notes for p in analysis.scenario.plans})


def _design(
    analysis: Analysis,
    plan: str,
    objective: str,
    stages: int,
    min_days: int,
    max_days: int,
    day_step: int,
    focus: tuple[str, ...],
    time_limit: float,
) -> ScheduleReport:
    from accord.run.results import ScheduleReport

    spec, found = analysis.design(
        plan,
        objective=objective,
        stages=stages,
        min_days=min_days,
        max_days=max_days,
        day_step=day_step,
        focus=focus,
        time_limit=time_limit,
    )
    return ScheduleReport(plan, spec, found)


def _print_checks(
    checks: PlanChecks, names: dict[str, str], notes: dict[str, tuple[str, ...]]
) -> None:
    for a in checks.assessments:
        _print_assessment(a, names[a.plan], notes[a.plan])
    if checks.comparison is not None:
        _print_comparison(checks.comparison, names)
    say(
        "Values are each side's own units (estimates: see `valuations` in the scenario); "
        "compare margins within a column, not across sides.",
        style="dim",
    )
