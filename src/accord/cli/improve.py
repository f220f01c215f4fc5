"""`accord improve [FILE] P`: packages that leave every negotiator at least as well off as P."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from accord.cli._common import analysis_or_exit, json_option, print_json, split_file_args
from accord.cli._output import ProgressLine, print_table, say, text
from accord.cli._space import fmt_utility, print_positions, print_warnings, tol_option

if TYPE_CHECKING:
    from accord.analysis.improve import ImprovementSearch

__all__ = ["improve"]


def render(result: ImprovementSearch) -> None:
    from rich.table import Table

    print_warnings(result.warnings)

    say("Starting from ", (result.start, "bold"), ": ", fmt_utility(result.utility))
    if result.pareto_optimal:
        say(
            f"{result.start} is Pareto-optimal: no feasible package leaves every negotiator "
            "at least as well off and one better.",
            style="green",
        )
        return
    count = f"{result.dominated_by:,}" if result.exact else f"about {result.dominated_by:,}"
    say(f"{count} feasible packages leave every negotiator at least as well off and one better.")
    names = list(result.utility)
    table = Table(
        title="Improvements (fewest issues changed first, then Nash product)", title_justify="left"
    )
    table.add_column("#", justify="right")
    table.add_column("issues\nchanged", justify="right")
    table.add_column("what changes")
    for n in names:
        table.add_column(text(n), justify="right")
    table.add_column("Nash\nproduct", justify="right")
    table.add_column("on\nfrontier")
    for rank, imp in enumerate(result.improvements, 1):
        table.add_row(
            str(rank),
            str(imp.issues_changed),
            text("\n".join(f"{c.issue}: {c.before} → {c.after}" for c in imp.changes)),
            *(f"{imp.utility[n]:.3f}\n{imp.gain[n]:+.3f}" for n in names),
            f"{imp.nash_product:.4f}",
            "yes" if imp.pareto_optimal else "no",
        )
    print_table(table)
    say("Each negotiator's column: utility, then its gain over the start.", style="dim")
    if not result.complete:
        say(
            f"Every package changing up to {result.searched_up_to} issue(s) was examined; "
            "beyond that only Pareto-optimal improvements are listed.",
            style="yellow",
        )


@click.command()
@click.argument("args", nargs=-1, metavar="[FILE] P")
@json_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="Show at most N improvements.",
)
@click.option(
    "--budget",
    type=click.IntRange(min=0),
    default=5_000_000,
    show_default=True,
    help="Examine at most this many candidate packages per number of changed issues.",
)
@tol_option
def improve(args: tuple[str, ...], as_json: bool, limit: int, budget: int, tol: float) -> None:
    """Packages that Pareto-dominate P: everyone at least as well off, someone better.

    P is a proposal id or a solution name. Improvements are ranked by how few
    issues they change, then by Nash product over the reservation values: the
    mediator's post-settlement settlement, or the next draft of a single
    negotiating text. The search changes one issue at a time, then two, and so
    on. FILE is a scenario file or an embedded scenario's name (default: cairo-2024).
    """
    from accord.run import Options
    from accord.run.positions import improvement_positions

    file, (p_name,) = split_file_args(args, ("P",), "a proposal id or a solution name")
    with ProgressLine() as progress:
        analysis = analysis_or_exit(file, Options(tol=tol), progress=progress)
        result = analysis.improvements(p_name, limit=limit, budget=budget)
    shown = improvement_positions(analysis.scenario, result)
    if as_json:
        print_json(shown)
        return
    render(result)
    print_positions(shown.positions, rank=True)
