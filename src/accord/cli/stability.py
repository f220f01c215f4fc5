"""`accord stability`: GMCR stability of the states of a scenario's conflict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from accord.cli._common import analysis_or_exit, json_option, print_json, scenario_argument
from accord.cli._output import ProgressLine, console, print_table, say, text

if TYPE_CHECKING:
    from rich.table import Table

    from accord.run import Analysis
    from accord.run.stability import (
        CoalitionStability,
        Evolution,
        Explanation,
        InverseRankings,
        StabilityReport,
    )

__all__ = ["stability"]

MAX_ROWS = 200
#: Evolution tables printed (one per reachable equilibrium); --json lists every path.
MAX_PATHS = 20
LETTERS = {"nash": "N", "gmr": "G", "smr": "S", "seq": "Q"}


def _stability_table(report: StabilityReport, labelled: bool) -> Table:
    from rich.table import Table

    table = Table(title="Stability (N Nash, G GMR, S SMR, Q SEQ; * = equilibrium)")
    table.add_column("state", style="bold")
    if labelled:
        table.add_column("vector")
    for dm in report.stable:
        table.add_column(text(dm), justify="center")
    table.add_column("equilibrium", justify="center")
    stable = {dm: {c: set(states) for c, states in by.items()} for dm, by in report.stable.items()}
    eq = {c: set(states) for c, states in report.equilibria.items()}
    for s in report.states[:MAX_ROWS]:
        row = [text(s)]
        if labelled:
            row.append(text(s.vector))
        for by in stable.values():
            row.append(text("".join(LETTERS[c] if s in by[c] else "." for c in by)))
        marks = "".join(LETTERS[c] if s in eq[c] else "." for c in eq)
        row.append(text(marks + (" *" if any(s in e for e in eq.values()) else "")))
        table.add_row(*row)
    return table


def _print_evolution(sq: Evolution, option_ids: tuple[str, ...]) -> None:
    from rich.table import Table

    coalitions = (
        f" (coalitions: {', '.join('+'.join(c) for c in sq.coalitions)})" if sq.coalitions else ""
    )
    console().print()
    say(
        f"Status quo {sq.status_quo}: {sq.reachable_states} states reachable by improvements"
        + coalitions
    )
    for path in sq.paths[:MAX_PATHS]:
        table = Table(title=text(f"to {path.target} ({', '.join(path.concepts)} equilibrium)"))
        table.add_column("", style="bold")
        columns = [sq.status_quo, *(s.state for s in path.steps)]
        table.add_column("status quo", justify="center")
        for step in path.steps:
            table.add_column(text("+".join(step.movers) + " ->"), justify="center")
        for p, option in enumerate(option_ids):
            table.add_row(text(option), *(s.vector[p] for s in columns))
        table.add_row("state", *(text(s) for s in columns))
        print_table(table)
    if len(sq.paths) > MAX_PATHS:
        say(
            f"(evolution tables for the first {MAX_PATHS} of {len(sq.paths)} reachable "
            "equilibria; --json lists every path)"
        )
    if sq.unreachable:
        shown = ", ".join(sq.unreachable[:MAX_ROWS])
        more = len(sq.unreachable) - MAX_ROWS
        say(
            "Not reachable from the status quo: "
            + shown
            + (f" and {more} more (--json lists all)" if more > 0 else "")
        )


def _print_coalition(ca: CoalitionStability) -> None:
    console().print()
    say(
        f"Coalition {'+'.join(ca.structure[0])} (others alone): coalition-Nash equilibria: "
        + (", ".join(ca.equilibria) or "none")
    )
    for kind, by_state in ca.survives.items():
        if len(by_state) > MAX_ROWS:
            kept = sum(by_state.values())
            say(
                f"  {kind.upper()}: {kept} of {len(by_state)} equilibria survive "
                "(--json lists each, with the coalition that breaks it)"
            )
            continue
        for s, ok in by_state.items():
            breach = ca.broken_by.get(s)
            verdict = (
                "survives"
                if ok or breach is None
                else f"broken: {'+'.join(breach.coalition)} moves to {breach.to}"
            )
            say(f"  {kind.upper()} equilibrium {s}: {verdict}")


def _print_inverse(inv: InverseRankings) -> None:
    console().print()
    say(
        f"Inverse GMCR: {inv.total} rankings of {inv.dm} (varying {len(inv.varied)} states: "
        f"{', '.join(inv.varied)}); {inv.target} is an equilibrium under"
    )
    varied = set(inv.varied)
    for c, count in inv.counts.items():
        say(f"  {c.upper():>4}: {count} of them" + (", for example:" if count else ""))
        for r in inv.rankings[c][:3]:
            # the varied states' order (the others keep their places; --json lists them all)
            groups = ["~".join(s for s in g if s in varied) for g in r]
            say("        " + " > ".join(g for g in groups if g))


def _print_explanation(ex: Explanation) -> None:
    console().print()
    say(f"Why {ex.state}:")
    for line in ex.text:
        say(line)


def render(report: StabilityReport, analysis: Analysis) -> None:
    """The stability table, the equilibria, and each follow-up asked."""
    conflict = analysis.conflict
    say((analysis.scenario.title, "bold"), f": {len(report.states)} feasible states")
    print_table(_stability_table(report, labelled=bool(conflict.labels)))
    if len(report.states) > MAX_ROWS:
        say(f"(first {MAX_ROWS} of {len(report.states)} states; --json lists all)")
    for c, states in report.equilibria.items():
        say(f"{c.upper():>4} equilibria: {', '.join(states) or 'none'}")
    if report.status_quo is not None:
        _print_evolution(report.status_quo, conflict.option_ids)
    if report.coalition is not None:
        _print_coalition(report.coalition)
    if report.inverse is not None:
        _print_inverse(report.inverse)
    if report.explain is not None:
        _print_explanation(report.explain)


def answer(
    analysis: Analysis,
    *,
    status_quo: bool,
    start: str | None,
    unilateral_only: bool,
    coalition: str | None,
    inverse_dm: str | None,
    target: str | None,
    vary: str | None,
    explain: str | None,
) -> StabilityReport:
    """Check every option against the conflict, then compute what was asked."""
    from accord.run import stability as labelled

    conflict = analysis.conflict
    if (inverse_dm is None) != (target is None):
        raise click.UsageError("--inverse DM and --target STATE go together")
    if start is not None and not status_quo:
        raise click.UsageError("--start STATE goes with --status-quo")
    origin = analysis.state(start, "--start") if start is not None else None
    members = (
        None if coalition is None else tuple(m.strip() for m in coalition.split(",") if m.strip())
    )
    inverse = None
    if inverse_dm is not None and target is not None:
        dm = analysis.decision_maker(inverse_dm, "--inverse")
        goal = analysis.state(target, "--target")
        varied = (
            None
            if vary is None
            else tuple(analysis.state(v.strip(), "--vary") for v in vary.split(","))
        )
        inverse = (dm, goal, varied)
    explained = analysis.state(explain, "--explain") if explain is not None else None

    parts: dict[str, Any] = {}
    if status_quo:
        sq = analysis.status_quo_paths(origin, unilateral=unilateral_only)
        parts["status_quo"] = labelled.evolution(conflict, sq)
    if members is not None:
        parts["coalition"] = labelled.coalition_stability(conflict, analysis.coalition(members))
    if inverse is not None:
        parts["inverse"] = labelled.inverse_rankings(conflict, analysis.inverse(*inverse))
    if explained is not None:
        ex, lines = analysis.explanation(explained)
        parts["explain"] = labelled.explanation(conflict, ex, lines)
    return labelled.stability_report(conflict, analysis.stability, **parts)


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
    help="With --inverse: the states whose places in DM's ranking may change (default: "
    "--target and the states DM can move to from it; at most 40320 rankings).",
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
    with ProgressLine() as progress:
        analysis = analysis_or_exit(file, progress=progress)
        report = answer(
            analysis,
            status_quo=status_quo,
            start=start,
            unilateral_only=unilateral_only,
            coalition=coalition,
            inverse_dm=inverse_dm,
            target=target,
            vary=vary,
            explain=explain,
        )
    if as_json:
        print_json(report)
        return
    render(report, analysis)
