"""`accord stability`: GMCR stability of the states of a scenario's conflict."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table

from accord.cli._common import console, json_option, load_or_exit, print_json, scenario_argument
from accord.gmcr.coalition import analyze_coalitions, coalition_structure
from accord.gmcr.compile import compile_conflict
from accord.gmcr.evolution import StatusQuoAnalysis, status_quo_analysis
from accord.gmcr.explain import describe, explain_state
from accord.gmcr.graph import CompiledConflict, OptionMoves
from accord.gmcr.inverse import inverse_gmcr
from accord.gmcr.stability import STABILITY_CONCEPTS, Stability, analyze_stability

__all__ = ["stability"]

MAX_ROWS = 200
#: Evolution tables printed (one per reachable equilibrium); --json lists every path.
MAX_PATHS = 20


def _state(conflict: CompiledConflict, text: str, option: str) -> int:
    found = conflict.find_state(text)
    if found is None:
        if isinstance(conflict.moves, OptionMoves):
            form = f"{conflict.moves.n_options} letters Y/N ({', '.join(conflict.option_ids)})"
        else:
            form = "a state name (" + ", ".join(conflict.state_names[:10]) + ")"
        raise click.BadParameter(
            f"{text!r} is not a feasible state of this conflict; give a label or {form}",
            param_hint=option,
        )
    return found


def _dm(conflict: CompiledConflict, text: str, option: str) -> int:
    if text not in conflict.decision_makers:
        known = ", ".join(conflict.decision_makers)
        raise click.BadParameter(
            f"unknown decision maker {text!r}; expected one of {known}",
            param_hint=option,
        )
    return conflict.dm_index(text)


def _stability_table(conflict: CompiledConflict, result: Stability) -> Table:
    table = Table(title="Stability (N Nash, G GMR, S SMR, Q SEQ; * = equilibrium)")
    table.add_column("state", style="bold")
    if conflict.labels:
        table.add_column("vector")
    for dm in conflict.decision_makers:
        table.add_column(dm, justify="center")
    table.add_column("equilibrium", justify="center")
    letters = {"nash": "N", "gmr": "G", "smr": "S", "seq": "Q"}
    eq = {c: set(result.equilibria(c).tolist()) for c in result.concepts}
    for k, s in enumerate(result.states.tolist()[:MAX_ROWS]):
        row = [conflict.label(s)]
        if conflict.labels:
            row.append(conflict.vector(s))
        for dm in conflict.decision_makers:
            row.append(
                "".join(letters[c] if result.stable[dm][c][k] else "." for c in result.concepts)
            )
        marks = "".join(letters[c] if s in eq[c] else "." for c in result.concepts)
        row.append(marks + (" *" if any(s in e for e in eq.values()) else ""))
        table.add_row(*row)
    return table


def _evolution_json(conflict: CompiledConflict, sq: StatusQuoAnalysis) -> dict[str, Any]:
    lab = conflict.label
    return {
        "status_quo": lab(sq.status_quo),
        "coalitions": [list(c) for c in sq.coalitions],
        "reachable_states": sq.reachable,
        "paths": [
            {
                "target": lab(p.target),
                "concepts": list(p.concepts),
                "steps": [{"movers": list(s.movers), "state": lab(s.state)} for s in p.steps],
            }
            for p in sq.paths
        ],
        "unreachable": [lab(s) for s in sq.unreachable],
    }


def _print_evolution(conflict: CompiledConflict, sq: StatusQuoAnalysis) -> None:
    lab = conflict.label
    console.print(
        f"\nStatus quo {lab(sq.status_quo)}: {sq.reachable} states reachable by improvements"
        + (
            f" (coalitions: {', '.join('+'.join(c) for c in sq.coalitions)})"
            if sq.coalitions
            else ""
        )
    )
    for path in sq.paths[:MAX_PATHS]:
        table = Table(title=f"to {lab(path.target)} ({', '.join(path.concepts)} equilibrium)")
        table.add_column("", style="bold")
        columns = [sq.status_quo, *(s.state for s in path.steps)]
        table.add_column("status quo", justify="center")
        for step in path.steps:
            table.add_column("+".join(step.movers) + " ->", justify="center")
        if isinstance(conflict.moves, OptionMoves):
            for p, option in enumerate(conflict.option_ids):
                table.add_row(option, *("Y" if s >> p & 1 else "N" for s in columns))
        table.add_row("state", *(lab(s) for s in columns))
        console.print(table)
    if len(sq.paths) > MAX_PATHS:
        console.print(
            f"(evolution tables for the first {MAX_PATHS} of {len(sq.paths)} reachable "
            "equilibria; --json lists every path)"
        )
    if sq.unreachable:
        shown = ", ".join(lab(s) for s in sq.unreachable[:MAX_ROWS])
        more = len(sq.unreachable) - MAX_ROWS
        console.print(
            "Not reachable from the status quo: "
            + shown
            + (f" and {more} more (--json lists all)" if more > 0 else "")
        )


@click.command()
@scenario_argument
@json_option
@click.option(
    "--status-quo",
    "status_quo",
    is_flag=True,
    help="Paths of improvements from the status quo to each reachable equilibrium, "
    "as evolution tables.",
)
@click.option(
    "--start",
    metavar="STATE",
    help="With --status-quo: start from STATE instead of the file's status_quo.",
)
@click.option(
    "--unilateral-only",
    is_flag=True,
    help="With --status-quo: use unilateral improvements only (no coalitions).",
)
@click.option(
    "--coalition",
    metavar="A,B",
    help="Coalition analysis: DMs A and B act together, the others alone.",
)
@click.option(
    "--inverse",
    "inverse_dm",
    metavar="DM",
    help="Inverse GMCR: which rankings of DM make --target an equilibrium.",
)
@click.option("--target", metavar="STATE", help="The desired equilibrium for --inverse.")
@click.option(
    "--vary",
    metavar="S1,S2,...",
    help="With --inverse: the states whose places in DM's ranking may change "
    "(default: all feasible states, if at most 40320 rankings).",
)
@click.option(
    "--explain",
    "explain",
    metavar="STATE",
    help="Explain STATE: each improvement and the sanction that blocks it, or why none does.",
)
def stability(
    file: str | None,
    as_json: bool,
    status_quo: bool,
    start: str | None,
    unilateral_only: bool,
    coalition: str | None,
    inverse_dm: str | None,
    target: str | None,
    vary: str | None,
    explain: str | None,
) -> None:
    """Stability of every state of the conflict for each decision maker (GMCR).

    Reads the scenario's `conflict:` section and reports, for Nash (R), general
    metarationality (GMR), symmetric metarationality (SMR) and sequential
    stability (SEQ), the states stable for each decision maker and the
    equilibria (stable for all).  Sanctions are legal sequences of the
    opponents' moves (Fang, Hipel & Kilgour 1993).  States print as their
    labels, else as option vectors such as NYNNY.
    """
    scenario = load_or_exit(file, as_json=as_json)
    if scenario.conflict is None:
        raise click.UsageError(f"{file or 'cairo-2024'} has no conflict: section to analyse")
    conflict = compile_conflict(scenario)
    if (inverse_dm is None) != (target is None):
        raise click.UsageError("--inverse DM and --target STATE go together")
    if start is not None and not status_quo:
        raise click.UsageError("--start STATE goes with --status-quo")
    origin = _state(conflict, start, "--start") if start is not None else conflict.status_quo
    if status_quo and origin is None:
        raise click.UsageError("the conflict has no status_quo; give one with --start STATE")
    result = analyze_stability(conflict)
    out: dict[str, Any] = result.to_json()
    lab = conflict.label
    if not as_json:
        console.print(f"[bold]{scenario.title}[/bold]: {len(result.states)} feasible states")
        console.print(_stability_table(conflict, result))
        if len(result.states) > MAX_ROWS:
            console.print(f"(first {MAX_ROWS} of {len(result.states)} states; --json lists all)")
        for c in STABILITY_CONCEPTS:
            eq = [lab(s) for s in result.equilibria(c).tolist()]
            console.print(f"{c.upper():>4} equilibria: {', '.join(eq) or 'none'}")

    if status_quo:
        sq = status_quo_analysis(
            conflict, result, origin, coalitions=[] if unilateral_only else None
        )
        out["status_quo"] = _evolution_json(conflict, sq)
        if not as_json:
            _print_evolution(conflict, sq)

    if coalition is not None:
        members = [m.strip() for m in coalition.split(",") if m.strip()]
        for m in members:
            _dm(conflict, m, "--coalition")
        try:
            structure = coalition_structure(conflict, members)
        except ValueError as e:
            raise click.BadParameter(str(e), param_hint="--coalition") from None
        ca = analyze_coalitions(conflict, structure, result)
        out["coalition"] = {
            "structure": [list(c) for c in ca.structure],
            "stable": {
                "+".join(c): [lab(s) for s in ca.states[m].tolist()]
                for c, m in zip(ca.structure, ca.stable, strict=True)
            },
            "equilibria": [lab(s) for s in ca.equilibria.tolist()],
            "survives": {c: {lab(s): ok for s, ok in d.items()} for c, d in ca.survives.items()},
            "broken_by": {
                lab(s): {"coalition": list(c), "to": lab(t)} for s, (c, t) in ca.breaks.items()
            },
        }
        if not as_json:
            name = "+".join(ca.structure[0])
            console.print(
                f"\nCoalition {name} (others alone): coalition-Nash equilibria: "
                + (", ".join(lab(s) for s in ca.equilibria.tolist()) or "none")
            )
            for kind, d in ca.survives.items():
                if len(d) > MAX_ROWS:
                    kept = sum(d.values())
                    console.print(
                        f"  {kind.upper()}: {kept} of {len(d)} equilibria survive "
                        "(--json lists each, with the coalition that breaks it)"
                    )
                    continue
                for s, ok in d.items():
                    verdict = (
                        "survives"
                        if ok
                        else (
                            f"broken: {'+'.join(ca.breaks[s][0])} moves to {lab(ca.breaks[s][1])}"
                        )
                    )
                    console.print(f"  {kind.upper()} equilibrium {lab(s)}: {verdict}")

    if inverse_dm is not None and target is not None:
        dm = _dm(conflict, inverse_dm, "--inverse")
        goal = _state(conflict, target, "--target")
        varied = (
            None
            if vary is None
            else [_state(conflict, v.strip(), "--vary") for v in vary.split(",")]
        )
        try:
            inv = inverse_gmcr(conflict, dm, goal, vary=varied)
        except ValueError as e:
            raise click.UsageError(str(e)) from None
        out["inverse"] = {
            "dm": inv.dm,
            "target": lab(inv.target),
            "varied": [lab(s) for s in inv.varied],
            "total": inv.total,
            "counts": inv.counts,
            "rankings": {
                c: [[[lab(s) for s in group] for group in r] for r in rs]
                for c, rs in inv.rankings.items()
            },
        }
        if not as_json:
            console.print(
                f"\nInverse GMCR: {inv.total} rankings of {inv.dm} (varying "
                f"{len(inv.varied)} states); {lab(goal)} is an equilibrium under"
            )
            for c in STABILITY_CONCEPTS:
                console.print(f"  {c.upper():>4}: {inv.counts[c]} of them")
                for r in inv.rankings[c][:3]:
                    console.print("        " + " > ".join("~".join(lab(s) for s in g) for g in r))

    if explain is not None:
        state = _state(conflict, explain, "--explain")
        ex = explain_state(conflict, state)
        lines = describe(conflict, ex)
        out["explain"] = {
            "state": lab(state),
            "concepts": [
                {
                    "dm": item.dm,
                    "concept": item.concept,
                    "stable": item.stable,
                    "improvements": [
                        {
                            "improvement": lab(i.improvement),
                            "sanction": None
                            if i.sanction is None
                            else [{"mover": m.mover, "state": lab(m.state)} for m in i.sanction],
                            "escape": None if i.escape is None else lab(i.escape),
                        }
                        for i in item.improvements
                    ],
                }
                for item in ex.concepts
            ],
            "text": lines,
        }
        if not as_json:
            console.print(f"\nWhy {lab(state)}:")
            for line in lines:
                console.print(line, markup=False)

    if as_json:
        print_json(out)
